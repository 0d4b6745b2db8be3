import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CasrError } from "../errors.ts";
import type { Warning } from "../model/types.ts";
import { nothingToRead, readJsonlSession, skippedLine } from "./jsonl_session.ts";

Deno.test("readJsonlSession() warns about bad lines, visits the rest and counts every line", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "casr-jsonl-"));
  try {
    const file = path.join(dir, "s.jsonl");
    fs.writeFileSync(file, '{"a":1}\n\n{broken\n[2]\n');
    const warnings: Warning[] = [];
    const seen: [unknown, number][] = [];
    const lines = await readJsonlSession(file, warnings, (value, line) => {
      seen.push([value, line]);
    });
    assert.equal(lines, 3);
    assert.deepEqual(seen, [[{ a: 1 }, 1], [[2], 4]]);
    assert.deepEqual(warnings.map((w) => [w.code, w.line]), [["malformed-line", 3]]);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

Deno.test("readJsonlSession() turns a failed read into parse-failed and lets a CasrError through", async () => {
  const missing = path.join(os.tmpdir(), "casr-no-such-dir", "s.jsonl");
  await assert.rejects(
    () => readJsonlSession(missing, [], () => {}),
    (error: unknown) =>
      error instanceof CasrError && error.code === "parse-failed" &&
      error.message.startsWith(`Cannot read session "${missing}": ENOENT`) &&
      error.details.path === missing,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "casr-jsonl-"));
  try {
    const file = path.join(dir, "s.jsonl");
    fs.writeFileSync(file, "{}\n");
    const own = new CasrError("usage", "mine");
    await assert.rejects(() =>
      readJsonlSession(file, [], () => {
        throw own;
      }), (error: unknown) => error === own);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

Deno.test("skippedLine() and nothingToRead() say which line and why", () => {
  assert.deepEqual(skippedLine("/f", 7, "not a record"), {
    code: "malformed-record",
    message: 'Skipped line 7 of "/f": not a record',
    line: 7,
  });
  assert.equal(skippedLine("/f", 7, "x", "unknown-record").code, "unknown-record");
  assert.equal(
    nothingToRead("/f", 0, "no events").message,
    'Cannot read session "/f": file is empty',
  );
  assert.equal(nothingToRead("/f", 3, "no events").message, 'Cannot read session "/f": no events');
});
