/**
 * What of a session the search index holds: its user text, assistant text and
 * tool calls (names and inputs), each as one column of text.
 *
 * @module
 */
import type { Session } from "../model/types.ts";
import { spaceCjk } from "../internal/fts_query.ts";
import { countAndLast } from "./session_facts.ts";

/** At most this many characters per column (a pathological session stays bounded). */
export const MAX_COLUMN_CHARS = 4_000_000;

/** The indexed text of a session. */
export interface SessionText {
  /** The user messages' text. */
  user: string;
  /** The assistant messages' text. */
  assistant: string;
  /** Each tool call's name and the strings of its input. */
  tool: string;
}

/**
 * Collects the strings of a tool input (object values and array items, not keys).
 *
 * @param input The input.
 * @param out Where to put them.
 */
function inputStrings(input: unknown, out: string[]): void {
  if (typeof input === "string") out.push(input);
  else if (typeof input === "number" || typeof input === "boolean") out.push(String(input));
  else if (Array.isArray(input)) { for (const item of input) inputStrings(item, out); }
  else if (input !== null && typeof input === "object") {
    for (const value of Object.values(input)) inputStrings(value, out);
  }
}

function column(parts: readonly string[]): string {
  let text = parts.filter((p) => p.trim() !== "").join("\n");
  if (text.length > MAX_COLUMN_CHARS) text = text.slice(0, MAX_COLUMN_CHARS);
  return spaceCjk(text);
}

/**
 * The text the index holds of a session. CJK characters are spaced out (see
 * `spaceCjk`).
 *
 * @param session The session as its provider read it.
 * @returns The three columns.
 */
export function sessionText(session: Session): SessionText {
  const user: string[] = [];
  const assistant: string[] = [];
  const tool: string[] = [];
  for (const m of session.messages) {
    if (m.role === "user") user.push(m.text);
    else if (m.role === "assistant") assistant.push(m.text);
    for (const call of m.toolCalls) {
      const strings: string[] = [call.name];
      inputStrings(call.input, strings);
      tool.push(strings.join(" "));
    }
  }
  return { user: column(user), assistant: column(assistant), tool: column(tool) };
}

/**
 * The indexed text as UTF-8: what a worker thread hands over. Its buffers are
 * moved to the thread that writes the index rather than copied, and SQLite
 * takes them as they are (a string would be copied on the way and turned into
 * UTF-8 again when bound).
 */
export interface EncodedText {
  /** The user messages' text. */
  user: Uint8Array;
  /** The assistant messages' text. */
  assistant: Uint8Array;
  /** The tool calls' names and inputs. */
  tool: Uint8Array;
}

/**
 * Encodes a session's indexed text as UTF-8 (a lone surrogate becomes U+FFFD,
 * as it would when SQLite took the string).
 *
 * @param text The text.
 * @returns The same columns as bytes, each in a buffer of its own.
 */
export function encodeText(text: SessionText): EncodedText {
  const encoder = new TextEncoder();
  return {
    user: encoder.encode(text.user),
    assistant: encoder.encode(text.assistant),
    tool: encoder.encode(text.tool),
  };
}

/** What a text-only read gives the index, and the listing. */
export interface TextRead {
  /** The indexed text, as strings or (from a worker thread) as UTF-8. */
  text: SessionText | EncodedText;
  /** Conversation messages: a text-only read counts them as a whole read does. */
  count: number;
  /** The last message's time, epoch ms, or `null`. */
  lastAt: number | null;
}

/**
 * The index's text of a session read without its tool outputs, with its exact
 * count and last message time.
 *
 * @param session The session as its provider read it (`textOnly` or not).
 * @returns The text, count and time.
 */
export function textRead(session: Session): TextRead & { text: SessionText } {
  return { text: sessionText(session), ...countAndLast(session.messages) };
}
