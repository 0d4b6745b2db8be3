/**
 * Listing Grok Build sessions cheaply: directory listings, each session's
 * `summary.json` and the head of its `updates.jsonl`.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { listDir, readHead } from "../../internal/fs.ts";
import { statFile } from "../../internal/fast_fs.ts";
import { isRecord, parseRecord, str } from "../../internal/jsonl.ts";
import { clipText, parseTimestamp } from "../../model/normalize.ts";
import { grokSessionsDir } from "./paths.ts";
import { agentMs, GROK_ID, groupCwd, readGrokSummary } from "./reader.ts";
import { type FileSessionLister, fileSessionLister } from "../listing.ts";

const HEAD_BYTES = 64 * 1024;

/**
 * Every session's `updates.jsonl`: `<home>/sessions/<group>/<id>/updates.jsonl`.
 *
 * @param ctx Where to look.
 * @returns Absolute paths, sorted.
 */
export async function grokSessionFiles(ctx: ProviderContext): Promise<string[]> {
  const out: string[] = [];
  for (const group of await listDir(grokSessionsDir(ctx))) {
    if (!group.isDir) continue;
    for (const entry of await listDir(group.path)) {
      if (!entry.isDir || entry.name.startsWith(".")) continue;
      out.push(nodePath.join(entry.path, "updates.jsonl"));
    }
  }
  return out;
}

/** The message a line starts or continues: user prompt, assistant reply or tool results. */
function lineKey(record: Record<string, unknown>): string | undefined {
  const params = isRecord(record.params) ? record.params : {};
  const update = isRecord(params.update) ? params.update : {};
  const meta = isRecord(params._meta) ? params._meta : {};
  const updateMeta = isRecord(update._meta) ? update._meta : {};
  switch (update.sessionUpdate) {
    case "user_message_chunk":
      return `u:${String(updateMeta.promptIndex ?? "")}`;
    case "agent_message_chunk":
    case "agent_thought_chunk":
    case "tool_call":
      return `a:${String(meta.promptId ?? "")}`;
    case "tool_call_update":
      return update.status === "completed" || update.status === "failed" ? "t" : undefined;
    default:
      return undefined;
  }
}

/**
 * Summarizes one session from its `summary.json` and the head of `updates.jsonl`.
 *
 * @param file The `updates.jsonl` file.
 * @returns The summary, or `undefined` when the file is missing or unreadable.
 */
export async function summarizeGrokSession(file: string): Promise<SessionSummary | undefined> {
  const stat = await statFile(file);
  if (stat === undefined || !stat.isFile) return undefined;
  let head: string;
  try {
    head = await readHead(file, HEAD_BYTES);
  } catch {
    return undefined;
  }
  const dir = nodePath.dirname(file);
  const info = await readGrokSummary(dir);
  const summary: SessionSummary = {
    id: info.id ?? nodePath.basename(dir),
    provider: GROK_ID,
    path: file,
    sizeBytes: stat.size,
  };
  const workspace = info.cwd ?? await groupCwd(nodePath.dirname(dir));
  if (workspace !== undefined) summary.workspace = workspace;
  const lines = head.split("\n");
  const complete = head.length < HEAD_BYTES ? lines : lines.slice(0, -1);
  let count = 0;
  let previous: string | undefined;
  let first: number | undefined;
  let latest: number | undefined;
  let prompt: string | undefined;
  for (const raw of complete) {
    const record = parseRecord(raw);
    if (record === undefined) continue;
    const key = lineKey(record);
    if (key === undefined) continue;
    if (key !== previous) count++;
    previous = key;
    const params = isRecord(record.params) ? record.params : {};
    const meta = isRecord(params._meta) ? params._meta : {};
    const time = agentMs(meta.agentTimestampMs) ?? parseTimestamp(record.timestamp);
    if (time !== undefined) {
      first ??= time;
      latest = Math.max(latest ?? time, time);
    }
    if (prompt === undefined && key.startsWith("u:")) {
      const update = isRecord(params.update) ? params.update : {};
      const content = isRecord(update.content) ? update.content : {};
      const text = str(content.text)?.trim().split("\n")[0]?.trim();
      if (text) prompt = clipText(text, 80);
    }
  }
  if (count === 0 && info.id === undefined) return undefined;
  const title = info.title ?? prompt;
  if (title !== undefined) summary.title = title;
  const started = info.createdAt ?? first;
  if (started !== undefined) summary.startedAt = started;
  const active = info.updatedAt ?? latest ?? stat.mtimeMs;
  if (active !== undefined) summary.lastActiveAt = active;
  summary.messageCount = count;
  if (head.length >= HEAD_BYTES) summary.messageCountEstimated = true;
  return summary;
}

/** Lists every Grok Build session and finds sessions by id or id prefix. */
export const grokLister: FileSessionLister = fileSessionLister({
  files: grokSessionFiles,
  summarize: summarizeGrokSession,
  idOf: (p) => nodePath.basename(nodePath.dirname(p)),
});
