import assert from "node:assert/strict";
import { parseLenientArray } from "./lenient_json.ts";

const PRETTY = JSON.stringify(
  { version: 1, messages: [{ a: 1, t: "x\ny" }, { b: [1, 2] }, { c: { d: "}" } }] },
  null,
  2,
);

Deno.test("parseLenientArray() returns every element of valid JSON", () => {
  const out = parseLenientArray(PRETTY, "messages");
  assert.equal(out.clean, true);
  assert.equal(out.items.length, 3);
  assert.deepEqual(parseLenientArray("[1,2]").items.map((i) => i.value), [1, 2]);
});

Deno.test("parseLenientArray() keeps the elements around a damaged line", () => {
  const lines = PRETTY.split("\n");
  const at = lines.findIndex((l) => l.includes('"b"'));
  lines[at] = lines[at]!.slice(0, 6);
  const out = parseLenientArray(lines.join("\n"), "messages");
  assert.equal(out.clean, false);
  assert.deepEqual(out.items.map((i) => i.index), [0, 2]);
  assert.equal(out.bad.length, 1);
  assert.equal(out.bad[0]!.index, 1);
});

Deno.test("parseLenientArray() salvages a truncated file", () => {
  const out = parseLenientArray(PRETTY.slice(0, PRETTY.indexOf('"c"')), "messages");
  assert.deepEqual(out.items.map((i) => i.value), [{ a: 1, t: "x\ny" }, { b: [1, 2] }]);
  assert.equal(out.bad.length, 1);
});

Deno.test("parseLenientArray() finds the key only at the top level", () => {
  const text = '{"x": {"messages": [9]}, "s": "\\"messages\\": [8]", "messages": [1, {"m": 2}';
  assert.deepEqual(parseLenientArray(text, "messages").items.map((i) => i.value), [1, { m: 2 }]);
  assert.equal(parseLenientArray("{}", "messages").found, false);
  assert.equal(parseLenientArray("nonsense", "messages").found, false);
  assert.equal(parseLenientArray('"str"').found, false);
});
