/**
 * Ranking a search's matches and cutting their snippets: the index's matches
 * of the listed sessions, filtered by workspace and time, best first, each
 * with a highlighted snippet from the column it matched in.
 *
 * @module
 */
import * as path from "node:path";
import type { ProviderContext, SessionSummary } from "../providers/types.ts";
import {
  ftsExpression,
  locate,
  type QueryTerm,
  readSnippet,
  type SearchRole,
  type Snippet,
} from "../internal/fts_query.ts";
import type { IndexColumn, SearchIndex } from "../internal/search_index.ts";

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

/** Which matches {@linkcode rankMatches} keeps. */
export interface RankOptions {
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

/** Code-unit order of two strings (the same everywhere, unlike `localeCompare`). */
function order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The first `limit` matches, best first; equal scores (copies of one
 * conversation) newest first, then by agent and path, so the order never
 * depends on when a row was written. Only the matches that score at least
 * as well as the `limit`th best (ties included) are sorted.
 *
 * @param matches The matches, in any order.
 * @param limit How many to keep.
 * @returns The best `limit`, in order.
 */
export function bestMatches<
  T extends { score: number; when: number; provider: string; path: string },
>(
  matches: readonly T[],
  limit: number,
): T[] {
  let kept: T[] = matches.slice();
  if (limit > 0 && limit < matches.length) {
    const scores = Float64Array.from(matches, (m) => m.score).sort();
    const last = scores[limit - 1]!;
    kept = matches.filter((m) => m.score <= last);
  }
  return kept.sort((a, b) =>
    a.score - b.score || b.when - a.when || order(a.provider, b.provider) || order(a.path, b.path)
  ).slice(0, Math.max(0, limit));
}

/**
 * The index's matches of an FTS5 expression among the listed sessions, kept
 * by `options`, counted, and the best of them with their snippets.
 *
 * @param index The open index, up to date with the listed sessions.
 * @param terms The query's terms.
 * @param rows The listed sessions by their row in the index (a row of another is not a result).
 * @param ctx Where a relative workspace is resolved from.
 * @param options Filters and limit.
 * @returns How many matched, and the best, best first.
 */
export function rankMatches(
  index: SearchIndex,
  terms: readonly QueryTerm[],
  rows: ReadonlyMap<number, SessionSummary>,
  ctx: ProviderContext,
  options: RankOptions,
): { total: number; results: SearchHit[] } {
  const root = options.workspace === undefined
    ? undefined
    : path.resolve(ctx.cwd, options.workspace);
  const expression = ftsExpression(terms, options.role ? { column: options.role } : {});
  const matches: {
    rowid: number;
    score: number;
    summary: SessionSummary;
    when: number;
    provider: string;
    path: string;
  }[] = [];
  for (const [rowid, score] of index.scores(expression)) {
    const summary = rows.get(rowid);
    if (summary === undefined) continue;
    if (root !== undefined && !inWorkspace(summary, root)) continue;
    const when = summary.lastActiveAt ?? summary.startedAt;
    if (options.since !== undefined && (when === undefined || when < options.since)) continue;
    if (options.until !== undefined && (when === undefined || when > options.until)) continue;
    matches.push({
      rowid,
      score,
      summary,
      when: when ?? 0,
      provider: summary.provider,
      path: summary.path,
    });
  }
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
