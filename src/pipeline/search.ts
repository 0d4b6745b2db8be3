/**
 * Full-text search over every agent's sessions, through the index in the
 * user's cache directory (see `src/internal/search_index.ts`).
 *
 * A search lists the sessions (through the list cache), brings the index up to
 * date with the files that are new or changed since the last search (by path,
 * size and mtime; vanished sessions are dropped), then ranks the matches with
 * bm25 and cuts a highlighted snippet from each (`search_rank.ts`).
 *
 * @module
 */
import * as path from "node:path";
import { CasrError } from "../errors.ts";
import { PROVIDERS } from "../providers/registry.ts";
import type { Provider, ProviderContext } from "../providers/types.ts";
import { requireProvider } from "./discover.ts";
import { listProviderSessions } from "./query.ts";
import { casrCacheDir, type ScanProgress } from "../internal/session_index.ts";
import type { FileStat } from "../internal/fast_fs.ts";
import { ReadPool } from "./read_pool.ts";
import { parseQuery } from "../internal/fts_query.ts";
import {
  IndexCorruptError,
  removeIndexFiles,
  SEARCH_INDEX_FILE,
  SearchIndex,
} from "../internal/search_index.ts";
import { updateIndex } from "./search_update.ts";
import { rankMatches, type RankOptions, type SearchHit } from "./search_rank.ts";
import { applyCounts, type CountedSession, rememberCounts } from "./exact_counts.ts";

/** Options for {@linkcode searchSessions}. */
export interface SearchOptions extends RankOptions {
  /**
   * Only these agents (ids or aliases).
   *
   * @default {undefined} every agent
   */
  agents?: readonly string[];
  /**
   * The directory of the index file.
   *
   * @default {casrCacheDir(ctx)}
   */
  cacheDir?: string;
  /** Progress of listing the sessions. */
  progress?: ScanProgress;
  /** Progress of reading new and changed sessions into the index; asked for after listing. */
  indexProgress?: () => ScanProgress | undefined;
  /** Told one line when the index is rebuilt. */
  notice?: (line: string) => void;
}

export type { RankOptions, SearchHit };

/** What the index update did. */
export interface SearchIndexStats {
  /** Sessions in the index after the update. */
  sessions: number;
  /** Sessions read (new or changed). */
  read: number;
  /** Sessions dropped (their file went). */
  removed: number;
  /** Whether the index file was rebuilt (damaged or another version). */
  rebuilt: boolean;
}

/** What {@linkcode searchSessions} returns. */
export interface SearchResult {
  /** The query as given. */
  query: string;
  /** Matching sessions, before the limit. */
  total: number;
  /** The best matches, best first. */
  results: SearchHit[];
  /** What the index update did. */
  index: SearchIndexStats;
}

/** SQLite's "database is locked" (SQLITE_BUSY) or "table is locked" (SQLITE_LOCKED). */
function isBusy(error: unknown): boolean {
  if (error instanceof CasrError) return false;
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  const message = error instanceof Error ? error.message : String(error);
  return errcode === 5 || errcode === 6 ||
    /database is locked|table is locked|SQLITE_BUSY/i.test(message);
}

/** Tries again this often when another casr holds the index. */
const BUSY_RETRIES = 4;

/**
 * Runs `work` again, after a pause, when SQLite says the index is busy. Every
 * statement already waits up to 30 s for a lock; this covers what SQLite
 * refuses at once (one CI run saw it for two cold searches at the same time).
 * When it stays busy, the error says so instead of being an internal one.
 *
 * @param work What to run (opening and updating the index).
 * @param file The index file, for the message.
 * @returns What `work` returns.
 * @throws {CasrError} `conflict` when the index is still locked after the retries.
 */
