import assert from "node:assert/strict";
import * as path from "node:path";
import { listSessions, listSessionsWith } from "../src/pipeline/query.ts";
import { searchSessions } from "../src/pipeline/search.ts";
import { ReadPool, readThreads } from "../src/pipeline/read_pool.ts";
import { answerBuffers, runReadJob } from "../src/pipeline/read_jobs.ts";
import { type SessionText, textRead } from "../src/pipeline/search_text.ts";
import { getProvider } from "../mod.ts";
import { OFFLOAD_MIN } from "../src/internal/session_index.ts";
import { crowdedHome, tempHome } from "./fixture_home.ts";

Deno.test("list with worker threads gives exactly what it gives without them", async () => {
  await using h = await crowdedHome();
  const alone = await listSessions({ ...h.ctx, env: { ...h.ctx.env, CASR_READ_THREADS: "0" } }, {
    cache: false,
  });
  const pool = ReadPool.open(h.ctx, { threads: 2 });
  if (pool === undefined) return; // no Worker in this runtime: nothing to compare
  try {
    const threaded = await listSessionsWith(h.ctx, { cache: false }, pool);
    assert.ok(pool.answered >= OFFLOAD_MIN, `only ${pool.answered} jobs ran in threads`);
    assert.deepEqual(threaded.sessions, alone.sessions);
    assert.equal(threaded.total, alone.total);
    assert.ok(alone.total > OFFLOAD_MIN);
  } finally {
    pool.close();
  }
});

Deno.test("search builds the same index with worker threads as without", async () => {
  await using h = await crowdedHome();
  const run = (threads: string) =>
    searchSessions(
      { ...h.ctx, env: { ...h.ctx.env, CASR_READ_THREADS: threads } },
      "casr-fixture",
      { cacheDir: path.join(h.home, `cache-${threads}`), limit: 500 },
    );
  const alone = await run("0");
  const threaded = await run("2");
  assert.equal(threaded.index.read, alone.index.read);
  assert.ok(alone.index.read > OFFLOAD_MIN);
  assert.deepEqual(threaded.results, alone.results);
});

Deno.test("search reads sessions over 8 MB through the workers, one at a time, as without them", async () => {
  await using h = await crowdedHome();
  // One more copy whose prompt is 9 MB long: one for the lane of large sessions.
  const source = (await Array.fromAsync(Deno.readDir(path.join(h.home, ".claude", "projects"))))
    .filter((e) => e.isDirectory).map((e) => path.join(h.home, ".claude", "projects", e.name))[0];
  assert.ok(source !== undefined);
  const copy = (await Array.fromAsync(Deno.readDir(source))).find((e) =>
    e.name.startsWith("0d0d0d0d-")
  );
  assert.ok(copy !== undefined);
  const text = await Deno.readTextFile(path.join(source, copy.name));
  const id = "0d0d0d0d-1111-4222-8333-bbbbbbbbbbbb";
  const big = text.replaceAll(copy.name.replace(".jsonl", ""), id)
    .replaceAll("Unicode check:", `Unicode check: enormous ${"padding ".repeat(1_150_000)}`);
  await Deno.writeTextFile(path.join(source, `${id}.jsonl`), big);
  assert.ok(big.length > 9_000_000);
  const run = (threads: string) =>
    searchSessions(
      { ...h.ctx, env: { ...h.ctx.env, CASR_READ_THREADS: threads } },
      "enormous",
      { cacheDir: path.join(h.home, `cache-${threads}`) },
    );
  const alone = await run("0");
  const threaded = await run("2");
  assert.equal(threaded.index.read, alone.index.read);
  assert.deepEqual(threaded.results.map((r) => r.id), [id]);
  assert.deepEqual(threaded.results, alone.results);
});

