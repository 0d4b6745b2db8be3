/**
 * Factory Droid storage locations: the `.factory` root, its override, the
 * per-cwd session folder rule and session file names.
 *
 * @module
 */
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";

/**
 * The environment variable that moves Droid's root: `FACTORY_HOME_OVERRIDE=<dir>`
 * makes droid use `<dir>/.factory` (it replaces HOME, not `.factory`).
 */
export const FACTORY_ENV_VARS = ["FACTORY_HOME_OVERRIDE"] as const;

/**
 * The Droid root: `<FACTORY_HOME_OVERRIDE>/.factory`, else `<home>/.factory`.
 *
 * @param ctx Where to look.
 * @returns The absolute root directory.
 */
export function factoryRoot(ctx: ProviderContext): string {
  const value = ctx.env.FACTORY_HOME_OVERRIDE;
  if (value !== undefined && value.trim() !== "") {
    return path.join(path.resolve(ctx.cwd, value.trim()), ".factory");
  }
  return path.join(ctx.homeDir, ".factory");
}

/**
 * The folder holding one sub-folder per working directory.
 *
 * @param root The Droid root.
 * @returns `<root>/sessions`.
 */
export function sessionsDir(root: string): string {
  return path.join(root, "sessions");
}

/**
 * The session folder name of a working directory: every `/` becomes `-`,
 * nothing else changes (spaces, dots, case and non-ASCII stay), as droid
 * 0.225.2 does. The rule cannot be reversed; the real cwd is in `session_start`.
 *
 * @param cwd The absolute working directory.
 * @returns The folder name.
 *
 * @example
 * ```ts
 * import { cwdSlug } from "./paths.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(cwdSlug("/home/dev/My ws_v1.2-ü"), "-home-dev-My ws_v1.2-ü");
 * ```
 */
export function cwdSlug(cwd: string): string {
  return cwd.replaceAll("/", "-");
}

/**
 * The transcript of a session.
 *
 * @param root The Droid root.
 * @param cwd The session's working directory.
 * @param id The session id.
 * @returns `<root>/sessions/<slug(cwd)>/<id>.jsonl`.
 */
export function sessionPath(root: string, cwd: string, id: string): string {
  return path.join(sessionsDir(root), cwdSlug(cwd), `${id}.jsonl`);
}

/** Whether a file name is a session transcript (`<uuid>.jsonl`, not a sidecar). */
export function isSessionFileName(name: string): boolean {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\.jsonl$/
    .test(name);
}

/**
 * The per-session settings sidecar next to a transcript.
 *
 * @param transcript The `<id>.jsonl` path.
 * @returns The `<id>.settings.json` path.
 */
export function settingsPath(transcript: string): string {
  return transcript.replace(/\.jsonl$/, "") + ".settings.json";
}
