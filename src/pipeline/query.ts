/**
 * Read-only queries: detect providers and list sessions (reading one session,
 * or the latest one, is in `lookup.ts`).
 *
 * @module
 */
import * as path from "node:path";
import { PROVIDERS } from "../providers/registry.ts";
import type { Detection, Provider, ProviderContext, SessionSummary } from "../providers/types.ts";
import { requireProvider } from "./discover.ts";
import { collectDenied, noteDenied } from "../internal/denied.ts";
import { ReadPool } from "./read_pool.ts";
import { runReadJobInTurn } from "./read_jobs.ts";
import { type ListProblem, listProblems } from "./list_problems.ts";
import {
  casrCacheDir,
  indexCacheFile,
  type IndexedSource,
  type ScanProgress,
  scanSessions,
} from "../internal/session_index.ts";
import { EXACT_COUNT_BYTES, exactCounts } from "./exact_counts.ts";
import type { ReadFacts } from "./session_facts.ts";
import { type FileStat, statFileSync } from "../internal/fast_fs.ts";
import { plural } from "../internal/plural.ts";

/** A provider and what detection found. */
export interface ProviderStatus {
  /** The provider id. */
  id: string;
  /** The human name. */
  name: string;
  /** Accepted aliases. */
  aliases: readonly string[];
  /** The binary name. */
  binary: string;
  /** Environment variables that move its storage. */
  envVars: readonly string[];
  /** The storage roots, existing or not. */
  roots: string[];
  /** Whether casr can write its sessions (`false` for a read-only source such as ChatGPT). */
  canWrite: boolean;
  /** What a session written for it keeps (see `Provider.carries`). */
  carries: {
    /** Images travel as images (else as a placeholder naming them). */
    images: boolean;
    /** Readable reasoning is written and sent to its model again (else dropped). */
    reasoning: boolean;
    /** The pattern tool names are mapped into, when its model API has one. */
    toolNames?: string;
    /** Its tool vocabulary family, when history calls are mapped to its own tools. */
    toolFamily?: string;
  };
  /** Detection result. */
  detection: Detection;
}

/**
 * Detects every provider.
 *
 * @param ctx Where to look.
 * @param options `version` also asks each binary for its version.
 * @returns One status per provider.
 */
export async function detectProviders(
  ctx: ProviderContext,
  options: { version?: boolean } = {},
): Promise<ProviderStatus[]> {
  return await Promise.all(PROVIDERS.map(async (p) => ({
    id: p.id,
    name: p.name,
    aliases: p.aliases,
    binary: p.binary,
    envVars: p.envVars,
    roots: p.roots(ctx),
    canWrite: p.readOnly !== true,
    carries: {
      images: p.carries?.images === true,
      reasoning: p.carries?.reasoning === true,
      ...(p.carries?.toolName === undefined ? {} : { toolNames: p.carries.toolName.source }),
      ...(p.carries?.toolFamily === undefined ? {} : { toolFamily: p.carries.toolFamily }),
    },
    detection: await p.detect(ctx, options),
  })));
}

/** How {@linkcode listSessions} sorts. */
export type SessionSort = "date" | "messages" | "provider";

/** Options for {@linkcode listSessions}. */
export interface ListSessionsOptions {
  /**
   * Only this provider (id or alias).
   *
   * @default {undefined} all
   */
  provider?: string;
  /**
   * Only sessions whose workspace is this directory or below it.
   *
   * @default {undefined} all
   */
  workspace?: string;
  /**
   * At most this many sessions (after sorting).
   *
   * @default {undefined} no limit
   */
  limit?: number;
  /**
   * Sort order: newest first, most messages first, or by provider then newest.
   *
   * @default {"date"}
   */
  sort?: SessionSort;
  /**
   * Use the on-disk index cache (in the user's cache directory, see
   * {@linkcode casrCacheDir}): files whose path, size and mtime are unchanged
   * since the last list are not read again.
   *
   * @default {false}
   */
  cache?: boolean;
  /**
   * The cache directory.
   *
   * @default {casrCacheDir(ctx)}
   */
  cacheDir?: string;
  /** Progress of the file scan (files to look at, files done). */
  progress?: ScanProgress;
  /** Debug and trace lines: roots scanned, cache hits and misses (absent: none). */
  log?: ListLog;
  /**
   * Filled with the stats the listing took, by path, for a caller that would
   * otherwise stat the same files again.
   */
  fileStats?: Map<string, FileStat>;
}

