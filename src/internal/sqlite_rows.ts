/**
 * Writing rows into another agent's SQLite table whose exact schema varies by
 * version: read the table's columns, fill the ones casr knows, give every
 * other required column an empty value of its type, and insert. Shared by the
 * Codex, Cline, Cursor and OpenCode-family writers.
 *
 * @module
 */
import type { SqliteDatabase } from "./sqlite.ts";

/** One column, as `PRAGMA table_info` reports it. */
export interface SqliteColumn {
  /** The column name. */
  name: string;
  /** Its declared type, upper case (may be empty). */
  type: string;
  /** `NOT NULL`. */
  notNull: boolean;
  /** Has a `DEFAULT`. */
  hasDefault: boolean;
  /** Part of the primary key. */
  primaryKey: boolean;
}

/**
 * Quotes an SQL identifier.
 *
 * @param name The table or column name.
 * @returns `"name"`, inner quotes doubled.
 *
 * @example
 * ```ts
 * import { quoteIdent } from "./sqlite_rows.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(quoteIdent('a"b'), '"a""b"');
 * ```
 */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The columns of a table (none when it does not exist).
 *
 * @param db The open database.
 * @param table The table name.
 * @returns Its columns, in order.
 */
export function tableColumns(db: SqliteDatabase, table: string): SqliteColumn[] {
  return db.prepare(`PRAGMA table_info(${quoteIdent(table)})`).all().map((c) => ({
    name: String(c.name),
    type: String(c.type ?? "").toUpperCase(),
    notNull: Number(c.notnull) === 1,
    hasDefault: c.dflt_value !== null && c.dflt_value !== undefined,
    primaryKey: Number(c.pk) > 0,
  }));
}

/**
 * The values to insert: every known value whose column exists, and for each
 * other `NOT NULL` column without a default (primary keys excepted) an empty
 * value of its type (`0` for numeric types, `""` otherwise). Values for
 * columns the table lacks are dropped.
 *
 * @param columns The table's columns.
 * @param known The values casr knows, by column name.
 * @returns Column name → value, in column order.
 *
 * @example
 * ```ts
 * import { fillRow } from "./sqlite_rows.ts";
 * import assert from "node:assert/strict";
 *
 * const col = (name: string, type: string, notNull: boolean) =>
 *   ({ name, type, notNull, hasDefault: false, primaryKey: false });
 * const row = fillRow([col("id", "TEXT", true), col("n", "INTEGER", true), col("x", "TEXT", false)], {
 *   id: "s1",
 *   gone: 1,
 * });
 * assert.deepEqual([...row], [["id", "s1"], ["n", 0]]);
 * ```
 */
export function fillRow(
  columns: readonly SqliteColumn[],
  known: Readonly<Record<string, unknown>>,
): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const column of columns) {
    const value = known[column.name];
    if (value !== undefined) values.set(column.name, value);
    else if (column.notNull && !column.hasDefault && !column.primaryKey) {
      values.set(column.name, /INT|REAL|NUM|BOOL/.test(column.type) ? 0 : "");
    }
  }
  return values;
}

/**
 * Inserts one row.
 *
 * @param db The open database (inside the caller's transaction).
 * @param table The table name.
 * @param row Column name → value.
 * @param options `replace` uses `INSERT OR REPLACE`.
 */
export function insertRow(
  db: SqliteDatabase,
  table: string,
  row: ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>,
  options: { replace?: boolean } = {},
): void {
  const entries = row instanceof Map ? [...row] : Object.entries(row);
  const names = entries.map(([name]) => quoteIdent(name));
  db.prepare(
    `INSERT${options.replace ? " OR REPLACE" : ""} INTO ${quoteIdent(table)} (${
      names.join(", ")
    }) VALUES (${names.map(() => "?").join(", ")})`,
  ).run(...entries.map(([, value]) => value));
}
