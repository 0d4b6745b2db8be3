/**
 * The resume matrix: for each source fixture and each target CLI, run casr to convert the
 * session, resume the result in the real target CLI against the mock, and check the request
 * that carries the new prompt. `native` mode skips casr and resumes each fixture in its own CLI.
 *
 * @module
 */

import { getProvider } from "../../mod.ts";
import { type Violation, violationReason } from "./api_rules.ts";
import { checkResumedHistory, lintWireConstraints, toolsNotOffered } from "./checks.ts";
import { cliEnv, ensureInstalled, type InstallResult } from "./cli_install.ts";
import type { CliContext, CliDefinition } from "./cli_types.ts";
import {
  copyFileWithParents,
  pathExists,
  removeIfExists,
  renderCommand,
  tailLines,
} from "./fs_utils.ts";
import type { FixtureEntry } from "./manifest.ts";
import { startMockServer } from "./mock_server.ts";
import { offeredToolNames } from "./wire_replies.ts";
import { killProcessesWithHome, runBounded, type RunResult } from "./process.ts";
import {
  formatShare,
  isBelow,
  type MappedShare,
  mappedShareOf,
  totalShare,
  type VocabularyShare,
  vocabularyShare,
} from "./vocabulary_share.ts";

/** The prompt sent on every resume in the matrix. */
export const MATRIX_PROMPT = "casr smoke: reply OK";

/** Options for {@linkcode runMatrix}. */
export interface MatrixOptions {
  /** Repository root (holds `cli.ts`, `deno.json`, `fixtures/`). */
  repoRoot: string;
  /** Install cache for the CLIs. */
  cacheDir: string;
  /** Artifact directory of this run. */
  runDir: string;
  /** Source fixtures. */
  sources: FixtureEntry[];
  /** Target CLIs. */
  targets: readonly CliDefinition[];
  /** Skip casr; resume each fixture in its own CLI (targets must match sources). */
  native: boolean;
  /** Keep the throwaway homes. */
  keep: boolean;
  /** Per-command timeout. */
  timeoutMs: number;
  /**
   * Cells run at the same time (each has its own home and mock server).
   *
   * @default {1}
   */
  jobs?: number;
  /**
   * Which source × target cells to run.
   *
   * @default {undefined} every cell
   */
  include?: (source: FixtureEntry, target: CliDefinition) => boolean;
}

/** Result of one matrix cell. */
export interface CellResult {
  /** Source provider. */
  source: string;
  /** Scenario of the source fixture. */
  scenario: string;
  /** Target provider. */
  target: string;
  /** Verdict. */
  status: "PASS" | "FAIL" | "SKIP";
  /** Failure or skip reason; notes on a pass. */
  reason: string;
  /** Where this cell's artifacts are. */
  artifacts: string;
  /** Throwaway home, when kept. */
  home?: string;
  /** Wall-clock time of the cell. */
  durationMs: number;
  /** API rules the target's requests broke (any one fails the cell). */
  violations?: Violation[];
  /** History tool calls named like a tool the resumed CLI declared in its own request. */
  vocabulary?: VocabularyShare;
  /** The same, counting only calls whose operation both tool families have. */
  mappedVocabulary?: MappedShare;
}

/** The parts of casr's `--json` resume output the harness uses. */
interface CasrResumeOutput {
  ok: boolean;
  error?: { code?: string; message?: string };
  target?: { provider?: string; sessionId?: string; path?: string; workspace?: string };
  resume?: { cwd?: string; argv?: string[]; shell?: string };
  warnings?: unknown[];
}