Deno.test("a worker hands a session's index text over as its UTF-8, each column in a buffer of its own", async () => {
  await using h = await crowdedHome();
  const listed = await listSessions({ ...h.ctx, env: { ...h.ctx.env, CASR_READ_THREADS: "0" } }, {
    cache: false,
  });
  const summary = listed.sessions.find((s) => s.provider === "claude-code");
  assert.ok(summary !== undefined);
  const provider = getProvider("claude-code");
  assert.ok(provider !== undefined);
  const here = textRead((await provider.read(summary.path, h.ctx, { textOnly: true })).session);
  const strings = here.text as SessionText;
  assert.ok(strings.user.includes("casr-fixture"), "a real session's prompt");
  const answer = await runReadJob(
    { kind: "text", provider: "claude-code", path: summary.path },
    h.ctx,
  );
  assert.ok(answer.ok);
  const decoder = new TextDecoder();
  const columns = ["user", "assistant", "tool"] as const;
  for (const column of columns) {
    const bytes: string | Uint8Array = answer.value.text[column];
    assert.ok(bytes instanceof Uint8Array, column);
    assert.equal(decoder.decode(bytes), strings[column], column);
  }
  assert.equal(answer.value.count, here.count);
  assert.equal(answer.value.lastAt, here.lastAt);
  const buffers = answerBuffers([answer, answer, { ok: false, error: "x", denied: [] }]);
  assert.equal(buffers.length, 3, "each buffer once, however often it is named");
  // Moved to a worker and back, the columns still read the same.
  const pool = ReadPool.open(h.ctx, { threads: 2 });
  if (pool === undefined) return;
  try {
    const moved = await pool.run({ kind: "text", provider: "claude-code", path: summary.path });
    assert.ok(moved?.ok);
    for (const column of columns) {
      assert.equal(decoder.decode(moved.value.text[column] as Uint8Array), strings[column], column);
    }
  } finally {
    pool.close();
  }
});

Deno.test("when its worker cannot load, list reads in this thread and says so at debug level", async () => {
  await using h = await crowdedHome();
  const alone = await listSessions({ ...h.ctx, env: { ...h.ctx.env, CASR_READ_THREADS: "0" } }, {
    cache: false,
  });
  const said: string[] = [];
  const pool = ReadPool.open(h.ctx, {
    threads: 2,
    log: (text) => said.push(text),
    workerModule: new URL("./testdata/broken_worker.ts", import.meta.url),
  });
  if (pool === undefined) return;
  try {
    const fallen = await listSessionsWith(h.ctx, { cache: false }, pool);
    assert.deepEqual(fallen.sessions, alone.sessions);
    assert.equal(pool.answered, 0);
    assert.ok(said.some((s) => /stopped|cannot start/.test(s)), said.join("\n"));
  } finally {
    pool.close();
  }
});

Deno.test("a pool answers a failed job with its reason, and nothing once closed", async () => {
  await using h = await tempHome([]);
  const pool = ReadPool.open(h.ctx, { threads: 2 });
  if (pool === undefined) return;
  const missing = await pool.run({
    kind: "facts",
    provider: "claude-code",
    path: path.join(h.home, "gone.jsonl"),
  });
  assert.equal(missing?.ok, false);
  assert.match(missing?.ok === false ? missing.error : "", /ENOENT|No such file/);
  pool.close();
  assert.equal(await pool.run({ kind: "text", provider: "codex", path: "/x" }), undefined);
});

Deno.test("readThreads(): CASR_READ_THREADS wins; otherwise the cores, at most 4", () => {
  assert.equal(readThreads({ CASR_READ_THREADS: "0" }), 0);
  assert.equal(readThreads({ CASR_READ_THREADS: "3" }), 3);
  assert.equal(readThreads({ CASR_READ_THREADS: "lots" }), 0);
  const cores = Math.min(navigator.hardwareConcurrency, 4);
  assert.equal(readThreads({}), cores);
  assert.equal(
    ReadPool.open({ env: { CASR_READ_THREADS: "1" }, homeDir: "/", cwd: "/" }),
    undefined,
  );
});
