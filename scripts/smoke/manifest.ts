/**
 * `fixtures/manifest.json`: the list of genuine native fixtures the real CLIs wrote, with what
 * tests and the smoke matrix need to find and check them.
 *
 * @module
 */

import type { ExpectedTurn } from "./checks.ts";
import type { ProviderId } from "./cli_types.ts";
import { SCENARIO_IDS, type ScenarioId } from "./scenarios.ts";

/** One fixture session. */
export interface FixtureEntry {
  /** Provider whose CLI wrote it. */
  provider: ProviderId;
  /** The scenario it plays (`scripts/smoke/scenarios.ts`); one fixture per provider and scenario. */
  scenario: ScenarioId;
  /** Id to resume it by. */
  sessionId: string;
  /** Transcript path, relative to `fixtures/`. */
  path: string;
  /** Home tree to copy into a throwaway HOME, relative to `fixtures/`. */
  home: string;
  /** Every fixture file of this session, relative to `fixtures/`. */
  files: string[];
  /** The session's working directory (cwd the CLI ran in). */
  workspace: string;
  /** npm package of the CLI. */
  cliPackage: string;
  /** Version of the CLI that wrote it. */
  cliVersion: string;
  /** When it was generated (ISO). */
  createdAt: string;
  /** The commands that produced it (HOME and mock URL are placeholders). */
  commands: string[];
  /** The user prompts sent, in order. */
  prompts: string[];
  /** Number of tool calls the session made. */
  toolCalls: number;
  /**
   * Set on a fixture no real CLI wrote (`hand-made: <why>`); such entries are kept but never
   * regenerated, and their `scenario` may name a format case instead of a harness scenario.
   */
  generatedBy?: string;
  /**
   * The conversation as the mock saw it (prompts, scripted replies, tool results); a resumed
   * request must carry these turns in order.
   */
  expected: ExpectedTurn[];
}

/** The manifest file. */
export interface FixtureManifest {
  /** Format version. */
  schemaVersion: 1;
  /** How to refresh. */
  generatedBy: string;
  /** The fixtures, one per provider and scenario. */
  fixtures: FixtureEntry[];
}

/**
 * Reads the manifest, or returns an empty one when the file does not exist.
 *
 * @param path Path of `manifest.json`.
 * @returns The manifest.
 * @throws {SyntaxError} When the file is not valid JSON or an entry has no known scenario.
 */
export async function readManifest(path: string): Promise<FixtureManifest> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return emptyManifest();
    throw error;
  }
  const parsed = JSON.parse(text) as FixtureManifest;
  if (!Array.isArray(parsed.fixtures)) {
    throw new SyntaxError(`Cannot read manifest "${path}": "fixtures" is not an array`);
  }
  for (const entry of parsed.fixtures) {
    if (entry.generatedBy !== undefined) continue;
    if (!(SCENARIO_IDS as readonly string[]).includes(entry.scenario)) {
      throw new SyntaxError(
        `Cannot read manifest "${path}": ${entry.provider} fixture ${entry.sessionId} has ` +
          `scenario "${entry.scenario}", expected one of ${SCENARIO_IDS.join(", ")}`,
      );
    }
  }
  return parsed;
}

/**
 * Writes the manifest in a stable order (provider, then scenario) with a trailing newline.
 *
 * @param path Path of `manifest.json`.
 * @param manifest The manifest.
 */
export async function writeManifest(path: string, manifest: FixtureManifest): Promise<void> {
  const fixtures = [...manifest.fixtures].sort((a, b) =>
    a.provider.localeCompare(b.provider) ||
    SCENARIO_IDS.indexOf(a.scenario) - SCENARIO_IDS.indexOf(b.scenario)
  );
  await Deno.writeTextFile(path, JSON.stringify({ ...manifest, fixtures }, null, 2) + "\n");
}

function emptyManifest(): FixtureManifest {
  return { schemaVersion: 1, generatedBy: "deno task smoke:fixtures", fixtures: [] };
}
