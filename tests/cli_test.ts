/**
 * The CLI end to end, in-process with captured output and in temp homes made from
 * genuine fixtures. Every test also proves the source session files are byte-identical.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { OUTPUT_SCHEMAS } from "../src/cli/schema.ts";
import { PROVIDERS } from "../mod.ts";
import {
  type CliRun,
  fixtureFor,
  loadManifest,
  ROOT,
  runCli,
  tempHome,
  treeHashes,
} from "./helpers.ts";

const fixtures = await loadManifest();
const codexFixture = fixtureFor(fixtures, "codex", "basic");
const claudeFixture = fixtureFor(fixtures, "claude-code", "basic");
/** Every provider that has a fixture, in registry order. */
const ALL = PROVIDERS.map((p) => p.id).filter((id) => fixtures.some((f) => f.provider === id));

/** Runs `fn` in a temp home and asserts every file that was there before is unchanged after. */
async function withHome(
  providers: string[],
  fn: (home: Awaited<ReturnType<typeof tempHome>>) => Promise<void>,
): Promise<void> {
  await using home = await tempHome(providers);
  const before = await treeHashes(home.home);
  await fn(home);
  const after = await treeHashes(home.home);
  for (const [file, hash] of before) {
    assert.equal(after.get(file), hash, `source file ${file} changed`);
  }
}

function assertJsonShape(run: CliRun): Record<string, unknown> {
  assert.ok(run.json, `stdout is JSON: ${run.stdout.slice(0, 200)}`);
  assert.equal(run.json.schema_version, 1);
  if (run.json.ok === true) {
    const schema = OUTPUT_SCHEMAS[String(run.json.command)];
    assert.ok(schema, `known command ${String(run.json.command)}`);
    schema.parse(run.json);
  }
  return run.json;
}

function assertNoStack(run: CliRun): void {
  assert.doesNotMatch(run.stderr + run.stdout, /^\s+at .+:\d+:\d+/m, "no stack trace");
}

Deno.test("casr list shows every provider's session, newest first, with --json", async () => {
  await withHome(ALL, async ({ ctx }) => {
    const human = await runCli(["list"], ctx);
    assert.equal(human.code, 0);
    for (const f of fixtures) assert.ok(human.stdout.includes(f.sessionId.slice(0, 8)), f.provider);
    const lines = human.stdout.trimEnd().split("\n");
    assert.ok(lines.every((l) => l.length <= 80), "fits 80 columns");
    const jsonl = await runCli(["list", "--jsonl"], ctx);
    const objects = jsonl.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(objects.map((o) => o.id).sort(), fixtures.map((f) => f.sessionId).sort());
    assert.match(human.stdout, /^PROVIDER\s+ID\s+MSGS/);

    const json = assertJsonShape(await runCli(["list", "--json"], ctx));
    assert.equal(json.total, fixtures.length);
    assert.deepEqual(
      (json.sessions as { id: string }[]).map((s) => s.id).sort(),
      fixtures.map((f) => f.sessionId).sort(),
    );
    const codexOnly = assertJsonShape(await runCli(["list", "--json", "--provider", "cod"], ctx));
    const codexIds = (codexOnly.sessions as { id: string }[]).map((s) => s.id);
    assert.deepEqual(
      [...codexIds].sort(),
      fixtures.filter((f) => f.provider === "codex").map((f) => f.sessionId).sort(),
    );
    const limited = assertJsonShape(
      await runCli(["list", "--json", "--limit", "1", "--provider", "cod"], ctx),
    );
    assert.deepEqual((limited.sessions as { id: string }[]).map((s) => s.id), [codexIds[0]]);
    const inWs = assertJsonShape(
      await runCli(["list", "--json", "--workspace", "/tmp/casr-fixture-project"], ctx),
    );
    assert.equal(
      inWs.count,
      fixtures.filter((f) => f.workspace === "/tmp/casr-fixture-project").length,
    );
    const elsewhere = assertJsonShape(
      await runCli(["list", "--json", "--workspace", "/elsewhere"], ctx),
    );
    assert.equal(elsewhere.count, 0);
    const sorted = assertJsonShape(await runCli(["list", "--json", "--sort", "provider"], ctx));
    assert.deepEqual(
      (sorted.sessions as { provider: string }[]).map((s) => s.provider),
      fixtures.map((f) => f.provider).sort(),
    );
  });
});

