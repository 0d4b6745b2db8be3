/**
 * The Cline CLI (`cline` on npm) for the smoke harness. Facts from
 * `/work/shared/realcli.md`, re-checked with 3.0.65:
 *
 * - a bun-compiled binary from the optional dependency `@cline/cli-linux-x64`;
 * - only OpenAI-compatible providers take a base URL: the home gets
 *   `~/.cline/data/settings/providers.json` with provider `openai-compatible`,
 *   model `gpt-mock` and the mock's `/v1` (Chat Completions wire);
 * - a new session runs non-interactively (`cline "<prompt>"`), but resuming is
 *   interactive only (`cline --id <id>` refuses to run without a TTY), so
 *   {@linkcode runCline} drives the TUI in a private tmux server: it waits for
 *   `Ask anything`, pastes the prompt (bracketed paste, newlines kept), presses
 *   Enter, waits for the screen to settle, and returns the scrollback as stdout;
 * - the TUI starts a `cline --cline-hub-daemon`: every process whose HOME is
 *   the run's home is killed by PID afterwards (`CLINE_SESSION_BACKEND_MODE=local`
 *   keeps the non-interactive runs from starting one);
 * - sessions: `~/.cline/data/sessions/<id>/<id>.messages.json`, the `<id>.json`
 *   manifest, and a row in `~/.cline/data/db/sessions.db` (WAL) that resume needs;
 *   `fixtureCopy` merges the rows of each scenario into one small fixture database;
 *   Cline loads a session from its row's absolute `messages_path`, so `prepareHome`
 *   points rows copied from another home at this home's files.
 *
 * @module
 */

import { openSqlite } from "../../src/internal/sqlite.ts";
import type { CliContext, CliDefinition, SessionFile } from "./cli_types.ts";
import { copyFileWithParents, shellQuote } from "./fs_utils.ts";
import { historyFromWire, type Turn } from "./history.ts";
import { killProcessesWithHome, runBounded, type RunOptions, type RunResult } from "./process.ts";

/** The model name the mock provider is configured with. */
export const CLINE_MODEL = "gpt-mock";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

function dataDir(home: string): string {
  return `${home}/.cline/data`;
}

async function writeProviders(home: string, baseUrl: string): Promise<void> {
  const dir = `${dataDir(home)}/settings`;
  await Deno.mkdir(dir, { recursive: true });
  const settings = {
    version: 1,
    lastUsedProvider: "openai-compatible",
    modes: {},
    providers: {
      "openai-compatible": {
        settings: {
          provider: "openai-compatible",
          apiKey: "sk-test",
          model: CLINE_MODEL,
          baseUrl: `${baseUrl}/v1`,
        },
        updatedAt: new Date().toISOString(),
        tokenSource: "manual",
      },
    },
  };
  await Deno.writeTextFile(`${dir}/providers.json`, JSON.stringify(settings, null, 2) + "\n");
}

async function clineSessions(home: string): Promise<SessionFile[]> {
  const root = `${dataDir(home)}/sessions`;
  const out: SessionFile[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(root));
  } catch {
    return out;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = `${root}/${entry.name}/${entry.name}.messages.json`;
    if (entry.isDirectory && await exists(path)) out.push({ path, sessionId: entry.name });
  }
  return out;
}

/** Folds the WAL of `sessions.db` into the main file. */
async function checkpoint(db: string): Promise<void> {
  if (!await exists(db)) return;
  const handle = await openSqlite(db);
  if (handle === undefined) return;
  try {
    handle.exec("PRAGMA busy_timeout = 5000");
    handle.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } finally {
    handle.close();
  }
}

/**
 * Copies a session file into `fixtures/`; `sessions.db` is merged instead:
 * the rows of `replaces` are dropped, the new rows added, and the file vacuumed
 * (journal mode DELETE, so the copy is self-contained).
 */
async function fixtureCopy(from: string, to: string, replaces: readonly string[]): Promise<void> {
  if (!from.endsWith("/sessions.db")) {
    await copyFileWithParents(from, to);
    return;
  }
  await checkpoint(from);
  await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
  if (!await exists(to)) await Deno.copyFile(from, to);
  const db = await openSqlite(to);
  if (db === undefined) throw new Error("this runtime has no SQLite");
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("PRAGMA journal_mode = DELETE");
    db.prepare("ATTACH DATABASE ? AS incoming").run(from);
    db.exec("BEGIN");
    for (const id of replaces) db.prepare("DELETE FROM sessions WHERE session_id = ?").run(id);
    db.exec("INSERT OR REPLACE INTO main.sessions SELECT * FROM incoming.sessions");
    db.exec("COMMIT");
    db.exec("DETACH DATABASE incoming");
    db.exec("VACUUM");
  } finally {
    db.close();
  }
}

/**
 * Points `sessions.db` rows whose `messages_path` does not exist at the same
 * session under this home: Cline loads a session from the row's absolute
 * `messages_path` (a fixture copied into another home would resume empty).
 */
async function relocateRows(home: string): Promise<void> {
  const dbPath = `${dataDir(home)}/db/sessions.db`;
  if (!await exists(dbPath)) return;
  const db = await openSqlite(dbPath);
  if (db === undefined) return;
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    for (const row of db.prepare("SELECT session_id, messages_path FROM sessions").all()) {
      const id = String(row.session_id);
      const own = `${dataDir(home)}/sessions/${id}/${id}.messages.json`;
      const current = typeof row.messages_path === "string" ? row.messages_path : "";
      if (current !== own && !await exists(current) && await exists(own)) {
        db.prepare("UPDATE sessions SET messages_path = ? WHERE session_id = ?").run(own, id);
      }
    }
  } finally {
    db.close();
  }
}

