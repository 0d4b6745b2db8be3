/**
 * Cursor's workspaces: `User/workspaceStorage/<id>/workspace.json` names the
 * folder of each workspace id; the chat index ("heads") says which workspace a
 * composer belongs to.
 *
 * @module
 */
import { createHash } from "node:crypto";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import process from "node:process";
import { listDir } from "../../internal/fs.ts";
import type { SqliteDatabase } from "../../internal/sqlite.ts";
import { asRecord, kvGet, nonEmpty, tableNames, valueJson } from "./db.ts";
import { uriPath, workspaceStorageDir } from "./paths.ts";

/** The ItemTable key of the 3.x global chat index. */
export const HEADERS_KEY = "composer.composerHeaders";
/** The ItemTable key of the per-workspace composer state (the index before 3.0). */
export const WORKSPACE_COMPOSERS_KEY = "composer.composerData";
/** The SQL table newer 3.x builds moved the chat index into. */
export const HEADERS_TABLE = "composerHeaders";

/** One workspace folder Cursor has opened. */
export interface CursorWorkspace {
  /** The `workspaceStorage` folder name. */
  id: string;
  /** Its folder. */
  dir: string;
  /** The workspace's folder path, from `workspace.json`. */
  folder?: string;
}

/**
 * Every `workspaceStorage/<id>/` of a desktop data folder with the folder its
 * `workspace.json` names (`folder`, else `workspace`).
 *
 * @param dataDir The desktop data folder.
 * @returns The workspaces.
 */
export async function listWorkspaces(dataDir: string): Promise<CursorWorkspace[]> {
  const out: CursorWorkspace[] = [];
  for (const entry of await listDir(workspaceStorageDir(dataDir))) {
    if (!entry.isDir) continue;
    const ws: CursorWorkspace = { id: entry.name, dir: entry.path };
    try {
      const json = asRecord(
        JSON.parse(await fsp.readFile(path.join(entry.path, "workspace.json"), "utf8")),
      );
      const uri = nonEmpty(json?.folder) ?? nonEmpty(json?.workspace);
      const folder = uri === undefined ? undefined : uriPath(uri);
      if (folder !== undefined) ws.folder = folder;
    } catch {
      // no or bad workspace.json
    }
    out.push(ws);
  }
  return out;
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string) => p.replaceAll("\\", "/").replace(/\/+$/, "");
  return process.platform === "win32" || process.platform === "darwin"
    ? norm(a).toLowerCase() === norm(b).toLowerCase()
    : norm(a) === norm(b);
}

/**
 * The workspace id Cursor uses for a folder: the `workspaceStorage` folder
 * whose `workspace.json` names it (the newest when several do).
 *
 * @param workspaces The known workspaces.
 * @param folder The folder.
 * @returns The workspace, or `undefined` when Cursor never opened the folder.
 */
export async function workspaceFor(
  workspaces: readonly CursorWorkspace[],
  folder: string,
): Promise<CursorWorkspace | undefined> {
  const matches = workspaces.filter((w) => w.folder !== undefined && samePath(w.folder, folder));
  if (matches.length <= 1) return matches[0];
  let best: { ws: CursorWorkspace; mtime: number } | undefined;
  for (const ws of matches) {
    const mtime = await fsp.stat(ws.dir).then((s) => s.mtimeMs, () => 0);
    if (!best || mtime > best.mtime) best = { ws, mtime };
  }
  return best?.ws;
}

/**
 * The id VS Code (and so Cursor) gives a local folder it opens: MD5 of the
 * path salted with the inode (Linux), the birth time (macOS) or the birth time
 * in ms (Windows); MD5 of the path alone when the folder does not exist.
 *
 * @param folder An absolute folder path.
 * @returns The id and whether the folder exists.
 */
