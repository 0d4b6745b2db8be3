/**
 * Reading an OpenCode-store SQLite database (`session`, `message`, `part`
 * tables of OpenCode 1.2–1.18 and Kilo CLI 7.x). Every query is read-only; a row whose `data` is not a JSON object
 * is skipped with a warning.
 *
 * @module
 */
import { CasrError } from "../../errors.ts";
import { definedFields, isRecord, str } from "../../internal/jsonl.ts";
import { openSqlite, type SqliteDatabase } from "../../internal/sqlite.ts";
import type { Warning } from "../../model/types.ts";
import type { NativeMessage, NativePart } from "./history.ts";

/** A `session` row, the columns casr uses. */
export interface SessionRow {
  /** `ses_…`. */
  id: string;
  /** `project_id`. */
  projectId?: string;
  /** `parent_id` (set for sub-agent sessions). */
  parentId?: string;
  /** `slug`. */
  slug?: string;
  /** `directory`: the cwd. */
  directory?: string;
  /** `title`. */
  title?: string;
  /** `version`: the agent version that created it. */
  version?: string;
  /** `model` JSON (`{id, providerID, variant?}`), when set. */
  model?: Record<string, unknown>;
  /** `time_created`, epoch ms. */
  timeCreated?: number;
  /** `time_updated`, epoch ms. */
  timeUpdated?: number;
}

/**
 * Opens a database read-only, or fails with a CasrError naming it.
 *
 * @param app The agent's name, for messages.
 * @param db The database file.
 * @param id The session wanted, for the message.
 * @returns The open database.
 * @throws {CasrError} `parse-failed` when this runtime has no SQLite or the file is not a database.
 */
export async function openReadOnly(app: string, db: string, id = ""): Promise<SqliteDatabase> {
  let handle: SqliteDatabase | undefined;
  try {
    handle = await openSqlite(db, { readOnly: true });
    if (handle !== undefined) handle.exec("PRAGMA busy_timeout = 5000");
  } catch (error) {
    handle?.close();
    throw unreadable(app, db, id, error);
  }
  if (handle === undefined) {
    throw new CasrError(
      "parse-failed",
      `Cannot read ${app} session${
        id ? ` "${id}"` : "s"
      } in "${db}": this runtime has no SQLite (Node 22+, Deno or Bun has it)`,
      { details: { path: db } },
    );
  }
  return handle;
}

/**
 * The error for a database that cannot be queried.
 *
 * @param app The agent's name, for the message.
 * @param db The database file.
 * @param id The session, if one was wanted.
 * @param error The cause.
 * @returns A `parse-failed` CasrError; one for a table or column the
 * database lacks says its layout is not the agent's.
 */
export function unreadable(app: string, db: string, id: string, error: unknown): CasrError {
  let reason = error instanceof Error ? error.message : String(error);
  // A database with tables of the same names but other columns (another
  // tool's, or a layout casr has not met) fails a query, not the open.
  if (/no such (column|table)/i.test(reason)) {
    reason = `its tables are not laid out as ${app} lays them out (${reason}): ` +
      `it was made by another tool, or by a version of ${app} casr does not read`;
  }
  return new CasrError(
    "parse-failed",
    `Cannot read ${app} session${id ? ` "${id}"` : "s"} in "${db}": ${reason}`,
    { details: { path: db }, cause: error },
  );
}

function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

