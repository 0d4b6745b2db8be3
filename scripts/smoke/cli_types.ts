/**
 * The shape of one real agent CLI for the smoke harness: what `cli_<agent>.ts` files define and
 * the registry (`clis.ts`) lists. Types only, so a CLI's definition never imports the registry.
 *
 * @module
 */

import type { Turn, Wire } from "./history.ts";
import type { RunOptions, RunResult } from "./process.ts";

/** Provider ids of the CLIs the harness drives. */
export const PROVIDERS = [
  "claude-code",
  "codex",
  "gemini-cli",
  "opencode",
  "cline",
  "qwen-code",
  "copilot-cli",
  "kimi-code",
  "pi",
  "factory-droid",
  "kilo-cli",
  "openclaw",
] as const;

/** A provider id. */
export type ProviderId = typeof PROVIDERS[number];

/** Where a CLI runs: its throwaway home and the mock's base URL. */
export interface CliContext {
  /** Throwaway HOME. */
  home: string;
  /** Mock base URL, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
}

/** A session transcript a CLI wrote. */
export interface SessionFile {
  /** Absolute path. */
  path: string;
  /** Session id the CLI resumes it by. */
  sessionId: string;
}

/** One agent CLI. */
export interface CliDefinition {
  /** Provider id (casr's name for it). */
  provider: ProviderId;
  /** casr's target alias (`casr <alias> resume <id>`). */
  alias: string;
  /** npm package. */
  npmPackage: string;
  /** Pinned version. */
  version: string;
  /** Executable name in `node_modules/.bin`. */
  bin: string;
  /**
   * The executable's path inside the installed package, for a platform package installed
   * directly (its wrapper pins an unpublished version) whose binary npm links nowhere:
   * `node_modules/<npmPackage>/<packageBin>`. Absent: `node_modules/.bin/<bin>`.
   */
  packageBin?: string;
  /** The model API wire it speaks. */
  wire: Wire;
  /**
   * The CLI runs several tool calls from one model reply and sends all results back together;
   * when `false`, the fixture scenarios make one call per reply instead.
   */
  parallelToolCalls: boolean;
  /** The CLI's own environment variables (added to the scrubbed base environment). */
  env(context: CliContext): Record<string, string>;
  /** Creates config files the CLI needs in the throwaway home. */
  prepareHome(context: CliContext): Promise<void>;
  /** argv (without the binary) that starts a new session with `prompt`, non-interactively. */
  newSessionArgs(prompt: string, context: CliContext): string[];
  /** argv (without the binary) that resumes `sessionId` with `prompt`, non-interactively. */
  resumeArgs(sessionId: string, prompt: string, context: CliContext): Promise<string[]>;
  /** Session transcripts under the home. */
  sessionFiles(home: string): Promise<SessionFile[]>;
  /** The conversation a recorded request body carries. */
  historyFromRequest(body: unknown): Turn[];
  /**
   * Copies a session store into `fixtures/` when several sessions share one file (a
   * database): merges into the existing fixture file, dropping the sessions `replaces`.
   * Absent: plain copy, and a shared file must come out byte-identical.
   */
  fixtureCopy?(from: string, to: string, replaces: readonly string[]): Promise<void>;
  /** Prepares the home before casr writes into it (matrix), e.g. creates the CLI's database. */
  seedHome?(home: string, binPath: string, env: Record<string, string>): Promise<void>;
  /** Files besides the transcript a fixture needs (an index database); absent: none. */
  extraFiles?(home: string, transcript: string): Promise<string[]>;
  /** Runs the CLI when it cannot simply be spawned (a TUI-only resume); absent: `runBounded`. */
  run?(bin: string, args: string[], options: RunOptions): Promise<RunResult>;
  /**
   * The CLI needs a newer Node.js than the machine's: npm's `node` package at this version is
   * installed into the CLI's prefix too, and the install's binary is a wrapper script that runs
   * the CLI with that Node (first on its PATH). Absent: the machine's `node`.
   */
  nodeVersion?: string;
}
