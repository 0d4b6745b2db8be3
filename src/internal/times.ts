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
