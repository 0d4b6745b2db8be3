import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import { isUuid } from "../../internal/ids.ts";
import type { ProviderContext } from "../types.ts";
import type { Session } from "../../model/types.ts";
import { grok } from "./mod.ts";
import { readGrokSession } from "./reader.ts";
import { planGrokSession } from "./writer.ts";
import { encodeCwd, groupNameFor } from "./paths.ts";
import { sampleSession } from "../../model/testdata/sample_session.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import { tempDir, writePlanFiles } from "../../../tests/fixture_home.ts";

const FIXTURES = new URL("../../../fixtures/grok/", import.meta.url).pathname;
const ID = "019ad2d1-5e40-7c3a-8f21-6b0e4c9d2a17";
const FIXTURE = path.join(
  FIXTURES,
  ".grok",
  "sessions",
  "%2Ftmp%2Fcasr-fixture-project",
  ID,
  "updates.jsonl",
);

function ctx(home: string): ProviderContext {
  return { env: {}, homeDir: home, cwd: home };
}

Deno.test("readGrokSession() reads the hand-made fixture: chunks, reasoning, tool call and result", async () => {
  const { session, warnings } = await readGrokSession(FIXTURE);
  assert.deepEqual(warnings, []);
  assert.equal(session.id, ID);
  assert.equal(session.workspace, "/tmp/casr-fixture-project");
  assert.equal(session.model, "grok-4.5");
  assert.equal(rolesOf(session), "user assistant tool assistant user assistant");
  const reply = session.messages[1]!;
  assert.equal(reply.reasoning, "The user wants one shell command run.");
  assert.deepEqual(reply.toolCalls, [{
    id: "call_6f2b0d9e4a",
    name: "run_terminal_command",
    input: { command: "echo casr-fixture" },
  }]);
  assert.deepEqual(session.messages[2]!.toolResults, [{
    callId: "call_6f2b0d9e4a",
    output: "casr-fixture\n",
    isError: false,
  }]);
  // The two streamed chunks of the last reply are one message.
  assert.ok(
    session.messages[5]!.text.startsWith("Got it — héllo wörld") &&
      session.messages[5]!.text.endsWith("| unicode | ✓ |"),
  );
  assert.ok(session.messages.every((m) => m.timestamp !== undefined));
});

Deno.test("readGrokSession() warns on bad lines, reads failed results and fails on an empty file", async () => {
  await using dirTmp = await tempDir();
  const dir = dirTmp.path;
  const file = path.join(dir, "updates.jsonl");
  const env = (update: Record<string, unknown>, promptId?: string) =>
    JSON.stringify({
      timestamp: 1795082400,
      method: "session/update",
      params: { sessionId: "s", update, _meta: promptId ? { promptId } : {} },
    });
  await Deno.writeTextFile(
    file,
    [
      env({
        sessionUpdate: "user_message_chunk",
        content: { type: "text", text: "hi" },
        _meta: { promptIndex: 0 },
      }),
      "{not json",
      "[1]",
      env({
        sessionUpdate: "tool_call",
        toolCallId: "c1",
        title: "ls",
        rawInput: { command: "ls" },
      }, "p"),
      env({ sessionUpdate: "tool_call_update", toolCallId: "c1", status: "in_progress" }, "p"),
      env({
        sessionUpdate: "tool_call_update",
        toolCallId: "c1",
        status: "failed",
        rawOutput: "boom",
      }, "p"),
      env({ sessionUpdate: "plan", entries: [] }),
      "",
    ].join("\n"),
  );
  const { session, warnings } = await readGrokSession(file);
  assert.deepEqual(warnings.map((w) => w.line), [2, 3]);
  assert.equal(session.messages[1]?.toolCalls[0]?.name, "ls");
  assert.deepEqual(session.messages[2]?.toolResults, [{
    callId: "c1",
    output: "boom",
    isError: true,
  }]);
  await Deno.writeTextFile(file, "");
  await assert.rejects(() => readGrokSession(file), /file is empty/);
});

Deno.test("encodeCwd() percent-encodes like a URL component; long paths get a slug and a .cwd", () => {
  assert.equal(encodeCwd("/home/dev/proj"), "%2Fhome%2Fdev%2Fproj");
  assert.equal(encodeCwd("/tmp/a b/é~_.-"), "%2Ftmp%2Fa%20b%2F%C3%A9~_.-");
  const long = groupNameFor(`/${"x".repeat(300)}`);
  assert.equal(long.hashed, true);
  assert.match(long.name, /^%2Fx{197}-[0-9a-f]{16}$/);
});

