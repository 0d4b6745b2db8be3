/**
 * Reading OpenClaw's per-agent database (`openclaw-agent.sqlite`, 2026.7+),
 * read-only: `transcript_events` holds one Pi entry per row (`event_json`, or
 * zstd in `event_zstd`), `session_windows` one row per session id,
 * `session_nodes` the session key's entry, and `session_transcript_index_state`
 * the leaf of the active branch. Nothing here writes: new sessions reach the
 * database only through OpenClaw's own importer.
 *
 * @module
 */
import { CasrError } from "../../errors.ts";
import { openSqlite, type SqliteDatabase } from "../../internal/sqlite.ts";
import { zstdText } from "../../internal/zstd.ts";
import type { PiRawEntry } from "../../formats/pi_session.ts";
import type { Warning } from "../../model/types.ts";
import { clipText } from "../../model/normalize.ts";

/** One session of a database, as listed. */
export interface DbSessionRow {
  /** The session id. */
  id: string;
  /** Its session key, e.g. `agent:main:explicit:<id>`. */
  sessionKey?: string;
  /** Start, epoch ms. */
  startedAt?: number;
  /** Last update, epoch ms. */
  updatedAt?: number;
  /** The model of the session window. */
  model?: string;
  /** A label or display name of the session key. */
  title?: string;
  /** Message entries stored. */
  messageCount: number;
  /** The header's `cwd`. */
  workspace?: string;
  /** The first user prompt's first line. */
  firstPrompt?: string;
}

/** One session's rows. */
export interface DbSession {
  /** The entries, header first, in `seq` order. */
  records: PiRawEntry[];
  /** The leaf of the active branch, from OpenClaw's index. */
  leafId?: string;
  /** The listing row. */
  row?: DbSessionRow;
}

