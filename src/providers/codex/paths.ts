/**
 * Where Codex CLI keeps its data, and how rollout files are named.
 *
 * @module
 */
import * as path from "node:path";
import { isUuid } from "../../internal/ids.ts";
import type { ProviderContext } from "../types.ts";

/** The variable that moves the whole Codex home. */
export const CODEX_HOME_ENV = "CODEX_HOME";
/** The variable that moves only the SQLite state databases. */
export const CODEX_SQLITE_HOME_ENV = "CODEX_SQLITE_HOME";

/**
 * The Codex home: `CODEX_HOME` when set, else `<home>/.codex`.
 *
 * @param ctx Where to look.
 * @returns The absolute root directory (it may not exist).
 */
export function codexRoot(ctx: ProviderContext): string {
  const override = ctx.env[CODEX_HOME_ENV]?.trim();
  if (override) return path.resolve(ctx.cwd, override);
  return path.join(ctx.homeDir, ".codex");
}

/**
 * The directories that may hold `state_*.sqlite`: `CODEX_SQLITE_HOME` (else the
 * root), then its `sqlite/` subfolder.
 *
 * @param ctx Where to look.
 * @returns Candidate directories, most likely first.
 */
export function sqliteDirs(ctx: ProviderContext): string[] {
  const override = ctx.env[CODEX_SQLITE_HOME_ENV]?.trim();
  const base = override ? path.resolve(ctx.cwd, override) : codexRoot(ctx);
  return [base, path.join(base, "sqlite")];
}

/** The active rollouts folder of a root (`sessions/YYYY/MM/DD/…`). */
export function sessionsDir(root: string): string {
  return path.join(root, "sessions");
}

/** The archived rollouts folder of a root (flat). */
export function archivedDir(root: string): string {
  return path.join(root, "archived_sessions");
}

/** The thread-name index of a root. */
export function sessionIndexPath(root: string): string {
  return path.join(root, "session_index.jsonl");
}

const ROLLOUT_RE = /^rollout-.+\.(jsonl(\.zst)?|json)$/;

/**
 * Whether a file name looks like a rollout (`rollout-….jsonl`, `.jsonl.zst`, or
 * the TypeScript CLI's `rollout-….json`).
 */
export function isRolloutName(name: string): boolean {
  return ROLLOUT_RE.test(name);
}

/** Whether a rollout name is the TypeScript CLI's single-object `rollout-….json` (2025). */
export function isTsRolloutName(name: string): boolean {
  return isRolloutName(name) && name.endsWith(".json");
}

/**
 * The thread id in a rollout file name: the UUID at its end, found by scanning
 * `-` separators from the right (as Codex does).
 *
 * @param name A file name such as `rollout-2026-08-20T14-03-10-<uuid>.jsonl`.
 * @returns The id, or `undefined` when the name has none.
 */
export function rolloutIdFromName(name: string): string | undefined {
  if (!isRolloutName(name)) return undefined;
  const stem = name.replace(/\.(jsonl(\.zst)?|json)$/, "");
  for (let i = stem.lastIndexOf("-"); i > 0; i = stem.lastIndexOf("-", i - 1)) {
    const candidate = stem.slice(i + 1);
    if (candidate.length > 36) break;
    if (isUuid(candidate)) return candidate.toLowerCase();
  }
  return undefined;
}

/**
 * The creation time in a rollout file name, read as UTC (Codex does the same;
 * it is only used for ordering).
 *
 * @param name A rollout file name.
 * @returns Epoch milliseconds, or `undefined`.
 */
export function rolloutStampFromName(name: string): number | undefined {
  const match = /^rollout-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})/.exec(name);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return Number.isNaN(ms) ? undefined : ms;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * The path of a new rollout: `<root>/sessions/<YYYY>/<MM>/<DD>/rollout-<YYYY-MM-DDThh-mm-ss>-<id>.jsonl`,
 * in local time like Codex.
 *
 * @param root The Codex home.
 * @param now Creation time, epoch ms.
 * @param id The thread id.
 * @returns The absolute path.
 */
export function newRolloutPath(root: string, now: number, id: string): string {
  const t = new Date(now);
  const y = String(t.getFullYear()).padStart(4, "0");
  const mo = pad(t.getMonth() + 1);
  const d = pad(t.getDate());
  const stamp = `${y}-${mo}-${d}T${pad(t.getHours())}-${pad(t.getMinutes())}-${
    pad(t.getSeconds())
  }`;
  return path.join(sessionsDir(root), y, mo, d, `rollout-${stamp}-${id}.jsonl`);
}

/**
 * The Codex home a rollout file lives in: the parent of its `sessions/` or
 * `archived_sessions/` ancestor.
 *
 * @param file The rollout path.
 * @returns The root, or `undefined` when the file is not inside one.
 */
export function rootOfRollout(file: string): string | undefined {
  let dir = path.dirname(path.resolve(file));
  for (let depth = 0; depth < 5; depth++) {
    const base = path.basename(dir);
    if (base === "sessions" || base === "archived_sessions") return path.dirname(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}
