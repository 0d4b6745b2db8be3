/**
 * Full-text search over every agent's sessions, through the index in the
 * user's cache directory (see `src/internal/search_index.ts`).
 *
 * A search lists the sessions (through the list cache), brings the index up to
 * date with the files that are new or changed since the last search (by path,
 * size and mtime; vanished sessions are dropped), then ranks the matches with
 * bm25 and cuts a highlighted snippet from each.
 *
 * @module
 */
import * as path from "node:path";
import { CasrError } from "../errors.ts";
import { PROVIDERS } from "../providers/registry.ts";
import type { Provider, ProviderContext, SessionSummary } from "../providers/types.ts";
import { requireProvider } from "./discover.ts";
import { listProviderSessions } from "./query.ts";
import { casrCacheDir, type ScanProgress } from "../internal/session_index.ts";
import type { FileStat } from "../internal/fast_fs.ts";
import { ReadPool } from "./read_pool.ts";
import {
  ftsExpression,
  locate,
  parseQuery,
  type QueryTerm,
  readSnippet,
  type SearchRole,
  type Snippet,
} from "../internal/fts_query.ts";
import {
  type IndexColumn,
  IndexCorruptError,
  removeIndexFiles,
  SEARCH_INDEX_FILE,
  SearchIndex,
} from "../internal/search_index.ts";
import { keyOf, updateIndex } from "./search_update.ts";
import { applyCounts, type CountedSession, rememberCounts } from "./exact_counts.ts";

