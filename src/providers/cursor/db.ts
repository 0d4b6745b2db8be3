/**
 * Read-only SQLite access for Cursor databases, with every failure turned into
 * a {@linkcode CasrError}.
 *
 * @module
 */
import { CasrError } from "../../errors.ts";
import { openSqlite, type SqliteDatabase } from "../../internal/sqlite.ts";

/**
 * Opens a database read-only.
 *
 * @param file The database file.
 * @param what What is being read, for messages (`session "abc"`).
 * @returns The open database.
 * @throws {CasrError} `provider-unavailable` when this runtime has no SQLite;
 * `parse-failed` when the file is not a readable database.
 */
export async function openReadOnly(file: string, what: string): Promise<SqliteDatabase> {
  let db: SqliteDatabase | undefined;
  try {
    db = await openSqlite(file, { readOnly: true });
  } catch (error) {
    throw new CasrError(
      "parse-failed",
      `Cannot read ${what}: "${file}" is not a readable database`,
      {
        details: { path: file },
        cause: error,
      },
    );
  }
  if (db === undefined) {
    throw new CasrError(
      "provider-unavailable",
      `Cannot read ${what}: this runtime has no SQLite (Deno, Bun or Node 22+ has it)`,
      { details: { path: file } },
    );
  }
  try {
    db.exec("PRAGMA busy_timeout = 2000");
    db.prepare("SELECT count(*) FROM sqlite_master").all();
  } catch (error) {
    db.close();
    throw new CasrError(
      "parse-failed",
      `Cannot read ${what}: "${file}" is not a readable database (${errorText(error)})`,
      { details: { path: file }, cause: error },
    );
  }
  return db;
}

/** The message of an unknown thrown value. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether a thrown SQLite error means another connection holds a lock. */
export function isBusyError(error: unknown): boolean {
  return /database is locked|SQLITE_BUSY|database table is locked|busy/i.test(errorText(error));
}

/** The names of the tables of a database. */
export function tableNames(db: SqliteDatabase, schema = "main"): Set<string> {
  const rows = db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table'`).all();
  return new Set(rows.map((r) => String(r.name)));
}

/** The column names of a table, in order. */
export function columnNames(db: SqliteDatabase, table: string, schema = "main"): string[] {
  return db.prepare(`PRAGMA ${schema}.table_info("${table.replaceAll('"', '""')}")`).all().map((
    c,
  ) => String(c.name));
}

/**
 * A stored value as text: TEXT passes, BLOB is decoded as UTF-8, NULL is `undefined`.
 *
 * @param value A column value.
 * @returns The text.
 */
export function valueText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return undefined;
}

/**
 * Parses a stored JSON value; `undefined` when it is missing or not JSON.
 *
 * @param value A column value.
 * @returns The parsed value.
 */
export function valueJson(value: unknown): unknown {
  const text = valueText(value);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads one key of a key/value table (`ItemTable`, `cursorDiskKV`).
 *
 * @param db The database.
 * @param table The table.
 * @param key The key.
 * @returns The raw value, or `undefined` when the key or table is missing.
 */
export function kvGet(db: SqliteDatabase, table: string, key: string): unknown {
  try {
    return db.prepare(`SELECT value FROM ${table} WHERE key = ?`).all(key)[0]?.value ?? undefined;
  } catch {
    return undefined;
  }
}

/** A plain JSON object, or `undefined`. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}

/** A non-empty string, or `undefined`. */
export function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
