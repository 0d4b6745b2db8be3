import assert from "node:assert/strict";
import { conversationRecords, type TranscriptRecord } from "./chain.ts";

// Hand-made record lists (shapes as in Claude Code 2.1.x transcripts).
function records(values: Record<string, unknown>[]): TranscriptRecord[] {
  return values.map((value, order) => ({ value, order, line: order + 1 }));
}
const user = (uuid: string, parentUuid: string | null, content: unknown, extra = {}) => ({
  type: "user",
  uuid,
  parentUuid,
  message: { role: "user", content },
  ...extra,
});
const assistant = (uuid: string, parentUuid: string | null, id: string, content: unknown[]) => ({
  type: "assistant",
  uuid,
  parentUuid,
  message: { id, role: "assistant", content },
});
const uuids = (r: { records: TranscriptRecord[] }) =>
  r.records.map((x) => x.value.uuid ?? x.value.type);

Deno.test("conversationRecords() follows the chain of the latest leaf and drops rewound branches", () => {
  const result = conversationRecords(records([
    { type: "queue-operation", operation: "enqueue" },
    user("u1", null, "first"),
    assistant("a1", "u1", "m1", [{ type: "text", text: "one" }]),
    user("u2", "a1", "abandoned edit"),
    assistant("a2", "u2", "m2", [{ type: "text", text: "old" }]),
    user("u3", "a1", "edited prompt"),
    { type: "attachment", uuid: "at1", parentUuid: "u3", attachment: {} },
    assistant("a3", "at1", "m3", [{ type: "text", text: "new" }]),
    { type: "last-prompt", lastPrompt: "edited prompt" },
  ]));
  assert.equal(result.mode, "chain");
  assert.equal(result.leafUuid, "a3");
  assert.deepEqual(uuids(result), ["u1", "a1", "u3", "at1", "a3"]);
  assert.equal(result.offChain, 2);
});

Deno.test("conversationRecords() walks past trailing non-message records to the leaf", () => {
  const result = conversationRecords(records([
    user("u1", null, "hi"),
    assistant("a1", "u1", "m1", [{ type: "text", text: "hello" }]),
    { type: "system", subtype: "stop_hook_summary", uuid: "s1", parentUuid: "a1" },
  ]));
  assert.equal(result.leafUuid, "a1");
  assert.deepEqual(uuids(result), ["u1", "a1"]);
});

Deno.test("conversationRecords() prefers main-line leaves over sidechain and meta leaves", () => {
  const result = conversationRecords(records([
    user("u1", null, "main"),
    assistant("a1", "u1", "m1", [{ type: "text", text: "reply" }]),
    user("u2", "a1", "next"),
    user("s1", "a1", "side", { isSidechain: true }),
    user("meta", "a1", "caveat", { isMeta: true }),
  ]));
  assert.equal(result.leafUuid, "u2");
});

Deno.test("conversationRecords() stops at a compaction boundary", () => {
  const result = conversationRecords(records([
    user("u1", null, "before"),
    assistant("a1", "u1", "m1", [{ type: "text", text: "old" }]),
    {
      type: "system",
      subtype: "compact_boundary",
      uuid: "b1",
      parentUuid: null,
      logicalParentUuid: "a1",
    },
    user("c1", "b1", "This session is being continued…", { isCompactSummary: true }),
    user("u2", "c1", "after"),
    assistant("a2", "u2", "m2", [{ type: "text", text: "new" }]),
  ]));
  assert.deepEqual(uuids(result), ["b1", "c1", "u2", "a2"]);
});

Deno.test("conversationRecords() splices back parallel tool results left off the chain", () => {
  // As claude 2.1.331 writes two parallel calls: each result hangs off its own tool_use record.
  const result = conversationRecords(records([
    user("u1", null, "run two"),
    assistant("t", "u1", "m1", [{ type: "text", text: "Running." }]),
    assistant("c1", "t", "m1", [{ type: "tool_use", id: "call_a", name: "Bash", input: {} }]),
    assistant("c2", "c1", "m1", [{ type: "tool_use", id: "call_b", name: "Bash", input: {} }]),
    user("r1", "c1", [{ type: "tool_result", tool_use_id: "call_a", content: "A" }]),
    user("r2", "c2", [{ type: "tool_result", tool_use_id: "call_b", content: "B" }]),
    { type: "attachment", uuid: "x", parentUuid: "r2" },
    assistant("a2", "x", "m2", [{ type: "text", text: "done" }]),
  ]));
  assert.deepEqual(uuids(result), ["u1", "t", "c1", "c2", "r1", "r2", "x", "a2"]);
  assert.equal(result.recovered, 1);
  assert.equal(result.offChain, 0);
});

