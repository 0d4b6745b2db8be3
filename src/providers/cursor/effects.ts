/**
 * Writing a Cursor desktop chat into `state.vscdb`: the `cursorDiskKV` rows
 * (bubbles, then `composerData:<id>`) and the chat index entry, in ONE
 * transaction (`BEGIN IMMEDIATE`, busy timeout), refused while Cursor runs or
 * another connection holds the write lock, after a one-time backup copy of the
 * database, with an undo that removes exactly what was added.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { CasrError } from "../../errors.ts";
import { commitOrRollBack, openSqlite, type SqliteDatabase } from "../../internal/sqlite.ts";
import { insertRow } from "../../internal/sqlite_rows.ts";
import type { WriteEffect } from "../types.ts";
import { asRecord, columnNames, errorText, isBusyError, tableNames, valueText } from "./db.ts";
import { findCursorProcesses, type ProcessFinder } from "./processes.ts";
import { HEADERS_KEY, HEADERS_TABLE, WORKSPACE_COMPOSERS_KEY } from "./workspace.ts";

/** One `cursorDiskKV` row to add. */
export interface KvRow {
  /** The key (`bubbleId:…`, `composerData:…`). */
  key: string;
  /** The JSON text. */
  value: string;
}

/** Which chat index entries to write. */
export interface IndexTargets {
  /** A row in the global `composerHeaders` table (newer 3.x). */
  table: boolean;
  /** An entry in global ItemTable `composer.composerHeaders` (3.0+; created when absent). */
  blob: boolean;
  /** A workspace `state.vscdb` whose ItemTable `composer.composerData.allComposers` gets the entry (before 3.0). */
  workspaceDb?: string;
}

/** Everything one chat write needs. */
export interface CursorWriteSpec {
  /** The global `state.vscdb`. */
  dbPath: string;
  /** The composer id. */
  composerId: string;
  /** The rows to add, bubbles first and `composerData:` last. */
  rows: KvRow[];
  /** The index entry ("head"). */
  head: Record<string, unknown>;
  /** Column values for a `composerHeaders` table row (only known columns are written). */
  headerRow: Record<string, string | number>;
  /** Which index entries to write. */
  index: IndexTargets;
  /** Store `value` as BLOB (matching existing rows) instead of TEXT. */
  valueAsBlob: boolean;
  /** Whether the database does not exist yet and is created. */
  createDb: boolean;
}

/** Hooks for tests. */
export interface CursorWriteDeps {
  /** Finds running Cursor processes (default: the OS process list). */
  findProcesses?: ProcessFinder;
  /** How long to wait for another connection's lock, ms (default 3000). */
  busyTimeoutMs?: number;
  /** The clock, for the backup file name. */
  now?: () => number;
}

/** The suffix of casr's backup copies: `state.vscdb.casr-backup-<time>`. */
export const BACKUP_INFIX = ".casr-backup-";

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/**
 * Copies the database (and its `-wal`, so the copy opens with every committed
 * change) to `<db>.casr-backup-<time>`, once: when a backup already exists,
 * nothing is copied.
 *
 * @param dbPath The database.
 * @param now The time for the name.
 * @returns The backup path, or `undefined` when one already existed.
 */
export async function backupOnce(dbPath: string, now: number): Promise<string | undefined> {
  const dir = path.dirname(dbPath);
  const base = path.basename(dbPath) + BACKUP_INFIX;
  const existing = (await fsp.readdir(dir)).filter((n) =>
    n.startsWith(base) && !/-(wal|shm)$/.test(n)
  );
  if (existing.length > 0) return undefined;
  const target = path.join(dir, base + stamp(now));
  await fsp.copyFile(dbPath, target);
  const wal = `${dbPath}-wal`;
  const walSize = await fsp.stat(wal).then((s) => s.size, () => 0);
  if (walSize > 0) await fsp.copyFile(wal, `${target}-wal`);
  return target;
}

function bind(value: string, asBlob: boolean): string | Uint8Array {
  return asBlob ? new TextEncoder().encode(value) : value;
}

