/**
 * Listing sessions fast, for any provider that can enumerate its files and
 * summarize one file: bounded concurrency, and a persistent index cache keyed
 * by path, size and mtime so a warm list reads only the files that changed.
 *
 * The cache is one JSON file per provider and storage root in the user's cache
 * directory. It is written atomically (temp file and rename), so concurrent
 * runs never see a partial file; the last writer wins, and a missing, corrupt
 * or foreign cache file is simply rebuilt.
 *
 * @module
 */
import { createHash } from "node:crypto";
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../model/provider_data.ts";
import {
  type FileStat,
  mapLimit,
  readTextIfExists,
  statFileSync,
  writeTextAtomic,
} from "./fast_fs.ts";
import { currentPlatform } from "./runtime.ts";
import { collectDenied, ignoringDenied, noteDenied } from "./denied.ts";

/** Bump when the cache file layout changes. */
export const INDEX_CACHE_FORMAT = 2;

/** How many files are stat'ed or summarized at once. */
export const SCAN_CONCURRENCY = 32;

/** What the scanner needs from a provider. */
export interface IndexedSource {
  /** The provider id. */
  readonly id: string;
  /** The version of `summarize`'s output (part of the cache key). */
  readonly summaryVersion?: number;
  /** The storage roots (part of the cache file name). */
  roots(ctx: ProviderContext): string[];
  /** Candidate session files. */
  sessionFiles(ctx: ProviderContext): Promise<string[]>;
  /** One file's summary. */
  summarize(
    path: string,
    ctx: ProviderContext,
    stat?: FileStat,
  ): Promise<SessionSummary | undefined>;
  /** Completes the summaries with data from outside the files. */
  finishSummaries?(summaries: SessionSummary[], ctx: ProviderContext): Promise<SessionSummary[]>;
}

/** Progress of a scan, for a progress indicator. */
export interface ScanProgress {
  /** `n` more files will be looked at. */
  add(n: number): void;
  /** `n` more files were looked at. */
  done(n: number): void;
}

/** Options for {@linkcode scanSessions}. */
export interface ScanSessionsOptions {
  /**
   * The cache file to read and update; no cache when absent.
   *
   * @default {undefined}
   */
  cacheFile?: string;
  /** Progress reports. */
  progress?: ScanProgress;
  /**
   * Files summarized at once.
   *
   * @default {SCAN_CONCURRENCY}
   */
  concurrency?: number;
  /**
   * Summarizes a file the caller's way (in a worker thread, or together with
   * what else the caller reads from it); used when at least
   * {@linkcode OFFLOAD_MIN} files need summarizing. `undefined` from it: the
   * file is summarized here by the source's `summarize`.
   */
  summarizeMany?: SummarizeMany;
}

/** Files to summarize before {@linkcode ScanSessionsOptions.summarizeMany} is worth its start-up. */
export const OFFLOAD_MIN = 48;

/** A summary made the caller's way: the summary, whether it failed, the paths the OS refused. */
export type SummarizeMany = (
  path: string,
  stat: FileStat,
) => Promise<
  { summary: SessionSummary | undefined; failed: boolean; denied: readonly string[] } | undefined
>;

/**
 * One cached file: its key and its summary (`null`: not a listable session).
 * The summary is stored without `path` and `provider`, which the entry's key
 * and the cache file already say: a third less JSON to parse on a warm list.
 */
type CacheEntry = [size: number, mtimeMs: number, summary: StoredSummary | null];

/** A summary as the cache stores it. */
type StoredSummary = Omit<SessionSummary, "path" | "provider">;

function store(summary: SessionSummary): StoredSummary {
  const { path: _path, provider: _provider, ...rest } = summary;
  return rest;
}

interface CacheFile {
  format: number;
  provider: string;
  summaryVersion: number;
  entries: Record<string, CacheEntry>;
}

/** What {@linkcode scanSessions} did, for tests and `--verbose`. */
export interface ScanStats {
  /** Files found. */
  files: number;
  /** Summaries taken from the cache. */
  hits: number;
  /** Files summarized. */
  misses: number;
  /** Whether the cache file was rewritten. */
  wrote: boolean;
}

