/**
 * Bad inputs and discovery, through the CLI in temp homes made from the genuine
 * fixtures: `-w` workspaces, `--source` with a path, session folders, id case.
 * Each says what happened and what to do in one line, and `--json` carries the code.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { PROVIDERS } from "../mod.ts";
import { type CliRun, fixtureFor, loadManifest, ROOT, runCli, tempHome } from "./helpers.ts";

const fixtures = await loadManifest();
const codex = fixtureFor(fixtures, "codex", "basic");
const claude = fixtureFor(fixtures, "claude-code", "basic");
const gemini = fixtureFor(fixtures, "gemini-cli", "basic");
const WRITABLE = PROVIDERS.filter((p) => !p.readOnly).map((p) => p.id);

function errorOf(run: CliRun): { code: string; message: string; details: Record<string, unknown> } {
  assert.ok(run.json, `stdout is JSON: ${run.stdout.slice(0, 300)} ${run.stderr.slice(0, 300)}`);
  assert.equal(run.json.ok, false, run.stdout.slice(0, 300));
  return run.json.error as { code: string; message: string; details: Record<string, unknown> };
}

function assertOneLine(run: CliRun): void {
  assert.doesNotMatch(run.stderr + run.stdout, /^\s+at .+:\d+:\d+/m, "no stack trace");
  assert.equal(run.stderr.trimEnd().split("\n").length, 1, `one line: ${run.stderr}`);
}

Deno.test("casr resume -w relative/dir prints the absolute directory in the resume command", async () => {
  await using home = await tempHome(["codex"]);
  await Deno.mkdir(path.join(home.home, "rel", "dir"), { recursive: true });
  const abs = path.join(home.home, "rel", "dir");
  for (const target of ["cc", "gmi"]) {
    const run = await runCli(
      [target, "resume", codex.sessionId, "-w", "rel/dir", "--json"],
      home.ctx,
    );
    assert.equal(run.code, 0, run.stdout);
    const resume = run.json?.resume as { shell: string; cwd?: string };
    assert.ok(resume.shell.includes(abs), `${target}: ${resume.shell}`);
    assert.doesNotMatch(resume.shell, /cd rel\/dir/);
    assert.equal((run.json?.target as { workspace: string }).workspace, abs);
  }
});

Deno.test("casr resume -w at a missing directory warns for every writable target; at a file it is a usage error", async () => {
  await using home = await tempHome(["claude-code"]);
  const missing = path.join(home.home, "not-yet");
  const file = path.join(home.home, "a-file");
  await Deno.writeTextFile(file, "x");
  for (const target of WRITABLE.filter((t) => t !== "claude-code")) {
    const warned = await runCli(
      [target, "resume", claude.sessionId, "-w", missing, "--dry-run", "--json"],
      home.ctx,
    );
    assert.equal(warned.code, 0, `${target}: ${warned.stdout.slice(0, 400)}`);
    const warnings = warned.json?.warnings as { code: string; message: string }[];
    const w = warnings.find((x) => x.code === "missing-workspace");
    assert.ok(w, `${target} warns about the missing workspace`);
    assert.ok(w.message.includes(missing));

    const refused = await runCli(
      [target, "resume", claude.sessionId, "-w", file, "--dry-run", "--json"],
      home.ctx,
    );
    assert.equal(refused.code, 2, target);
    const error = errorOf(refused);
    assert.equal(error.code, "usage");
    assert.match(error.message, /it is a file, not a directory/);
  }
  const human = await runCli(["cod", "resume", claude.sessionId, "-w", file], home.ctx);
  assert.equal(human.code, 2);
  assertOneLine(human);
  const humanMissing = await runCli(["cod", "resume", claude.sessionId, "-w", missing], home.ctx);
  assert.equal(humanMissing.code, 0);
  assert.match(humanMissing.stdout, /warning: The workspace .*not-yet does not exist yet/);
});

Deno.test("casr info finds a Gemini session by an id typed in capitals", async () => {
  await using home = await tempHome(["gemini-cli"]);
  const run = await runCli(
    ["info", gemini.sessionId.slice(0, 8).toUpperCase(), "--json"],
    home.ctx,
  );
  assert.equal(run.code, 0, run.stdout);
  assert.equal((run.json?.session as { id: string }).id, gemini.sessionId);
});

Deno.test("casr info --source <agent> <path> reads the file as that agent's session", async () => {
  await using home = await tempHome([]);
  const file = path.join(home.home, "copied", "claude-session.jsonl");
  await Deno.mkdir(path.dirname(file));
  await Deno.copyFile(path.join(ROOT, "fixtures", claude.path), file);
  for (const source of ["cc", "claude-code"]) {
    const run = await runCli(["info", "--source", source, file, "--json"], home.ctx);
    assert.equal(run.code, 0, `${source}: ${run.stdout.slice(0, 300)}`);
    assert.equal((run.json?.session as { id: string }).id, claude.sessionId);
  }
  const relative = await runCli(["info", "-s", "cc", "copied/claude-session.jsonl"], home.ctx);
  assert.equal(relative.code, 0, relative.stderr);
  assert.ok(relative.stdout.includes(claude.sessionId));
  const converted = await runCli(
    ["cod", "resume", "-s", "cc", file, "--dry-run", "--json"],
    home.ctx,
  );
  assert.equal(converted.code, 0, converted.stdout.slice(0, 300));
  const missing = errorOf(
    await runCli(
      ["info", "--source", "cc", path.join(home.home, "gone.jsonl"), "--json"],
      home.ctx,
    ),
  );
  assert.equal(missing.code, "session-not-found");
  assert.match(missing.message, /gone\.jsonl": it does not exist$/);
});

Deno.test("casr info --source <file> with another session's id is a usage error, not silently the file", async () => {
  await using home = await tempHome(["claude-code"]);
  const file = path.join(home.home, path.relative("claude-code", claude.path));
  const other = await runCli(["info", "--source", file, "0000aaaa", "--json"], home.ctx);
  assert.equal(other.code, 2);
  const error = errorOf(other);
  assert.equal(error.code, "usage");
  assert.match(error.message, /the file holds session "/);
  const human = await runCli(["info", "--source", file, "0000aaaa"], home.ctx);
  assert.equal(human.code, 2);
  assertOneLine(human);
  for (const id of [claude.sessionId, claude.sessionId.slice(0, 8).toUpperCase(), file]) {
    const same = await runCli(["info", "--source", file, id, "--json"], home.ctx);
    assert.equal(same.code, 0, `${id}: ${same.stdout.slice(0, 300)}`);
  }
});

Deno.test("casr info and resume accept a session folder (Copilot, Vibe, Grok, Cline, Kimi) or another file in it", async () => {
  const folderAgents = ["copilot-cli", "vibe", "grok", "cline", "kimi-code"];
  await using home = await tempHome(folderAgents);
  for (const provider of folderAgents) {
    const fixture = fixtureFor(fixtures, provider, "basic");
    const file = path.join(home.home, path.relative(provider, fixture.path));
    const folder = provider === "kimi-code"
      ? path.dirname(path.dirname(path.dirname(file)))
      : path.dirname(file);
    const run = await runCli(["info", folder, "--json"], home.ctx);
    assert.equal(run.code, 0, `${provider}: ${run.stdout.slice(0, 300)}`);
    assert.equal((run.json?.session as { id: string }).id, fixture.sessionId, provider);
    const dry = await runCli(["cc", "resume", folder + "/", "--dry-run", "--json"], home.ctx);
    assert.equal(dry.code, 0, `${provider} resume: ${dry.stdout.slice(0, 300)}`);
    // A file of the folder that is not the session file leads to the session too.
    const sibling = path.join(path.dirname(file), "notes-by-hand.txt");
    await Deno.writeTextFile(sibling, "a hand-made file next to the session\n");
    const viaSibling = await runCli(["info", sibling, "--json"], home.ctx);
    assert.equal(viaSibling.code, 0, `${provider} sibling: ${viaSibling.stdout.slice(0, 300)}`);
    assert.equal((viaSibling.json?.session as { id: string }).id, fixture.sessionId);
  }
  const copilot = fixtureFor(fixtures, "copilot-cli", "basic");
  const yaml = path.join(
    home.home,
    path.relative("copilot-cli", path.dirname(copilot.path)),
    "workspace.yaml",
  );
  const viaYaml = await runCli(["info", yaml, "--json"], home.ctx);
  assert.equal((viaYaml.json?.session as { id: string }).id, copilot.sessionId);
});

Deno.test("casr info of a folder that is no session folder says which file to pass", async () => {
  await using home = await tempHome(["claude-code"]);
  const folder = path.join(home.home, ".claude", "projects");
  const run = await runCli(["info", folder], home.ctx);
  assert.equal(run.code, 1);
  assertOneLine(run);
  assert.match(
    run.stderr,
    /it is a directory; pass the session file inside it, or the session's id/,
  );
  assert.match(run.stderr, /events\.jsonl \(GitHub Copilot CLI\)/);
  assert.match(run.stderr, /updates\.jsonl \(Grok Build\)/);
  assert.equal(
    errorOf(await runCli(["info", folder, "--json"], home.ctx)).code,
    "session-not-found",
  );
  // A file no agent claims, in a folder of single-file sessions, is still refused.
  const stray = path.join(
    path.dirname(path.join(home.home, path.relative("claude-code", claude.path))),
    "stray.jsonl",
  );
  await Deno.writeTextFile(stray, '{"hand":"made"}\n');
  const strayRun = await runCli(["info", stray, "--json"], home.ctx);
  assert.equal(errorOf(strayRun).code, "parse-failed");
});

Deno.test("--source <agent> with another agent's file: read or a CasrError, never a crash", async () => {
  const { CasrError, resolveSession, readSession } = await import("../mod.ts");
  await using home = await tempHome([]);
  const basics = fixtures.filter((f) => f.scenario === "basic");
  const crashes: string[] = [];
  for (const fixture of basics) {
    const file = path.join(ROOT, "fixtures", fixture.path.split("#")[0] as string);
    for (const provider of PROVIDERS) {
      try {
        await resolveSession(home.ctx, file, { source: provider.id });
        await readSession(home.ctx, file, { source: provider.id });
      } catch (error) {
        if (!(error instanceof CasrError)) {
          crashes.push(`${provider.id} reading ${fixture.path}: ${String(error)}`);
        }
      }
    }
  }
  assert.deepEqual(crashes, []);
});

Deno.test("casr info --source <agent> <folder> of an agent with single-file sessions says to pass the file", async () => {
  await using home = await tempHome(["claude-code"]);
  const run = await runCli(["info", "--source", "cc", path.join(home.home, ".claude")], home.ctx);
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /it is a directory; pass the session file inside it, or the session's id\n$/,
  );
});
