/**
 * Exact message counts and last-message times for listed sessions: a session
 * whose file is small enough is read by its provider's own reader, so `list`
 * shows the count `info` and the resume line show (user, assistant and tool
 * messages) and the time of the last message rather than the file's mtime.
 * Results are cached next to the index cache by path and id, valid while the
 * file's size and mtime stay the same (for a session in a shared database:
 * while the listing's count and time for it do), so a warm `list` reads
 * nothing again.
 *
 * @module
 */
import { createHash } from "node:crypto";
import * as nodePath from "node:path";
import { ignoringDenied } from "../internal/denied.ts";
import type { Message, Warning } from "../model/types.ts";
import type { Provider, ProviderContext, SessionSummary } from "../providers/types.ts";
import { type ReadFacts, readFacts, sessionFacts } from "./session_facts.ts";
import { OFFLOAD_MIN, SCAN_CONCURRENCY } from "../internal/session_index.ts";
import {
  type FileStat,
  mapLimit,
  readTextIfExists,
  statFileSync,
  writeTextAtomic,
} from "../internal/fast_fs.ts";

/** Session files up to this size are read whole for an exact count (as the summarizers do). */
export const EXACT_COUNT_BYTES = 256 * 1024;

/** Raise when what is cached changes. */
export const EXACT_CACHE_FORMAT = 2;

/**
 * Estimated tokens per byte of a session file, for a file too large to read
 * while listing when no session of its agent was read to measure it: session
 * files carry much besides the conversation (JSON keys, ids, metadata).
 */
const DEFAULT_TOKENS_PER_BYTE = 0.12;

/** Readers run at once: reading is CPU-bound, so a few suffice. */
const READ_CONCURRENCY = 4;

/**
 * A cached result: size, mtime, count, last message time (or null), estimated
 * tokens (null when the session was read without its tool outputs, by the
 * search index: its tokens are then estimated from its size).
 */
type Entry = [
  size: number,
  mtimeMs: number,
  count: number,
  lastAt: number | null,
  tokens: number | null,
];
// (For a session in a shared database the first two are the listing's count and time.)

/** What {@linkcode exactCounts} did, for logs. */
export interface ExactCountStats {
  /** Sessions whose count came from the cache. */
  hits: number;
  /** Sessions read by the reader. */
  reads: number;
  /** Sessions left with the listing's own figures (file too large, estimated, or not a file). */
  skipped: number;
  /** Sessions the reader could not read (their listing figures stay). */
  failed: number;
}

/** Options for {@linkcode exactCounts}. */
export interface ExactCountOptions {
  /** The cache directory; no cache when absent. */
  cacheDir?: string;
  /** The stats the listing just took, by path, so no file is stat-ed twice. */
  fileStats?: ReadonlyMap<string, FileStat>;
  /**
   * Sessions already read, by path (a worker reads a small file's facts with
   * its summary): used instead of reading them again.
   */
  readAlready?: ReadonlyMap<string, ReadFacts>;
  /** Told what the reader skipped or guessed in each session it read (for logs). */
  onRead?: (summary: SessionSummary, warnings: readonly Warning[]) => void;
  /**
   * Reads a session somewhere else (a worker thread); used when at least
   * {@linkcode OFFLOAD_MIN} sessions need reading. `undefined` from it: the
   * session is read here.
   */
  readElsewhere?: (
    summary: SessionSummary,
  ) => Promise<ReadFacts | undefined>;
}

function cacheFile(dir: string, provider: Provider, ctx: ProviderContext): string {
  const hash = createHash("sha256").update(provider.roots(ctx).join("\0")).digest("hex");
  return nodePath.join(dir, `exact-${provider.id}-${hash.slice(0, 16)}.json`);
}

async function loadEntries(file: string): Promise<Record<string, Entry>> {
  const text = await ignoringDenied(() => readTextIfExists(file));
  if (text === undefined) return {};
  try {
    const value = JSON.parse(text) as { format?: unknown; entries?: unknown };
    if (
      value.format === EXACT_CACHE_FORMAT && typeof value.entries === "object" &&
      value.entries !== null && !Array.isArray(value.entries)
    ) {
      return value.entries as Record<string, Entry>;
    }
  } catch {
    // corrupt: rebuilt
  }
  return {};
}

function isEntry(value: unknown, valid: [number, number]): value is Entry {
  return Array.isArray(value) && value.length === 5 && value[0] === valid[0] &&
    value[1] === valid[1] && typeof value[2] === "number" &&
    (typeof value[4] === "number" || value[4] === null);
}

