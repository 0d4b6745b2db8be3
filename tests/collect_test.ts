/**
 * A conversion frees each step's copy of a session before the next step builds
 * another, where the host offers a full garbage collection; the command line
 * offers one under Deno and Node without a flag.
 */
import assert from "node:assert/strict";
import { convertSession } from "../mod.ts";
import { writeBigSession } from "../scripts/big_session.ts";
import { tempHome } from "./fixture_home.ts";

const NOW = Date.UTC(2026, 11, 1);

Deno.test("convertSession() collects before the tokenizer loads, before writing and before reading back", async () => {
  await using home = await tempHome();
  // Codex counts with o200k: a session over half its budget loads the tokenizer.
  const big = await writeBigSession(home.ctx, "claude-code", { tokens: 600_000 });
  const g = globalThis as { gc?: () => void };
  const had = g.gc;
  let step = "";
  const collectedAt: string[] = [];
  g.gc = () => void collectedAt.push(step);
  try {
    const result = await convertSession(home.ctx, "codex", big.id, {
      now: NOW,
      onProgress: (s) => void (step = s),
    });
    assert.equal(result.verified, true);
    assert.match(result.budget?.estimator ?? "", /o200k/);
    assert.deepEqual(collectedAt, [
      "fitting the session into the target's context window", // the tokenizer comes next
      "fitting the session into the target's context window", // then the write
      "verifying by reading the new session back",
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
    ]);
  } finally {
    if (had === undefined) delete g.gc;
    else g.gc = had;
  }
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
