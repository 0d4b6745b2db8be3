import assert from "node:assert/strict";
import { updateIndex } from "./search_update.ts";
import type { IndexDoc, IndexStamp, SearchIndex } from "../internal/search_index.ts";
import type { Provider, ProviderContext, SessionSummary } from "../providers/types.ts";
import type { FileStat } from "../internal/fast_fs.ts";
import type { ReadPool } from "./read_pool.ts";

const ctx = { env: {}, homeDir: "/nowhere", cwd: "/nowhere" } as unknown as ProviderContext;

/** A provider whose sessions each hold one prompt naming their file, read after a random wait. */
const provider = {
  id: "fake",
  read: async (path: string) => {
    await new Promise((done) => setTimeout(done, Math.random() * 3));
    return {
      session: {
        id: path,
        provider: "fake",
        metadata: {},
        messages: [{
          index: 0,
          role: "user",
          text: `prompt of ${path}`,
          toolCalls: [],
          toolResults: [],
        }],
      },
      warnings: [],
    };
  },
} as unknown as Provider;

function listed(n: number) {
  const sessions = Array.from({ length: n }, (_, i) => ({
    provider,
    summary: { id: `s${i}`, provider: "fake", path: `/nowhere/s${i}.jsonl` } as SessionSummary,
  }));
  const fileStats = new Map<string, FileStat>(
    sessions.map((s) => [s.summary.path, { size: 10, mtimeMs: 1, isFile: true, isDir: false }]),
  );
  return { sessions, fileStats };
}

/**
 * An index that keeps what it is given (row ids from 1000 up), holds the rows
 * `had` stamps, and throws on the write `failOn` (1-based).
 */
function fakeIndex(failOn = 0, had = new Map<string, IndexStamp>()) {
  const writes: IndexDoc[][] = [];
  const rowOf = new Map<IndexDoc, number>();
  let next = 1000;
  const index = {
    stamps: () => had,
    write(docs: readonly IndexDoc[]) {
      if (docs.length === 0) return [];
      if (writes.length + 1 === failOn) throw new Error("disk full");
      writes.push([...docs]);
      return docs.map((d) => {
        rowOf.set(d, next);
        return next++;
      });
    },
  } as unknown as SearchIndex;
  return { index, writes, rowOf };
}

Deno.test("updateIndex() writes every session once, in transactions of 250 or more but the last", async () => {
  const { sessions, fileStats } = listed(640);
  const { index, writes, rowOf } = fakeIndex();
  const done = await updateIndex(index, sessions, [provider], ctx, { fileStats });
  assert.deepEqual({ read: done.read, removed: done.removed }, { read: 640, removed: 0 });
  assert.equal(done.rows.size, 640);
  for (const d of writes.flat()) {
    assert.equal(done.rows.get(rowOf.get(d)!)?.path, d.path, "each row id names its session");
  }
  const paths = writes.flat().map((d) => d.path).sort();
  assert.deepEqual(paths, sessions.map((s) => s.summary.path).sort());
  const sizes = writes.map((w) => w.length);
  assert.ok(sizes.slice(0, -1).every((n) => n >= 250) && sizes.length <= 3, sizes.join(","));
  const one = writes.flat().find((d) => d.path === "/nowhere/s7.jsonl");
  assert.equal(one?.text.user, "prompt of /nowhere/s7.jsonl");
});

Deno.test("updateIndex() reads only what changed, and names the rows it kept and wrote", async () => {
  const { sessions, fileStats } = listed(4);
  const had = new Map<string, IndexStamp>([
    ["fake\0/nowhere/s0.jsonl", { rowid: 7, size: 10, mtime: 1, title: "" }],
    ["fake\0/nowhere/s1.jsonl", { rowid: 8, size: 11, mtime: 1, title: "" }], // grew
    ["fake\0/nowhere/gone.jsonl", { rowid: 9, size: 10, mtime: 1, title: "" }],
  ]);
  const { index, writes, rowOf } = fakeIndex(0, had);
  const done = await updateIndex(index, sessions, [provider], ctx, { fileStats });
  assert.deepEqual({ read: done.read, removed: done.removed }, { read: 3, removed: 1 });
  assert.deepEqual(writes.flat().map((d) => d.path).sort(), [
    "/nowhere/s1.jsonl",
    "/nowhere/s2.jsonl",
    "/nowhere/s3.jsonl",
  ]);
  assert.equal(done.rows.get(7)?.id, "s0", "an unchanged session keeps its row");
  assert.equal(done.rows.get(8), undefined, "a changed session's old row is not a result");
  assert.equal(done.rows.get(9), undefined);
  const s1 = writes.flat().find((d) => d.path === "/nowhere/s1.jsonl")!;
  assert.equal(done.rows.get(rowOf.get(s1)!)?.id, "s1");
  assert.equal(done.rows.size, 4);
});

Deno.test("updateIndex() rejects with a write's error, and stops reading", async () => {
  const { sessions, fileStats } = listed(900);
  const { index, writes } = fakeIndex(2);
  let reads = 0;
  const counting = {
    ...provider,
    read: (...args: Parameters<Provider["read"]>) => {
      reads++;
      return provider.read(...args);
    },
  } as Provider;
  const mine = sessions.map((s) => ({ ...s, provider: counting }));
  await assert.rejects(
    updateIndex(index, mine, [counting], ctx, { fileStats }),
    /disk full/,
  );
  assert.equal(writes.length, 1);
  assert.ok(reads < 900, `read ${reads} of 900 after the write failed`);
});

Deno.test("updateIndex() writes a transaction once its sessions hold 4 million characters", async () => {
  const { sessions, fileStats } = listed(10);
  const { index, writes } = fakeIndex();
  const wordy = {
    ...provider,
    read: async (path: string) => {
      const read = await provider.read(path, ctx);
      read.session.messages[0]!.text = `${path} ${"x".repeat(1_500_000)}`;
      return read;
    },
  } as Provider;
  const mine = sessions.map((s) => ({ ...s, provider: wordy }));
  await updateIndex(index, mine, [wordy], ctx, { fileStats });
  // 1.5 million characters each: a transaction is written at the third.
  assert.deepEqual(writes.map((w) => w.length), [3, 3, 3, 1]);
});

Deno.test("updateIndex() gives the workers sessions over 8 MB one at a time, beside the others", async () => {
  const { sessions, fileStats } = listed(120);
  for (const [i, s] of sessions.entries()) {
    if (i % 10 === 0) {
      fileStats.set(s.summary.path, { ...fileStats.get(s.summary.path)!, size: 9e6 });
    }
  }
  let large = 0;
  let mostLarge = 0;
  let small = 0;
  let smallBeside = 0;
  const pool = {
    run: async (job: { path: string }) => {
      const big = fileStats.get(job.path)!.size > 8e6;
      if (big) mostLarge = Math.max(mostLarge, ++large);
      else {
        small++;
        if (large > 0) smallBeside++;
      }
      await new Promise((done) => setTimeout(done, big ? 8 : Math.random() * 2));
      if (big) large--;
      return {
        ok: true,
        value: { text: { user: job.path, assistant: "", tool: "" }, count: 1, lastAt: null },
        denied: [],
      };
    },
  } as unknown as ReadPool;
  const { index, writes } = fakeIndex();
  await updateIndex(index, sessions, [provider], ctx, { fileStats, pool });
  assert.equal(writes.flat().length, 120);
  assert.equal(small, 108);
  assert.equal(mostLarge, 1);
  assert.ok(smallBeside > 0, "no small session was read while a large one was");
});
