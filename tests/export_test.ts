/**
 * `casr export` end to end on genuine fixtures, and the HTML transcript opened in
 * headless Chromium when it is installed (CI installs Debian's chromium).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { fixtureFor, loadManifest, ROOT, runCli, tempHome, treeHashes } from "./helpers.ts";

const fixtures = await loadManifest();
const multiTool = fixtureFor(fixtures, "claude-code", "multi-tool");

Deno.test("casr export writes md, html and json transcripts; --out refuses to overwrite", async () => {
  await using home = await tempHome(["claude-code"]);
  const before = await treeHashes(home.home);
  const md = await runCli(["export", multiTool.sessionId.slice(0, 8)], home.ctx);
  assert.equal(md.code, 0, md.stderr);
  for (const turn of multiTool.expected.filter((e) => e.role !== "tool")) {
    assert.ok(md.stdout.includes(turn.text.trim().split("\n")[0]!), turn.text);
  }
  assert.match(md.stdout, /<summary>Bash: ls \/definitely-not-here-casr \(error\)<\/summary>/);

  const out = path.join(home.home, "t.html");
  const html = await runCli([
    "export",
    multiTool.sessionId,
    "--format",
    "html",
    "-o",
    out,
    "--json",
  ], home.ctx);
  assert.equal(html.code, 0, html.stdout);
  assert.equal(html.json?.path, out);
  assert.equal(html.json?.content, undefined);
  const text = await Deno.readTextFile(out);
  assert.ok(text.startsWith("<!doctype html>"));
  const again = await runCli(
    ["export", multiTool.sessionId, "--format", "html", "-o", out],
    home.ctx,
  );
  assert.equal(again.code, 1);
  assert.match(again.stderr, /exists \(use --force/);
  const forced = await runCli(
    ["export", multiTool.sessionId, "--format", "json", "-o", out, "-f"],
    home.ctx,
  );
  assert.equal(forced.code, 0);
  assert.equal(JSON.parse(await Deno.readTextFile(out)).id, multiTool.sessionId);
  assert.equal(await Deno.stat(`${out}.bak`).catch(() => null), null, "no backup left behind");

  const after = await treeHashes(home.home);
  for (const [file, hash] of before) assert.equal(after.get(file), hash, `${file} changed`);
});

async function chromium(): Promise<string | undefined> {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
      const p = path.join(dir, name);
      if (await Deno.stat(p).then((s) => s.isFile).catch(() => false)) return p;
    }
  }
  return undefined;
}

const browser = await chromium();

Deno.test({
  name: "the HTML transcript renders in headless Chromium (screenshot in smoke-runs/)",
  ignore: browser === undefined,
  async fn() {
    await using home = await tempHome(["claude-code"]);
    const file = path.join(home.home, "transcript.html");
    const run = await runCli(
      ["export", multiTool.sessionId, "--format", "html", "-o", file],
      home.ctx,
    );
    assert.equal(run.code, 0, run.stderr);
    const artifacts = path.join(ROOT, "smoke-runs", "export");
    await Deno.mkdir(artifacts, { recursive: true });
    const shot = path.join(artifacts, "transcript.png");
    const flags = [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      `--user-data-dir=${path.join(home.home, "chrome")}`,
    ];
    const dom = await new Deno.Command(browser!, {
      args: [...flags, "--dump-dom", `file://${file}`],
    }).output();
    const html = new TextDecoder().decode(dom.stdout);
    assert.ok(html.includes("line one"), "the DOM holds the tool output");
    assert.ok(html.includes("🚀"), "the DOM holds the emoji");
    const png = await new Deno.Command(browser!, {
      args: [...flags, `--screenshot=${shot}`, "--window-size=900,1400", `file://${file}`],
    }).output();
    assert.equal(png.code, 0, new TextDecoder().decode(png.stderr));
    const bytes = await Deno.readFile(shot);
    assert.deepEqual([...bytes.slice(1, 4)], [0x50, 0x4e, 0x47], "a PNG was written");
  },
});

Deno.test("casr export --all writes one transcript per session, an index, and refuses to overwrite", async () => {
  await using home = await tempHome(["claude-code", "codex"]);
  const before = await treeHashes(home.home);
  const out = path.join(home.home, "..", `${path.basename(home.home)}-export`);
  try {
    const run = await runCli(
      ["export", "--all", "--format", "html", "--out", out, "--json"],
      home.ctx,
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const json = run.json as { sessions: number; index: string; failed: unknown[] };
    const codexIds = fixtures.filter((f) => f.provider === "codex").map((f) => f.sessionId);
    const claudeIds = fixtures.filter((f) => f.provider === "claude-code").map((f) => f.sessionId);
    assert.equal(json.sessions, codexIds.length + claudeIds.length);
    assert.deepEqual(json.failed, []);
    for (const id of codexIds) {
      const page = await Deno.readTextFile(path.join(out, "codex", `${id}.html`));
      assert.match(page, /<meta name="generator" content="casr">/);
    }
    const index = await Deno.readTextFile(json.index);
    for (const id of [...codexIds, ...claudeIds]) assert.ok(index.includes(`${id}.html`), id);
    const sources = (m: Map<string, string>) =>
      [...m].filter(([file]) => !file.startsWith(".cache/")).sort();
    assert.deepEqual(sources(await treeHashes(home.home)), sources(before), "sources untouched");
    const again = await runCli(["export", "--all", "--format", "html", "--out", out], home.ctx);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /exists from an earlier export \(use --force/);
    const forced = await runCli(
      ["export", "--all", "--format", "md", "--out", out, "-p", "codex", "--force"],
      home.ctx,
    );
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, new RegExp(`Wrote ${codexIds.length} md transcript`));
    for (const bad of [["export", "--all"], ["export"], ["export", "abc", "--all", "-o", out]]) {
      const usage = await runCli(bad, home.ctx);
      assert.equal(usage.code, 2, bad.join(" "));
    }
  } finally {
    await Deno.remove(out, { recursive: true }).catch(() => {});
  }
});

Deno.test({
  name: "the export index filters by agent, text and date in headless Chromium, and its links open",
  ignore: browser === undefined,
  async fn() {
    await using home = await tempHome(["claude-code", "codex"]);
    const out = path.join(home.home, "export");
    const run = await runCli(["export", "--all", "--format", "html", "--out", out], home.ctx);
    assert.equal(run.code, 0, run.stderr);
    const flags = [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
      `--user-data-dir=${path.join(home.home, "chrome")}`,
      "--virtual-time-budget=2000",
    ];
    const dom = async (url: string): Promise<string> =>
      new TextDecoder().decode(
        (await new Deno.Command(browser!, { args: [...flags, "--dump-dom", url] }).output()).stdout,
      );
    const shown = (html: string): string[] =>
      [...html.matchAll(/<tr data-agent="([^"]+)"[^>]*?(hidden="")?[^>]*>/g)]
        .filter((m) => m[2] === undefined && !/ hidden/.test(m[0])).map((m) => m[1]!);
    const index = `file://${out}/index.html`;
    const all = shown(await dom(index));
    const total = fixtures.filter((f) => f.provider === "codex" || f.provider === "claude-code")
      .length;
    assert.equal(all.length, total, "every session is listed");
    const codexOnly = shown(await dom(`${index}?agent=codex`));
    assert.ok(codexOnly.length > 0 && codexOnly.every((a) => a === "codex"), `${codexOnly}`);
    const messy = shown(await dom(`${index}?q=${encodeURIComponent("messy STEP one")}`));
    assert.ok(messy.length >= 2 && messy.length < total, `text filter: ${messy}`);
    const future = shown(await dom(`${index}?since=2099-01-01`));
    assert.deepEqual(future, [], "a date filter hides older sessions");
    const counted = await dom(`${index}?agent=codex`);
    assert.match(counted, new RegExp(`${codexOnly.length} of ${total} sessions`));
    const href = /<a href="([^"]+)"/.exec(counted)?.[1];
    assert.ok(href, "the index links to the pages");
    const page = await dom(`file://${out}/${href}`);
    assert.match(page, /<dt>Agent<\/dt>/, "a link opens its transcript");
  },
});
