/**
 * Claude Code storage locations: the config root, its environment overrides
 * and the project-folder naming rule.
 *
 * @module
 */
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";

/** The environment variables that move the Claude Code root, strongest first. */
export const CLAUDE_ENV_VARS = ["CLAUDE_CONFIG_DIR", "CLAUDE_HOME"] as const;

/** The longest sanitized project key kept whole; longer keys get a hash suffix. */
export const MAX_PROJECT_KEY_LENGTH = 200;

/**
 * The Claude Code root: `CLAUDE_CONFIG_DIR` if set, else `CLAUDE_HOME` if
 * set, else `<home>/.claude`. NFC-normalised like the CLI does.
 *
 * @param ctx Where to look.
 * @returns The absolute root directory.
 */
export function claudeRoot(ctx: ProviderContext): string {
  for (const name of CLAUDE_ENV_VARS) {
    const value = ctx.env[name];
    if (value !== undefined && value.trim() !== "") return path.resolve(value.normalize("NFC"));
  }
  return path.join(ctx.homeDir, ".claude").normalize("NFC");
}

/**
 * The folder that holds every project's transcripts.
 *
 * @param root The Claude Code root.
 * @returns `<root>/projects`.
 */
export function projectsDir(root: string): string {
  return path.join(root, "projects");
}

/**
 * The JS 32-bit string hash (`h = h * 31 + c`, wrapped to int32), absolute
 * value in base 36 — what the SDK uses for long project keys.
 *
 * @param text The string to hash.
 * @returns The base-36 digits.
 */
export function simpleHash(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return Math.abs(h).toString(36);
}

/**
 * Replaces every UTF-16 code unit that is not ASCII `A-Za-z0-9` with `-`
 * (so an emoji becomes two dashes; runs are not collapsed).
 *
 * @param workspace The absolute working directory.
 * @returns The sanitized string, untruncated.
 */
export function sanitizeProjectPath(workspace: string): string {
  return workspace.replace(/[^A-Za-z0-9]/g, "-");
}

/**
 * The project folder name for a working directory (the CLI's rule). Keys of
 * up to 200 characters are the sanitized path itself. Longer keys are cut to
 * 200 characters plus `-` plus a hash; because the CLI's hash (`Bun.hash`)
 * cannot be reproduced, an existing folder with the same 200-character prefix
 * and `-` is reused when one is given in `existing`.
 *
 * @param workspace The absolute working directory.
 * @param existing Names of the folders already in `projects/`.
 * @returns The folder name.
 *
 * @example Short and long paths
 * ```ts
 * import { projectKey } from "./paths.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(projectKey("/Users/me/my_repo.v2"), "-Users-me-my-repo-v2");
 * const long = "/" + "a".repeat(250);
 * const key = projectKey(long);
 * assert.equal(key.slice(0, 201), "-" + "a".repeat(199) + "-");
 * assert.equal(projectKey(long, [key.slice(0, 201) + "zzz"]), key.slice(0, 201) + "zzz");
 * ```
 */
export function projectKey(workspace: string, existing: readonly string[] = []): string {
  const sanitized = sanitizeProjectPath(workspace);
  if (sanitized.length <= MAX_PROJECT_KEY_LENGTH) return sanitized;
  const prefix = sanitized.slice(0, MAX_PROJECT_KEY_LENGTH) + "-";
  const reuse = existing.filter((name) => name.startsWith(prefix)).sort()[0];
  return reuse ?? prefix + simpleHash(workspace);
}

/**
 * Whether a transcript file name is a main session (`<uuid>.jsonl`), not a
 * subagent transcript (`agent-*.jsonl`) or anything else.
 *
 * @param name The file name.
 * @returns `true` for `<uuid>.jsonl`.
 */
export function isSessionFileName(name: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.jsonl$/i.test(name);
}
