/**
 * Listing and finding Qwen Code sessions cheaply: directory listings, then the
 * head and tail of each file.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { mapLimit, readDirEntries } from "../../internal/fast_fs.ts";
import { SCAN_CONCURRENCY } from "../../internal/session_index.ts";
import { isRecord, parseRecord, str } from "../../internal/jsonl.ts";
import { clipText, parseTimestamp } from "../../model/normalize.ts";
import { isSessionFileName, qwenRoots } from "./paths.ts";
import { QWEN_CODE_ID } from "./reader.ts";
import {
  type FileSessionLister,
  fileSessionLister,
  sampleLines,
  setSampledCount,
} from "../listing.ts";

/** Raise when {@linkcode summarizeQwenSession}'s output changes. */
export const QWEN_SUMMARY_VERSION = 1;

function isConversationLine(line: string): boolean {
  return /"type":"(user|assistant|tool_result)"/.test(line.slice(0, 2048));
}

/**
 * Summarizes one session file from its head and tail.
 *
 * @param path The `<sessionId>.jsonl` file.
 * @returns The summary, or `undefined` when the file cannot be read or holds no record.
 */
export async function summarizeQwenSession(path: string): Promise<SessionSummary | undefined> {
  const sampled = await sampleLines(path);
  if (sampled === undefined) return undefined;
  const { sample, head, tail } = sampled;
  const summary: SessionSummary = {
    id: nodePath.basename(path, ".jsonl"),
    provider: QWEN_CODE_ID,
    path,
    sizeBytes: sample.size,
  };
  let prompt: string | undefined;
  let seenRecord = false;
  for (const line of head.slice(0, 200)) {
    const record = parseRecord(line);
    if (record === undefined || str(record.uuid) === undefined) continue;
    seenRecord = true;
    if (summary.workspace === undefined && str(record.cwd) !== undefined) {
      summary.workspace = record.cwd as string;
    }
    if (summary.startedAt === undefined) {
      const t = parseTimestamp(record.timestamp);
      if (t !== undefined) summary.startedAt = t;
    }
    if (prompt === undefined && record.type === "user" && record.subtype === undefined) {
      const message = record.message;
      if (isRecord(message) && Array.isArray(message.parts)) {
        const text = message.parts.filter((p) => isRecord(p) && typeof p.text === "string")
          .map((p) => (p as Record<string, unknown>).text as string).join("\n").trim();
        const first = text.split("\n")[0]?.trim();
        if (first) prompt = clipText(first, 80);
      }
    }
  }
  if (!seenRecord) return undefined;
  let title: string | undefined;
  let last: number | undefined;
  for (const line of [...head, ...tail].reverse()) {
    if (last === undefined && line.includes('"timestamp":')) {
      last = parseTimestamp(parseRecord(line)?.timestamp);
    }
    if (title === undefined && line.includes('"subtype":"custom_title"')) {
      const payload = parseRecord(line)?.systemPayload;
      if (isRecord(payload)) title = str(payload.customTitle);
    }
    if (title !== undefined && last !== undefined) break;
  }
  const label = title ?? prompt;
  if (label !== undefined) summary.title = label;
  summary.lastActiveAt = last ?? sample.mtimeMs;
  const headCount = head.filter(isConversationLine).length;
  setSampledCount(summary, sample, headCount, tail.filter(isConversationLine).length);
  return summary;
}

/**
 * Every session file: `<root>/projects/<id>/chats/<uuid>.jsonl` and the older
 * `<root>/tmp/<hash>/chats/<uuid>.jsonl`, under every root.
 *
 * @param ctx Where to look.
 * @returns The file paths, sorted and distinct.
 */
export async function qwenSessionFiles(ctx: ProviderContext): Promise<string[]> {
  const dirs: string[] = [];
  for (const root of qwenRoots(ctx)) {
    for (const group of ["projects", "tmp"]) {
      const projects = (await readDirEntries(nodePath.join(root, group))).filter((e) => e.isDir);
      dirs.push(...projects.map((p) => nodePath.join(p.path, "chats")));
    }
  }
  const lists = await mapLimit(dirs, SCAN_CONCURRENCY, (dir) => readDirEntries(dir));
  const files = lists.flat().filter((e) => e.isFile && isSessionFileName(e.name)).map((e) =>
    e.path
  );
  return [...new Set(files)].sort();
}

/** Lists every Qwen Code session and finds sessions by id or id prefix. */
export const qwenLister: FileSessionLister = fileSessionLister({
  files: qwenSessionFiles,
  summarize: summarizeQwenSession,
});
