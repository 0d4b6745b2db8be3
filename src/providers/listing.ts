/**
 * Listing helpers shared by the providers that keep one session per file:
 * summarize many files at once, find a session by the id in its file name,
 * and count messages from a head-and-tail sample.
 *
 * @module
 */
import { type FileSample, mapLimit } from "../internal/fast_fs.ts";
import { SCAN_CONCURRENCY } from "../internal/session_index.ts";
import { noteDenied } from "../internal/denied.ts";
import { parseTimestamp } from "../model/normalize.ts";
import type { SessionSummary } from "./types.ts";

/**
 * Summarizes files with bounded concurrency; a file that cannot be summarized
 * (unreadable, not a session) is left out.
 *
 * @param items The files (or whatever `summarize` takes).
 * @param summarize One item's summary, or `undefined`.
 * @returns The summaries, in input order.
 */
export async function summarizeEach<T>(
  items: readonly T[],
  summarize: (item: T) => Promise<SessionSummary | undefined>,
): Promise<SessionSummary[]> {
  const out = await mapLimit(
    items,
    SCAN_CONCURRENCY,
    (item) =>
      summarize(item).catch((error) => {
        if (typeof item === "string") noteDenied(error, item);
        return undefined;
      }),
  );
  return out.filter((s): s is SessionSummary => s !== undefined);
}

/**
 * Finds sessions by an id that their file names carry: the exact id alone
 * when a file has it, else every file whose id starts with the prefix
 * (case-insensitive).
 *
 * @param files The candidate files.
 * @param idOrPrefix A full id or its start.
 * @param idOf The id a file name carries.
 * @param summarize One file's summary.
 * @returns The matching sessions.
 */
export function findByFileId(
  files: readonly string[],
  idOrPrefix: string,
  idOf: (file: string) => string,
  summarize: (file: string) => Promise<SessionSummary | undefined>,
): Promise<SessionSummary[]> {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (wanted === "") return Promise.resolve([]);
  const id = (file: string): string => idOf(file).toLowerCase();
  const exact = files.filter((file) => id(file) === wanted);
  if (exact.length > 0) return summarizeEach(exact, summarize);
  return summarizeEach(files.filter((file) => id(file).startsWith(wanted)), summarize);
}

/**
 * Sets `messageCount` from a head-and-tail sample: exact when the sample is
 * the whole file; else the head's and tail's counts plus the middle
 * extrapolated at the tail's density, with `messageCountEstimated`.
 *
 * @param summary The summary to complete.
 * @param sample The file's sample.
 * @param headCount Messages counted in the head.
 * @param tailCount Messages counted in the tail (0 when the sample is whole).
 *
 * @example
 * ```ts
 * import { setSampledCount } from "./listing.ts";
 * import assert from "node:assert/strict";
 *
 * const summary = { id: "s", provider: "x", path: "/s.jsonl" };
 * const sample = { size: 3000, mtimeMs: 0, whole: false, head: "", headBytes: 1000, tail: "", tailBytes: 1000 };
 * setSampledCount(summary, sample, 4, 10); // 10 per 1000 bytes of tail → 10 more in the middle
 * assert.deepEqual(summary, { ...summary, messageCount: 24, messageCountEstimated: true });
 * ```
 */
export function setSampledCount(
  summary: SessionSummary,
  sample: FileSample,
  headCount: number,
  tailCount: number,
): void {
  if (sample.whole) {
    summary.messageCount = headCount;
    return;
  }
  const middle = Math.max(0, sample.size - sample.headBytes - sample.tailBytes);
  const density = sample.tailBytes > 0 ? tailCount / sample.tailBytes : 0;
  summary.messageCount = headCount + tailCount + Math.round(density * middle);
  summary.messageCountEstimated = true;
}

const TIMESTAMP_KEY = '"timestamp":"';

/**
 * The latest `"timestamp":"…"` value in a piece of a JSONL file, by string
 * scan (no parse): the last activity a listing shows, instead of the file's
 * mtime, which a copy or a checkout resets.
 *
 * @param text Complete lines of the file (its tail, or all of it).
 * @returns Epoch ms, or `undefined` when no line has a timestamp.
 *
 * @example
 * ```ts
 * import { lastTimestampIn } from "./listing.ts";
 * import assert from "node:assert/strict";
 *
 * const text = '{"timestamp":"2026-12-01T10:00:00Z"}\n{"timestamp":"2026-12-01T09:00:00Z"}\n';
 * assert.equal(lastTimestampIn(text), Date.UTC(2026, 11, 1, 10));
 * ```
 */
export function lastTimestampIn(text: string): number | undefined {
  let best: number | undefined;
  for (let i = text.indexOf(TIMESTAMP_KEY); i !== -1; i = text.indexOf(TIMESTAMP_KEY, i + 1)) {
    const start = i + TIMESTAMP_KEY.length;
    const end = text.indexOf('"', start);
    if (end === -1 || end - start > 40) continue;
    const t = parseTimestamp(text.slice(start, end));
    if (t !== undefined && (best === undefined || t > best)) best = t;
  }
  return best;
}
