/**
 * `--fixtures` mode: each real CLI plays each scenario of `scenarios.ts` through the mock: a
 * fresh session (shell tool calls, their results, a final answer), then more user turns by
 * resuming that session; the native files it wrote are copied into `fixtures/<provider>/`,
 * mirroring the home layout, and recorded in `fixtures/manifest.json` with their scenario.
 *
 * @module
 */

import { checkResumedHistory, type ExpectedTurn } from "./checks.ts";
import { cliEnv, ensureInstalled } from "./cli_install.ts";
import type { CliContext, CliDefinition, SessionFile } from "./cli_types.ts";
import { CLIS } from "./clis.ts";
import { copyFileWithParents, removeIfExists, shellQuote } from "./fs_utils.ts";
import { FIXTURE_HOME_ROOT, FIXTURE_WORKSPACE } from "./fixture_paths.ts";
import { historyFromWire, type Turn } from "./history.ts";
import { type FixtureEntry, readManifest, writeManifest } from "./manifest.ts";
import { violationReason } from "./api_rules.ts";
import { type RecordedRequest, startMockServer } from "./mock_server.ts";
import { killProcessesWithHome, runBounded, type RunResult } from "./process.ts";
import { BASIC, type Scenario, type ScenarioCommand, SCENARIOS } from "./scenarios.ts";
import type { ShellToolCall } from "./wire_replies.ts";
import {
  describeRun,
  type FixtureOutcome,
  type GenerateFixturesOptions,
  pickTranscript,
  sessionExtraFiles,
  writeRunArtifacts,
} from "./fixture_run.ts";
import { generateMessy } from "./messy_fixtures.ts";
import { MESSY_NOT_MADE, MESSY_PLANS, messyReadme } from "./messy_plans.ts";

export { FIXTURE_HOME_ROOT, FIXTURE_WORKSPACE } from "./fixture_paths.ts";
export type { FixtureOutcome, GenerateFixturesOptions } from "./fixture_run.ts";

/**
 * The text a tool result stands for in `expected`: the result token of the command it answers
 * (or of any scenario command it contains), else the start of the output.
 */
function resultText(
  output: string,
  commands: readonly ScenarioCommand[],
  command?: string,
): string {
  const own = commands.find((candidate) => candidate.command === command);
  if (own !== undefined && output.includes(own.resultToken)) return own.resultToken;
  const any = commands.find((candidate) => output.includes(candidate.resultToken));
  return any?.resultToken ?? output.trim().slice(0, 40);
}

/**
 * Rebuilds the source conversation from the mock's turn log: for each turn request, the user
 * prompt or the tool results that triggered it (one entry per result, in the order the CLI
 * sent them), then the scripted assistant reply with its tool calls.
 *
 * @param turns The turn requests, in order.
 * @param prompts The prompts sent, used to cut the user text out of CLI-decorated turns.
 * @param commands The scenario's commands, whose result tokens stand for tool outputs.
 * @param history How to read a request's conversation (the CLI's own reading; default the wire's).
 * @returns The expected turns.
 */
export function expectedFromMockTurns(
  turns: RecordedRequest[],
  prompts: readonly string[],
  commands: readonly ScenarioCommand[] = BASIC.commands,
  history: (request: RecordedRequest) => Turn[] = (request) =>
    historyFromWire(request.wire!, request.body),
): ExpectedTurn[] {
  const expected: ExpectedTurn[] = [];
  let previousCalls: ShellToolCall[] = [];
  for (const request of turns) {
    if (request.wire === undefined || request.reply === undefined) continue;
    const last = history(request).at(-1);
    if (last?.role === "user") {
      const prompt = prompts.find((candidate) => last.text.includes(candidate));
      expected.push({ role: "user", text: prompt ?? last.text });
    } else if (last?.role === "tool") {
      const seen = new Set<string>();
      for (const result of last.toolResults) {
        if (result.id !== undefined && seen.has(result.id)) continue;
        if (result.id !== undefined) seen.add(result.id);
        const call = previousCalls.find((candidate) => candidate.id === result.id);
        const text = resultText(result.output, commands, call?.command);
        expected.push(
          result.isError === true ? { role: "tool", text, error: true } : {
            role: "tool",
            text,
          },
        );
      }
    }
    const calls = request.reply.toolCalls ?? [];
    expected.push(
      calls.length === 0 ? { role: "assistant", text: request.reply.text } : {
        role: "assistant",
        text: request.reply.text,
        toolCalls: calls.map((call) => ({ name: call.name, command: call.command })),
      },
    );
    previousCalls = calls;
  }
  return expected;
}