/**
 * The user's cache directory for casr: `XDG_CACHE_HOME/casr`, else
 * `~/Library/Caches/casr` on macOS, `%LOCALAPPDATA%\casr\cache` on Windows,
 * `~/.cache/casr` elsewhere. `CASR_CACHE_DIR` overrides all of them.
 *
 * @param ctx The environment and home directory.
 * @param platform The OS (`process.platform` values).
 * @returns The absolute directory (it may not exist).
 */
export function casrCacheDir(ctx: ProviderContext, platform: string = currentPlatform()): string {
  const env = ctx.env;
  const own = env.CASR_CACHE_DIR?.trim();
  if (own) return nodePath.resolve(ctx.cwd, own);
  const xdg = env.XDG_CACHE_HOME?.trim();
  if (xdg && nodePath.isAbsolute(xdg)) return nodePath.join(xdg, "casr");
  if (platform === "darwin") return nodePath.join(ctx.homeDir, "Library", "Caches", "casr");
  if (platform === "win32") {
    const local = env.LOCALAPPDATA?.trim();
    return local
      ? nodePath.join(local, "casr", "cache")
      : nodePath.join(ctx.homeDir, "AppData", "Local", "casr", "cache");
  }
  return nodePath.join(ctx.homeDir, ".cache", "casr");
}

/**
 * The cache file of one provider and its current roots.
 *
 * @param dir The cache directory.
 * @param source The provider.
 * @param ctx Where it looks.
 * @returns `<dir>/index-<provider>-<hash of roots>.json`.
 */
export function indexCacheFile(dir: string, source: IndexedSource, ctx: ProviderContext): string {
  const hash = createHash("sha256").update(source.roots(ctx).join("\0")).digest("hex");
  return nodePath.join(dir, `index-${source.id}-${hash.slice(0, 16)}.json`);
}

function emptyCache(source: IndexedSource): CacheFile {
  return {
    format: INDEX_CACHE_FORMAT,
    provider: source.id,
    summaryVersion: source.summaryVersion ?? 0,
    entries: {},
  };
}

/**
 * Reads a cache file; anything missing, unparsable or written for another
 * format, provider or summary version reads as empty.
 */
async function loadCache(file: string, source: IndexedSource): Promise<CacheFile> {
  const text = await ignoringDenied(() => readTextIfExists(file));
  if (text === undefined) return emptyCache(source);
  try {
    const value = JSON.parse(text) as Partial<CacheFile>;
    if (
      value?.format === INDEX_CACHE_FORMAT && value.provider === source.id &&
      value.summaryVersion === (source.summaryVersion ?? 0) &&
      typeof value.entries === "object" && value.entries !== null && !Array.isArray(value.entries)
    ) {
      return value as CacheFile;
    }
  } catch {
    // corrupt: rebuilt below
  }
  return emptyCache(source);
}

function isValidEntry(entry: unknown): entry is CacheEntry {
  if (!Array.isArray(entry) || entry.length !== 3) return false;
  const [size, mtime, summary] = entry;
  if (typeof size !== "number" || typeof mtime !== "number") return false;
  if (summary === null) return true;
  return typeof summary === "object" && !Array.isArray(summary) && typeof summary.id === "string";
}

/** A mtime as a whole millisecond (Deno and Node report different precision). */
function mtimeKey(stat: FileStat): number {
  return Math.floor(stat.mtimeMs);
}

/**
 * Lists one provider's sessions: enumerates its files, takes unchanged files'
 * summaries from the cache, summarizes the rest with bounded concurrency,
 * updates the cache, and completes the summaries.
 *
 * @param source The provider.
 * @param ctx Where to look.
 * @param options Cache file and progress.
 * @returns The summaries and what was read.
 */
