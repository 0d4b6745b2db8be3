/**
 * Bringing the search index up to date with the listed sessions: files that
 * are new or whose size, mtime or title changed are read again with their
 * provider's reader, in batches of one transaction each; sessions whose file
 * went are dropped.
 *
 * @module
 */
import type { Provider, ProviderContext, SessionSummary } from "../providers/types.ts";
import { OFFLOAD_MIN, type ScanProgress } from "../internal/session_index.ts";
import type { ReadPool } from "./read_pool.ts";
import { type FileStat, mapLimit, statFileSync } from "../internal/fast_fs.ts";
import type { IndexDoc, SearchIndex } from "../internal/search_index.ts";
import { type TextRead, textRead } from "./search_text.ts";

/** At most this many sessions are written to the index per transaction. */
const WRITE_DOCS = 250;
/** A transaction is written once its sessions hold this much text (characters, or bytes of UTF-8). */
const WRITE_CHARS = 4_000_000;
/** Sessions read at once, in this thread. */
const READ_CONCURRENCY = 8;
/** Sessions given to the worker threads at once. */
const POOL_CONCURRENCY = 32;
/**
 * Sessions larger than this go to the workers one at a time, in a lane of
 * their own: two of them are never in memory at once.
 */
const LARGE_BYTES = 8 * 1024 * 1024;
/** Session files that are text, never a SQLite database. */
const TEXT_SESSION = /\.(jsonl|json|md|txt)$/i;

/**
 * The key of a session in the index.
 *
 * @param provider The provider id.
 * @param p The session path.
 * @returns `provider\0path`.
 */
export const keyOf = (provider: string, p: string): string => `${provider}\0${p}`;

/**
 * The file a session path stands for: itself, or the database before `#` for
 * a `db#id` path. A SQLite database's WAL file counts too.
 */
function stampOf(
  p: string,
  known?: ReadonlyMap<string, FileStat>,
): { size: number; mtime: number } | undefined {
  let stat: FileStat | undefined = known?.get(p) ?? statFileSync(p);
  let file = p;
  if (stat === undefined && p.includes("#")) {
    file = p.slice(0, p.lastIndexOf("#"));
    stat = statFileSync(file);
  }
  if (stat === undefined || !stat.isFile) return undefined;
  let size = stat.size;
  let mtime = Math.floor(stat.mtimeMs);
  // Only a database has a write-ahead log; looking for one beside each of
  // thousands of JSON Lines files costs a failed stat apiece.
  if (TEXT_SESSION.test(file)) return { size, mtime };
  const wal = statFileSync(`${file}-wal`);
  if (wal !== undefined) {
    size += wal.size;
    mtime = Math.max(mtime, Math.floor(wal.mtimeMs));
  }
  return { size, mtime };
}

/**
 * A title as SQLite stores it: text with a lone surrogate (half an emoji, from
 * a damaged file) would come back changed and look stale on every search.
 */
function storedTitle(summary: SessionSummary): string {
  return (summary.title ?? "").toWellFormed();
}

async function readDoc(
  provider: Provider,
  summary: SessionSummary,
  stamp: { size: number; mtime: number },
  ctx: ProviderContext,
  pool?: ReadPool,
  here: <T>(read: () => Promise<T>) => Promise<T> = (read) => read(),
): Promise<{ doc: IndexDoc; read?: TextRead }> {
  const row = { provider: provider.id, path: summary.path, ...stamp, title: storedTitle(summary) };
  try {
    const answer = await pool?.run({ kind: "text", provider: provider.id, path: summary.path });
    if (answer !== undefined && !answer.ok) throw new Error(answer.error);
    const read = answer?.value ??
      await here(async () =>
        textRead((await provider.read(summary.path, ctx, { textOnly: true })).session)
      );
    return { doc: { ...row, text: read.text }, read };
  } catch {
    // Unreadable: indexed empty, read again when the file changes.
    return { doc: { ...row, text: { user: "", assistant: "", tool: "" } } };
  }
}

/** Index rows gathered and written a transaction at a time. */
class BatchWriter {
  #index: SearchIndex;
  #rows: Map<number, SessionSummary>;
  #docs: IndexDoc[] = [];
  #summaries: SessionSummary[] = [];
  #chars = 0;

  /** Each row written is added to `rows`, by its row id. */
  constructor(index: SearchIndex, rows: Map<number, SessionSummary>) {
    this.#index = index;
    this.#rows = rows;
  }

