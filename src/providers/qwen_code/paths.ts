/**
 * Qwen Code storage locations: the runtime dir, its overrides, the project
 * folder naming rule and the session id rule of `qwen --resume <id>`.
 *
 * @module
 */
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";

/** The environment variables that move the Qwen Code session store, strongest first. */
export const QWEN_ENV_VARS = ["QWEN_RUNTIME_DIR", "QWEN_HOME"] as const;

function expandHome(value: string, home: string): string {
  if (value === "~") return home;
  if (value.startsWith("~/")) return path.join(home, value.slice(2));
  return value;
}

/**
 * The runtime dir where new sessions go: `QWEN_RUNTIME_DIR`, else `QWEN_HOME`,
 * else `<home>/.qwen` (the `advanced.runtimeOutputDir` setting is not read).
 *
 * @param ctx Where to look.
 * @returns The absolute directory.
 */
export function qwenRuntimeDir(ctx: ProviderContext): string {
  for (const name of QWEN_ENV_VARS) {
    const value = ctx.env[name];
    if (value !== undefined && value.trim() !== "") {
      return path.resolve(ctx.cwd, expandHome(value.trim(), ctx.homeDir));
    }
  }
  return path.join(ctx.homeDir, ".qwen");
}

/**
 * Every root that may hold sessions, the write root first: the runtime dir,
 * then the global dir (`QWEN_HOME` or `~/.qwen`) when it differs.
 *
 * @param ctx Where to look.
 * @returns Distinct absolute directories.
 */
export function qwenRoots(ctx: ProviderContext): string[] {
  const roots = [qwenRuntimeDir(ctx)];
  const home = ctx.env.QWEN_HOME;
  const global = home !== undefined && home.trim() !== ""
    ? path.resolve(ctx.cwd, expandHome(home.trim(), ctx.homeDir))
    : path.join(ctx.homeDir, ".qwen");
  if (!roots.includes(global)) roots.push(global);
  return roots;
}

/**
 * The project folder name of a project root: every character outside
 * `[A-Za-z0-9]` becomes `-` (no collapsing, no length limit), like the CLI's
 * `sanitizeCwd`.
 *
 * @param workspace The absolute project root.
 * @returns The folder name.
 *
 * @example
 * ```ts
 * import { projectId } from "./paths.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(projectId("/home/dev/my_proj"), "-home-dev-my-proj");
 * ```
 */
export function projectId(workspace: string): string {
  return workspace.replace(/[^A-Za-z0-9]/g, "-");
}

/** The names the CLI lists as sessions: `<32–36 hex or dash>.jsonl`. */
export function isSessionFileName(name: string): boolean {
  return /^[0-9a-fA-F-]{32,36}\.jsonl$/.test(name);
}

/**
 * Whether `qwen --resume <id>` takes `id` as a session id: an RFC-4122 UUID
 * with version 1–5 and variant 8–b (a UUIDv7 is taken as a title).
 *
 * @param id The candidate id.
 * @returns `true` when the CLI resumes it by id.
 */
export function isResumableId(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id);
}
