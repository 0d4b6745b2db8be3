/**
 * `--fixtures` mode: each real CLI creates a fresh session through the mock (a shell tool
 * call, its result, a final answer), then a second user turn by resuming that session; the
 * native files it wrote are copied into `fixtures/<provider>/`, mirroring the home layout, and
 * recorded in `fixtures/manifest.json`.
 *
 * @module
 */

import { checkResumedHistory, type ExpectedTurn } from "./checks.ts";
import {
  type CliContext,
  type CliDefinition,
  cliEnv,
  CLIS,
  ensureInstalled,
  type SessionFile,
} from "./clis.ts";
import {
  copyFileWithParents,
  pathExists,
  removeIfExists,
  renderCommand,
  shellQuote,
  tailLines,
} from "./fs_utils.ts";
import { historyFromWire } from "./history.ts";
import { type FixtureEntry, readManifest, writeManifest } from "./manifest.ts";
import { type RecordedRequest, startMockServer } from "./mock_server.ts";
import { killProcessesWithHome, runBounded, type RunResult } from "./process.ts";

/** Fixed, readable working directory of every fixture session. */
export const FIXTURE_WORKSPACE = "/tmp/casr-fixture-project";

/** Fixed throwaway home root for fixture generation (one subdirectory per provider). */
export const FIXTURE_HOME_ROOT = "/tmp/casr-fixture-home";

/** The shell command the first prompt asks for; its output token is checked. */
export const FIXTURE_COMMAND = "echo casr-fixture";

/** The two user prompts of every fixture session. */
export const FIXTURE_PROMPTS: readonly [string, string] = [
  `Please run the shell command \`${FIXTURE_COMMAND}\` and tell me what it printed.`,
  [
    "Thanks! Unicode check: héllo wörld — 日本語 ✓",
    "Markdown trap:",
    "```sh",
    'echo "inside a fence"',
    "```",
    "# a line that starts with a hash",
    "Reply briefly.",
  ].join("\n"),
];

/** Options for {@linkcode generateFixtures}. */
export interface GenerateFixturesOptions {
  /** Repository root (holds `fixtures/`). */
  repoRoot: string;
  /** Install cache for the CLIs. */
  cacheDir: string;
  /** Artifact directory of this run. */
  runDir: string;
  /** CLIs to generate fixtures for. */
  clis: readonly CliDefinition[];
  /** Per-command timeout. */
  timeoutMs: number;
  /** Replace fixtures that already exist (their session ids change). @default false */
  force?: boolean;
}

/** Outcome for one CLI. */
export interface FixtureOutcome {
  /** Provider. */
  provider: string;
  /** PASS: written; FAIL: not written; SKIP: CLI not installable; KEPT: exists, no `force`. */
  status: "PASS" | "FAIL" | "SKIP" | "KEPT";
  /** Why, or what was written. */
  detail: string;
}

/**
 * Rebuilds the source conversation from the mock's turn log: for each turn request, the user
 * prompt or tool result that triggered it, then the scripted assistant reply.
 *
 * @param turns The turn requests, in order.
 * @param prompts The prompts sent, used to cut the user text out of CLI-decorated turns.
 * @returns The expected turns.
 */
export function expectedFromMockTurns(
  turns: RecordedRequest[],
  prompts: readonly string[],
): ExpectedTurn[] {
  const expected: ExpectedTurn[] = [];
  for (const request of turns) {
    if (request.wire === undefined || request.reply === undefined) continue;
    const last = historyFromWire(request.wire, request.body).at(-1);
    if (last?.role === "user") {
      const prompt = prompts.find((candidate) => last.text.includes(candidate));
      expected.push({ role: "user", text: prompt ?? last.text });
    } else if (last?.role === "tool") {
      const output = last.toolResults.map((result) => result.output).join("\n");
      const token = FIXTURE_COMMAND.replace(/^echo /, "");
      expected.push({ role: "tool", text: output.includes(token) ? token : output.slice(0, 40) });
    }
    const call = request.reply.toolCall;
    const command = request.reply.toolCall === undefined ? undefined : FIXTURE_COMMAND;
    expected.push(
      call === undefined || command === undefined
        ? { role: "assistant", text: request.reply.text }
        : {
          role: "assistant",
          text: request.reply.text,
          toolCalls: [{ name: call.name, command }],
        },
    );
  }
  return expected;
}

