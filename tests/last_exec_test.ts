/**
 * `casr <target> resume --last` finds the session a user means to carry on
 * with; `--exec` starts the target agent on it once it is verified.
 *
 * The agent started by `--exec` here is a stand-in script named `claude` that
 * records how it was started (the real Claude Code is started the same way by
 * `deno task roundtrip`).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { fixtureFor, loadManifest, runCli, tempHome } from "./helpers.ts";

const fixtures = await loadManifest();
const codexMessy = fixtureFor(fixtures, "codex", "messy");
const WORKSPACE = codexMessy.workspace!;

Deno.test("resume --last: the newest session here from another agent; --from narrows it", async () => {
  await using home = await tempHome(["codex", "claude-code"]);
  const ctx = { ...home.ctx, cwd: WORKSPACE };
  // The newest sessions in the fixture project: Codex's messy one (2026-12-06) is newer than
  // every Claude Code fixture but Claude Code's own messy one; the target's own are left out.
  const toClaude = await runCli(["cc", "resume", "--last", "--dry-run", "--json"], ctx);
  assert.equal(toClaude.code, 0, toClaude.stderr);
  const source = (toClaude.json as { source: { provider: string; sessionId: string } }).source;
  assert.deepEqual(source, { ...source, provider: "codex", sessionId: codexMessy.sessionId });
  const fromCodex = await runCli(
    ["gmi", "resume", "--last", "--from", "cod", "--dry-run", "--json"],
    ctx,
  );
  assert.equal(fromCodex.code, 0, fromCodex.stderr);
  assert.equal((fromCodex.json as { source: { provider: string } }).source.provider, "codex");
  const fromClaude = await runCli(
    ["gmi", "resume", "--last", "--from", "claude-code", "--dry-run", "--json"],
    ctx,
  );
  assert.equal(
    (fromClaude.json as { source: { provider: string } }).source.provider,
    "claude-code",
  );
});

Deno.test("resume --last elsewhere, or without a session: clear errors and statuses", async () => {
  await using home = await tempHome(["codex"]);
  const nowhere = await runCli(["cc", "resume", "--last"], home.ctx);
  assert.equal(nowhere.code, 1);
  assert.match(nowhere.stderr, /Cannot find another agent's session in .* or below/);
  assert.match(nowhere.stderr, /casr list/);
  const ctx = { ...home.ctx, cwd: WORKSPACE };
  const own = await runCli(["cod", "resume", "--last"], ctx);
  assert.equal(own.code, 1, "Codex's own sessions are not candidates for a Codex target");
  const cases: [string[], RegExp][] = [
    [["cc", "resume"], /Name the session to resume.*--last/],
    [["cc", "resume", codexMessy.sessionId, "--last"], /Cannot use --last with a session/],
    [["cc", "resume", codexMessy.sessionId, "--from", "cod"], /--from goes with --last/],
    [["cc", "resume", codexMessy.sessionId, "--exec", "--json"], /Cannot use --exec with --json/],
    [["cc", "resume", codexMessy.sessionId, "--exec", "-n"], /Cannot use --exec with --dry-run/],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(args, ctx);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr + run.stdout, message);
  }
});

Deno.test("resume --exec starts the agent in the session's directory with the arguments after --", async () => {
  await using home = await tempHome(["codex"]);
  await Deno.mkdir(WORKSPACE, { recursive: true });
  const bin = path.join(home.home, "bin");
  await Deno.mkdir(bin);
  const record = path.join(home.home, "started.txt");
  await Deno.writeTextFile(
    path.join(bin, "claude"),
    `#!/bin/sh\n{ pwd; for a in "$@"; do echo "$a"; done; } > "${record}"\nexit 7\n`,
  );
  await Deno.chmod(path.join(bin, "claude"), 0o755);
  const ctx = { ...home.ctx, env: { ...home.ctx.env, PATH: `${bin}:/usr/bin:/bin` } };
  const run = await runCli(
    ["cc", "resume", codexMessy.sessionId, "--exec", "--", "-p", "carry on"],
    ctx,
  );
  assert.equal(run.code, 7, `the agent's exit status is casr's: ${run.stderr}`);
  assert.match(run.stdout, /Resume it with:/);
  const id = /claude --resume (\S+)/.exec(run.stdout)?.[1];
  assert.ok(id, run.stdout);
  const [cwd, ...argv] = (await Deno.readTextFile(record)).trimEnd().split("\n");
  assert.equal(await Deno.realPath(cwd!), await Deno.realPath(WORKSPACE));
  assert.deepEqual(argv, ["--resume", id, "-p", "carry on"]);
});

Deno.test("resume --exec with the agent missing: the session is written and the command printed", async () => {
  await using home = await tempHome(["codex"]);
  await Deno.mkdir(WORKSPACE, { recursive: true });
  const run = await runCli(["cc", "resume", codexMessy.sessionId, "--exec"], home.ctx);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /Cannot start claude: "claude" is not on PATH/);
  assert.match(run.stderr, /The session is written; resume it with: cd .* && claude --resume/);
  assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
});
