/**
 * The Go-era OpenCode database: `opencode-ai/opencode` 0.0.x kept its
 * sessions in `<data dir>/opencode.db`, the data dir being `.opencode` in the
 * directory it ran in; Crush, the project's continuation, keeps the same tables
 * in `.crush/crush.db`. Tables (goose migrations, confirmed from source):
 *
 * - `sessions`: `id` (UUID; `title-<id>` for title runs), `parent_session_id`,
 *   `title`, `message_count`, `prompt_tokens`, `completion_tokens`, `cost`,
 *   `created_at`, `updated_at`, later `summary_message_id` (Crush adds `todos`);
 * - `messages`: `id`, `session_id`, `role`, `parts` (JSON, see `go_parts.ts`),
 *   `model`, `created_at`, `updated_at`, `finished_at` (Crush adds `provider`,
 *   `is_summary_message`);
 * - `files`: versions of the files the agent wrote (`session_id`, `path`,
 *   `content`, `version`), not part of the conversation.
 *
 * The schema comments say milliseconds, but every insert writes
 * `strftime('%s', 'now')`: times are epoch seconds (both units are read).
 * Nothing records the project dir: it is the dir holding `.opencode`/`.crush`.
 *
 * A session is addressed as `<db>#<id>`; a bare database holding one top-level
 * session reads that one.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { CasrError } from "../../errors.ts";
import { str } from "../../internal/jsonl.ts";
import type { SqliteDatabase } from "../../internal/sqlite.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import type { ReadResult, Session, Warning } from "../../model/types.ts";
import { columnNames, openReadOnly, unreadable } from "./db.ts";
import { type GoMessageRow, goMessages } from "./go_parts.ts";

/** The code of the warning every Go-era read carries. */
export const GO_FORMAT_WARNING = "opencode-go-format";

/** The database names of the Go-era agents: Go OpenCode's and Crush's. */
export const GO_DB_NAMES: ReadonlySet<string> = new Set(["opencode.db", "crush.db"]);

/** The data dirs (in a project) that hold those databases, by database name. */
export const GO_DATA_DIRS: Readonly<Record<string, string>> = {
  "opencode.db": ".opencode",
  "crush.db": ".crush",
};

const SQLITE_MAGIC = "SQLite format 3";

/**
 * Splits `<db>#<id>` (a `.db` file and a session id) into its parts.
 *
 * @param file A path, maybe with `#<session id>`.
 * @returns The database and the id, if any.
 */
export function splitGoRef(file: string): { db: string; id?: string } {
  const at = file.lastIndexOf("#");
  if (at > 0) {
    const db = file.slice(0, at);
    const id = file.slice(at + 1);
    if (db.endsWith(".db") && /^[A-Za-z0-9_-]+$/.test(id)) return { db, id };
  }
  return { db: file };
}

/**
 * Whether a path may be a Go-era database or a session in one: `opencode.db` or
 * `crush.db` with SQLite's header, or `<that>#<id>`. Only opening it tells
 * the Go-era tables from OpenCode 1.x's (see {@linkcode goDatabaseOf}).
 *
 * @param file The path.
 * @param head The first bytes of the file ("" for `<db>#<id>`).
 * @returns `true` when the Go-era reader may read it.
 */
export function claimsGoStore(file: string, head: string): boolean {
  const { db, id } = splitGoRef(file);
  if (!GO_DB_NAMES.has(path.basename(db))) return false;
  return id !== undefined || head === "" || head.startsWith(SQLITE_MAGIC);
}

/**
 * Whether an open database has the Go-era tables (`sessions`, `messages`) and
 * not OpenCode 1.x's (`session`).
 *
 * @param db The open database.
 * @returns `true` for the Go-era schema.
 */
export function isGoSchema(db: SqliteDatabase): boolean {
  const tables = new Set(
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) =>
      String(r.name)
    ),
  );
  return tables.has("sessions") && tables.has("messages") && !tables.has("session");
}

/**
 * Opens the database a path names and tells whether it has the Go-era schema.
 *
 * @param file A `.db` file or `<db>#<id>`.
 * @returns The database and id when it is a Go-era database, else `undefined`.
 */