async function generateOne(
  cli: CliDefinition,
  scenario: Scenario,
  options: GenerateFixturesOptions,
): Promise<{ outcome: FixtureOutcome; entry?: FixtureEntry; copies?: [string, string][] }> {
  const label = { provider: cli.provider, scenario: scenario.id };
  const install = await ensureInstalled(cli, options.cacheDir);
  if (!install.ok) return { outcome: { ...label, status: "SKIP", detail: install.error } };
  const fail = (detail: string) => ({ outcome: { ...label, status: "FAIL" as const, detail } });
  const artifacts = `${options.runDir}/fixtures/${cli.provider}/${scenario.id}`;
  await Deno.mkdir(artifacts, { recursive: true });
  const home = `${FIXTURE_HOME_ROOT}/${cli.provider}`;
  await removeIfExists(home);
  await Deno.mkdir(home, { recursive: true });
  await removeIfExists(FIXTURE_WORKSPACE);
  await Deno.mkdir(FIXTURE_WORKSPACE, { recursive: true });

  const prompts = scenario.turns.map((turn) => turn.prompt);
  const mock = await startMockServer({
    logPath: `${artifacts}/requests.jsonl`,
    script: scenario.script(cli.parallelToolCalls),
  });
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

    let created: SessionFile | undefined;
    let lastRun: RunResult | undefined;
    for (const [index, prompt] of prompts.entries()) {
      const args = created === undefined
        ? cli.newSessionArgs(prompt, context)
        : await cli.resumeArgs(created.sessionId, prompt, context);
      commands.push(placeholder(args));
      lastRun = await (cli.run ?? runBounded)(bin, args, {
        cwd: FIXTURE_WORKSPACE,
        env,
        timeoutMs: options.timeoutMs,
      });
      const name = `${index + 1}-${created === undefined ? "new" : "resume"}`;
      await writeRunArtifacts(artifacts, name, [bin, ...args], lastRun);
      if (created === undefined) {
        created = await pickTranscript(await cli.sessionFiles(home), [scenario.markers[0]]);
        if (created === undefined) {
          return fail(`no session file after the first run (${describeRun(lastRun)})`);
        }
      }
    }
    // The real CLI's own requests must pass the API rules: a violation here is a wrong rule
    // (or a CLI a real API would refuse), and the fixture is not written.
    const violations = mock.requests.flatMap((request) => request.violations ?? []);
    if (violations.length > 0) return fail(violationReason(violations));
    const transcript = await pickTranscript(await cli.sessionFiles(home), [...scenario.markers]);
    if (transcript === undefined || lastRun === undefined) {
      return fail(
        `no session file holds every turn after the last resume (${
          lastRun === undefined ? "no run" : describeRun(lastRun)
        })`,
      );
    }

    const turns = mock.turns();
    const toolCalls = turns.reduce((sum, turn) => sum + (turn.reply?.toolCalls?.length ?? 0), 0);
    const planned = scenario.turns.reduce((sum, turn) => sum + turn.toolReplies.flat().length, 0);
    if (toolCalls !== planned) {
      return fail(`the mock made ${toolCalls} of ${planned} tool call(s) (no shell tool offered?)`);
    }
    const expected = expectedFromMockTurns(
      turns,
      prompts,
      scenario.commands,
      (request) => cli.historyFromRequest(request.body),
    );
    for (const { command, resultToken } of scenario.commands) {
      if (!expected.some((turn) => turn.role === "tool" && turn.text === resultToken)) {
        return fail(
          `no tool result carried "${resultToken}": the CLI did not run \`${command}\``,
        );
      }
    }
    const results = expected.filter((turn) => turn.role === "tool").length;
    if (results !== toolCalls) {
      return fail(`the CLI sent ${results} tool result(s) for ${toolCalls} call(s)`);
    }
    // Parallel calls: the very next request answers all of them at once. Ids are compared by
    // their letters and digits: OpenClaw sends `call_x_1a` back as `callx1a`.
    const idKey = (id: string | undefined) => id?.replace(/[^A-Za-z0-9]/g, "");
    for (const [i, turn] of turns.entries()) {
      const ids = (turn.reply?.toolCalls ?? []).map((call) => idKey(call.id));
      if (ids.length < 2) continue;
      const next = turns[i + 1];
      const answered = next === undefined
        ? []
        : (cli.historyFromRequest(next.body).at(-1)?.toolResults ?? []).map((r) => idKey(r.id));
      if (!ids.every((id) => answered.includes(id))) {
        return fail(
          `the CLI did not send the results of ${ids.length} parallel calls in one request ` +
            "(set parallelToolCalls: false in its cli_<agent>.ts to make them one after the other)",
        );
      }
    }
    // Self-check: each resume request carried every earlier turn.
    for (const prompt of prompts.slice(1)) {
      const resumeRequest = turns.find((turn) =>
        cli.historyFromRequest(turn.body).at(-1)?.text.includes(prompt) === true
      );
      if (resumeRequest === undefined) return fail("no request carried a resumed prompt");
      const before = expected.slice(
        0,
        expected.findIndex((turn) => turn.role === "user" && turn.text === prompt),
      );
      const check = checkResumedHistory(cli.historyFromRequest(resumeRequest.body), before, prompt);
      if (!check.ok) return fail(`native resume lost history: ${check.problems.join("; ")}`);
    }

    const sources = [transcript.path, ...await sessionExtraFiles(cli, home, transcript.path)];
    const copies: [string, string][] = sources.map((path) => [
      path,
      `${cli.provider}/${path.slice(home.length + 1)}`,
    ]);
    const entry: FixtureEntry = {
      provider: cli.provider,
      scenario: scenario.id,
      sessionId: transcript.sessionId,
      path: `${cli.provider}/${transcript.path.slice(home.length + 1)}`,
      home: cli.provider,
      files: copies.map(([, to]) => to),
      workspace: FIXTURE_WORKSPACE,
      cliPackage: cli.npmPackage,
      cliVersion: cli.version,
      createdAt: new Date().toISOString(),
      commands,
      prompts,
      toolCalls,
      expected,
    };
    const size = (await Promise.all(sources.map((path) => Deno.stat(path))))
      .reduce((sum, stat) => sum + stat.size, 0);
    return {
      outcome: {
        ...label,
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

/** Whether two files have the same bytes. */
async function sameBytes(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([Deno.readFile(a), Deno.readFile(b)]);
  return left.length === right.length && left.every((byte, i) => byte === right[i]);
}

/**
 * Generates fixtures for each CLI and scenario and updates `fixtures/manifest.json`, then
 * re-renders `fixtures/README.md` from the manifest. A run that fails leaves the previous
 * fixture untouched. Sessions of one provider share its home tree (`fixtures/<provider>/`); a
 * file two sessions share (Gemini's `projects.json`) must come out byte-identical, or the new
 * session is not written.
 *
 * @param options Repository, cache and run directories, CLIs, scenarios, timeout.
 * @returns One outcome per CLI and scenario.
 */
export async function generateFixtures(
  options: GenerateFixturesOptions,
): Promise<FixtureOutcome[]> {
  const fixturesDir = `${options.repoRoot}/fixtures`;
  const manifestPath = `${fixturesDir}/manifest.json`;
  const outcomes: FixtureOutcome[] = [];
  const report = (outcome: FixtureOutcome): void => {
    outcomes.push(outcome);
    console.log(
      `${outcome.status.padEnd(4)} ${outcome.provider} ${outcome.scenario}: ${outcome.detail}`,
    );
  };
  for (const cli of options.clis) {
    for (const scenario of options.scenarios ?? SCENARIOS) {
      const same = (entry: FixtureEntry) =>
        entry.provider === cli.provider && entry.scenario === scenario.id;
      const existing = (await readManifest(manifestPath)).fixtures.find(same);
      if (existing !== undefined && options.force !== true) {
        const detail = `${existing.path} exists (${existing.cliVersion}); pass --force to ` +
          "replace it (the session id changes, and tests pinning it must follow)";
        report({ provider: cli.provider, scenario: scenario.id, status: "KEPT", detail });
        continue;
      }
      let result: Awaited<ReturnType<typeof generateOne>>;
      if (scenario.id === "messy") {
        const plan = MESSY_PLANS[cli.provider];
        if (plan === undefined) {
          const detail = `no messy plan: ${MESSY_NOT_MADE[cli.provider] ?? "not tried yet"}`;
          report({ provider: cli.provider, scenario: scenario.id, status: "SKIP", detail });
          continue;
        }
        result = await generateMessy(cli, plan, options);
      } else {
        result = await generateOne(cli, scenario, options);
      }
      if (result.entry === undefined || result.copies === undefined) {
        report(result.outcome);
        continue;
      }
      const manifest = await readManifest(manifestPath);
      const others = manifest.fixtures.filter((entry) => !same(entry));
      const sharedFiles = new Set(others.flatMap((entry) => entry.files));
      const clash = [];
      // The session's own store, and any other shared `.db` (Cline's `sessions.db`), is merged.
      const merged = (to: string): boolean =>
        cli.fixtureCopy !== undefined && (to === result.entry?.path || to.endsWith(".db"));
      for (const [from, to] of result.copies) {
        if (merged(to)) continue;
        if (sharedFiles.has(to) && !await sameBytes(from, `${fixturesDir}/${to}`)) clash.push(to);
      }
      if (clash.length > 0) {
        report({
          ...result.outcome,
          status: "FAIL",
          detail: `would change ${clash.join(", ")}, which other fixtures use`,
        });
        continue;
      }
      report(result.outcome);
      // Remove only the files this harness wrote for this provider and scenario before.
      for (const old of manifest.fixtures.filter(same)) {
        for (const file of old.files) {
          if (!sharedFiles.has(file)) await removeIfExists(`${fixturesDir}/${file}`);
        }
      }
      const replaces = manifest.fixtures.filter(same).map((entry) => entry.sessionId);
      for (const [from, to] of result.copies) {
        // A shared store (a database) is merged; other files (saved outputs) are copied.
        if (cli.fixtureCopy !== undefined && merged(to)) {
          await cli.fixtureCopy(from, `${fixturesDir}/${to}`, replaces);
        } else await copyFileWithParents(from, `${fixturesDir}/${to}`);
      }
      manifest.fixtures = [...others, result.entry];
      await writeManifest(manifestPath, manifest);
    }
  }
  // Always re-render the README, so that a run that keeps every fixture refreshes it too.
  const manifest = await readManifest(manifestPath);
  if (manifest.fixtures.length > 0) {
    await Deno.writeTextFile(`${fixturesDir}/README.md`, renderReadme(manifest.fixtures));
  }
  return outcomes;
}

/** How a fixture's tool calls were made, e.g. `3 (2 in one model reply)`. */
function describeToolCalls(entry: FixtureEntry): string {
  const perReply = entry.expected.map((turn) => turn.toolCalls?.length ?? 0);
  const most = Math.max(0, ...perReply);
  return most > 1 ? `${entry.toolCalls} (${most} in one model reply)` : `${entry.toolCalls}`;
}

/**
 * Renders `fixtures/README.md` from the manifest entries.
 *
 * @param entries The fixtures.
 * @returns Markdown.
 */
export function renderReadme(entries: FixtureEntry[]): string {
  const sequential = CLIS.filter((cli) => !cli.parallelToolCalls).map((cli) => cli.provider);
  const lines = [
    "# Genuine native session fixtures",
    "",
    "Every session below was written by the **real** agent CLI, installed from npm at the pinned",
    "version, running offline against the scripted mock model API of `scripts/smoke/` (dummy key",
    "`sk-test`, mock on 127.0.0.1). Nothing here is hand-edited. Each tree mirrors the CLI's home",
    "directory layout, so a test can copy `fixtures/<provider>/` into a throwaway HOME; one",
    "provider's sessions share its tree (a copied home holds all of them).",
    "",
    `All sessions ran in \`${FIXTURE_WORKSPACE}\` with HOME \`${FIXTURE_HOME_ROOT}/<provider>\`.`,
    "`manifest.json` lists each fixture (provider, scenario, sessionId, path, workspace,",
    "cliVersion, prompts, toolCalls) plus `expected`: the conversation as the mock saw it, which",
    "a resumed request must carry in order. A `tool` entry stands for one tool result (the",
    "results of parallel calls are consecutive entries, in the order the CLI sent them); its",
    "`text` is what the result output contains, and `error: true` marks a result the CLI flagged",
    "as an error on the wire (Anthropic `is_error`; Codex and Gemini carry a failure in the text",
    "only). An `assistant` entry's `reasoning` is the readable reasoning the CLI sent back with",
    "that reply when it resumed the session itself (`reasoning_content`, `thinking` text,",
    "reasoning summaries); a target that carries reasoning must send it too. The messy fixtures'",
    "`reasoning` was added from a later native resume of the same files",
    "(`real_smoke.ts --native --scenario messy`), read the same way.",
    "",
    "## Scenarios",
    "",
    "Every CLI plays every scenario (`scripts/smoke/scenarios.ts`); the manifest's `scenario`",
    "field names it.",
    "",
  ];
  for (const scenario of SCENARIOS) {
    lines.push(`### \`${scenario.id}\`: ${scenario.summary}`, "", ...scenario.readme, "");
  }
  lines.push(
    sequential.length === 0
      ? "All CLIs ran both calls of the parallel `multi-tool` reply and sent both results\n" +
        "back in one request, so no fallback to sequential calls was needed."
      : `${sequential.join(", ")} could not run parallel calls through the mock: there the\n` +
        "`multi-tool` scenario makes the two calls one after the other (one call per reply).",
    "",
    "## Refresh",
    "",
    "```sh",
    "npx -y deno@2.9.6 task smoke:fixtures                       # only missing fixtures",
    "npx -y deno@2.9.6 task smoke:fixtures --force               # all CLIs, all scenarios",
    "npx -y deno@2.9.6 task smoke:fixtures --force --only codex --scenario multi-tool",
    "```",
    "",
    "Without `--force`, existing fixtures are kept: a refresh changes session ids, and tests",
    "pin them (grep for the old id). Artifacts (CLI output, every request the mock received)",
    "land in `smoke-runs/<timestamp>-fixtures/<provider>/<scenario>/`.",
    "",
    "## What is inside",
    "",
    "- claude-code: one `<uuid>.jsonl` per session with many record types besides",
    "  `user`/`assistant` (`queue-operation`, `attachment`, `api-request-shape`,",
    "  `api-request-blob`, `api-request`, `last-prompt`, `cost-state`, ...). One model reply is",
    "  one `assistant` record per content block, all sharing `message.id` (text, then each",
    "  `tool_use`), chained by `parentUuid`; each result is its own `user` record with one",
    "  `tool_result` whose `parentUuid` is the record of the `tool_use` it answers: parallel",
    "  results branch off different records. In `multi-tool` the failing call's result (with",
    "  `is_error: true`) was written first, and the next turn continues from the other result,",
    "  so the second `tool_use` record and its result are on a side branch, which the CLI",
    "  splices back on resume. `--resume` appends each new turn to the same file.",
    "- codex: one rollout per session; each shell call is a `custom_tool_call` named `exec`",
    "  whose input is JavaScript calling `tools.exec_command` (in `multi-tool` it also throws on",
    "  a non-zero exit code, so the failing call's output reads `Script failed ... Script",
    "  error: Error: exit code 2`), answered by a `custom_tool_call_output` (an array of",
    "  `input_text` items) without an error flag; an",
    "  `item_completed` `CommandExecution` event keeps `exit_code` and `status`. Parallel calls",
    "  are consecutive `custom_tool_call` items, then their outputs (0.169.0 sends",
    "  `parallel_tool_calls: false`, yet runs both calls of one reply). The SQLite side files",
    "  (`state_5.sqlite`, ...) are not kept. `resume` appends each new turn to the same rollout.",
    "- gemini-cli: one `session-*.jsonl` per session; the tool calls are in the `gemini`",
    "  message's `toolCalls[]` (the message line is written twice, the second time with",
    "  `toolCalls`; ids get a `<tool name>__` prefix, and a failing command is still",
    '  `status: "success"` with `Exit Code: 2` in its output), followed by a `user` message',
    "  holding one `functionResponse` per call. Each `--resume` re-appends a header line and a",
    '  `{"$set":{"messages":[...]}}` snapshot to the same file before the new turn. On resume,',
    "  0.61.0 sends each function response twice (from `toolCalls[].result` and from the user",
    "  message). `projects.json` and `.project_root` are shared by both sessions.",
    "- opencode: no session files; both sessions are rows of one SQLite database,",
    "  `.local/share/opencode/opencode.db` (tables `project`, `session`, `message`, `part`, plus",
    "  OpenCode's `event` log), merged from the two runs' databases and vacuumed (journal mode",
    "  DELETE; OpenCode switches it back to WAL when it opens it). Each model step is one",
    "  assistant message; each tool call is one `tool` part holding the call and its result",
    "  (`state.input`, `state.output`, `state.status`; the failing `ls` is `completed` with",
    "  exit code 2 in `metadata`). Prompts are passed after `--` one word per argument, because",
    '  `opencode run "a b"` stores and sends the prompt wrapped in double quotes. The title is',
    "  the mock's answer to OpenCode's title request.",
    "- cline: `.cline/data/sessions/<id>/<id>.messages.json` (pretty-printed; user prompts",
    '  stored as `<user_input mode="act">…</user_input>`, each tool result its own user message',
    "  whose `tool_result.content` is an array of `{query, result, success, error}` records),",
    "  the `<id>.json` manifest, and the rows of `.cline/data/db/sessions.db`, merged from the",
    "  runs and vacuumed. The rows keep the generating home's absolute `messages_path`, from",
    "  which Cline loads the session; `prepareHome` re-points them at the throwaway home. The",
    "  first turn runs non-interactively; `cline --id` resumes only in its TUI, which the",
    "  harness drives in a private tmux server (`scripts/smoke/cli_cline.ts`). The shell tool",
    "  is `run_commands` (`{commands: [...]}`).",
    "- openclaw: no session files; both sessions are rows of one SQLite database,",
    "  `.openclaw/agents/main/agent/openclaw-agent.sqlite` (67 tables; `transcript_events` holds",
    "  one Pi entry per row in `event_json`: the `version: 4` header at `seq` 0, `model_change`,",
    "  `thinking_level_change`, `custom` extension state, `message` entries with UUID ids),",
    "  merged from the two runs' databases (full-text and vector indexes keep the first run's",
    "  rows) and vacuumed. Sessions are made and resumed with `agent --local --session-id`; the",
    "  header's `cwd` is the agent workspace, set to the run's cwd with `OPENCLAW_WORKSPACE_DIR`.",
    "  The shell tool is `exec` (`{command}`); the failing `ls` result has `isError: false` and",
    "  `(Command exited with code 2)` in its text. On the wire OpenClaw strips everything but",
    "  letters and digits from call ids and sends its runtime context as an extra user message.",
    "",
    ...messyReadme(),
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
  );
  const order = (entry: FixtureEntry) => SCENARIOS.findIndex((s) => s.id === entry.scenario);
  const sorted = [...entries].filter((entry) => entry.generatedBy === undefined).sort((a, b) =>
    a.provider.localeCompare(b.provider) || order(a) - order(b)
  );
  for (const entry of sorted) {
    lines.push(`### ${entry.provider}: \`${entry.scenario}\``, "");
    lines.push(`- CLI: \`${entry.cliPackage}@${entry.cliVersion}\``);
    lines.push(`- Generated: ${entry.createdAt}`);
    lines.push(`- Session id: \`${entry.sessionId}\``);
    lines.push(`- Tool calls: ${describeToolCalls(entry)}`);
    lines.push(`- Files: ${entry.files.map((file) => `\`${file}\``).join(", ")}`);
    lines.push("- Commands (cwd `" + entry.workspace + "`, `$BASE` = mock URL):", "");
    lines.push("  ````sh");
    for (const command of entry.commands) lines.push(`  ${command.replaceAll("\n", "\n  ")}`);
    lines.push("  ````", "");
  }
  const handMade = entries.filter((entry) => entry.generatedBy !== undefined);
  if (handMade.length > 0) {
    lines.push("## Hand-made fixtures", "");
    lines.push("No real CLI can write these; they follow the provider references exactly.", "");
    for (const entry of handMade) {
      lines.push(
        `- ${entry.provider} \`${entry.scenario}\` (\`${entry.path}\`): ${entry.generatedBy}`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}
