/**
 * Which stored messages an OpenCode-store agent sends to its model when it
 * resumes a compacted session, and in which order (OpenCode 1.18.33's
 * `filterCompacted`, read in its bundled source; Kilo CLI 7.x is the same code).
 *
 * Compaction writes a user message with a `compaction` part, then an assistant
 * reply with `summary: true` (the summary), then, after an automatic
 * compaction, a synthetic user turn ("Continue if you have next steps…") and
 * its reply. Walking from the newest message back, the agent stops at the
 * latest compaction whose summary finished (`finish` set, no `error`): older
 * messages are not sent. When the compaction part names a `tail_start_id`,
 * the messages from that id up to the compaction are kept too, and sent after
 * the summary: compaction request, summary, kept tail, then the later turns.
 *
 * @module
 */
import { str } from "../../internal/jsonl.ts";
import type { NativeMessage } from "./history.ts";

/** What {@linkcode sentMessages} chose. */
export interface SentMessages {
  /** The messages the agent sends, in the order it sends them. */
  messages: NativeMessage[];
  /** How many stored messages were left out (summarized away). */
  dropped: number;
  /** The id of the compaction request the history starts at, when there is one. */
  compactionId?: string;
}

function compactionPart(message: NativeMessage): Record<string, unknown> | undefined {
  return message.parts.find((p) => p.data.type === "compaction")?.data;
}

function isCompleteSummary(message: NativeMessage): boolean {
  const info = message.info;
  return info.role === "assistant" && Boolean(info.summary) && Boolean(info.finish) &&
    !info.error;
}

/**
 * Picks the messages the agent sends on resume.
 *
 * @param natives Every stored message, oldest first.
 * @returns The messages sent, in order, and how many were left out.
 */
export function sentMessages(natives: readonly NativeMessage[]): SentMessages {
  const kept: NativeMessage[] = [];
  const completed = new Set<string>();
  let retain: string | undefined;
  let compactionId: string | undefined;
  for (let i = natives.length - 1; i >= 0; i--) {
    const message = natives[i] as NativeMessage;
    kept.push(message);
    if (retain !== undefined) {
      if (message.id === retain) break;
      continue;
    }
    if (message.info.role === "user" && completed.has(message.id)) {
      const part = compactionPart(message);
      if (part === undefined) continue;
      compactionId = message.id;
      const tail = str(part.tail_start_id);
      if (tail === undefined || tail === message.id) break;
      retain = tail;
      continue;
    }
    if (isCompleteSummary(message)) {
      const parent = str(message.info.parentID);
      if (parent !== undefined) completed.add(parent);
    }
  }
  kept.reverse();
  const dropped = natives.length - kept.length;
  const result: SentMessages = { messages: kept, dropped };
  if (compactionId !== undefined) result.compactionId = compactionId;

  // With a kept tail: the compaction request and its summary go first, then the tail.
  const at = kept.findLastIndex((m) =>
    m.info.role === "user" && str(compactionPart(m)?.tail_start_id) !== undefined
  );
  if (at < 0) return result;
  const request = kept[at] as NativeMessage;
  const summaryAt = kept.findIndex((m, i) =>
    i > at && m.info.role === "assistant" && m.info.summary === true &&
    m.info.parentID === request.id
  );
  const tailAt = kept.findIndex((m) => m.id === compactionPart(request)?.tail_start_id);
  if (tailAt >= 0 && tailAt < at && summaryAt > at) {
    result.messages = [
      ...kept.slice(at, summaryAt + 1),
      ...kept.slice(tailAt, at),
      ...kept.slice(summaryAt + 1),
    ];
  }
  return result;
}
