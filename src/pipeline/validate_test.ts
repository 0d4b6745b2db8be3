import assert from "node:assert/strict";
import type { Message, Session } from "../model/types.ts";
import { validateSession } from "./validate.ts";

const message = (index: number, role: Message["role"], text: string): Message => ({
  index,
  role,
  text,
  toolCalls: [],
  toolResults: [],
});

const session = (messages: Message[], metadata: Record<string, unknown> = {}): Session => ({
  id: "s1",
  provider: "kimi-code",
  workspace: "/w",
  messages,
  metadata,
});

Deno.test("validateSession() takes a prompt with a reply and refuses a prompt alone", async () => {
  await validateSession(session([message(0, "user", "hi"), message(1, "assistant", "hello")]), []);
  await assert.rejects(
    validateSession(session([message(0, "user", "hi"), message(1, "user", "anyone?")]), []),
    /it needs a user prompt and an assistant reply/,
  );
});

Deno.test("validateSession() takes a session its agent compacted after the last reply", async () => {
  // What Kimi Code sends on after a compaction with no turn since: the kept
  // prompts, then the summary of the replies.
  const compacted = [message(0, "user", "run ls"), message(1, "user", "Summary: we listed files.")];
  const warnings = await validateSession(
    session(compacted, { compaction: { summaryMessageIndexes: [1] } }),
    [],
  );
  assert.deepEqual(warnings.map((w) => w.code), ["no-timestamps", "short-session"]);
  // An empty summary is no account of anything.
  const empty = [message(0, "user", "run ls"), message(1, "user", " ")];
  await assert.rejects(
    validateSession(session(empty, { compaction: { summaryMessageIndexes: [1] } }), []),
    /it needs a user prompt and an assistant reply/,
  );
});