async function writeRunArtifacts(
  dir: string,
  name: string,
  argv: string[],
  result: RunResult,
): Promise<void> {
  await Deno.writeTextFile(`${dir}/${name}.command.txt`, renderCommand(argv) + "\n");
  await Deno.writeTextFile(`${dir}/${name}.stdout.txt`, result.stdout);
  await Deno.writeTextFile(`${dir}/${name}.stderr.txt`, result.stderr);
  await Deno.writeTextFile(
    `${dir}/${name}.status.json`,
    JSON.stringify(
      {
        code: result.code,
        signal: result.signal,
        timedOut: result.timedOut,
        durationMs: result.durationMs,
      },
      null,
      2,
    ) + "\n",
  );
}

function describeRun(result: RunResult): string {
  if (result.timedOut) return `timed out after ${result.durationMs} ms`;
  return `exit ${result.code ?? result.signal}: ${tailLines(result.stderr || result.stdout, 4)}`;
}

/** Files besides the transcript that a provider needs to find its session. */
async function extraFiles(cli: CliDefinition, home: string, transcript: string): Promise<string[]> {
  if (cli.provider !== "gemini-cli") return [];
  const extras: string[] = [];
  const projects = `${home}/.gemini/projects.json`;
  if (await pathExists(projects)) extras.push(projects);
  const slugDir = transcript.slice(0, transcript.indexOf("/chats/"));
  if (await pathExists(`${slugDir}/.project_root`)) extras.push(`${slugDir}/.project_root`);
  return extras;
}

async function pickTranscript(
  files: SessionFile[],
  tokens: string[],
): Promise<SessionFile | undefined> {
  let best: { file: SessionFile; size: number } | undefined;
  for (const file of files) {
    const text = await Deno.readTextFile(file.path);
    if (!tokens.every((token) => text.includes(token))) continue;
    if (best === undefined || text.length > best.size) best = { file, size: text.length };
  }
  return best?.file;
}

async function generateOne(
  cli: CliDefinition,
  options: GenerateFixturesOptions,
): Promise<{ outcome: FixtureOutcome; entry?: FixtureEntry; copies?: [string, string][] }> {
  const install = await ensureInstalled(cli, options.cacheDir);
  if (!install.ok) {
    return { outcome: { provider: cli.provider, status: "SKIP", detail: install.error } };
  }
  const fail = (detail: string) => ({
    outcome: { provider: cli.provider, status: "FAIL" as const, detail },
  });
  const artifacts = `${options.runDir}/fixtures/${cli.provider}`;
  await Deno.mkdir(artifacts, { recursive: true });
  const home = `${FIXTURE_HOME_ROOT}/${cli.provider}`;
  await removeIfExists(home);
  await Deno.mkdir(home, { recursive: true });
  await removeIfExists(FIXTURE_WORKSPACE);
  await Deno.mkdir(FIXTURE_WORKSPACE, { recursive: true });

  const mock = await startMockServer({ logPath: `${artifacts}/requests.jsonl` });
  try {
    const context: CliContext = { home, baseUrl: mock.url };
    await cli.prepareHome(context);
    const env = cliEnv(cli, context);
    const commands: string[] = [];
    const bin = install.cli.binPath;
    const placeholder = (argv: string[]): string =>
      [cli.bin, ...argv].map((arg) =>
        arg.includes(mock.url)
          ? `"${arg.replace(/["\\`$]/g, "\\$&").replaceAll(mock.url, "$BASE")}"`
          : shellQuote(arg)
      ).join(" ");

    const firstArgs = cli.newSessionArgs(FIXTURE_PROMPTS[0], context);
    commands.push(placeholder(firstArgs));
    const first = await runBounded(bin, firstArgs, {
      cwd: FIXTURE_WORKSPACE,
      env,
      timeoutMs: options.timeoutMs,
    });
    await writeRunArtifacts(artifacts, "1-new", [bin, ...firstArgs], first);
    const token1 = FIXTURE_COMMAND.replace(/^echo /, "");
    const created = await pickTranscript(await cli.sessionFiles(home), [token1]);
    if (created === undefined) {
      return fail(`no session file after the first run (${describeRun(first)})`);
    }

    const resumeArgs = await cli.resumeArgs(created.sessionId, FIXTURE_PROMPTS[1], context);
    commands.push(placeholder(resumeArgs));
    const second = await runBounded(bin, resumeArgs, {
      cwd: FIXTURE_WORKSPACE,
      env,
      timeoutMs: options.timeoutMs,
    });
    await writeRunArtifacts(artifacts, "2-resume", [bin, ...resumeArgs], second);
    const files = await cli.sessionFiles(home);
    const transcript = await pickTranscript(files, [token1, "日本語"]) ??
      await pickTranscript(files, [token1, JSON.stringify("日本語").slice(1, -1)]);
    if (transcript === undefined) {
      return fail(`no session file holds both turns after resume (${describeRun(second)})`);
    }

    const turns = mock.turns();
    const toolCalls = turns.filter((turn) => turn.reply?.toolCall !== undefined).length;
    if (toolCalls === 0) return fail("the mock made no tool call (no shell tool offered?)");
    const expected = expectedFromMockTurns(turns, FIXTURE_PROMPTS);
    if (!expected.some((turn) => turn.role === "tool" && turn.text === token1)) {
      return fail(`the tool result never carried "${token1}": the CLI did not run the command`);
    }
    // Self-check: the resume request carried turn 1 in full.
    const resumeRequest = turns.find((turn) =>
      cli.historyFromRequest(turn.body).at(-1)?.text.includes(FIXTURE_PROMPTS[1]) === true
    );
    if (resumeRequest === undefined) return fail("no request carried the second prompt");
    const before = expected.slice(
      0,
      expected.findIndex((turn) => turn.role === "user" && turn.text === FIXTURE_PROMPTS[1]),
    );
    const check = checkResumedHistory(
      cli.historyFromRequest(resumeRequest.body),
      before,
      FIXTURE_PROMPTS[1],
    );
    if (!check.ok) return fail(`native resume lost history: ${check.problems.join("; ")}`);

    const sources = [transcript.path, ...await extraFiles(cli, home, transcript.path)];
    const copies: [string, string][] = sources.map((path) => [
      path,
      `${cli.provider}/${path.slice(home.length + 1)}`,
    ]);
    const entry: FixtureEntry = {
      provider: cli.provider,
      sessionId: transcript.sessionId,
      path: `${cli.provider}/${transcript.path.slice(home.length + 1)}`,
      home: cli.provider,
      files: copies.map(([, to]) => to),
      workspace: FIXTURE_WORKSPACE,
      cliPackage: cli.npmPackage,
      cliVersion: cli.version,
      createdAt: new Date().toISOString(),
      commands,
      prompts: [...FIXTURE_PROMPTS],
      toolCalls,
      expected,
    };
    const size = (await Promise.all(sources.map((path) => Deno.stat(path))))
      .reduce((sum, stat) => sum + stat.size, 0);
    return {
      outcome: {
        provider: cli.provider,
        status: "PASS",
        detail: `${entry.path} (${Math.round(size / 1024)} KB, ${toolCalls} tool call(s))`,
      },
      entry,
      copies,
    };
  } finally {
    await mock.close();
    await killProcessesWithHome(home);
  }
}

