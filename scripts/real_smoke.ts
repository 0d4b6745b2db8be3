/**
 * Real-CLI smoke harness for casr.
 *
 * - `--fixtures`: have the real CLIs (pinned npm versions) write genuine sessions through a
 *   scripted mock model API and copy them into `fixtures/` (+ `manifest.json`, `README.md`).
 * - default: the resume matrix — every source fixture (each provider × scenario) × every
 *   target CLI: run
 *   `casr <target> resume <id> --json`, resume the written session in the real target CLI,
 *   and check the request that carries the new prompt.
 * - `--native`: resume each fixture in its own CLI, without casr.
 *
 * The default matrix runs the `multi-tool` and `messy` fixtures of every source into every
 * target (into OpenClaw and Kilo CLI, the costliest, `multi-tool` only from the core three),
 * and the `basic` fixture into its own CLI and the three core targets (Claude Code,
 * Codex, Gemini CLI); `--full` runs every scenario into every target. Cells run `--jobs` at a time (default: the
 * number of CPUs), each with its own home and mock server.
 *
 * Flags: `--only <p>` and `--force` (fixtures), `--scenario <s>` (fixtures and matrix),
 * `--only-source <p>`, `--only-target <p>`, `--full`, `--jobs <n>`, `--keep`,
 * `--timeout <seconds>`. Artifacts go to `smoke-runs/<timestamp>/`. Exits 1 on any FAIL.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { violationSummary } from "./smoke/api_rules.ts";
import type { CliDefinition } from "./smoke/cli_types.ts";
import { cliByName, CLIS } from "./smoke/clis.ts";
import { generateFixtures } from "./smoke/fixtures.ts";
import { runStamp } from "./smoke/fs_utils.ts";
import { type FixtureEntry, readManifest } from "./smoke/manifest.ts";
import { renderMatrix, runMatrix, sourceLabel } from "./smoke/matrix.ts";
import { type Scenario, scenarioById, SCENARIOS } from "./smoke/scenarios.ts";

const USAGE = `Usage: deno run -A scripts/real_smoke.ts [--fixtures | --native] [options]

  --fixtures            regenerate fixtures/ with the real CLIs
  --native              resume each fixture in its own CLI (no casr)
  --only <p>            fixtures mode: only this provider (repeatable)
  --force               fixtures mode: replace existing fixtures (session ids change)
  --scenario <s>        only this scenario (basic, multi-tool, messy; repeatable)
  --only-source <p>     matrix: only this source provider (repeatable)
  --only-target <p>     matrix: only this target provider (repeatable)
  --full                matrix: every scenario into every target (default: multi-tool and
                        messy into every target, basic into its own CLI and the core targets)
  --jobs <n>            matrix: cells run at once (default: number of CPUs)
  --keep                keep throwaway homes
  --timeout <seconds>   per-command timeout (default 120)
  -h, --help            show this help`;

/** Targets every `basic` fixture is resumed in, besides its own CLI. */
const CORE_TARGETS: ReadonlySet<string> = new Set(["claude-code", "codex", "gemini-cli"]);

/**
 * The targets whose CLI costs the most CPU per cell (OpenClaw about 57 s, Kilo
 * CLI 38 s, on CI's two cores; most others 3–20 s): the `multi-tool` fixtures
 * of the core three (and their own) go into them, not every source's. What
 * such a cell proves of the target (its writer and CLI take parallel calls and
 * a failed one) is the same from any source; every source's reader still goes
 * into them with its `messy` fixture, and into every other target with both.
 */
const HEAVY_TARGETS: ReadonlySet<string> = new Set(["openclaw", "kilo-cli"]);

/**
 * The default matrix: the `multi-tool` fixture (a superset of `basic`'s traps) and the `messy`
 * fixture (reasoning, images, compaction, ...) into every target; the `basic` fixture into its
 * own CLI and the core targets.
 *
 * @param source A source fixture.
 * @param target A target CLI.
 * @returns Whether the cell runs.
 */
export function defaultCells(source: FixtureEntry, target: CliDefinition): boolean {
  if (source.scenario === "basic") {
    return target.provider === source.provider || CORE_TARGETS.has(target.provider);
  }
  if (source.scenario === "multi-tool" && HEAVY_TARGETS.has(target.provider)) {
    return target.provider === source.provider || CORE_TARGETS.has(source.provider);
  }
  return true;
}

