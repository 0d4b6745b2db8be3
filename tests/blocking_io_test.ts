import assert from "node:assert/strict";
import * as path from "node:path";
import { readsOf } from "./blocking_io_reads.ts";

async function inWorker(files: string[], blocking: boolean) {
  const worker = new Worker(new URL("./blocking_io_probe.ts", import.meta.url), { type: "module" });
  try {
    return await new Promise<{ blocking: boolean; reads: unknown[] }>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage({ files, blocking });
    });
  } finally {
    worker.terminate();
  }
}

Deno.test("a worker's blocking reads give what asynchronous reads give, errors included", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lines = Array.from({ length: 40 }, (_, i) => `{"n":${i},"t":"héllo 🚀 ${i}"}`).join("\n");
    const files = {
      jsonl: path.join(dir, "a.jsonl"),
      bom: path.join(dir, "bom.json"),
      empty: path.join(dir, "empty.jsonl"),
      missing: path.join(dir, "missing.jsonl"),
      folder: path.join(dir, "folder"),
    };
    await Deno.writeTextFile(files.jsonl, lines + "\n");
    await Deno.writeFile(
      files.bom,
      new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":"b"}')]),
    );
    await Deno.writeTextFile(files.empty, "");
    await Deno.mkdir(files.folder);
    const list = Object.values(files);
    const here = await readsOf(list);
    const blocking = await inWorker(list, true);
    const async = await inWorker(list, false);
    assert.equal(blocking.blocking, true);
    assert.equal(async.blocking, false);
    assert.deepEqual(async.reads, here);
    assert.deepEqual(blocking.reads, here);
    // The answers are real: the file's text, and the missing file's error.
    const first = here[0] as { chunks: string; sample: { head: string } };
    assert.equal(first.chunks, lines + "\n");
    assert.ok(first.sample.head.startsWith('{"n":0'));
    assert.deepEqual((here[3] as { chunks: unknown }).chunks, { error: "NotFound" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