export async function whileBusy<T>(work: () => Promise<T>, file: string): Promise<T> {
  for (let tries = 0;; tries++) {
    try {
      return await work();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (tries >= BUSY_RETRIES) {
        throw new CasrError(
          "conflict",
          `Cannot update the search index ${file}: it stays locked (another casr may be updating it); try again in a moment`,
          { details: { path: file }, cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** tries + Math.random() * 100));
    }
  }
}

/** Whether an error says the index file cannot be created or written (not that it is damaged). */
function cannotWrite(error: unknown): boolean {
  if (error instanceof CasrError) return false;
  const text = `${(error as { code?: unknown } | null)?.code ?? ""} ${
    error instanceof Error ? error.message : String(error)
  }`;
  return /readonly|read-only|permission|denied|disk is full|unable to open|not a directory|EACCES|EROFS|EPERM|ENOSPC|ENOTDIR|EEXIST/i
    .test(text);
}

/**
 * Searches every agent's sessions.
 *
 * @param ctx Where to look.
 * @param query The query: words (prefix matches), `"exact phrases"`; all must match.
 * @param options Filters, limit, index location.
 * @returns The ranked results.
 * @throws {CasrError} `usage` when the query has no word.
 *
 * @example Search every agent's sessions
 * ```ts
 * import { createContext, searchSessions, type Session, writeSession } from "@casr/core";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const home = await mkdtemp(join(tmpdir(), "casr-example-"));
 * const ctx = createContext({ homeDir: home, env: { HOME: home }, cwd: home });
 * // A hand-made two-message session.
 * const session: Session = {
 *   id: "hand-made",
 *   provider: "claude-code",
 *   workspace: home,
 *   metadata: {},
 *   messages: [
 *     { index: 0, role: "user", text: "Name a prime number", toolCalls: [], toolResults: [] },
 *     { index: 1, role: "assistant", text: "7 is prime", toolCalls: [], toolResults: [] },
 *   ],
 * };
 * const { target } = await writeSession(ctx, session, "codex");
 * const found = await searchSessions(ctx, "prime");
 * assert.equal(found.total, 1);
 * assert.equal(found.results[0]?.id, target.sessionId);
 *
 * await rm(home, { recursive: true });
 * ```
 */
export async function searchSessions(
  ctx: ProviderContext,
  query: string,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const terms = parseQuery(query);
  if (terms.length === 0) {
    throw new CasrError(
      "usage",
      `Cannot search for "${query}": the query has no word (letters or digits) to look for`,
      { details: { query } },
    );
  }
  const providers: readonly Provider[] = options.agents === undefined || options.agents.length === 0
    ? PROVIDERS
    : [...new Set(options.agents.map((a) => requireProvider(a)))];
  const cacheDir = options.cacheDir ?? casrCacheDir(ctx);
  const fileStats = new Map<string, FileStat>();
  const pool = ReadPool.open(ctx);
  const listOptions = {
    cache: true,
    cacheDir,
    fileStats,
    pool,
    ...(options.progress === undefined ? {} : { progress: options.progress }),
  };
  /** Sessions whose count the listing estimated, as the index's reads counted them. */
  const counted = new Map<Provider, CountedSession[]>();
  try {
    const lists = await Promise.all(
      providers.map(async (provider) =>
        (await listProviderSessions(provider, ctx, listOptions)).map((summary) => ({
          provider,
          summary,
        }))
      ),
    );
    const listed = lists.flat();
    const file = path.join(cacheDir, SEARCH_INDEX_FILE);
    const attempt = async (target: string, rebuilt: boolean): Promise<SearchResult> => {
      const notice = (line: string): void => {
        rebuilt = true;
        options.notice?.(line);
      };
      const index = await SearchIndex.open(target, { notice });
      try {
        const { rows, ...counts } = await updateIndex(index, listed, providers, ctx, {
          fileStats,
          progress: options.indexProgress?.(),
          pool,
          onRead: (provider, summary, read, stamp) => {
            // The listing only estimated this one's count: these results and the
            // next list show it exactly.
            if (summary.messageCountEstimated !== true) return;
            applyCounts(summary, read.count, read.lastAt, null);
            const list = counted.get(provider) ?? [];
            counted.set(provider, list);
            list.push({ summary, count: read.count, lastAt: read.lastAt, tokens: null, stamp });
          },
        });
        return {
          ...rankMatches(index, terms, rows, ctx, options),
          query,
          index: { sessions: index.size(), ...counts, rebuilt },
        };
      } finally {
        index.close();
      }
    };
    try {
      return await whileBusy(() => attempt(file, false), file);
    } catch (error) {
      if (error instanceof IndexCorruptError) {
        options.notice?.(
          `casr: the search index ${file} is damaged (${error.message}); rebuilding it`,
        );
        await removeIndexFiles(file);
        return await attempt(file, true);
      }
      if (!cannotWrite(error)) throw error;
      const why = error instanceof Error ? error.message : String(error);
      options.notice?.(
        `casr: cannot write the search index ${file} (${why}); searching without it`,
      );
      return await attempt(":memory:", false);
    }
  } finally {
    pool?.close();
    for (const [provider, sessions] of counted) {
      await rememberCounts(provider, ctx, sessions, cacheDir);
    }
  }
}
