/**
 * The Cline CLI's `sessions.db`: reading rows for listing, and the row a new
 * session needs (without it `cline --id <id>` silently opens an empty session).
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { exists } from "../../internal/fs.ts";
import { commitOrRollBack, openSqlite, type SqliteDatabase } from "../../internal/sqlite.ts";
import { fillRow, insertRow, tableColumns } from "../../internal/sqlite_rows.ts";
import type { WriteEffect } from "../types.ts";

/** The `sessions` table as Cline CLI 3.0.65 creates it. */
export const SESSIONS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS sessions (
  session_id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  pid INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  exit_code INTEGER,
  status TEXT NOT NULL,
  status_lock INTEGER NOT NULL DEFAULT 0,
  interactive INTEGER NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  cwd TEXT NOT NULL,
  workspace_root TEXT NOT NULL,
  team_name TEXT,
  enable_tools INTEGER NOT NULL,
  enable_spawn INTEGER NOT NULL,
  enable_teams INTEGER NOT NULL,
  parent_session_id TEXT,
  parent_agent_id TEXT,
  agent_id TEXT,
  conversation_id TEXT,
  is_subagent INTEGER NOT NULL DEFAULT 0,
  prompt TEXT,
  metadata_json TEXT,
  transcript_path TEXT NOT NULL DEFAULT '',
  hook_path TEXT NOT NULL,
  messages_path TEXT,
  updated_at TEXT NOT NULL
)`;

/** A `sessions` row, as read. */
export type SessionRow = Record<string, unknown>;

/**
 * Reads every `sessions` row (read-only); an absent or unreadable database,
 * or a runtime without SQLite, gives no rows.
 *
 * @param dbPath The database file.
 * @returns The rows by session id.
 */
export async function readSessionRows(dbPath: string): Promise<Map<string, SessionRow>> {
  const rows = new Map<string, SessionRow>();
  if (!(await exists(dbPath))) return rows;
  let db: SqliteDatabase | undefined;
  try {
    db = await openSqlite(dbPath, { readOnly: true });
    if (db === undefined) return rows;
    for (const row of db.prepare("SELECT * FROM sessions").all()) {
      if (typeof row.session_id === "string") rows.set(row.session_id, row);
    }
  } catch {
    // not a Cline database, or locked: list from the files alone
  } finally {
    try {
      db?.close();
    } catch {
      // already closed
    }
  }
  return rows;
}

/**
 * The effect that inserts (or, for a `--force` redo, replaces) one session's
 * row: inside `BEGIN IMMEDIATE` with a busy timeout, other rows untouched. A
 * missing database is created with the `sessions` table (Cline adds its other
 * tables when it opens it). The undo deletes the row and puts back a replaced
 * one, or removes a database it created.
 *
 * @param dbPath The database file.
 * @param values The row's columns (unknown columns are ignored; NOT NULL
 * columns without a value get an empty value of their type).
 * @returns The effect.
 */
export function sessionRowEffect(dbPath: string, values: Record<string, unknown>): WriteEffect {
  const id = String(values.session_id);
  return {
    description: `Register session ${id} in sessions.db (${dbPath})`,
    async apply() {
      const created = !(await exists(dbPath));
      const createdDir = await fsp.mkdir(path.dirname(dbPath), { recursive: true });
      const db = await openSqlite(dbPath);
      if (db === undefined) {
        throw new Error(
          `Cannot register session "${id}" in "${dbPath}": this runtime has no SQLite (Deno, Bun or Node 22+ has it)`,
        );
      }
      let replaced: SessionRow | undefined;
      try {
        db.exec("PRAGMA busy_timeout = 5000");
        db.exec(SESSIONS_TABLE_SQL);
        db.exec("BEGIN IMMEDIATE");
        try {
          replaced = db.prepare("SELECT * FROM sessions WHERE session_id = ?").all(id)[0];
          insertRow(db, "sessions", fillRow(tableColumns(db, "sessions"), values), {
            replace: true,
          });
          db.exec("COMMIT");
        } catch (error) {
          db.exec("ROLLBACK");
          throw new Error(`Cannot register session "${id}" in "${dbPath}": ${String(error)}`, {
            cause: error,
          });
        }
      } finally {
        db.close();
      }
      return async () => {
        if (created) {
          for (const suffix of ["", "-wal", "-shm", "-journal"]) {
            await fsp.rm(dbPath + suffix, { force: true });
          }
          if (createdDir !== undefined) await fsp.rm(createdDir, { recursive: true, force: true });
          return;
        }
        const undo = await openSqlite(dbPath);
        if (undo === undefined) return;
        try {
          undo.exec("PRAGMA busy_timeout = 5000");
          undo.exec("BEGIN IMMEDIATE");
          commitOrRollBack(undo, () => {
            undo.prepare("DELETE FROM sessions WHERE session_id = ?").run(id);
            if (replaced !== undefined) insertRow(undo, "sessions", replaced, { replace: true });
          });
        } finally {
          undo.close();
        }
      };
    },
  };
}
