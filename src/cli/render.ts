/**
 * Human rendering helpers: tables, times, sizes, counts.
 *
 * @module
 */
import { clipText, groupDigits, plural } from "../../mod.ts";

/** The `--json` schema version printed by every command. */
export const SCHEMA_VERSION = 1;

/**
 * Formats epoch ms as `YYYY-MM-DD HH:MM` UTC, or `-`.
 *
 * @param ms Epoch ms.
 * @returns The text.
 */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return "-";
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

/**
 * Formats a time relative to `now`: `just now`, `5m ago`, `3h ago`, `2d ago`,
 * `4mo ago`, `2y ago` (future times read `soon`).
 *
 * @param ms Epoch ms.
 * @param now "Now", epoch ms.
 * @returns The text, or `-`.
 */
export function relativeTime(ms: number | undefined, now: number): string {
  if (ms === undefined) return "-";
  const seconds = Math.round((now - ms) / 1000);
  if (seconds < -60) return "soon";
  if (seconds < 60) return "just now";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  const days = Math.floor(hours / 24);
  if (days < 60) return `${days}d ago`;
  const months = Math.floor(days / 30.44);
  if (months < 24) return `${months}mo ago`;
  return `${Math.floor(days / 365.25)}y ago`;
}

/**
 * Formats a count with thousands separators, as every human output writes it,
 * and the noun after it, plural unless the count is one.
 *
 * @param n The count.
 * @param noun What is counted, singular (`"session"`); none when absent.
 * @returns `10,001`, or `10,001 sessions`.
 */
export function formatCount(n: number, noun?: string): string {
  return noun === undefined ? groupDigits(n) : plural(n, noun);
}

/**
 * Formats a byte count as `12.3 KB`.
 *
 * @param bytes The size.
 * @returns The text.
 */
export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return "-";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Cuts text to one line of at most `width` characters.
 *
 * @param text The text.
 * @param width The maximum width.
 * @returns The cut text, with `…` when cut.
 */
export function oneLine(text: string, width: number): string {
  // Only the start can show: flatten a bounded prefix, unless it flattens to
  // less than fits (then the whole text decides).
  const bound = width * 2 + 16;
  const part = text.length > bound ? text.slice(0, bound) : text;
  let flat = flatten(part);
  if (part !== text && flat.length <= width) flat = flatten(text);
  return clipText(flat, width);
}

/** Whitespace runs as one space, trimmed; most titles have none to fold. */
function flatten(text: string): string {
  return /[^\S ]| {2}/.test(text) ? text.replace(/\s+/g, " ").trim() : text.trim();
}

/**
 * Lays out rows as aligned columns (the last column is not padded).
 *
 * @param header Column titles.
 * @param rows Cell texts.
 * @param style Applied to the header line.
 * @returns The table, one line per row, ending with a newline.
 */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  style: (text: string) => string = (t) => t,
): string {
  const widths = header.map((h) => h.length);
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const length = (row[i] as string).length;
      if (length > (widths[i] ?? 0)) widths[i] = length;
    }
  }
  const line = (cells: readonly string[]): string => {
    let text = "";
    const last = cells.length - 1;
    for (let i = 0; i < last; i++) text += (cells[i] as string).padEnd(widths[i] ?? 0) + "  ";
    return (last >= 0 ? text + (cells[last] as string) : text).trimEnd();
  };
  const lines = new Array<string>(rows.length + 1);
  lines[0] = style(line(header));
  for (let r = 0; r < rows.length; r++) lines[r + 1] = line(rows[r] as readonly string[]);
  return lines.join("\n") + "\n";
}

/** About how much text {@linkcode prettyJson} gathers before handing a piece over. */
const JSON_PIECE_CHARS = 64 * 1024;

/**
 * `JSON.stringify(value, null, 2)` in pieces: an object's array members are
 * stringified one element at a time, so a document with thousands of rows is
 * written as it is made instead of as one string.
 *
 * @param value A JSON value.
 * @returns The pieces; joined, exactly `JSON.stringify(value, null, 2)`.
 *
 * @example
 * ```ts
 * import { prettyJson } from "./render.ts";
 * import assert from "node:assert/strict";
 *
 * const doc = { ok: true, rows: [{ id: "a" }, { id: "b" }] };
 * assert.equal([...prettyJson(doc)].join(""), JSON.stringify(doc, null, 2));
 * ```
 */
export function* prettyJson(value: unknown): Generator<string> {
  if (!isPlainObject(value)) {
    yield JSON.stringify(value, null, 2) ?? "";
    return;
  }
  const entries = Object.entries(value).filter(([, v]) =>
    v !== undefined && typeof v !== "function" && typeof v !== "symbol"
  );
  if (entries.length === 0) {
    yield "{}";
    return;
  }
  let out = "{";
  for (const [i, [key, member]] of entries.entries()) {
    out += `${i === 0 ? "" : ","}\n  ${JSON.stringify(key)}: `;
    if (!Array.isArray(member) || member.length === 0 || hasToJson(member)) {
      out += JSON.stringify(member, null, 2).replaceAll("\n", "\n  ");
      continue;
    }
    out += "[";
    for (let j = 0; j < member.length; j++) {
      out += `${j === 0 ? "" : ","}\n    ${element(member[j])}`;
      if (out.length >= JSON_PIECE_CHARS) {
        yield out;
        out = "";
      }
    }
    out += "\n  ]";
  }
  yield out + "\n}";
}

/**
 * One element of a top-level array, as `JSON.stringify(item, null, 2)` writes
 * it four spaces in. A row of plain values (a listed session) is written here
 * member by member, which is about twice as fast as stringifying it with an
 * indent and indenting its lines again; anything else goes to `JSON.stringify`.
 */
function element(item: unknown): string {
  if (!isPlainObject(item)) {
    // Pretty-printing puts a line break only between tokens, never inside a string.
    return (JSON.stringify(item, null, 2) ?? "null").replaceAll("\n", "\n    ");
  }
  let out = "";
  for (const key of Object.keys(item)) {
    const v = item[key];
    let text: string;
    if (typeof v === "string") text = JSON.stringify(v);
    else if (typeof v === "number") text = Number.isFinite(v) ? String(v) : "null";
    else if (typeof v === "boolean") text = v ? "true" : "false";
    else if (v === null) text = "null";
    else if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
    else {
      const nested = JSON.stringify(v, null, 2);
      if (nested === undefined) continue; // a value whose toJSON gives undefined
      text = nested.replaceAll("\n", "\n      ");
    }
    out += `${out === "" ? "{" : ","}\n      ${JSON.stringify(key)}: ${text}`;
  }
  return out === "" ? "{}" : out + "\n    }";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !hasToJson(value);
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === "function";
}