function parseObject(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Maps a `session` row.
 *
 * @param row The row.
 * @returns The session facts, or `undefined` when the row has no id.
 */
export function sessionRowOf(row: Record<string, unknown>): SessionRow | undefined {
  const id = str(row.id);
  if (id === undefined) return undefined;
  return definedFields<SessionRow>({
    id,
    projectId: str(row.project_id),
    parentId: str(row.parent_id),
    slug: str(row.slug),
    directory: str(row.directory),
    title: str(row.title),
    version: str(row.version),
    model: parseObject(row.model),
    timeCreated: num(row.time_created),
    timeUpdated: num(row.time_updated),
  });
}

/** The names of a table's columns (empty when the table does not exist). */
export function columnNames(db: SqliteDatabase, table: string): Set<string> {
  return new Set(db.prepare(`PRAGMA table_info(${table})`).all().map((c) => String(c.name)));
}

/**
 * Reads one session with its messages and parts.
 *
 * @param db The open database.
 * @param id The session id.
 * @param warnings Receives rows that had to be skipped.
 * @returns The session row and its messages, or `undefined` when there is no such session.
 */
export function readSessionRows(
  db: SqliteDatabase,
  id: string,
  warnings: Warning[],
): { session: SessionRow; messages: NativeMessage[] } | undefined {
  const row = db.prepare("SELECT * FROM session WHERE id = ?").all(id)[0];
  const session = row === undefined ? undefined : sessionRowOf(row);
  if (session === undefined) return undefined;
  const partsByMessage = new Map<string, NativePart[]>();
  const partRows = db.prepare(
    "SELECT id, message_id, data FROM part WHERE session_id = ? ORDER BY message_id, id",
  ).all(id);
  partRows.forEach((p, i) => {
    const partId = str(p.id) ?? `part-${i + 1}`;
    const data = parseObject(p.data);
    const messageId = str(p.message_id);
    if (data === undefined || messageId === undefined) {
      warnings.push({
        code: "malformed-record",
        message: `Skipped part ${partId}: its data is not a JSON object`,
        line: i + 1,
      });
      return;
    }
    const list = partsByMessage.get(messageId) ?? [];
    list.push({ id: partId, data });
    partsByMessage.set(messageId, list);
  });
  const messages: NativeMessage[] = [];
  const messageRows = db.prepare(
    "SELECT id, time_created, data FROM message WHERE session_id = ? ORDER BY time_created, id",
  ).all(id);
  messageRows.forEach((m, i) => {
    const messageId = str(m.id) ?? `message-${i + 1}`;
    const info = parseObject(m.data);
    if (info === undefined) {
      warnings.push({
        code: "malformed-record",
        message: `Skipped message ${messageId}: its data is not a JSON object`,
        line: i + 1,
      });
      return;
    }
    const native: NativeMessage = {
      id: messageId,
      info,
      parts: partsByMessage.get(messageId) ?? [],
      record: i + 1,
    };
    const created = num(m.time_created);
    if (created !== undefined) native.timeCreated = created;
    messages.push(native);
  });
  return { session, messages };
}

/** One listed session: its row and cheap counts. */
export interface SessionListing {
  /** The session row. */
  session: SessionRow;
  /** Messages plus assistant messages that carry tool parts (≈ canonical count). */
  messageCount: number;
  /** Bytes of message and part data. */
  sizeBytes: number;
  /** The first user text part, when cheap to get. */
  firstPrompt?: string;
}

/**
 * Lists sessions with counts from aggregate queries (no conversation is parsed).
 *
 * @param db The open database.
 * @param where An optional `WHERE` clause on `session` (`s`) with `?` parameters.
 * @param params Its parameters.
 * @returns The sessions.
 */
export function listSessionRows(
  db: SqliteDatabase,
  where = "",
  params: unknown[] = [],
): SessionListing[] {
  const rows = db.prepare(
    `SELECT s.*,
       (SELECT COUNT(*) FROM message m WHERE m.session_id = s.id) AS n_messages,
       (SELECT COUNT(DISTINCT p.message_id) FROM part p
          WHERE p.session_id = s.id AND p.data LIKE '%"type":"tool"%') AS n_tool_messages,
       (SELECT COALESCE(SUM(LENGTH(m.data)), 0) FROM message m WHERE m.session_id = s.id) +
       (SELECT COALESCE(SUM(LENGTH(p.data)), 0) FROM part p WHERE p.session_id = s.id) AS n_bytes
     FROM session s ${where}`,
  ).all(...params);
  const out: SessionListing[] = [];
  for (const row of rows) {
    const session = sessionRowOf(row);
    if (session === undefined) continue;
    out.push({
      session,
      messageCount: (num(row.n_messages) ?? 0) + (num(row.n_tool_messages) ?? 0),
      sizeBytes: num(row.n_bytes) ?? 0,
    });
  }
  return out;
}
