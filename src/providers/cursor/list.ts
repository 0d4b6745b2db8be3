/**
 * Listing Cursor chats cheaply: desktop composers from the `composerData:`
 * rows of each global `state.vscdb` (fields picked out in SQL, no bubble is
 * read), CLI chats from each `store.db` meta row and root blob.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { exists, listDir } from "../../internal/fs.ts";
import { openSqlite, type SqliteDatabase } from "../../internal/sqlite.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { asRecord, nonEmpty, valueJson } from "./db.ts";
import { CURSOR_ID } from "./desktop_reader.ts";
import { cliRoot, composerRef, desktopDirs, globalDbPath, parseRef, uriPath } from "./paths.ts";
import { parseProto, readBlob, readMeta } from "./store_db.ts";
import { headFolder, listWorkspaces, readHeads, workspaceComposerFolders } from "./workspace.ts";

async function tryOpen(file: string): Promise<SqliteDatabase | undefined> {
  try {
    const db = await openSqlite(file, { readOnly: true });
    if (db === undefined) return undefined;
    try {
      db.exec("PRAGMA busy_timeout = 1000");
      db.prepare("SELECT count(*) FROM sqlite_master").all();
    } catch {
      db.close();
      return undefined;
    }
    return db;
  } catch {
    return undefined;
  }
}

interface ComposerRow {
  id: string;
  name?: string;
  createdAt?: number;
  lastUpdatedAt?: number;
  count: number;
}

const ROWS_SQL = `SELECT substr(key, 14) AS id,
  CASE WHEN json_valid(v) THEN json_extract(v, '$.name') END AS name,
  CASE WHEN json_valid(v) THEN json_extract(v, '$.createdAt') END AS createdAt,
  CASE WHEN json_valid(v) THEN json_extract(v, '$.lastUpdatedAt') END AS lastUpdatedAt,
  CASE WHEN json_valid(v) AND json_type(v, '$.fullConversationHeadersOnly') = 'array'
    THEN json_array_length(v, '$.fullConversationHeadersOnly') ELSE 0 END AS n1,
  CASE WHEN json_valid(v) AND json_type(v, '$.conversation') = 'array'
    THEN json_array_length(v, '$.conversation') ELSE 0 END AS n2
FROM (SELECT key, CAST(value AS TEXT) AS v FROM cursorDiskKV
  WHERE key >= 'composerData:' AND key < 'composerData;' AND value IS NOT NULL)`;

function composerRows(db: SqliteDatabase): ComposerRow[] {
  let rows: Record<string, unknown>[];
  try {
    rows = db.prepare(ROWS_SQL).all();
  } catch {
    // no JSON functions in this SQLite: parse in JavaScript
    try {
      rows = db.prepare(
        "SELECT substr(key, 14) AS id, value FROM cursorDiskKV WHERE key >= 'composerData:' AND key < 'composerData;' AND value IS NOT NULL",
      ).all().map((r) => {
        const c = asRecord(valueJson(r.value)) ?? {};
        return {
          id: r.id,
          name: c.name,
          createdAt: c.createdAt,
          lastUpdatedAt: c.lastUpdatedAt,
          n1: Array.isArray(c.fullConversationHeadersOnly)
            ? c.fullConversationHeadersOnly.length
            : 0,
          n2: Array.isArray(c.conversation) ? c.conversation.length : 0,
        };
      });
    } catch {
      return [];
    }
  }
  const out: ComposerRow[] = [];
  for (const r of rows) {
    const count = Number(r.n1 ?? 0) + Number(r.n2 ?? 0);
    if (!(count > 0)) continue;
    const row: ComposerRow = { id: String(r.id), count };
    const name = nonEmpty(r.name);
    if (name !== undefined) row.name = name.trim();
    const created = parseTimestamp(r.createdAt);
    if (created !== undefined) row.createdAt = created;
    const updated = parseTimestamp(r.lastUpdatedAt);
    if (updated !== undefined) row.lastUpdatedAt = updated;
    out.push(row);
  }
  return out;
}

/**
 * Lists the desktop chats of every desktop data folder.
 *
 * @param ctx Where to look.
 * @returns One summary per composer with messages.
 */
export async function listDesktopChats(ctx: ProviderContext): Promise<SessionSummary[]> {
  const out: SessionSummary[] = [];
  for (const dir of desktopDirs(ctx)) {
    const file = globalDbPath(dir);
    if (!(await exists(file))) continue;
    const db = await tryOpen(file);
    if (!db) continue;
    let rows: ComposerRow[];
    let heads: Map<string, Record<string, unknown>>;
    try {
      rows = composerRows(db);
      heads = readHeads(db);
    } finally {
      db.close();
    }
    if (rows.length === 0) continue;
    const workspaces = await listWorkspaces(dir);
    let fromWorkspaceDbs: Map<string, string> | undefined;
    for (const row of rows) {
      const summary: SessionSummary = {
        id: row.id,
        provider: CURSOR_ID,
        path: composerRef(file, row.id),
      };
      const head = heads.get(row.id);
      let workspace = head ? headFolder(head, workspaces) : undefined;
      if (workspace === undefined) {
        fromWorkspaceDbs ??= await workspaceComposerFolders(workspaces, tryOpen);
        workspace = fromWorkspaceDbs.get(row.id);
      }
      if (workspace !== undefined) summary.workspace = workspace;
      const title = row.name ?? nonEmpty(head?.name)?.trim();
      if (title !== undefined) summary.title = title;
      if (row.createdAt !== undefined) summary.startedAt = row.createdAt;
      const last = row.lastUpdatedAt ?? parseTimestamp(head?.lastUpdatedAt);
      if (last !== undefined) summary.lastActiveAt = last;
      summary.messageCount = row.count;
      out.push(summary);
    }
  }
  return out;
}

