import assert from "node:assert/strict";
import * as path from "node:path";
import { run } from "../cli.ts";
import { PROVIDERS } from "../mod.ts";
import { OUTPUT_SCHEMAS } from "../src/cli/schema.ts";
import { loadManifest, ROOT, runCli, tempHome } from "./helpers.ts";

const ESC = "\x1b";
const fixtures = await loadManifest();
/** Every provider that has a fixture. */
const ALL = PROVIDERS.map((p) => p.id).filter((id) => fixtures.some((f) => f.provider === id));

Deno.test("casr search --json finds the fixtures' word in every agent, in the search schema", async () => {
  await using h = await tempHome(ALL);
  const r = await runCli(["search", "casr-fixture", "--limit", "100", "--json"], h.ctx);
  assert.equal(r.code, 0, r.stderr);
  const value = OUTPUT_SCHEMAS.search?.parse(r.json) as {
    total: number;
    results: { provider: string; id: string; snippet: string; highlights: number[][] }[];
    index: { read: number };
  };
  assert.equal(value.results.length, value.total);
  // Every agent whose fixture prompts say casr-fixture has a hit.
  const basics = new Set(
    fixtures.filter((f) => f.prompts.some((p) => p.includes("casr-fixture"))).map((f) =>
      f.provider
    ),
  );
  assert.deepEqual(new Set(value.results.map((x) => x.provider)), basics);
  for (const x of value.results) {
    assert.ok(x.highlights.length > 0, `${x.provider} ${x.id} has a highlight`);
    for (const [a, b] of x.highlights) assert.match(x.snippet.slice(a, b), /casr|fixture/i);
  }
  // The schema rejects a result without its snippet.
  const broken = structuredClone(r.json) as { results: Record<string, unknown>[] };
  delete broken.results[0]?.snippet;
  assert.equal(OUTPUT_SCHEMAS.search?.safeParse(broken).success, false);
});

Deno.test("casr search: people's text, --jsonl, and colour only on a terminal without NO_COLOR", async () => {
  await using h = await tempHome(["claude-code", "codex"]);
  const text = await runCli(["search", "casr-fixture", "--limit", "2"], h.ctx);
  assert.equal(text.code, 0, text.stderr);
  assert.ok(!text.stdout.includes(ESC), "no escape codes");
  assert.match(
    text.stdout,
    /^(claude-code|codex) +\S{8,} +\d{4}-\d\d-\d\d \d\d:\d\d {2}.+\n {4}\w+: .*casr-fixture/m,
  );
  assert.match(text.stdout, /matching sessions, 2 shown \(use --limit to see more\)/);
  for (const line of text.stdout.split("\n").filter((l) => l.startsWith("    "))) {
    assert.ok(line.length <= 80, `snippet line fits 80 columns: ${line}`);
  }
  const lines = (await runCli(["search", "casr-fixture", "--jsonl", "--limit", "3"], h.ctx)).stdout
    .trim().split("\n");
  assert.equal(lines.length, 3);
  for (const line of lines) {
    const value = JSON.parse(line);
    assert.equal(value.schema_version, 1);
    assert.equal(typeof value.snippet, "string");
  }
  const tty = async (env: Record<string, string>): Promise<string> => {
    let out = "";
    await run(["search", "casr-fixture", "--limit", "1"], {
      out: (t) => void (out += t),
      err: () => {},
      isTty: true,
      env,
    }, h.ctx);
    return out;
  };
  assert.ok((await tty({})).includes(`${ESC}[1m${ESC}[33mcasr-fixture${ESC}[39m${ESC}[22m`));
  assert.ok(!(await tty({ NO_COLOR: "1" })).includes(ESC));
  const none = await runCli(["search", "zzyzx-nothing"], h.ctx);
  assert.equal(none.code, 0);
  assert.match(
    none.stdout,
    /^No session matches "zzyzx-nothing" \([\d,]+ sessions searched\)\.\n$/,
  );
});

Deno.test("casr search: bad input is a usage error (exit 2), never an SQL error", async () => {
  await using h = await tempHome(["codex"]);
  for (
    const args of [
      ["search", ":"],
      ["search", "x", "--since", "yesterday"],
      ["search", "x", "--until", "2026-13-45"],
      ["search", "x", "--role", "system"],
      ["search", "x", "--agent", "nope"],
      ["search", "x", "--limit", "0"],
      ["search"],
    ]
  ) {
    const r = await runCli([...args, "--json"], h.ctx);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}`);
    assert.equal(r.json?.ok, false);
    assert.doesNotMatch(r.stdout, /sqlite|fts5|syntax error/i);
  }
  for (const q of ['"', "(", "a:b", "-x", "NEAR(", "*", "AND OR", "'; DROP TABLE docs"]) {
    const r = await runCli(["search", "--", q], h.ctx);
    assert.ok(r.code === 0 || r.code === 2, `${q}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /sqlite|fts5|syntax error/i, q);
  }
  const times = await runCli(
    ["search", "casr-fixture", "--since", "2000-01-01", "--until", "30m", "--json"],
    h.ctx,
  );
  assert.equal(times.code, 0, times.stdout);
});

Deno.test("casr search --help has examples, and completions know the command", async () => {
  await using h = await tempHome([]);
  const help = await runCli(["search", "--help"], h.ctx);
  assert.match(help.stdout, /Examples:\n {2}casr search/);
  assert.match(help.stdout, /--agent <alias>/);
  const bash = await runCli(["completions", "bash"], h.ctx);
  assert.match(bash.stdout, /search\) opts=".*--role/);
});

async function denoDir(): Promise<string> {
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  return JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
}

Deno.test("casr search as subprocesses: two at once on a cold index both succeed; a damaged index is rebuilt with one notice", async () => {
  await using h = await tempHome(ALL);
  const dir = await denoDir();
  const exec = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", path.join(ROOT, "cli.ts"), ...args],
      env: { HOME: h.home, NO_COLOR: "1", DENO_DIR: dir, PATH: "/nonexistent" },
      cwd: h.home,
    }).output();
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  };
  const [a, b] = await Promise.all([
    exec("search", "casr-fixture", "--json"),
    exec("search", "casr-fixture", "--json"),
  ]);
  assert.equal(a.code, 0, a.stderr + a.stdout);
  assert.equal(b.code, 0, b.stderr + b.stdout);
  const ids = (r: { stdout: string }) =>
    (JSON.parse(r.stdout).results as { id: string }[]).map((x) => x.id);
  assert.deepEqual(ids(a), ids(b));
  const file = path.join(h.home, ".cache", "casr", "search.sqlite");
  await Deno.writeTextFile(file, "garbage, not a database ".repeat(500));
  const c = await exec("search", "casr-fixture");
  assert.equal(c.code, 0, c.stderr);
  assert.deepEqual(c.stderr.trim().split("\n").length, 1, c.stderr);
  assert.match(c.stderr, /^casr: the search index .*search\.sqlite is damaged; rebuilding it\n$/);
  assert.match(c.stdout, /matching sessions/);
});
