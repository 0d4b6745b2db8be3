/**
 * The README's and the docs' promises hold for the code: the table under "What
 * reaches the target's model" (docs/resume.md) matches every writable
 * provider's `carries`, the samples match real output, and the README stays a
 * short front door whose links all lead somewhere.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { PROVIDERS } from "../mod.ts";
import { API_TOOL_NAME, GEMINI_TOOL_NAME } from "../src/formats/tool_names.ts";
import { runCli, tempHome } from "./helpers.ts";

const ROOT = path.resolve(import.meta.dirname ?? ".", "..");

/** The rows of the first table after a heading, as cells keyed by the header. */
function tableAfter(markdown: string, heading: string): Record<string, string>[] {
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `no "${heading}"`);
  const first = lines.findIndex((line, i) => i > start && line.startsWith("|"));
  const rows: string[][] = [];
  for (let i = first; i < lines.length && lines[i]!.startsWith("|"); i++) {
    rows.push(lines[i]!.split("|").slice(1, -1).map((cell) => cell.trim()));
  }
  const [header, , ...body] = rows;
  return body.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i] ?? ""])));
}

Deno.test("docs/resume.md: the 'What reaches the target's model' table matches every provider's carries", async () => {
  const resume = await Deno.readTextFile(path.join(ROOT, "docs", "resume.md"));
  const rows = tableAfter(resume, "## What reaches the target's model");
  const writable = PROVIDERS.filter((p) => !p.readOnly);
  assert.deepEqual(rows.map((r) => r.id).sort(), writable.map((p) => `\`${p.id}\``).sort());
  for (const provider of writable) {
    const row = rows.find((r) => r.id === `\`${provider.id}\``)!;
    const carries = provider.carries ?? {};
    assert.equal(row.Images, carries.images ? "image" : "placeholder", `${provider.id} images`);
    assert.equal(row.Reasoning, carries.reasoning ? "kept" : "dropped", `${provider.id} reasoning`);
    const names = carries.toolName === undefined
      ? "as text"
      : carries.toolName === GEMINI_TOOL_NAME
      ? "Gemini's"
      : carries.toolName === API_TOOL_NAME
      ? "`[a-zA-Z0-9_-]`"
      : "unknown pattern";
    assert.equal(row["Tool names"], names, `${provider.id} tool names`);
    const family = carries.toolFamily === undefined
      ? "kept names"
      : `its own tools (\`${carries.toolFamily}\`)`;
    assert.equal(row["Tool calls as"], family, `${provider.id} tool family`);
  }
});

/** The agents sentence of a README: "It knows N agents: A, B (read only), C." as names. */
function knownAgents(markdown: string): { count: number; names: string[] } {
  const flat = markdown.replace(/\s+/g, " ");
  const match = /It knows (\d+) agents: ([^.]*)\./.exec(flat);
  assert.ok(match, 'no "It knows N agents: …." sentence');
  return { count: Number(match[1]), names: match[2]!.split(", ") };
}

Deno.test("cli/README.md names every agent of the registry, read-only ones marked", async () => {
  const readme = await Deno.readTextFile(path.join(ROOT, "cli", "README.md"));
  const { count, names } = knownAgents(readme);
  assert.equal(count, PROVIDERS.length);
  assert.deepEqual(names, PROVIDERS.map((p) => `${p.name}${p.readOnly ? " (read only)" : ""}`));
});

Deno.test("README: how to get the repository comes before the first command that needs a checkout", async () => {
  const readme = await Deno.readTextFile(path.join(ROOT, "README.md"));
  const clone = readme.indexOf("git clone ");
  const demo = readme.indexOf("npx -y deno@2.9.6 task demo");
  assert.ok(clone > 0 && clone < demo, "no `git clone` before `task demo`");
  const url = /git clone (\S+)/.exec(readme)![1]!;
  // Either a real address or a placeholder that says it is one.
  if (url.startsWith("<")) assert.match(readme.slice(clone, demo), /placeholder/i);
  else assert.match(url, /^https:\/\//);
});

Deno.test("README and docs/cli.md: the `casr providers` sample is the real output's first lines at 80 columns", async () => {
  await using h = await tempHome(["claude-code", "codex"]);
  const run = await runCli(["providers", "--no-version"], {
    ...h.ctx,
    env: { ...h.ctx.env, COLUMNS: "80" },
  });
  const real = run.stdout.split("\n");
  for (const line of real) assert.ok([...line].length <= 80, `wider than 80: ${line}`);
  for (const file of ["README.md", path.join("docs", "cli.md")]) {
    const text = await Deno.readTextFile(path.join(ROOT, file));
    const start = text.indexOf("$ casr providers --no-version\n");
    assert.ok(start > 0, `no \`$ casr providers --no-version\` sample in ${file}`);
    const sample = text.slice(start, text.indexOf("```", start)).split("\n").slice(1, -1);
    assert.ok(sample.length > 1, file);
    assert.deepEqual(sample, real.slice(0, sample.length), file);
    assert.match(sample[0]!, /\bTARGET\b/, file);
  }
});

Deno.test("docs/agents.md: Aider sessions are said to be found from the current directory", async () => {
  const agents = (await Deno.readTextFile(path.join(ROOT, "docs", "agents.md")))
    .replace(/\s+/g, " ");
  assert.match(agents, /finds Aider sessions from the current directory/);
});

Deno.test("docs/cli.md: no stack trace unless --trace holds for a garbage file", async () => {
  const cli = (await Deno.readTextFile(path.join(ROOT, "docs", "cli.md"))).replace(/\s+/g, " ");
  assert.match(cli, /There is no stack trace unless you pass `--trace`/);
  const permissions = (await Deno.readTextFile(path.join(ROOT, "docs", "permissions.md")))
    .replace(/\s+/g, " ");
  assert.match(permissions, /never silently reports "No sessions found"/);
  await using h = await tempHome([]);
  const garbage = path.join(h.home, "garbage.jsonl");
  const bytes = new Uint8Array(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
  await Deno.writeFile(garbage, bytes);
  for (const args of [["info", garbage], ["resume", "cc", garbage], ["export", garbage]]) {
    const run = await runCli(args, h.ctx);
    const what = args.join(" ");
    assert.equal(run.code, 1, `${what}: ${run.stderr}`);
    assert.equal(run.stdout, "", what);
    assert.doesNotMatch(run.stderr, /No sessions found/, what);
    assert.match(run.stderr, /^error: /, what);
    assert.doesNotMatch(run.stderr, /^\s+at .+:\d+:\d+/m, `${what}: a stack trace without --trace`);
    const traced = await runCli([...args, "--trace"], h.ctx);
    assert.match(traced.stderr, /^\s+at .+:\d+:\d+/m, `${what} --trace: no stack trace`);
  }
});

Deno.test("resume --help names each agent once and offers only writable targets", async () => {
  await using h = await tempHome([]);
  const help = (await runCli(["resume", "--help"], h.ctx)).stdout.replace(/\s+/g, " ");
  const target = /Arguments: target target agent[^:]*: (.*?) session /.exec(help)?.[1] ?? "";
  const words = target.split(/[\s,()]+/).filter((w) => w !== "");
  assert.deepEqual(words, [...new Set(words)], `a name twice: ${target}`);
  for (const p of PROVIDERS) {
    for (const name of [p.id, ...p.aliases]) {
      assert.equal(words.includes(name), !p.readOnly, `${name} in resume --help: ${target}`);
    }
  }
});
