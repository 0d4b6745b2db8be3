/**
 * File-system helpers shared by providers and the pipeline (node:fs only).
 *
 * @module
 */
import { constants } from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import process from "node:process";
import type { FileData, FileWrite } from "../model/provider_data.ts";
import { isHighSurrogate, textSlices } from "../model/normalize.ts";
import { rethrowIfNotCapable } from "./permission.ts";
import { noteDenied } from "./denied.ts";
import { wholeCharactersEnd } from "./file_reads.ts";

/** Whether a path exists (any kind). */
export async function exists(p: string): Promise<boolean> {
  try {
    await fsp.lstat(p);
    return true;
  } catch (error) {
    rethrowIfNotCapable(error, p, "read");
    noteDenied(error, p);
    return false;
  }
}

/** Whether a path is an existing directory. */
export async function isDir(p: string): Promise<boolean> {
  try {
    return (await fsp.stat(p)).isDirectory();
  } catch (error) {
    rethrowIfNotCapable(error, p, "read");
    noteDenied(error, p);
    return false;
  }
}

/** A directory entry with its kind. */
export interface DirEntry {
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
 * Lists a directory; a missing or unreadable directory lists as empty.
 *
 * @param dir The directory.
 * @returns Its entries, sorted by name.
 */
export async function listDir(dir: string): Promise<DirEntry[]> {
  try {
    const entries = await fsp.readdir(dir, { withFileTypes: true });
    return entries
      .map((e) => ({
        name: e.name,
        path: path.join(dir, e.name),
        isDir: e.isDirectory(),
        isFile: e.isFile(),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    rethrowIfNotCapable(error, dir, "read");
    noteDenied(error, dir);
    return [];
  }
}

/**
 * Reads the first `bytes` bytes of a file as UTF-8 (a partial last character is dropped).
 *
 * @param p The file.
 * @param bytes How many bytes at most.
 * @returns The text read.
 */
export async function readHead(p: string, bytes: number): Promise<string> {
  const handle = await fsp.open(p, "r").catch((error) => {
    noteDenied(error, p); // callers that skip unreadable files leave the report to the list
    throw error;
  });
  try {
    const buffer = new Uint8Array(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return new TextDecoder().decode(buffer.subarray(0, wholeCharactersEnd(buffer, bytesRead)));
  } finally {
    await handle.close();
  }
}

/** What {@linkcode writeFileAtomic} did, so it can be undone. */
export interface AtomicWriteRecord {
  /** The destination path. */
  path: string;
  /** The backup of the file that was replaced, when there was one. */
  backupPath?: string;
  /** Directories created on the way. */
  createdDirs: string[];
}

async function mkdirTracked(dir: string): Promise<string[]> {
  const created: string[] = [];
  let current = dir;
  const missing: string[] = [];
  while (!(await exists(current))) {
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const d of missing.reverse()) {
    try {
      await fsp.mkdir(d);
      created.push(d);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return created;
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const handle = await fsp.open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) cannot open directories; the rename is still atomic.
  }
}

/** Bytes encoded per write: a 100 MB session never needs a second 100 MB buffer. */
const WRITE_BYTES = 1 << 20;
/** Characters encoded at once: at most 3 bytes each, so a slice always fits an empty buffer. */
const ENCODE_CHARS = WRITE_BYTES / 4;

/**
 * A file's content as one string (its pieces joined).
 *
 * @param data The content.
 * @returns The text.
 *
 * @example
 * ```ts
 * import { fileText } from "./fs.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fileText("whole"), "whole");
 * assert.equal(fileText(["a\n", "b\n"]), "a\nb\n");
 * ```
 */
export function fileText(data: FileData): string {
  return typeof data === "string" ? data : [...data].join("");
}

/**
 * Content as UTF-8, in slices of up to {@linkcode WRITE_BYTES}: pieces are
 * encoded one after another into one buffer, which is handed out when full,
 * so writing allocates neither joined strings nor a buffer per slice. A slice
 * is valid until the next is asked for. A surrogate pair split between two
 * pieces is encoded whole; a lone surrogate becomes U+FFFD, as `TextEncoder`
 * makes it. What is written is exactly these bytes.
 */
function* encodedSlices(data: FileData): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(WRITE_BYTES);
  let used = 0;
  // Encodes a text of at most ENCODE_CHARS into the buffer, handing the
  // buffer out whenever it fills up.
  function* encode(text: string): Generator<Uint8Array> {
    for (;;) {
      const { read, written } = encoder.encodeInto(text, buffer.subarray(used));
      used += written;
      if (read === text.length) return;
      yield buffer.subarray(0, used);
      used = 0;
      text = text.slice(read);
    }
  }
  let carry = "";
  for (let piece of typeof data === "string" ? [data] : data) {
    if (carry !== "") piece = carry + piece;
    carry = "";
    if (isHighSurrogate(piece.charCodeAt(piece.length - 1))) {
      carry = piece.slice(-1);
      piece = piece.slice(0, -1);
    }
    for (const text of textSlices(piece, ENCODE_CHARS)) yield* encode(text);
  }
  if (carry !== "") yield* encode(carry);
  if (used > 0) yield buffer.subarray(0, used);
}

async function writeChunked(handle: fsp.FileHandle, data: FileData): Promise<void> {
  for (const bytes of encodedSlices(data)) {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
      done += bytesWritten;
    }
  }
}

/**
 * Whether a file holds exactly the bytes {@linkcode writeFileAtomic} would
 * write for `data`. Both are taken a slice at a time, so neither the file nor
 * the content is ever one string.
 *
 * @param path The file.
 * @param data The content.
 * @returns `true` when they are the same; `false` when they differ or the
 * file cannot be read.
 *
 * @example
 * ```ts
 * import { sameFileContent } from "./fs.ts";
 * import assert from "node:assert/strict";
 * import * as fs from "node:fs";
 * import * as os from "node:os";
 * import * as path from "node:path";
 *
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), "casr-"));
 * const file = path.join(dir, "a.jsonl");
 * fs.writeFileSync(file, "a\nb\n");
 * assert.equal(await sameFileContent(file, ["a\n", "b\n"]), true);
 * assert.equal(await sameFileContent(file, "a\n"), false);
 * fs.rmSync(dir, { recursive: true });
 * ```
 */
export async function sameFileContent(path: string, data: FileData): Promise<boolean> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, "r");
  } catch {
    return false;
  }
  try {
    const buffer = new Uint8Array(1 << 16);
    let position = 0;
    for (const bytes of encodedSlices(data)) {
      let offset = 0;
      while (offset < bytes.length) {
        const want = Math.min(buffer.length, bytes.length - offset);
        const { bytesRead } = await handle.read(buffer, 0, want, position);
        if (bytesRead === 0) return false;
        for (let i = 0; i < bytesRead; i++) if (buffer[i] !== bytes[offset + i]) return false;
        offset += bytesRead;
        position += bytesRead;
      }
    }
    return (await handle.read(buffer, 0, 1, position)).bytesRead === 0;
  } catch {
    return false;
  } finally {
    await handle.close().catch(() => {});
  }
}