function sameClass(text: string, like: unknown): string | Uint8Array {
  return like instanceof Uint8Array ? new TextEncoder().encode(text) : text;
}

/** What the transaction changed, for the undo. */
interface Applied {
  replaced: Map<string, unknown>;
  items: { schema: string; key: string; before: unknown; written: string }[];
  tableBefore?: Record<string, unknown>[];
}

/** Puts the head first in `allComposers` of an index object (other entries kept). */
function withHead(raw: unknown, head: Record<string, unknown>, where: string): string {
  let obj: Record<string, unknown> = {};
  if (raw !== undefined && raw !== null) {
    const text = valueText(raw);
    let parsed: unknown;
    try {
      parsed = text === undefined ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const record = asRecord(parsed);
    if (!record || (record.allComposers !== undefined && !Array.isArray(record.allComposers))) {
      throw new Error(`${where} is not the JSON object Cursor writes; left it alone`);
    }
    obj = record;
  }
  const others = (Array.isArray(obj.allComposers) ? obj.allComposers : []).filter((h) =>
    asRecord(h)?.composerId !== head.composerId
  );
  return JSON.stringify({ ...obj, allComposers: [head, ...others] });
}

function withoutHead(raw: unknown, composerId: string): string | undefined {
  const record = asRecord((() => {
    try {
      return JSON.parse(valueText(raw) ?? "");
    } catch {
      return undefined;
    }
  })());
  if (!record || !Array.isArray(record.allComposers)) return undefined;
  return JSON.stringify({
    ...record,
    allComposers: record.allComposers.filter((h) => asRecord(h)?.composerId !== composerId),
  });
}

function getItem(db: SqliteDatabase, schema: string, key: string): unknown {
  return db.prepare(`SELECT value FROM ${schema}.ItemTable WHERE key = ?`).all(key)[0]?.value;
}

function setItem(db: SqliteDatabase, schema: string, key: string, value: unknown): void {
  db.prepare(`DELETE FROM ${schema}.ItemTable WHERE key = ?`).run(key);
  if (value !== undefined) {
    db.prepare(`INSERT INTO ${schema}.ItemTable (key, value) VALUES (?, ?)`).run(key, value);
  }
}

/** Runs the writes inside the open transaction. */
function writeAll(db: SqliteDatabase, spec: CursorWriteSpec): Applied {
  const applied: Applied = { replaced: new Map(), items: [] };
  // A chat with this id already there (a conversion redone with --force) is
  // replaced whole: its composerData and every bubble row, kept for the undo.
  const old = db.prepare(
    "SELECT key, value FROM cursorDiskKV WHERE key = ? OR (key >= ? AND key < ?)",
  ).all(
    `composerData:${spec.composerId}`,
    `bubbleId:${spec.composerId}:`,
    `bubbleId:${spec.composerId};`,
  );
  const del = db.prepare("DELETE FROM cursorDiskKV WHERE key = ?");
  for (const row of old) {
    applied.replaced.set(String(row.key), row.value);
    del.run(row.key);
  }
  const insert = db.prepare("INSERT INTO cursorDiskKV (key, value) VALUES (?, ?)");
  for (const row of spec.rows) insert.run(row.key, bind(row.value, spec.valueAsBlob));
  if (spec.index.table) {
    const columns = new Set(columnNames(db, HEADERS_TABLE));
    applied.tableBefore = db.prepare(`SELECT * FROM ${HEADERS_TABLE} WHERE composerId = ?`).all(
      spec.composerId,
    );
    db.prepare(`DELETE FROM ${HEADERS_TABLE} WHERE composerId = ?`).run(spec.composerId);
    const row: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(spec.headerRow)) if (columns.has(k)) row[k] = v;
    insertRow(db, HEADERS_TABLE, row);
  }
  const indexItems: { schema: string; key: string }[] = [];
  if (spec.index.blob) indexItems.push({ schema: "main", key: HEADERS_KEY });
  if (spec.index.workspaceDb !== undefined) {
    indexItems.push({ schema: "ws", key: WORKSPACE_COMPOSERS_KEY });
  }
  for (const { schema, key } of indexItems) {
    const before = getItem(db, schema, key);
    const where = `${schema === "ws" ? spec.index.workspaceDb : spec.dbPath} ItemTable "${key}"`;
    const written = withHead(before, spec.head, where);
    setItem(db, schema, key, sameClass(written, before));
    applied.items.push({ schema, key, before, written });
  }
  return applied;
}

