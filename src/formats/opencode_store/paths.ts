/**
 * Where an OpenCode-store agent keeps its data, and the `<db>#<session id>`
 * path form casr uses for a session that lives in a database.
 *
 * OpenCode 1.18.33 (and Kilo CLI 7.7.9) take the data dir from `xdg-basedir`
 * on every OS: `$XDG_DATA_HOME/<name>`, else `~/.local/share/<name>` (also on
 * macOS and Windows, where it is `%USERPROFILE%\.local\share\<name>`). The
 * database is `<data>/<name>.db` for the `latest`/`beta`/`prod` channels (the
 * npm release), a channel database otherwise; the flavor's variable
 * (`OPENCODE_DB`, `KILO_DB`) overrides it (an absolute path, or a path
 * relative to the data dir).
 *
 * @module
 */
import * as path from "node:path";
import { listDir } from "../../internal/fs.ts";
import type { ProviderContext } from "../../model/provider_data.ts";
import type { StoreFlavor } from "./flavor.ts";

/** The variable that moves every XDG data dir, the agent's included. */
export const XDG_DATA_HOME_ENV = "XDG_DATA_HOME";

/**
 * The agent's data dir: `$XDG_DATA_HOME/<name>`, else `<home>/.local/share/<name>`.
 *
 * @param flavor The agent.
 * @param ctx Where to look.
 * @returns The absolute directory (it may not exist).
 */
export function dataDir(flavor: StoreFlavor, ctx: ProviderContext): string {
  const xdg = ctx.env[XDG_DATA_HOME_ENV]?.trim();
  const base = xdg ? path.resolve(ctx.cwd, xdg) : path.join(ctx.homeDir, ".local", "share");
  return path.join(base, flavor.dataDirName);
}

/**
 * The database the agent's npm release uses: the flavor's variable when set
 * (relative to the data dir unless absolute), else `<data>/<dbFile>`.
 *
 * @param flavor The agent.
 * @param ctx Where to look.
 * @returns The database path, or `undefined` when the variable is `:memory:`.
 */
export function databasePath(flavor: StoreFlavor, ctx: ProviderContext): string | undefined {
  const override = ctx.env[flavor.dbEnv]?.trim();
  if (override === ":memory:") return undefined;
  if (override) return path.resolve(dataDir(flavor, ctx), override);
  return path.join(dataDir(flavor, ctx), flavor.dbFile);
}

/**
 * Every database that may hold sessions: the one in use plus the channel
 * databases in the data dir.
 *
 * @param flavor The agent.
 * @param ctx Where to look.
 * @returns Absolute paths of existing and expected files (the first is the one in use).
 */
export async function databasePaths(flavor: StoreFlavor, ctx: ProviderContext): Promise<string[]> {
  const out: string[] = [];
  const main = databasePath(flavor, ctx);
  if (main !== undefined) out.push(main);
  for (const entry of await listDir(dataDir(flavor, ctx))) {
    if (!entry.isFile || !flavor.isDatabaseFile(entry.path)) continue;
    if (!out.includes(entry.path)) out.push(entry.path);
  }
  return out;
}

/**
 * The dirs the agent's sessions live in: the data dir, plus the database's own
 * dir when the override variable puts it elsewhere.
 *
 * @param flavor The agent.
 * @param ctx Where to look.
 * @returns Absolute dirs.
 */
export function storeRoots(flavor: StoreFlavor, ctx: ProviderContext): string[] {
  const data = dataDir(flavor, ctx);
  const db = databasePath(flavor, ctx);
  const dbDir = db === undefined ? undefined : path.dirname(db);
  return dbDir === undefined || dbDir === data || dbDir.startsWith(data + path.sep)
    ? [data]
    : [dbDir, data];
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
