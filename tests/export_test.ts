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
