/**
 * Writing a new session into an OpenCode-store database (OpenCode's, Kilo
 * CLI's), and undoing it.
 *
 * Three ways, chosen by the writer:
 * - **rows** (the database exists): one `BEGIN IMMEDIATE` transaction with a
 *   5 s busy timeout and `foreign_keys = ON` inserts the `session`, `message`
 *   and `part` rows (and the `project` row when it is missing). Only columns
 *   the table has are written. A session with the same id (a conversion
 *   redone with `--force`) is replaced; the undo deletes exactly the rows it
 *   added and puts back any it replaced. No `event` rows are needed: 1.18.33
 *   lists and resumes sessions from these tables alone (confirmed with the
 *   real CLI, see fixtures/README.md; Kilo CLI 7.7.9 likewise).
 * - **import** (no database, the binary on PATH, the workspace exists): the
 *   session is written to a temp file in the OS temp dir in `opencode export`
 *   shape and `<binary> import <file>` runs in the workspace; the agent creates
 *   its database and files the session under the workspace's project itself.
 * - **create** (no database, no binary): the database is created with the
 *   flavor's schema (e.g. OpenCode 1.18.33's), then the rows are inserted; the
 *   undo removes the database files it created.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { exists } from "../../internal/fs.ts";
import { commitOrRollBack, openSqlite, type SqliteDatabase } from "../../internal/sqlite.ts";
import { fillRow, insertRow, type SqliteColumn, tableColumns } from "../../internal/sqlite_rows.ts";
import type { WriteEffect } from "../../model/provider_data.ts";
import { columnNames } from "./db.ts";
import type { StoreFlavor, StoreSchema } from "./flavor.ts";
import { exportShape, type Row, type SessionRows } from "./rows.ts";

/** Inserts a row, writing only the columns the table has (a required unknown column gets an empty value). */
function insert(db: SqliteDatabase, table: string, columns: SqliteColumn[], row: Row): void {
  insertRow(db, table, fillRow(columns, row));
}

/** Rows of a session that a `--force` rewrite replaced, to put back on undo. */
interface Replaced {
  session: Record<string, unknown>[];
  messages: Record<string, unknown>[];
  parts: Record<string, unknown>[];
}

/** What {@linkcode insertRows} did. */
interface InsertRecord {
  createdProject: boolean;
  replaced?: Replaced;
}

function deleteSession(db: SqliteDatabase, id: string): void {
  db.prepare("DELETE FROM part WHERE session_id = ?").run(id);
  db.prepare("DELETE FROM message WHERE session_id = ?").run(id);
  db.prepare("DELETE FROM session WHERE id = ?").run(id);
}

function reinsert(db: SqliteDatabase, table: string, rows: Record<string, unknown>[]): void {
  for (const row of rows) insertRow(db, table, row);
}

function begin(db: SqliteDatabase): void {
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("BEGIN IMMEDIATE");
}

