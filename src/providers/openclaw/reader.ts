/**
 * Reading OpenClaw and ClawdBot sessions: `<db>#<id>` (rows of an agent
 * database), a bare database holding one session, or a JSONL file (an
 * OpenClaw import input, a ClawdBot transcript, or ClawdBot's flat lines).
 *
 * @module
 */
import type { Message, ReadResult, Session, ToolResult, Warning } from "../../model/types.ts";
import { reindexMessages } from "../../model/normalize.ts";
import { CasrError, parseFailed } from "../../errors.ts";
import { dbSessionIds, readDbSession } from "./db.ts";
import { flatRecordsToMessages, idFromFileName, readSessionFile } from "./files.ts";
import { CLAWDBOT_ID, OPENCLAW_ID } from "./list.ts";
import { agentIdOf, parseSessionRef, sessionRef } from "./paths.ts";
import { piRecordsToSession } from "./session.ts";

/**
 * The result OpenClaw 2026.9.6 sends on resume for a call with no stored result (a run that
 * ended while its command ran); seen in the genuine messy fixture.
 */
export const MISSING_RESULT_TEXT =
  "[openclaw] missing tool result in session history; inserted synthetic error result for transcript repair.";

/**
 * Gives every call without a result in the tool messages right after it the error result
 * OpenClaw inserts for it on resume ({@linkcode MISSING_RESULT_TEXT}).
 *
 * @param messages Canonical messages (a following tool message gains the results in place).
 * @returns The messages with the added results, indexes dense.
 */
export function withMissingResults(messages: readonly Message[]): Message[] {
  const out: Message[] = [];
  for (const [i, message] of messages.entries()) {
    out.push(message);
    if (message.role !== "assistant" || message.toolCalls.length === 0) continue;
    const answered = new Set<string>();
    for (let j = i + 1; j < messages.length && messages[j]!.role === "tool"; j++) {
      for (const result of messages[j]!.toolResults) answered.add(result.callId);
    }
    const results: ToolResult[] = message.toolCalls.filter((call) => !answered.has(call.id))
      .map((call) => ({
        callId: call.id,
        name: call.name,
        output: MISSING_RESULT_TEXT,
        isError: true,
      }));
    if (results.length === 0) continue;
    const following = messages[i + 1];
    if (following?.role === "tool") following.toolResults.push(...results);
    else {
      const tool: Message = {
        index: 0,
        role: "tool",
        text: "",
        toolCalls: [],
        toolResults: results,
      };
      if (message.timestamp !== undefined) tool.timestamp = message.timestamp;
      out.push(tool);
    }
  }
  return reindexMessages(out);
}

async function readDb(file: string, wanted: string | undefined): Promise<ReadResult> {
  let id = wanted;
  if (id === undefined) {
    const ids = await dbSessionIds(file);
    if (ids.length !== 1) {
      throw new CasrError(
        "parse-failed",
        `Cannot read "${file}": it holds ${ids.length} sessions; name one as "${file}#<id>"`,
        { details: { path: file, sessions: ids.slice(0, 20) } },
      );
    }
    id = ids[0] as string;
  }
  const warnings: Warning[] = [];
  const stored = await readDbSession(file, id, warnings);
  const sourcePath = sessionRef(file, id);
  const metadata: Record<string, unknown> = { store: "sqlite" };
  const agentId = agentIdOf(file);
  if (agentId !== undefined) metadata.agentId = agentId;
  if (stored.row?.sessionKey !== undefined) metadata.sessionKey = stored.row.sessionKey;
  const session = piRecordsToSession(stored.records, warnings, {
    provider: OPENCLAW_ID,
    fallbackId: id,
    sourcePath,
    ...(stored.leafId === undefined ? {} : { leafId: stored.leafId }),
    ...(stored.row?.title === undefined ? {} : { title: stored.row.title }),
    metadata,
  });
  session.id = id;
  session.messages = withMissingResults(session.messages);
  if (session.model === undefined && stored.row?.model !== undefined) {
    session.model = stored.row.model;
  }
  return { session, warnings };
}

async function readFile(path: string, provider: string): Promise<ReadResult> {
  const warnings: Warning[] = [];
  const { records, flat } = await readSessionFile(path, warnings);
  const metadata: Record<string, unknown> = { store: "jsonl" };
  const agentId = agentIdOf(path);
  if (agentId !== undefined) metadata.agentId = agentId;
  if (!flat) {
    const session = piRecordsToSession(records, warnings, {
      provider,
      fallbackId: idFromFileName(path),
      sourcePath: path,
      metadata,
    });
    if (session.metadata.formatVersion === undefined) {
      warnings.push({
        code: "missing-header",
        message: `"${path}" has no session header: OpenClaw's importer defers such files`,
      });
    }
    return { session, warnings };
  }
  const messages = flatRecordsToMessages(records, path, warnings);
  if (!messages.some((m) => m.role === "user" || m.role === "assistant")) {
    throw parseFailed(path, "it has no conversation message");
  }
  const session: Session = {
    id: idFromFileName(path),
    provider,
    messages,
    metadata: { ...metadata, store: "flat-jsonl" },
    sourcePath: path,
  };
  const firstUser = messages.find((m) => m.role === "user" && m.text.trim() !== "");
  const title = firstUser?.text.trim().split("\n")[0];
  if (title !== undefined && title !== "") session.title = title;
  const times = messages.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  if (times.length > 0) {
    session.startedAt = Math.min(...times);
    session.endedAt = Math.max(...times);
  }
  return { session, warnings };
}

/**
 * Reads one OpenClaw session leniently.
 *
 * @param path `<db>#<id>`, a database holding one session, or a JSONL file.
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when nothing usable is there.
 */
export function readOpenClaw(path: string): Promise<ReadResult> {
  const { file, id } = parseSessionRef(path);
  if (file.endsWith(".sqlite")) return readDb(file, id);
  return readFile(file, OPENCLAW_ID);
}

/**
 * Reads one ClawdBot session file leniently (Pi JSONL or flat lines).
 *
 * @param path The `.jsonl` file.
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when nothing usable is there.
 */
export function readClawdbot(path: string): Promise<ReadResult> {
  return readFile(path, CLAWDBOT_ID);
}
