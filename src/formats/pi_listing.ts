/**
 * What a session listing reads from the sampled lines of a Pi JSONL file
 * (Pi's own files and OpenClaw's and ClawdBot's copies of the format):
 * the header's workspace and start, the first prompt, the last message time
 * and how many conversation lines there are. No disk access: the callers
 * sample the file.
 *
 * @module
 */
import { parseRecord } from "../internal/jsonl.ts";
import { clipText, parseTimestamp } from "../model/normalize.ts";
import {
  isPiSessionHeader,
  piEntryPrompt,
  piEntryTime,
  type PiSessionHeader,
} from "./pi_entries.ts";

/** What {@linkcode piListingFacts} finds in a Pi session file's sample. */
export interface PiListingFacts {
  /** The header (the file's first line). */
  header: PiSessionHeader;
  /** The header's `cwd`, when it is a non-empty string. */
  workspace?: string;
  /**
   * The earlier of the header's `timestamp` and the first message's in the
   * head, epoch ms: a branched session's file copies older messages under a
   * newer header.
   */
  startedAt?: number;
  /** The first line of the first user message, shortened for a list. */
  prompt?: string;
  /** The time of the last `message` entry (its message's, else its own). */
  lastMessageAt?: number;
  /** Conversation lines in the head. */
  headCount: number;
  /** Conversation lines in the tail. */
  tailCount: number;
}

/** The longest label a listing shows, in characters (a longer one ends in `…`). */
const LABEL_MAX = 80;

/**
 * The first line of a text, shortened to a list label.
 *
 * @param text Any text.
 * @returns The label, or `undefined` when the text is blank.
 *
 * @example
 * ```ts
 * import { shortLabel } from "./pi_listing.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(shortLabel("  fix the bug\nplease"), "fix the bug");
 * assert.equal(shortLabel(" \n"), undefined);
 * ```
 */
export function shortLabel(text: string): string | undefined {
  const first = text.trim().split("\n")[0]?.trim();
  if (!first) return undefined;
  return clipText(first, LABEL_MAX);
}

function isConversationLine(line: string): boolean {
  return /"role":"(user|assistant|toolResult|bashExecution)"/.test(line.slice(0, 4096));
}

function firstPrompt(head: readonly string[]): string | undefined {
  for (const line of head.slice(1, 200)) {
    if (!line.includes('"role":"user"')) continue;
    const prompt = piEntryPrompt(parseRecord(line));
    if (prompt !== undefined) return shortLabel(prompt);
  }
  return undefined;
}

/** The time of the last `message` entry among `lines` (the first, when `last` is false). */
function messageTime(lines: readonly string[], last = true): number | undefined {
  for (let k = 0; k < lines.length; k++) {
    const line = lines[last ? lines.length - 1 - k : k] as string;
    if (!line.includes('"type":"message"')) continue;
    const time = piEntryTime(parseRecord(line));
    if (time !== undefined) return time;
  }
  return undefined;
}

/**
 * Reads a listing's facts from the sampled non-blank lines of a Pi session
 * file.
 *
 * @param head The head's lines (the first one is the header).
 * @param tail The tail's lines (none when the head is the whole file).
 * @returns The facts, or `undefined` when the first line is not a Pi header.
 *
 * @example
 * ```ts
 * import { piListingFacts } from "./pi_listing.ts";
 * import assert from "node:assert/strict";
 *
 * const facts = piListingFacts([
 *   '{"type":"session","id":"s1","cwd":"/w","timestamp":"2026-12-01T10:00:00Z"}',
 *   '{"type":"message","message":{"role":"user","content":"hi"},"timestamp":"2026-12-01T10:05:00Z"}',
 * ], []);
 * assert.equal(facts?.prompt, "hi");
 * assert.equal(facts?.lastMessageAt, Date.UTC(2026, 11, 1, 10, 5));
 * assert.equal(facts?.headCount, 1);
 * ```
 */
export function piListingFacts(
  head: readonly string[],
  tail: readonly string[],
): PiListingFacts | undefined {
  const header = head[0] === undefined ? undefined : parseRecord(head[0]);
  if (!isPiSessionHeader(header)) return undefined;
  const facts: PiListingFacts = {
    header,
    headCount: head.filter(isConversationLine).length,
    tailCount: tail.filter(isConversationLine).length,
  };
  if (typeof header.cwd === "string" && header.cwd !== "") facts.workspace = header.cwd;
  const starts = [parseTimestamp(header.timestamp), messageTime(head.slice(1), false)]
    .filter((t): t is number => t !== undefined);
  if (starts.length > 0) facts.startedAt = Math.min(...starts);
  const prompt = firstPrompt(head);
  if (prompt !== undefined) facts.prompt = prompt;
  const last = messageTime([...head, ...tail]);
  if (last !== undefined) facts.lastMessageAt = last;
  return facts;
}
