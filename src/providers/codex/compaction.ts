/**
 * What Codex replays after a compaction whose `compacted` line has no
 * `replacement_history` (local compaction in 2025 builds): the earlier user
 * messages, newest first up to about 20,000 tokens, then one user message
 * holding the summary. Earlier assistant replies and tool calls are gone.
 * (With a `replacement_history`, that history is the whole new base instead.)
 *
 * @module
 */
import type { Message } from "../../model/types.ts";

/** The budget Codex gives the user messages it keeps, in its approximate tokens. */
export const COMPACT_USER_TOKENS = 20_000;
/** The text Codex puts in the summary message when the summary is empty. */
export const NO_SUMMARY_TEXT = "(no summary available)";
/** The first words of the summary message Codex writes (`summary_prefix.md`). */
export const SUMMARY_PREFIX_START = "Another language model started to solve this problem";

const encoder = new TextEncoder();

/** Codex's approximate token count: UTF-8 bytes / 4, rounded up. */
function approxTokens(text: string): number {
  return Math.ceil(encoder.encode(text).length / 4);
}

/** Keeps the head and tail of `text` within `tokens`, with a marker in the middle. */
function truncateMiddle(text: string, tokens: number): string {
  const total = approxTokens(text);
  if (total <= tokens) return text;
  const keepChars = Math.floor((text.length * tokens) / total / 2);
  const head = text.slice(0, keepChars);
  const tail = keepChars > 0 ? text.slice(text.length - keepChars) : "";
  return `${head}…${total - tokens} tokens truncated…${tail}`;
}

/**
 * The user messages Codex keeps across a compaction: the user-role messages
 * (injected context is role `system` and is left out, as are earlier summaries),
 * newest first until the token budget runs out; the message that crosses the
 * budget is cut in the middle. Codex keeps their text only (no images).
 *
 * @param messages The messages before the compaction.
 * @returns The kept texts with their messages' times, oldest first.
 */
export function keptUserTexts(
  messages: readonly Message[],
): { text: string; timestamp: number | undefined }[] {
  const users = messages.filter((m) =>
    m.role === "user" && m.text !== "" && !m.text.startsWith(SUMMARY_PREFIX_START)
  );
  const kept: { text: string; timestamp: number | undefined }[] = [];
  let left = COMPACT_USER_TOKENS;
  for (let i = users.length - 1; i >= 0 && left > 0; i--) {
    const { text, timestamp } = users[i]!;
    const tokens = approxTokens(text);
    if (tokens <= left) {
      kept.push({ text, timestamp });
      left -= tokens;
    } else {
      kept.push({ text: truncateMiddle(text, left), timestamp });
      break;
    }
  }
  return kept.reverse();
}
