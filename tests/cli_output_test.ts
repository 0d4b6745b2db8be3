/**
 * What the CLI prints says something true and nothing twice (issue 14): `--limit
 * 0`, flags that cannot go together, warning caps, log levels, and the README's
 * promises about them.
 */
import assert from "node:assert/strict";
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
