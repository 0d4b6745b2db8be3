/**
 * Reading a Pi coding agent session file (`<stamp>_<id>.jsonl`) into the
 * canonical model, through the shared Pi entry code in
 * `src/formats/pi_session.ts`: the header, the migration of version 1 and 2
 * files, the active branch from the last entry, compaction, then Pi messages
 * to canonical messages.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ReadResult, Session, Warning } from "../../model/types.ts";
import { parseFailed } from "../../errors.ts";
import { readJsonlSession } from "../../formats/jsonl_session.ts";
import { parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import {
  migratePiEntries,
  piEntriesToConversation,
  type PiRawEntry,
} from "../../formats/pi_session.ts";
import { piEntryPrompt, piEntryTime } from "../../formats/pi_entries.ts";

/** The provider id. */
export const PI_ID = "pi";

/**
 * Reads a Pi session file leniently.
 *
 * @param path The session file.
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when the file holds no conversation message.
 */
export async function readPiSession(path: string): Promise<ReadResult> {
  const warnings: Warning[] = [];
  const records: PiRawEntry[] = [];
  await readJsonlSession(path, warnings, (value, line) => void records.push({ value, line }));
  const migrated = migratePiEntries(records, `"${path}"`);
  warnings.push(...migrated.warnings);
  if (migrated.header === undefined) {
    warnings.push({
      code: "missing-header",
      message: `"${path}" has no session header: Pi itself does not list or open it`,
    });
  }
  const conversation = piEntriesToConversation(migrated.entries, { source: `"${path}"` });
  warnings.push(...conversation.warnings);
  const messages = reindexMessages(conversation.messages);
  if (!messages.some((m) => m.role === "user" || m.role === "assistant" || m.role === "tool")) {
    throw parseFailed(path, "it has no Pi conversation message");
  }
  const header = migrated.header;
  const session: Session = {
    id: header?.id ?? idFromFileName(path),
    provider: PI_ID,
    messages,
    metadata: { formatVersion: migrated.version },
    sourcePath: path,
  };
  if (typeof header?.cwd === "string" && header.cwd !== "") session.workspace = header.cwd;
  // The first prompt of the file, as Pi's own session list shows it (and
  // `list` does): a compaction may have taken it out of the conversation,
  // whose first user message is then the summary.
  const firstPrompt = migrated.entries.map(piEntryPrompt).find((p) => p !== undefined);
  const label = conversation.title ?? firstPrompt;
  if (label !== undefined && label !== "") session.title = label;
  const times = messages.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  if (times.length > 0) {
    session.startedAt = times.reduce((a, b) => Math.min(a, b));
    session.endedAt = times.reduce((a, b) => Math.max(a, b));
  }
  // It started with the file's first entry, as `list` says, even when a
  // compaction took that entry out of the conversation (or a branch copied
  // older entries under a newer header).
  const first = [
    parseTimestamp(header?.timestamp),
    piEntryTime(migrated.entries.find((e) => e.type === "message")),
  ]
    .filter((t): t is number => t !== undefined);
  if (first.length > 0) session.startedAt = Math.min(session.startedAt ?? Infinity, ...first);
  if (conversation.model !== undefined) session.model = conversation.model;
  if (conversation.modelProvider !== undefined) {
    session.metadata.modelProvider = conversation.modelProvider;
  }
  if (typeof header?.parentSession === "string") {
    session.metadata.parentSession = header.parentSession;
  }
  if (conversation.compactions > 0) session.metadata.compactions = conversation.compactions;
  if (conversation.leafId !== undefined) session.metadata.leafId = conversation.leafId;
  return { session, warnings };
}

/** The id in a `<stamp>_<id>.jsonl` name, else the whole base name. */
export function idFromFileName(path: string): string {
  const base = nodePath.basename(path, ".jsonl");
  const at = base.indexOf("_");
  return at >= 0 ? base.slice(at + 1) : base;
}