export async function goDatabaseOf(file: string): Promise<{ db: string; id?: string } | undefined> {
  const ref = splitGoRef(file);
  if (!ref.db.endsWith(".db")) return undefined;
  try {
    if (!(await fsp.stat(ref.db)).isFile()) return undefined;
    const handle = await openReadOnly("OpenCode", ref.db, ref.id ?? "");
    try {
      return isGoSchema(handle) ? ref : undefined;
    } finally {
      handle.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * The agent a Go-era database belongs to: Crush by its file name or its own
 * columns, else Go OpenCode.
 *
 * @param db The database file.
 * @param handle The open database.
 * @returns `Crush` or `Go OpenCode`.
 */
export function goAppOf(db: string, handle: SqliteDatabase): string {
  if (path.basename(db) === "crush.db") return "Crush";
  return columnNames(handle, "sessions").has("todos") ? "Crush" : "Go OpenCode";
}

/**
 * The project dir of a database in its default place: the dir holding
 * `.opencode/opencode.db` or `.crush/crush.db`.
 *
 * @param db The database file.
 * @returns The project dir, or `undefined` for a database elsewhere.
 */
export function goWorkspaceOf(db: string): string | undefined {
  const full = path.resolve(db);
  const dir = GO_DATA_DIRS[path.basename(full)];
  return dir !== undefined && path.basename(path.dirname(full)) === dir
    ? path.dirname(path.dirname(full))
    : undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

function failed(where: string, reason: string): CasrError {
  return new CasrError("parse-failed", `Cannot read OpenCode (Go) session "${where}": ${reason}`, {
    details: { path: where },
  });
}

/**
 * Picks the session a path names: the id itself, a unique prefix of one, or
 * (no id) the only top-level session.
 */
function pickSession(handle: SqliteDatabase, file: string, id: string | undefined): string {
  if (id === undefined) {
    const rows = handle.prepare(
      "SELECT id FROM sessions WHERE parent_session_id IS NULL OR parent_session_id = '' LIMIT 2",
    ).all();
    if (rows.length === 1) return String(rows[0]?.id);
    throw failed(
      file,
      rows.length === 0
        ? "the database holds no session"
        : "the database holds several sessions; give one as <db>#<session id> or by id",
    );
  }
  if (handle.prepare("SELECT id FROM sessions WHERE id = ?").all(id).length === 1) return id;
  const like = handle.prepare(
    "SELECT id FROM sessions WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
  ).all(`${id.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (like.length === 1) return String(like[0]?.id);
  throw failed(file, like.length === 0 ? "no such session in the database" : "the id is ambiguous");
}

function messageRows(handle: SqliteDatabase, id: string): GoMessageRow[] {
  const rows = handle.prepare(
    "SELECT * FROM messages WHERE session_id = ? ORDER BY created_at, rowid",
  ).all(id);
  return rows.map((r, i) => {
    const row: GoMessageRow = {
      id: str(r.id) ?? `message-${i + 1}`,
      parts: r.parts,
      record: i + 1,
    };
    const role = str(r.role);
    if (role !== undefined) row.role = role;
    const model = str(r.model);
    if (model !== undefined) row.model = model;
    const created = typeof r.created_at === "bigint" ? Number(r.created_at) : r.created_at;
    if (created !== undefined && created !== null) row.createdAt = created;
    return row;
  });
}

function toSession(
  provider: string,
  db: string,
  row: Record<string, unknown>,
  rows: readonly GoMessageRow[],
  warnings: Warning[],
): Session {
  const id = String(row.id);
  const ref = `${db}#${id}`;
  const summaryMessageId = str(row.summary_message_id);
  const messages = goMessages(rows, warnings, {
    source: ref,
    ...(summaryMessageId === undefined ? {} : { summaryMessageId }),
  });
  const session: Session = { id, provider, messages, metadata: {}, sourcePath: ref };
  const workspace = goWorkspaceOf(db);
  if (workspace !== undefined) session.workspace = workspace;
  const title = str(row.title);
  if (title !== undefined) session.title = title;
  const times = messages.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  const started = times[0] ?? parseTimestamp(num(row.created_at));
  const ended = times.at(-1) ?? parseTimestamp(num(row.updated_at)) ?? started;
  if (started !== undefined) session.startedAt = started;
  if (ended !== undefined) session.endedAt = ended;
  const model = messages.findLast((m) => m.role === "assistant" && m.author)?.author;
  if (model !== undefined) session.model = model;
  const facts: Record<string, unknown> = {
    database: db,
    format: "opencode-go",
    parentSessionId: str(row.parent_session_id),
    summaryMessageId,
    promptTokens: num(row.prompt_tokens),
    completionTokens: num(row.completion_tokens),
    cost: num(row.cost),
  };
  for (const [key, value] of Object.entries(facts)) {
    if (value !== undefined) session.metadata[key] = value;
  }
  return session;
}

/**
 * Reads one session of a Go-era database leniently: bad parts and rows are
 * warnings, and the first warning says the Go-era format was read.
 *
 * @param provider The casr provider id the session is read for (`opencode`).
 * @param file `<db>#<session id or unique prefix>`, or a database holding one top-level session.
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when the database is missing, not Go-era, or has no such session.
 */
export async function readGoStore(provider: string, file: string): Promise<ReadResult> {
  const { db: given, id } = splitGoRef(file);
  const db = path.resolve(given);
  try {
    await fsp.access(db);
  } catch {
    throw failed(file, "the database does not exist");
  }
  const handle = await openReadOnly("OpenCode (Go)", db, id ?? "");
  try {
    if (!isGoSchema(handle)) throw failed(file, "the database has no sessions and messages tables");
    const app = goAppOf(db, handle);
    const sessionId = pickSession(handle, file, id);
    const row = handle.prepare("SELECT * FROM sessions WHERE id = ?").all(sessionId)[0] ?? {};
    const warnings: Warning[] = [{
      code: GO_FORMAT_WARNING,
      message: `Read ${db} as a Go-era OpenCode database (${app}; the sessions and messages ` +
        `tables with JSON parts of opencode-ai/opencode 0.0.x and Crush), not OpenCode 1.x's`,
    }];
    const session = toSession(provider, db, row, messageRows(handle, sessionId), warnings);
    session.metadata.app = app;
    if (session.messages.length === 0 && session.title === undefined) {
      throw failed(file, "the session has no messages");
    }
    return { session, warnings };
  } catch (error) {
    if (error instanceof CasrError) throw error;
    throw unreadable("OpenCode (Go)", db, id ?? "", error);
  } finally {
    handle.close();
  }
}