Deno.test("conversationRecords() splices back a parallel call whose result was written first", () => {
  // As claude 2.1.331 wrote the multi-tool fixture: the second call failed fast, so its result
  // came first; the next turn continues from the first call's result, leaving the second
  // tool_use record and its result on a side branch.
  const result = conversationRecords(records([
    user("u1", null, "run two"),
    assistant("old", "u1", "m0", [{ type: "tool_use", id: "call_z", name: "Bash", input: {} }]),
    assistant("t", "u1", "m1", [{ type: "text", text: "Running." }]),
    assistant("c1", "t", "m1", [{ type: "tool_use", id: "call_a", name: "Bash", input: {} }]),
    assistant("c2", "c1", "m1", [{ type: "tool_use", id: "call_b", name: "Bash", input: {} }]),
    user("r2", "c2", [{
      type: "tool_result",
      tool_use_id: "call_b",
      content: "B",
      is_error: true,
    }]),
    user("r1", "c1", [{ type: "tool_result", tool_use_id: "call_a", content: "A" }]),
    { type: "attachment", uuid: "x", parentUuid: "r1" },
    assistant("a2", "x", "m2", [{ type: "text", text: "done" }]),
  ]));
  assert.equal(result.leafUuid, "a2");
  assert.deepEqual(uuids(result), ["u1", "t", "c1", "c2", "r2", "r1", "x", "a2"]);
  assert.equal(result.recovered, 2);
  // A tool_use of another reply on a dead branch stays off the chain.
  assert.equal(result.offChain, 1);
});

Deno.test("conversationRecords() reads unlinked records in file order", () => {
  const result = conversationRecords(records([
    { type: "user", uuid: "u1", message: { role: "user", content: "What is 2+2?" } },
    { type: "assistant", message: { role: "assistant", content: [{ type: "text", text: "4" }] } },
    { type: "custom-title", customTitle: "t" },
  ]));
  assert.equal(result.mode, "file-order");
  assert.equal(result.records.length, 2);
});

Deno.test("conversationRecords() survives parent cycles", () => {
  const result = conversationRecords(records([
    user("u1", "a1", "loop"),
    assistant("a1", "u1", "m1", [{ type: "text", text: "loop" }]),
  ]));
  assert.ok(result.records.length <= 2);
});

Deno.test("conversationRecords() walks through a linked record of a type it does not read", () => {
  // Hand-made: a record type casr does not know (a later Claude Code's, say) in the middle of the chain.
  const result = conversationRecords(records([
    user("u1", null, "first"),
    assistant("a1", "u1", "m1", [{ type: "text", text: "one" }]),
    { type: "file-history-delta", uuid: "d1", parentUuid: "a1", changes: [] },
    user("u2", "d1", "second"),
    assistant("a2", "u2", "m2", [{ type: "text", text: "two" }]),
  ]));
  assert.equal(result.mode, "chain");
  assert.deepEqual(uuids(result), ["u1", "a1", "u2", "a2"], "the link is walked, not read");
  assert.equal(result.offChain, 0);
  assert.equal(result.broken, undefined);
});

Deno.test("conversationRecords() says where the chain breaks off and how much it leaves out", () => {
  const result = conversationRecords(records([
    user("u1", null, "first"),
    assistant("a1", "u1", "m1", [{ type: "text", text: "one" }]),
    user("u2", "gone", "second"),
    assistant("a2", "u2", "m2", [{ type: "text", text: "two" }]),
  ]));
  assert.deepEqual(uuids(result), ["u2", "a2"]);
  assert.deepEqual(result.broken, { parent: "gone", line: 3, leftOut: 2 });
});

Deno.test("conversationRecords() reads in file order when most prompts and replies have no parent", () => {
  // As claude-code-log's hand-written edge-case transcript: parentUuid null nearly everywhere.
  const result = conversationRecords(records([
    user("u1", null, "first"),
    assistant("a1", null, "m1", [{ type: "text", text: "one" }]),
    user("u2", null, "second"),
    assistant("a2", null, "m2", [{ type: "text", text: "two" }]),
    user("u3", "a2", "third"),
  ]));
  assert.equal(result.mode, "file-order");
  assert.deepEqual(uuids(result), ["u1", "a1", "u2", "a2", "u3"]);
});

Deno.test("conversationRecords() keeps the chain of a transcript compacted twice", () => {
  const boundary = (uuid: string, logical: string) => ({
    type: "system",
    subtype: "compact_boundary",
    uuid,
    parentUuid: null,
    logicalParentUuid: logical,
  });
  // Summaries written with no parent after each boundary still count as one conversation.
  const result = conversationRecords(records([
    user("u1", null, "before"),
    assistant("a1", "u1", "m1", [{ type: "text", text: "old" }]),
    boundary("b1", "a1"),
    user("c1", null, "Summary one", { isCompactSummary: true }),
    assistant("a2", "c1", "m2", [{ type: "text", text: "middle" }]),
    boundary("b2", "a2"),
    user("c2", null, "Summary two"),
    user("u3", "c2", "after"),
    assistant("a3", "u3", "m3", [{ type: "text", text: "new" }]),
  ]));
  assert.equal(result.mode, "chain");
  assert.deepEqual(uuids(result), ["c2", "u3", "a3"]);
  assert.equal(result.broken, undefined);
});
