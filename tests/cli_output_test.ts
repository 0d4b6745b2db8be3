/**
 * What the CLI prints says something true and nothing twice (issue 14): `--limit
 * 0`, flags that cannot go together, warning caps, log levels, and the README's
 * promises about them.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { runCli, tempHome } from "./helpers.ts";

Deno.test("list --limit 0 says how many sessions there are, in the table as in --json", async () => {
  await using h = await tempHome(["codex", "claude-code"]);
  const json = await runCli(["list", "--limit", "0", "--json"], h.ctx);
  assert.equal(json.code, 0);
  const total = json.json?.total as number;
  assert.ok(total > 0);
  assert.equal(json.json?.count, 0);
  const table = await runCli(["list", "--limit", "0"], h.ctx);
  assert.equal(table.code, 0);
  assert.doesNotMatch(table.stdout, /No sessions found/);
  assert.match(table.stdout, new RegExp(`^${total} sessions found, none shown`));
  // Still true where there is nothing.
  await using empty = await tempHome([]);
  assert.match((await runCli(["list", "--limit", "0"], empty.ctx)).stdout, /No sessions found/);
});

Deno.test("list --json --jsonl is a usage error naming both flags", async () => {
  await using h = await tempHome(["codex"]);
  for (const args of [["list", "--json", "--jsonl"], ["list", "--jsonl", "--json"]]) {
    const run = await runCli(args, h.ctx);
    assert.equal(run.code, 2, args.join(" "));
    const error = run.json?.error as { code: string; message: string };
    assert.equal(error.code, "usage");
    assert.match(error.message, /--json\b/);
    assert.match(error.message, /--jsonl\b/);
  }
});

Deno.test("38 bad lines in a Claude file give one summed-up warning, each said once; --json keeps all", async () => {
  await using h = await tempHome(["claude-code"]);
  const dir = path.join(h.home, ".claude", "projects", "-tmp-casr-fixture-project");
  const name = [...Deno.readDirSync(dir)].map((e) => e.name).find((n) => n.startsWith("c05dd679"));
  const file = path.join(dir, name as string);
  const lines = (await Deno.readTextFile(file)).trimEnd().split("\n");
  const out: string[] = [];
  let bad = 0;
  for (const line of lines) {
    out.push(line);
    for (let k = 0; k < 4 && bad < 38; k++, bad++) out.push(`{not json ${bad}`);
  }
  assert.equal(bad, 38);
  await Deno.writeTextFile(file, out.join("\n") + "\n");
  const firstBad = out.findIndex((l) => l.startsWith("{not json")) + 1;
  for (const args of [["resume", "codex", "c05dd679", "--dry-run"], ["info", "c05dd679"]]) {
    const run = await runCli(args, h.ctx);
    assert.equal(run.code, 0, run.stderr);
    const warnings = run.stdout.split("\n").filter((l) => l.startsWith("warning:"));
    assert.equal(new Set(warnings).size, warnings.length, `a warning said twice:\n${warnings}`);
    const malformed = warnings.filter((l) =>
      l.includes("malformed-line") || l.includes("Skipped line")
    );
    assert.equal(malformed.length, 1, malformed.join("\n"));
    assert.match(
      malformed[0] as string,
      new RegExp(`38 malformed-line warnings in .*${name}, first at line ${firstBad}:`),
    );
    assert.equal(malformed[0]?.split(file).length, 2, "the path said once");
  }
  const json = await runCli(["resume", "codex", "c05dd679", "--dry-run", "--json"], h.ctx);
  const all = (json.json?.warnings as { code: string }[]).filter((w) =>
    w.code === "malformed-line"
  );
  assert.equal(all.length, 38);
});
