/**
 * Calls left without an output read as Codex replays them ("aborted"): a
 * hand-made rollout, then the genuine 0.169.0 messy fixture.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { MISSING_RESULT_TEXT, repairSession } from "../../pipeline/repair.ts";
import type { ProviderContext } from "../types.ts";
import { ABORTED_OUTPUT } from "./aborted.ts";
import { readRollout } from "./reader.ts";
import { messageShapes as shape } from "../../model/testdata/roles.ts";
import { codexTempDir } from "./testdata/temp.ts";

const CTX: ProviderContext = { env: {}, homeDir: "/nonexistent-home", cwd: "/" };
const ID = "019a6f2e-5b1c-7d3e-8f40-1a2b3c4d5e70";
const MESSY = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../fixtures/codex/.codex/sessions/2026/12/06",
  "rollout-2026-12-06T05-12-34-01a249c4-a64a-7ae0-b4f6-ae5ca65ed7a4.jsonl",
);

function item(second: number, payload: object): object {
  const ts = `2026-08-20T14:03:${String(second).padStart(2, "0")}.000Z`;
  return { timestamp: ts, type: "response_item", payload };
}
function user(second: number, text: string): object {
  return item(second, { type: "message", role: "user", content: [{ type: "input_text", text }] });
}
function assistant(second: number, text: string): object {
  return item(second, {
    type: "message",
    role: "assistant",
    content: [{ type: "output_text", text }],
  });
}

/** Writes hand-made rollout lines into a temp Codex home. */
async function handMade(lines: object[]): Promise<string> {
  const dir = await codexTempDir("casr-codex-aborted-");
  const sessions = path.join(dir, ".codex", "sessions", "2026", "08", "20");
  await fs.mkdir(sessions, { recursive: true });
  const file = path.join(sessions, `rollout-2026-08-20T14-03-10-${ID}.jsonl`);
  const meta = {
    timestamp: "2026-08-20T14:03:00.000Z",
    type: "session_meta",
    payload: { id: ID, timestamp: "2026-08-20T14:03:00.000Z", cwd: "/home/dev/proj" },
  };
  await fs.writeFile(file, [meta, ...lines].map((l) => JSON.stringify(l)).join("\n") + "\n");
  return file;
}

Deno.test('readRollout() answers calls left without an output with Codex\'s "aborted" (hand-made rollout)', async () => {
  // Hand-made, shaped after codex-rs ensure_call_outputs_present: function,
  // custom and local-shell calls with a call_id get "aborted" right after them;
  // a local_shell_call without a call_id gets nothing; a web search is its own
  // record; an output written later in the rollout still answers its call.
  const file = await handMade([
    user(1, "run two things"),
    assistant(2, "Running both."),
    item(3, { type: "function_call", call_id: "fc-1", name: "shell", arguments: '{"cmd":"a"}' }),
    item(3, { type: "custom_tool_call", call_id: "ct-1", name: "exec", input: "b()" }),
    item(4, { type: "custom_tool_call_output", call_id: "ct-1", output: "b done" }),
    user(5, "and a local shell"),
    item(6, { type: "local_shell_call", call_id: "ls-1", action: { command: ["sleep", "9"] } }),
    item(6, { type: "local_shell_call", id: "ls-item-2", action: { command: ["true"] } }),
    item(7, { type: "web_search_call", status: "completed", action: { query: "x" } }),
    user(8, "a late output"),
    item(9, { type: "function_call", call_id: "fc-late", name: "shell", arguments: "{}" }),
    assistant(10, "Still waiting."),
    item(11, { type: "function_call_output", call_id: "fc-late", output: "late" }),
    assistant(12, "Done."),
  ]);
  const { session } = await readRollout(file, CTX);
  assert.deepEqual(shape(session.messages), [
    "user | run two things",
    "assistant | Running both. | call fc-1 | call ct-1",
    // In the order of the calls, though the output of the second came first.
    `tool |  | result fc-1=${ABORTED_OUTPUT} (error) | result ct-1=b done`,
    "user | and a local shell",
    "assistant |  | call ls-1 | call ls-item-2 | call line-10",
    // Joined to the web search's own result, in the order of the calls.
    `tool |  | result ls-1=${ABORTED_OUTPUT} (error) | result line-10=Searched the web for "x" (status: completed).\n` +
    "The results went to the model directly; the rollout does not record them.",
    "user | a late output",
    "assistant |  | call fc-late",
    "assistant | Still waiting.",
    "tool |  | result fc-late=late",
    "assistant | Done.",
  ]);
  const aborted = session.messages[2]!.toolResults[0]!;
  assert.equal(aborted.name, "shell");
  // casr's repair answers the call Codex itself leaves unanswered, not the aborted ones.
  const repaired = repairSession(session, 0).session;
  const generic = repaired.messages.flatMap((m) => m.toolResults)
    .filter((r) => r.output === MISSING_RESULT_TEXT).map((r) => r.callId);
  assert.ok(generic.includes("ls-item-2"));
  assert.ok(!generic.includes("fc-1") && !generic.includes("ls-1"), generic.join());
});

Deno.test('readRollout() reads the genuine messy fixture\'s cut-off command as "aborted", as Codex 0.169.0 sent it on resume', async () => {
  const { session } = await readRollout(MESSY, CTX);
  const at = session.messages.findIndex((m) =>
    m.toolCalls.some((c) => typeof c.input === "string" && c.input.includes("tail -f /dev/null"))
  );
  assert.notEqual(at, -1);
  const call = session.messages[at]!.toolCalls[0]!;
  assert.equal(session.messages[at]!.text, "Starting the slow command.");
  const tool = session.messages[at + 1]!;
  assert.equal(tool.role, "tool");
  // A new tool message takes the time of the call.
  assert.equal(tool.timestamp, session.messages[at]!.timestamp);
  assert.deepEqual(tool.toolResults, [
    { callId: call.id, output: "aborted", isError: true, name: "exec" },
  ]);
  assert.equal(session.messages[at + 2]?.text, "Messy step six: carry on after the interruption.");
  // Every other call has its recorded output; none is "aborted".
  const results = session.messages.flatMap((m) => m.toolResults);
  const calls = session.messages.flatMap((m) => m.toolCalls);
  assert.deepEqual(results.map((r) => r.callId).sort(), calls.map((c) => c.id).sort());
  assert.deepEqual(results.filter((r) => r.output === ABORTED_OUTPUT).map((r) => r.callId), [
    call.id,
  ]);
  const { warnings } = repairSession(session, 0);
  assert.ok(!warnings.some((w) => w.code === "missing-tool-result"));
});