/** The file whose size and mtime key a session: the path, or the database of `<db>#<id>`. */
function keyStat(
  path: string,
  known?: ReadonlyMap<string, FileStat>,
): { stat: FileStat | undefined; own: boolean } {
  const stat = known?.get(path) ?? statFileSync(path);
  const hash = path.lastIndexOf("#");
  if (stat !== undefined || hash === -1) return { stat, own: true };
  return { stat: statFileSync(path.slice(0, hash)), own: false };
}

/**
 * What a cached result is valid for: a file of its own by its size and mtime;
 * a session in a shared database (which changes whenever any of its sessions
 * does) by the listing's own count and time for that session, so one new
 * session does not make every other one be read again.
 */
function validity(
  summary: Pick<SessionSummary, "messageCount" | "lastActiveAt">,
  stat: FileStat,
  own: boolean,
): [number, number] {
  return own
    ? [stat.size, Math.floor(stat.mtimeMs)]
    : [summary.messageCount ?? -1, Math.floor(summary.lastActiveAt ?? 0)];
}

/**
 * Puts a read's figures on a listed summary: its count and last message time
 * exactly, and its tokens when the read counted them.
 *
 * @param summary The summary (changed in place).
 * @param count Conversation messages.
 * @param lastAt The last message's time, or `null` (the listing's time stays).
 * @param tokens Estimated tokens, or `null` (the listing's estimate stays).
 */
export function applyCounts(
  summary: SessionSummary,
  count: number,
  lastAt: number | null,
  tokens: number | null,
): void {
  summary.messageCount = count;
  // Deleting a property the object lacks still costs (and one it has makes it slower to read).
  if (summary.messageCountEstimated !== undefined) delete summary.messageCountEstimated;
  if (lastAt !== null) summary.lastActiveAt = lastAt;
  if (tokens === null) return;
  summary.tokens = tokens;
  if (summary.tokensEstimated !== undefined) delete summary.tokensEstimated;
}

/**
 * Replaces each small session's listed message count with its reader's count
 * of conversation messages, and its last activity with its last message's
 * time. A session in a file of its own larger than {@linkcode EXACT_COUNT_BYTES},
 * or whose count the listing estimated, keeps the listing's (head-and-tail)
 * figures; a session in a database shared with others is read on its own.
 *
 * @param provider The provider that listed them.
 * @param ctx Where to look.
 * @param summaries Its summaries (changed in place).
 * @param options Where the cache lives.
 * @returns What was read and what came from the cache.
 */
export async function exactCounts(
  provider: Provider,
  ctx: ProviderContext,
  summaries: SessionSummary[],
  options: ExactCountOptions = {},
): Promise<ExactCountStats> {
  const stats: ExactCountStats = { hits: 0, reads: 0, skipped: 0, failed: 0 };
  const file = options.cacheDir === undefined
    ? undefined
    : cacheFile(options.cacheDir, provider, ctx);
  const old = file === undefined ? {} : await loadEntries(file);
  // The cached entries still valid, by key: the cache is written again (from
  // these and the new reads) only when something changed.
  const kept: string[] = [];
  const read: Array<[string, Entry]> = [];
  const todo: Array<
    { summary: SessionSummary; key: string; valid: [number, number]; size: number | undefined }
  > = [];
  const large: Array<{ summary: SessionSummary; size: number }> = [];
  let measuredTokens = 0;
  let measuredBytes = 0;
  for (const summary of summaries) {
    // `<database>#<id>`: a session in a database shared with others, read on its
    // own whatever the database's size.
    const { stat, own } = keyStat(summary.path, options.fileStats);
    if (stat === undefined || !stat.isFile) {
      stats.skipped++;
      continue;
    }
    const key = `${summary.path}\0${summary.id}`;
    const valid = validity(summary, stat, own);
    const entry: unknown = Object.hasOwn(old, key) ? old[key] : undefined;
    if (isEntry(entry, valid)) {
      // Also a large session that `info` read whole since it last changed.
      stats.hits++;
      kept.push(key);
      applyCounts(summary, entry[2], entry[3], entry[4]);
      if (entry[4] === null) {
        if (own) large.push({ summary, size: stat.size });
      } else if (own && stat.size <= EXACT_COUNT_BYTES) {
        measuredTokens += entry[4];
        measuredBytes += stat.size;
      }
      continue;
    }
    if (summary.messageCountEstimated === true || (own && stat.size > EXACT_COUNT_BYTES)) {
      stats.skipped++;
      if (own) large.push({ summary, size: stat.size });
      continue;
    }
    todo.push({ summary, key, valid, size: own ? stat.size : undefined });
  }
  const elsewhere = todo.length >= OFFLOAD_MIN ? options.readElsewhere : undefined;
  const readHere = (summary: SessionSummary): Promise<ReadFacts> =>
    readFacts(provider, summary.path, ctx).catch(() => ({ failed: true as const }));
  const concurrency = elsewhere === undefined ? READ_CONCURRENCY : SCAN_CONCURRENCY;
  await mapLimit(todo, concurrency, async ({ summary, key, valid, size }) => {
    const done = options.readAlready?.get(summary.path) ?? await elsewhere?.(summary) ??
      await readHere(summary);
    if ("failed" in done) {
      stats.failed++;
      return;
    }
    const { count, lastAt, tokens, warnings } = done;
    options.onRead?.(summary, warnings);
    stats.reads++;
    read.push([key, [valid[0], valid[1], count, lastAt, tokens]]);
    applyCounts(summary, count, lastAt, tokens);
    if (size !== undefined) {
      measuredTokens += tokens;
      measuredBytes += size;
    }
  });
  // Too large to read while listing: tokens in proportion to the file, at the
  // rate this agent's sessions read just now show (else a typical one).
  const rate = measuredBytes > 64 * 1024 ? measuredTokens / measuredBytes : DEFAULT_TOKENS_PER_BYTE;
  for (const { summary, size } of large) {
    summary.tokens = Math.round(size * rate);
    summary.tokensEstimated = true;
  }
  if (file !== undefined && (todo.length > 0 || Object.keys(old).length !== stats.hits)) {
    const next: Record<string, Entry> = {};
    for (const key of kept) next[key] = old[key] as Entry;
    for (const [key, entry] of read) next[key] = entry;
    try {
      await writeTextAtomic(file, JSON.stringify({ format: EXACT_CACHE_FORMAT, entries: next }));
    } catch {
      // A read-only cache directory only costs speed.
    }
  }
  return stats;
}