const SAMPLE: Session = sampleSession({
  system: "scaffold",
  user: "Fix it ✓\n```sh\nls\n```",
  reasoning: "think",
});

Deno.test("planGrokSession() follows the writer checklist", async () => {
  const id = "6d0c1f7e-2b4a-4c55-9a1e-0c3f5d9e8b21";
  const plan = await planGrokSession(SAMPLE, ctx("/home/u"), {
    workspace: "/tmp/ws",
    now: 5_000,
    sessionId: id,
  });
  assert.equal(plan.sessionId, id);
  assert.equal(plan.primaryPath, `/home/u/.grok/sessions/%2Ftmp%2Fws/${id}/updates.jsonl`);
  assert.equal(plan.resume.shell, `cd /tmp/ws && grok --resume ${id}`);
  assert.ok(plan.resume.note?.startsWith("Unverified"));
  assert.ok(plan.warnings.some((w) => w.code === "unverified-target"));
  const data = fileText(plan.files[0]!.data);
  assert.ok(data.endsWith("\n"));
  const lines = data.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.params.update.sessionUpdate), [
    "user_message_chunk",
    "agent_thought_chunk",
    "agent_message_chunk",
    "tool_call",
    "tool_call",
    "tool_call_update",
    "tool_call_update",
    "agent_message_chunk",
  ]);
  lines.forEach((l, i) => {
    assert.equal(l.params._meta.eventId, `${id}-${i + 1}`);
    if (i > 0) {
      assert.ok(l.params._meta.agentTimestampMs >= lines[i - 1].params._meta.agentTimestampMs);
    }
  });
  assert.equal(lines[3].params.update.toolCallId, "call_1");
  assert.deepEqual(lines[3].params.update.rawInput, { input: "ls" });
  assert.equal(lines[3].params.update._meta["x.ai/tool"].name, "shell");
  assert.equal(lines[6].params.update.status, "failed");
  assert.equal(lines[5].params._meta.promptId, lines[2].params._meta.promptId);
  assert.notEqual(lines[7].params._meta.promptId, lines[2].params._meta.promptId);
  const summary = JSON.parse(fileText(plan.files[1]!.data));
  assert.equal(summary.current_model_id, "grok-4.5");
  assert.deepEqual(summary.info, { id, cwd: "/tmp/ws" });
  assert.match(summary.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  const bad = await planGrokSession(SAMPLE, ctx("/home/u"), {
    workspace: "/tmp/ws",
    now: 5_000,
    sessionId: "nope",
  });
  assert.ok(isUuid(bad.sessionId) && bad.warnings.some((w) => w.code === "session-id-replaced"));
});

Deno.test("grok round trip: plan → read, list, find and claims", async () => {
  await using homeTmp = await tempDir();
  const home = homeTmp.path;
  const plan = await planGrokSession(SAMPLE, ctx(home), { workspace: "/tmp/ws", now: 5_000 });
  await writePlanFiles(plan);
  const { session } = await grok.read(plan.primaryPath, ctx(home));
  assert.equal(session.id, plan.sessionId);
  assert.deepEqual(session.messages.map((m) => [m.role, m.text, m.timestamp]), [
    ["user", "Fix it ✓\n```sh\nls\n```", 1_000],
    ["assistant", "Running.", 2_000],
    ["tool", "", 3_000],
    ["assistant", "Done.", 4_000],
  ]);
  assert.deepEqual(session.messages[2]?.toolResults.map((r) => [r.output, r.isError]), [[
    "a.txt",
    false,
  ], ["exit 1", true]]);
  const listed = await grok.list(ctx(home));
  assert.equal(listed.length, 1);
  assert.equal(listed[0]?.workspace, "/tmp/ws");
  assert.equal(listed[0]?.messageCount, 4);
  assert.deepEqual((await grok.find(ctx(home), plan.sessionId.slice(0, 8))).map((s) => s.id), [
    plan.sessionId,
  ]);
  const head = await Deno.readTextFile(plan.primaryPath);
  assert.ok(grok.claims(plan.primaryPath, head.slice(0, 4096)));
  assert.ok(!grok.claims(plan.primaryPath, '{"type":"user","parentUuid":null}'));
  assert.ok(!grok.claims("/x/events.jsonl", head.slice(0, 4096)));
});