/** Every `store.db` of the CLI: `chats/<bucket>/<id>/store.db` and `acp-sessions/<id>/store.db`. */
async function storeFiles(ctx: ProviderContext): Promise<string[]> {
  const root = cliRoot(ctx);
  const out: string[] = [];
  for (const bucket of await listDir(path.join(root, "chats"))) {
    if (!bucket.isDir) continue;
    for (const chat of await listDir(bucket.path)) {
      const file = path.join(chat.path, "store.db");
      if (chat.isDir && await exists(file)) out.push(file);
    }
  }
  for (const chat of await listDir(path.join(root, "acp-sessions"))) {
    const file = path.join(chat.path, "store.db");
    if (chat.isDir && await exists(file)) out.push(file);
  }
  return out;
}

/**
 * Summarizes one CLI chat from its meta row and root blob.
 *
 * @param file The `store.db`.
 * @returns The summary, or `undefined` when it is not a readable store.
 */
export async function summarizeStore(file: string): Promise<SessionSummary | undefined> {
  const db = await tryOpen(file);
  if (!db) return undefined;
  try {
    const meta = readMeta(db);
    const id = nonEmpty(meta?.agentId) ?? path.basename(path.dirname(file));
    const summary: SessionSummary = { id, provider: CURSOR_ID, path: file };
    const name = nonEmpty(meta?.name)?.trim();
    if (name !== undefined && name !== "New Agent") summary.title = name;
    const created = parseTimestamp(meta?.createdAt);
    if (created !== undefined) summary.startedAt = created;
    const stat = await fsp.stat(file).catch(() => undefined);
    if (stat) {
      summary.sizeBytes = stat.size;
      summary.lastActiveAt = stat.mtimeMs;
    }
    const rootId = nonEmpty(meta?.latestRootBlobId);
    const root = rootId === undefined ? undefined : readBlob(db, rootId);
    const fields = root === undefined ? undefined : parseProto(root);
    if (fields) {
      summary.messageCount = fields.filter((f) => f.field === 1 && f.bytes?.length === 32).length;
      const uri = fields.find((f) => f.field === 9 && f.bytes !== undefined);
      const ws = uri?.bytes === undefined
        ? undefined
        : uriPath(new TextDecoder().decode(uri.bytes));
      if (ws !== undefined) summary.workspace = ws;
    }
    try {
      const metaJson = asRecord(
        JSON.parse(await fsp.readFile(path.join(path.dirname(file), "meta.json"), "utf8")),
      );
      const cwd = nonEmpty(metaJson?.cwd);
      if (cwd !== undefined && summary.workspace === undefined) summary.workspace = cwd;
      const updated = parseTimestamp(metaJson?.updatedAtMs);
      if (updated !== undefined) summary.lastActiveAt = updated;
    } catch {
      // no meta.json (builds before mid-2026)
    }
    return summary;
  } finally {
    db.close();
  }
}

/**
 * Lists the `cursor-agent` chats.
 *
 * @param ctx Where to look.
 * @returns One summary per readable store.
 */
export async function listCliChats(ctx: ProviderContext): Promise<SessionSummary[]> {
  const out: SessionSummary[] = [];
  for (const file of await storeFiles(ctx)) {
    const summary = await summarizeStore(file);
    if (summary) out.push(summary);
  }
  return out;
}

/**
 * Lists every Cursor chat, desktop and CLI.
 *
 * @param ctx Where to look.
 * @returns The summaries.
 */
export async function listCursorChats(ctx: ProviderContext): Promise<SessionSummary[]> {
  return [...(await listDesktopChats(ctx)), ...(await listCliChats(ctx))];
}

/**
 * Finds chats by id or id prefix (case-insensitive); also accepts a
 * `<state.vscdb>#<composerId>` reference.
 *
 * @param ctx Where to look.
 * @param idOrPrefix The id, a prefix, or a reference.
 * @returns The exact match alone when there is one, else every prefix match.
 */
export async function findCursorChats(
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  const key = idOrPrefix.trim();
  if (key === "") return [];
  const ref = parseRef(key);
  if (ref.id !== undefined && (ref.file.includes("/") || ref.file.includes("\\"))) {
    const file = path.resolve(ctx.cwd, ref.file);
    const db = await tryOpen(file);
    if (!db) return [];
    try {
      const row = db.prepare("SELECT 1 AS x FROM cursorDiskKV WHERE key = ?").all(
        `composerData:${ref.id}`,
      );
      return row.length > 0
        ? [{ id: ref.id, provider: CURSOR_ID, path: composerRef(file, ref.id) }]
        : [];
    } catch {
      return [];
    } finally {
      db.close();
    }
  }
  const lower = key.toLowerCase();
  const all = await listCursorChats(ctx);
  const exact = all.filter((s) => s.id.toLowerCase() === lower);
  return exact.length > 0 ? exact : all.filter((s) => s.id.toLowerCase().startsWith(lower));
}
