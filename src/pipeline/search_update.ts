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

/** Sessions read and written to the index per transaction. */
const BATCH = 250;
/** Sessions read at once. */
const READ_CONCURRENCY = 8;
/**
 * Sessions larger than this are read in this thread, not in a worker: in a
 * worker their memory would come on top of this thread's, not instead of it.
 */
const POOL_MAX_BYTES = 8 * 1024 * 1024;
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

/**
 * Brings the index up to date with the listed sessions of some providers.
 *
 * @param index The open index.
 * @param listed The sessions listed, with their providers.
 * @param providers The providers listed (rows of others are left alone).
 * @param ctx Where to read.
 * @param options Stats already taken, and progress of the reads.
 * @returns How many sessions were read and removed.
 */
export async function updateIndex(
  index: SearchIndex,
  listed: readonly { provider: Provider; summary: SessionSummary }[],
  providers: readonly Provider[],
  ctx: ProviderContext,
  options: UpdateIndexOptions = {},
): Promise<{ read: number; removed: number }> {
  const progress = options.progress;
  const known = index.stamps(providers.map((p) => p.id));
  const seen = new Set<string>();
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
    ) continue;
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
  // time, and with workers also the largest sessions, in a lane of their own
  // beside the batches: a batch never waits for a 100 MB session.
  const here = pool === undefined ? undefined : oneAtATime();
  const large = pool === undefined ? [] : stale.filter((s) => s.stamp.size > POOL_MAX_BYTES);
  const batched = large.length === 0 ? stale : stale.filter((s) => s.stamp.size <= POOL_MAX_BYTES);
  let stopped = false;
  const lane = (async () => {
    for (const s of large) {
      if (stopped) return;
      const { doc, read } = await readDoc(s.provider, s.summary, s.stamp, ctx, undefined, here);
      progress?.done(1);
      if (stopped) return;
      index.write([doc]);
      if (read !== undefined) options.onRead?.(s.provider, s.summary, read, s.stamp);
    }
  })().then(() => undefined, (error: unknown) => ({ error }));
  const readBatch = (start: number): Promise<IndexDoc[]> =>
    mapLimit(
      batched.slice(start, start + BATCH),
      pool === undefined ? READ_CONCURRENCY : 32,
      async (s) => {
        const { doc, read } = await readDoc(s.provider, s.summary, s.stamp, ctx, pool, here);
        progress?.done(1);
        if (read !== undefined) options.onRead?.(s.provider, s.summary, read, s.stamp);
        return doc;
      },
    );
  try {
    // The next batch is being read (in the workers, when there are) while this
    // thread writes the last one.
    let reading = batched.length > 0 ? readBatch(0) : undefined;
    for (let start = 0; reading !== undefined; start += BATCH) {
      const docs = await reading;
      reading = start + BATCH < batched.length ? readBatch(start + BATCH) : undefined;
      // The pool sends its jobs off in a microtask: let it, before writing.
      await null;
      index.write(docs);
    }
  } catch (error) {
    stopped = true;
    await lane;
    throw error;
  }
  const failed = await lane;
  if (failed !== undefined) throw failed.error;
  return { read: stale.length, removed: gone.length };
}