/** {@linkcode listProviderSessions}'s options: the listing's, and worker threads to read with. */
export type ProviderListOptions =
  & Pick<ListSessionsOptions, "cache" | "cacheDir" | "progress" | "log" | "fileStats">
  & {
    /** Worker threads to read with when many files need reading (absent: this thread). */
    pool?: ReadPool | undefined;
  };

/** Where {@linkcode listSessions} reports what it did (`debug` facts, `trace` details). */
export type ListLog = (level: "debug" | "trace", text: string) => void;

/**
 * Lists one provider's sessions: through its `sessionFiles`/`summarize` fast
 * path (bounded concurrency, optional index cache) when it has one, else its `list()`.
 *
 * @param provider The provider.
 * @param ctx Where to look.
 * @param options Cache and progress.
 * @returns The summaries, unsorted.
 */
export async function listProviderSessions(
  provider: Provider,
  ctx: ProviderContext,
  options: ProviderListOptions = {},
): Promise<SessionSummary[]> {
  const log = options.log ?? (() => {});
  const cacheDir = options.cache ? options.cacheDir ?? casrCacheDir(ctx) : undefined;
  const roots = provider.roots(ctx);
  const present = roots.filter((r) => statFileSync(r)?.isDir === true);
  log(
    "debug",
    present.length === 0
      ? `${provider.id}: none of its ${plural(roots.length, "root")} exists`
      : `${provider.id}: scanning ${present.join(", ")}` +
        (present.length < roots.length ? ` (${roots.length - present.length} more missing)` : ""),
  );
  for (const r of roots) if (!present.includes(r)) log("trace", `${provider.id}: no ${r}`);
  let sessions: SessionSummary[];
  let fileStats: Map<string, FileStat> | undefined;
  /** Files whose facts were read along with their summary. */
  const readAlready = new Map<string, ReadFacts>();
  if (provider.sessionFiles === undefined || provider.summarize === undefined) {
    sessions = await provider.list(ctx);
  } else {
    const source = provider as Provider & IndexedSource;
    const scan: Parameters<typeof scanSessions>[2] = {};
    if (cacheDir !== undefined) scan.cacheFile = indexCacheFile(cacheDir, source, ctx);
    if (options.progress) scan.progress = options.progress;
    const pool = options.pool;
    // Each file summarized with its exact count from one read: in a worker
    // thread when there is a pool, else in this one.
    scan.summarizeMany = async (path, stat) => {
      const job = { kind: "list", provider: provider.id, path, stat } as const;
      const answer = await pool?.run(job) ?? await runReadJobInTurn(job, ctx);
      if (!answer.ok) return { summary: undefined, failed: true, denied: answer.denied };
      const { summary, facts } = answer.value;
      if (facts !== undefined) readAlready.set(path, facts);
      return { summary, failed: false, denied: answer.denied };
    };
    const result = await scanSessions(source, ctx, scan);
    const s = result.stats;
    log(
      "debug",
      `${provider.id}: ${s.files} files, index cache ${s.hits} hits, ${s.misses} misses` +
        (scan.cacheFile === undefined ? " (no cache)" : ` (${scan.cacheFile})`),
    );
    sessions = result.sessions;
    fileStats = result.fileStats;
    if (options.fileStats !== undefined) {
      for (const [p, stat] of fileStats) options.fileStats.set(p, stat);
    }
  }
  const pool = options.pool;
  const exact = await exactCounts(provider, ctx, sessions, {
    ...(cacheDir === undefined ? {} : { cacheDir }),
    ...(fileStats === undefined ? {} : { fileStats }),
    readAlready,
    ...(pool === undefined ? {} : {
      readElsewhere: async (summary: SessionSummary) => {
        const answer = await pool.run({ kind: "facts", provider: provider.id, path: summary.path });
        if (answer === undefined) return undefined;
        for (const p of answer.denied) noteDenied({ code: "EACCES" }, p);
        return answer.ok ? answer.value : { failed: true as const };
      },
    }),
    onRead: (summary, warnings) => {
      if (warnings.length === 0) return;
      const byCode = new Map<string, number>();
      for (const w of warnings) byCode.set(w.code, (byCode.get(w.code) ?? 0) + 1);
      const what = [...byCode].map(([code, n]) => `${n} × ${code}`).join(", ");
      log("debug", `${provider.id}: read ${summary.id}: ${what} (${summary.path})`);
    },
  });
  log(
    "debug",
    `${provider.id}: ${sessions.length} sessions; exact counts ${exact.hits} cached, ` +
      `${exact.reads} read, ${exact.skipped} left (estimated, over ${EXACT_COUNT_BYTES} bytes or not a file)` +
      (exact.failed > 0 ? `, ${exact.failed} unreadable` : ""),
  );
  for (const x of sessions) {
    log("trace", `${provider.id}: ${x.id} ${x.messageCount ?? "-"} messages ${x.path}`);
  }
  return sessions;
}

