import assert from "node:assert/strict";
import { parseJsonLines, readJsonLines, toJsonLines } from "./jsonl.ts";

Deno.test("readJsonLines() streams records and reports bad lines by number", async () => {
  const dir = await Deno.makeTempDir();
  try {
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
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseJsonLines() and toJsonLines() round-trip with a trailing newline", () => {
  const records = [{ a: 1 }, { b: "two\nlines" }];
  const text = toJsonLines(records);
  assert.ok(text.endsWith("}\n"));
  assert.equal(text.split("\n").length, 3);
  assert.deepEqual(parseJsonLines(text).map((l) => l.ok && l.value), records);
});