Deno.test("casr list in a home with no agent data says so and succeeds", async () => {
  await withHome([], async ({ ctx }) => {
    const run = await runCli(["list"], ctx);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, "No sessions found.\n");
    const json = assertJsonShape(await runCli(["list", "--json"], ctx));
    assert.equal(json.count, 0);
  });
});

Deno.test("casr info --peek shows the last messages, tool calls included", async () => {
  await withHome(["codex"], async ({ ctx }) => {
    const run = await runCli(["info", codexFixture.sessionId.slice(0, 8), "--peek", "5"], ctx);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Provider\s+codex/);
    assert.match(run.stdout, /Workspace\s+\/tmp\/casr-fixture-project/);
    assert.ok(run.stdout.includes("héllo wörld — 日本語 ✓"));
    const json = assertJsonShape(
      await runCli(["info", codexFixture.sessionId, "--peek", "2", "--json"], ctx),
    );
    const messages = json.messages as { role: string; text: string }[];
    assert.deepEqual(messages.map((m) => m.role), ["user", "assistant"]);
    assert.equal((json.resume as { argv: string[] }).argv[0], "codex");
  });
});

Deno.test("casr info --peek shows the parallel calls and the tricky prompt of a multi-tool session", async () => {
  const multi = fixtureFor(fixtures, "claude-code", "multi-tool");
  await withHome(["claude-code"], async ({ ctx }) => {
    const json = assertJsonShape(
      await runCli(["info", multi.sessionId, "--peek", "20", "--json"], ctx),
    );
    const messages = json.messages as {
      role: string;
      text: string;
      toolCalls: { name: string }[];
      toolResults: { output: string; isError: boolean }[];
    }[];
    const at = messages.findIndex((m) => m.toolCalls.length === 2);
    assert.notEqual(at, -1, "one assistant message holds both parallel calls");
    const results = messages[at + 1]?.toolResults ?? [];
    assert.equal(messages[at + 1]?.role, "tool");
    assert.deepEqual(
      results.map((r) => [r.output.includes("No such file or directory"), r.isError]).sort(),
      [[false, false], [true, true]],
    );
    assert.ok(results.some((r) => r.output.includes("line one\nline two")));
    assert.equal(messages.filter((m) => m.role === "user").at(-1)?.text, multi.prompts[2]);
    const human = await runCli(["info", multi.sessionId, "--peek", "2"], ctx);
    assert.equal(human.code, 0);
    for (const line of ["Last check 🚀", "  /help is plain text", "<example>", "  ```ts"]) {
      assert.ok(human.stdout.includes(line), `peek shows ${line}`);
    }
  });
});

Deno.test("casr cc resume and casr resume cc are the same command", async () => {
  await withHome(["codex"], async ({ ctx }) => {
    const a = assertJsonShape(
      await runCli(["cc", "resume", codexFixture.sessionId, "--json", "--dry-run"], ctx),
    );
    const b = assertJsonShape(
      await runCli(["resume", "cc", codexFixture.sessionId, "--json", "--dry-run"], ctx),
    );
    assert.deepEqual(a, b);
    assert.equal((a.target as { provider: string }).provider, "claude-code");
  });
});

Deno.test("casr resume writes, verifies and prints the cd && claude --resume command", async () => {
  await withHome(["codex"], async ({ ctx, home }) => {
    const run = await runCli(["cc", "resume", codexFixture.sessionId.slice(0, 10)], ctx);
    assert.equal(run.code, 0, run.stderr);
    const match = /cd \/tmp\/casr-fixture-project && claude --resume ([0-9a-f-]{36})/.exec(
      run.stdout,
    );
    assert.ok(match, run.stdout);
    const file = path.join(home, ".claude/projects/-tmp-casr-fixture-project", `${match[1]}.jsonl`);
    const text = await Deno.readTextFile(file);
    assert.ok(text.endsWith("\n"));
    assert.match(run.stdout, /verified/);
  });
});

Deno.test("casr resume --dry-run writes nothing at all", async () => {
  await withHome(["codex", "gemini-cli"], async ({ ctx, home }) => {
    const before = await treeHashes(home);
    for (const target of ["cc", "gmi"]) {
      const json = assertJsonShape(
        await runCli(["resume", target, codexFixture.sessionId, "--dry-run", "--json"], ctx),
      );
      assert.equal(json.dryRun, true);
      assert.ok((json.files as string[]).length >= 1);
      for (const f of json.files as string[]) {
        assert.equal(
          await Deno.stat(f).then(() => f.endsWith("projects.json")).catch(() => true),
          true,
        );
      }
    }
    assert.deepEqual(await treeHashes(home), before);
  });
});