function parseFailed(db: string, reason: string, cause?: unknown): CasrError {
  return new CasrError("parse-failed", `Cannot read OpenClaw database "${db}": ${reason}`, {
    details: { path: db },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Opens a database read-only with a busy timeout.
 *
 * @param db The database file.
 * @returns The handle.
 * @throws {CasrError} `parse-failed` when it cannot be opened or this runtime has no SQLite.
 */
export async function openReadOnly(db: string): Promise<SqliteDatabase> {
  let handle: SqliteDatabase | undefined;
  try {
    handle = await openSqlite(db, { readOnly: true });
    handle?.exec("PRAGMA busy_timeout = 5000");
  } catch (error) {
    handle?.close();
    throw parseFailed(db, String(error), error);
  }
  if (handle === undefined) throw parseFailed(db, "this runtime has no SQLite");
  return handle;
}

function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function jsonObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? parsed as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

function firstLine(value: unknown): string | undefined {
  if (typeof value === "string") return text(value.trim().split("\n")[0]?.trim());
  if (!Array.isArray(value)) return undefined;
  for (const block of value) {
    if (
      typeof block === "object" && block !== null && (block as { type?: unknown }).type === "text"
    ) {
      const line = firstLine((block as { text?: unknown }).text);
      if (line !== undefined) return line;
    }
  }
  return undefined;
}

function rowOf(handle: SqliteDatabase, raw: Record<string, unknown>): DbSessionRow {
  const id = String(raw.session_id);
  const row: DbSessionRow = { id, messageCount: num(raw.messages) ?? 0 };
  const key = text(raw.session_key);
  if (key !== undefined) row.sessionKey = key;
  const started = num(raw.started_at) ?? num(raw.created_at);
  if (started !== undefined) row.startedAt = started;
  const updated = num(raw.transcript_updated_at) ?? num(raw.updated_at);
  if (updated !== undefined) row.updatedAt = updated;
  const model = text(raw.model);
  if (model !== undefined) row.model = model;
  const title = text(raw.label) ?? text(raw.display_name);
  if (title !== undefined) row.title = title;
  const header = jsonObject(
    handle.prepare(
      "SELECT event_json FROM transcript_events WHERE session_id = ? ORDER BY seq LIMIT 1",
    ).all(id)[0]?.event_json,
  );
  if (header?.type === "session" && typeof header.cwd === "string") row.workspace = header.cwd;
  const prompt = handle.prepare(
    `SELECT event_json FROM transcript_events WHERE session_id = ?
       AND event_json LIKE '%"role":"user"%' ORDER BY seq LIMIT 1`,
  ).all(id)[0];
  const message = jsonObject(prompt?.event_json)?.message as Record<string, unknown> | undefined;
  const line = firstLine(message?.content);
  if (line !== undefined) row.firstPrompt = clipText(line, 80);
  return row;
}

const LIST_SQL = `
  SELECT w.session_id, w.session_key, w.started_at, w.created_at, w.updated_at,
         w.transcript_updated_at, w.model, n.label, n.display_name,
         (SELECT count(*) FROM transcript_event_identities i
           WHERE i.session_id = w.session_id AND i.event_type = 'message') AS messages
    FROM session_windows w
    LEFT JOIN session_nodes n ON n.session_key = w.session_key
   WHERE EXISTS (SELECT 1 FROM transcript_events e WHERE e.session_id = w.session_id)`;

/**
 * Lists the sessions of a database that have transcript rows.
 *
 * @param db The database file.
 * @param only A session id to list alone, or ids starting with it (`prefix`).
 * @returns The rows; none when the file is not an OpenClaw database.
 */
export async function listDbSessions(
  db: string,
  only?: { id: string; prefix: boolean },
): Promise<DbSessionRow[]> {
  let handle: SqliteDatabase;
  try {
    handle = await openReadOnly(db);
  } catch {
    return [];
  }
  try {
    let sql = LIST_SQL;
    const params: unknown[] = [];
    if (only !== undefined) {
      sql += only.prefix ? " AND lower(substr(w.session_id, 1, ?)) = ?" : " AND w.session_id = ?";
      if (only.prefix) params.push(only.id.length, only.id.toLowerCase());
      else params.push(only.id);
    }
    return handle.prepare(sql).all(...params).map((raw) => rowOf(handle, raw));
  } catch {
    return [];
  } finally {
    handle.close();
  }
}

/**
 * Reads one session's rows.
 *
 * @param db The database file.
 * @param id The session id.
 * @param warnings Receives rows that could not be read.
 * @returns The records (header first) and the active leaf.
 * @throws {CasrError} `parse-failed` when the database cannot be read;
 * `session-not-found` when it has no rows for `id`.
 */
export async function readDbSession(
  db: string,
  id: string,
  warnings: Warning[],
): Promise<DbSession> {
  const handle = await openReadOnly(db);
  try {
    let rows: Record<string, unknown>[];
    try {
      rows = handle.prepare(
        "SELECT seq, event_json, event_zstd FROM transcript_events WHERE session_id = ? ORDER BY seq",
      ).all(id);
    } catch (error) {
      throw parseFailed(db, `it has no readable transcript_events table (${String(error)})`, error);
    }
    if (rows.length === 0) {
      throw new CasrError(
        "session-not-found",
        `Cannot find OpenClaw session "${id}" in "${db}": it has no transcript rows`,
        { details: { path: db, id } },
      );
    }
    const records: PiRawEntry[] = [];
    for (const row of rows) {
      const seq = num(row.seq);
      const line = seq === undefined ? undefined : seq + 1;
      let json = typeof row.event_json === "string" ? row.event_json : undefined;
      if (json === undefined && row.event_zstd instanceof Uint8Array) {
        json = zstdText(row.event_zstd);
      }
      if (json === undefined) {
        warnings.push({
          code: "unreadable-row",
          message: `Skipped transcript row ${seq} of session ${id}: zstd-compressed and this ` +
            "runtime cannot decompress it",
          ...(line === undefined ? {} : { line }),
        });
        continue;
      }
      try {
        records.push({ value: JSON.parse(json), ...(line === undefined ? {} : { line }) });
      } catch (error) {
        warnings.push({
          code: "malformed-line",
          message: `Skipped transcript row ${seq} of session ${id}: ${String(error)}`,
          ...(line === undefined ? {} : { line }),
        });
      }
    }
    const result: DbSession = { records };
    try {
      const leaf = text(
        handle.prepare(
          "SELECT leaf_event_id FROM session_transcript_index_state WHERE session_id = ?",
        )
          .all(id)[0]?.leaf_event_id,
      );
      if (leaf !== undefined) result.leafId = leaf;
      const listed = handle.prepare(`${LIST_SQL} AND w.session_id = ?`).all(id)[0];
      if (listed !== undefined) result.row = rowOf(handle, listed);
    } catch {
      // Older or newer schemas: the transcript alone is enough.
    }
    return result;
  } finally {
    handle.close();
  }
}

/**
 * The ids of every session with transcript rows (for a bare database path).
 *
 * @param db The database file.
 * @returns The ids.
 */
export async function dbSessionIds(db: string): Promise<string[]> {
  const handle = await openReadOnly(db);
  try {
    return handle.prepare("SELECT DISTINCT session_id FROM transcript_events ORDER BY session_id")
      .all().map((r) => String(r.session_id));
  } catch (error) {
    throw parseFailed(db, `it has no readable transcript_events table (${String(error)})`, error);
  } finally {
    handle.close();
  }
}
