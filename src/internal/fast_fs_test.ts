import assert from "node:assert/strict";
import * as path from "node:path";
import fc from "fast-check";
import { statFile } from "./fast_fs.ts";
import {
  readText,
  readTextChunks,
  sampleFile,
  wholeCharactersEnd,
  withFileRead,
} from "./file_reads.ts";

async function chunksOf(file: string, chunkBytes: number): Promise<string> {
  const pieces: string[] = [];
  for await (const piece of readTextChunks(file, chunkBytes)) pieces.push(piece);
  return pieces.join("");
}

Deno.test("readTextChunks() gives, at any piece size, the text one TextDecoder gives for the whole file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = path.join(dir, "t.jsonl");
    // Bytes around UTF-8's edges: ASCII, lead bytes of 2, 3 and 4, continuation
    // bytes, bytes that are never UTF-8, and a BOM's.
    const byte = fc.constantFrom(
      0x41,
      0x0a,
      0x7f,
      0x80,
      0x8f,
      0xa0,
      0xbf,
      0xc0,
      0xc3,
      0xdf,
      0xe0,
      0xe2,
      0xed,
      0xef,
      0xbb,
      0xf0,
      0xf4,
      0xf5,
      0xf8,
      0xff,
    );
    const text = fc.string({ unit: "binary", maxLength: 12 }).map((s) =>
      Array.from(new TextEncoder().encode(s))
    );
    const bytes = fc.array(fc.oneof(byte.map((b) => [b]), text), { maxLength: 20 })
      .map((parts) => new Uint8Array(parts.flat()));
    await fc.assert(
      fc.asyncProperty(bytes, fc.integer({ min: 1, max: 9 }), async (data, chunkBytes) => {
        await Deno.writeFile(file, data);
        assert.equal(await chunksOf(file, chunkBytes), new TextDecoder().decode(data));
      }),
      { numRuns: 400 },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readTextChunks() drops a BOM at the start only, and keeps U+FEFF in the text", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = path.join(dir, "bom.jsonl");
    await Deno.writeTextFile(file, "\ufeffab\ufeffc");
    for (const size of [1, 2, 3, 4, 64]) assert.equal(await chunksOf(file, size), "ab\ufeffc");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("wholeCharactersEnd() stops before a character whose bytes are not all read", () => {
  const euro = [0xe2, 0x82, 0xac]; // €
  const at = (bytes: number[]) => wholeCharactersEnd(new Uint8Array(bytes), bytes.length);
  assert.equal(at([0x41, ...euro]), 4);
  assert.equal(at([0x41, 0xe2, 0x82]), 1);
  assert.equal(at([0x41, 0xe2]), 1);
  assert.equal(at([0x41, 0xf0, 0x9f, 0x98]), 1); // 3 of an emoji's 4
  assert.equal(at([0x80, 0x80, 0x80, 0x80]), 4); // no lead: never a character
  assert.equal(at([]), 0);
});

Deno.test("withFileRead() with the caller's stat holds the file from one read, with that stat's mtime", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = path.join(dir, "s.jsonl");
    await Deno.writeTextFile(file, '{"a":"héllo"}\n');
    const stat = (await statFile(file))!;
    const seen = await withFileRead(file, 1024, async () => {
      await Deno.writeTextFile(file, '{"a":"changed"}\n'); // not seen: read once, before
      const sample = await sampleFile(file, { headBytes: 64, tailBytes: 64 });
      return { text: await readText(file), mtime: sample.mtimeMs, size: sample.size };
    }, stat);
    assert.deepEqual(seen, { text: '{"a":"héllo"}\n', mtime: stat.mtimeMs, size: stat.size });
    assert.equal(await readText(file), '{"a":"changed"}\n');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withFileRead() does not hold a file that grew past its limit since the caller's stat", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = path.join(dir, "s.jsonl");
    await Deno.writeTextFile(file, "small\n");
    const stat = (await statFile(file))!;
    await Deno.writeTextFile(file, "x".repeat(2048));
    const seen = await withFileRead(file, 1024, async () => {
      await Deno.writeTextFile(file, "after\n"); // read from disk: the file was not held
      return await readText(file);
    }, stat);
    assert.equal(seen, "after\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
