/**
 * Kilo Code CLI 7.x (`kilo`, an OpenCode fork) for the smoke harness. Facts
 * from `/work/shared/providers/kilo.md`, re-checked with 7.7.9:
 *
 * - the wrapper `@kilocode/cli@7.8.1` (newest) pins platform packages 7.8.1
 *   that were never published, so the bun-compiled platform package
 *   `@kilocode/cli-linux-x64@7.7.9` (the newest published) is installed
 *   directly; npm links its `bin/kilo` nowhere (`packageBin`);
 * - XDG dirs under the throwaway home (data dir `$XDG_DATA_HOME/kilo`), models
 *   fetch, auto-update, sharing, session ingest, telemetry and the daemon
 *   client off, and
 *   `KILO_CONFIG_CONTENT` pointing the built-in `anthropic` provider at the
 *   mock (Anthropic wire, as OpenCode);
 * - every session is rows in `<data>/kilo.db` (WAL): the same helpers as
 *   OpenCode's list and merge the fixture database;
 * - `run` re-quotes words with spaces like OpenCode's, so prompts go as words;
 *   without `--auto` it auto-rejects some bash calls (`printf 'a\nb'`) and exits 1.
 *
 * @module
 */

import type { CliContext, CliDefinition } from "./cli_types.ts";
import { registryEnv } from "./cli_install.ts";
import { databaseSessions, mergeDatabase, promptWords } from "./cli_opencode.ts";
import { historyFromWire } from "./history.ts";
import { runBounded } from "./process.ts";

/** The model the harness runs Kilo with (a built-in Anthropic model id). */
export const KILO_MODEL = "anthropic/claude-sonnet-4-5";

/** The database of a throwaway home. */
function databaseOf(home: string): string {
  return `${home}/.local/share/kilo/kilo.db`;
}

/** Kilo Code's CLI, platform package `@kilocode/cli-linux-x64`. */
export const kiloCli: CliDefinition = {
  provider: "kilo-cli",
  alias: "klc",
  npmPackage: "@kilocode/cli-linux-x64",
  version: "7.7.9",
  bin: "kilo",
  packageBin: "bin/kilo",
  wire: "anthropic",
  parallelToolCalls: true,
  env: ({ home, baseUrl }: CliContext) => ({
    XDG_DATA_HOME: `${home}/.local/share`,
    XDG_CONFIG_HOME: `${home}/.config`,
    XDG_STATE_HOME: `${home}/.local/state`,
    XDG_CACHE_HOME: `${home}/.cache`,
    ANTHROPIC_API_KEY: "sk-test",
    KILO_DISABLE_MODELS_FETCH: "1",
    KILO_DISABLE_AUTOUPDATE: "1",
    KILO_DISABLE_SHARE: "1",
    KILO_DISABLE_SESSION_INGEST: "1",
    KILO_TELEMETRY_LEVEL: "off",
    KILO_NO_DAEMON: "1",
    KILO_CONFIG_CONTENT: JSON.stringify({
      provider: { anthropic: { options: { baseURL: `${baseUrl}/v1`, apiKey: "sk-test" } } },
    }),
    ...(baseUrl === "$BASE" ? {} : registryEnv()),
  }),
  prepareHome: async ({ home }) => {
    await Deno.mkdir(`${home}/.local/share`, { recursive: true });
    await Deno.mkdir(`${home}/.config`, { recursive: true });
  },
  newSessionArgs: (prompt) => ["run", "--auto", "-m", KILO_MODEL, ...promptWords(prompt)],
  resumeArgs: (sessionId, prompt) =>
    Promise.resolve([
      "run",
      "--auto",
      "-m",
      KILO_MODEL,
      "--session",
      sessionId,
      ...promptWords(prompt),
    ]),
  sessionFiles: (home) => databaseSessions(databaseOf(home)),
  historyFromRequest: (body) => historyFromWire("anthropic", body),
  fixtureCopy: mergeDatabase,
  seedHome: async (home, binPath, env) => {
    // A user who converts into Kilo has used it: its database exists (casr then adds rows).
    await runBounded(binPath, ["session", "list"], { cwd: home, env, timeoutMs: 60_000 });
  },
};
