/**
 * Where OpenCode keeps its data, and the `<db>#<session id>` path form casr
 * uses for a session that lives in a database.
 *
 * OpenCode 1.18.33 takes its data dir from `xdg-basedir` on every OS:
 * `$XDG_DATA_HOME/opencode`, else `~/.local/share/opencode` (also on macOS and
 * Windows, where it is `%USERPROFILE%\.local\share\opencode`). The database is
 * `<data>/opencode.db` for the `latest`/`beta`/`prod` channels (the npm
 * release), `<data>/opencode-<channel>.db` otherwise; `OPENCODE_DB` overrides
 * it (an absolute path, or a path relative to the data dir).
 *
 * @module
 */
import * as path from "node:path";
import { listDir } from "../../internal/fs.ts";
import type { ProviderContext } from "../types.ts";

/** The variable that moves every XDG data dir, OpenCode's included. */
export const XDG_DATA_HOME_ENV = "XDG_DATA_HOME";
/** OpenCode's own override of the database file. */
export const OPENCODE_DB_ENV = "OPENCODE_DB";

/**
 * OpenCode's data dir: `$XDG_DATA_HOME/opencode`, else `<home>/.local/share/opencode`.
 *
 * @param ctx Where to look.
 * @returns The absolute directory (it may not exist).
 */
export function dataDir(ctx: ProviderContext): string {
  const xdg = ctx.env[XDG_DATA_HOME_ENV]?.trim();
  const base = xdg ? path.resolve(ctx.cwd, xdg) : path.join(ctx.homeDir, ".local", "share");
  return path.join(base, "opencode");
}

/**
 * The database OpenCode (npm release) uses: `OPENCODE_DB` when set (relative
 * to the data dir unless absolute), else `<data>/opencode.db`.
 *
 * @param ctx Where to look.
 * @returns The database path, or `undefined` for `OPENCODE_DB=:memory:`.
 */
export function databasePath(ctx: ProviderContext): string | undefined {
  const override = ctx.env[OPENCODE_DB_ENV]?.trim();
  if (override === ":memory:") return undefined;
  if (override) return path.resolve(dataDir(ctx), override);
  return path.join(dataDir(ctx), "opencode.db");
}

/**
 * Every database that may hold sessions: the one in use plus the channel
 * databases (`opencode-<channel>.db`) in the data dir.
 *
 * @param ctx Where to look.
 * @returns Absolute paths of existing and expected files (the first is the one in use).
 */
export async function databasePaths(ctx: ProviderContext): Promise<string[]> {
  const out: string[] = [];
  const main = databasePath(ctx);
  if (main !== undefined) out.push(main);
  for (const entry of await listDir(dataDir(ctx))) {
    if (!entry.isFile || !/^opencode(-[A-Za-z0-9._-]+)?\.db$/.test(entry.name)) continue;
    if (!out.includes(entry.path)) out.push(entry.path);
  }
  return out;
}

/** The legacy (≤ 1.1) JSON storage tree of a data dir. */
export function storageDir(data: string): string {
  return path.join(data, "storage");
}

/** The separator between a database path and a session id. */
const SEP = "#";

/**
 * The path casr shows and reads for a session stored in a database.
 *
 * @param db The database file.
 * @param id The session id.
 * @returns `<db>#<id>`.
 */
export function sessionRef(db: string, id: string): string {
  return `${db}${SEP}${id}`;
}

/**
 * Splits `<db>#<ses_…>` into the database and the session id.
 *
 * @param ref A path, maybe with a `#<session id>` suffix.
 * @returns The parts, or `undefined` when `ref` has no session suffix.
 */
export function parseSessionRef(ref: string): { db: string; id: string } | undefined {
  const at = ref.lastIndexOf(SEP);
  if (at <= 0) return undefined;
  const id = ref.slice(at + 1);
  if (!/^ses[A-Za-z0-9_-]*$/.test(id)) return undefined;
  return { db: ref.slice(0, at), id };
}

/**
 * Where a legacy session file sits: `<data>/storage/session/<project>/<ses>.json`.
 *
 * @param file A path.
 * @returns The data dir and the session id, or `undefined` when it is not such a file.
 */
export function legacySessionFile(file: string): { data: string; id: string } | undefined {
  const resolved = path.resolve(file);
  const name = path.basename(resolved);
  if (!/^ses.*\.json$/.test(name)) return undefined;
  const sessionDir = path.dirname(path.dirname(resolved));
  if (path.basename(sessionDir) !== "session") return undefined;
  const storage = path.dirname(sessionDir);
  if (path.basename(storage) !== "storage") return undefined;
  return { data: path.dirname(storage), id: name.slice(0, -5) };
}
