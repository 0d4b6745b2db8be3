/**
 * GitHub Copilot CLI storage locations.
 *
 * @module
 */
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";

/** The environment variable that moves the Copilot CLI root. */
export const COPILOT_ENV_VARS = ["COPILOT_HOME"] as const;

/**
 * The Copilot CLI root: `COPILOT_HOME` if set, else `<home>/.copilot`.
 *
 * @param ctx Where to look.
 * @returns The absolute root directory.
 */
export function copilotRoot(ctx: ProviderContext): string {
  const value = ctx.env.COPILOT_HOME;
  if (value !== undefined && value.trim() !== "") return path.resolve(value);
  return path.join(ctx.homeDir, ".copilot");
}

/**
 * The folder holding one directory per session.
 *
 * @param root The Copilot root.
 * @returns `<root>/session-state`.
 */
export function sessionStateDir(root: string): string {
  return path.join(root, "session-state");
}

/**
 * The event log of one session.
 *
 * @param root The Copilot root.
 * @param id The session id (the directory name).
 * @returns `<root>/session-state/<id>/events.jsonl`.
 */
export function eventsPath(root: string, id: string): string {
  return path.join(sessionStateDir(root), id, "events.jsonl");
}
