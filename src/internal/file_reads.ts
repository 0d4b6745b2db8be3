/**
 * Reading session files on hot paths: head and tail samples, text in chunks,
 * whole small files, and one read shared by the jobs that need a file in more
 * than one way ({@linkcode withFileRead}). Under Deno it uses Deno's own file
 * API (about twice as fast as `node:fs` under Deno for many small reads); under
 * Bun and Node it uses `node:fs`.
 *
 * @module
 */
import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import { noteDenied } from "./denied.ts";
import { type FileStat, isBlockingIo } from "./fast_fs.ts";

// Deno's namespace, when running under Deno (typed by `deno check`, absent in Bun and Node).
const D: typeof Deno | undefined = (globalThis as { Deno?: typeof Deno }).Deno;

/** An open file for positioned reads. */
interface Reader {
  size: number;
  mtimeMs: number;
  readAt(buffer: Uint8Array, position: number): Promise<number>;
  close(): Promise<void>;
}

async function openReader(path: string): Promise<Reader> {
  try {
    return await openReaderOnce(path);
  } catch (error) {
    noteDenied(error, path); // callers skip unreadable files; the list says so
    throw error;
  }
}

async function openReaderOnce(path: string): Promise<Reader> {
  if (isBlockingIo()) {
    const reader = openSyncReaderOnce(path);
    return {
      size: reader.size,
      mtimeMs: reader.mtimeMs,
      readAt: (buffer, position) => Promise.resolve(reader.readAt(buffer, position)),
      close: () => Promise.resolve(reader.close()),
    };
  }
  if (D) {
    const file = await D.open(path, { read: true });
    try {
      const s = await file.stat();
      let at = 0;
      return {
        size: s.size,
        mtimeMs: s.mtime?.getTime() ?? 0,
        async readAt(buffer, position) {
          if (position !== at) await file.seek(position, D.SeekMode.Start);
          let done = 0;
          while (done < buffer.length) {
            const n = await file.read(buffer.subarray(done));
            if (n === null || n === 0) break;
            done += n;
          }
          at = position + done;
          return done;
        },
        close() {
          file.close();
          return Promise.resolve();
        },
      };
    } catch (error) {
      file.close();
      throw error;
    }
  }
  const handle = await fsp.open(path, "r");
  try {
    const s = await handle.stat();
    return {
      size: s.size,
      mtimeMs: s.mtimeMs,
      async readAt(buffer, position) {
        let done = 0;
        while (done < buffer.length) {
          const { bytesRead } = await handle.read(
            buffer,
            done,
            buffer.length - done,
            position + done,
          );
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return done;
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** An open file for positioned reads that block (see `useBlockingIo` in `fast_fs.ts`). */
interface SyncReader {
  size: number;
  mtimeMs: number;
  readAt(buffer: Uint8Array, position: number): number;
  close(): void;
}

/**
 * Reads with blocking calls until `buffer` is full or the file ends.
 *
 * @param buffer Where the bytes go.
 * @param read Reads into a view of what is left (`done` bytes are in), returning how many came (0 or `null` at the end).
 * @returns How many bytes came.
 */
function fillSync(
  buffer: Uint8Array,
  read: (into: Uint8Array, done: number) => number | null,
): number {
  let done = 0;
  while (done < buffer.length) {
    const n = read(buffer.subarray(done), done);
    if (n === null || n === 0) break;
    done += n;
  }
  return done;
}

function openSyncReaderOnce(path: string): SyncReader {
  if (D) {
    const file = D.openSync(path, { read: true });
    try {
      const stat = file.statSync();
      let at = 0;
      return {
        size: stat.size,
        mtimeMs: stat.mtime?.getTime() ?? 0,
        readAt(buffer, position) {
          if (position !== at) file.seekSync(position, D.SeekMode.Start);
          const done = fillSync(buffer, (into) => file.readSync(into));
          at = position + done;
          return done;
        },
        close: () => file.close(),
      };
    } catch (error) {
      file.close();
      throw error;
    }
  }
  const fd = fs.openSync(path, "r");
  try {
    const stat = fs.fstatSync(fd);
    return {
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      readAt: (buffer, position) =>
        fillSync(buffer, (into, done) => fs.readSync(fd, into, 0, into.length, position + done)),
      close: () => fs.closeSync(fd),
    };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

const DECODER = new TextDecoder();

/** The head and tail of a file, as whole lines. */
export interface FileSample {
  /** The file size when it was opened. */
  size: number;
  /** The modification time when it was opened, epoch ms. */
  mtimeMs: number;
  /** Whether `head` is the whole file (then `tail` is empty). */
  whole: boolean;
  /** The first bytes, cut after the last complete line (unless `whole`). */
  head: string;
  /** Bytes of the file that `head` covers. */
  headBytes: number;
  /** The last bytes, from the first line start inside them; empty when `whole`. */
  tail: string;
  /** Bytes of the file that `tail` covers. */
  tailBytes: number;
}

/** Options for {@linkcode sampleFile}. */
export interface SampleFileOptions {
  /** Bytes to read from the start. */
  headBytes: number;
  /** Bytes to read from the end. */
  tailBytes: number;
  /** Files up to this size are read whole. */
  wholeBytes?: number;
  /**
   * Called with the head read so far; returning `false` reads more of it (each
   * time twice as much) until `maxHeadBytes`. For formats whose first useful
   * record can sit behind large metadata records.
   */
  headIsEnough?: (head: string) => boolean;
  /** The most head to read when `headIsEnough` keeps asking. */
  maxHeadBytes?: number;
}

function decodeLines(bytes: Uint8Array, fromStart: boolean, toEnd: boolean): string {
  let start = 0;
  let end = bytes.length;
  if (!fromStart) {
    const nl = bytes.indexOf(10);
    start = nl === -1 ? end : nl + 1;
  }
  if (!toEnd) {
    const nl = bytes.lastIndexOf(10);
    end = nl < start ? start : nl + 1;
  }
  return DECODER.decode(bytes.subarray(start, end));
}

/** An open file read whole, as a sample that is all head. */
async function wholeSample(reader: Reader): Promise<FileSample> {
  const buffer = new Uint8Array(reader.size);
  const n = await reader.readAt(buffer, 0);
  return sampleOfWhole(buffer.subarray(0, n), reader.size, reader.mtimeMs);
}

/** A whole file's bytes as a sample that is all head. */
function sampleOfWhole(bytes: Uint8Array, size: number, mtimeMs: number): FileSample {
  return {
    size,
    mtimeMs,
    whole: true,
    head: DECODER.decode(bytes),
    headBytes: bytes.length,
    tail: "",
    tailBytes: 0,
  };
}

/**
 * Reads the head and tail of a file in one open: what a listing needs without
 * reading the whole file. A file no larger than `wholeBytes` (default: head plus
 * tail) is read whole. Partial lines at the cut points are dropped, so every line
 * in `head` and `tail` is complete.
 *
 * @param path The file.
 * @param options Window sizes.
 * @returns The sample.
 * @throws When the file cannot be opened.
 */
export async function sampleFile(path: string, options: SampleFileOptions): Promise<FileSample> {
  const kept = held.get(path);
  if (
    kept !== undefined &&
    kept.sample.size <= (options.wholeBytes ?? options.headBytes + options.tailBytes)
  ) {
    return { ...kept.sample };
  }
  const reader = await openReader(path);
  try {
    const size = reader.size;
    const wholeBytes = options.wholeBytes ?? options.headBytes + options.tailBytes;
    if (size <= wholeBytes) return await wholeSample(reader);
    let headLength = Math.min(options.headBytes, size);
    let buffer = new Uint8Array(headLength);
    let got = await reader.readAt(buffer, 0);
    let head = decodeLines(buffer.subarray(0, got), true, got >= size);
    const maxHead = Math.min(size, options.maxHeadBytes ?? headLength);
    while (options.headIsEnough && got < maxHead && !options.headIsEnough(head)) {
      headLength = Math.min(maxHead, headLength * 2);
      const bigger = new Uint8Array(headLength);
      bigger.set(buffer.subarray(0, got));
      got += await reader.readAt(bigger.subarray(got), got);
      buffer = bigger;
      head = decodeLines(buffer.subarray(0, got), true, got >= size);
    }
    const tailStart = Math.max(got, size - options.tailBytes);
    let tail = "";
    let tailBytes = 0;
    if (tailStart < size) {
      const t = new Uint8Array(size - tailStart);
      const n = await reader.readAt(t, tailStart);
      // When the tail starts right where the head ended, its first line is whole
      // only if the head ended on a newline.
      const fromStart = tailStart === got && buffer[got - 1] === 10;
      tail = decodeLines(t.subarray(0, n), fromStart, true);
      tailBytes = n;
    }
    return {
      size,
      mtimeMs: reader.mtimeMs,
      whole: false,
      head,
      headBytes: got,
      tail,
      tailBytes,
    };
  } finally {
    await reader.close();
  }
}

/** How much {@linkcode readTextChunks} reads at a time. */
export const TEXT_CHUNK_BYTES = 64 * 1024;

/**
 * Reads a file as UTF-8 text in chunks of at most `chunkBytes` bytes, so a
 * file of any size is read in bounded memory (a character split between two
 * chunks is joined; a leading byte order mark is dropped). A file smaller than
 * one chunk is one read.
 *
 * @param path The file.
 * @param chunkBytes Bytes read at a time.
 * @returns The text, in pieces.
 * @throws When the file cannot be opened or read.
 *
 * @example
 * ```ts
 * import { readTextChunks } from "./file_reads.ts";
 * import assert from "node:assert/strict";
 * import * as fs from "node:fs";
 * import * as os from "node:os";
 * import * as path from "node:path";
 *
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), "casr-"));
 * const file = path.join(dir, "a.txt");
 * fs.writeFileSync(file, "héllo wörld");
 * const pieces: string[] = [];
 * for await (const piece of readTextChunks(file, 4)) pieces.push(piece);
 * assert.equal(pieces.join(""), "héllo wörld");
 * fs.rmSync(dir, { recursive: true });
 * ```
 */
export async function* readTextChunks(
  path: string,
  chunkBytes: number = TEXT_CHUNK_BYTES,
): AsyncGenerator<string> {
  const kept = held.get(path);
  if (kept !== undefined) {
    if (kept.sample.head !== "") yield kept.sample.head;
    return;
  }
  const reader = await openReader(path);
  try {
    // Each piece is decoded on its own, cut after its last whole character and
    // the rest carried to the next: Deno's streaming TextDecoder took about
    // twice as long over the same bytes. A BOM is dropped at the start only.
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    const length = Math.max(1, reader.size > 0 ? Math.min(chunkBytes, reader.size) : chunkBytes);
    const buffer = new Uint8Array(length + 3);
    let position = 0;
    let carried = 0;
    let begun = false;
    for (;;) {
      const n = await reader.readAt(buffer.subarray(carried, carried + length), position);
      if (n === 0) break;
      const end = carried + n;
      const cut = wholeCharactersEnd(buffer, end);
      const start = !begun && hasBom(buffer, end) ? 3 : 0;
      begun ||= cut > 0;
      position += n;
      if (cut > start) {
        const text = decoder.decode(buffer.subarray(start, cut));
        if (text !== "") yield text;
      }
      buffer.copyWithin(0, cut, end);
      carried = end - cut;
    }
    // A character cut short by the end of the file reads as U+FFFD.
    if (carried > 0) yield decoder.decode(buffer.subarray(0, carried));
  } finally {
    await reader.close();
  }
}

function hasBom(bytes: Uint8Array, end: number): boolean {
  return end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Where the UTF-8 in `bytes[0, end)` stops being whole: before a last
 * character whose bytes are not all there yet, else `end`. Bytes that can
 * never be a character are left in, to be replaced where they are.
 *
 * @param bytes The bytes.
 * @param end How many of them are read.
 * @returns The end of the whole characters (at most 3 before `end`).
 */
export function wholeCharactersEnd(bytes: Uint8Array, end: number): number {
  const stop = Math.max(0, end - 4);
  let lead = end - 1;
  while (lead >= stop && ((bytes[lead] as number) & 0xc0) === 0x80) lead--;
  if (lead < stop) return end;
  const first = bytes[lead] as number;
  const size = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return end - lead < size ? lead : end;
}

/**
 * Reads a whole file as UTF-8 (a leading byte order mark dropped).
 *
 * @param path The file.
 * @returns The text.
 * @throws When the file cannot be read.
 */
export async function readText(path: string): Promise<string> {
  const kept = held.get(path);
  if (kept !== undefined) return kept.sample.head;
  try {
    if (isBlockingIo()) {
      return D ? D.readTextFileSync(path) : stripBom(fs.readFileSync(path, "utf8"));
    }
    return D ? await D.readTextFile(path) : stripBom(await fsp.readFile(path, "utf8"));
  } catch (error) {
    noteDenied(error, path);
    throw error;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Files read whole by {@linkcode withFileRead}, by path, while its jobs run. */
const held = new Map<string, { sample: FileSample; users: number }>();

/**
 * Runs `use` with a small file read once: a file of at most `maxBytes` is read
 * whole, and until `use` settles, {@linkcode sampleFile}, {@linkcode readTextChunks}
 * and {@linkcode readText} of that path answer from that one read instead of
 * the disk. For jobs that read a file in more than one way, such as a listing
 * that summarizes a session and then counts its messages. A larger file, or one
 * that cannot be opened, is left to `use` to read as usual.
 *
 * @param path The file.
 * @param maxBytes The largest file held.
 * @param use The job.
 * @param stat The file's stat when the caller has one: a file it says is small
 * enough is then read in one call, and held with that stat's mtime.
 * @returns What `use` returns.
 *
 * @example
 * ```ts
 * import { readText, withFileRead } from "./file_reads.ts";
 * import assert from "node:assert/strict";
 * import * as fs from "node:fs";
 * import * as os from "node:os";
 * import * as path from "node:path";
 *
 * const dir = fs.mkdtempSync(path.join(os.tmpdir(), "casr-"));
 * const file = path.join(dir, "a.txt");
 * fs.writeFileSync(file, "first");
 * const seen = await withFileRead(file, 1024, async () => {
 *   fs.writeFileSync(file, "second"); // not seen: the file was read once, before
 *   return await readText(file);
 * });
 * assert.equal(seen, "first");
 * assert.equal(await readText(file), "second");
 * fs.rmSync(dir, { recursive: true });
 * ```
 */
export async function withFileRead<T>(
  path: string,
  maxBytes: number,
  use: () => Promise<T>,
  stat?: FileStat,
): Promise<T> {
  let kept = held.get(path);
  if (kept === undefined) {
    const sample = stat !== undefined && stat.size <= maxBytes
      ? await readWholeKnown(path, stat, maxBytes)
      : await readWholeIfSmall(path, maxBytes);
    if (sample === undefined) return await use();
    kept = held.get(path) ?? { sample, users: 0 };
    held.set(path, kept);
  }
  kept.users++;
  try {
    return await use();
  } finally {
    if (--kept.users === 0) held.delete(path);
  }
}

/**
 * A file whose stat the caller took, read whole in one call (under Deno one
 * operation instead of an open, a stat and a read): the sample carries that
 * stat's mtime. A file that grew past `maxBytes` since is not held.
 */
async function readWholeKnown(
  path: string,
  stat: FileStat,
  maxBytes: number,
): Promise<FileSample | undefined> {
  let bytes: Uint8Array | undefined;
  try {
    if (isBlockingIo()) bytes = readSmallSync(path, maxBytes);
    else bytes = D ? await D.readFile(path) : await fsp.readFile(path);
  } catch {
    return undefined;
  }
  if (bytes === undefined || bytes.length > maxBytes) return undefined;
  return sampleOfWhole(bytes, bytes.length, stat.mtimeMs);
}

/** The buffer {@linkcode readSmallSync} reads into, grown as needed. */
let smallBuffer = new Uint8Array(0);

/**
 * Reads a whole file of at most `maxBytes` with blocking calls into one buffer
 * kept for the next file: a new buffer per file (as `readFileSync` makes) cost
 * 1.7–1.9× the time over 6,687 files of up to 256 KiB, decoding included. The
 * answer is a view of that buffer, good until the next call; `undefined` when
 * the file holds more than `maxBytes`.
 */
function readSmallSync(path: string, maxBytes: number): Uint8Array | undefined {
  if (smallBuffer.length < maxBytes + 1) smallBuffer = new Uint8Array(maxBytes + 1);
  const buffer = smallBuffer.subarray(0, maxBytes + 1);
  let done: number;
  if (D) {
    const file = D.openSync(path, { read: true });
    try {
      done = fillSync(buffer, (into) => file.readSync(into));
    } finally {
      file.close();
    }
  } else {
    const fd = fs.openSync(path, "r");
    try {
      done = fillSync(buffer, (into) => fs.readSync(fd, into, 0, into.length, null));
    } finally {
      fs.closeSync(fd);
    }
  }
  return done > maxBytes ? undefined : buffer.subarray(0, done);
}

async function readWholeIfSmall(path: string, maxBytes: number): Promise<FileSample | undefined> {
  let reader: Reader;
  try {
    reader = await openReaderOnce(path);
  } catch {
    return undefined;
  }
  try {
    return reader.size > maxBytes ? undefined : await wholeSample(reader);
  } catch {
    return undefined;
  } finally {
    await reader.close();
  }
}