/**
 * Writes a file so readers see either nothing or the whole content: a temp file
 * in the same directory, fsync, then rename over the destination (`overwrite`)
 * or hard-link to it (exclusive create: a file that appears meanwhile is never
 * replaced), then fsync the directory.
 *
 * @param file What to write.
 * @param options `overwrite` allows replacing an existing file, which is first
 * copied to `<path>.bak`.
 * @returns What was done, for {@linkcode undoAtomicWrite}.
 */
export async function writeFileAtomic(
  file: FileWrite,
  options: { overwrite?: boolean } = {},
): Promise<AtomicWriteRecord> {
  const dir = path.dirname(file.path);
  const createdDirs = await mkdirTracked(dir);
  let backupPath: string | undefined;
  if (await exists(file.path)) {
    if (!options.overwrite) {
      const error = new Error(`Cannot write "${file.path}": the file exists`) as
        & Error
        & { code: string };
      error.code = "EEXIST";
      throw error;
    }
    backupPath = await nextBackupPath(file.path);
    await fsp.copyFile(file.path, backupPath);
  }
  const temp = path.join(
    dir,
    `.${path.basename(file.path)}.casr-${crypto.randomUUID().slice(0, 8)}.tmp`,
  );
  const handle = await fsp.open(temp, "wx", file.mode ?? 0o600);
  try {
    await writeChunked(handle, file.data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await fsp.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    if (options.overwrite) {
      await fsp.rename(temp, file.path);
    } else {
      // Exclusive create: a hard link fails if the destination appeared since
      // the check above (a concurrent writer), where a rename would replace it.
      await fsp.link(temp, file.path);
      await fsp.rm(temp, { force: true });
    }
  } catch (error) {
    await fsp.rm(temp, { force: true });
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      const exists = new Error(`Cannot write "${file.path}": the file exists`) as
        & Error
        & { code: string };
      exists.code = "EEXIST";
      throw exists;
    }
    throw error;
  }
  await fsyncDir(dir);
  const record: AtomicWriteRecord = { path: file.path, createdDirs };
  if (backupPath !== undefined) record.backupPath = backupPath;
  return record;
}

