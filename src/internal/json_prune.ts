/**
 * Parsing a JSON text while leaving some of its values out, unparsed: each
 * value at a listed path reads as `""`. A session line that carries a 50 KB
 * tool output is parsed as if the output were empty, at the cost of finding
 * where the output ends (a search for its closing quote) instead of decoding
 * it into a string.
 *
 * @module
 */

/**
 * Where a value may be left out: object keys and array positions from the
 * root, `"*"` matching any one key or position.
 */
export type OmitPath = readonly string[];

/** What a JSON Lines reader may leave out of each line. */
export interface OmitRule {
  /** The paths whose values read as `""`. */
  paths: readonly OmitPath[];
  /**
   * A line is walked only when one of these strings is in its first
   * {@linkcode HEAD_CHARS} characters: a cheap test that keeps the walk off
   * lines with nothing to leave out. A line it misses is parsed whole, so a
   * marker that comes late costs time, never a value.
   */
  ifHeadContains: readonly string[];
  /** Lines shorter than this are parsed whole; `1024` unless told. */
  minLength?: number;
}

/** How much of a line {@linkcode OmitRule.ifHeadContains} looks at. */
export const HEAD_CHARS = 4096;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COMMA = 44;
const COLON = 58;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The index after the string that opens at `i`, or -1 when it never closes. */
function stringEnd(text: string, i: number): number {
  let j = i;
  for (;;) {
    j = text.indexOf('"', j + 1);
    if (j === -1) return -1;
    let slashes = 0;
    while (text.charCodeAt(j - 1 - slashes) === BACKSLASH) slashes++;
    if ((slashes & 1) === 0) return j + 1;
  }
}

/** The index after the value that starts at `i` (no spaces before it), or -1. */
function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return stringEnd(text, i);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === QUOTE) {
        const end = stringEnd(text, j);
        if (end === -1) return -1;
        j = end - 1;
      } else if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
      else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || isSpace(d)) break;
    j++;
  }
  return j === i ? -1 : j;
}

/**
 * Walks the value at `i` (path depth `depth`), adding the spans of values to
 * leave out to `spans`. Returns the index after the value, or -1 when the text
 * is not the JSON it looked like.
 */
function walk(
  text: string,
  i: number,
  depth: number,
  paths: readonly OmitPath[],
  spans: number[],
): number {
  if (paths.length === 0) return valueEnd(text, i);
  for (const p of paths) {
    if (p.length === depth) {
      const end = valueEnd(text, i);
      if (end !== -1) spans.push(i, end);
      return end;
    }
  }
  const c = text.charCodeAt(i);
  if (c !== OPEN_OBJECT && c !== OPEN_ARRAY) return valueEnd(text, i);
  // An object's members are named by their keys, an array's by their positions.
  const close = c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
  let j = skipSpace(text, i + 1);
  if (text.charCodeAt(j) === close) return j + 1;
  for (let index = 0;; index++) {
    let name: string;
    if (close === CLOSE_ARRAY) name = String(index);
    else {
      if (text.charCodeAt(j) !== QUOTE) return -1;
      const keyEnd = stringEnd(text, j);
      if (keyEnd === -1) return -1;
      name = text.slice(j + 1, keyEnd - 1);
      if (name.includes("\\")) name = JSON.parse(text.slice(j, keyEnd)) as string;
      j = skipSpace(text, keyEnd);
      if (text.charCodeAt(j) !== COLON) return -1;
      j = skipSpace(text, j + 1);
    }
    const next = paths.filter((p) => p[depth] === name || p[depth] === "*");
    j = walk(text, j, depth + 1, next, spans);
    if (j === -1) return -1;
    j = skipSpace(text, j);
    const d = text.charCodeAt(j);
    if (d === close) return j + 1;
    if (d !== COMMA) return -1;
    j = skipSpace(text, j + 1);
  }
}

/**
 * Parses JSON text with the values at `paths` read as `""`, unparsed. Text
 * that the walk cannot follow is parsed whole, so the result (or the error
 * thrown) is `JSON.parse`'s; what is left out is never checked for validity.
 *
 * @param text The JSON text.
 * @param paths Where values may be left out.
 * @returns The parsed value.
 * @throws {SyntaxError} When the text (outside what is left out) is not JSON.
 *
 * @example Usage
 * ```ts
 * import { parseOmitting } from "./json_prune.ts";
 * import assert from "node:assert/strict";
 *
 * const line = '{"type":"tool","out":[{"id":1,"text":"a long output"}]}';
 * assert.deepEqual(parseOmitting(line, [["out", "*", "text"]]), {
 *   type: "tool",
 *   out: [{ id: 1, text: "" }],
 * });
 * ```
 */
export function parseOmitting(text: string, paths: readonly OmitPath[]): unknown {
  const spans: number[] = [];
  const start = skipSpace(text, 0);
  const end = walk(text, start, 0, paths, spans);
  if (end === -1 || spans.length === 0 || skipSpace(text, end) !== text.length) {
    return JSON.parse(text);
  }
  let kept = "";
  let from = 0;
  for (let k = 0; k < spans.length; k += 2) {
    kept += text.slice(from, spans[k]) + '""';
    from = spans[k + 1] as number;
  }
  kept += text.slice(from);
  return JSON.parse(kept);
}

/**
 * Parses one line, leaving out what `rule` allows when the line is long enough
 * and one of its markers is near its start.
 *
 * @param text The line.
 * @param rule What may be left out; `undefined` parses the line whole.
 * @returns The parsed value.
 * @throws {SyntaxError} When the line is not JSON.
 */
export function parseLineOmitting(text: string, rule: OmitRule | undefined): unknown {
  if (rule === undefined || text.length < (rule.minLength ?? 1024)) return JSON.parse(text);
  const head = text.length > HEAD_CHARS ? text.slice(0, HEAD_CHARS) : text;
  if (!rule.ifHeadContains.some((marker) => head.includes(marker))) return JSON.parse(text);
  return parseOmitting(text, rule.paths);
}
