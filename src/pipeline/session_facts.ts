/**
 * What the listing keeps of a session read whole: its conversation count, last
 * message time and estimated tokens (see `exact_counts.ts`, which caches them).
 *
 * @module
 */
import { conversationCount } from "../model/normalize.ts";
import type { Message, Warning } from "../model/types.ts";
import type { Provider, ProviderContext } from "../providers/types.ts";
import { messageTokens } from "./budget.ts";
import { heuristicTokens } from "./tokens.ts";

const genericTokens = (text: string): number => heuristicTokens(text, "generic");

/** A session's facts and what its reader skipped, or that the reader failed. */
export type ReadFacts = (SessionFacts & { warnings: Warning[] }) | { failed: true };

/** What the listing keeps of a session read whole. */
export interface SessionFacts {
  /** Conversation messages, as `info` counts them. */
  count: number;
  /** The last message's time, epoch ms, or `null` when no message has one. */
  lastAt: number | null;
  /** Estimated tokens. */
  tokens: number;
}

/**
 * A session's count, last message time and estimated tokens, as cached.
 *
 * @param messages The session's messages, as its reader returned them.
 * @returns The facts.
 */
export function sessionFacts(messages: readonly Message[]): SessionFacts {
  let tokens = 0;
  for (const m of messages) tokens += messageTokens(m, genericTokens);
  return { ...countAndLast(messages), tokens };
}

/**
 * A session's conversation count and last message time: what a read without
 * tool outputs still tells exactly.
 *
 * @param messages The session's messages, as its reader returned them.
 * @returns The count, and the last message's time or `null`.
 */
export function countAndLast(
  messages: readonly Message[],
): { count: number; lastAt: number | null } {
  let lastAt: number | null = null;
  for (const m of messages) {
    if (m.timestamp !== undefined && (lastAt === null || m.timestamp > lastAt)) {
      lastAt = m.timestamp;
    }
  }
  return { count: conversationCount(messages), lastAt };
}

/**
 * Reads a session whole with its provider's reader and keeps its facts.
 *
 * @param provider The session's provider.
 * @param path The session's path.
 * @param ctx Where to read.
 * @returns The facts, and what the reader skipped or guessed.
 * @throws What the reader throws.
 */
export async function readFacts(
  provider: Provider,
  path: string,
  ctx: ProviderContext,
): Promise<SessionFacts & { warnings: Warning[] }> {
  const { session, warnings } = await provider.read(path, ctx);
  return { ...sessionFacts(session.messages), warnings };
}