/**
 * Undoes {@linkcode writeFileAtomic}: restores the backup (or removes the new
 * file) and removes directories it created, newest first, while they are empty.
 *
 * @param record What the write did.
 */
export async function undoAtomicWrite(record: AtomicWriteRecord): Promise<void> {
  if (record.backupPath !== undefined) {
    await fsp.rename(record.backupPath, record.path);
  } else {
    await fsp.rm(record.path, { force: true });
  }
  for (const dir of [...record.createdDirs].reverse()) {
    try {
      await fsp.rmdir(dir);
    } catch {
      break;
    }
  }
}

/**
 * The first free backup name for `file`: `<file>.bak`, then `<file>.bak.1`, `.bak.2`…
 *
 * @param file The file to back up.
 * @returns A path that does not exist yet.
 */
export async function nextBackupPath(file: string): Promise<string> {
  let candidate = `${file}.bak`;
  for (let n = 1; await exists(candidate); n++) candidate = `${file}.bak.${n}`;
  return candidate;
}

/**
 * Whether `target` is `root` or inside it, after resolving symlinks of the
 * longest existing part of `target` (so a link cannot lead a write outside).
 *
 * @param target The path to write.
 * @param root The directory writes must stay in.
 * @returns Whether the write stays inside.
 */
export async function isInside(target: string, root: string): Promise<boolean> {
  const realRoot = await resolveReal(root);
  const real = await resolveReal(target);
  const relative = path.relative(realRoot, real);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** Resolves symlinks in the longest existing part of `p`; the rest is appended as is. */
async function resolveReal(p: string): Promise<string> {
  let existing = path.resolve(p);
  const rest: string[] = [];
  while (!(await exists(existing))) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  let real = existing;
  try {
    real = await fsp.realpath(existing);
  } catch {
    // keep the path as given
  }
  return path.join(real, ...rest);
}

/** How old a lock may get before a later run treats its owner as dead. */
const STALE_LOCK_MS = 10 * 60 * 1000;

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes a cross-process lock: a file created with exclusive-create semantics,
 * holding the owner's PID. A lock whose owner is gone (killed) or that is older
 * than ten minutes is broken.
 *
 * @param lockPath The lock file.
 * @returns A release function, or `undefined` when another live run holds the lock.
 */
export async function tryLock(lockPath: string): Promise<(() => Promise<void>) | undefined> {
  for (let attempt = 0; attempt < 25; attempt++) {
    try {
      const handle = await fsp.open(lockPath, "wx", 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return async () => {
        await fsp.rm(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const stat = await fsp.stat(lockPath).catch(() => undefined);
      const owner = Number((await fsp.readFile(lockPath, "utf8").catch(() => "")).trim());
      const age = stat === undefined ? Infinity : Date.now() - stat.mtimeMs;
      const unnamed = owner === 0 || Number.isNaN(owner);
      // An unnamed lock younger than two seconds is being written right now:
      // wait for it. An older one was left by a run killed in between.
      if (unnamed && age < 2000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      if (!unnamed && age < STALE_LOCK_MS && processAlive(owner)) return undefined;
      await fsp.rm(lockPath, { force: true });
    }
  }
  return undefined;
}
