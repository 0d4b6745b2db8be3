/**
 * Generation of a `messy` fixture: the real CLI plays its {@linkcode MessyPlan} through the
 * mock (every run of the plan, some with standard input or cut off on purpose), the session's
 * files are set aside, and then the CLI resumes the finished session itself with a probe
 * prompt: the history of that request is the fixture's `expected` ground truth.
 *
 * @module
 */

import { cliEnv, ensureInstalled } from "./cli_install.ts";
import type { CliContext, CliDefinition } from "./cli_types.ts";
import { FIXTURE_HOME_ROOT, FIXTURE_WORKSPACE } from "./fixture_paths.ts";
import {
  describeRun,
  type FixtureOutcome,
  type GenerateFixturesOptions,
  pickTranscript,
  sessionExtraFiles,
  writeRunArtifacts,
} from "./fixture_run.ts";
import { copyFileWithParents, removeIfExists, shellQuote } from "./fs_utils.ts";
import type { FixtureEntry } from "./manifest.ts";
import { expectedFromResume, messyScript } from "./messy.ts";
import type { MessyPlan } from "./messy_plan.ts";
import { startMockServer } from "./mock_server.ts";
import { killProcessesWithHome, runBounded, type RunResult } from "./process.ts";
import type { ShellToolCall } from "./wire_replies.ts";

/** The prompt of the native resume whose request gives `expected`. */
export const MESSY_PROBE = "casr probe: reply OK";

/** What {@linkcode generateMessy} returns: the outcome, and the entry and copies on success. */
export interface MessyResult {
  /** PASS, FAIL or SKIP, with why. */
  outcome: FixtureOutcome;
  /** The manifest entry. */
  entry?: FixtureEntry;
  /** `[from, to]`: staged file, path under `fixtures/`. */
  copies?: [string, string][];
}

/** Runs one step, through `sh` when it has standard input. */
function runStep(
  cli: CliDefinition,
  bin: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
  stdinPath?: string,
): Promise<RunResult> {
  const options = { cwd: FIXTURE_WORKSPACE, env, timeoutMs };
  if (stdinPath === undefined) return (cli.run ?? runBounded)(bin, args, options);
  return runBounded(
    "sh",
    ["-c", `exec "$0" "$@" < ${shellQuote(stdinPath)}`, bin, ...args],
    options,
  );
}

/**
 * Makes the messy fixture of one CLI.
 *
 * @param cli The CLI.
 * @param plan How it makes the session.
 * @param options Directories and timeout.
 * @returns The outcome; on success the manifest entry and the files to copy.
 */
