/**
 * Session files of OpenClaw and ClawdBot: Pi JSONL (a `type:"session"` header,
 * then entries) and, for ClawdBot only, the flat legacy lines
 * `{role, content, timestamp}` that older tools read from
 * `~/.clawdbot/sessions/*.jsonl` (no ClawdBot release inspected writes them;
 * read leniently, never written).
 *
 * @module
 */
import * as nodePath from "node:path";
import type { Message, Warning } from "../../model/types.ts";
import { CasrError } from "../../errors.ts";
import { isRecord, malformedLineWarning, readJsonLines, str } from "../../internal/jsonl.ts";
import { flattenContent, parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import { isPiSessionHeader, type PiRawEntry } from "../../formats/pi_session.ts";

/** A session file's records, as read. */
export interface SessionFileRecords {
  /** Pi records (header first when there is one). */
  records: PiRawEntry[];
  /** Whether the file is in the flat `{role, content}` format. */
  flat: boolean;
}

/**
 * The session id of a file: `<id>.jsonl`, or the `<id>` of a Telegram topic
 * file `<id>-topic-<thread>.jsonl`.
 *
 * @param path The file.
 * @returns The id from the name.
 */
export function idFromFileName(path: string): string {
  return nodePath.basename(path).replace(/\.jsonl$/i, "");
}

/**
 * Whether a parsed first record is a flat ClawdBot line.
 *
 * @param value A parsed record.
 * @returns `true` for `{role, content}` without a Pi `type`.
 */
export function isFlatRecord(value: unknown): boolean {
  return isRecord(value) && value.type === undefined && typeof value.role === "string" &&
    "content" in value;
}

/**
 * Reads every record of a session file.
 *
 * @param path The `.jsonl` file.
 * @param warnings Receives malformed lines.
 * @returns The records and whether the file is flat.
 * @throws {CasrError} `parse-failed` when the file cannot be read.
 */
export async function readSessionFile(
  path: string,
  warnings: Warning[],
): Promise<SessionFileRecords> {
  const records: PiRawEntry[] = [];
  let flat: boolean | undefined;
  try {
    for await (const line of readJsonLines(path)) {
      if (!line.ok) {
        warnings.push(malformedLineWarning(line, path));
        continue;
      }
      flat ??= !isPiSessionHeader(line.value) && isFlatRecord(line.value);
      records.push({ value: line.value, line: line.line });
    }
  } catch (error) {
    throw new CasrError("parse-failed", `Cannot read session "${path}": ${String(error)}`, {
      cause: error,
      details: { path },
    });
  }
  return { records, flat: flat ?? false };
}

/**
 * Canonical messages of flat `{role, content, timestamp}` lines: `user` and
 * `assistant` as they are, anything else `system`.
 *
 * @param records The records.
 * @param path The file, for warnings.
 * @param warnings Receives skipped lines.
 * @returns The messages, reindexed.
 */
export function flatRecordsToMessages(
  records: readonly PiRawEntry[],
  path: string,
  warnings: Warning[],
): Message[] {
  const out: Message[] = [];
  for (const record of records) {
    const value = record.value;
    if (!isFlatRecord(value)) {
      warnings.push({
        code: "unknown-record",
        message: `Skipped line ${record.line} of "${path}": not a {role, content} record`,
        ...(record.line === undefined ? {} : { line: record.line }),
      });
      continue;
    }
    const r = value as Record<string, unknown>;
    const role = r.role === "user" || r.role === "assistant" ? r.role : "system";
    const message: Message = {
      index: 0,
      role,
      text: typeof r.content === "string" ? r.content : flattenContent(r.content),
      toolCalls: [],
      toolResults: [],
    };
    const time = parseTimestamp(r.timestamp);
    if (time !== undefined) message.timestamp = time;
    const model = str(r.model);
    if (role === "assistant" && model !== undefined) message.author = model;
    out.push(message);
  }
  return reindexMessages(out);
}
