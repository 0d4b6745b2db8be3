import assert from "node:assert/strict";
import * as path from "node:path";
import { listSessions } from "../src/pipeline/query.ts";
import { searchSessions } from "../src/pipeline/search.ts";
import { ReadPool, readThreads } from "../src/pipeline/read_pool.ts";
import { OFFLOAD_MIN } from "../src/internal/session_index.ts";
import { loadManifest, tempHome } from "./fixture_home.ts";

const fixtures = await loadManifest();

/** A home with the Claude Code and Gemini CLI fixtures, and enough copies of one to use threads. */
async function crowdedHome() {
  const h = await tempHome(["claude-code", "gemini-cli"]);
  const basic = fixtures.find((f) => f.provider === "claude-code" && f.scenario === "basic");
  assert.ok(basic);
  const source = path.join(h.home, basic.path.replace(/^claude-code\//, ""));
  const text = await Deno.readTextFile(source);
  for (let i = 0; i < OFFLOAD_MIN + 12; i++) {
    const id = `0d0d0d0d-1111-4222-8333-${String(i).padStart(12, "0")}`;
    const copy = text.replaceAll(basic.sessionId, id).replace("casr-fixture", `casr-fixture c${i}`);
    await Deno.writeTextFile(path.join(path.dirname(source), `${id}.jsonl`), copy);
  }
  // Not a session, and not JSON: the threads must fail it as the main thread does.
  await Deno.writeTextFile(path.join(path.dirname(source), "garbage.jsonl"), "{not json\n");
  return h;
}

Deno.test("list with worker threads gives exactly what it gives without them", async () => {
  await using h = await crowdedHome();
  const alone = await listSessions({ ...h.ctx, env: { ...h.ctx.env, CASR_READ_THREADS: "0" } }, {
    cache: false,
  });
  const pool = ReadPool.open(h.ctx, { threads: 2 });
  if (pool === undefined) return; // no Worker in this runtime: nothing to compare
  try {
    const threaded = await listSessions(h.ctx, { cache: false, pool });
    assert.ok(pool.answered >= 2 * OFFLOAD_MIN, `only ${pool.answered} jobs ran in threads`);
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