/** Options for {@linkcode searchSessions}. */
export interface SearchOptions {
  /**
   * Only these agents (ids or aliases).
   *
   * @default {undefined} every agent
   */
  agents?: readonly string[];
  /**
   * Only sessions whose workspace is this directory or below it.
   *
   * @default {undefined} all
   */
  workspace?: string;
  /** Only sessions last active at or after this time, epoch ms. */
  since?: number;
  /** Only sessions last active at or before this time, epoch ms. */
  until?: number;
  /**
   * Only text of this role (`tool`: tool names and inputs).
   *
   * @default {undefined} every role and the title
   */
  role?: SearchRole;
  /**
   * At most this many results.
   *
   * @default {20}
   */
  limit?: number;
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

/** One search result. */
export interface SearchHit {
  /** The provider id. */
  provider: string;
  /** The session id. */
  id: string;
  /** The session path. */
  path: string;
  /** The title. */
  title?: string;
  /** The workspace. */
  workspace?: string;
  /** First activity, epoch ms. */
  startedAt?: number;
  /** Last activity, epoch ms. */
  lastActiveAt?: number;
  /** Relevance (bm25, sign flipped from SQLite's): higher is better. */
  score: number;
  /** Where the snippet comes from. */
  field: IndexColumn;
  /** The snippet. */
  snippet: string;
  /** `[start, end)` of the matched stretches in `snippet`. */
  highlights: [number, number][];
}

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

function inWorkspace(summary: SessionSummary, root: string): boolean {
  const ws = summary.workspace;
  return ws !== undefined &&
    (ws === root || ws.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
}

/** The order snippets are preferred in when two columns match. */
const FIELD_ORDER: readonly IndexColumn[] = ["user", "assistant", "tool", "title"];

/** Texts up to this long are snippeted whole; longer ones from a window around the first match. */
const SMALL_TEXT = 16_384;
/** The window cut around the first match of a long text, before and after it. */
const WINDOW_BEFORE = 400;
const WINDOW_AFTER = 800;

/**
 * A result's snippet: from the first column (user, assistant, tool, title)
 * that has every term, else one that has any. FTS5 reads a whole column to
 * cut a snippet, and expands a prefix over the whole index for every query,
 * so casr finds the column and the first match with a regular expression
 * (`locate`), cuts a window around it, and lets FTS5 cut the snippet from the
 * window in a temporary one-row table.
 */
function snippetFor(
  index: SearchIndex,
  terms: readonly QueryTerm[],
  role: SearchRole | undefined,
  rowid: number,
): { field: IndexColumn } & Snippet {
  const candidates: readonly IndexColumn[] = role === undefined ? FIELD_ORDER : [role];
  let chosen: { field: IndexColumn; text: string; at: number } | undefined;
  let fallback: typeof chosen;
  for (const field of candidates) {
    const text = index.text(rowid, field);
    if (text === "") continue;
    const hits = terms.map((t) => locate(text, [t]));
    const found = hits.filter((h) => h >= 0);
    if (found.length === 0) continue;
    const at = Math.min(...found);
    if (found.length === hits.length) {
      chosen = { field, text, at };
      break;
    }
    fallback ??= { field, text, at };
  }
  const first = candidates[0] as IndexColumn;
  const { field, text, at } = chosen ?? fallback ??
    { field: first, text: index.text(rowid, first), at: 0 };
  let start = 0;
  let end = text.length;
  if (text.length > SMALL_TEXT) {
    start = Math.max(0, at - WINDOW_BEFORE);
    end = Math.min(text.length, at + WINDOW_AFTER);
    if (start > 0) start = Math.min(at, text.indexOf(" ", start) + 1 || start);
    if (end < text.length) end = Math.max(at + 1, text.lastIndexOf(" ", end));
  }
  let marked = index.snippetOf(text.slice(start, end), ftsExpression(terms, { any: true })) ||
    text.slice(start, Math.min(end, start + 200));
  if (start > 0 && !marked.startsWith("…")) marked = `…${marked}`;
  if (end < text.length && !marked.endsWith("…")) marked = `${marked}…`;
  return { field, ...readSnippet(marked) };
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
        const counts = await updateIndex(index, listed, providers, ctx, {
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
          ...rank(index, terms, listed, ctx, options),
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

/** Code-unit order of two strings (the same everywhere, unlike `localeCompare`). */
function order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The first `limit` matches, best first; equal scores (copies of one
 * conversation) newest first, then by agent and path, so the order never
 * depends on when a row was written. The index gives them in score order:
 * then only the ones up to the last that ties with the `limit`th are sorted.
 *
 * @param matches The matches, in the index's score order (any order is sorted whole).
 * @param limit How many to keep.
 * @returns The best `limit`, in order.
 */
export function bestMatches<
  T extends { score: number; when: number; provider: string; path: string },
>(
  matches: T[],
  limit: number,
): T[] {
  let cut = matches.length;
  if (
    limit < matches.length && limit > 0 &&
    matches.every((m, i) => i === 0 || matches[i - 1]!.score <= m.score)
  ) {
    const last = matches[limit - 1]!.score;
    cut = limit;
    while (cut < matches.length && matches[cut]!.score === last) cut++;
  }
  return matches.slice(0, cut).sort((a, b) =>
    a.score - b.score || b.when - a.when || order(a.provider, b.provider) || order(a.path, b.path)
  ).slice(0, limit);
}

function rank(
  index: SearchIndex,
  terms: readonly QueryTerm[],
  listed: readonly { provider: Provider; summary: SessionSummary }[],
  ctx: ProviderContext,
  options: SearchOptions,
): { total: number; results: SearchHit[] } {
  const byKey = new Map(listed.map((l) => [keyOf(l.provider.id, l.summary.path), l.summary]));
  const root = options.workspace === undefined
    ? undefined
    : path.resolve(ctx.cwd, options.workspace);
  const expression = ftsExpression(terms, options.role ? { column: options.role } : {});
  const matches = index.match(expression).flatMap((m) => {
    const summary = byKey.get(keyOf(m.provider, m.path));
    if (summary === undefined) return [];
    if (root !== undefined && !inWorkspace(summary, root)) return [];
    const when = summary.lastActiveAt ?? summary.startedAt;
    if (options.since !== undefined && (when === undefined || when < options.since)) return [];
    if (options.until !== undefined && (when === undefined || when > options.until)) return [];
    return [{ ...m, summary, when: when ?? 0 }];
  });
  const limit = options.limit ?? 20;
  const results = bestMatches(matches, limit).map((m): SearchHit => {
    const s = m.summary;
    const hit = snippetFor(index, terms, options.role, m.rowid);
    return {
      provider: s.provider,
      id: s.id,
      path: s.path,
      ...(s.title === undefined ? {} : { title: s.title }),
      ...(s.workspace === undefined ? {} : { workspace: s.workspace }),
      ...(s.startedAt === undefined ? {} : { startedAt: s.startedAt }),
      ...(s.lastActiveAt === undefined ? {} : { lastActiveAt: s.lastActiveAt }),
      score: -m.score,
      field: hit.field,
      snippet: hit.text,
      highlights: hit.highlights,
    };
  });
  return { total: matches.length, results };
}
