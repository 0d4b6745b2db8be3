/**
 * `casr handoff` end to end on genuine fixtures: the brief lands in the
 * workspace without ever replacing a file, `--json` passes its schema, and the
 * printed command starts a new session of the target with the brief.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { fixtureFor, loadManifest, runCli, tempHome } from "./helpers.ts";

const fixtures = await loadManifest();

/** The fields of `casr handoff --json` these tests read. */
interface HandoffJson {
  command: string;
  target: string;
  newSession: boolean;
  path: string;
  bytes: number;
  content?: string;
  dryRun: boolean;
  start: { cwd?: string; shell: string };
  error: { code: string };
}

Deno.test("casr handoff writes a brief into the workspace and prints the start command", async () => {
  const source = fixtureFor(fixtures, "codex", "multi-tool");
  await using home = await tempHome(["codex"]);
  const workspace = path.join(home.home, "ws");
  const first = await runCli(
    ["handoff", "cc", source.sessionId, "-w", workspace, "--json"],
    home.ctx,
  );
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const out = first.json as unknown as HandoffJson;
  assert.equal(out.command, "handoff");
  assert.equal(out.target, "claude-code");
  assert.equal(out.newSession, true);
  assert.equal(out.path, path.join(workspace, ".casr", `handoff-${source.sessionId}.md`));
  assert.equal(out.content, undefined, "the brief is in the file, not in --json");
  const brief = await Deno.readTextFile(out.path);
  assert.equal(new TextEncoder().encode(brief).length, out.bytes);
  assert.match(brief, /This is a new Claude Code session\. It picks up work begun in Codex CLI/);
  assert.ok(brief.includes(source.prompts[0]!.slice(0, 40)), "the goal is the first prompt");
  for (const section of ["Goal", "Decisions", "Files touched", "Open tasks"]) {
    assert.match(brief, new RegExp(`^## ${section}$`, "m"));
  }
  assert.equal(out.start.cwd, workspace);
  assert.equal(
    out.start.shell,
    `cd ${workspace} && claude "$(cat .casr/handoff-${source.sessionId}.md)"`,
  );

  // A second handoff never replaces the first.
  const second = await runCli(["handoff", "cc", source.sessionId, "-w", workspace], home.ctx);
  assert.equal(second.code, 0, second.stderr);
  const secondPath = path.join(workspace, ".casr", `handoff-${source.sessionId}-2.md`);
  assert.ok(second.stdout.includes(secondPath));
  assert.match(second.stdout, /Start a NEW claude-code session with it:/);
  assert.equal(await Deno.readTextFile(out.path), brief);
  assert.equal(await Deno.readTextFile(secondPath), brief);
});

Deno.test("casr handoff --dry-run prints the brief and writes nothing; bad input is a usage error", async () => {
  const source = fixtureFor(fixtures, "claude-code", "basic");
  await using home = await tempHome(["claude-code"]);
  const workspace = path.join(home.home, "ws");
  const dry = await runCli(
    ["handoff", "gmi", source.sessionId, "-w", workspace, "--dry-run", "--json", "--last", "1"],
    home.ctx,
  );
  assert.equal(dry.code, 0, dry.stdout);
  const out = dry.json as unknown as HandoffJson;
  assert.equal(out.dryRun, true);
  assert.match(out.content ?? "", /## Last 1 turns/);
  assert.match(out.start.shell, /gemini -i "\$\(cat \.casr\/handoff-.*\.md\)"$/);
  assert.equal(await Deno.stat(workspace).catch(() => undefined), undefined);

  const unknown = await runCli(["handoff", "nope", source.sessionId, "--json"], home.ctx);
  assert.equal(unknown.code, 2);
  assert.equal((unknown.json as unknown as HandoffJson).error.code, "unknown-provider");
  const missing = await runCli(["handoff", "cc", "zzzzzz"], home.ctx);
  assert.equal(missing.code, 1);
});
