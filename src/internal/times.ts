/**
 * One time per message, for writers whose formats need a timestamp on every record.
 *
 * @module
 */
import type { Message } from "../model/types.ts";

/**
 * Gives every message a time: its own, else the previous known one, else the
 * next known one, else `now`.
 *
 * @param messages The messages.
 * @param now The fallback time, epoch ms.
 * @returns One epoch-ms time per message.
 */
export function fillTimestamps(messages: readonly Message[], now: number): number[] {
  const next: (number | undefined)[] = new Array(messages.length);
  let later: number | undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    later = messages[i]?.timestamp ?? later;
    next[i] = later;
  }
  let previous: number | undefined;
  return messages.map((m, i) => {
    previous = m.timestamp ?? previous ?? next[i] ?? now;
    return previous;
  });
}

/**
 * A time for every message that never goes back: its own when it is not
 * before the previous one's, else the previous one's; before the first known
 * time, that first time; with no time at all, `now`.
 *
 * @param messages The messages, in order.
 * @param now The time when none is known, epoch ms.
 * @returns One non-decreasing epoch-ms time per message.
 *
 * @example Usage
 * ```ts
 * import { nonDecreasingTimes } from "./times.ts";
 * import assert from "node:assert/strict";
 *
 * const m = (timestamp?: number) => ({ index: 0, role: "user" as const, text: "", toolCalls: [], toolResults: [], ...(timestamp === undefined ? {} : { timestamp }) });
 * assert.deepEqual(nonDecreasingTimes([m(), m(5), m(3), m()], 9), [5, 5, 5, 5]);
 * ```
 */
export function nonDecreasingTimes(messages: readonly Message[], now: number): number[] {
  let previous = messages.find((m) => m.timestamp !== undefined)?.timestamp ?? now;
  return messages.map((m) => {
    previous = Math.max(m.timestamp ?? previous, previous);
    return previous;
  });
}
