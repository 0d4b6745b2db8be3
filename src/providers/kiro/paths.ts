/**
 * Kiro CLI storage locations, one per session-store generation:
 * - G1: the SQLite `data.sqlite3` in Kiro's data dir (`<data-local-dir>/kiro-cli/`);
 * - G2: `~/.kiro/sessions/cli/<uuid>.{json,jsonl}`;
 * - G3: `~/.kiro/sessions/<workspace-hash>/sess_<uuid>/{session.json,messages.jsonl}`.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext } from "../types.ts";

/**
 * The variables casr reads: `KIRO_HOME` (casr's own override of the `.kiro`
 * folder; Kiro itself does not read it), `KIRO_TEST_SESSIONS_DIR` (Kiro's own
 * override of the G2 folder), `XDG_DATA_HOME` and `LOCALAPPDATA` (the G1 data dir).
 */
export const KIRO_ENV_VARS = [
  "KIRO_HOME",
  "KIRO_TEST_SESSIONS_DIR",
  "XDG_DATA_HOME",
  "LOCALAPPDATA",
] as const;

function envPath(ctx: ProviderContext, name: string): string | undefined {
  const value = ctx.env[name];
  return value !== undefined && value.trim() !== "" ? nodePath.resolve(value) : undefined;
}

/**
 * The `.kiro` folder: `KIRO_HOME`, else `<home>/.kiro`.
 *
 * @param ctx Where to look.
 * @returns The absolute path.
 */
export function kiroHome(ctx: ProviderContext): string {
  return envPath(ctx, "KIRO_HOME") ?? nodePath.join(ctx.homeDir, ".kiro");
}

/**
 * The G2 folder: `KIRO_TEST_SESSIONS_DIR`, else `<.kiro>/sessions/cli`.
 *
 * @param ctx Where to look.
 * @returns The absolute path.
 */
export function kiroG2Dir(ctx: ProviderContext): string {
  return envPath(ctx, "KIRO_TEST_SESSIONS_DIR") ?? nodePath.join(kiroHome(ctx), "sessions", "cli");
}

/**
 * The folder whose sub-folders (other than `cli`) hold G3 sessions.
 *
 * @param ctx Where to look.
 * @returns `<.kiro>/sessions`.
 */
export function kiroSessionsDir(ctx: ProviderContext): string {
  return nodePath.join(kiroHome(ctx), "sessions");
}

/**
 * The candidate G1 data dirs (`kiro-cli` under the platform's local data dir):
 * `$XDG_DATA_HOME` or `~/.local/share` (Linux), `~/Library/Application Support`
 * (macOS) and `%LOCALAPPDATA%` (Windows).
 *
 * @param ctx Where to look.
 * @returns Absolute paths, without duplicates.
 */
export function kiroG1Dirs(ctx: ProviderContext): string[] {
  const bases = [
    envPath(ctx, "XDG_DATA_HOME") ?? nodePath.join(ctx.homeDir, ".local", "share"),
    nodePath.join(ctx.homeDir, "Library", "Application Support"),
  ];
  const local = envPath(ctx, "LOCALAPPDATA");
  if (local !== undefined) bases.push(local);
  return [...new Set(bases.map((b) => nodePath.join(b, "kiro-cli")))];
}

/** The separator between the G1 database path and a conversation id. */
const SEP = "#";

/**
 * The path casr shows for a G1 conversation: `<db>#<conversation id>`.
 *
 * @param db The database file.
 * @param id The conversation id.
 * @returns The locator.
 */
export function g1Ref(db: string, id: string): string {
  return `${db}${SEP}${id}`;
}

/**
 * Splits `<db>#<id>` when the part before `#` names a `data.sqlite3` file.
 *
 * @param ref A path, maybe with a `#<id>` suffix.
 * @returns The parts, or `undefined`.
 */
export function parseG1Ref(ref: string): { db: string; id: string } | undefined {
  const at = ref.lastIndexOf(SEP);
  if (at <= 0) return undefined;
  const db = ref.slice(0, at);
  const id = ref.slice(at + 1);
  if (!/\.sqlite3$/.test(db) || id === "") return undefined;
  return { db, id };
}

/** Which store a path belongs to. */
export type KiroGeneration = "g1" | "g2" | "g3";

/**
 * The generation of a session path: a `#` locator or `.sqlite3` file is G1,
 * `messages.jsonl`/`session.json` in a `sess_*` folder is G3, else G2.
 *
 * @param path The session path.
 * @returns The generation.
 */
export function generationOf(path: string): KiroGeneration {
  if (parseG1Ref(path) !== undefined || path.endsWith(".sqlite3")) return "g1";
  const base = nodePath.basename(path);
  if (
    (base === "messages.jsonl" || base === "session.json") &&
    nodePath.basename(nodePath.dirname(path)).startsWith("sess_")
  ) return "g3";
  return "g2";
}
