/**
 * OpenClaw and ClawdBot storage locations.
 *
 * OpenClaw (≥ 2026.7) keeps sessions in a per-agent SQLite database,
 * `<state>/agents/<agentId>/agent/openclaw-agent.sqlite`, and imports Pi JSONL
 * files dropped into `<state>/agents/<agentId>/sessions/` when
 * `openclaw doctor --session-sqlite import` runs. Its state dir is
 * `OPENCLAW_STATE_DIR`, else `~/.openclaw` when it exists, else the legacy
 * `~/.clawdbot` when that exists, else `~/.openclaw` (`~` is `OPENCLAW_HOME`
 * when set). ClawdBot (its name until January 2026) kept the same JSONL files
 * under `CLAWDBOT_STATE_DIR` or `~/.clawdbot`.
 *
 * A session inside a database has the path `<db>#<sessionId>`.
 *
 * @module
 */
import * as nodePath from "node:path";
import { isDir } from "../../internal/fs.ts";
import type { ProviderContext } from "../types.ts";

/** The environment variables that move OpenClaw's state dir, strongest first. */
export const OPENCLAW_ENV_VARS = ["OPENCLAW_STATE_DIR", "OPENCLAW_HOME"] as const;

/** The environment variable that moved ClawdBot's state dir. */
export const CLAWDBOT_ENV_VARS = ["CLAWDBOT_STATE_DIR"] as const;

/** The agent new sessions are written for (OpenClaw's default agent). */
export const DEFAULT_AGENT_ID = "main";

/** The file name of an agent's database. */
export const AGENT_DB_NAME = "openclaw-agent.sqlite";

/** The header version OpenClaw 2026.9.6 stores; ClawdBot's Pi 0.49.3 wrote 3. */
export const OPENCLAW_HEADER_VERSION = 4;

function expandHome(value: string, home: string): string {
  if (value === "~") return home;
  if (value.startsWith("~/")) return nodePath.join(home, value.slice(2));
  return value;
}

function envPath(ctx: ProviderContext, name: string, home: string): string | undefined {
  const value = ctx.env[name]?.trim();
  if (value === undefined || value === "") return undefined;
  return nodePath.resolve(ctx.cwd, expandHome(value, home));
}

/**
 * The home OpenClaw resolves its default paths against: `OPENCLAW_HOME`, else the user's home.
 *
 * @param ctx Where to look.
 * @returns An absolute directory.
 */
export function openClawHome(ctx: ProviderContext): string {
  return envPath(ctx, "OPENCLAW_HOME", ctx.homeDir) ?? ctx.homeDir;
}

/**
 * Every directory OpenClaw may use as its state dir, in its order of
 * preference: `OPENCLAW_STATE_DIR` alone when set, else `~/.openclaw` and the
 * legacy `~/.clawdbot`.
 *
 * @param ctx Where to look.
 * @returns Absolute directories (they may not exist).
 */
export function openClawStateDirs(ctx: ProviderContext): string[] {
  const home = openClawHome(ctx);
  const explicit = envPath(ctx, "OPENCLAW_STATE_DIR", home);
  if (explicit !== undefined) return [explicit];
  return [nodePath.join(home, ".openclaw"), nodePath.join(home, ".clawdbot")];
}

/**
 * The state dir OpenClaw uses now, resolved like OpenClaw 2026.9.6 does.
 *
 * @param ctx Where to look.
 * @returns An absolute directory.
 */
export async function openClawStateDir(ctx: ProviderContext): Promise<string> {
  const dirs = openClawStateDirs(ctx);
  for (const dir of dirs) if (await isDir(dir)) return dir;
  return dirs[0] as string;
}

/**
 * ClawdBot's state dir: `CLAWDBOT_STATE_DIR`, else `~/.clawdbot`.
 *
 * @param ctx Where to look.
 * @returns An absolute directory.
 */
export function clawdbotStateDir(ctx: ProviderContext): string {
  return envPath(ctx, "CLAWDBOT_STATE_DIR", ctx.homeDir) ??
    nodePath.join(ctx.homeDir, ".clawdbot");
}

/**
 * An agent's database.
 *
 * @param stateDir The state dir.
 * @param agentId The agent id.
 * @returns The `openclaw-agent.sqlite` path.
 */
export function agentDbPath(stateDir: string, agentId: string): string {
  return nodePath.join(stateDir, "agents", agentId, "agent", AGENT_DB_NAME);
}

/**
 * An agent's JSONL sessions folder (import inputs for OpenClaw, the store of ClawdBot).
 *
 * @param stateDir The state dir.
 * @param agentId The agent id.
 * @returns The `sessions` directory.
 */
export function agentSessionsDir(stateDir: string, agentId: string): string {
  return nodePath.join(stateDir, "agents", agentId, "sessions");
}

/**
 * The agent id a path belongs to (`…/agents/<id>/…`), when it has one.
 *
 * @param path A database or session file path.
 * @returns The agent id.
 */
export function agentIdOf(path: string): string | undefined {
  const parts = path.replaceAll("\\", "/").split("/");
  const at = parts.lastIndexOf("agents");
  const id = at === -1 ? undefined : parts[at + 1];
  return id === undefined || id === "" ? undefined : id;
}

/**
 * The path of a session inside a database.
 *
 * @param db The database file.
 * @param id The session id.
 * @returns `<db>#<id>`.
 */
export function sessionRef(db: string, id: string): string {
  return `${db}#${id}`;
}

/**
 * Splits `<db>#<id>` (a bare path has no id).
 *
 * @param path A session path.
 * @returns The file and the session id, when given.
 */
export function parseSessionRef(path: string): { file: string; id?: string } {
  const at = path.lastIndexOf("#");
  if (at <= 0 || !path.slice(0, at).endsWith(".sqlite")) return { file: path };
  const id = path.slice(at + 1);
  return id === "" ? { file: path.slice(0, at) } : { file: path.slice(0, at), id };
}

/**
 * Whether `id` can name a session: OpenClaw takes any `--session-id`, but the
 * id is also the file name of the import input.
 *
 * @param id A candidate id.
 * @returns `true` for 1–128 characters of `[A-Za-z0-9._-]` not starting with a dot or dash.
 */
export function isSafeSessionId(id: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(id);
}
