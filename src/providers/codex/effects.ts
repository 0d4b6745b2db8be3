/**
 * Side effects of writing a Codex thread: its row in the `state_*.sqlite`
 * `threads` table and its entry in `session_index.jsonl`. Both are only done
 * when the database / index already exist (a fresh Codex home re-indexes the
 * rollouts at start), and both can be undone.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { exists, listDir } from "../../internal/fs.ts";
import { isoTime } from "../../internal/ids.ts";
import { commitOrRollBack, openSqlite, type SqliteDatabase } from "../../internal/sqlite.ts";
import {
  fillRow,
  insertRow,
  quoteIdent,
  type SqliteColumn,
  tableColumns,
} from "../../internal/sqlite_rows.ts";
import type { Warning } from "../../model/types.ts";
import type { ProviderContext, WriteEffect } from "../types.ts";
import { sessionIndexPath, sqliteDirs } from "./paths.ts";

/** The facts of the new thread that go into its `threads` row. */
export interface ThreadRow {
  /** The thread id. */
  id: string;
  /** The absolute rollout path. */
  rolloutPath: string;
  /** The thread's working directory. */
  cwd: string;
  /** The title (may be ""). */
  title: string;
  /** The first user prompt (may be ""). */
  firstUserMessage: string;
  /** The model written into the rollout. */
  model: string;
  /** The model provider written into the rollout. */
  modelProvider: string;
  /** Conversation start, epoch ms (`created_at`). */
  createdAt: number;
  /** Write time, epoch ms (`updated_at`). */
  now: number;
  /** The `cli_version` written into the rollout. */
  cliVersion: string;
  /** The `originator` written into the rollout. */
  originator: string;
}

/** A planned `threads` insert, waiting for the row's facts. */
export interface ThreadRowPlan {
  /** The database file. */
  dbPath: string;
  /** The `model_provider` of the most recently updated existing thread, if any. */
  newestProvider?: string;
  /**
   * Builds the effect for one row.
   *
   * @param row The new thread.
   * @returns The effect.
   */
  effect(row: ThreadRow): WriteEffect;
}

/**
 * The newest state database (`state_<n>.sqlite`, highest `n`) in
 * `CODEX_SQLITE_HOME` (else the Codex home) or its `sqlite/` subfolder.
 *
 * @param ctx Where to look.
 * @returns The database path, or `undefined` when there is none.
 */
export async function findStateDb(ctx: ProviderContext): Promise<string | undefined> {
  let best: { path: string; version: number } | undefined;
  for (const dir of sqliteDirs(ctx)) {
    for (const entry of await listDir(dir)) {
      const match = /^state_(\d+)\.sqlite$/.exec(entry.name);
      if (!match || !entry.isFile) continue;
      const version = Number(match[1]);
      if (!best || version > best.version) best = { path: entry.path, version };
    }
  }
  return best?.path;
}

const COPIED = ["sandbox_policy", "approval_mode", "model_provider"] as const;

function newestRow(
  db: SqliteDatabase,
  columns: SqliteColumn[],
): Record<string, unknown> | undefined {
  const names = new Set(columns.map((c) => c.name));
  const wanted = COPIED.filter((c) => names.has(c));
  if (wanted.length === 0) return undefined;
  const order = names.has("updated_at") ? " ORDER BY updated_at DESC" : "";
  const sql = `SELECT ${wanted.map(quoteIdent).join(", ")} FROM threads${order} LIMIT 1`;
  return db.prepare(sql).all()[0];
}

function textOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The column values for a new row: the thread's facts, `sandbox_policy` and
 * `approval_mode` copied from the newest existing row (their encoding changes
 * between Codex versions), `source` = `cli` and `model_provider` = the
 * rollout's (so the row agrees with the file), `has_user_event` = 1, and for
 * any other NOT NULL column without a default, an empty value of its type.
 */
function rowValues(
  row: ThreadRow,
  columns: SqliteColumn[],
  newest: Record<string, unknown> | undefined,
): Map<string, unknown> {
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const wanted: Record<string, string | number> = {
    id: row.id,
    rollout_path: row.rolloutPath,
    created_at: seconds(row.createdAt),
    updated_at: seconds(row.now),
    created_at_ms: row.createdAt,
    updated_at_ms: row.now,
    recency_at: seconds(row.now),
    recency_at_ms: row.now,
    source: "cli",
    model_provider: row.modelProvider,
    cwd: row.cwd,
    title: row.title,
    sandbox_policy: textOf(newest?.sandbox_policy) ?? JSON.stringify({ type: "read-only" }),
    approval_mode: textOf(newest?.approval_mode) ?? "on-request",
    tokens_used: 0,
    has_user_event: 1,
    archived: 0,
    cli_version: row.cliVersion,
    first_user_message: row.firstUserMessage,
    preview: row.firstUserMessage,
    model: row.model,
    thread_source: "user",
    originator: row.originator,
    history_mode: "legacy",
  };
  return fillRow(columns, wanted);
}

