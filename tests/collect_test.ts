/**
 * A conversion frees each step's copy of a session before the next step builds
 * another, where the host offers a full garbage collection; the command line
 * offers one under Deno and Node without a flag.
 */
import assert from "node:assert/strict";
import { convertSession } from "../mod.ts";
import { readJsonLines } from "../src/internal/jsonl.ts";
import { collectEvery } from "../src/internal/runtime.ts";
import { writeBigSession } from "../scripts/big_session.ts";
import { tempHome } from "./fixture_home.ts";

const NOW = Date.UTC(2026, 11, 1);

/** Runs `body` with a `globalThis.gc` that calls `onCollect`, then puts back what was there. */
async function withCollector<T>(onCollect: () => void, body: () => Promise<T> | T): Promise<T> {
  const g = globalThis as { gc?: () => void };
  const had = g.gc;
  g.gc = onCollect;
  try {
    return await body();
  } finally {
    if (had === undefined) delete g.gc;
    else g.gc = had;
  }
}

Deno.test("convertSession() collects before the tokenizer loads (or else before writing), before reading back and before the ledger", async () => {
  await using home = await tempHome();
  // Codex counts with o200k: a session over half its budget loads the tokenizer.
  const big = await writeBigSession(home.ctx, "claude-code", { tokens: 600_000 });
  let step = "";
  const collectedAt: string[] = [];
  await withCollector(() => void collectedAt.push(step), async () => {
    const result = await convertSession(home.ctx, "codex", big.id, {
      now: NOW,
      onProgress: (s) => void (step = s),
    });
    assert.equal(result.verified, true);
    assert.match(result.budget?.estimator ?? "", /o200k/);
    const cut = result.budget!;
    assert.ok(cut.toolOutputsElided + cut.messagesDropped > 0, "the budget cut it");
    assert.deepEqual(collectedAt, [
      "fitting the session into the target's context window", // the tokenizer comes next
      "verifying by reading the new session back",
      "verifying by reading the new session back", // and before the ledger's digest
    ]);

    // Within Codex's budget, but over half of it: the tokenizer loads and
    // nothing is cut, so the session read is still whole when the write starts.
    collectedAt.length = 0;
    const fits = await convertSession(home.ctx, "codex", big.id, {
      now: NOW,
      maxContextTokens: 1_000_000,
      newSession: true,
      onProgress: (s) => void (step = s),
    });
    assert.equal(fits.budget?.messagesDropped, 0);
    assert.equal(fits.budget?.toolOutputsElided, 0);
    assert.match(fits.budget?.estimator ?? "", /o200k/);
    assert.deepEqual(collectedAt, [
      "fitting the session into the target's context window",
      "fitting the session into the target's context window",
      "verifying by reading the new session back",
      "verifying by reading the new session back", // and before the ledger's digest
    ]);

    // Whole (no budget, no tokenizer): before writing and before reading back.
    collectedAt.length = 0;
    const whole = await convertSession(home.ctx, "gemini-cli", big.id, {
      now: NOW,
      maxContextTokens: 0,
      onProgress: (s) => void (step = s),
    });
    assert.equal(whole.verified, true);
    assert.deepEqual(collectedAt, [
      "fitting the session into the target's context window",
      "verifying by reading the new session back",
      "verifying by reading the new session back", // and before the ledger's digest
    ]);
  });
});

Deno.test("exposeCollector() gives a fresh Deno process a working globalThis.gc", async () => {
  const script = `
    import { exposeCollector } from ${JSON.stringify(new URL("../mod.ts", import.meta.url).href)};
    const before = typeof globalThis.gc;
    const exposed = exposeCollector();
    let big = Array.from({ length: 1_000_000 }, (_, i) => "x".repeat(16) + i);
    const full = Deno.memoryUsage().heapUsed;
    big = undefined;
    globalThis.gc();
    const after = Deno.memoryUsage().heapUsed;
    console.log(JSON.stringify({ before, exposed, after: typeof globalThis.gc, freed: full - after }));
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  const seen = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    before: string;
    exposed: boolean;
    after: string;
    freed: number;
  };
  assert.equal(seen.before, "undefined");
  assert.equal(seen.exposed, true);
  assert.equal(seen.after, "function");
  // A million strings of some 40 bytes each: tens of megabytes freed.
  assert.ok(seen.freed > 20_000_000, `freed ${seen.freed} bytes`);
});

Deno.test("collectEvery() collects each time the characters made add up to its limit", async () => {
  let collections = 0;
  await withCollector(() => void collections++, () => {
    const made = collectEvery(100);
    made(60);
    assert.equal(collections, 0);
    made(40);
    assert.equal(collections, 1, "60 + 40 reach 100");
    made(99);
    assert.equal(collections, 1);
    made(250);
    assert.equal(collections, 2, "the count starts again after each collection");
  });
});

Deno.test("readJsonLines() collects garbage as a large file's lines pile up, and reads every line", async () => {
  await using home = await tempHome();
  // 36 lines of 1 Mi characters: past the 32 Mi between two collections.
  const line = JSON.stringify({ output: "x".repeat(1024 * 1024 - 14) });
  const file = `${home.home}/long.jsonl`;
  await Deno.writeTextFile(file, `${line}\n`.repeat(36));
  const collectedAtLine: number[] = [];
  let lines = 0;
  await withCollector(() => void collectedAtLine.push(lines), async () => {
    for await (const read of readJsonLines(file)) {
      assert.equal(read.ok, true);
      lines++;
    }
  });
  assert.equal(lines, 36);
  assert.equal(collectedAtLine.length, 1);
  assert.ok((collectedAtLine[0] as number) >= 30, `collected after line ${collectedAtLine[0]}`);
});