Deno.test("casr resume twice is up to date the second time; --force replaces it and keeps a .bak", async () => {
  await withHome(["codex"], async ({ ctx }) => {
    const first = assertJsonShape(
      await runCli(["resume", "gmi", codexFixture.sessionId, "--json"], ctx),
    );
    const target = first.target as { sessionId: string; path: string };
    const firstContent = await Deno.readTextFile(target.path);
    const second = assertJsonShape(
      await runCli(["resume", "gmi", codexFixture.sessionId, "--json"], ctx),
    );
    assert.equal(second.ok, true);
    assert.equal((second.update as { kind: string }).kind, "unchanged");
    assert.equal(
      (second.update as { previousMessages: number }).previousMessages,
      (first.target as { messageCount: number }).messageCount,
    );
    assert.deepEqual(second.files, []);
    assert.equal(await Deno.readTextFile(target.path), firstContent);
    const human = await runCli(["resume", "gmi", codexFixture.sessionId], ctx);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /up to date.*nothing to write/);
    const forced = assertJsonShape(
      await runCli(["resume", "gmi", codexFixture.sessionId, "--force", "--json"], ctx),
    );
    assert.equal(forced.ok, true);
    assert.equal((forced.target as { sessionId: string }).sessionId, target.sessionId);
    const backup = forced.backupPath as string;
    assert.ok(backup.endsWith(".bak"));
    assert.equal(
      await Deno.readTextFile(backup),
      firstContent,
    );
    // Gemini names files by the minute: a --force run in the next minute writes
    // a new name and removes the old one, so check the path it reports.
    assert.ok(Deno.statSync((forced.target as { path: string }).path).isFile);
  });
});

Deno.test("casr resume of an unknown id fails cleanly, in text and JSON", async () => {
  await withHome(["codex"], async ({ ctx }) => {
    const run = await runCli(["cc", "resume", "nope-not-here"], ctx);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: Cannot find session "nope-not-here"/);
    assertNoStack(run);
    const json = assertJsonShape(await runCli(["cc", "resume", "nope-not-here", "--json"], ctx));
    assert.equal(json.ok, false);
    assert.equal((json.error as { code: string }).code, "session-not-found");
    const file = await runCli(["cc", "resume", "/nowhere/session.jsonl"], ctx);
    assert.equal(file.code, 1);
    assert.match(
      file.stderr,
      /Cannot read session file "\/nowhere\/session.jsonl": it does not exist/,
    );
  });
});

Deno.test("casr info with an ambiguous prefix lists the candidates", async () => {
  await withHome(["claude-code"], async ({ ctx, home }) => {
    const dir = path.join(home, ".claude/projects/-tmp-casr-fixture-project");
    const twin = claudeFixture.sessionId.slice(0, 9) + "ffff-4fff-8fff-ffffffffffff";
    await Deno.copyFile(
      path.join(dir, `${claudeFixture.sessionId}.jsonl`),
      path.join(dir, `${twin}.jsonl`),
    );
    const run = await runCli(["info", claudeFixture.sessionId.slice(0, 8)], ctx);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /2 sessions match/);
    assert.ok(run.stderr.includes(twin));
    const json = assertJsonShape(
      await runCli(["info", claudeFixture.sessionId.slice(0, 8), "--json"], ctx),
    );
    assert.equal((json.error as { code: string }).code, "ambiguous-session");
    const exact = await runCli(["info", claudeFixture.sessionId], ctx);
    assert.equal(exact.code, 0);
  });
});