/**
 * Generates fixtures for each CLI and updates `fixtures/manifest.json` and
 * `fixtures/README.md`. A CLI that fails leaves its previous fixture untouched.
 *
 * @param options Repository, cache and run directories, CLIs, timeout.
 * @returns One outcome per CLI.
 */
export async function generateFixtures(
  options: GenerateFixturesOptions,
): Promise<FixtureOutcome[]> {
  const fixturesDir = `${options.repoRoot}/fixtures`;
  const manifestPath = `${fixturesDir}/manifest.json`;
  const outcomes: FixtureOutcome[] = [];
  for (const cli of options.clis) {
    const existing = (await readManifest(manifestPath)).fixtures
      .find((entry) => entry.provider === cli.provider);
    if (existing !== undefined && options.force !== true) {
      const detail = `${existing.path} exists (${existing.cliVersion}); pass --force to ` +
        "replace it (the session id changes, and tests pinning it must follow)";
      outcomes.push({ provider: cli.provider, status: "KEPT", detail });
      console.log(`KEPT ${cli.provider}: ${detail}`);
      continue;
    }
    const result = await generateOne(cli, options);
    outcomes.push(result.outcome);
    console.log(`${result.outcome.status.padEnd(4)} ${cli.provider}: ${result.outcome.detail}`);
    if (result.entry === undefined || result.copies === undefined) continue;
    const manifest = await readManifest(manifestPath);
    // Remove only the files this harness wrote for the provider before.
    for (const old of manifest.fixtures.filter((entry) => entry.provider === cli.provider)) {
      for (const file of old.files) await removeIfExists(`${fixturesDir}/${file}`);
    }
    for (const [from, to] of result.copies) await copyFileWithParents(from, `${fixturesDir}/${to}`);
    manifest.fixtures = [
      ...manifest.fixtures.filter((entry) => entry.provider !== cli.provider),
      result.entry,
    ];
    await writeManifest(manifestPath, manifest);
    await Deno.writeTextFile(`${fixturesDir}/README.md`, renderReadme(manifest.fixtures));
  }
  return outcomes;
}

/**
 * Renders `fixtures/README.md` from the manifest entries.
 *
 * @param entries The fixtures.
 * @returns Markdown.
 */
