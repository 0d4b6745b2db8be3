/**
 * What the JSR packages ship: `deno publish --dry-run` for @casr/core and
 * @casr/cli lists only library and CLI sources and docs — no tests, fixtures,
 * scripts or test data — and finds no slow types.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { ROOT } from "./helpers.ts";

/** Colour escapes, should a terminal setting bring them back. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

async function dryRun(dir: string): Promise<{ code: number; files: string[]; text: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["publish", "--dry-run", "--allow-dirty"],
    cwd: dir,
    env: { NO_COLOR: "1" },
  }).output();
  const raw = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  const text = raw.replace(ANSI, "");
  const files = [...text.matchAll(/file:\/\/(\S+)/g)].map((m) => path.relative(dir, m[1]!));
  return { code: out.code, files, text };
}

Deno.test("@casr/core ships sources and docs only", async () => {
  const { code, files, text } = await dryRun(ROOT);
  assert.equal(code, 0, text);
  assert.ok(files.includes("mod.ts") && files.includes("cli.ts") && files.includes("README.md"));
  assert.ok(files.some((f) => f.startsWith("src/providers/claude_code/")));
  // The README links to these, so the package page's links lead somewhere.
  for (const doc of ["docs/cli.md", "docs/resume.md", "ARCHITECTURE.md", "CONTRIBUTING.md"]) {
    assert.ok(files.includes(doc), `does not ship ${doc}`);
  }
  for (const f of files) {
    assert.ok(
      !/(_test\.ts|^tests\/|^fixtures\/|^scripts\/|testdata\/|\.db$)/.test(f),
      `ships ${f}`,
    );
    assert.ok(/\.(ts|md|json)$/.test(f) || f === "LICENSE", `unexpected file ${f}`);
  }
  assert.doesNotMatch(text, /error\[(missing-explicit|slow)/i, "no slow types");
});

Deno.test("@casr/cli ships its entry point only", async () => {
  const { code, files, text } = await dryRun(path.join(ROOT, "cli"));
  assert.equal(code, 0, text);
  assert.deepEqual(files.sort(), ["README.md", "deno.json", "mod.ts"]);
});