export async function computedWorkspaceId(
  folder: string,
): Promise<{ id: string; exists: boolean }> {
  let salt = "";
  let exists = false;
  try {
    const stat = await fsp.stat(folder);
    exists = true;
    if (process.platform === "darwin") salt = String(stat.birthtime.getTime());
    else if (process.platform === "win32") salt = String(Math.floor(stat.birthtimeMs));
    else salt = String(stat.ino);
  } catch {
    // not there
  }
  if (salt === "0" || salt === "NaN") salt = "";
  return { id: createHash("md5").update(folder).update(salt).digest("hex"), exists };
}

/** The folder of a head's `workspaceIdentifier`. */
export function headFolder(
  head: Record<string, unknown>,
  workspaces: readonly CursorWorkspace[] = [],
): string | undefined {
  const ident = asRecord(head.workspaceIdentifier);
  if (typeof head.workspaceIdentifier === "string") return head.workspaceIdentifier || undefined;
  const uri = asRecord(ident?.uri);
  const direct = nonEmpty(uri?.fsPath) ??
    (nonEmpty(uri?.external) ? uriPath(String(uri?.external)) : undefined) ??
    nonEmpty(uri?.path);
  if (direct !== undefined) return direct;
  const id = nonEmpty(ident?.id) ?? nonEmpty(head.workspaceId);
  return id === undefined ? undefined : workspaces.find((w) => w.id === id)?.folder;
}

/**
 * The chat index heads of a global database: rows of the `composerHeaders`
 * table (newer 3.x; `value` is the head JSON) and the entries of ItemTable
 * `composer.composerHeaders` (3.0+). Table rows win.
 *
 * @param db The global database.
 * @returns composerId → head.
 */
export function readHeads(db: SqliteDatabase): Map<string, Record<string, unknown>> {
  const heads = new Map<string, Record<string, unknown>>();
  const blob = asRecord(valueJson(kvGet(db, "ItemTable", HEADERS_KEY)));
  const list = Array.isArray(blob?.allComposers) ? blob.allComposers : [];
  for (const entry of list) {
    const head = asRecord(entry);
    const id = nonEmpty(head?.composerId);
    if (head && id) heads.set(id, head);
  }
  let tables: Set<string>;
  try {
    tables = tableNames(db);
  } catch {
    return heads;
  }
  if (tables.has(HEADERS_TABLE)) {
    try {
      for (const row of db.prepare(`SELECT * FROM ${HEADERS_TABLE}`).all()) {
        const id = nonEmpty(row.composerId);
        if (!id) continue;
        const head = { ...(asRecord(valueJson(row.value)) ?? {}) };
        for (const key of ["createdAt", "lastUpdatedAt", "workspaceId"]) {
          if (head[key] === undefined && row[key] !== null && row[key] !== undefined) {
            head[key] = row[key];
          }
        }
        heads.set(id, { ...heads.get(id), ...head });
      }
    } catch {
      // an unexpected table shape: keep the blob's heads
    }
  }
  return heads;
}

/**
 * composerId → folder from the workspace databases' `composer.composerData`
 * (`allComposers` before 3.0, `selectedComposerIds` after).
 *
 * @param workspaces The workspaces.
 * @param open Opens a database read-only (or returns `undefined`).
 * @returns The map.
 */
export async function workspaceComposerFolders(
  workspaces: readonly CursorWorkspace[],
  open: (file: string) => Promise<SqliteDatabase | undefined>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const ws of workspaces) {
    if (ws.folder === undefined) continue;
    const db = await open(path.join(ws.dir, "state.vscdb"));
    if (!db) continue;
    try {
      const data = asRecord(valueJson(kvGet(db, "ItemTable", WORKSPACE_COMPOSERS_KEY)));
      const ids: unknown[] = [
        ...(Array.isArray(data?.allComposers)
          ? data.allComposers.map((h) => asRecord(h)?.composerId)
          : []),
        ...(Array.isArray(data?.selectedComposerIds) ? data.selectedComposerIds : []),
      ];
      for (const id of ids) if (typeof id === "string" && !out.has(id)) out.set(id, ws.folder);
    } finally {
      db.close();
    }
  }
  return out;
}