Deno.test("a malformed line is a warning with its line number; the rest still converts", async () => {
  await using home = await tempHome(["claude-code"]);
  const { ctx } = home;
  const file = path.join(home.home, path.relative("claude-code", claudeFixture.path));
  const lines = (await Deno.readTextFile(file)).split("\n");
  lines.splice(3, 0, "{this is not json");
  await Deno.writeTextFile(file, lines.join("\n"));
  const before = await treeHashes(home.home);
  const info = assertJsonShape(await runCli(["info", claudeFixture.sessionId, "--json"], ctx));
  const warnings = info.warnings as { code: string; line?: number }[];
  assert.ok(
    warnings.some((w) => w.code === "malformed-line" && w.line === 4),
    JSON.stringify(warnings),
  );
  const json = assertJsonShape(
    await runCli(["resume", "codex", claudeFixture.sessionId, "--json"], ctx),
  );
  assert.equal(json.ok, true);
  assert.ok((json.warnings as { code: string }[]).some((w) => w.code === "malformed-lines"));
  const after = await treeHashes(home.home);
  for (const [f, hash] of before) assert.equal(after.get(f), hash, `source file ${f} changed`);
});

Deno.test("a session file that is not a session fails with parse-failed, not a crash", async () => {
  await withHome([], async ({ ctx, home }) => {
    const file = path.join(home, "garbage.jsonl");
    await Deno.writeTextFile(file, "not json at all\n\u0000\u0001binary\n");
    const run = await runCli(["info", file, "--json"], ctx);
    assert.equal(run.code, 1);
    assert.equal((assertJsonShape(run).error as { code: string }).code, "parse-failed");
    const empty = path.join(home, ".claude/projects/-p/11111111-1111-4111-8111-111111111111.jsonl");
    await Deno.mkdir(path.dirname(empty), { recursive: true });
    await Deno.writeTextFile(empty, "");
    const r2 = await runCli(["cod", "resume", "11111111", "--json"], ctx);
    assert.equal(r2.code, 1);
    assert.match(
      (assertJsonShape(r2).error as { code: string }).code,
      /parse-failed|invalid-session/,
    );
    assertNoStack(await runCli(["cod", "resume", "11111111"], ctx));
  });
});

Deno.test("an unwritable target fails, writes nothing, and leaves no temp files", async () => {
  await withHome(["codex"], async ({ ctx, home }) => {
    await Deno.mkdir(path.join(home, ".claude"));
    await Deno.writeTextFile(
      path.join(home, ".claude/projects"),
      "a file where a directory should be",
    );
    const before = await treeHashes(home);
    const run = await runCli(["cc", "resume", codexFixture.sessionId, "--json"], ctx);
    assert.equal(run.code, 1);
    assert.match(
      (assertJsonShape(run).error as { code: string }).code,
      /write-failed|permission-denied/,
    );
    assert.deepEqual(await treeHashes(home), before);
    if (Deno.uid() !== 0) {
      await Deno.remove(path.join(home, ".claude/projects"));
      await Deno.chmod(path.join(home, ".claude"), 0o555);
      const denied = assertJsonShape(
        await runCli(["cc", "resume", codexFixture.sessionId, "--json"], ctx),
      );
      assert.equal((denied.error as { code: string }).code, "permission-denied");
      await Deno.chmod(path.join(home, ".claude"), 0o755);
    }
  });
});

Deno.test("usage errors exit 2, with JSON under --json", async () => {
  await withHome([], async ({ ctx }) => {
    for (
      const args of [
        ["resume"],
        ["list", "--sort", "sideways"],
        ["list", "--limit", "many"],
        ["frobnicate"],
        ["resume", "notanagent", "abc"],
        ["completions", "powershell"],
      ]
    ) {
      const run = await runCli(args, ctx);
      assert.equal(run.code, 2, `casr ${args.join(" ")}: ${run.stderr}`);
      assertNoStack(run);
      const json = await runCli([...args, "--json"], ctx);
      assert.equal(json.code, 2);
      assert.equal(assertJsonShape(json).ok, false);
    }
    const help = await runCli(["--help"], ctx);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /casr cc resume/);
  });
});

Deno.test("casr providers and completions describe every provider", async () => {
  await withHome(["codex"], async ({ ctx }) => {
    const json = assertJsonShape(await runCli(["providers", "--json", "--no-version"], ctx));
    const providers = json.providers as { id: string; detection: { installed: boolean } }[];
    assert.deepEqual(providers.map((p) => p.id), PROVIDERS.map((p) => p.id));
    assert.deepEqual(
      providers.filter((p) => p.detection.installed).map((p) => p.id),
      ["codex"],
      "only the agent whose home exists is found",
    );
    for (const shell of ["bash", "zsh", "fish"]) {
      const run = await runCli(["completions", shell], ctx);
      assert.equal(run.code, 0);
      for (const word of ["resume", "list", "info", "providers", "cc", "gmi", "dry-run"]) {
        assert.ok(run.stdout.includes(word), `${shell} completion has ${word}`);
      }
    }
  });
});

