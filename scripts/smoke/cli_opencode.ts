/**
 * The OpenCode CLI (`opencode-ai` on npm) for the smoke harness. Facts from
 * `/work/shared/realcli.md`, re-checked with 1.18.33:
 *
 * - a bun-compiled binary from the optional dependency `opencode-linux-x64`;
 * - XDG dirs under the throwaway home (its data dir is `$XDG_DATA_HOME/opencode`),
 *   models fetch, auto-update and sharing off, and `OPENCODE_CONFIG_CONTENT`
 *   pointing the built-in `anthropic` provider at the mock (Anthropic wire;
 *   a new session's first turn also sends a title request, a side request);
 * - the first run may `npm install` plugins into its config dir, so the
 *   registry variables (proxy, CA) go into its environment;
 * - no session files: every session is rows in `<data>/opencode.db` (WAL), so
 *   `sessionFiles` checkpoints the database and lists one entry per session,
 *   and `fixtureCopy` merges each scenario's session into one fixture database.
 *
 * @module
 */

import { openSqlite } from "../../src/internal/sqlite.ts";
import type { CliContext, CliDefinition, SessionFile } from "./cli_types.ts";
import { registryEnv } from "./cli_install.ts";
import { historyFromWire } from "./history.ts";
import { runBounded } from "./process.ts";

/** The model the harness runs OpenCode with (a built-in Anthropic model id). */
export const OPENCODE_MODEL = "anthropic/claude-sonnet-4-5";

/** The database of a throwaway home. */
function databaseOf(home: string): string {
  return `${home}/.local/share/opencode/opencode.db`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Lists the sessions of an OpenCode-store database (OpenCode's, Kilo CLI's),
 * after folding the WAL into the main file (so the file alone holds every row).
 *
 * @param path The database.
 * @returns One entry per session, all with the database's path.
 */
export async function databaseSessions(path: string): Promise<SessionFile[]> {
  if (!await exists(path)) return [];
  const db = await openSqlite(path);
  if (db === undefined) return [];
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    return db.prepare("SELECT id FROM session ORDER BY time_updated").all()
      .map((row) => ({ path, sessionId: String(row.id) }));
  } finally {
    db.close();
  }
}

/**
 * Copies a fixture database into `fixtures/`, or merges its rows into the
 * fixture database other scenarios already wrote: the sessions `replaces`
 * (older runs of this scenario) are deleted first (their rows in every table
 * keyed by `session_id`, `aggregate_id` or `root_session_id`), every row of the new
 * database is added (`INSERT OR IGNORE`, table by table), and the result is
 * vacuumed into one self-contained file (journal mode DELETE; OpenCode turns WAL
 * back on when it opens it).
 *
 * @param from The database a CLI run wrote.
 * @param to The fixture database.
 * @param replaces Session ids to remove from `to` first (with their subagent sessions).
 */
export async function mergeDatabase(
  from: string,
  to: string,
  replaces: readonly string[],
): Promise<void> {
  await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
  if (!await exists(to)) await Deno.copyFile(from, to);
  const db = await openSqlite(to);
  if (db === undefined) throw new Error("this runtime has no SQLite");
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA journal_mode = DELETE");
    db.exec("PRAGMA foreign_keys = OFF"); // tables are copied in creation order, not FK order
    db.prepare("ATTACH DATABASE ? AS incoming").run(from);
    db.exec("BEGIN");
    const tables = db.prepare(
      "SELECT name FROM incoming.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    ).all().map((row) => String(row.name));
    // A replaced session's subagent sessions (`parent_id`) go with it.
    const children = replaces.flatMap((id) =>
      db.prepare("SELECT id FROM main.session WHERE parent_id = ?").all(id)
        .map((row) => String(row.id))
    );
    for (const id of [...replaces, ...children]) {
      for (const table of tables) {
        const columns = db.prepare(`PRAGMA main.table_info("${table}")`).all()
          .map((row) => String(row.name));
        const key = ["session_id", "aggregate_id", "root_session_id"].find((c) =>
          columns.includes(c)
        );
        if (key !== undefined && table !== "session") {
          db.prepare(`DELETE FROM main."${table}" WHERE ${key} = ?`).run(id);
        }
      }
      db.prepare("DELETE FROM session WHERE id = ?").run(id);
    }
    for (const table of tables) {
      db.exec(`INSERT OR IGNORE INTO main."${table}" SELECT * FROM incoming."${table}"`);
    }
    db.exec("COMMIT");
    db.exec("DETACH DATABASE incoming");
    db.exec("VACUUM");
  } finally {
    db.close();
  }
}

/**
 * The prompt as `run` arguments that reach the model unchanged. `opencode run` joins its
 * message words with spaces but first wraps every word that contains a space in double quotes
 * (escaping inner quotes), so `run "a b"` stores and sends `"a b"`. Words split on spaces, after
 * `--` (so a word such as `---` is not read as a flag), join back to the exact prompt.
 *
 * @param prompt The prompt.
 * @returns `--` and the words.
 */
export function promptWords(prompt: string): string[] {
  return ["--", ...prompt.split(" ")];
}

/** SST's OpenCode, `opencode-ai`. */
export const opencodeCli: CliDefinition = {
  provider: "opencode",
  alias: "opc",
  npmPackage: "opencode-ai",
  version: "1.18.33",
  bin: "opencode",
  wire: "anthropic",
  parallelToolCalls: true,
  env: ({ home, baseUrl }: CliContext) => ({
    XDG_DATA_HOME: `${home}/.local/share`,
    XDG_CONFIG_HOME: `${home}/.config`,
    XDG_STATE_HOME: `${home}/.local/state`,
    XDG_CACHE_HOME: `${home}/.cache`,
    ANTHROPIC_API_KEY: "sk-test",
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_SHARE: "1",
    OPENCODE_CONFIG_CONTENT: JSON.stringify({
      provider: { anthropic: { options: { baseURL: `${baseUrl}/v1`, apiKey: "sk-test" } } },
    }),
    ...(baseUrl === "$BASE" ? {} : registryEnv()),
  }),
  prepareHome: async ({ home }) => {
    await Deno.mkdir(`${home}/.local/share`, { recursive: true });
    await Deno.mkdir(`${home}/.config`, { recursive: true });
  },
  newSessionArgs: (prompt) => ["run", "-m", OPENCODE_MODEL, ...promptWords(prompt)],
  resumeArgs: (sessionId, prompt) =>
    Promise.resolve(["run", "-m", OPENCODE_MODEL, "--session", sessionId, ...promptWords(prompt)]),
  sessionFiles: (home) => databaseSessions(databaseOf(home)),
  historyFromRequest: (body) => historyFromWire("anthropic", body),
  fixtureCopy: mergeDatabase,
  seedHome: async (home, binPath, env) => {
    // A user who converts into OpenCode has used it: its database exists (casr then adds rows).
    await runBounded(binPath, ["session", "list"], { cwd: home, env, timeoutMs: 60_000 });
  },
};
