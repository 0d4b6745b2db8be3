/**
 * What one fixture-generation run of a real CLI leaves and how it is judged, shared by the
 * scripted scenarios (`fixtures.ts`) and the messy ones (`messy_fixtures.ts`): the options and
 * outcome of a generation, a run's saved artifacts and one-line description, the transcript
 * among the CLI's session files, and the files besides it that a provider needs.
 *
 * @module
 */

import type { CliDefinition, SessionFile } from "./cli_types.ts";
import { pathExists, renderCommand, tailLines } from "./fs_utils.ts";
import type { RunResult } from "./process.ts";
import type { Scenario, ScenarioId } from "./scenarios.ts";

/** Options for `generateFixtures` (`fixtures.ts`). */
export interface GenerateFixturesOptions {
  /** Repository root (holds `fixtures/`). */
  repoRoot: string;
  /** Install cache for the CLIs. */
  cacheDir: string;
  /** Artifact directory of this run. */
  runDir: string;
  /** CLIs to generate fixtures for. */
  clis: readonly CliDefinition[];
  /** Scenarios to play. @default SCENARIOS (all) */
  scenarios?: readonly Scenario[];
  /** Per-command timeout. */
  timeoutMs: number;
  /** Replace fixtures that already exist (their session ids change). @default false */
  force?: boolean;
}

/** Outcome for one CLI and scenario. */
export interface FixtureOutcome {
  /** Provider. */
  provider: string;
  /** Scenario id. */
  scenario: ScenarioId;
  /** PASS: written; FAIL: not written; SKIP: CLI not installable; KEPT: exists, no `force`. */
  status: "PASS" | "FAIL" | "SKIP" | "KEPT";
  /** Why, or what was written. */
  detail: string;
}

/**
 * Saves one run's command line, output and exit status under `dir`.
 *
 * @param dir The artifact directory.
 * @param name The run's name (file prefix).
 * @param argv The command line.
 * @param result The run.
 */
export async function writeRunArtifacts(
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

/**
 * One line on how a run ended.
 *
 * @param result The run.
 * @returns E.g. `exit 1: <last lines of stderr>`.
 */
export function describeRun(result: RunResult): string {
  if (result.timedOut) return `timed out after ${result.durationMs} ms`;
  return `exit ${result.code ?? result.signal}: ${tailLines(result.stderr || result.stdout, 4)}`;
}

/**
 * Files besides the transcript that a provider needs to find its session.
 *
 * @param cli The CLI.
 * @param home The home it ran in.
 * @param transcript The session's transcript.
 * @returns Absolute paths.
 */
export async function sessionExtraFiles(
  cli: CliDefinition,
  home: string,
  transcript: string,
): Promise<string[]> {
  if (cli.extraFiles !== undefined) return await cli.extraFiles(home, transcript);
  if (cli.provider !== "gemini-cli") return [];
  const extras: string[] = [];
  const projects = `${home}/.gemini/projects.json`;
  if (await pathExists(projects)) extras.push(projects);
  const slugDir = transcript.slice(0, transcript.indexOf("/chats/"));
  if (await pathExists(`${slugDir}/.project_root`)) extras.push(`${slugDir}/.project_root`);
  return extras;
}

/** `text` with every non-ASCII UTF-16 unit as a JSON `\uXXXX` escape. */
function asciiEscaped(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out += unit < 0x80 ? text[i] : `\\u${unit.toString(16).padStart(4, "0")}`;
  }
  return out;
}

/**
 * The largest session file that holds every token (as written, or JSON-escaped).
 *
 * @param files The CLI's session files.
 * @param tokens Texts the transcript must hold.
 * @returns The file, if any holds them all.
 */
export async function pickTranscript(
  files: SessionFile[],
  tokens: string[],
): Promise<SessionFile | undefined> {
  let best: { file: SessionFile; size: number } | undefined;
  for (const file of files) {
    const text = await Deno.readTextFile(file.path);
    const has = (token: string) => text.includes(token) || text.includes(asciiEscaped(token));
    if (!tokens.every(has)) continue;
    if (best === undefined || text.length > best.size) best = { file, size: text.length };
  }
  return best?.file;
}
