/**
 * A tiny SQLite shim: `node:sqlite` (Deno 2.2+, Bun 1.4+, Node 22+), then `bun:sqlite`.
 *
 * @module
 */
import { constants } from "node:fs";
import * as fsp from "node:fs/promises";
import { noteDenied } from "./denied.ts";

/** A prepared statement, the subset casr uses. */
export interface SqliteStatement {
  /** Runs the statement and returns every row. */
  all(...params: unknown[]): Record<string, unknown>[];
  /** Runs the statement for its effect. */
  run(...params: unknown[]): unknown;
}

/** An open database, the subset casr uses. */
export interface SqliteDatabase {
  /** Runs SQL with no result. */
  exec(sql: string): void;
  /** Prepares a statement. */
  prepare(sql: string): SqliteStatement;
  /** Closes the database. */
  close(): void;
}

type Opener = (path: string, readOnly: boolean) => SqliteDatabase;

/** What a statement may offer for rows as arrays (`node:sqlite` 22.16+, `bun:sqlite`). */
interface ArrayRows {
  setReturnArrays?: (enabled: boolean) => void;
  values?: (...params: unknown[]) => unknown[][];
}

/**
 * Every row of a statement as an array of its columns' values, in the order
 * selected. Far cheaper than one object per row (10,000 rows of six columns:
 * about 35 ms against 80 under Deno); a driver without arrays gives objects,
 * turned into arrays here. Use the statement for nothing else after.
 *
 * @param statement A statement of this module's database.
 * @param params Its parameters.
 * @returns The rows.
 */
export function allArrays(statement: SqliteStatement, ...params: unknown[]): unknown[][] {
  const s = statement as SqliteStatement & ArrayRows;
  if (typeof s.setReturnArrays === "function") {
    s.setReturnArrays(true);
    return s.all(...params) as unknown as unknown[][];
  }
  if (typeof s.values === "function") return s.values(...params);
  return s.all(...params).map((row) => Object.values(row));
}

let opener: Opener | null | undefined;

async function loadOpener(): Promise<Opener | null> {
  try {
    const mod = await import("node:sqlite") as unknown as {
      DatabaseSync: new (path: string, options?: { readOnly?: boolean }) => SqliteDatabase;
    };
    return (path, readOnly) => new mod.DatabaseSync(path, { readOnly });
  } catch {
    // not available (Node 20)
  }
  try {
    const specifier = "bun:sqlite";
    const mod = await import(specifier) as {
      Database: new (path: string, options?: { readonly?: boolean }) => SqliteDatabase;
    };
    return (path, readOnly) => new mod.Database(path, { readonly: readOnly });
  } catch {
    return null;
  }
}

/**
 * Opens a SQLite database, or returns `undefined` when this runtime has no SQLite.
 *
 * @param path The database file.
 * @param options `readOnly` opens without write access.
 * @returns The database, or `undefined`.
 */
export async function openSqlite(
  path: string,
  options: { readOnly?: boolean } = {},
): Promise<SqliteDatabase | undefined> {
  if (opener === undefined) opener = await loadOpener();
  if (opener === null) return undefined;
  try {
    return opener(path, options.readOnly ?? false);
  } catch (error) {
    // SQLite says only "unable to open database file": ask the file system why,
    // so a list or lookup that skips the database can say it was unreadable.
    await fsp.access(path, constants.R_OK).catch((refusal) => noteDenied(refusal, path));
    throw error;
  }
}

/**
 * Runs `work` inside the transaction the caller has begun: `COMMIT` after it,
 * `ROLLBACK` when it throws (and the error goes on).
 *
 * @param db The database, with a transaction open.
 * @param work The statements; synchronous, as the driver is.
 * @returns What `work` returns.
 */
export function commitOrRollBack<T>(db: SqliteDatabase, work: () => T): T {
  try {
    const result = work();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}
