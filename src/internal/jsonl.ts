/**
 * Lenient JSON Lines reading shared by every JSONL-based provider.
 *
 * @module
 */
import { readTextChunks } from "./file_reads.ts";
import { collectEvery } from "./runtime.ts";
import { type OmitRule, parseLineOmitting } from "./json_prune.ts";
import type { Warning } from "../model/types.ts";

/**
 * One line of a JSONL file: a parsed value, or why it could not be parsed.
 * `raw` is the line's text; values a reader asked to leave out read as `""`
 * there too.
 */
export type JsonLine =
  | { ok: true; line: number; value: unknown; raw: string }
  | { ok: false; line: number; error: string; raw: string };

/**
 * Streams a JSONL file line by line without loading it whole (it is read a
 * 64 KiB at a time).
 *
 * Blank lines are skipped. A line that is not valid JSON is yielded as
 * `{ ok: false }` with its 1-based line number: one bad line never stops the read.
 *
 * @param path The file to read.
 * @param omit Values the caller does not need, left out of long lines unparsed
 * (they read as `""`); see {@linkcode parseLineOmitting}.
 * @returns The lines, in order.
 */
export function readJsonLines(path: string, omit?: OmitRule): AsyncGenerator<JsonLine> {
  return jsonLinesOf(readTextChunks(path), omit);
}

/**
 * The lines of JSONL text that arrives in pieces (a decompressed file, say),
 * as {@linkcode readJsonLines} yields them.
 *
 * @param chunks The text, in pieces cut anywhere.
 * @param omit Values the caller does not need (see {@linkcode readJsonLines}).
 * @returns The lines, in order.
 */
export async function* jsonLinesOf(
  chunks: AsyncIterable<string>,
  omit?: OmitRule,
): AsyncGenerator<JsonLine> {
  // Pieces of the current line; each chunk is searched once, so a single
  // 50 MB line costs linear time, not a rescan of everything read so far.
  let parts: string[] = [];
  let lineNo = 0;
  // The long lines of a 100 MB session, each one string until parsed, would
  // pile up until the read ends (a 101 MB one measured 50 MB more at its peak).
  const made = collectEvery();
  for await (const chunk of chunks) {
    made(chunk.length);
    let start = 0;
    let newline = chunk.indexOf("\n");
    while (newline !== -1) {
      parts.push(chunk.slice(start, newline));
      const text = parts.length === 1 ? parts[0] as string : parts.join("");
      parts = [];
      lineNo++;
      const parsed = parseLine(text, lineNo, omit);
      if (parsed) yield parsed;
      start = newline + 1;
      newline = chunk.indexOf("\n", start);
    }
    if (start < chunk.length) parts.push(chunk.slice(start));
  }
  if (parts.length > 0) {
    lineNo++;
    const parsed = parseLine(parts.join(""), lineNo, omit);
    if (parsed) yield parsed;
  }
}

/**
 * Parses JSONL text that is already in memory.
 *
 * @param text The whole file content.
 * @param omit Values the caller does not need, as for {@linkcode readJsonLines}.
 * @returns The non-blank lines, parsed or not.
 */
export function parseJsonLines(text: string, omit?: OmitRule): JsonLine[] {
  const out: JsonLine[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const parsed = parseLine(lines[i] ?? "", i + 1, omit);
    if (parsed) out.push(parsed);
  }
  return out;
}

function parseLine(rawLine: string, line: number, omit?: OmitRule): JsonLine | undefined {
  const raw = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
  if (raw.trim() === "") return undefined;
  try {
    return { ok: true, line, value: parseLineOmitting(raw, omit), raw };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, line, error: reason, raw };
  }
}

/**
 * Builds the warning for a line that could not be parsed.
 *
 * @param line The failed line.
 * @param path The file it came from.
 * @returns A `malformed-line` warning naming the line number.
 */
export function malformedLineWarning(
  line: { line: number; error: string },
  path: string,
): Warning {
  return {
    code: "malformed-line",
    message: `Skipped line ${line.line} of "${path}": ${line.error}`,
    line: line.line,
  };
}

/**
 * Serializes records as JSONL: one compact JSON object per line, ending with a newline.
 *
 * @param records The records to write.
 * @returns The file content.
 */
export function toJsonLines(records: readonly unknown[]): string {
  return records.map((record) => JSON.stringify(record)).join("\n") + "\n";
}

/**
 * Records as JSON Lines, as {@linkcode toJsonLines} writes them, but one line
 * at a time as they are read: a file of 100 MB of records is never one string.
 * Each iteration serializes them again.
 *
 * @param records The records to write.
 * @returns The lines, each with its newline.
 *
 * @example
 * ```ts
 * import { jsonLines, toJsonLines } from "./jsonl.ts";
 * import assert from "node:assert/strict";
 *
 * const records = [{ a: 1 }, { b: "two" }];
 * assert.equal([...jsonLines(records)].join(""), toJsonLines(records));
 * ```
 */
export function jsonLines(records: readonly unknown[]): Iterable<string> {
  return {
    *[Symbol.iterator]() {
      if (records.length === 0) yield "\n";
      for (const record of records) yield `${JSON.stringify(record)}\n`;
    },
  };
}

/** Narrows an unknown JSON value to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Returns `value` when it is a non-empty string. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Parses one line as a JSON object, quietly.
 *
 * @param line The text.
 * @returns The object, or `undefined` when the line is not JSON or not an object.
 */
export function parseRecord(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `T` with every optional field also allowed to be `undefined`. */
export type Loose<T> = { [K in keyof T]: T[K] | undefined };

/**
 * Drops the fields whose value is `undefined`, so that facts read from
 * untyped JSON can be gathered in one object literal and still fit a type
 * with optional fields.
 *
 * @param value The fields, some of them `undefined`.
 * @returns A copy without the `undefined` ones.
 *
 * @example
 * ```ts
 * import { definedFields } from "./jsonl.ts";
 * import assert from "node:assert/strict";
 *
 * const row = definedFields<{ id: string; title?: string }>({ id: "a", title: undefined });
 * assert.deepEqual(row, { id: "a" });
 * ```
 */
export function definedFields<T extends object>(value: Loose<T>): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The first non-blank line of a file's head, parsed: what a provider's
 * `claims` looks at. A head cut inside its first line does not parse.
 *
 * @param head The first bytes of a file, as text.
 * @returns The line, with its value when it is JSON.
 *
 * @example
 * ```ts
 * import { firstJsonLine } from "./jsonl.ts";
 * import assert from "node:assert/strict";
 *
 * const first = firstJsonLine('\n{"type":"start"}\n{"type":"next"}');
 * assert.deepEqual(first.ok ? first.value : undefined, { type: "start" });
 * assert.equal(firstJsonLine('{"type":"sta').ok, false);
 * ```
 */
export function firstJsonLine(head: string): JsonLine {
  const raw = head.split("\n").find((l) => l.trim() !== "") ?? "";
  return parseLine(raw, 1) ?? { ok: false, line: 1, error: "no line", raw };
}

/**
 * The JSON values of the first non-blank lines of a file's head, leaving
 * out the ones that do not parse (a cut last line): what a provider's
 * `claims` looks at when one line is not enough.
 *
 * @param head The first bytes of a file, as text.
 * @param max How many non-blank lines to look at.
 * @returns Their values, in order.
 */
export function headValues(head: string, max: number): unknown[] {
  const lines = head.split("\n").filter((l) => l.trim() !== "").slice(0, max);
  return lines.flatMap((line, i) => {
    const parsed = parseLine(line, i + 1);
    return parsed?.ok ? [parsed.value] : [];
  });
}
