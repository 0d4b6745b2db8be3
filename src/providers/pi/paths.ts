/**
 * Pi coding agent storage locations: the agent dir, its overrides, the
 * per-project session folder naming rule and the session id rule.
 *
 * @module
 */
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";

/** The environment variables that move Pi's storage, strongest first. */
export const PI_ENV_VARS = ["PI_CODING_AGENT_SESSION_DIR", "PI_CODING_AGENT_DIR"] as const;

function expandHome(value: string, home: string): string {
  if (value === "~") return home;
  if (value.startsWith("~/")) return path.join(home, value.slice(2));
  return value;
}

function envDir(ctx: ProviderContext, name: string): string | undefined {
  const value = ctx.env[name];
  if (value === undefined || value.trim() === "") return undefined;
  return path.resolve(ctx.cwd, expandHome(value.trim(), ctx.homeDir));
}

/**
 * The agent dir: `PI_CODING_AGENT_DIR`, else `<home>/.pi/agent`.
 *
 * @param ctx Where to look.
 * @returns The absolute directory.
 */
export function piAgentDir(ctx: ProviderContext): string {
  return envDir(ctx, "PI_CODING_AGENT_DIR") ?? path.join(ctx.homeDir, ".pi", "agent");
}

/**
 * The flat session dir set by `PI_CODING_AGENT_SESSION_DIR` (every session
 * directly inside, no per-project folder), when set. The `sessionDir` setting
 * and `--session-dir` are not read.
 *
 * @param ctx Where to look.
 * @returns The absolute directory, or `undefined`.
 */
export function piFlatSessionDir(ctx: ProviderContext): string | undefined {
  return envDir(ctx, "PI_CODING_AGENT_SESSION_DIR");
}

/**
 * Every root that may hold sessions, the write root first: the flat session
 * dir when set, then `<agent dir>/sessions` (per-project folders).
 *
 * @param ctx Where to look.
 * @returns Distinct absolute directories.
 */
export function piRoots(ctx: ProviderContext): string[] {
  const roots: string[] = [];
  const flat = piFlatSessionDir(ctx);
  if (flat !== undefined) roots.push(flat);
  const sessions = path.join(piAgentDir(ctx), "sessions");
  if (!roots.includes(sessions)) roots.push(sessions);
  return roots;
}

/**
 * The session folder name of a project directory: `--` + the path without its
 * leading separator, every `/`, `\` and `:` as `-`, + `--` (no other escaping).
 *
 * @param workspace The absolute project directory.
 * @returns The folder name.
 *
 * @example
 * ```ts
 * import { encodeProjectDir } from "./paths.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(encodeProjectDir("/home/dev/my_proj"), "--home-dev-my_proj--");
 * assert.equal(encodeProjectDir("C:\\Users\\me"), "--C--Users-me--");
 * ```
 */
export function encodeProjectDir(workspace: string): string {
  return `--${workspace.replace(/^[/\\]/, "").replace(/[/\\:]/g, "-")}--`;
}

/**
 * The directory new sessions for `workspace` go to.
 *
 * @param ctx Where to look.
 * @param workspace The absolute project directory.
 * @returns The flat session dir when set, else `<agent dir>/sessions/<encoded>`.
 */
export function piSessionDirFor(ctx: ProviderContext, workspace: string): string {
  return piFlatSessionDir(ctx) ??
    path.join(piAgentDir(ctx), "sessions", encodeProjectDir(workspace));
}

/**
 * The file name Pi gives a session: `<ISO time with ':' and '.' as '-'>_<id>.jsonl`.
 *
 * @param time Creation time, epoch ms.
 * @param id The session id.
 * @returns The file name.
 */
export function sessionFileName(time: number, id: string): string {
  return `${new Date(time).toISOString().replace(/[:.]/g, "-")}_${id}.jsonl`;
}

/**
 * Whether Pi accepts `id` as a session id (`--session-id` rule): alphanumerics,
 * `.`, `_` and `-`, starting and ending with an alphanumeric.
 *
 * @param id The candidate id.
 * @returns `true` when valid.
 */
export function isValidSessionId(id: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(id);
}