export async function generateMessy(
  cli: CliDefinition,
  plan: MessyPlan,
  options: GenerateFixturesOptions,
): Promise<MessyResult> {
  const label = { provider: cli.provider, scenario: "messy" as const };
  const install = await ensureInstalled(cli, options.cacheDir);
  if (!install.ok) return { outcome: { ...label, status: "SKIP", detail: install.error } };
  const fail = (detail: string): MessyResult => ({
    outcome: { ...label, status: "FAIL", detail },
  });
  const artifacts = `${options.runDir}/fixtures/${cli.provider}/messy`;
  await Deno.mkdir(artifacts, { recursive: true });
  const home = `${FIXTURE_HOME_ROOT}/${cli.provider}`;
  await removeIfExists(home);
  await Deno.mkdir(home, { recursive: true });
  await removeIfExists(FIXTURE_WORKSPACE);
  await Deno.mkdir(FIXTURE_WORKSPACE, { recursive: true });

  const mock = await startMockServer({
    logPath: `${artifacts}/requests.jsonl`,
    script: messyScript(plan.turns),
    ...(plan.sideText === undefined ? {} : { sideText: plan.sideText }),
  });
  try {
    const context: CliContext = { home, baseUrl: mock.url };
    await cli.prepareHome(context);
    await plan.setup(context, FIXTURE_WORKSPACE);
    const env = cliEnv(cli, context);
    const bin = install.cli.binPath;
    const commands: string[] = [];
    const placeholder = (argv: string[], stdin?: string): string =>
      [cli.bin, ...argv].map((arg) =>
        arg.includes(mock.url)
          ? `"${arg.replace(/["\\`$]/g, "\\$&").replaceAll(mock.url, "$BASE")}"`
          : shellQuote(arg)
      ).join(" ") + (stdin === undefined ? "" : ` < ${stdin}`);

    let sessionId: string | undefined;
    for (const [index, step] of plan.steps.entries()) {
      const args = await step.args(sessionId, context);
      const name = `${index + 1}-${sessionId === undefined ? "new" : "resume"}`;
      let stdinPath: string | undefined;
      if (step.stdin !== undefined) {
        stdinPath = `${artifacts}/${name}.stdin.jsonl`;
        await Deno.writeTextFile(stdinPath, step.stdin);
      }
      commands.push(
        `# ${step.label}\n` +
          placeholder(args, stdinPath === undefined ? undefined : `${name}.stdin.jsonl`),
      );
      const run = await runStep(
        cli,
        bin,
        args,
        env,
        step.interruptAfterMs ?? options.timeoutMs,
        stdinPath,
      );
      await writeRunArtifacts(artifacts, name, [bin, ...args], run);
      await killProcessesWithHome(home);
      if (step.interruptAfterMs === undefined && (run.timedOut || run.code !== 0)) {
        return fail(`step ${index + 1} (${step.label}): ${describeRun(run)}`);
      }
      if (sessionId === undefined) {
        const created = await pickTranscript(await cli.sessionFiles(home), [plan.markers[0]]);
        if (created === undefined) {
          return fail(`no session file after the first run (${describeRun(run)})`);
        }
        sessionId = created.sessionId;
      }
    }
    // A subagent may have its own session in the same store (OpenCode): pick this one.
    const own = (await cli.sessionFiles(home)).filter((file) => file.sessionId === sessionId);
    const transcript = await pickTranscript(own, [...plan.markers]);
    if (transcript === undefined || transcript.sessionId !== sessionId) {
      return fail("no session file holds every step after the last run");
    }

    // Set the session's files aside before the probe resume appends to them.
    const sources = [
      transcript.path,
      ...await sessionExtraFiles(cli, home, transcript.path),
      ...(plan.extraFiles === undefined ? [] : await plan.extraFiles(home, transcript.path)),
    ];
    const unique = [...new Set(sources)];
    const staged = `${artifacts}/staged`;
    const copies: [string, string][] = [];
    for (const path of unique) {
      const relative = path.slice(home.length + 1);
      await copyFileWithParents(path, `${staged}/${relative}`);
      copies.push([`${staged}/${relative}`, `${cli.provider}/${relative}`]);
    }

    // Every prompt typed (a slash command aside: only its expansion may be sent) reached the mock.
    const sent = mock.turns().flatMap((turn) =>
      cli.historyFromRequest(turn.body).filter((t) => t.role === "user").map((t) => t.text)
    );
    const lost = plan.steps.flatMap((step) => step.prompts)
      .filter((prompt) => !prompt.startsWith("/") && !sent.some((text) => text.includes(prompt)));
    if (lost.length > 0) return fail(`no request carried the prompt(s) ${JSON.stringify(lost)}`);
    const calls: ShellToolCall[] = mock.turns().flatMap((turn) => turn.reply?.toolCalls ?? []);
    const probeArgs = await cli.resumeArgs(sessionId as string, MESSY_PROBE, context);
    commands.push("# native resume whose request gives `expected`\n" + placeholder(probeArgs));
    const probe = await runStep(cli, bin, probeArgs, env, options.timeoutMs);
    await writeRunArtifacts(artifacts, "probe", [bin, ...probeArgs], probe);
    const carrying = mock.turns().findLast((turn) =>
      cli.historyFromRequest(turn.body).some((t) =>
        t.role === "user" && t.text.includes(MESSY_PROBE)
      )
    );
    if (carrying === undefined) {
      return fail(`the native resume sent no request with the probe (${describeRun(probe)})`);
    }
    const history = cli.historyFromRequest(carrying.body);
    await Deno.writeTextFile(
      `${artifacts}/probe-history.json`,
      JSON.stringify(history, null, 2) + "\n",
    );
    const expected = expectedFromResume(history, MESSY_PROBE, calls, plan.tokens);
    const toolCalls = expected.reduce((sum, turn) => sum + (turn.toolCalls?.length ?? 0), 0);
    const images = expected.reduce((sum, turn) => sum + (turn.images ?? 0), 0);
    const entry: FixtureEntry = {
      provider: cli.provider,
      scenario: "messy",
      sessionId: sessionId as string,
      path: `${cli.provider}/${transcript.path.slice(home.length + 1)}`,
      home: cli.provider,
      files: copies.map(([, to]) => to),
      workspace: FIXTURE_WORKSPACE,
      cliPackage: cli.npmPackage,
      cliVersion: cli.version,
      createdAt: new Date().toISOString(),
      commands,
      prompts: plan.steps.flatMap((step) => step.prompts),
      toolCalls,
      expected,
    };
    return {
      outcome: {
        ...label,
        status: "PASS",
        detail: `${entry.path} (${copies.length} file(s), ${expected.length} expected turn(s), ` +
          `${toolCalls} tool call(s), ${images} image(s))`,
      },
      entry,
      copies,
    };
  } finally {
    await mock.close();
    await killProcessesWithHome(home);
  }
}