Deno.test("cli.ts as a subprocess: exit statuses and no stack traces", async () => {
  await using home = await tempHome([]);
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  const denoDir = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
  const exec = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", path.join(ROOT, "cli.ts"), ...args],
      env: { HOME: home.home, NO_COLOR: "1", DENO_DIR: denoDir },
      cwd: home.home,
    }).output();
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  };
  const bad = await exec("frobnicate");
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown command/);
  const missing = await exec("cc", "resume", "abc", "--json");
  assert.equal(missing.code, 1);
  assert.equal(JSON.parse(missing.stdout).error.code, "session-not-found");
  const version = await exec("--version");
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
});

Deno.test("cli.ts as a subprocess: a closed stdout ends casr quietly, status 0", async () => {
  await using home = await tempHome([]);
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  const denoDir = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
  for (const args of [["help"], ["--help"], ["providers"]]) {
    // `casr help | head -0`: the reader is gone before casr writes its first byte.
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", path.join(ROOT, "cli.ts"), ...args],
      env: { HOME: home.home, NO_COLOR: "1", DENO_DIR: denoDir },
      cwd: home.home,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    await child.stdout.cancel();
    const [status, stderr] = await Promise.all([
      child.status,
      new Response(child.stderr).text(),
    ]);
    assert.equal(stderr, "", `casr ${args.join(" ")} wrote to stderr`);
    assert.equal(status.code, 0, `casr ${args.join(" ")}`);
  }
});

Deno.test("casr resume of a bad path says what is wrong with it: empty, or a directory", async () => {
  await withHome([], async ({ ctx, home }) => {
    const empty = path.join(home, "empty.jsonl");
    await Deno.writeTextFile(empty, "");
    const run = await runCli(["cc", "resume", empty, "--json"], ctx);
    assert.equal(run.code, 1);
    const error = assertJsonShape(run).error as { code: string; message: string };
    assert.equal(error.code, "parse-failed");
    assert.match(error.message, /the file is empty \(0 bytes\)$/);
    const folder = path.join(home, "session-folder");
    await Deno.mkdir(folder);
    const dir = await runCli(["cc", "resume", folder], ctx);
    assert.equal(dir.code, 1);
    assert.match(
      dir.stderr,
      /it is a directory; pass the session file inside it, or the session's id/,
    );
    assertNoStack(dir);
  });
});

Deno.test("casr resume to a read-only target: good grammar, and never suggests the session's own agent", async () => {
  await withHome(["claude-code"], async ({ ctx }) => {
    const run = await runCli(["agy", "resume", claudeFixture.sessionId], ctx);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Cannot write an Antigravity CLI session/);
    assert.match(run.stderr, new RegExp(`e\\.g\\. "casr codex resume ${claudeFixture.sessionId}"`));
  });
});

Deno.test("casr with a misspelt or bare agent name says what to type and lists the agents", async () => {
  await withHome([], async ({ ctx }) => {
    const typo = await runCli(["claud", "resume", "X"], ctx);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown command 'claud'/);
    assert.match(
      typo.stderr,
      /did you mean "claude" \(Claude Code\), as in "casr claude resume <session>"/,
    );
    assert.match(typo.stderr, /agents: claude-code, codex, gemini-cli/);
    const bare = await runCli(["cc"], ctx);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /Claude Code is an agent: use "casr cc resume <session>"/);
    const json = assertJsonShape(await runCli(["claud", "resume", "X", "--json"], ctx));
    const details = (json.error as { details: { hint: string[] } }).details;
    assert.match(details.hint[0] ?? "", /did you mean "claude"/);
  });
});

Deno.test("stylesFor: an empty NO_COLOR does not turn colour off; a non-empty one does", async () => {
  const { stylesFor } = await import("../src/cli/io.ts");
  const io = (env: Record<string, string | undefined>) => ({
    out: () => {},
    err: () => {},
    isTty: true,
    env,
  });
  assert.equal(stylesFor(io({})).red("x"), "\x1b[31mx\x1b[39m");
  assert.equal(stylesFor(io({ NO_COLOR: "" })).red("x"), "\x1b[31mx\x1b[39m");
  assert.equal(stylesFor(io({ NO_COLOR: "1" })).red("x"), "x");
});