/** Cline stores each tool result as a JSON array of `{query, result, success}`; show the results. */
function readableOutput(output: string): string {
  try {
    const value: unknown = JSON.parse(output);
    if (Array.isArray(value) && value.every((v) => typeof v === "object" && v !== null)) {
      const parts = (value as Record<string, unknown>[]).map((record) =>
        typeof record.result === "string" ? record.result : JSON.stringify(record)
      );
      return parts.join("\n");
    }
  } catch {
    // plain text
  }
  return output;
}

function historyFromRequest(body: unknown): Turn[] {
  const turns = historyFromWire("chat", body);
  for (const turn of turns) {
    for (const result of turn.toolResults) result.output = readableOutput(result.output);
  }
  return turns;
}

async function tmux(socket: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("tmux", {
    args: ["-L", socket, "-f", "/dev/null", ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the Cline CLI: non-interactive runs directly, `--id <id> <prompt>` by
 * driving the TUI in a private tmux server (see the module doc).
 *
 * @param bin The binary.
 * @param args `[prompt]` or `["--id", id, prompt]`.
 * @param options Working directory, environment, timeout.
 * @returns The outcome; stdout is the TUI's scrollback for a resume.
 */
export async function runCline(
  bin: string,
  args: string[],
  options: RunOptions,
): Promise<RunResult> {
  if (args[0] !== "--id" || args.length < 3) return await runBounded(bin, args, options);
  const [, id, prompt] = args as [string, string, string];
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const socket = `casr-cline-${crypto.randomUUID().slice(0, 8)}`;
  const promptFile = await Deno.makeTempFile({ prefix: "casr-cline-prompt-" });
  await Deno.writeTextFile(promptFile, prompt);
  const env = { ...options.env, TERM: "xterm-256color" };
  const command = [
    "env",
    "-i",
    ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
    bin,
    "--id",
    id,
  ].map(shellQuote).join(" ");
  let screen = "";
  let timedOut = false;
  let stage = "start";
  try {
    await tmux(socket, [
      "new-session",
      "-d",
      "-x",
      "200",
      "-y",
      "50",
      "-c",
      options.cwd,
      `${command}; sleep 30`,
    ]);
    const deadline = started + timeoutMs;
    stage = "waiting for the prompt box";
    while (!(screen = await tmux(socket, ["capture-pane", "-p"])).includes("Ask anything")) {
      if (performance.now() > deadline) {
        timedOut = true;
        break;
      }
      await sleep(500);
    }
    if (!timedOut) {
      stage = "answering";
      await tmux(socket, ["load-buffer", promptFile]);
      await tmux(socket, ["paste-buffer", "-p", "-r", "-d"]);
      await sleep(1000);
      await tmux(socket, ["send-keys", "Enter"]);
      let last = "";
      let stableSince = performance.now();
      const sent = performance.now();
      while (performance.now() < deadline) {
        await sleep(500);
        screen = await tmux(socket, ["capture-pane", "-p"]);
        if (screen !== last) {
          last = screen;
          stableSince = performance.now();
        } else if (
          performance.now() - stableSince > 3000 && performance.now() - sent > 4000 &&
          screen.includes("Ask anything")
        ) break;
      }
      if (performance.now() >= deadline) timedOut = true;
    }
    screen = await tmux(socket, ["capture-pane", "-p", "-S", "-5000"]);
  } finally {
    await tmux(socket, ["kill-server"]).catch(() => "");
    await Deno.remove(promptFile).catch(() => {});
    if (options.env.HOME !== undefined) await killProcessesWithHome(options.env.HOME);
  }
  return {
    code: timedOut ? null : 0,
    signal: null,
    stdout: screen,
    stderr: timedOut ? `timed out ${stage}\n${screen}` : "",
    timedOut,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The Cline CLI, `cline`. */
export const clineCli: CliDefinition = {
  provider: "cline",
  alias: "cln",
  npmPackage: "cline",
  version: "3.0.65",
  bin: "cline",
  wire: "chat",
  parallelToolCalls: true,
  env: () => ({ CLINE_SESSION_BACKEND_MODE: "local" }),
  prepareHome: async ({ home, baseUrl }: CliContext) => {
    await writeProviders(home, baseUrl);
    await relocateRows(home);
  },
  // A single bare word is refused ("Unknown command or unquoted prompt"); the prompts have spaces.
  newSessionArgs: (prompt) => [prompt],
  resumeArgs: (sessionId, prompt) => Promise.resolve(["--id", sessionId, prompt]),
  sessionFiles: clineSessions,
  historyFromRequest,
  fixtureCopy,
  extraFiles: async (home, transcript) => {
    const id = transcript.slice(transcript.lastIndexOf("/") + 1, -".messages.json".length);
    const manifest = transcript.replace(/\.messages\.json$/, ".json");
    const db = `${dataDir(home)}/db/sessions.db`;
    await checkpoint(db);
    const out: string[] = [];
    if (id !== "" && await exists(manifest)) out.push(manifest);
    if (await exists(db)) out.push(db);
    return out;
  },
  run: runCline,
  seedHome: async (home) => {
    // A Cline user has configured a provider; casr copies it into the sessions row.
    await writeProviders(home, "http://127.0.0.1:9");
  },
};
