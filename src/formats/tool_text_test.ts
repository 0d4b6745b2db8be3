import assert from "node:assert/strict";
import type { Message, Session } from "../model/types.ts";
import { compareSessions } from "../pipeline/compare.ts";
import { flattenToolCalls, renderToolCallText, renderToolResultText } from "./tool_text.ts";
import { testMessage as m } from "../model/testdata/sample_session.ts";

function session(messages: Message[]): Session {
  return { id: "s", provider: "codex", metadata: {}, messages };
}

const CALL = { id: "c1", name: "shell", input: { cmd: "ls" } };
const SOURCE = session([
  m("user", "list files", { timestamp: 1000 }),
  m("assistant", "Listing.", { toolCalls: [CALL], timestamp: 2000 }),
  m("system", "<env/>"),
  m("tool", "", { toolResults: [{ callId: "c1", output: "a.txt\n", isError: false }] }),
  m("assistant", "One file."),
  m("user", "thanks"),
]);

Deno.test("flattenToolCalls() merges a reply, its calls and results into one assistant message", () => {
  const { session: flat, counts } = flattenToolCalls(SOURCE);
  assert.deepEqual(flat.messages.map((x) => x.role), ["user", "assistant", "system", "user"]);
  assert.deepEqual(counts, { calls: 1, results: 1 });
  const reply = flat.messages[1]!;
  assert.equal(reply.timestamp, 2000);
  assert.deepEqual(reply.toolCalls, []);
  assert.equal(
    reply.text,
    [
      "Listing.",
      renderToolCallText(CALL),
      renderToolResultText({ callId: "c1", output: "a.txt\n", isError: false }, "shell"),
      "One file.",
    ].join("\n\n"),
  );
  assert.deepEqual(flat.messages.map((x) => x.index), [0, 1, 2, 3]);
});

Deno.test("flattenToolCalls() drops a run with nothing in it and leaves sessions without calls alone", () => {
  const empty = flattenToolCalls(session([m("user", "a"), m("assistant", "  "), m("user", "b")]));
  assert.deepEqual(empty.session.messages.map((x) => x.text), ["a", "b"]);
  const plain = flattenToolCalls(session([m("user", "a"), m("assistant", "b")]));
  assert.deepEqual(plain.counts, { calls: 0, results: 0 });
  assert.deepEqual(plain.session.messages.map((x) => [x.role, x.text]), [
    ["user", "a"],
    ["assistant", "b"],
  ]);
});

Deno.test("renderToolCallText() and renderToolResultText() fence content longer than its backtick runs", () => {
  const call = renderToolCallText({ id: "x`y", name: "exec", input: "echo ```` done" });
  assert.ok(call.includes("\n`````\necho ```` done\n`````"));
  assert.ok(call.startsWith("**Tool call** `exec` (id `x'y`):"));
  const error = renderToolResultText({ callId: "", output: "boom", isError: true });
  assert.equal(error, "**Tool result (error)**:\n```\nboom\n```");
});

Deno.test("compareSessions() with toolCallsAsText accepts the text form and still sees differences", () => {
  const flat = flattenToolCalls(SOURCE).session;
  assert.notDeepEqual(compareSessions(SOURCE, flat), []);
  assert.deepEqual(compareSessions(SOURCE, flat, { toolCallsAsText: true }), []);
  const changed = structuredClone(flat);
  changed.messages[1]!.text = changed.messages[1]!.text.replace("a.txt", "b.txt");
  const diffs = compareSessions(SOURCE, changed, { toolCallsAsText: true });
  assert.deepEqual(diffs.map((d) => [d.index, d.field]), [[1, "text"]]);
});