export async function scanSessions(
  source: IndexedSource,
  ctx: ProviderContext,
  options: ScanSessionsOptions = {},
): Promise<{ sessions: SessionSummary[]; stats: ScanStats; fileStats: Map<string, FileStat> }> {
  const fileStats = new Map<string, FileStat>();
  const concurrency = options.concurrency ?? SCAN_CONCURRENCY;
  const files = await source.sessionFiles(ctx);
  options.progress?.add(files.length);
  const stats: ScanStats = { files: files.length, hits: 0, misses: 0, wrote: false };
  /** Files whose summary failed: never cached, so they are listed once they can be read. */
  const failed = new Set<string>();
  const many = options.summarizeMany;
  const summarizeOne = async (
    path: string,
    stat?: FileStat,
    offload = false,
  ): Promise<SessionSummary | undefined> => {
    const done = offload && many !== undefined && stat !== undefined
      ? await many(path, stat)
      : undefined;
    if (done !== undefined) {
      for (const p of done.denied) noteDenied({ code: "EACCES" }, p);
      if (done.failed || done.denied.length > 0) failed.add(path);
      options.progress?.done(1);
      return done.summary;
    }
    try {
      // A summarize that swallowed a refusal still must not cache the file as "no session".
      const { value, denied } = await collectDenied(() => source.summarize(path, ctx, stat));
      if (denied.length > 0) failed.add(path);
      return value;
    } catch (error) {
      noteDenied(error, path); // reported by the caller when the OS refused
      failed.add(path);
      return undefined; // unreadable now; listed next time it can be read
    } finally {
      options.progress?.done(1);
    }
  };
  let found: (SessionSummary | undefined)[];
  if (options.cacheFile === undefined) {
    stats.misses = files.length;
    const offload = files.length >= OFFLOAD_MIN && many !== undefined;
    found = await mapLimit(files, concurrency, async (p) => {
      const stat = offload ? statFileSync(p) : undefined;
      if (stat !== undefined) fileStats.set(p, stat);
      return await summarizeOne(p, stat, offload);
    });
  } else {
    const cacheFile = options.cacheFile;
    const cache = await loadCache(cacheFile, source);
    const next: Record<string, CacheEntry> = {};
    let changed = Object.keys(cache.entries).length !== files.length;
    // Stat every file first (synchronously: thousands of cached files cost
    // milliseconds), take unchanged files from the cache, then summarize the rest.
    found = new Array(files.length);
    const misses: Array<{ index: number; path: string; stat: FileStat }> = [];
    let cachedDone = 0;
    for (let index = 0; index < files.length; index++) {
      const path = files[index] as string;
      const stat = statFileSync(path);
      if (stat !== undefined) fileStats.set(path, stat);
      if (stat === undefined) {
        cachedDone++;
        changed = true;
        continue;
      }
      const entry: unknown = Object.hasOwn(cache.entries, path) ? cache.entries[path] : undefined;
      if (
        isValidEntry(entry) && entry[0] === stat.size && entry[1] === mtimeKey(stat)
      ) {
        stats.hits++;
        next[path] = entry;
        cachedDone++;
        const stored = entry[2];
        if (stored !== null) {
          // One object, keys in the order of a fresh summary (`id` stays first).
          found[index] = Object.assign({ id: stored.id, provider: source.id, path }, stored);
        }
        continue;
      }
      misses.push({ index, path, stat });
    }
    if (cachedDone > 0) options.progress?.done(cachedDone);
    stats.misses = misses.length;
    if (misses.length > 0) changed = true;
    const offload = misses.length >= OFFLOAD_MIN;
    await mapLimit(misses, concurrency, async ({ index, path, stat }) => {
      const summary = await summarizeOne(path, stat, offload);
      if (!failed.has(path)) {
        next[path] = [stat.size, mtimeKey(stat), summary === undefined ? null : store(summary)];
      }
      found[index] = summary;
    });
    if (changed) {
      try {
        await writeTextAtomic(
          cacheFile,
          JSON.stringify({ ...emptyCache(source), entries: next } satisfies CacheFile),
        );
        stats.wrote = true;
      } catch {
        // A read-only or full cache directory only costs speed.
      }
    }
  }
  const summaries = found.filter((s): s is SessionSummary => s !== undefined);
  const sessions = source.finishSummaries
    ? await source.finishSummaries(summaries, ctx)
    : summaries;
  return { sessions, stats, fileStats };
}
