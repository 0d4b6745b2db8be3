/**
 * Listing Copilot CLI sessions cheaply: one directory per session under
 * `<root>/session-state/`, summarized from the head of its `events.jsonl`.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { listDir } from "../../internal/fs.ts";
import { statFile } from "../../internal/fast_fs.ts";
import { type FileSample, sampleFile } from "../../internal/file_reads.ts";
import {
  type FileSessionLister,
  fileSessionLister,
  lastTimestampIn,
  setSampledCount,
} from "../listing.ts";
import { isRecord, parseRecord, str } from "../../internal/jsonl.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import { copilotRoot, sessionStateDir } from "./paths.ts";
import { COPILOT_CLI_ID } from "./reader.ts";

/** How much of the head of a large file a summary reads. */
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

/** How much of each end of a large file a summary reads. */
const TAIL_BYTES = 64 * 1024;
/** Files up to this size are read whole (exact count). */
const WHOLE_FILE_BYTES = 256 * 1024;

function isCounted(type: unknown): boolean {
  return type === "user.message" || type === "assistant.message" ||
    type === "tool.execution_complete";
}

/**
 * Summarizes one session from its file's head and tail (whole up to 256 KiB):
 * workspace, start and first prompt from the head, the last activity from the
 * latest record timestamp (not the file's mtime), and the record count, exact
 * in a whole file and extrapolated over the middle of a larger one.
 *
 * @param path The `events.jsonl` file.
 * @returns The summary, or `undefined` when the file is unreadable.
 */
export async function summarizeCopilotSession(path: string): Promise<SessionSummary | undefined> {
  let sample: FileSample;
  try {
    sample = await sampleFile(path, {
      headBytes: HEAD_BYTES,
      tailBytes: TAIL_BYTES,
      wholeBytes: WHOLE_FILE_BYTES,
    });
  } catch {
    return undefined;
  }
  const summary: SessionSummary = {
    id: nodePath.basename(nodePath.dirname(path)),
    provider: COPILOT_CLI_ID,
    path,
    sizeBytes: sample.size,
  };
  summary.lastActiveAt = lastTimestampIn(sample.whole ? sample.head : sample.tail) ??
    sample.mtimeMs;
  let count = 0;
  for (const raw of sample.head.split("\n")) {
    const record = parseRecord(raw);
    if (record === undefined || !isRecord(record.data)) continue;
    const data = record.data;
    if (record.type === "session.start") {
      const context = isRecord(data.context) ? data.context : {};
      const cwd = str(context.cwd);
      if (cwd !== undefined) summary.workspace = cwd;
      const started = parseTimestamp(data.startTime) ?? parseTimestamp(record.timestamp);
      if (started !== undefined) summary.startedAt = started;
    } else if (record.type === "user.message") {
      const text = typeof data.content === "string" ? data.content.trim() : "";
      if (summary.title === undefined && text !== "") summary.title = text.split("\n")[0] ?? text;
    }
    if (isCounted(record.type)) count++;
  }
  const tailCount = sample.tail.split("\n").filter((line) => {
    const type = /^\{"type":"([^"]+)"/.exec(line)?.[1];
    return isCounted(type);
  }).length;
  setSampledCount(summary, sample, count, tailCount);
  return summary;
}

/** Lists every Copilot CLI session and finds sessions by id or id prefix. */
export const copilotLister: FileSessionLister = fileSessionLister({
  files: copilotSessionFiles,
  summarize: summarizeCopilotSession,
  idOf: (p) => nodePath.basename(nodePath.dirname(p)),
});