/** Removes exactly what {@linkcode writeAll} added and puts back what it replaced. */
function undoAll(db: SqliteDatabase, spec: CursorWriteSpec, applied: Applied): void {
  const del = db.prepare("DELETE FROM cursorDiskKV WHERE key = ?");
  const insert = db.prepare("INSERT INTO cursorDiskKV (key, value) VALUES (?, ?)");
  for (const row of spec.rows) del.run(row.key);
  for (const [key, value] of applied.replaced) {
    del.run(key);
    insert.run(key, value);
  }
  if (applied.tableBefore !== undefined) {
    db.prepare(`DELETE FROM ${HEADERS_TABLE} WHERE composerId = ?`).run(spec.composerId);
    for (const row of applied.tableBefore) insertRow(db, HEADERS_TABLE, row);
  }
  for (const item of applied.items) {
    const now = getItem(db, item.schema, item.key);
    if (valueText(now) === item.written) setItem(db, item.schema, item.key, item.before);
    else if (now !== undefined) {
      const cleaned = withoutHead(now, spec.composerId);
      if (cleaned !== undefined) setItem(db, item.schema, item.key, sameClass(cleaned, now));
    }
  }
}

async function openForWrite(spec: CursorWriteSpec, busyTimeoutMs: number): Promise<SqliteDatabase> {
  const db = await openSqlite(spec.dbPath);
  if (db === undefined) {
    throw new CasrError(
      "provider-unavailable",
      `Cannot write Cursor chat "${spec.composerId}": this runtime has no SQLite (Deno, Bun or Node 22+ has it)`,
    );
  }
  try {
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    if (spec.index.workspaceDb !== undefined) {
      db.prepare("ATTACH DATABASE ? AS ws").run(spec.index.workspaceDb);
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function begin(db: SqliteDatabase, spec: CursorWriteSpec): void {
  try {
    db.exec("BEGIN IMMEDIATE");
  } catch (error) {
    db.close();
    if (isBusyError(error)) {
      throw new CasrError(
        "conflict",
        `Cannot write Cursor chat "${spec.composerId}": "${spec.dbPath}" is locked by another program (is Cursor running?); quit Cursor and try again, nothing was written`,
        { details: { path: spec.dbPath, reason: "locked" }, cause: error },
      );
    }
    throw error;
  }
}

function createTables(db: SqliteDatabase): void {
  db.exec(
    "PRAGMA user_version = 1; " +
      "CREATE TABLE IF NOT EXISTS ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB); " +
      "CREATE TABLE IF NOT EXISTS cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)",
  );
}

async function undoWrite(
  spec: CursorWriteSpec,
  applied: Applied,
  createdDir: string | undefined,
  busyTimeoutMs: number,
): Promise<void> {
  if (spec.createDb) {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) {
      await fsp.rm(spec.dbPath + suffix, { force: true });
    }
    if (createdDir !== undefined) await fsp.rm(createdDir, { recursive: true, force: true });
    return;
  }
  const db = await openForWrite(spec, busyTimeoutMs);
  try {
    begin(db, spec);
    commitOrRollBack(db, () => {
      undoAll(db, spec, applied);
    });
  } finally {
    db.close();
  }
}

/**
 * The effect that writes one chat.
 *
 * @param spec What to write.
 * @param deps Hooks for tests.
 * @returns The effect; its undo removes the added rows and restores the index.
 */
export function cursorWriteEffect(spec: CursorWriteSpec, deps: CursorWriteDeps = {}): WriteEffect {
  const busyTimeoutMs = deps.busyTimeoutMs ?? 3000;
  const indexes = [
    spec.index.table ? `${HEADERS_TABLE} table` : undefined,
    spec.index.blob ? `ItemTable ${HEADERS_KEY}` : undefined,
    spec.index.workspaceDb !== undefined
      ? `${WORKSPACE_COMPOSERS_KEY} of ${spec.index.workspaceDb}`
      : undefined,
  ].filter((s) => s !== undefined).join(" and ");
  return {
    description: `${spec.createDb ? "create" : "add to"} ${spec.dbPath}: chat ${spec.composerId} (${
      spec.rows.length - 1
    } bubbles, composerData) and its sidebar entry (${indexes}), in one transaction`,
    async apply() {
      const dataDir = path.dirname(path.dirname(path.dirname(spec.dbPath)));
      const running = await (deps.findProcesses ?? findCursorProcesses)(dataDir);
      if (running.length > 0) {
        const first = running[0] as { pid: number; command: string };
        throw new CasrError(
          "conflict",
          `Cannot write Cursor chat "${spec.composerId}": Cursor is running (pid ${first.pid}, ${first.command}); quit Cursor first (it keeps state.vscdb open and would overwrite the chat list), then run casr again`,
          { details: { path: spec.dbPath, reason: "cursor-running", processes: running } },
        );
      }
      let createdDir: string | undefined;
      if (spec.createDb) {
        createdDir = await fsp.mkdir(path.dirname(spec.dbPath), { recursive: true });
      }
      let db: SqliteDatabase;
      try {
        db = await openForWrite(spec, busyTimeoutMs);
      } catch (error) {
        if (error instanceof CasrError) throw error;
        throw new CasrError(
          "write-failed",
          `Cannot write Cursor chat "${spec.composerId}": cannot open "${spec.dbPath}" (${
            errorText(error)
          })`,
          { cause: error },
        );
      }
      let applied: Applied;
      try {
        if (spec.createDb) createTables(db);
        begin(db, spec);
        try {
          if (!spec.createDb) {
            const tables = tableNames(db);
            if (!tables.has("cursorDiskKV") || !tables.has("ItemTable")) {
              throw new Error(
                "it has no cursorDiskKV/ItemTable tables, so it is not Cursor's global state database",
              );
            }
            await backupOnce(spec.dbPath, (deps.now ?? Date.now)());
            if (spec.index.workspaceDb !== undefined) {
              await backupOnce(spec.index.workspaceDb, (deps.now ?? Date.now)());
            }
          }
          applied = writeAll(db, spec);
          db.exec("COMMIT");
        } catch (error) {
          db.exec("ROLLBACK");
          throw new CasrError(
            "write-failed",
            `Cannot write Cursor chat "${spec.composerId}" into "${spec.dbPath}": ${
              errorText(error)
            }; nothing was written`,
            { details: { path: spec.dbPath }, cause: error },
          );
        }
        const check = db.prepare("PRAGMA quick_check").all().map((r) =>
          String(Object.values(r)[0])
        );
        if (check.join() !== "ok") {
          db.close();
          await undoWrite(spec, applied, createdDir, busyTimeoutMs).catch(() => {});
          throw new CasrError(
            "write-failed",
            `Cannot write Cursor chat "${spec.composerId}": "${spec.dbPath}" fails its integrity check after the write (${
              check.slice(0, 3).join("; ")
            }); the write was undone, a backup copy is next to it`,
            { details: { path: spec.dbPath, check } },
          );
        }
      } catch (error) {
        try {
          db.close();
        } catch {
          // already closed
        }
        if (spec.createDb) {
          await undoWrite(spec, { replaced: new Map(), items: [] }, createdDir, busyTimeoutMs)
            .catch(() => {});
        }
        throw error;
      }
      db.close();
      const done = applied;
      return () => undoWrite(spec, done, createdDir, busyTimeoutMs);
    },
  };
}