function realDenoDir(): string {
  const explicit = Deno.env.get("DENO_DIR");
  if (explicit !== undefined && explicit !== "") return explicit;
  const cache = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache`;
  return `${cache}/deno`;
}

async function saveRun(
  dir: string,
  name: string,
  argv: string[],
  cwd: string,
  result: RunResult,
): Promise<void> {
  await Deno.writeTextFile(
    `${dir}/${name}.command.txt`,
    `cd ${cwd} && ${renderCommand(argv)}\n`,
  );
  await Deno.writeTextFile(`${dir}/${name}.stdout.txt`, result.stdout);
  await Deno.writeTextFile(`${dir}/${name}.stderr.txt`, result.stderr);
  await Deno.writeTextFile(
    `${dir}/${name}.status.json`,
    JSON.stringify({ code: result.code, timedOut: result.timedOut, ms: result.durationMs }) + "\n",
  );
}

function runFailure(what: string, result: RunResult): string {
  if (result.timedOut) return `${what} timed out after ${result.durationMs} ms`;
  return `${what} exited ${result.code ?? result.signal}: ${
    tailLines(result.stderr || result.stdout, 3).replaceAll("\n", " | ")
  }`;
}

/** Known stderr lines that mean a CLI silently dropped history. */
const HISTORY_WARNINGS = [
  /Resume transcript\b.*parentUuid/,
  /Failed to reload resumed session data/,
];

async function runCasr(
  options: MatrixOptions,
  source: FixtureEntry,
  target: CliDefinition,
  home: string,
  dir: string,
): Promise<{ ok: true; output: CasrResumeOutput } | { ok: false; reason: string }> {
  const cliTs = `${options.repoRoot}/cli.ts`;
  if (!await pathExists(cliTs)) return { ok: false, reason: "cli.ts does not exist yet" };
  const argv = [
    Deno.execPath(),
    "run",
    "-A",
    "--config",
    `${options.repoRoot}/deno.json`,
    cliTs,
    target.alias,
    "resume",
    source.sessionId,
    "--json",
  ];
  const result = await runBounded(argv[0] as string, argv.slice(1), {
    cwd: source.workspace,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      LANG: "C.UTF-8",
      TMPDIR: Deno.env.get("TMPDIR") ?? "/tmp",
      HOME: home,
      CLAUDE_CONFIG_DIR: `${home}/.claude`,
      CODEX_HOME: `${home}/.codex`,
      GEMINI_CLI_HOME: home,
      TZ: "UTC",
      NO_COLOR: "1",
      DENO_DIR: realDenoDir(),
      DENO_NO_UPDATE_CHECK: "1",
    },
    timeoutMs: options.timeoutMs,
  });
  await saveRun(dir, "casr", argv, source.workspace, result);
  let output: CasrResumeOutput;
  try {
    output = JSON.parse(result.stdout) as CasrResumeOutput;
  } catch {
    return { ok: false, reason: runFailure("casr (no JSON on stdout)", result) };
  }
  if (!output.ok) {
    return {
      ok: false,
      reason: `casr error ${output.error?.code ?? "?"}: ${output.error?.message ?? "(no message)"}`,
    };
  }
  if (result.code !== 0) return { ok: false, reason: runFailure("casr said ok but", result) };
  return { ok: true, output };
}

async function runCell(
  options: MatrixOptions,
  source: FixtureEntry,
  target: CliDefinition,
  install: InstallResult,
): Promise<CellResult> {
  const started = performance.now();
  const dir = `${options.runDir}/${source.provider}.${source.scenario}__${target.provider}`;
  await Deno.mkdir(dir, { recursive: true });
  const base = {
    source: source.provider,
    scenario: source.scenario,
    target: target.provider,
    artifacts: dir,
  };
  let vocabulary: VocabularyShare | undefined;
  let mappedVocabulary: MappedShare | undefined;
  const done = (status: CellResult["status"], reason: string, home?: string): CellResult => {
    const cell: CellResult = {
      ...base,
      status,
      reason,
      durationMs: Math.round(performance.now() - started),
    };
    if (home !== undefined) cell.home = home;
    if (vocabulary !== undefined) cell.vocabulary = vocabulary;
    if (mappedVocabulary !== undefined) cell.mappedVocabulary = mappedVocabulary;
    return cell;
  };
  if (!install.ok) return done("SKIP", install.error);

  const home = await Deno.makeTempDir({
    prefix: `casr-smoke-${source.provider}-${target.provider}-`,
  });
  try {
    for (const file of source.files) {
      const relative = file.slice(source.home.length + 1);
      await copyFileWithParents(`${options.repoRoot}/fixtures/${file}`, `${home}/${relative}`);
    }
    await Deno.mkdir(source.workspace, { recursive: true });

    let sessionId = source.sessionId;
    let cwd = source.workspace;
    const notes: string[] = [];
    if (!options.native) {
      if (target.seedHome !== undefined) {
        const seedContext = { home, baseUrl: "http://127.0.0.1:9" };
        await target.seedHome(home, install.cli.binPath, cliEnv(target, seedContext));
      }
      const casr = await runCasr(options, source, target, home, dir);
      if (!casr.ok) return done("FAIL", casr.reason, options.keep ? home : undefined);
      const out = casr.output;
      if (out.target?.provider !== target.provider) {
        return done(
          "FAIL",
          `casr wrote for provider "${out.target?.provider}"`,
          options.keep ? home : undefined,
        );
      }
      if (typeof out.target.sessionId !== "string" || out.target.sessionId === "") {
        return done("FAIL", "casr output has no target.sessionId", options.keep ? home : undefined);
      }
      sessionId = out.target.sessionId;
      cwd = out.resume?.cwd ?? out.target.workspace ?? source.workspace;
      const argv = out.resume?.argv ?? [];
      if (argv[0] !== target.bin || !argv.includes(sessionId)) {
        notes.push(`resume.argv ${JSON.stringify(argv)} is not "${target.bin} ... ${sessionId}"`);
      }
      if (Array.isArray(out.warnings) && out.warnings.length > 0) {
        notes.push(`casr warnings: ${JSON.stringify(out.warnings).slice(0, 300)}`);
      }
      await Deno.mkdir(cwd, { recursive: true });
    }

    const mock = await startMockServer({ logPath: `${dir}/requests.jsonl` });
    let result: RunResult;
    let args: string[];
    try {
      const context: CliContext = { home, baseUrl: mock.url };
      await target.prepareHome(context);
      args = await target.resumeArgs(sessionId, MATRIX_PROMPT, context);
      const bin = install.cli.binPath;
      result = await (target.run ?? runBounded)(bin, args, {
        cwd,
        env: cliEnv(target, context),
        timeoutMs: options.timeoutMs,
      });
      await saveRun(dir, "target", [bin, ...args], cwd, result);
    } finally {
      await mock.close();
    }
    for (const pattern of HISTORY_WARNINGS) {
      const line = result.stderr.split("\n").find((text) => pattern.test(text));
      if (line !== undefined) notes.push(`stderr: ${line.trim().slice(0, 200)}`);
    }
    // A request a real API would refuse (HTTP 400) fails the cell, whatever the CLI did next.
    const violations = mock.requests.flatMap((request) => request.violations ?? []);
    if (violations.length > 0) {
      const reason = [violationReason(violations), ...notes].join("; ");
      return { ...done("FAIL", reason, options.keep ? home : undefined), violations };
    }
    const carrying = mock.turns().find((turn) =>
      target.historyFromRequest(turn.body).some((t) =>
        t.role === "user" && t.text.includes(MATRIX_PROMPT)
      )
    );
    if (carrying === undefined) {
      const why = result.code === 0 && !result.timedOut
        ? `exit 0 but no request carried the prompt (${mock.requests.length} request(s))`
        : runFailure(target.bin, result);
      return done("FAIL", [why, ...notes].join("; "), options.keep ? home : undefined);
    }
    const history = target.historyFromRequest(carrying.body);
    await Deno.writeTextFile(`${dir}/history.json`, JSON.stringify(history, null, 2) + "\n");
    // A target without a form for images gets casr's placeholders naming them.
    const imagesAsText = !options.native && source.provider !== target.provider &&
      getProvider(target.provider)?.carries?.images !== true;
    // Reasoning is checked where it must arrive: in the source's own CLI, and in a target
    // whose casr provider says it carries it.
    const carriesReasoning = options.native ||
      getProvider(target.provider)?.carries?.reasoning === true;
    const check = checkResumedHistory(history, source.expected, MATRIX_PROMPT, {
      imagesAsText,
      carriesReasoning,
    });
    check.problems.push(...lintWireConstraints(target.wire, history));
    const offered = offeredToolNames(target.wire, carrying.body);
    check.notes.push(...toolsNotOffered(history, offered));
    vocabulary = vocabularyShare(history, offered);
    mappedVocabulary = mappedShareOf(history, offered, source.provider, target.provider);
    check.ok = check.problems.length === 0;
    await Deno.writeTextFile(`${dir}/check.json`, JSON.stringify(check, null, 2) + "\n");
    notes.push(...check.notes);
    if (result.code !== 0) notes.push(runFailure(target.bin, result));
    if (!check.ok) {
      return done(
        "FAIL",
        [...check.problems, ...notes].join("; "),
        options.keep ? home : undefined,
      );
    }
    return done("PASS", notes.join("; "), options.keep ? home : undefined);
  } finally {
    await killProcessesWithHome(home);
    if (!options.keep) await removeIfExists(home);
  }
}

/**
 * Runs the matrix (or the native rows) and returns one result per cell. Every target is
 * installed first; then up to `jobs` cells run at once.
 *
 * @param options Sources, targets, directories, mode.
 * @returns The cells, source-major.
 */
export async function runMatrix(options: MatrixOptions): Promise<CellResult[]> {
  const pairs: Array<{ source: FixtureEntry; target: CliDefinition }> = [];
  for (const source of options.sources) {
    for (const target of options.targets) {
      if (options.native && target.provider !== source.provider) continue;
      if (options.include !== undefined && !options.include(source, target)) continue;
      pairs.push({ source, target });
    }
  }
  // Installs are network- and disk-bound: a few at once.
  const targets = [...new Map(pairs.map(({ target }) => [target.provider, target])).values()];
  const installs = new Map<string, InstallResult>();
  let nextInstall = 0;
  await Promise.all(Array.from({ length: Math.min(4, targets.length) }, async () => {
    while (nextInstall < targets.length) {
      const target = targets[nextInstall++] as CliDefinition;
      installs.set(target.provider, await ensureInstalled(target, options.cacheDir));
    }
  }));
  const cells: CellResult[] = new Array(pairs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pairs.length) {
      const index = next++;
      const { source, target } = pairs[index] as (typeof pairs)[number];
      const install = installs.get(target.provider) as InstallResult;
      let cell: CellResult;
      try {
        cell = await runCell(options, source, target, install);
        // A real CLI that ran out of time on a loaded machine gets one more try;
        // a cell that fails on its merits fails the same way again.
        if (cell.status === "FAIL" && /timed out/.test(cell.reason)) {
          const first = cell.reason;
          cell = await runCell(options, source, target, install);
          cell.reason = [`retried after: ${first.slice(0, 200)}`, cell.reason].filter((r) => r)
            .join("; ");
        }
      } catch (error) {
        cell = {
          source: source.provider,
          scenario: source.scenario,
          target: target.provider,
          status: "FAIL",
          reason: `harness error: ${error instanceof Error ? error.stack ?? error.message : error}`,
          artifacts: `${options.runDir}/${source.provider}.${source.scenario}__${target.provider}`,
          durationMs: 0,
        };
      }
      const named = cell.vocabulary
        ? ` [tool names declared: ${formatShare(cell.vocabulary)}${
          cell.mappedVocabulary ? `; with an equivalent: ${formatShare(cell.mappedVocabulary)}` : ""
        }]`
        : "";
      console.log(
        `${cell.status.padEnd(4)} ${sourceLabel(cell)} -> ${cell.target} (${cell.durationMs} ms)${
          cell.reason === "" ? "" : `: ${cell.reason}`
        }${named}`,
      );
      cells[index] = cell;
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, pairs.length));
  await Promise.all(Array.from({ length: jobs }, worker));
  const total = totalShare(cells.map((cell) => cell.vocabulary));
  console.log(
    `history tool calls named like a tool the resumed CLI declared: ${
      formatShare(total)
    } over ${total.cells} cell(s)`,
  );
  const mapped = totalShare(cells.map((cell) => cell.mappedVocabulary));
  const below = cells.filter((cell) =>
    cell.mappedVocabulary !== undefined && isBelow(cell.mappedVocabulary, 0.9)
  );
  console.log(
    `of those with an equivalent in both tool families: ${
      formatShare(mapped)
    } over ${mapped.cells} cell(s); ${below.length} cell(s) below 90%${
      below.length === 0
        ? ""
        : `: ${below.map((cell) => `${sourceLabel(cell)} -> ${cell.target}`).join(", ")}`
    }`,
  );
  return cells;
}

/**
 * The row label of a cell's source fixture: provider and scenario.
 *
 * @param cell The cell.
 * @returns E.g. `codex (multi-tool)`.
 */
export function sourceLabel(cell: Pick<CellResult, "source" | "scenario">): string {
  return `${cell.source} (${cell.scenario})`;
}

/**
 * Renders the cells as a source × target table, one row per source fixture.
 *
 * @param cells The results.
 * @returns A plain-text table.
 */
export function renderMatrix(cells: CellResult[]): string {
  const sources = [...new Set(cells.map(sourceLabel))];
  const targets = [...new Set(cells.map((cell) => cell.target))];
  const header = ["source \\ target", ...targets];
  const rows = sources.map((source) => [
    source,
    ...targets.map((target) =>
      cells.find((cell) => sourceLabel(cell) === source && cell.target === target)?.status ?? "-"
    ),
  ]);
  const widths = header.map((_, col) =>
    Math.max(...[header, ...rows].map((row) => (row[col] ?? "").length))
  );
  const line = (row: string[]): string =>
    row.map((value, col) => value.padEnd(widths[col] ?? 0)).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}
