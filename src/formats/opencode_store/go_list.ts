/**
 * Finding Go-era OpenCode and Crush databases from the current directory, and
 * listing their sessions with aggregate queries only.
 *
 * Go OpenCode opened `<data.directory>/opencode.db`, `data.directory` being
 * `.opencode` resolved against the directory it ran in, unless a config file
 * (`.opencode.json` in that directory, else the first of `~/.opencode.json`,
 * `$XDG_CONFIG_HOME/opencode/.opencode.json`, `~/.config/opencode/.opencode.json`)
 * sets `data.directory`. Crush looks for the closest `.crush` dir upwards and
 * opens `crush.db` in it. casr looks at the configured dir and at `.opencode`
 * and `.crush` in the current directory and each of its parents.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { isRecord, str } from "../../internal/jsonl.ts";
import type { SqliteDatabase } from "../../internal/sqlite.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import type { ProviderContext, SessionSummary } from "../../model/provider_data.ts";
import { openReadOnly } from "./db.ts";
import { GO_DATA_DIRS, isGoSchema } from "./go_schema.ts";

/** One database to look in, with the project dir its sessions belong to. */
export interface GoDatabase {
  /** The database file (it exists). */
  db: string;
  /** The project dir: where the agent ran. */
  workspace: string;
}

async function configuredDataDir(file: string): Promise<string | undefined> {
  try {
    const value: unknown = JSON.parse(await fsp.readFile(file, "utf8"));
    const data = isRecord(value) && isRecord(value.data) ? value.data : undefined;
    return str(data?.directory);
  } catch {
    return undefined;
  }
}

/**
 * Go OpenCode's `data.directory` as its config files set it, resolved against
 * the current directory (`.opencode` when none sets it).
 *
 * @param ctx Where to look.
 * @returns The absolute data dir.
 */
export async function goOpencodeDataDir(ctx: ProviderContext): Promise<string> {
  const xdg = ctx.env.XDG_CONFIG_HOME?.trim();
  const globals = [
    path.join(ctx.homeDir, ".opencode.json"),
    ...(xdg ? [path.join(xdg, "opencode", ".opencode.json")] : []),
    path.join(ctx.homeDir, ".config", "opencode", ".opencode.json"),
  ];
  let dir = await configuredDataDir(path.join(ctx.cwd, ".opencode.json"));
  for (const file of globals) {
    if (dir !== undefined) break;
    try {
      await fsp.access(file);
    } catch {
      continue;
    }
    // viper reads the first config file it finds, set or not.
    dir = (await configuredDataDir(file)) ?? ".opencode";
  }
  return path.resolve(ctx.cwd, dir ?? ".opencode");
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fsp.stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The Go-era databases that exist for the current directory: Go OpenCode's
 * configured one, then `.opencode/opencode.db` and `.crush/crush.db` in the
 * current directory and each parent.
 *
 * @param ctx Where to look.
 * @returns Existing databases, without duplicates.
 */
export async function goDatabases(ctx: ProviderContext): Promise<GoDatabase[]> {
  const cwd = path.resolve(ctx.cwd);
  const candidates: GoDatabase[] = [
    { db: path.join(await goOpencodeDataDir(ctx), "opencode.db"), workspace: cwd },
  ];
  for (let dir = cwd;; dir = path.dirname(dir)) {
    for (const [name, data] of Object.entries(GO_DATA_DIRS)) {
      candidates.push({ db: path.join(dir, data, name), workspace: dir });
    }
    if (path.dirname(dir) === dir) break;
  }
  const out: GoDatabase[] = [];
  for (const candidate of candidates) {
    if (out.some((c) => c.db === candidate.db)) continue;
    if (await isFile(candidate.db)) out.push(candidate);
  }
  return out;
}

function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

function summaries(
  provider: string,
  found: GoDatabase,
  handle: SqliteDatabase,
  where: string,
  params: unknown[],
): SessionSummary[] {
  const rows = handle.prepare(
    `SELECT s.*,
       (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS n_messages,
       (SELECT COALESCE(SUM(LENGTH(m.parts)), 0) FROM messages m WHERE m.session_id = s.id)
         AS n_bytes
     FROM sessions s ${where}`,
  ).all(...params);
  return rows.flatMap((row) => {
    const id = str(row.id);
    if (id === undefined) return [];
    const summary: SessionSummary = {
      id,
      provider,
      path: `${found.db}#${id}`,
      workspace: found.workspace,
      messageCount: num(row.n_messages) ?? 0,
      sizeBytes: num(row.n_bytes) ?? 0,
    };
    const title = str(row.title);
    if (title !== undefined) summary.title = title;
    const started = parseTimestamp(num(row.created_at));
    if (started !== undefined) summary.startedAt = started;
    const active = parseTimestamp(num(row.updated_at));
    if (active !== undefined) summary.lastActiveAt = active;
    return [summary];
  });
}

async function eachDatabase(
  provider: string,
  ctx: ProviderContext,
  where: string,
  params: unknown[],
): Promise<SessionSummary[]> {
  const out: SessionSummary[] = [];
  for (const found of await goDatabases(ctx)) {
    try {
      const handle = await openReadOnly("OpenCode (Go)", found.db);
      try {
        if (isGoSchema(handle)) out.push(...summaries(provider, found, handle, where, params));
      } finally {
        handle.close();
      }
    } catch {
      // An unreadable database lists nothing; reading it says why.
    }
  }
  return out;
}

/**
 * Lists the top-level sessions (not sub-agent or title runs, as the agent's
 * own session list) of the Go-era databases found from the current directory.
 *
 * @param provider The casr provider id to list them under.
 * @param ctx Where to look.
 * @returns One summary per session; its path is `<db>#<id>`.
 */
export async function listGoStore(
  provider: string,
  ctx: ProviderContext,
): Promise<SessionSummary[]> {
  return await eachDatabase(
    provider,
    ctx,
    "WHERE s.parent_session_id IS NULL OR s.parent_session_id = ''",
    [],
  );
}

/**
 * Finds sessions of the Go-era databases by id or id prefix.
 *
 * @param provider The casr provider id.
 * @param ctx Where to look.
 * @param idOrPrefix A full id or a prefix.
 * @returns The exact match alone when there is one, else every prefix match.
 */
export async function findGoStore(
  provider: string,
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  const key = idOrPrefix.trim();
  if (key === "" || !/^[A-Za-z0-9_-]+$/.test(key)) return [];
  const escaped = key.replace(/[\\%_]/g, (c) => `\\${c}`);
  const all = await eachDatabase(provider, ctx, "WHERE s.id LIKE ? ESCAPE '\\'", [`${escaped}%`]);
  const exact = all.filter((s) => s.id === key);
  return exact.length > 0 ? exact : all;
}
