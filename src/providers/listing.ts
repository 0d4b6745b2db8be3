/**
 * Listing helpers shared by the providers that keep one session per file:
 * summarize many files at once, find a session by the id in its file name,
 * and count messages from a head-and-tail sample.
 *
 * @module
 */
import * as nodePath from "node:path";
import { mapLimit } from "../internal/fast_fs.ts";
import { type FileSample, sampleFile, type SampleFileOptions } from "../internal/file_reads.ts";
import { SCAN_CONCURRENCY } from "../internal/session_index.ts";
import { noteDenied } from "../internal/denied.ts";
import { parseTimestamp } from "../model/normalize.ts";
import type { ProviderContext, SessionSummary } from "./types.ts";

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
 * @param idLead A lead the agent puts before its ids that a prefix may leave out.
 * @returns The matching sessions.
 */
export function findByFileId(
  files: readonly string[],
  idOrPrefix: string,
  idOf: (file: string) => string,
  summarize: (file: string) => Promise<SessionSummary | undefined>,
  idLead = "",
): Promise<SessionSummary[]> {
  return summarizeEach(matchingIds(files, idOrPrefix, idOf, idLead), summarize);
}

/**
 * The items an id or id prefix names (case-insensitive): the ones whose id it
 * is, when there are any; else the ones whose id starts with it (or with
 * `idLead` and it).
 *
 * @param items The candidates.
 * @param idOrPrefix A full id or its start; blank matches nothing.
 * @param idOf An item's id.
 * @param idLead A lead the agent puts before its ids that a prefix may leave out.
 * @returns The matching items, in input order.
 *
 * @example
 * ```ts
 * import { matchingIds } from "./listing.ts";
 * import assert from "node:assert/strict";
 *
 * const ids = ["abc", "abcd", "session_abx"];
 * assert.deepEqual(matchingIds(ids, "ABC", (id) => id), ["abc"]);
 * assert.deepEqual(matchingIds(ids, "ab", (id) => id, "session_"), ids);
 * ```
 */
export function matchingIds<T>(
  items: readonly T[],
  idOrPrefix: string,
  idOf: (item: T) => string,
  idLead = "",
): T[] {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (wanted === "") return [];
  const id = (item: T): string => idOf(item).toLowerCase();
  const exact = items.filter((item) => id(item) === wanted);
  if (exact.length > 0) return exact;
  const lead = idLead.toLowerCase() + wanted;
  return items.filter((item) =>
    id(item).startsWith(wanted) || (idLead !== "" && id(item).startsWith(lead))
  );
}

/** The `list` and `find` of a provider that keeps one session per file. */
export interface FileSessionLister {
  /** Every session: each file's summary (unreadable files left out). */
  list(ctx: ProviderContext): Promise<SessionSummary[]>;
  /** The exact id alone when a file has it, else every id with the prefix. */
  find(ctx: ProviderContext, idOrPrefix: string): Promise<SessionSummary[]>;
}

/** What {@linkcode fileSessionLister} needs to know about a provider. */
export interface FileSessionSource {
  /** Every session file, sorted. */
  files(ctx: ProviderContext): Promise<string[]>;
  /** One file's summary, or `undefined` when it is not a session. */
  summarize(file: string): Promise<SessionSummary | undefined>;
  /** The id a file's path carries; its name without `.jsonl` unless told. */
  idOf?: (file: string) => string;
  /** A lead the agent puts before its ids that a prefix may leave out (`session_`). */
  idLead?: string;
}

/**
 * The `list` and `find` members of a provider that keeps one session per
 * file: list summarizes every file; find matches the ids that the paths
 * carry before it summarizes anything.
 *
 * @param source The provider's files, summary and ids.
 * @returns Both members.
 */
export function fileSessionLister(source: FileSessionSource): FileSessionLister {
  const idOf = source.idOf ?? ((file: string) => nodePath.basename(file, ".jsonl"));
  return {
    list: async (ctx) => summarizeEach(await source.files(ctx), source.summarize),
    find: async (ctx, idOrPrefix) =>
      findByFileId(await source.files(ctx), idOrPrefix, idOf, source.summarize, source.idLead),
  };
}

/** How much of a JSONL session file a summary reads: 64 KiB from each end, whole up to 256 KiB. */
export const JSONL_SAMPLE: SampleFileOptions = {
  headBytes: 64 * 1024,
  tailBytes: 64 * 1024,
  wholeBytes: 256 * 1024,
};

/** A sampled file cut into its non-blank lines. */
export interface SampledLines {
  /** The sample itself. */
  sample: FileSample;
  /** The head's non-blank lines. */
  head: string[];
  /** The tail's non-blank lines (none when the sample is the whole file). */
  tail: string[];
}

/**
 * Samples a file's head and tail (see `sampleFile`) and cuts both into
 * their non-blank lines.
 *
 * @param path The file.
 * @param options How much to read; {@linkcode JSONL_SAMPLE} unless told.
 * @returns The lines, or `undefined` when the file cannot be read.
 */
export async function sampleLines(
  path: string,
  options: SampleFileOptions = JSONL_SAMPLE,
): Promise<SampledLines | undefined> {
  let sample: FileSample;
  try {
    sample = await sampleFile(path, options);
  } catch {
    return undefined;
  }
  const nonBlank = (text: string) => text.split("\n").filter((l) => l.trim() !== "");
  return { sample, head: nonBlank(sample.head), tail: nonBlank(sample.tail) };
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
