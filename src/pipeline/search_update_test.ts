import assert from "node:assert/strict";
import { updateIndex } from "./search_update.ts";
import type { IndexDoc, SearchIndex } from "../internal/search_index.ts";
import type { Provider, ProviderContext, SessionSummary } from "../providers/types.ts";
import type { FileStat } from "../internal/fast_fs.ts";

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

/** An index that keeps what it is given, and throws on the write `failOn` (1-based). */
function fakeIndex(failOn = 0) {
  const writes: IndexDoc[][] = [];
  const index = {
    stamps: () => new Map(),
    write(docs: readonly IndexDoc[]) {
      if (docs.length === 0) return;
      if (writes.length + 1 === failOn) throw new Error("disk full");
      writes.push([...docs]);
    },
  } as unknown as SearchIndex;
  return { index, writes };
}

Deno.test("updateIndex() writes every session once, in transactions of 250 or more but the last", async () => {
  const { sessions, fileStats } = listed(640);
  const { index, writes } = fakeIndex();
  const done = await updateIndex(index, sessions, [provider], ctx, { fileStats });
  assert.deepEqual(done, { read: 640, removed: 0 });
  const paths = writes.flat().map((d) => d.path).sort();
  assert.deepEqual(paths, sessions.map((s) => s.summary.path).sort());
  const sizes = writes.map((w) => w.length);
  assert.ok(sizes.slice(0, -1).every((n) => n >= 250) && sizes.length <= 3, sizes.join(","));
  const one = writes.flat().find((d) => d.path === "/nowhere/s7.jsonl");
  assert.equal(one?.text.user, "prompt of /nowhere/s7.jsonl");
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
