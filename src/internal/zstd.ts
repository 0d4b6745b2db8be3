/**
 * Zstandard-compressed text (Codex's `.jsonl.zst` rollouts, OpenClaw's
 * `event_zstd` rows), through `node:zlib`'s zstd decoder where the runtime has
 * one (Deno 2.9, Node 22.15 and later, Bun); nothing here decodes zstd itself.
 *
 * @module
 */
import * as fs from "node:fs";
import { pipeline, type Transform } from "node:stream";
import { builtinModule } from "./runtime.ts";

/** The part of `node:zlib` used here (absent on runtimes without zstd). */
interface ZstdZlib {
  zstdDecompressSync?: (bytes: Uint8Array) => Uint8Array;
  createZstdDecompress?: () => Transform;
}

function zlib(): ZstdZlib | undefined {
  return builtinModule<ZstdZlib>("node:zlib");
}

/**
 * Why zstd text cannot be read here, or `undefined` when it can.
 *
 * @returns A reason in a few words, for an error message.
 */
export function zstdUnavailable(): string | undefined {
  const z = zlib();
  return typeof z?.zstdDecompressSync === "function" &&
      typeof z.createZstdDecompress === "function"
    ? undefined
    : "this runtime has no zstd decoder (Deno, Bun and Node 22.15 or later have one)";
}

/**
 * Decodes one zstd frame of UTF-8 text.
 *
 * @param bytes The compressed bytes.
 * @returns The text, or `undefined` when the runtime has no decoder or the bytes are not zstd.
 *
 * @example
 * ```ts
 * import { zstdText } from "./zstd.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(zstdText(new Uint8Array([1, 2, 3])), undefined);
 * ```
 */
export function zstdText(bytes: Uint8Array): string | undefined {
  const decode = zlib()?.zstdDecompressSync;
  if (typeof decode !== "function") return undefined;
  try {
    return new TextDecoder().decode(decode(bytes));
  } catch {
    return undefined;
  }
}

/**
 * The text of a zstd-compressed file, decompressed as it is read, in pieces
 * (a large rollout is never one buffer). A byte-order mark is dropped at the
 * start; bytes that are not UTF-8 read as U+FFFD.
 *
 * @param path The `.zst` file.
 * @returns The pieces of text, in order.
 * @throws {Error} When the runtime has no decoder ({@linkcode zstdUnavailable}
 * says so beforehand), the file cannot be read, or it is not zstd.
 */
export async function* zstdTextChunks(path: string): AsyncGenerator<string> {
  const create = zlib()?.createZstdDecompress;
  if (typeof create !== "function") throw new Error(zstdUnavailable());
  const decoder = new TextDecoder("utf-8");
  const out = create();
  // A failed read or a bad frame ends the iteration below with its error.
  pipeline(fs.createReadStream(path), out, () => {});
  for await (const chunk of out as AsyncIterable<Uint8Array>) {
    const text = decoder.decode(chunk, { stream: true });
    if (text !== "") yield text;
  }
  const rest = decoder.decode();
  if (rest !== "") yield rest;
}
