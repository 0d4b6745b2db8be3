/**
 * Small pure helpers that turn native values into canonical ones.
 *
 * @module
 */
import type { Message, Role, Session } from "./types.ts";

/**
 * Flattens a native content value to plain text.
 *
 * Strings pass through. Arrays are flattened item by item and joined with a
 * newline. Objects contribute their `text` (or `content`, `output`, `thinking`)
 * field; anything else contributes nothing.
 *
 * @param content A string, an array of content blocks or parts, or an object.
 * @returns The text the content shows to a reader.
 *
 * @example Anthropic-style blocks
 * ```ts
 * import { flattenContent } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * assert.equal(flattenContent([{ type: "text", text: "a" }, { text: "b" }]), "a\nb");
 * assert.equal(flattenContent("plain"), "plain");
 * ```
 */
export function flattenContent(content: unknown): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  if (typeof content === "number" || typeof content === "boolean") return String(content);
  if (Array.isArray(content)) {
    const parts: string[] = [];
    for (const item of content) {
      const text = flattenContent(item);
      if (text !== "") parts.push(text);
    }
    return parts.join("\n");
  }
  if (typeof content === "object") {
    const record = content as Record<string, unknown>;
    for (const key of ["text", "content", "output", "thinking"]) {
      const value = record[key];
      if (value !== undefined && value !== null) return flattenContent(value);
    }
  }
  return "";
}

const EPOCH_SECONDS_LIMIT = 1e11;
/** The largest time a JavaScript Date can hold, in epoch ms. */
const MAX_DATE_MS = 8.64e15;

/**
 * Parses a native timestamp to epoch milliseconds.
 *
 * Accepts ISO-8601 strings, epoch seconds and epoch milliseconds (as numbers
 * or numeric strings). Numbers below 1e11 are read as seconds. Times a `Date`
 * cannot hold are rejected.
 *
 * @param value The native value.
 * @returns Epoch milliseconds, or `undefined` when the value is not a time.
 *
 * @example Three spellings of one instant
 * ```ts
 * import { parseTimestamp } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseTimestamp("2026-01-02T03:04:05.000Z"), 1767323045000);
 * assert.equal(parseTimestamp(1767323045), 1767323045000);
 * assert.equal(parseTimestamp(1767323045000), 1767323045000);
 * assert.equal(parseTimestamp("yesterday"), undefined);
 * ```
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    const ms = value < EPOCH_SECONDS_LIMIT ? Math.round(value * 1000) : Math.round(value);
    return ms <= MAX_DATE_MS ? ms : undefined;
  }
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  if (trimmed === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return parseTimestamp(Number(trimmed));
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}

const ROLE_ALIASES: Record<string, Role> = {
  user: "user",
  human: "user",
  assistant: "assistant",
  model: "assistant",
  gemini: "assistant",
  agent: "assistant",
  ai: "assistant",
  bot: "assistant",
  tool: "tool",
  function: "tool",
  tool_result: "tool",
  system: "system",
  developer: "system",
};

/**
 * Maps a native role name to a canonical {@linkcode Role}.
 *
 * @param role The native role, e.g. `model`, `gemini`, `developer`.
 * @returns The canonical role; unknown names give `other`.
 *
 * @example Aliases
 * ```ts
 * import { normalizeRole } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * assert.equal(normalizeRole("gemini"), "assistant");
 * assert.equal(normalizeRole("Developer"), "system");
 * assert.equal(normalizeRole("narrator"), "other");
 * ```
 */
export function normalizeRole(role: unknown): Role {
  if (typeof role !== "string") return "other";
  return ROLE_ALIASES[role.trim().toLowerCase()] ?? "other";
}

/**
 * Renumbers messages so `index` is 0-based and dense, in array order.
 *
 * @param messages The messages, in order. They are not modified.
 * @returns New message objects with fresh indexes.
 *
 * @example Dense indexes
 * ```ts
 * import { reindexMessages } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const out = reindexMessages([
 *   { index: 7, role: "user", text: "a", toolCalls: [], toolResults: [] },
 *   { index: 9, role: "assistant", text: "b", toolCalls: [], toolResults: [] },
 * ]);
 * assert.deepEqual(out.map((m) => m.index), [0, 1]);
 * ```
 */
export function reindexMessages(messages: readonly Message[]): Message[] {
  return messages.map((message, index) => ({ ...message, index }));
}

/**
 * How many conversation messages a session has: user, assistant and tool
 * messages (system notes and other records left out). `list`, `info` and the
 * resume line all count this, so the three agree for one session.
 *
 * @param messages The session's messages.
 * @returns The count.
 *
 * @example
 * ```ts
 * import { conversationCount } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const m = (role: "user" | "assistant" | "system") => ({ index: 0, role, text: "", toolCalls: [], toolResults: [] });
 * assert.equal(conversationCount([m("system"), m("user"), m("assistant")]), 2);
 * ```
 */