export function renderReadme(entries: FixtureEntry[]): string {
  const lines = [
    "# Genuine native session fixtures",
    "",
    "Every session below was written by the **real** agent CLI, installed from npm at the pinned",
    "version, running offline against the scripted mock model API of `scripts/smoke/` (dummy key",
    "`sk-test`, mock on 127.0.0.1). Nothing here is hand-edited. Each tree mirrors the CLI's home",
    "directory layout, so a test can copy `fixtures/<provider>/` into a throwaway HOME.",
    "",
    "Each session has two user turns: the first asks the model to run a shell command (the mock",
    `answers with a real tool call, \`${FIXTURE_COMMAND}\`, the CLI runs it and sends the result,`,
    "the mock answers with text); the second is sent by resuming the session and contains",
    "unicode and a markdown trap (a fenced code block and a line starting with `#`).",
    "",
    `All sessions ran in \`${FIXTURE_WORKSPACE}\` with HOME \`${FIXTURE_HOME_ROOT}/<provider>\`.`,
    "`manifest.json` lists each fixture (provider, sessionId, path, workspace, cliVersion,",
    "prompts) plus `expected`: the conversation as the mock saw it, which a resumed request must",
    "carry in order.",
    "",
    "## Refresh",
    "",
    "```sh",
    "npx -y deno@2.9.6 task smoke:fixtures --force               # all CLIs",
    "npx -y deno@2.9.6 task smoke:fixtures --force --only codex  # one CLI",
    "```",
    "",
    "Without `--force`, existing fixtures are kept: a refresh changes session ids, and tests",
    "pin them (grep for the old id). Artifacts (CLI output, every request the mock received)",
    "land in `smoke-runs/<timestamp>-fixtures/`.",
    "",
    "## What is inside",
    "",
    "- claude-code: one `<uuid>.jsonl` with many record types besides `user`/`assistant`",
    "  (`queue-operation`, `attachment`, `api-request-shape`, `api-request-blob`, `api-request`,",
    "  `last-prompt`, `cost-state`, ...); the tool call is an `assistant` record with a",
    "  `tool_use` block sharing `message.id` with the text record before it, and a `user`",
    "  record with a `tool_result`. `--resume` appended turn 2 to the same file.",
    "- codex: one rollout; the model's shell call is a `custom_tool_call` named `exec` whose",
    "  input is JavaScript calling `tools.exec_command`, answered by a",
    "  `custom_tool_call_output` (an array of `input_text` items). The SQLite side files",
    "  (`state_5.sqlite`, ...) are not kept. `resume` appended turn 2 to the same rollout.",
    "- gemini-cli: one `session-*.jsonl`; the tool call is in the `gemini` message's",
    "  `toolCalls[]` (the message line is written twice, the second time with `toolCalls`),",
    "  followed by a `user` message holding the `functionResponse`. `--resume` re-appended a",
    '  header line and a `{"$set":{"messages":[...]}}` snapshot to the same file before',
    "  turn 2. On resume, 0.61.0 sends the function response twice (from `toolCalls[].result`",
    "  and from the user message).",
    "",
    "## Environment used",
    "",
    "Scrubbed: only `PATH`, `LANG=C.UTF-8`, `TERM=dumb`, `TMPDIR`, `HOME` plus, per CLI",
    "(`$BASE` = `http://127.0.0.1:<random port>`):",
    "",
    ...CLIS.map((cli) =>
      `- ${cli.provider}: ${
        Object.entries(cli.env({ home: "$HOME", baseUrl: "$BASE" }))
          .map(([key, value]) => `\`${key}=${value}\``).join(" ")
      }${
        cli.provider === "gemini-cli"
          ? ' and `$HOME/.gemini/settings.json` = `{"security":{"auth":{"selectedType":"gemini-api-key"}}}`'
          : ""
      }`
    ),
    "",
    "## Fixtures",
    "",
  ];
  for (const entry of [...entries].sort((a, b) => a.provider.localeCompare(b.provider))) {
    lines.push(`### ${entry.provider}`, "");
    lines.push(`- CLI: \`${entry.cliPackage}@${entry.cliVersion}\``);
    lines.push(`- Generated: ${entry.createdAt}`);
    lines.push(`- Session id: \`${entry.sessionId}\``);
    lines.push(`- Tool calls: ${entry.toolCalls}`);
    lines.push(`- Files: ${entry.files.map((file) => `\`${file}\``).join(", ")}`);
    lines.push("- Commands (cwd `" + entry.workspace + "`, `$BASE` = mock URL):", "");
    lines.push("  ````sh");
    for (const command of entry.commands) lines.push(`  ${command.replaceAll("\n", "\n  ")}`);
    lines.push("  ````", "");
  }
  return lines.join("\n");
}
