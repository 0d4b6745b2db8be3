/**
 * Listing Copilot CLI sessions cheaply: one directory per session under
 * `<root>/session-state/`, summarized from the head of its `events.jsonl`.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { listDir, readHead } from "../../internal/fs.ts";
import { mapLimit, statFile } from "../../internal/fast_fs.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import { copilotRoot, sessionStateDir } from "./paths.ts";
import { COPILOT_CLI_ID } from "./reader.ts";

/** How much of each file a summary reads. */
const HEAD_BYTES = 64 * 1024;

/**
 * Every session's `events.jsonl` (directory listings only).
 *
 * @param ctx Where to look.
 * @returns Absolute paths.
 */
export async function copilotSessionFiles(ctx: ProviderContext): Promise<string[]> {
  const dir = sessionStateDir(copilotRoot(ctx));
  const out: string[] = [];
  for (const entry of await listDir(dir)) {
    if (!entry.isDir || entry.name.startsWith(".")) continue;
    const file = nodePath.join(entry.path, "events.jsonl");
    if (await statFile(file) !== undefined) out.push(file);
  }
  return out;
}

/**
 * Summarizes one session from its file's head.
 *
 * @param path The `events.jsonl` file.
 * @returns The summary, or `undefined` when the file is unreadable.
 */
export async function summarizeCopilotSession(path: string): Promise<SessionSummary | undefined> {
  const stat = await statFile(path);
  if (stat === undefined) return undefined;
  let head: string;
  try {
    head = await readHead(path, HEAD_BYTES);
  } catch {
    return undefined;
  }
  const summary: SessionSummary = {
    id: nodePath.basename(nodePath.dirname(path)),
    provider: COPILOT_CLI_ID,
    path,
    sizeBytes: stat.size,
  };
  if (stat.mtimeMs !== undefined) summary.lastActiveAt = stat.mtimeMs;
  const lines = head.split("\n");
  const complete = head.length < HEAD_BYTES ? lines : lines.slice(0, -1);
  let count = 0;
  for (const raw of complete) {
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch {
      continue;
    }
    if (!isRecord(record) || !isRecord(record.data)) continue;
    const data = record.data;
    if (record.type === "session.start") {
      const context = isRecord(data.context) ? data.context : {};
      const cwd = str(context.cwd);
      if (cwd !== undefined) summary.workspace = cwd;
      const started = parseTimestamp(data.startTime) ?? parseTimestamp(record.timestamp);
      if (started !== undefined) summary.startedAt = started;
    } else if (record.type === "user.message") {
      count++;
      const text = typeof data.content === "string" ? data.content.trim() : "";
      if (summary.title === undefined && text !== "") summary.title = text.split("\n")[0] ?? text;
    } else if (record.type === "assistant.message" || record.type === "tool.execution_complete") {
      count++;
    }
  }
  summary.messageCount = count;
  if (head.length >= HEAD_BYTES) summary.messageCountEstimated = true;
  return summary;
}

/**
 * Lists every Copilot CLI session.
 *
 * @param ctx Where to look.
 * @returns The summaries.
 */
export async function listCopilotSessions(ctx: ProviderContext): Promise<SessionSummary[]> {
  const files = await copilotSessionFiles(ctx);
  const out = await mapLimit(files, 16, (file) => summarizeCopilotSession(file));
  return out.filter((s): s is SessionSummary => s !== undefined);
}

/**
 * Finds sessions by id or id prefix (directory names), then summarizes the matches.
 *
 * @param ctx Where to look.
 * @param idOrPrefix A full id or its start (case-insensitive).
 * @returns The exact match alone when there is one, else every prefix match.
 */
export async function findCopilotSessions(
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (wanted === "") return [];
  const files = await copilotSessionFiles(ctx);
  const idOf = (p: string): string => nodePath.basename(nodePath.dirname(p)).toLowerCase();
  const exact = files.filter((p) => idOf(p) === wanted);
  const chosen = exact.length > 0 ? exact : files.filter((p) => idOf(p).startsWith(wanted));
  const out = await mapLimit(chosen, 16, (file) => summarizeCopilotSession(file));
  return out.filter((s): s is SessionSummary => s !== undefined);
}