function select(names: string[] | undefined): readonly CliDefinition[] {
  if (names === undefined || names.length === 0) return CLIS;
  const wanted = new Set(names.map((name) => cliByName(name).provider));
  return CLIS.filter((cli) => wanted.has(cli.provider));
}

/**
 * Runs the harness.
 *
 * @param args Command-line arguments.
 * @returns The process exit code: 0 when nothing failed, 1 on any FAIL, 2 on bad usage.
 */
export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        fixtures: { type: "boolean", default: false },
        native: { type: "boolean", default: false },
        only: { type: "string", multiple: true },
        scenario: { type: "string", multiple: true },
        "only-source": { type: "string", multiple: true },
        "only-target": { type: "string", multiple: true },
        keep: { type: "boolean", default: false },
        full: { type: "boolean", default: false },
        jobs: { type: "string" },
        force: { type: "boolean", default: false },
        timeout: { type: "string", default: "120" },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const values = parsed.values;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const timeoutMs = Number(values.timeout) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    console.error(`Cannot use timeout "${values.timeout}": expected a positive number of seconds`);
    return 2;
  }
  const jobs = values.jobs === undefined
    ? Math.max(1, navigator.hardwareConcurrency ?? 1)
    : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) {
    console.error(`Cannot use jobs "${values.jobs}": expected a positive whole number`);
    return 2;
  }
  const repoRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const cacheDir = `${repoRoot}/.cache/clis`;
  const runDir = `${repoRoot}/smoke-runs/${runStamp()}${
    values.fixtures ? "-fixtures" : values.native ? "-native" : ""
  }`;
  await Deno.mkdir(runDir, { recursive: true });
  console.log(`artifacts: ${runDir}`);

  let clis: readonly CliDefinition[];
  let scenarios: readonly Scenario[];
  try {
    clis = select(values.fixtures ? values.only : values["only-target"]);
    scenarios = values.scenario === undefined || values.scenario.length === 0
      ? SCENARIOS
      : values.scenario.map(scenarioById);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }

  if (values.fixtures) {
    const outcomes = await generateFixtures({
      repoRoot,
      cacheDir,
      runDir,
      clis,
      scenarios,
      timeoutMs,
      force: values.force,
    });
    await Deno.writeTextFile(`${runDir}/fixtures.json`, JSON.stringify(outcomes, null, 2) + "\n");
    return outcomes.some((outcome) => outcome.status === "FAIL") ? 1 : 0;
  }

  const manifest = await readManifest(`${repoRoot}/fixtures/manifest.json`);
  let sourceProviders: Set<string>;
  try {
    sourceProviders = new Set(select(values["only-source"]).map((cli) => cli.provider));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const wantedScenarios = new Set(scenarios.map((scenario) => scenario.id));
  const sources = manifest.fixtures.filter((entry) =>
    sourceProviders.has(entry.provider) && wantedScenarios.has(entry.scenario)
  );
  if (sources.length === 0) {
    console.error("Cannot run the matrix: fixtures/manifest.json lists no matching fixture");
    return 1;
  }
  const started = performance.now();
  const cells = await runMatrix({
    repoRoot,
    cacheDir,
    runDir,
    sources,
    targets: clis,
    native: values.native,
    keep: values.keep,
    timeoutMs,
    jobs,
    include: values.full || values.native || values.scenario !== undefined
      ? () => true
      : defaultCells,
  });
  const seconds = Math.round((performance.now() - started) / 1000);
  await Deno.writeTextFile(
    `${runDir}/matrix.json`,
    JSON.stringify({ mode: values.native ? "native" : "casr", seconds, cells }, null, 2) + "\n",
  );
  console.log(`\n${renderMatrix(cells)}\n`);
  for (const cell of cells.filter((cell) => cell.status !== "PASS")) {
    console.log(`${cell.status} ${sourceLabel(cell)} -> ${cell.target}: ${cell.reason}`);
  }
  console.log(violationSummary(cells.flatMap((cell) => cell.violations ?? [])));
  console.log(`${cells.length} cell(s) in ${seconds} s; details in ${runDir}/matrix.json`);
  return cells.some((cell) => cell.status === "FAIL") ? 1 : 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
