/**
 * Kimi Code storage locations: the data root, its override, the per-directory
 * session bucket (`workDirKey`) and the session id rule.
 *
 * @module
 */
import * as path from "node:path";
import { createHash } from "node:crypto";
import type { ProviderContext } from "../types.ts";

/** The environment variable that moves the Kimi Code data root. */
export const KIMI_ENV_VARS = ["KIMI_CODE_HOME"] as const;

/**
 * The Kimi Code data root: `KIMI_CODE_HOME` if set, else `<home>/.kimi-code`.
 *
 * @param ctx Where to look.
 * @returns The absolute root directory.
 */
export function kimiRoot(ctx: ProviderContext): string {
  const value = ctx.env.KIMI_CODE_HOME;
  if (value !== undefined && value.trim() !== "") return path.resolve(ctx.cwd, value.trim());
  return path.join(ctx.homeDir, ".kimi-code");
}

/**
 * The folder holding one bucket per working directory.
 *
 * @param root The data root.
 * @returns `<root>/sessions`.
 */
export function sessionsDir(root: string): string {
  return path.join(root, "sessions");
}

const MAX_SLUG = 40;

function slugify(name: string): string {
  const trim = (s: string) => s.replace(/^-+|-+$/g, "");
  const slug = trim(trim(name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-")).slice(0, MAX_SLUG));
  return slug === "" || slug === "." || slug === ".." ? "workspace" : slug;
}

/**
 * The bucket folder name of a working directory, as Kimi Code 2.1.0 computes
 * it: `wd_<slug of the last path segment>_<first 12 hex of SHA-256 of the path>`
 * (backslashes as `/`, trailing slashes removed). `kimi -r <id>` looks for the
 * session only in the bucket of the directory it runs in.
 *
 * @param workDir The absolute working directory.
 * @returns The bucket name.
 *
 * @example
 * ```ts
 * import { workDirKey } from "./paths.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(workDirKey("/tmp/kimi-x/ws"), "wd_ws_88fe34a8884e");
 * ```
 */
export function workDirKey(workDir: string): string {
  const normalized = workDir.replace(/\\/g, "/").replace(/\/+$/, "");
  const last = normalized.split("/").pop() ?? normalized;
  const hash = createHash("sha256").update(normalized).digest("hex").slice(0, 12);
  return `wd_${slugify(last)}_${hash}`;
}

/**
 * The directory of one session.
 *
 * @param root The data root.
 * @param workDir The session's working directory.
 * @param id The session id (the directory name).
 * @returns `<root>/sessions/<workDirKey>/<id>`.
 */
export function sessionDir(root: string, workDir: string, id: string): string {
  return path.join(sessionsDir(root), workDirKey(workDir), id);
}

/**
 * The main agent's record log inside a session directory.
 *
 * @param dir The session directory.
 * @returns `<dir>/agents/main/wire.jsonl`.
 */
export function mainWirePath(dir: string): string {
  return path.join(dir, "agents", "main", "wire.jsonl");
}

/**
 * The session directory of a main wire file (`<dir>/agents/main/wire.jsonl`).
 *
 * @param wirePath The wire file.
 * @returns The session directory, or `undefined` when the path is not shaped so.
 */
export function sessionDirOfWire(wirePath: string): string | undefined {
  const main = path.dirname(wirePath);
  const agents = path.dirname(main);
  if (path.basename(wirePath) !== "wire.jsonl") return undefined;
  if (path.basename(main) !== "main" || path.basename(agents) !== "agents") return undefined;
  return path.dirname(agents);
}

/**
 * Whether a name can be a session directory that casr writes: letters,
 * digits, `.`, `_`, `-` (the CLI makes `session_<uuid>`; any folder name resumes).
 *
 * @param id The candidate id.
 * @returns `true` when it is safe as one path segment.
 */
export function isSessionIdSafe(id: string): boolean {
  return /^[A-Za-z0-9._-]{1,200}$/.test(id) && id !== "." && id !== "..";
}
