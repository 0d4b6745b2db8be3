/**
 * @casr/core outside Deno: Bun (from the npm package `bun`) imports the
 * TypeScript source; Node runs a `deno bundle --platform=node` bundle. Both list
 * the genuine fixtures and convert one with verification (tests/compat/smoke.mjs).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { ROOT } from "./helpers.ts";

const SMOKE = path.join(ROOT, "tests", "compat", "smoke.mjs");
const FIXTURES = path.join(ROOT, "fixtures");
const BUN_VERSION = "1.4.5";

async function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  const result = await new Deno.Command(cmd, { args, cwd: Deno.env.get("TMPDIR") ?? "/tmp" })
    .output();
  const out = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
  return { code: result.code, out };
}

function summary(out: string): { listed: number; verified: boolean; calls: number } {
  const line = out.trim().split("\n").findLast((l) => l.startsWith("{"));
  assert.ok(line, out);
  return JSON.parse(line);
}

Deno.test("the same library script runs under Deno", async () => {
  const { code, out } = await run(Deno.execPath(), [
    "run",
    "-A",
    "--config",
    path.join(ROOT, "deno.json"),
    SMOKE,
    path.join(ROOT, "mod.ts"),
    FIXTURES,
  ]);
  assert.equal(code, 0, out);
  assert.equal(summary(out).verified, true);
});

Deno.test("Bun imports mod.ts, lists the fixtures and converts one", async () => {
  const { code, out } = await run("npx", [
    "-y",
    `bun@${BUN_VERSION}`,
    SMOKE,
    path.join(ROOT, "mod.ts"),
    FIXTURES,
  ]);
  assert.equal(code, 0, out);
  const result = summary(out);
  assert.equal(result.verified, true);
  assert.ok(result.listed >= 6 && result.calls >= 1);
});

Deno.test("Node runs a bundle of mod.ts, lists the fixtures and converts one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bundle = path.join(dir, "casr.mjs");
    const built = await run(Deno.execPath(), [
      "bundle",
      "--platform=node",
      "--config",
      path.join(ROOT, "deno.json"),
      "-o",
      bundle,
      path.join(ROOT, "mod.ts"),
    ]);
    assert.equal(built.code, 0, built.out);
    const { code, out } = await run("node", [SMOKE, bundle, FIXTURES]);
    assert.equal(code, 0, out);
    assert.equal(summary(out).verified, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
