/**
 * Calls whose events hold no result (a run cut off while its tool ran) read as
 * Copilot CLI sends them on resume: a hand-made events file, then the genuine
 * 1.0.102 messy fixture.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { INTERRUPTED_TOOL_TEXT, readCopilotSession } from "./reader.ts";
import { tempDir } from "../../../tests/fixture_home.ts";
import { messageShapes as shape } from "../../model/testdata/roles.ts";

const FIXTURES = new URL("../../../fixtures/copilot-cli/", import.meta.url).pathname;
const MESSY_ID = "7bf4979b-df77-4e0b-9e28-6559f660ec90";

let clock = 0;
/** One event envelope, a second after the one before. */
function event(type: string, data: object, extra: object = {}): object {
  clock++;
  const timestamp = new Date(Date.UTC(2026, 7, 20, 14, 0, clock)).toISOString();
  return { type, data, id: `ev-${clock}`, timestamp, parentId: null, ...extra };
}
function request(toolCallId: string, command: string): object {
  return { toolCallId, name: "bash", arguments: { command }, type: "function" };
}
function complete(toolCallId: string, success: boolean, text: string): object {
  return event("tool.execution_complete", {
    toolCallId,
    success,
    ...(success ? { result: { content: text } } : { error: { message: text } }),
  });
}

Deno.test("readCopilotSession() answers calls without a result with Copilot's interruption text (hand-made events)", async () => {
  // Hand-made, in the shape of Copilot CLI 1.0.102's events.jsonl: parallel
  // calls where only the second completed before an abort; a sub-agent call
  // left open (sub-agent events are not read); a call whose failure the file
  // stores (kept as stored); a last call the file ends during.
  const lines = [
    event("session.start", { sessionId: "hand-made", context: { cwd: "/w" } }),
    event("user.message", { content: "run two" }),
    event("assistant.message", {
      content: "Both.",
      toolRequests: [request("c1", "tail -f /dev/null"), request("c2", "true")],
    }),
    event("tool.execution_start", { toolCallId: "c1", toolName: "bash" }),
    event("tool.execution_start", { toolCallId: "c2", toolName: "bash" }),
    complete("c2", true, "ok"),
    event("assistant.message", {
      content: "",
      toolRequests: [request("sub-1", "ls")],
      parentToolCallId: "c2",
    }, { agentId: "agent-1" }),
    event("assistant.turn_end", { turnId: "0" }),
    event("abort", { reason: "user_abort" }),
    event("user.message", { content: "again" }),
    event("assistant.message", { content: "", toolRequests: [request("c3", "sleep 9")] }),
    complete("c3", false, "The user cancelled it."),
    event("assistant.message", { content: "Last one.", toolRequests: [request("c4", "x")] }),
    event("tool.execution_start", { toolCallId: "c4", toolName: "bash" }),
  ];
  await using dirTmp = await tempDir({ prefix: "casr-copilot-interrupted-" });
  const dir = dirTmp.path;
  const file = path.join(dir, "events.jsonl");
  await Deno.writeTextFile(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const { session } = await readCopilotSession(file);
  assert.deepEqual(shape(session.messages), [
    "user | run two",
    "assistant | Both. | call c1 | call c2",
    // In the order of the calls, though c2's result is the one in the file.
    `tool |  | result c1=${INTERRUPTED_TOOL_TEXT} (error) | result c2=ok`,
    "user | again",
    "assistant |  | call c3",
    "tool |  | result c3=The user cancelled it. (error)",
    "assistant | Last one. | call c4",
    `tool |  | result c4=${INTERRUPTED_TOOL_TEXT} (error)`,
  ]);
  assert.deepEqual(session.messages.map((m) => m.index), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(session.messages[7]!.timestamp, session.messages[6]!.timestamp);
});

Deno.test("readCopilotSession() reads the genuine messy fixture's cut-off command as Copilot 1.0.102 sent it on resume", async () => {
  const file = path.join(FIXTURES, ".copilot", "session-state", MESSY_ID, "events.jsonl");
  const { session } = await readCopilotSession(file);
  const at = session.messages.findIndex((m) =>
    m.toolCalls.some((c) => JSON.stringify(c.input).includes("tail -f /dev/null"))
  );
  assert.notEqual(at, -1);
  const call = session.messages[at]!.toolCalls[0]!;
  assert.equal(session.messages[at]!.text, "Starting the slow command.");
  assert.deepEqual(session.messages[at + 1]?.toolResults, [
    {
      callId: call.id,
      output: "The execution of this tool, or a previous tool was interrupted.",
      isError: true,
    },
  ]);
  assert.equal(session.messages[at + 2]?.role, "user");
  assert.equal(
    session.messages[at + 2]?.text,
    "Messy step seven: carry on after the interruption.",
  );
  // Every other call has the result the file stores.
  const results = session.messages.flatMap((m) => m.toolResults);
  const calls = session.messages.flatMap((m) => m.toolCalls);
  assert.deepEqual(results.map((r) => r.callId).sort(), calls.map((c) => c.id).sort());
  assert.deepEqual(
    results.filter((r) => r.output === INTERRUPTED_TOOL_TEXT).map((r) => r.callId),
    [call.id],
  );
});

Deno.test("readCopilotSession() takes a call no reply requested from its tool.execution_start (hand-made events)", async () => {
  // Hand-made: the reply requests one call, but two ran (as a public fixture,
  // Mai0313/VibeCodingTracker's copilot.jsonl, has it); a result with no start
  // at all is left to the pipeline's repair.
  const lines = [
    event("session.start", { sessionId: "hand-made", context: { cwd: "/w" } }),
    event("user.message", { content: "look around" }),
    event("assistant.message", { content: "Looking.", toolRequests: [request("c1", "ls")] }),
    event("tool.execution_start", { toolCallId: "c1", toolName: "bash" }),
    event("tool.execution_start", {
      toolCallId: "g1",
      toolName: "glob",
      arguments: { pattern: "**/*.md" },
    }),
    complete("c1", true, "a.md"),
    complete("g1", true, "a.md\nb.md"),
    complete("x1", true, "from nowhere"),
  ];
  await using dirTmp = await tempDir({ prefix: "casr-copilot-started-" });
  const file = path.join(dirTmp.path, "events.jsonl");
  await Deno.writeTextFile(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const { session } = await readCopilotSession(file);
  assert.deepEqual(session.messages[1]?.toolCalls.map((c) => [c.id, c.name, c.input]), [
    ["c1", "bash", { command: "ls" }],
    ["g1", "glob", { pattern: "**/*.md" }],
  ]);
  assert.deepEqual(session.messages[2]?.toolResults.map((r) => r.callId), ["c1", "g1", "x1"]);
});
