/**
 * Reads one session of an OpenCode-store agent: `<db>#<ses_…>` (a session in
 * `opencode.db` / `kilo.db`), a bare database holding exactly one session, or a
 * legacy `storage/session/<project>/<ses_…>.json` file.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { CasrError } from "../../errors.ts";
import { str } from "../../internal/jsonl.ts";
import { reindexMessages } from "../../model/normalize.ts";
import type { Message, ReadResult, Session, Warning } from "../../model/types.ts";
import type { StoreFlavor } from "./flavor.ts";
import { openReadOnly, readSessionRows, type SessionRow, unreadable } from "./db.ts";
import { buildMessages, type NativeMessage } from "./history.ts";
import { sentMessages } from "./compaction.ts";
import { legacySessionRow, readLegacyMessages, readLegacySessionFile } from "./legacy.ts";
import { legacySessionFile, parseSessionRef, sessionRef } from "./paths.ts";

function parseFailed(
  flavor: StoreFlavor,
  where: string,
  reason: string,
  cause?: unknown,
): CasrError {
  return new CasrError("parse-failed", `Cannot read ${flavor.app} session "${where}": ${reason}`, {
    details: { path: where },
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * A title from a first prompt: its first line, at most 80 characters.
 *
 * @param prompt The prompt.
 * @returns The title.
 */
export function titleFromPrompt(prompt: string): string {
  const line = prompt.trim().split("\n", 1)[0]?.trim() ?? "";
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

function toSession(
  flavor: StoreFlavor,
  row: SessionRow,
  natives: readonly NativeMessage[],
  sourcePath: string,
  warnings: Warning[],
  metadata: Record<string, unknown>,
): Session {
  const sent = sentMessages(natives);
  const messages: Message[] = reindexMessages(
    buildMessages(sent.messages, warnings, sourcePath),
  );
  if (messages.length === 0 && natives.length === 0 && row.title === undefined) {
    throw parseFailed(flavor, sourcePath, "the session has no messages");
  }
  const session: Session = {
    id: row.id,
    provider: flavor.provider,
    messages,
    metadata: { ...metadata },
    sourcePath,
  };
  if (sent.compactionId !== undefined) {
    // Only what the agent sends on resume is read: the messages before its latest compaction
    // are summarized away.
    session.metadata.compaction = { requestId: sent.compactionId, droppedMessages: sent.dropped };
  }
  if (row.directory !== undefined) session.workspace = row.directory;
  const firstPrompt = messages.find((m) => m.role === "user")?.text;
  const title = row.title ?? (firstPrompt === undefined ? undefined : titleFromPrompt(firstPrompt));
  if (title !== undefined) session.title = title;
  const times = messages.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  const started = times[0] ?? row.timeCreated;
  const ended = times.at(-1) ?? row.timeUpdated ?? started;
  if (started !== undefined) session.startedAt = started;
  if (ended !== undefined) session.endedAt = ended;
  const model = str(row.model?.id) ??
    [...messages].reverse().find((m) => m.role === "assistant" && m.author)?.author;
  if (model !== undefined) session.model = model;
  for (
    const [key, value] of Object.entries({
      projectId: row.projectId,
      parentId: row.parentId,
      slug: row.slug,
      version: row.version,
      providerId: str(row.model?.providerID),
    })
  ) {
    if (value !== undefined) session.metadata[key] = value;
  }
  return session;
}

async function readFromDb(
  flavor: StoreFlavor,
  db: string,
  id: string | undefined,
  ref: string,
): Promise<ReadResult> {
  try {
    await fsp.access(db);
  } catch {
    throw parseFailed(flavor, ref, "the database does not exist");
  }
  const warnings: Warning[] = [];
  const handle = await openReadOnly(flavor.app, db, id ?? "");
  try {
    let sessionId = id;
    if (sessionId === undefined) {
      const rows = handle.prepare("SELECT id FROM session ORDER BY time_updated DESC LIMIT 2")
        .all();
      if (rows.length !== 1) {
        throw parseFailed(
          flavor,
          ref,
          rows.length === 0
            ? "the database holds no session"
            : "the database holds several sessions; give one as <db>#<session id> or by id",
        );
      }
      sessionId = String(rows[0]?.id);
    }
    const found = readSessionRows(handle, sessionId, warnings);
    if (found === undefined) throw parseFailed(flavor, ref, "no such session in the database");
    const session = toSession(
      flavor,
      found.session,
      found.messages,
      sessionRef(db, sessionId),
      warnings,
      { database: db },
    );
    return { session, warnings };
  } catch (error) {
    if (error instanceof CasrError) throw error;
    throw unreadable(flavor.app, db, id ?? "", error);
  } finally {
    handle.close();
  }
}

async function readLegacy(
  flavor: StoreFlavor,
  file: string,
  data: string,
  id: string,
): Promise<ReadResult> {
  const warnings: Warning[] = [];
  let value: unknown;
  try {
    value = await readLegacySessionFile(file);
  } catch (error) {
    const reason = (error as { code?: string }).code === "ENOENT"
      ? "the file does not exist"
      : `the file is not JSON (${error instanceof Error ? error.message : error})`;
    throw parseFailed(flavor, file, reason, error);
  }
  const row = legacySessionRow(value, id);
  const natives = await readLegacyMessages(data, row.id, warnings);
  if (natives.length === 0) throw parseFailed(flavor, file, "the session has no messages");
  const session = toSession(flavor, row, natives, path.resolve(file), warnings, { legacy: true });
  return { session, warnings };
}

/**
 * Reads a session leniently.
 *
 * @param flavor The agent.
 * @param file `<db>#<session id>`, a database file, or a legacy session JSON file.
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when nothing usable is there.
 */
export async function readStore(flavor: StoreFlavor, file: string): Promise<ReadResult> {
  const ref = parseSessionRef(file);
  if (ref !== undefined) return await readFromDb(flavor, ref.db, ref.id, file);
  const legacy = legacySessionFile(file);
  if (legacy !== undefined) return await readLegacy(flavor, file, legacy.data, legacy.id);
  if (file.endsWith(".db")) return await readFromDb(flavor, path.resolve(file), undefined, file);
  throw parseFailed(
    flavor,
    file,
    `expected a ${flavor.dbFile}-style database, <db>#<session id> or storage/session file`,
  );
}
