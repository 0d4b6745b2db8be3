import assert from "node:assert/strict";
import * as path from "node:path";
import { readText, sampleFile, statFile, withFileRead } from "./fast_fs.ts";

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