  /** Adds a session's row, and writes the rows gathered when they are enough. */
  add(doc: IndexDoc, summary: SessionSummary): void {
    this.#docs.push(doc);
    this.#summaries.push(summary);
    this.#chars += doc.text.user.length + doc.text.assistant.length + doc.text.tool.length;
    if (this.#docs.length >= WRITE_DOCS || this.#chars >= WRITE_CHARS) this.flush();
  }

  /** Writes the rows gathered. */
  flush(): void {
    if (this.#docs.length === 0) return;
    const docs = this.#docs;
    const summaries = this.#summaries;
    this.#docs = [];
    this.#summaries = [];
    this.#chars = 0;
    const rowids = this.#index.write(docs);
    for (let i = 0; i < rowids.length; i++) this.#rows.set(rowids[i]!, summaries[i]!);
  }
}

/** Runs the functions given to it one after another. */
function oneAtATime(): <T>(run: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(run: () => Promise<T>): Promise<T> => {
    const next = last.then(run, run);
    last = next.catch(() => {});
    return next;
  };
}

/** Options for {@linkcode updateIndex}. */
export interface UpdateIndexOptions {
  /** Stats the listing already took, by path (others are taken here). */
  fileStats?: ReadonlyMap<string, FileStat>;
  /** Progress of the reads. */
  progress?: ScanProgress | undefined;
  /** Worker threads to read with, when many sessions need reading. */
  pool?: ReadPool | undefined;
  /**
   * Told each session read, with its exact count and last message time, and the
   * size and mtime its file had before the read.
   */
  onRead?: (
    provider: Provider,
    summary: SessionSummary,
    read: TextRead,
    stamp: { size: number; mtime: number },
  ) => void;
}

/** What {@linkcode updateIndex} did. */
export interface IndexUpdate {
  /** Sessions read (new or changed). */
  read: number;
  /** Sessions dropped (their file went). */
  removed: number;
  /** The listed sessions the index holds, by row id (rows of other providers are not here). */
  rows: Map<number, SessionSummary>;
}

/**
 * Brings the index up to date with the listed sessions of some providers.
 *
 * @param index The open index.
 * @param listed The sessions listed, with their providers.
 * @param providers The providers listed (rows of others are left alone).
 * @param ctx Where to read.
 * @param options Stats already taken, and progress of the reads.
 * @returns How many sessions were read and removed, and which row is which session.
 */
export async function updateIndex(
  index: SearchIndex,
  listed: readonly { provider: Provider; summary: SessionSummary }[],
  providers: readonly Provider[],
  ctx: ProviderContext,
  options: UpdateIndexOptions = {},
): Promise<IndexUpdate> {
  const progress = options.progress;
  const known = index.stamps(providers.map((p) => p.id));
  const seen = new Set<string>();
  const rows = new Map<number, SessionSummary>();
  const stale: {
    provider: Provider;
    summary: SessionSummary;
    stamp: { size: number; mtime: number };
  }[] = [];
  for (const { provider, summary } of listed) {
    const key = keyOf(provider.id, summary.path);
    const stamp = stampOf(summary.path, options.fileStats);
    if (stamp === undefined || seen.has(key)) continue;
    seen.add(key);
    const had = known.get(key);
    if (
      had !== undefined && had.size === stamp.size && had.mtime === stamp.mtime &&
      had.title === storedTitle(summary)
    ) {
      rows.set(had.rowid, summary);
      continue;
    }
    stale.push({ provider, summary, stamp });
  }
  const gone: [string, string][] = [];
  for (const key of known.keys()) {
    if (!seen.has(key)) gone.push(key.split("\0", 2) as [string, string]);
  }
  index.write([], gone);
  progress?.add(stale.length);
  const pool = stale.length >= OFFLOAD_MIN ? options.pool : undefined;
  // This thread reads what the workers cannot (a failed pool's jobs) one at a
  // time. With workers, the largest sessions go to them one at a time, beside
  // the others: the rest never wait for a 100 MB session. (Read here instead,
  // they made this thread, which also writes the index, the one the workers
  // waited for: 1.6 GB of 4.8 GB was in 23 such files, and building the index
  // took 1.2 times as long.)
  const here = pool === undefined ? undefined : oneAtATime();
  const large = pool === undefined ? [] : stale.filter((s) => s.stamp.size > LARGE_BYTES);
  const rest = large.length === 0 ? stale : stale.filter((s) => s.stamp.size <= LARGE_BYTES);
  // Each session is written as it comes, in transactions of a few megabytes of
  // text: a write holds this thread for a tenth of a second or so, while the
  // workers still have sessions to read, instead of a whole batch's worth
  // while they wait.
  const writer = new BatchWriter(index, rows);
  let stopped = false;
  const readOne = async (s: (typeof stale)[number]) => {
    if (stopped) return;
    const { doc, read } = await readDoc(s.provider, s.summary, s.stamp, ctx, pool, here);
    progress?.done(1);
    if (stopped) return;
    try {
      writer.add(doc, s.summary);
    } catch (error) {
      stopped = true;
      throw error;
    }
    if (read !== undefined) options.onRead?.(s.provider, s.summary, read, s.stamp);
  };
  const lane = (async () => {
    for (const s of large) await readOne(s);
  })();
  const all = mapLimit(
    rest,
    pool === undefined ? READ_CONCURRENCY : POOL_CONCURRENCY,
    readOne,
  );
  const settled = await Promise.allSettled([all, lane]);
  const failed = settled.find((r) => r.status === "rejected");
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  writer.flush();
  return { read: stale.length, removed: gone.length, rows };
}
