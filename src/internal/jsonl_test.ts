import assert from "node:assert/strict";
import fc from "fast-check";
import {
  definedFields,
  firstJsonLine,
  headValues,
  jsonLines,
  parseJsonLines,
  parseRecord,
  readJsonLines,
  toJsonLines,
} from "./jsonl.ts";
import { tempDir } from "../../tests/fixture_home.ts";

Deno.test("readJsonLines() streams records and reports bad lines by number", async () => {
  await using dirTmp = await tempDir();
  const dir = dirTmp.path;
  const file = `${dir}/s.jsonl`;
  const big = "x".repeat(200_000);
  await Deno.writeTextFile(file, `{"a":1}\n\nnot json\r\n{"b":"${big}"}\n{"c":"日本語 ✓"}`);
  const lines = [];
  for await (const line of readJsonLines(file)) lines.push(line);
  assert.deepEqual(lines.map((l) => [l.line, l.ok]), [[1, true], [3, false], [4, true], [
    5,
    true,
  ]]);
  assert.equal((lines[2] as { value: { b: string } }).value.b.length, 200_000);
  assert.deepEqual((lines[3] as { value: unknown }).value, { c: "日本語 ✓" });
});

Deno.test("parseJsonLines() and toJsonLines() round-trip with a trailing newline", () => {
  const records = [{ a: 1 }, { b: "two\nlines" }];
  const text = toJsonLines(records);
  assert.ok(text.endsWith("}\n"));
  assert.equal(text.split("\n").length, 3);
  assert.deepEqual(parseJsonLines(text).map((l) => l.ok && l.value), records);
});

Deno.test("headValues() parses the first non-blank lines and leaves out the ones that do not parse", () => {
  const head = '\n{"a":1}\n[2]\n{"cut":\n3\n4';
  assert.deepEqual(headValues(head, 3), [{ a: 1 }, [2]]);
  assert.deepEqual(headValues(head, 10), [{ a: 1 }, [2], 3, 4]);
  assert.deepEqual(headValues("", 5), []);
});

Deno.test("firstJsonLine() parses the first non-blank line, or says it is cut", () => {
  const first = firstJsonLine('  \n{"type":"start"}\n{"type":"next"}');
  assert.deepEqual(first.ok ? first.value : undefined, { type: "start" });
  const cut = firstJsonLine('{"type":"sta');
  assert.equal(cut.ok, false);
  assert.equal(cut.raw, '{"type":"sta');
  assert.equal(firstJsonLine("\n\n").ok, false);
});

Deno.test("definedFields() and parseRecord() drop what is not there", () => {
  assert.deepEqual(definedFields<{ a: number; b?: string }>({ a: 1, b: undefined }), { a: 1 });
  assert.deepEqual(parseRecord('{"x":1}'), { x: 1 });
  assert.equal(parseRecord("[1]"), undefined);
  assert.equal(parseRecord("{cut"), undefined);
});

Deno.test("jsonLines() yields what toJsonLines() joins, a line at a time, again on each iteration", () => {
  fc.assert(
    fc.property(fc.array(fc.jsonValue(), { maxLength: 6 }), (records) => {
      const lines = jsonLines(records);
      const first = [...lines];
      assert.equal(first.join(""), toJsonLines(records));
      assert.deepEqual([...lines], first);
      assert.ok(first.every((l) => l.endsWith("\n") && !l.slice(0, -1).includes("\n")));
    }),
    { numRuns: 500 },
  );
});
