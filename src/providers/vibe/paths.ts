/**
 * Where Mistral Vibe keeps its sessions.
 *
 * `VIBE_HOME` (else `~/.vibe`) holds `config.toml` and, by default, the session
 * logs in `logs/session/<prefix>_<YYYYMMDD_HHMMSS>_<id[:8]>/`. The config's
 * `[session_logging]` table (`save_dir`, `session_prefix`), or the environment
 * variables `VIBE_SESSION_LOGGING__SAVE_DIR` / `VIBE_SESSION_LOGGING__SESSION_PREFIX`,
 * move them (mistralai/mistral-vibe 2.18.4: `vibe/core/paths/_vibe_home.py`,
 * `vibe/core/config/models.py`, `vibe/core/config/layers/environment.py`).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";

/** The Vibe home override. */
export const VIBE_HOME_ENV = "VIBE_HOME";
/** Vibe's environment form of `session_logging.save_dir`. */
export const VIBE_SAVE_DIR_ENV = "VIBE_SESSION_LOGGING__SAVE_DIR";
/** Vibe's environment form of `session_logging.session_prefix`. */
export const VIBE_PREFIX_ENV = "VIBE_SESSION_LOGGING__SESSION_PREFIX";
/** Every variable that moves Vibe's sessions. */
export const VIBE_ENV_VARS = [VIBE_HOME_ENV, VIBE_SAVE_DIR_ENV, VIBE_PREFIX_ENV] as const;
/** The default session directory prefix. */
export const DEFAULT_PREFIX = "session";
/** The conversation file of a session directory. */
export const MESSAGES_FILE = "messages.jsonl";
/** The metadata file of a session directory. */
export const META_FILE = "meta.json";

function expandHome(value: string, ctx: ProviderContext): string {
  if (value === "~") return ctx.homeDir;
  if (value.startsWith("~/")) return path.join(ctx.homeDir, value.slice(2));
  return value;
}

/**
 * The Vibe home: `VIBE_HOME` (with `~` expanded) or `<home>/.vibe`.
 *
 * @param ctx Environment and home directory.
 * @returns The absolute directory (it may not exist).
 */
export function vibeHome(ctx: ProviderContext): string {
  const env = ctx.env[VIBE_HOME_ENV];
  if (env !== undefined && env.trim() !== "") {
    return path.resolve(ctx.cwd, expandHome(env.trim(), ctx));
  }
  return path.join(ctx.homeDir, ".vibe");
}

/** Where sessions are saved and how their directories are named. */
export interface VibeSessionConfig {
  /** The session log directory. */
  saveDir: string;
  /** The directory name prefix (`session`). */
  prefix: string;
}

/** A TOML basic ("…") or literal ('…') string value, else `undefined`. */
function tomlString(raw: string): string | undefined {
  const value = raw.trim();
  const basic = /^"((?:[^"\\]|\\.)*)"\s*(#.*)?$/.exec(value);
  if (basic) {
    try {
      return JSON.parse(`"${basic[1]}"`) as string;
    } catch {
      return undefined;
    }
  }
  const literal = /^'([^']*)'\s*(#.*)?$/.exec(value);
  return literal ? literal[1] : undefined;
}

/**
 * Reads `save_dir` and `session_prefix` from a Vibe `config.toml`: the
 * `[session_logging]` table or dotted `session_logging.<key>` lines. Only
 * string values are understood; anything else is ignored.
 *
 * @param text The TOML text.
 * @returns The values found.
 */
export function parseSessionLogging(text: string): { saveDir?: string; prefix?: string } {
  const out: { saveDir?: string; prefix?: string } = {};
  let table = "";
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[\s*([^\]]+?)\s*\]\s*(#.*)?$/.exec(line);
    if (header) {
      table = (header[1] ?? "").replace(/\s+/g, "");
      continue;
    }
    const pair = /^([A-Za-z0-9_."' -]+?)\s*=\s*(.+)$/.exec(line);
    if (!pair) continue;
    const key = (table === "" ? "" : `${table}.`) + (pair[1] ?? "").replace(/["'\s]/g, "");
    const value = tomlString(pair[2] ?? "");
    if (value === undefined) continue;
    if (key === "session_logging.save_dir") out.saveDir = value;
    if (key === "session_logging.session_prefix") out.prefix = value;
  }
  return out;
}

/**
 * Where Vibe saves sessions: the environment overrides, then the user's
 * `<VIBE_HOME>/config.toml`, then `<VIBE_HOME>/logs/session` with prefix `session`.
 * (A project's trusted `.vibe/config.toml` is not read.)
 *
 * @param ctx Environment and home directory.
 * @returns The session directory and prefix.
 */
export function vibeSessionConfig(ctx: ProviderContext): VibeSessionConfig {
  const home = vibeHome(ctx);
  let fromFile: { saveDir?: string; prefix?: string } = {};
  try {
    fromFile = parseSessionLogging(readFileSync(path.join(home, "config.toml"), "utf8"));
  } catch {
    // no config file, or unreadable: defaults
  }
  const envDir = ctx.env[VIBE_SAVE_DIR_ENV]?.trim();
  const envPrefix = ctx.env[VIBE_PREFIX_ENV]?.trim();
  const dir = envDir || fromFile.saveDir || "";
  const prefix = envPrefix || fromFile.prefix || DEFAULT_PREFIX;
  const saveDir = dir === ""
    ? path.join(home, "logs", "session")
    : path.resolve(ctx.cwd, expandHome(dir, ctx));
  return { saveDir, prefix: prefix.replace(/[/\\]/g, "_") };
}

/**
 * The session directory name Vibe uses: `<prefix>_<UTC YYYYMMDD_HHMMSS>_<id[:8]>`.
 *
 * @param prefix The prefix.
 * @param time Creation time, epoch ms.
 * @param id The session id.
 * @returns The directory name.
 */
export function sessionDirName(prefix: string, time: number, id: string): string {
  const iso = new Date(time).toISOString();
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}_${iso.slice(11, 13)}${
    iso.slice(14, 16)
  }${iso.slice(17, 19)}`;
  return `${prefix}_${stamp}_${id.slice(0, 8)}`;
}

/** Whether a directory name has Vibe's `<prefix>_YYYYMMDD_HHMMSS_<short id>` shape. */
export function isSessionDirName(name: string, prefix?: string): boolean {
  const m = /^(.+)_\d{8}_\d{6}_([^_/\\]{1,8})$/.exec(name);
  return m !== null && (prefix === undefined || m[1] === prefix);
}