/** Inserts every row in one transaction. */
function insertRows(db: SqliteDatabase, rows: SessionRows): InsertRecord {
  begin(db);
  try {
    const id = String(rows.session.id);
    const record: InsertRecord = { createdProject: false };
    const old = db.prepare("SELECT * FROM session WHERE id = ?").all(id);
    if (old.length > 0) {
      record.replaced = {
        session: old,
        messages: db.prepare("SELECT * FROM message WHERE session_id = ?").all(id),
        parts: db.prepare("SELECT * FROM part WHERE session_id = ?").all(id),
      };
      deleteSession(db, id);
    }
    const project = db.prepare("SELECT id FROM project WHERE id = ?").all(rows.project.id);
    if (project.length === 0) {
      insert(db, "project", tableColumns(db, "project"), rows.project);
      record.createdProject = true;
    }
    insert(db, "session", tableColumns(db, "session"), rows.session);
    const messageColumns = tableColumns(db, "message");
    for (const row of rows.messages) insert(db, "message", messageColumns, row);
    const partColumns = tableColumns(db, "part");
    for (const row of rows.parts) insert(db, "part", partColumns, row);
    db.exec("COMMIT");
    return record;
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

/** Deletes the rows {@linkcode insertRows} (or an import) added and restores what they replaced. */
async function undoRows(
  dbPath: string,
  id: string,
  projectId: string,
  record: InsertRecord,
): Promise<void> {
  const db = await openSqlite(dbPath);
  if (db === undefined) return;
  try {
    begin(db);
    commitOrRollBack(db, () => {
      deleteSession(db, id);
      if (record.replaced) {
        reinsert(db, "session", record.replaced.session);
        reinsert(db, "message", record.replaced.messages);
        reinsert(db, "part", record.replaced.parts);
      }
      if (record.createdProject) {
        const users = db.prepare("SELECT COUNT(*) AS n FROM session WHERE project_id = ?").all(
          projectId,
        );
        if (Number(users[0]?.n ?? 0) === 0) {
          db.prepare("DELETE FROM project WHERE id = ?").run(projectId);
        }
      }
    });
  } finally {
    db.close();
  }
}

async function openWritable(dbPath: string): Promise<SqliteDatabase> {
  const db = await openSqlite(dbPath);
  if (db === undefined) {
    throw new Error("this runtime has no SQLite (Node 22+, Deno or Bun has it)");
  }
  return db;
}

/**
 * The effect that inserts the rows into an existing database.
 *
 * @param flavor The agent.
 * @param dbPath The database.
 * @param rows The rows.
 * @returns The effect.
 */
export function rowsEffect(flavor: StoreFlavor, dbPath: string, rows: SessionRows): WriteEffect {
  const id = String(rows.session.id);
  const projectId = String(rows.project.id);
  return {
    description:
      `Add ${flavor.app} session ${id} (${rows.messages.length} messages, ${rows.parts.length} parts) to ${dbPath}`,
    async apply() {
      const db = await openWritable(dbPath);
      let record: InsertRecord;
      try {
        if (columnNames(db, "session").size === 0) {
          throw new Error(`it has no session table (not a ${flavor.app} database)`);
        }
        record = insertRows(db, rows);
      } finally {
        db.close();
      }
      return () => undoRows(dbPath, id, projectId, record);
    },
  };
}

/** Creates missing directories, returning those it created (outermost first). */
async function mkdirs(dir: string): Promise<string[]> {
  const missing: string[] = [];
  let current = dir;
  while (!(await exists(current))) {
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  missing.reverse();
  for (const d of missing) await fsp.mkdir(d).catch(() => {});
  return missing;
}

/**
 * Creates a database with a flavor's schema and its migration records.
 *
 * @param db The open (new, empty) database.
 * @param schema The schema.
 * @param now Epoch ms recorded as the migrations' completion time.
 */
export function createSchema(db: SqliteDatabase, schema: StoreSchema, now: number): void {
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("BEGIN IMMEDIATE");
  commitOrRollBack(db, () => {
    for (const sql of schema.statements) db.exec(sql);
    const record = db.prepare("INSERT INTO migration (id, time_completed) VALUES (?, ?)");
    for (const name of schema.migrations) record.run(name, now);
  });
}

/**
 * The effect that creates the database (when it still does not exist) and inserts the rows.
 *
 * @param flavor The agent (its schema).
 * @param dbPath The database to create.
 * @param rows The rows.
 * @param now Epoch ms.
 * @returns The effect.
 */
export function createEffect(
  flavor: StoreFlavor,
  dbPath: string,
  rows: SessionRows,
  now: number,
): WriteEffect {
  const id = String(rows.session.id);
  return {
    description:
      `Create ${dbPath} with ${flavor.app} ${flavor.schema.version}'s schema and add session ${id} (${rows.messages.length} messages)`,
    async apply() {
      if (await exists(dbPath)) return await rowsEffect(flavor, dbPath, rows).apply();
      const createdDirs = await mkdirs(path.dirname(dbPath));
      const removeAll = async (): Promise<void> => {
        for (const suffix of ["", "-wal", "-shm", "-journal"]) {
          await fsp.rm(`${dbPath}${suffix}`, { force: true });
        }
        for (const dir of [...createdDirs].reverse()) {
          try {
            await fsp.rmdir(dir);
          } catch {
            break;
          }
        }
      };
      try {
        const db = await openWritable(dbPath);
        try {
          createSchema(db, flavor.schema, now);
          insertRows(db, rows);
        } finally {
          db.close();
        }
      } catch (error) {
        await removeAll();
        throw error;
      }
      return removeAll;
    },
  };
}

async function run(
  binary: string,
  args: string[],
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<{ code: number; output: string }> {
  const { execFile } = await import("node:child_process"); // only when an agent is run
  return await new Promise((resolve) => {
    execFile(
      binary,
      args,
      { cwd, env: env as NodeJS.ProcessEnv, timeout: 180_000, maxBuffer: 8 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, output: `${stdout ?? ""}${stderr ?? ""}` });
      },
    );
  });
}

/**
 * The effect that runs `<binary> import <file>` in the workspace.
 *
 * @param flavor The agent.
 * @param binary The agent's executable.
 * @param dbPath The database the agent will create and write.
 * @param rows The rows (sent in export shape).
 * @param workspace Where to run the import (its project gets the session).
 * @param env The environment for the agent.
 * @returns The effect.
 */
export function importEffect(
  flavor: StoreFlavor,
  binary: string,
  dbPath: string,
  rows: SessionRows,
  workspace: string,
  env: Record<string, string | undefined>,
): WriteEffect {
  const id = String(rows.session.id);
  return {
    description:
      `Run \`${flavor.binary} import\` in ${workspace} for session ${id} (creates ${dbPath})`,
    async apply() {
      const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `casr-${flavor.provider}-`));
      const file = path.join(dir, `${id}.json`);
      try {
        await fsp.writeFile(file, JSON.stringify(exportShape(rows)), { mode: 0o600 });
        const result = await run(binary, ["import", file], workspace, env);
        if (result.code !== 0 || !result.output.includes(id)) {
          throw new Error(
            `${flavor.binary} import exited ${result.code}: ${result.output.trim().slice(-400)}`,
          );
        }
      } finally {
        await fsp.rm(dir, { recursive: true, force: true });
      }
      return () => undoRows(dbPath, id, String(rows.project.id), { createdProject: false });
    },
  };
}
