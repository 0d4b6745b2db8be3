/**
 * OpenClaw (`openclaw` on npm) for the smoke harness. Facts from
 * `/work/shared/providers/openclaw.md`, re-checked with 2026.9.6:
 *
 * - a JS bundle whose preinstall refuses Node < 24.16: `node@24.21.0` from npm is installed
 *   into its prefix first and runs it (`nodeVersion`);
 * - offline and headless: `openclaw agent --local` (the embedded agent, no Gateway daemon),
 *   `OPENCLAW_SKIP_CHANNELS=1`, and a config file (`OPENCLAW_CONFIG_PATH`, kept outside the
 *   state dirs so that OpenClaw still picks `~/.clawdbot` when casr wrote there) with a custom
 *   `openai-completions` provider `mock` at the mock's `/v1` (Chat Completions wire);
 * - the state dir is resolved from HOME like casr does (`~/.openclaw`, else `~/.clawdbot`);
 * - the session's `cwd` is the agent workspace, not the process cwd, so every run sets
 *   `OPENCLAW_WORKSPACE_DIR` to its cwd, with `skipBootstrap` (no AGENTS.md, SOUL.md, … seeded
 *   into the workspace other CLIs share) and `contextInjection: "never"`;
 * - sessions are rows of `<state>/agents/main/agent/openclaw-agent.sqlite` (WAL): new sessions
 *   get an explicit `--session-id` and resume with the same flag; `sessionFiles` checkpoints the
 *   database, and `fixtureCopy` merges each scenario's session into one fixture database;
 * - a session casr wrote is a JSONL import input: before resuming, `run` imports pending files
 *   with `openclaw doctor --session-sqlite import`, as casr's resume command does;
 * - every request carries OpenClaw's runtime context as a user message of its own
 *   (`<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>`), which the history readers skip.
 *
 * @module
 */

import { openSqlite } from "../../src/internal/sqlite.ts";
import type { CliContext, CliDefinition, SessionFile } from "./cli_types.ts";
import { historyFromWire, isInjectedReminder } from "./history.ts";
import { runBounded, type RunOptions, type RunResult } from "./process.ts";

/** The model id the mock provider is configured with. */
export const OPENCLAW_MODEL = "mock-model";

const STATE_DIRS = [".openclaw", ".clawdbot"];

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function dirNames(dir: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(dir))).filter((e) => e.isDirectory)
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** The agent databases of a home, in every state dir OpenClaw may use. */
async function databases(home: string): Promise<string[]> {
  const out: string[] = [];
  for (const state of STATE_DIRS) {
    for (const agent of await dirNames(`${home}/${state}/agents`)) {
      const db = `${home}/${state}/agents/${agent}/agent/openclaw-agent.sqlite`;
      if (await exists(db)) out.push(db);
    }
  }
  return out;
}

/**
 * Lists the sessions of a home's databases, newest first, after folding each WAL into its main
 * file (so the file alone holds every row).
 */
async function openClawSessions(home: string): Promise<SessionFile[]> {
  const out: SessionFile[] = [];
  for (const path of await databases(home)) {
    const db = await openSqlite(path);
    if (db === undefined) continue;
    try {
      db.exec("PRAGMA busy_timeout = 10000");
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      const rows = db.prepare(
        `SELECT session_id FROM session_windows w
          WHERE EXISTS (SELECT 1 FROM transcript_events e WHERE e.session_id = w.session_id)
          ORDER BY updated_at DESC`,
      ).all();
      out.push(...rows.map((row) => ({ path, sessionId: String(row.session_id) })));
    } catch {
      // not an OpenClaw database (yet)
    } finally {
      db.close();
    }
  }
  return out;
}

/**
 * Copies a fixture database into `fixtures/`, or merges the rows of a new run into the one
 * other scenarios wrote: rows of the sessions `replaces` are deleted first, then every ordinary
 * table's rows are added (`INSERT OR IGNORE`); virtual tables (full-text and vector indexes)
 * and their shadow tables keep the first run's rows only. The result is vacuumed into one file
 * (journal mode DELETE; OpenClaw turns WAL back on when it opens it).
 */
