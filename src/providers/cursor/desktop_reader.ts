/**
 * Reads one Cursor desktop chat ("composer") from a global `state.vscdb`:
 * `cursorDiskKV` row `composerData:<id>` gives the order
 * (`fullConversationHeadersOnly`, or the older inline `conversation` array),
 * rows `bubbleId:<id>:<bubbleId>` the messages.
 *
 * @module
 */
import * as path from "node:path";
import { CasrError } from "../../errors.ts";
import { clipText, parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import type { Message, ReadResult, Session, Warning } from "../../model/types.ts";
import { openSqlite, type SqliteDatabase } from "../../internal/sqlite.ts";
import { bubblesToMessages, type IndexedBubble } from "./bubbles.ts";
import { asRecord, errorText, nonEmpty, openReadOnly, valueJson, valueText } from "./db.ts";
import { composerRef, uriPath } from "./paths.ts";
import { headFolder, listWorkspaces, readHeads, workspaceComposerFolders } from "./workspace.ts";

/** The provider id. */
export const CURSOR_ID = "cursor";

/** The desktop data folder of a global database (`<dir>/User/globalStorage/state.vscdb`). */
export function dataDirOfGlobalDb(file: string): string {
  return path.dirname(path.dirname(path.dirname(path.resolve(file))));
}

/**
 * A title from a prompt: its first non-blank line, at most 80 characters.
 *
 * @param prompt The prompt.
 * @returns The title, or `undefined` for a blank prompt.
 */
export function titleFromText(prompt: string): string | undefined {
  const line = prompt.split("\n").map((l) => l.trim()).find((l) => l !== "");
  if (line === undefined) return undefined;
  return clipText(line, 80);
}

/**
 * The composer ids with a `composerData:` row in a global database.
 *
 * @param db The database.
 * @returns The ids.
 */
export function composerIds(db: SqliteDatabase): string[] {
  try {
    return db.prepare(
      "SELECT substr(key, 14) AS id FROM cursorDiskKV WHERE key >= 'composerData:' AND key < 'composerData;' AND value IS NOT NULL",
    ).all().map((r) => String(r.id));
  } catch {
    return [];
  }
}

function bubbleRows(db: SqliteDatabase, composerId: string): Map<string, unknown> {
  const prefix = `bubbleId:${composerId}:`;
  const out = new Map<string, unknown>();
  const rows = db.prepare("SELECT key, value FROM cursorDiskKV WHERE key >= ? AND key < ?").all(
    prefix,
    `bubbleId:${composerId};`,
  );
  for (const row of rows) out.set(String(row.key).slice(prefix.length), row.value);
  return out;
}

function parseBubble(raw: unknown): unknown {
  return valueText(raw) === undefined ? undefined : valueJson(raw) ?? null;
}

function orderedBubbles(
  db: SqliteDatabase,
  composerId: string,
  composer: Record<string, unknown>,
  warnings: Warning[],
): IndexedBubble[] {
  const rows = bubbleRows(db, composerId);
  const out: IndexedBubble[] = [];
  const headers = Array.isArray(composer.fullConversationHeadersOnly)
    ? composer.fullConversationHeadersOnly
    : [];
  const inline = Array.isArray(composer.conversation) ? composer.conversation : [];
  if (headers.length > 0) {
    headers.forEach((header, position) => {
      const id = nonEmpty(asRecord(header)?.bubbleId);
      const raw = id === undefined ? undefined : rows.get(id);
      const bubble = raw === undefined ? undefined : parseBubble(raw);
      if (bubble === undefined || bubble === null) {
        warnings.push({
          code: bubble === null ? "malformed-record" : "missing-record",
          message: `Skipped message ${position + 1} of Cursor chat "${composerId}": bubble ${
            id ?? "(no id)"
          } is ${bubble === null ? "not JSON" : "missing"}`,
        });
        return;
      }
      out.push({ bubble, position });
    });
    return out;
  }
  if (inline.length > 0) {
    inline.forEach((entry, position) => {
      const id = nonEmpty(asRecord(entry)?.bubbleId);
      const stored = id === undefined ? undefined : parseBubble(rows.get(id));
      out.push({
        bubble: asRecord(stored) ? { ...asRecord(entry), ...asRecord(stored) } : entry,
        position,
      });
    });
    return out;
  }
  const map = asRecord(composer.conversationMap);
  const values = map ? Object.values(map) : [];
  const loose = values.length > 0 ? values : [...rows.values()].map(parseBubble);
  if (loose.length > 0) {
    warnings.push({
      code: "unordered",
      message:
        `Cursor chat "${composerId}" has no message order; ordered its ${loose.length} bubbles by time`,
    });
  }
  const timed = loose.map((bubble, position) => ({
    bubble,
    position,
    at: parseTimestamp(asRecord(bubble)?.createdAt) ?? Number.MAX_SAFE_INTEGER,
  }));
  timed.sort((a, b) => a.at - b.at || a.position - b.position);
  return timed.map(({ bubble, position }) => ({ bubble, position }));
}

async function tryOpen(file: string): Promise<SqliteDatabase | undefined> {
  try {
    const db = await openSqlite(file, { readOnly: true });
    db?.exec("PRAGMA busy_timeout = 1000");
    return db;
  } catch {
    return undefined;
  }
}

/**
 * The workspace of a composer: its index head, its own `workspaceIdentifier`,
 * the workspace database that lists it, else a bubble's project dir.
 */
async function composerWorkspace(
  db: SqliteDatabase,
  file: string,
  composerId: string,
  composer: Record<string, unknown>,
  bubbles: readonly IndexedBubble[],
): Promise<string | undefined> {
  const workspaces = await listWorkspaces(dataDirOfGlobalDb(file));
  const head = readHeads(db).get(composerId);
  const fromHead = head ? headFolder(head, workspaces) : undefined;
  if (fromHead !== undefined) return fromHead;
  const own = headFolder(composer, workspaces);
  if (own !== undefined) return own;
  const fromWorkspaceDb = (await workspaceComposerFolders(workspaces, tryOpen)).get(composerId);
  if (fromWorkspaceDb !== undefined) return fromWorkspaceDb;
  for (const { bubble } of bubbles) {
    const b = asRecord(bubble);
    const dir = nonEmpty(b?.workspaceProjectDir);
    if (dir !== undefined) return uriPath(dir) ?? dir;
    const uris = Array.isArray(b?.workspaceUris) ? b.workspaceUris : [];
    const first = nonEmpty(uris[0]);
    if (first !== undefined) return uriPath(first) ?? first;
  }
  return undefined;
}

/**
 * Reads one desktop chat.
 *
 * @param file The global `state.vscdb`.
 * @param composerId The composer id; without it the database must hold exactly one chat.
 * @returns The session and warnings.
 * @throws {CasrError} `parse-failed` when the chat is missing or has no messages;
 * `ambiguous-session` when no id is given and the database holds several chats.
 */
export async function readDesktopChat(file: string, composerId?: string): Promise<ReadResult> {
  const what = composerId === undefined
    ? `Cursor database "${file}"`
    : `Cursor chat "${composerId}"`;
  const db = await openReadOnly(file, what);
  try {
    let id = composerId;
    if (id === undefined) {
      const ids = composerIds(db);
      if (ids.length !== 1) {
        throw new CasrError(
          ids.length === 0 ? "parse-failed" : "ambiguous-session",
          ids.length === 0
            ? `Cannot read Cursor database "${file}": it holds no chats`
            : `Cannot choose a chat in Cursor database "${file}": it holds ${ids.length}; name one as "${file}#<composerId>"`,
          { details: { path: file, candidates: ids.slice(0, 50) } },
        );
      }
      id = ids[0] as string;
    }
    let composer: Record<string, unknown> | undefined;
    let bubbles: IndexedBubble[];
    const warnings: Warning[] = [];
    try {
      const raw = db.prepare("SELECT value FROM cursorDiskKV WHERE key = ?").all(
        `composerData:${id}`,
      )[0]
        ?.value;
      composer = asRecord(valueJson(raw));
      if (!composer) {
        throw new CasrError(
          "parse-failed",
          raw === undefined
            ? `Cannot read Cursor chat "${id}": "${file}" has no composerData row for it`
            : `Cannot read Cursor chat "${id}": its composerData row is not a JSON object`,
          { details: { path: file, id } },
        );
      }
      bubbles = orderedBubbles(db, id, composer, warnings);
    } catch (error) {
      if (error instanceof CasrError) throw error;
      throw new CasrError("parse-failed", `Cannot read Cursor chat "${id}": ${errorText(error)}`, {
        details: { path: file, id },
        cause: error,
      });
    }
    const messages: Message[] = reindexMessages(bubblesToMessages(bubbles, warnings));
    if (!messages.some((m) => m.role === "user" || m.role === "assistant")) {
      throw new CasrError("parse-failed", `Cannot read Cursor chat "${id}": it has no messages`, {
        details: { path: file, id },
      });
    }
    const workspace = await composerWorkspace(db, file, id, composer, bubbles).catch(() =>
      undefined
    );
    const times = messages.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
    const session: Session = {
      id,
      provider: CURSOR_ID,
      messages,
      metadata: { store: "desktop", database: file },
      sourcePath: composerRef(file, id),
    };
    if (workspace !== undefined) session.workspace = workspace;
    const title = nonEmpty(composer.name)?.trim() ??
      titleFromText(messages.find((m) => m.role === "user")?.text ?? "");
    if (title !== undefined) session.title = title;
    const started = parseTimestamp(composer.createdAt) ?? times[0];
    const ended = times.at(-1) ?? parseTimestamp(composer.lastUpdatedAt);
    if (started !== undefined) session.startedAt = started;
    if (ended !== undefined) session.endedAt = Math.max(ended, started ?? ended);
    const model = nonEmpty(asRecord(composer.modelConfig)?.modelName) ??
      messages.find((m) => m.author !== undefined)?.author;
    if (model !== undefined && model !== "default") session.model = model;
    for (const key of ["_v", "unifiedMode", "forceMode", "status"]) {
      if (composer[key] !== undefined) {
        session.metadata[key === "_v" ? "schemaVersion" : key] = composer[key];
      }
    }
    return { session, warnings };
  } finally {
    db.close();
  }
}
