import assert from "node:assert/strict";
import * as path from "node:path";
import type { ProviderContext, SessionSummary } from "../model/provider_data.ts";
import { casrCacheDir, indexCacheFile, type IndexedSource, scanSessions } from "./session_index.ts";

/** A fake provider over `<dir>/*.txt`: a file's first line is its title; "skip" files are not sessions. */
function fakeSource(dir: string, calls: string[], version = 1): IndexedSource {
  return {
    id: "fake",
    summaryVersion: version,
    roots: () => [dir],
    async sessionFiles() {
      const out: string[] = [];
      for await (const e of Deno.readDir(dir)) {
        if (e.name.endsWith(".txt")) out.push(path.join(dir, e.name));
      }
      return out.sort();
    },
    async summarize(file): Promise<SessionSummary | undefined> {
      calls.push(path.basename(file));
      const text = await Deno.readTextFile(file);
      if (text.startsWith("skip")) return undefined;
      return {
        id: path.basename(file, ".txt"),
        provider: "fake",
        path: file,
        title: text.split("\n")[0] ?? "",
      };
    },
  };
}

async function withDir(
  fn: (dir: string, ctx: ProviderContext, cacheFile: string) => Promise<void>,
) {
  const dir = await Deno.makeTempDir({ prefix: "casr-index-" });
  try {
    const ctx: ProviderContext = { env: {}, homeDir: dir, cwd: dir };
    await Deno.mkdir(path.join(dir, "s"));
    await Deno.writeTextFile(path.join(dir, "s", "a.txt"), "Alpha\n");
    await Deno.writeTextFile(path.join(dir, "s", "b.txt"), "Beta\n");
    await Deno.writeTextFile(path.join(dir, "s", "c.txt"), "skip me\n");
    const cacheFile = indexCacheFile(casrCacheDir(ctx), fakeSource(path.join(dir, "s"), []), ctx);
    await fn(path.join(dir, "s"), ctx, cacheFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const titles = (s: SessionSummary[]) => s.map((x) => x.title).sort();

Deno.test("scanSessions() reads every file on a miss and none on a hit", async () => {
  await withDir(async (dir, ctx, cacheFile) => {
    const calls: string[] = [];
    const cold = await scanSessions(fakeSource(dir, calls), ctx, { cacheFile });
    assert.deepEqual(titles(cold.sessions), ["Alpha", "Beta"]);
    assert.deepEqual(cold.stats, { files: 3, hits: 0, misses: 3, wrote: true });
    calls.length = 0;
    const warm = await scanSessions(fakeSource(dir, calls), ctx, { cacheFile });
    assert.deepEqual(warm.sessions, cold.sessions);
    assert.deepEqual(calls, []);
    assert.deepEqual(warm.stats, { files: 3, hits: 3, misses: 0, wrote: false });
  });
});

Deno.test("scanSessions() re-reads a file whose size or mtime changed, and forgets removed files", async () => {
  await withDir(async (dir, ctx, cacheFile) => {
    const calls: string[] = [];
    await scanSessions(fakeSource(dir, calls), ctx, { cacheFile });
    calls.length = 0;
    await Deno.writeTextFile(path.join(dir, "a.txt"), "Alpha renamed\n");
    // Same size, new mtime.
    await Deno.writeTextFile(path.join(dir, "b.txt"), "Bet2\n");
    await Deno.utime(path.join(dir, "b.txt"), new Date(2020, 0, 1), new Date(2020, 0, 1));
    await Deno.remove(path.join(dir, "c.txt"));
    const next = await scanSessions(fakeSource(dir, calls), ctx, { cacheFile });
    assert.deepEqual(calls.sort(), ["a.txt", "b.txt"]);
    assert.deepEqual(titles(next.sessions), ["Alpha renamed", "Bet2"]);
    const cached = JSON.parse(await Deno.readTextFile(cacheFile));
    assert.deepEqual(Object.keys(cached.entries).map((p) => path.basename(p)).sort(), [
      "a.txt",
      "b.txt",
    ]);
  });
});

Deno.test("scanSessions() drops a cache written for another summary version", async () => {
  await withDir(async (dir, ctx, cacheFile) => {
    await scanSessions(fakeSource(dir, [], 1), ctx, { cacheFile });
    const calls: string[] = [];
    await scanSessions(fakeSource(dir, calls, 2), ctx, { cacheFile });
    assert.equal(calls.length, 3);
  });
});

Deno.test("scanSessions() rebuilds a corrupt or foreign cache file", async () => {
  await withDir(async (dir, ctx, cacheFile) => {
    await Deno.mkdir(path.dirname(cacheFile), { recursive: true });
    const bad = [
      "{not json",
      "",
      "null",
      "[]",
      JSON.stringify({ format: 1, provider: "other", summaryVersion: 1, entries: {} }),
      // Right header, entries that lie about their path or have the wrong shape.
      JSON.stringify({
        format: 1,
        provider: "fake",
        summaryVersion: 1,
        entries: {
          [path.join(dir, "a.txt")]: [6, 0, { id: "x", provider: "fake", path: "/elsewhere" }],
          [path.join(dir, "b.txt")]: "nope",
        },
      }),
    ];
    for (const text of bad) {
      await Deno.writeTextFile(cacheFile, text);
      const calls: string[] = [];
      const { sessions } = await scanSessions(fakeSource(dir, calls), ctx, { cacheFile });
      assert.deepEqual(titles(sessions), ["Alpha", "Beta"], text);
      assert.equal(calls.length, 3, text);
      JSON.parse(await Deno.readTextFile(cacheFile)); // rewritten whole
    }
  });
});

Deno.test("scanSessions() stays correct when runs write the cache at the same time", async () => {
  await withDir(async (dir, ctx, cacheFile) => {
    for (let i = 0; i < 40; i++) {
      await Deno.writeTextFile(path.join(dir, `n${i}.txt`), `Title ${i}\n`);
    }
    const runs = await Promise.all(
      Array.from({ length: 6 }, () => scanSessions(fakeSource(dir, []), ctx, { cacheFile })),
    );
    for (const run of runs) assert.equal(run.sessions.length, 42);
    // The file left behind is one whole run's cache, and the next run hits it fully.
    const calls: string[] = [];
    const after = await scanSessions(fakeSource(dir, calls), ctx, { cacheFile });
    assert.deepEqual(calls, []);
    assert.equal(after.sessions.length, 42);
    const leftovers = [...Deno.readDirSync(path.dirname(cacheFile))].filter((e) =>
      e.name.endsWith(".tmp")
    );
    assert.deepEqual(leftovers, []);
  });
});

Deno.test("scanSessions() without a cache file writes nothing", async () => {
  await withDir(async (dir, ctx, cacheFile) => {
    const { stats } = await scanSessions(fakeSource(dir, []), ctx);
    assert.equal(stats.wrote, false);
    await assert.rejects(Deno.stat(cacheFile));
  });
});

Deno.test("casrCacheDir() follows CASR_CACHE_DIR, XDG_CACHE_HOME and the platform", () => {
  const ctx = (env: Record<string, string>): ProviderContext => ({ env, homeDir: "/h", cwd: "/w" });
  assert.equal(casrCacheDir(ctx({ CASR_CACHE_DIR: "c" }), "linux"), path.resolve("/w", "c"));
  assert.equal(casrCacheDir(ctx({ XDG_CACHE_HOME: "/x" }), "linux"), "/x/casr");
  assert.equal(casrCacheDir(ctx({ XDG_CACHE_HOME: "relative" }), "linux"), "/h/.cache/casr");
  assert.equal(casrCacheDir(ctx({}), "linux"), "/h/.cache/casr");
  assert.equal(casrCacheDir(ctx({}), "darwin"), "/h/Library/Caches/casr");
  assert.equal(
    casrCacheDir(ctx({ LOCALAPPDATA: "/l" }), "win32"),
    path.join("/l", "casr", "cache"),
  );
});