async function mergeDatabase(from: string, to: string, replaces: readonly string[]): Promise<void> {
  await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
  const fresh = !await exists(to);
  if (fresh) await Deno.copyFile(from, to);
  const db = await openSqlite(to);
  if (db === undefined) throw new Error("this runtime has no SQLite");
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA journal_mode = DELETE");
    if (!fresh) {
      db.exec("PRAGMA foreign_keys = OFF");
      db.prepare("ATTACH DATABASE ? AS incoming").run(from);
      const all = db.prepare(
        "SELECT name, sql FROM incoming.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      ).all().map((r) => ({ name: String(r.name), sql: String(r.sql ?? "") }));
      const virtual = all.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql)).map((t) => t.name);
      const ordinary = all.filter((t) =>
        !virtual.includes(t.name) && !virtual.some((v) => t.name.startsWith(`${v}_`))
      ).map((t) => t.name);
      // Triggers would mark the copied session rows for re-validation (`entry_valid = 0`,
      // `session_canonical_validation_pending`), which OpenClaw then refuses to open: copy the
      // rows as they are, with the triggers dropped and re-created around the copy.
      const triggers = db.prepare(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL",
      ).all().map((r) => ({ name: String(r.name), sql: String(r.sql) }));
      db.exec("BEGIN");
      for (const trigger of triggers) db.exec(`DROP TRIGGER main."${trigger.name}"`);
      for (const id of replaces) {
        for (const table of ordinary) {
          const columns = db.prepare(`PRAGMA incoming.table_info("${table}")`).all();
          if (columns.some((c) => c.name === "session_id")) {
            db.prepare(`DELETE FROM main."${table}" WHERE session_id = ?`).run(id);
          }
        }
        db.prepare("DELETE FROM main.session_nodes WHERE current_session_id = ?").run(id);
      }
      for (const table of ordinary) {
        db.exec(`INSERT OR IGNORE INTO main."${table}" SELECT * FROM incoming."${table}"`);
      }
      for (const trigger of triggers) db.exec(trigger.sql);
      db.exec("COMMIT");
      db.exec("DETACH DATABASE incoming");
    }
    db.exec("VACUUM");
  } finally {
    db.close();
  }
}

/** JSONL files waiting for `openclaw doctor --session-sqlite import` under a home. */
async function pendingImports(home: string): Promise<boolean> {
  for (const state of STATE_DIRS) {
    for (const agent of await dirNames(`${home}/${state}/agents`)) {
      try {
        for await (const entry of Deno.readDir(`${home}/${state}/agents/${agent}/sessions`)) {
          if (entry.isFile && entry.name.endsWith(".jsonl")) return true;
        }
      } catch {
        // no sessions folder
      }
    }
  }
  return false;
}

/**
 * Runs OpenClaw with the run's cwd as its agent workspace; a resume first imports the JSONL
 * files casr wrote (exactly what casr's printed resume command does).
 */
async function runOpenClaw(bin: string, args: string[], options: RunOptions): Promise<RunResult> {
  const env: Record<string, string> = { ...options.env, OPENCLAW_WORKSPACE_DIR: options.cwd };
  const home = env.HOME ?? "";
  let before: RunResult | undefined;
  if (args[0] === "agent" && home !== "" && await pendingImports(home)) {
    before = await runBounded(bin, ["doctor", "--session-sqlite", "import", "--json"], {
      ...options,
      env,
    });
    if (before.code !== 0 || before.timedOut) return before;
  }
  const result = await runBounded(bin, args, { ...options, env });
  if (before === undefined) return result;
  return {
    ...result,
    stdout: `${before.stdout}\n${result.stdout}`,
    stderr: `$ openclaw doctor --session-sqlite import --json\n${before.stderr}\n${result.stderr}`,
    durationMs: before.durationMs + result.durationMs,
  };
}

function configPath(home: string): string {
  return `${home}/.casr-smoke/openclaw.json`;
}

/** OpenClaw, `openclaw`. */
export const openClawCli: CliDefinition = {
  provider: "openclaw",
  alias: "claw",
  npmPackage: "openclaw",
  version: "2026.9.6",
  bin: "openclaw",
  wire: "chat",
  parallelToolCalls: true,
  nodeVersion: "24.21.0",
  env: ({ home }: CliContext) => ({
    OPENCLAW_HOME: home,
    OPENCLAW_CONFIG_PATH: configPath(home),
    OPENCLAW_SKIP_CHANNELS: "1",
  }),
  prepareHome: async ({ home, baseUrl }) => {
    await Deno.mkdir(`${home}/.casr-smoke`, { recursive: true });
    const config = {
      // No AGENTS.md, SOUL.md, … seeded into (or injected from) the shared workspace.
      agents: {
        defaults: {
          model: { primary: `mock/${OPENCLAW_MODEL}` },
          skipBootstrap: true,
          contextInjection: "never",
        },
      },
      models: {
        mode: "merge",
        providers: {
          mock: {
            baseUrl: `${baseUrl}/v1`,
            apiKey: "sk-test",
            api: "openai-completions",
            models: [{
              id: OPENCLAW_MODEL,
              name: "Mock",
              reasoning: false,
              // With text only, OpenClaw replaces a stored image with "(tool image omitted:
              // model does not support images)" when it resumes a session holding one.
              input: ["text", "image"],
              cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
              contextWindow: 128000,
              maxTokens: 8000,
            }],
          },
        },
      },
    };
    await Deno.writeTextFile(configPath(home), JSON.stringify(config, null, 2) + "\n");
  },
  newSessionArgs: (prompt) => [
    "agent",
    "--local",
    "--agent",
    "main",
    "--session-id",
    crypto.randomUUID(),
    "--message",
    prompt,
  ],
  resumeArgs: (sessionId, prompt) =>
    Promise.resolve([
      "agent",
      "--local",
      "--agent",
      "main",
      "--session-id",
      sessionId,
      "--message",
      prompt,
    ]),
  sessionFiles: openClawSessions,
  historyFromRequest: (body) =>
    historyFromWire("chat", body).filter((turn) => !isInjectedReminder(turn)),
  fixtureCopy: mergeDatabase,
  run: runOpenClaw,
};