/** What {@linkcode upsertRow} did: whether it wrote, and the row it replaced. */
interface UpsertRecord {
  written: boolean;
  replaced?: Record<string, unknown>;
}

/**
 * Inserts the row, replacing a row with the same id (a conversion redone with
 * `--force`); the replaced row is returned so the undo can put it back.
 */
function upsertRow(dbPath: string, db: SqliteDatabase, row: ThreadRow): UpsertRecord {
  db.exec("PRAGMA busy_timeout = 5000");
  const columns = tableColumns(db, "threads");
  if (columns.length === 0) return { written: false };
  db.exec("BEGIN IMMEDIATE");
  try {
    const replaced = db.prepare("SELECT * FROM threads WHERE id = ?").all(row.id)[0];
    const newest = newestRow(db, columns);
    const values = rowValues(row, columns, newest);
    insertRow(db, "threads", values, { replace: true });
    db.exec("COMMIT");
    return replaced === undefined ? { written: true } : { written: true, replaced };
  } catch (error) {
    db.exec("ROLLBACK");
    throw new Error(`Cannot register thread "${row.id}" in "${dbPath}": ${String(error)}`, {
      cause: error,
    });
  }
}

async function undoUpsert(dbPath: string, id: string, record: UpsertRecord): Promise<void> {
  const db = await openSqlite(dbPath);
  if (db === undefined) return;
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    db.exec("BEGIN IMMEDIATE");
    commitOrRollBack(db, () => {
      db.prepare("DELETE FROM threads WHERE id = ?").run(id);
      if (record.replaced) insertRow(db, "threads", record.replaced);
    });
  } finally {
    db.close();
  }
}

/**
 * Plans the `threads` row, when a state database exists. Reads the newest
 * existing row's `model_provider` now (read-only). When this runtime has no
 * SQLite (Node 20) or the database cannot be opened, adds a warning and plans
 * nothing.
 *
 * @param ctx Where to look.
 * @param warnings Receives the reason when the row is skipped.
 * @returns The plan, or `undefined` when no row will be written.
 */
export async function planThreadRowEffect(
  ctx: ProviderContext,
  warnings: Warning[],
): Promise<ThreadRowPlan | undefined> {
  const dbPath = await findStateDb(ctx);
  if (dbPath === undefined) return undefined;
  let newestProvider: string | undefined;
  try {
    const db = await openSqlite(dbPath, { readOnly: true });
    if (db === undefined) {
      warnings.push({
        code: "sqlite-unavailable",
        message:
          `Cannot register the thread in "${dbPath}": this runtime has no SQLite (Node 22+, Deno or Bun has it); \`codex resume <id>\` still works, \`codex resume --last\` and the picker may miss it`,
      });
      return undefined;
    }
    try {
      const columns = tableColumns(db, "threads");
      if (columns.length === 0) return undefined;
      newestProvider = textOf(newestRow(db, columns)?.model_provider);
    } finally {
      db.close();
    }
  } catch (error) {
    warnings.push({
      code: "sqlite-unreadable",
      message: `Cannot register the thread in "${dbPath}": ${
        error instanceof Error ? error.message : String(error)
      }`,
    });
    return undefined;
  }
  const plan: ThreadRowPlan = {
    dbPath,
    effect: (row) => ({
      description: `Register thread ${row.id} in ${path.basename(dbPath)} (${dbPath})`,
      async apply() {
        const db = await openSqlite(dbPath);
        if (db === undefined) return;
        let record: UpsertRecord;
        try {
          record = upsertRow(dbPath, db, row);
        } finally {
          db.close();
        }
        if (!record.written) return;
        return () => undoUpsert(dbPath, row.id, record);
      },
    }),
  };
  if (newestProvider !== undefined) plan.newestProvider = newestProvider;
  return plan;
}

/**
 * Plans appending `{id, thread_name, updated_at}` to `session_index.jsonl`,
 * only when that file already exists. The undo truncates it back.
 *
 * @param root The Codex home.
 * @param id The thread id.
 * @param title The thread name.
 * @param now The write time, epoch ms.
 * @returns The effect, or `undefined` when there is no index file.
 */
export async function planSessionIndexEffect(
  root: string,
  id: string,
  title: string,
  now: number,
): Promise<WriteEffect | undefined> {
  const file = sessionIndexPath(root);
  if (!(await exists(file))) return undefined;
  return {
    description: `Name thread ${id} "${title}" in ${file}`,
    async apply() {
      const size = (await fsp.stat(file)).size;
      let prefix = "";
      if (size > 0) {
        const handle = await fsp.open(file, "r");
        try {
          const last = new Uint8Array(1);
          await handle.read(last, 0, 1, size - 1);
          if (last[0] !== 0x0a) prefix = "\n";
        } finally {
          await handle.close();
        }
      }
      const entry = JSON.stringify({ id, thread_name: title, updated_at: isoTime(now) });
      await fsp.appendFile(file, `${prefix}${entry}\n`, "utf8");
      return async () => {
        await fsp.truncate(file, size);
      };
    },
  };
}
