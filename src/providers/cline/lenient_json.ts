/**
 * Reading the Cline family's whole-file JSON leniently: when `JSON.parse`
 * fails (a truncated write, a damaged record), the elements of the message
 * array are cut apart with a small scanner and parsed one by one, so one bad
 * record costs only itself.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import { parseFailed } from "../../errors.ts";
import type { Warning } from "../../model/types.ts";

/** One array element that could not be parsed. */
export interface BadElement {
  /** 0-based position in the array. */
  index: number;
  /** 1-based line where the element starts. */
  line: number;
  /** Why it failed. */
  error: string;
}

/** What {@linkcode parseLenientArray} found. */
export interface LenientArray {
  /** Whether the whole text parsed as JSON. */
  clean: boolean;
  /** The top-level value when the text parsed cleanly. */
  value?: unknown;
  /** The elements that parsed, with their array positions. */
  items: { index: number; value: unknown }[];
  /** The elements that did not. */
  bad: BadElement[];
  /** Whether the array was found at all. */
  found: boolean;
}

function isWhitespace(c: string | undefined): boolean {
  return c === " " || c === "\n" || c === "\r" || c === "\t";
}

/**
 * Finds the `[` that opens the array: the top-level value when `key` is
 * undefined, else the value of `key` in the top-level object.
 */
function arrayStart(text: string, key: string | undefined): number {
  let i = 0;
  while (isWhitespace(text[i])) i++;
  if (key === undefined) return text[i] === "[" ? i : -1;
  if (text[i] !== "{") return -1;
  let depth = 0;
  let inString = false;
  let stringStart = -1;
  let lastString = "";
  for (; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"' || c === "\n") {
        inString = false;
        lastString = text.slice(stringStart + 1, i);
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      stringStart = i;
    } else if (c === "{" || c === "[") {
      if (c === "[" && depth === 1 && lastString === key) {
        let j = i - 1;
        while (isWhitespace(text[j])) j--;
        if (text[j] === ":") return i;
      }
      depth++;
    } else if (c === "}" || c === "]") depth--;
    else if (c === ",") lastString = "";
  }
  return -1;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}

/**
 * Parses `text` as JSON and returns the message array in it; when the text is
 * not valid JSON, salvages the array's elements one by one. A newline inside a
 * string ends that string (valid JSON never has one), so damage stays local.
 *
 * @param text The file content.
 * @param key The key of the array in the top-level object; `undefined` when
 * the top-level value is the array itself.
 * @returns The elements found and the ones that failed.
 *
 * @example A damaged middle record
 * ```ts
 * import { parseLenientArray } from "./lenient_json.ts";
 * import assert from "node:assert/strict";
 *
 * const text = '{\n  "messages": [\n    {"a": 1},\n    {"b": \n    {"c": 3}\n  ]\n}';
 * const out = parseLenientArray(text, "messages");
 * assert.deepEqual(out.items.map((i) => i.value), [{ a: 1 }, { c: 3 }]);
 * assert.equal(out.bad.length, 1);
 * ```
 */
export function parseLenientArray(text: string, key?: string): LenientArray {
  try {
    const value: unknown = JSON.parse(text);
    const array = key === undefined
      ? value
      : (typeof value === "object" && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)[key]
        : undefined);
    if (Array.isArray(array)) {
      return {
        clean: true,
        value,
        found: true,
        items: array.map((v, index) => ({ index, value: v })),
        bad: [],
      };
    }
    return { clean: true, value, found: false, items: [], bad: [] };
  } catch {
    // salvage below
  }
  const start = arrayStart(text, key);
  if (start < 0) return { clean: false, found: false, items: [], bad: [] };
  const out: LenientArray = { clean: false, found: true, items: [], bad: [] };
  let depth = 0;
  let inString = false;
  let elementStart = -1;
  let index = 0;
  const finish = (end: number): void => {
    if (elementStart < 0) return;
    const raw = text.slice(elementStart, end).trim();
    if (raw !== "") {
      try {
        out.items.push({ index, value: JSON.parse(raw) });
      } catch (error) {
        out.bad.push({
          index,
          line: lineAt(text, elementStart),
          error: error instanceof Error ? error.message : String(error),
        });
      }
      index++;
    }
    elementStart = -1;
  };
  // The indentation of the first element when it starts a line (pretty-printed
  // files): a later line that opens an object at that indentation starts a new
  // element even when the previous one never closed.
  let indent: string | undefined;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "\n" && indent !== undefined && indent !== "") {
      if (
        elementStart >= 0 && (depth > 0 || inString) && text.startsWith(indent, i + 1) &&
        text[i + 1 + indent.length] === "{"
      ) {
        finish(i);
        depth = 0;
        inString = false;
        continue;
      }
    }
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"' || c === "\n") inString = false;
      continue;
    }
    if (elementStart < 0 && !isWhitespace(c) && !(depth === 0 && (c === "," || c === "]"))) {
      elementStart = i;
      if (indent === undefined) {
        const lineStart = text.lastIndexOf("\n", i - 1) + 1;
        const before = text.slice(lineStart, i);
        indent = /^[ \t]*$/.test(before) && lineStart > start ? before : "";
      }
    }
    if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "]" && depth === 0) {
      finish(i);
      return out;
    } else if (c === "}" || c === "]") {
      // A stray `}` at depth 0 belongs to a damaged element: it ends at the next comma.
      if (depth > 0) depth--;
    } else if (c === "," && depth === 0) finish(i);
  }
  finish(text.length);
  return out;
}

/**
 * Reads a stored message array from a file leniently: the elements that
 * parse, and a `malformed-record` warning for each one that does not.
 *
 * @param file The file.
 * @param key The key of the array when the file holds an object (`messages`).
 * @returns The parse, and the warnings for its bad elements.
 * @throws {CasrError} `parse-failed` when the file cannot be read or holds no such array.
 */
export async function readLenientArrayFile(
  file: string,
  key?: string,
): Promise<{ parsed: LenientArray; warnings: Warning[] }> {
  let text: string;
  try {
    text = await fsp.readFile(file, "utf8");
  } catch (error) {
    throw parseFailed(file, String(error), { cause: error });
  }
  const parsed = parseLenientArray(text, key);
  if (!parsed.found) {
    const missing = key === undefined ? "not a JSON array" : `no "${key}" array`;
    throw parseFailed(file, text.trim() === "" ? "file is empty" : missing);
  }
  const warnings: Warning[] = parsed.bad.map((bad) => ({
    code: "malformed-record",
    message: `Skipped message ${bad.index} of "${file}" (line ${bad.line}): ${bad.error}`,
    line: bad.line,
  }));
  return { parsed, warnings };
}