/** A session read whole elsewhere, and what that read found. */
export interface CountedSession {
  /** The session's id and path, and its listed count and time, as listing gives them. */
  summary: Pick<SessionSummary, "id" | "path" | "messageCount" | "lastActiveAt">;
  /** Conversation messages, as `info` counts them. */
  count: number;
  /** The last message's time, epoch ms, or `null`. */
  lastAt: number | null;
  /** Estimated tokens, or `null` when the read left tool outputs out. */
  tokens: number | null;
  /**
   * The file's size and mtime (whole ms) taken before it was read: what the
   * result is valid for. Without it, the file is stat-ed when recording.
   */
  stamp?: { size: number; mtime: number };
}

/**
 * Records the counts and last message times of sessions just read whole (by
 * `info`, or by the search index without their tool outputs), so the next
 * `list` shows them even for sessions too large to be read while listing.
 * Nothing is recorded for a file that is gone.
 *
 * @param provider The sessions' provider.
 * @param ctx Where to look.
 * @param sessions What each read found.
 * @param cacheDir The cache directory.
 */
export async function rememberCounts(
  provider: Provider,
  ctx: ProviderContext,
  sessions: readonly CountedSession[],
  cacheDir: string,
): Promise<void> {
  if (sessions.length === 0) return;
  const file = cacheFile(cacheDir, provider, ctx);
  const entries = await loadEntries(file);
  let changed = false;
  for (const { summary, count, lastAt, tokens, stamp } of sessions) {
    const { stat, own } = keyStat(summary.path);
    if (stat === undefined || !stat.isFile) continue;
    // A file that changed while it was read keeps the stamp of what was read, so
    // the result is not taken for the file's new content.
    const [a, b] = own && stamp !== undefined
      ? [stamp.size, stamp.mtime]
      : validity(summary, stat, own);
    entries[`${summary.path}\0${summary.id}`] = [a, b, count, lastAt, tokens];
    changed = true;
  }
  if (!changed) return;
  try {
    await writeTextAtomic(file, JSON.stringify({ format: EXACT_CACHE_FORMAT, entries }));
  } catch {
    // A read-only cache directory only costs speed.
  }
}

/**
 * Records the count and last message time of a session that was just read
 * whole (by `info`), so the next `list` shows them even for a session too large
 * to be read while listing. Nothing is recorded when the file is gone.
 *
 * @param provider The session's provider.
 * @param ctx Where to look.
 * @param summary The session's id and path, as listing gives them.
 * @param messages Its messages, as the reader returned them.
 * @param cacheDir The cache directory.
 */
export async function rememberExactCount(
  provider: Provider,
  ctx: ProviderContext,
  summary: CountedSession["summary"],
  messages: readonly Message[],
  cacheDir: string,
): Promise<void> {
  await rememberCounts(provider, ctx, [{ summary, ...sessionFacts(messages) }], cacheDir);
}
