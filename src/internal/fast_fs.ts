/**
 * The file I/O layer for hot paths: directory walks, `stat`, small whole reads,
 * atomic writes and bounded concurrency (reading session files is in
 * `file_reads.ts`). Under Deno it uses Deno's own file API (about twice as fast
 * as `node:fs` under Deno for many small reads); under Bun and Node it uses
 * `node:fs`. Nothing else in `src/` but these two files touches `Deno.*`.
 *
 * @module
 */
import { readFileSync, statSync } from "node:fs";
import * as fsp from "node:fs/promises";
import * as nodePath from "node:path";
import { noteDenied } from "./denied.ts";

// Deno's namespace, when running under Deno (typed by `deno check`, absent in Bun and Node).
const D: typeof Deno | undefined = (globalThis as { Deno?: typeof Deno }).Deno;

/** Whether this thread's file calls block (see {@linkcode useBlockingIo}). */
let blocking = false;

/**
 * Makes this thread's reads and stats block, for a worker thread that does
 * nothing but read and parse session files: an asynchronous call is handed to
 * another thread (under Deno with a duplicated file descriptor for each read),
 * which costs more than the call itself when the file is in the page cache
 * (5 GB read 64 KiB at a time: 1.0 s blocking, 3.1 s asynchronously, 8 at
 * once). The main thread keeps its calls asynchronous: it must stay free to
 * answer the workers, draw progress and stop on Ctrl-C.
 */
export function useBlockingIo(): void {
  blocking = true;
}

/**
 * Whether this thread's file calls block.
 *
 * @returns `true` after {@linkcode useBlockingIo}.
 */
export function isBlockingIo(): boolean {
  return blocking;
}

/** What {@linkcode statFile} returns. */
export interface FileStat {
  /** Size in bytes. */
  size: number;
  /** Modification time, epoch ms (fractional where the platform has it). */
  mtimeMs: number;
  /** Whether it is a regular file. */
  isFile: boolean;
  /** Whether it is a directory. */
  isDir: boolean;
}

/**
 * `stat` that never throws: a missing or unreadable path is `undefined`.
 *
 * @param path The path.
 * @returns Size, mtime and kind, or `undefined`.
 */
export async function statFile(path: string): Promise<FileStat | undefined> {
  if (blocking) return statFileSync(path);
  try {
    if (D) {
      const s = await D.stat(path);
      return {
        size: s.size,
        mtimeMs: s.mtime?.getTime() ?? 0,
        isFile: s.isFile,
        isDir: s.isDirectory,
      };
    }
    const s = await fsp.stat(path);
    return { size: s.size, mtimeMs: s.mtimeMs, isFile: s.isFile(), isDir: s.isDirectory() };
  } catch (error) {
    noteDenied(error, path);
    return undefined;
  }
}

/**
 * {@linkcode statFile} without the promise: for scans that stat thousands of
 * files whose summaries are cached, where one synchronous call per file costs
 * a fraction of an asynchronous one.
 *
 * @param path The path.
 * @returns Size, mtime and kind, or `undefined`.
 */
export function statFileSync(path: string): FileStat | undefined {
  try {
    if (D) {
      const s = D.statSync(path);
      return {
        size: s.size,
        mtimeMs: s.mtime?.getTime() ?? 0,
        isFile: s.isFile,
        isDir: s.isDirectory,
      };
    }
    const s = statSync(path);
    return { size: s.size, mtimeMs: s.mtimeMs, isFile: s.isFile(), isDir: s.isDirectory() };
  } catch (error) {
    noteDenied(error, path);
    return undefined;
  }
}

/** One directory entry. */
export interface FastDirEntry {
  /** The entry name. */
  name: string;
  /** The full path. */
  path: string;
  /** Whether it is a directory. */
  isDir: boolean;
  /** Whether it is a regular file. */
  isFile: boolean;
}

/**
 * Lists a directory (unsorted); a missing or unreadable directory lists as empty.
 *
 * @param dir The directory.
 * @returns Its entries.
 */
export async function readDirEntries(dir: string): Promise<FastDirEntry[]> {
  const out: FastDirEntry[] = [];
  // The directory joined once: an entry's name holds no separator.
  const base = nodePath.join(dir, "_").slice(0, -1);
  try {
    if (D) {
      // One synchronous listing costs far less than an asynchronous iteration.
      for (const e of D.readDirSync(dir)) {
        out.push({
          name: e.name,
          path: base + e.name,
          isDir: e.isDirectory,
          isFile: e.isFile,
        });
      }
      return out;
    }
    for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
      out.push({
        name: e.name,
        path: base + e.name,
        isDir: e.isDirectory(),
        isFile: e.isFile(),
      });
    }
  } catch (error) {
    noteDenied(error, dir);
    return [];
  }
  return out;
}

/**
 * Reads a whole small file as UTF-8; `undefined` when it is missing or unreadable.
 *
 * @param path The file.
 * @returns The text.
 */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    if (blocking) return D ? D.readTextFileSync(path) : readFileSync(path, "utf8");
    return D ? await D.readTextFile(path) : await fsp.readFile(path, "utf8");
  } catch (error) {
    noteDenied(error, path);
    return undefined;
  }
}

/**
 * Writes a small file atomically: a unique temp file in the same directory,
 * then a rename over the destination (creating the directory). Concurrent
 * writers never see or leave a partial file; the last rename wins.
 *
 * @param path The destination.
 * @param text The content.
 */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  const dir = nodePath.dirname(path);
  await fsp.mkdir(dir, { recursive: true });
  const temp = nodePath.join(
    dir,
    `.${nodePath.basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`,
  );
  try {
    if (D) await D.writeTextFile(temp, text, { mode: 0o600 });
    else await fsp.writeFile(temp, text, { encoding: "utf8", mode: 0o600 });
    await fsp.rename(temp, path);
  } catch (error) {
    await fsp.rm(temp, { force: true }).catch(() => {});
    throw error;
  }
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping order.
 *
 * @param items The inputs.
 * @param limit The most concurrent calls.
 * @param fn The async mapper.
 * @returns The outputs, in input order.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
