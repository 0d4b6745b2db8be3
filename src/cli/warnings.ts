/**
 * Warnings for people: each said once, and many of one kind said as one line
 * with a count, the file once and where the first one is. `--json` keeps every
 * warning.
 *
 * @module
 */
import type { Warning } from "../../mod.ts";

/** More warnings of one code than this are summed up in one line. */
export const WARNING_CAP = 3;

/**
 * The warning lines to print (without the `warning:` label): duplicates
 * dropped; a code seen more than {@linkcode WARNING_CAP} times becomes one
 * line, "38 malformed-line warnings in <file>, first at line 3: …", with the
 * file's path said once instead of in every message.
 *
 * @param warnings The warnings, in order.
 * @param file The session file they are about, when known.
 * @returns One text per line, in the order each code first appeared.
 *
 * @example
 * ```ts
 * import { warningLines } from "./warnings.ts";
 * import assert from "node:assert/strict";
 *
 * const bad = (line: number) => ({
 *   code: "malformed-line" as const,
 *   message: `Skipped line ${line} of "/s.jsonl": bad JSON`,
 *   line,
 * });
 * const lines = warningLines([bad(3), bad(3), bad(5), bad(7), bad(9)], "/s.jsonl");
 * assert.deepEqual(lines, [
 *   '4 malformed-line warnings in /s.jsonl, first at line 3: Skipped line 3: bad JSON (--json lists them all)',
 * ]);
 * ```
 */
export function warningLines(warnings: readonly Warning[], file?: string): string[] {
  const seen = new Set<string>();
  const byCode = new Map<string, Warning[]>();
  for (const w of warnings) {
    const key = `${w.code}\0${w.line ?? ""}\0${w.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const group = byCode.get(w.code) ?? [];
    group.push(w);
    byCode.set(w.code, group);
  }
  const out: string[] = [];
  for (const [code, group] of byCode) {
    if (group.length <= WARNING_CAP) {
      out.push(...group.map((w) => w.message));
      continue;
    }
    const first = group[0] as Warning;
    const where = file === undefined ? "" : ` in ${file}`;
    const at = first.line === undefined ? "" : `, first at line ${first.line}`;
    const message = file === undefined ? first.message : withoutPath(first.message, file);
    out.push(`${group.length} ${code} warnings${where}${at}: ${message} (--json lists them all)`);
  }
  return out;
}

function withoutPath(message: string, file: string): string {
  return message.split(` of "${file}"`).join("").split(` "${file}"`).join("");
}
