import assert from "node:assert/strict";
import { parseJsonLines } from "../../internal/jsonl.ts";
import { foldLegacy, foldLines } from "./fold.ts";

const HEADER = { sessionId: "s1", projectHash: "h", startTime: "2026-08-20T14:03:10.118Z" };

function fold(records: unknown[]) {
  const text = records.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n");
  return foldLines(parseJsonLines(text), "/x/session.jsonl");
}

Deno.test("foldLines() replaces a message with a later line of the same id, in place", async () => {
  const folded = await fold([
    HEADER,
    { id: "a", type: "user", content: "one" },
    { id: "b", type: "gemini", content: "two" },
    { id: "c", type: "user", content: "three" },
    { id: "b", type: "gemini", content: "two", toolCalls: [{ id: "t" }] },
  ]);
  assert.deepEqual(folded.messages.map((m) => m.id), ["a", "b", "c"]);
  assert.deepEqual(folded.messages[1]?.toolCalls, [{ id: "t" }]);
});

Deno.test("foldLines() merges $set metadata and lets $set.messages replace the list", async () => {
  const folded = await fold([
    HEADER,
    { id: "a", type: "user", content: "one" },
    { $set: { summary: "Label", lastUpdated: "2026-08-20T14:04:00.000Z" } },
    { $set: { messages: [{ id: "z", type: "user", content: "snap" }] } },
    { id: "y", type: "gemini", content: "after" },
  ]);
  assert.equal(folded.metadata.summary, "Label");
  assert.equal(folded.metadata.lastUpdated, "2026-08-20T14:04:00.000Z");
  assert.equal(folded.metadata.messages, undefined);
  assert.deepEqual(folded.messages.map((m) => m.id), ["z", "y"]);
});

Deno.test("foldLines() rewinds to a known id and clears everything for an unknown one", async () => {
  const base = [
    HEADER,
    { id: "a", type: "user", content: "one" },
    { id: "b", type: "gemini", content: "two" },
    { id: "c", type: "user", content: "three" },
  ];
  const known = await fold([...base, { $rewindTo: "b" }, { id: "d", type: "user", content: "x" }]);
  assert.deepEqual(known.messages.map((m) => m.id), ["a", "d"]);
  const unknown = await fold([...base, { $rewindTo: "nope" }]);
  assert.deepEqual(unknown.messages, []);
});

Deno.test("foldLines() keeps the first timestamp of ids restamped by a resume snapshot", async () => {
  const folded = await fold([
    HEADER,
    { id: "a", timestamp: "2026-08-20T14:00:00.000Z", type: "user", content: "hi" },
    {
      id: "b",
      timestamp: "2026-08-20T14:00:01.000Z",
      type: "gemini",
      content: "ok",
      model: "m1",
      toolCalls: [{ id: "t", timestamp: "2026-08-20T14:00:02.000Z" }],
    },
    { ...HEADER, startTime: "2026-08-21T09:00:00.000Z" },
    {
      $set: {
        messages: [
          { id: "a", timestamp: "2026-08-21T09:00:00.000Z", type: "user", content: "hi" },
          { id: "b", timestamp: "2026-08-21T09:00:00.000Z", type: "gemini", content: [] },
          { id: "b_response", timestamp: "2026-08-21T09:00:00.000Z", type: "user", content: [] },
          { id: "n", timestamp: "2026-08-21T09:00:00.000Z", type: "user", content: "new" },
        ],
      },
    },
  ]);
  assert.equal(folded.metadata.startTime, "2026-08-21T09:00:00.000Z");
  assert.deepEqual(folded.messages.map((m) => [m.id, m.timestamp]), [
    ["a", "2026-08-20T14:00:00.000Z"],
    ["b", "2026-08-20T14:00:01.000Z"],
    ["b_response", "2026-08-20T14:00:02.000Z"],
    ["n", "2026-08-21T09:00:00.000Z"],
  ]);
  assert.equal(folded.messages[1]?.model, "m1");
});

Deno.test("foldLines() reports malformed lines with their number and reads the rest", async () => {
  const folded = await fold([HEADER, "{not json", { id: "a", type: "user", content: "hi" }]);
  assert.equal(folded.warnings.length, 1);
  assert.equal(folded.warnings[0]?.code, "malformed-line");
  assert.equal(folded.warnings[0]?.line, 2);
  assert.deepEqual(folded.messages.map((m) => m.id), ["a"]);
});

Deno.test("foldLegacy() reads a single-object session and rejects other JSON", () => {
  const folded = foldLegacy({ ...HEADER, messages: [{ id: "a", type: "user", content: "hi" }] });
  assert.equal(folded?.metadata.sessionId, "s1");
  assert.deepEqual(folded?.messages.map((m) => m.id), ["a"]);
  assert.equal(foldLegacy({ projects: {} }), undefined);
});