export function conversationCount(messages: readonly Pick<Message, "role">[]): number {
  let n = 0;
  for (const m of messages) {
    if (m.role === "user" || m.role === "assistant" || m.role === "tool") n++;
  }
  return n;
}

/**
 * The messages of a session that hold an agent's compaction summary of the
 * turns before it (the agent's own account of them, sent to its model in their
 * place). A reader records them as `metadata.compaction.summaryMessageIndexes`.
 *
 * @param session The session.
 * @returns The message indexes, possibly none.
 *
 * @example
 * ```ts
 * import { compactionSummaryIndexes } from "./normalize.ts";
 * import assert from "node:assert/strict";
 *
 * const metadata = { compaction: { summaryMessageIndexes: [1] } };
 * assert.deepEqual(compactionSummaryIndexes({ metadata }), [1]);
 * assert.deepEqual(compactionSummaryIndexes({ metadata: {} }), []);
 * ```
 */
export function compactionSummaryIndexes(session: Pick<Session, "metadata">): number[] {
  const compaction = session.metadata.compaction;
  if (typeof compaction !== "object" || compaction === null) return [];
  const indexes = (compaction as { summaryMessageIndexes?: unknown }).summaryMessageIndexes;
  return Array.isArray(indexes) ? indexes.filter((i): i is number => Number.isInteger(i)) : [];
}

/**
 * The object form of a tool input, for targets whose tool calls take objects
 * (Anthropic `tool_use.input`, Gemini `functionCall.args`). Objects pass
 * through; anything else (a free-form string, an array) becomes `{ input }`.
 *
 * @param input The canonical tool input.
 * @returns A plain object.
 *
 * @example Free-form input
 * ```ts
 * import { toolInputObject } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(toolInputObject("ls -la"), { input: "ls -la" });
 * assert.deepEqual(toolInputObject({ command: "ls" }), { command: "ls" });
 * ```
 */
export function toolInputObject(input: unknown): Record<string, unknown> {
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    return input as Record<string, unknown>;
  }
  return { input };
}

/**
 * Sets a session's `startedAt` and `endedAt` to its earliest and latest
 * message times; leaves them alone when no message has a time.
 *
 * @param session The session (its messages read).
 *
 * @example
 * ```ts
 * import { setTimeSpan } from "./normalize.ts";
 * import type { Session } from "./types.ts";
 * import assert from "node:assert/strict";
 *
 * const m = (timestamp?: number) => ({ index: 0, role: "user" as const, text: "", toolCalls: [], toolResults: [], ...(timestamp === undefined ? {} : { timestamp }) });
 * const session: Session = { id: "s", provider: "x", metadata: {}, messages: [m(5), m(), m(2)] };
 * setTimeSpan(session);
 * assert.deepEqual([session.startedAt, session.endedAt], [2, 5]);
 * ```
 */
export function setTimeSpan(session: Session): void {
  let first: number | undefined;
  let last: number | undefined;
  for (const { timestamp } of session.messages) {
    if (timestamp === undefined) continue;
    if (first === undefined || timestamp < first) first = timestamp;
    if (last === undefined || timestamp > last) last = timestamp;
  }
  if (first !== undefined) session.startedAt = first;
  if (last !== undefined) session.endedAt = last;
}

/**
 * Cuts text to at most `max` characters, ending in `…` when cut, and never
 * between the two halves of a surrogate pair (an emoji cut in half would be
 * invalid Unicode in JSON and in the search index).
 *
 * @param text The text.
 * @param max The most characters (UTF-16 code units) to keep, `…` included.
 * @returns The text, or its cut start and `…`.
 *
 * @example
 * ```ts
 * import { clipText } from "./normalize.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(clipText("short", 80), "short");
 * assert.equal(clipText("abcdef", 4), "abc…");
 * assert.equal(clipText("ab😀cd", 4), "ab…");
 * ```
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * Whether a UTF-16 code unit is the first half of a surrogate pair: text cut
 * right after it would split a character in two.
 *
 * @param code A code unit (`charCodeAt`; `NaN` past the end is not one).
 * @returns `true` for 0xD800–0xDBFF.
 *
 * @example
 * ```ts
 * import { isHighSurrogate } from "./normalize.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isHighSurrogate("😀".charCodeAt(0)), true);
 * assert.equal(isHighSurrogate("😀".charCodeAt(1)), false);
 * assert.equal(isHighSurrogate("a".charCodeAt(0)), false);
 * ```
 */
export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Cuts text into slices of at most `size` UTF-16 units, none ending between
 * the two halves of a surrogate pair: each slice encodes to UTF-8 on its own
 * as the whole text would.
 *
 * @param text The text.
 * @param size The longest slice (at least 2).
 * @returns The slices, in order.
 *
 * @example
 * ```ts
 * import { textSlices } from "./normalize.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([...textSlices("ab😀cd", 3)], ["ab", "😀c", "d"]);
 * ```
 */
export function* textSlices(text: string, size: number): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    yield text.slice(start, end);
    start = end;
  }
}
