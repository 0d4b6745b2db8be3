import assert from "node:assert/strict";
import {
  flattenContent,
  normalizeRole,
  parseTimestamp,
  reindexMessages,
  toolInputObject,
} from "./normalize.ts";
import type { Message } from "./types.ts";

Deno.test("flattenContent() joins text blocks and skips non-text blocks", () => {
  const blocks = [
    { type: "text", text: "first" },
    { type: "image", source: { data: "…" } },
    { type: "tool_result", content: [{ type: "text", text: "nested" }] },
    { text: "" },
  ];
  assert.equal(flattenContent(blocks), "first\nnested");
});

Deno.test("flattenContent() keeps unicode and markdown exactly", () => {
  const text = "héllo wörld — 日本語 ✓\n```ts\n# not a heading\n```";
  assert.equal(flattenContent([{ text }]), text);
  assert.equal(flattenContent(null), "");
  assert.equal(flattenContent(42), "42");
});

Deno.test("parseTimestamp() reads ISO, seconds, milliseconds and numeric strings", () => {
  assert.equal(parseTimestamp("2026-08-20T14:03:11.482Z"), Date.UTC(2026, 7, 20, 14, 3, 11, 482));
  assert.equal(parseTimestamp(1_755_698_591), 1_755_698_591_000);
  assert.equal(parseTimestamp(1_755_698_591.5), 1_755_698_591_500);
  assert.equal(parseTimestamp(1_755_698_591_482), 1_755_698_591_482);
  assert.equal(parseTimestamp("1755698591482"), 1_755_698_591_482);
  assert.equal(parseTimestamp("2026-08-20T16:03:11+02:00"), Date.UTC(2026, 7, 20, 14, 3, 11));
});

Deno.test("parseTimestamp() rejects what is not a time", () => {
  for (
    const bad of [
      "",
      "soon",
      "12:00",
      -5,
      0,
      NaN,
      Infinity,
      null,
      undefined,
      {},
      "2026-13-45T99:99:99Z",
    ]
  ) {
    assert.equal(parseTimestamp(bad), undefined, `value ${String(bad)}`);
  }
});

Deno.test("normalizeRole() maps agent-specific names", () => {
  assert.equal(normalizeRole("user"), "user");
  assert.equal(normalizeRole("human"), "user");
  assert.equal(normalizeRole("model"), "assistant");
  assert.equal(normalizeRole("gemini"), "assistant");
  assert.equal(normalizeRole("agent"), "assistant");
  assert.equal(normalizeRole(" Assistant "), "assistant");
  assert.equal(normalizeRole("developer"), "system");
  assert.equal(normalizeRole("function"), "tool");
  assert.equal(normalizeRole("info"), "other");
  assert.equal(normalizeRole(undefined), "other");
});

Deno.test("reindexMessages() renumbers without touching the input", () => {
  const input: Message[] = [
    { index: 4, role: "user", text: "a", toolCalls: [], toolResults: [] },
    { index: 2, role: "assistant", text: "b", toolCalls: [], toolResults: [] },
  ];
  const out = reindexMessages(input);
  assert.deepEqual(out.map((m) => [m.index, m.text]), [[0, "a"], [1, "b"]]);
  assert.equal(input[0]?.index, 4);
});

Deno.test("toolInputObject() wraps only non-objects", () => {
  assert.deepEqual(toolInputObject({ a: 1 }), { a: 1 });
  assert.deepEqual(toolInputObject("x"), { input: "x" });
  assert.deepEqual(toolInputObject([1, 2]), { input: [1, 2] });
  assert.deepEqual(toolInputObject(null), { input: null });
});

Deno.test("parseTimestamp() rejects times a Date cannot hold", () => {
  assert.equal(parseTimestamp(1e20), undefined);
  assert.equal(parseTimestamp(8.64e15), 8.64e15);
});
