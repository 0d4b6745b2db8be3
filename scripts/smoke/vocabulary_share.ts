/**
 * How many of the history tool calls a resumed CLI sent carry the name of a tool that CLI
 * declared in the same request: a model sees calls to tools it knows only when the converted
 * session speaks the target's tool vocabulary.
 *
 * @module
 */

import type { Turn } from "./history.ts";

/** Tool calls in a request's history, and how many name a tool the request declares. */
export interface VocabularyShare {
  /** Tool calls in the history. */
  calls: number;
  /** Of those, calls whose name is among the declared tools. */
  declared: number;
}

/**
 * Counts the history's tool calls whose name the request declares.
 *
 * @param turns The request's history.
 * @param offered The tool names the request declares.
 * @returns The counts.
 */
export function vocabularyShare(
  turns: readonly Turn[],
  offered: readonly string[],
): VocabularyShare {
  const names = new Set(offered);
  let calls = 0;
  let declared = 0;
  for (const turn of turns) {
    for (const call of turn.toolCalls) {
      calls++;
      if (names.has(call.name)) declared++;
    }
  }
  return { calls, declared };
}

/**
 * Renders a share, e.g. `3/3 (100%)`.
 *
 * @param share The counts.
 * @returns The text; `0/0` when the history has no tool call.
 */
export function formatShare(share: VocabularyShare): string {
  if (share.calls === 0) return "0/0";
  return `${share.declared}/${share.calls} (${Math.round((100 * share.declared) / share.calls)}%)`;
}

/**
 * Adds up the shares of several cells (cells without one are skipped).
 *
 * @param shares Per-cell shares.
 * @returns The total counts and how many cells had a share.
 */
export function totalShare(
  shares: readonly (VocabularyShare | undefined)[],
): VocabularyShare & { cells: number } {
  const total = { calls: 0, declared: 0, cells: 0 };
  for (const share of shares) {
    if (share === undefined) continue;
    total.calls += share.calls;
    total.declared += share.declared;
    total.cells++;
  }
  return total;
}
