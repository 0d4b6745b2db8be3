/**
 * Where the Antigravity CLI (`agy`) keeps conversations:
 * `~/.gemini/antigravity-cli/` with `conversations/<uuid>.db` (SQLite holding
 * an undocumented protobuf trajectory) and
 * `brain/<uuid>/.system_generated/logs/transcript.jsonl` (a clean log of the
 * same conversation, which casr reads).
 *
 * @module
 */
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";

/**
 * casr's override naming the `.gemini` directory (shared with the Gemini CLI
 * provider; agy itself documents no override).
 */
export const GEMINI_HOME_ENV = "GEMINI_HOME";
/** The variables that move the Antigravity root. */
export const ANTIGRAVITY_ENV_VARS = [GEMINI_HOME_ENV] as const;

/**
 * The agy data directory: `<GEMINI_HOME or ~/.gemini>/antigravity-cli`.
 *
 * @param ctx Environment and home directory.
 * @returns The absolute directory (it may not exist).
 */
export function antigravityRoot(ctx: ProviderContext): string {
  const gemini = ctx.env[GEMINI_HOME_ENV];
  const base = gemini !== undefined && gemini.trim() !== ""
    ? path.resolve(ctx.cwd, gemini.trim())
    : path.join(ctx.homeDir, ".gemini");
  return path.join(base, "antigravity-cli");
}

/**
 * The transcript of one conversation.
 *
 * @param root The agy data directory.
 * @param id The conversation uuid.
 * @returns `<root>/brain/<id>/.system_generated/logs/transcript.jsonl`.
 */
export function transcriptPath(root: string, id: string): string {
  return path.join(root, "brain", id, ".system_generated", "logs", "transcript.jsonl");
}

/**
 * The protobuf database of one conversation.
 *
 * @param root The agy data directory.
 * @param id The conversation uuid.
 * @returns `<root>/conversations/<id>.db`.
 */
export function databasePath(root: string, id: string): string {
  return path.join(root, "conversations", `${id}.db`);
}

const TRANSCRIPT_RE =
  /[/\\]brain[/\\]([^/\\]+)[/\\]\.system_generated[/\\]logs[/\\]transcript\.jsonl$/;
const DATABASE_RE = /[/\\]conversations[/\\]([^/\\]+)\.db$/;

/**
 * The conversation a path belongs to, from the layout alone.
 *
 * @param file A transcript or database path.
 * @returns The id and the data directory, or `undefined` for other paths.
 */
export function conversationOf(
  file: string,
): { id: string; root: string; kind: "transcript" | "database" } | undefined {
  const t = TRANSCRIPT_RE.exec(file);
  if (t) {
    return {
      id: t[1] as string,
      root: path.resolve(file, "..", "..", "..", "..", ".."),
      kind: "transcript",
    };
  }
  const d = DATABASE_RE.exec(file);
  if (d) return { id: d[1] as string, root: path.resolve(file, "..", ".."), kind: "database" };
  return undefined;
}
