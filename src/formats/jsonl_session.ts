/**
 * The read loop every JSONL session reader shares: stream the file, warn
 * about each line that is not JSON and go on, hand every parsed value to the
 * reader, and turn a failed read into a `parse-failed` error.
 *
 * @module
 */
import { type CasrError, parseFailed, readFailed } from "../errors.ts";
import { malformedLineWarning, readJsonLines } from "../internal/jsonl.ts";
import type { OmitRule } from "../internal/json_prune.ts";
import type { Warning } from "../model/types.ts";

/**
 * Reads a JSONL session file leniently: every line that is not JSON becomes a
 * `malformed-line` warning, every other one goes to `visit`, in order.
 *
 * @param path The file.
 * @param warnings Where the warnings go.
 * @param visit Takes one parsed value and its 1-based line number.
 * @param omit Values the reader does not need, left out unparsed (see `readJsonLines`).
 * @returns How many non-blank lines the file has (parsed or not).
 * @throws {CasrError} `parse-failed` when the file cannot be read; a
 * `CasrError` that `visit` throws passes through.
 *
 * @example Usage
 * ```ts
 * import { readJsonlSession } from "./jsonl_session.ts";
 * import type { Warning } from "../model/types.ts";
 * import assert from "node:assert/strict";
 * import * as fs from "node:fs";
 * import * as os from "node:os";
 * import * as path from "node:path";
 *
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), "casr-"));
 * const file = path.join(dir, "s.jsonl");
 * fs.writeFileSync(file, '{"a":1}\nnot json\n{"a":2}\n');
 * const warnings: Warning[] = [];
 * const seen: unknown[] = [];
 * const lines = await readJsonlSession(file, warnings, (value) => void seen.push(value));
 * assert.equal(lines, 3);
 * assert.deepEqual(seen, [{ a: 1 }, { a: 2 }]);
 * assert.equal(warnings[0]?.line, 2);
 * fs.rmSync(dir, { recursive: true });
 * ```
 */
export async function readJsonlSession(
  path: string,
  warnings: Warning[],
  visit: (value: unknown, line: number) => void | Promise<void>,
  omit?: OmitRule,
): Promise<number> {
  let lines = 0;
  try {
    for await (const line of readJsonLines(path, omit)) {
      lines++;
      if (!line.ok) {
        warnings.push(malformedLineWarning(line, path));
        continue;
      }
      await visit(line.value, line.line);
    }
  } catch (error) {
    throw readFailed(path, error);
  }
  return lines;
}

/**
 * The warning for a parsed line a reader passes over:
 * `Skipped line <n> of "<path>": <why>`.
 *
 * @param path The file.
 * @param line The 1-based line number.
 * @param why Why, e.g. `not a Kiro log entry`.
 * @param code The warning code; `malformed-record` unless told.
 * @returns The warning.
 */
export function skippedLine(
  path: string,
  line: number,
  why: string,
  code: Warning["code"] = "malformed-record",
): Warning {
  return { code, message: `Skipped line ${line} of "${path}": ${why}`, line };
}

/**
 * The `parse-failed` error for a file that held nothing a reader could use:
 * `file is empty` when it has no line, else `what`.
 *
 * @param path The file.
 * @param lines How many non-blank lines it has.
 * @param what What is missing, e.g. `no Vibe messages found`.
 * @returns The error, to throw.
 */
export function nothingToRead(path: string, lines: number, what: string): CasrError {
  return parseFailed(path, lines === 0 ? "file is empty" : what);
}
