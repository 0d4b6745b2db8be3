/**
 * The README stays a front door (short, its two commands first, an agents table
 * that matches the registry), every provider folder has its README, and every
 * relative link of the Markdown documentation leads to a file and heading that
 * exist.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { PROVIDERS } from "../mod.ts";

const ROOT = path.resolve(import.meta.dirname ?? ".", "..");

/** The Markdown files whose links are checked, relative to the root. */
async function documents(): Promise<string[]> {
  const docs = (await fs.readdir(path.join(ROOT, "docs"))).filter((f) => f.endsWith(".md"));
  const providers = (await fs.readdir(path.join(ROOT, "src", "providers"), { withFileTypes: true }))
    .filter((d) => d.isDirectory()).map((d) => path.join("src", "providers", d.name, "README.md"));
  return [
    "README.md",
    "ARCHITECTURE.md",
    "CONTRIBUTING.md",
    path.join("cli", "README.md"),
    ...docs.map((f) => path.join("docs", f)),
    ...providers,
  ];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
}

/** The anchors of a Markdown text's headings (outside code fences). */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fence = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) fence = !fence;
    const heading = fence ? null : /^#{1,6} (.+)$/.exec(line);
    if (heading) anchors.add(anchorOf(heading[1]!));
  }
  return anchors;
}

Deno.test("anchorOf() makes GitHub's anchors from headings", () => {
  assert.equal(anchorOf("What reaches the target's model"), "what-reaches-the-targets-model");
  assert.equal(anchorOf("`casr <target> resume <session>`"), "casr-target-resume-session");
  assert.equal(anchorOf("Exit status, logging, environment"), "exit-status-logging-environment");
});

Deno.test("README: at most 250 lines, and its two commands come first", async () => {
  const readme = await Deno.readTextFile(path.join(ROOT, "README.md"));
  const lines = readme.trimEnd().split("\n");
  assert.ok(lines.length <= 250, `README has ${lines.length} lines`);
  const commands = lines.filter((l) => l.startsWith("npx -y deno@2.9.6 "));
  assert.match(commands[0] ?? "", /^npx -y deno@2\.9\.6 task demo\b/);
  assert.match(commands[1] ?? "", /^npx -y deno@2\.9\.6 task ok\b/);
  const firstSection = lines.findIndex((l) => l.startsWith("## "));
  const demo = lines.findIndex((l) => l.startsWith("npx -y deno@2.9.6 task demo"));
  const second = lines.findIndex((l, i) => i > firstSection && l.startsWith("## "));
  assert.ok(demo > firstSection && demo < second, "the two commands are in the first section");
});

Deno.test("README: the first paragraph counts the agents of the registry", async () => {
  const readme = (await Deno.readTextFile(path.join(ROOT, "README.md"))).replace(/\s+/g, " ");
  const count = /in any of (\d+) coding agents/.exec(readme)?.[1];
  assert.equal(Number(count), PROVIDERS.length);
});

Deno.test("README: the agents table lists every agent of the registry with its aliases", async () => {
  const readme = await Deno.readTextFile(path.join(ROOT, "README.md"));
  const lines = readme.split("\n");
  const start = lines.indexOf("## Agents");
  assert.ok(start > 0, "no ## Agents");
  const end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
  const rows = lines.slice(start, end).filter((l) => l.startsWith("|")).slice(2)
    .map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
  assert.deepEqual(rows.map((r) => r[1]).sort(), PROVIDERS.map((p) => `\`${p.id}\``).sort());
  for (const p of PROVIDERS) {
    const row = rows.find((r) => r[1] === `\`${p.id}\``)!;
    const aliases = row[2]!.split(",").map((a) => a.trim().replaceAll("`", ""));
    for (const alias of p.aliases) assert.ok(aliases.includes(alias), `${p.id}: ${alias}`);
    assert.equal(/read only/.test(row[3]!), p.readOnly === true, `${p.id} read only`);
    for (const cell of row) assert.ok(cell.length <= 60, `${p.id}: a cell over 60 characters`);
  }
});

Deno.test("docs/agents.md has a section for every agent of the registry", async () => {
  const agents = await Deno.readTextFile(path.join(ROOT, "docs", "agents.md"));
  for (const p of PROVIDERS) {
    assert.ok(agents.includes(`- id \`${p.id}\``), `${p.id} has no section`);
    for (const env of p.envVars) assert.ok(agents.includes(env), `${p.id}: ${env} not named`);
  }
});

Deno.test("docs/permissions.md's --allow-env list names every provider's variables", async () => {
  const permissions = await Deno.readTextFile(path.join(ROOT, "docs", "permissions.md"));
  const list = /--allow-env=(\S+)/.exec(permissions)?.[1]?.split(",") ?? [];
  assert.ok(list.includes("HOME"), "no --allow-env list");
  for (const p of PROVIDERS) {
    for (const env of p.envVars) {
      assert.ok(list.includes(env), `${p.id}: ${env} not in --allow-env`);
    }
  }
});

Deno.test("every provider folder has its README", async () => {
  const dirs = (await fs.readdir(path.join(ROOT, "src", "providers"), { withFileTypes: true }))
    .filter((d) => d.isDirectory()).map((d) => d.name);
  assert.ok(dirs.length >= 18);
  for (const dir of dirs) {
    const stat = await fs.stat(path.join(ROOT, "src", "providers", dir, "README.md")).catch(
      () => undefined,
    );
    assert.ok(stat?.isFile(), `src/providers/${dir}/README.md is missing`);
  }
});

Deno.test("every relative link in the documentation leads to a file and heading that exist", async () => {
  const broken: string[] = [];
  for (const doc of await documents()) {
    const text = await Deno.readTextFile(path.join(ROOT, doc)).catch(() => undefined);
    if (text === undefined) continue; // a missing provider README fails the test above
    const prose = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
    for (const [, target] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      const [file, anchor] = target!.split("#") as [string, string | undefined];
      const resolved = file === ""
        ? path.join(ROOT, doc)
        : path.join(ROOT, path.dirname(doc), file);
      const linked = await Deno.readTextFile(resolved).catch(() => undefined);
      if (linked === undefined) {
        const isDir = await fs.stat(resolved).then((s) => s.isDirectory()).catch(() => false);
        if (!isDir) broken.push(`${doc}: ${target} (no such file)`);
        continue;
      }
      if (anchor !== undefined && !anchorsOf(linked).has(anchor)) {
        broken.push(`${doc}: ${target} (no such heading)`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

Deno.test("the main library functions carry an @example that deno test --doc runs", async () => {
  const where: Record<string, string> = {
    convertSession: "src/pipeline/convert.ts",
    writeSession: "src/pipeline/write_session.ts",
    readSession: "src/pipeline/lookup.ts",
    listSessions: "src/pipeline/query.ts",
    latestSession: "src/pipeline/lookup.ts",
    resolveSession: "src/pipeline/discover.ts",
    exportSession: "src/export/export_session.ts",
    handoffSession: "src/pipeline/handoff.ts",
    searchSessions: "src/pipeline/search.ts",
    fitReport: "src/pipeline/fit_report.ts",
  };
  for (const [name, file] of Object.entries(where)) {
    const source = await Deno.readTextFile(path.join(ROOT, file));
    const at = new RegExp(`^export (async )?function ${name}\\b`, "m").exec(source);
    assert.ok(at, `${name} is not in ${file}`);
    const doc = source.slice(source.lastIndexOf("/**", at.index), at.index);
    assert.match(doc, /@example .+\n \* ```ts\n/, `${name} has no runnable @example`);
  }
});