/** What {@linkcode listSessions} found. */
export interface ListSessionsResult {
  /** The sessions, sorted and limited. */
  sessions: SessionSummary[];
  /** How many matched before the limit. */
  total: number;
  /**
   * Why sessions may be missing: a missing or unset home, a storage variable
   * pointing at a file or at nothing, paths the OS refused to read.
   */
  problems: ListProblem[];
}

/**
 * Lists sessions across providers.
 *
 * @param ctx Where to look.
 * @param options Filters, sort and limit.
 * @returns The sessions, the total before the limit, and what may hide others.
 *
 * @example List the sessions of a home
 * ```ts
 * import { createContext, listSessions, type Session, writeSession } from "@casr/core";
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
 * await writeSession(ctx, session, "codex");
 * await writeSession(ctx, session, "gemini-cli");
 * const { sessions, total } = await listSessions(ctx);
 * assert.equal(total, 2);
 * assert.deepEqual(sessions.map((s) => s.provider).sort(), ["codex", "gemini-cli"]);
 * assert.ok(sessions.every((s) => s.messageCount === 2));
 *
 * await rm(home, { recursive: true });
 * ```
 */
export function listSessions(
  ctx: ProviderContext,
  options: ListSessionsOptions = {},
): Promise<ListSessionsResult> {
  return listSessionsWith(ctx, options);
}

/**
 * {@linkcode listSessions} reading with the caller's worker threads (tests,
 * and a caller that lists more than once), or with threads of its own.
 *
 * @param ctx Where to look.
 * @param options Filters, sort and limit.
 * @param own The caller's pool; absent: one of its own, closed when done.
 * @returns The sessions, the total before the limit, and what may hide others.
 */
export async function listSessionsWith(
  ctx: ProviderContext,
  options: ListSessionsOptions,
  own?: ReadPool,
): Promise<ListSessionsResult> {
  const providers: readonly Provider[] = options.provider !== undefined
    ? [requireProvider(options.provider)]
    : PROVIDERS;
  const pool = own ??
    ReadPool.open(ctx, options.log ? { log: (text) => options.log?.("debug", text) } : {});
  const { value: lists, denied } = await collectDenied(() =>
    Promise.all(providers.map((p) => listProviderSessions(p, ctx, { ...options, pool })))
  ).finally(() => {
    if (own === undefined) pool?.close();
  });
  let sessions = lists.flat();
  const problems = await listProblems(ctx, providers, { denied, found: sessions.length });
  if (options.workspace !== undefined) {
    const root = path.resolve(ctx.cwd, options.workspace);
    sessions = sessions.filter((s) =>
      s.workspace !== undefined &&
      (s.workspace === root ||
        s.workspace.startsWith(root.endsWith(path.sep) ? root : root + path.sep))
    );
  }
  const last = (s: SessionSummary): number => s.lastActiveAt ?? s.startedAt ?? 0;
  const sort = options.sort ?? "date";
  sessions.sort((a, b) => {
    if (sort === "messages") {
      return (b.messageCount ?? 0) - (a.messageCount ?? 0) || last(b) - last(a);
    }
    if (sort === "provider") return a.provider.localeCompare(b.provider) || last(b) - last(a);
    return last(b) - last(a);
  });
  const total = sessions.length;
  if (options.limit !== undefined) sessions = sessions.slice(0, options.limit);
  return { sessions, total, problems };
}
