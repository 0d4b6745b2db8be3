/**
 * Listing and finding Factory Droid sessions cheaply: directory listings, then
 * the head and tail of each transcript.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { mapLimit, readDirEntries } from "../../internal/fast_fs.ts";
import { SCAN_CONCURRENCY } from "../../internal/session_index.ts";
import { parseRecord, str } from "../../internal/jsonl.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import { factoryRoot, isSessionFileName, sessionsDir } from "./paths.ts";
import { FACTORY_DROID_ID } from "./reader.ts";
import {
  type FileSessionLister,
  fileSessionLister,
  sampleLines,
  setSampledCount,
} from "../listing.ts";

/** Raise when {@linkcode summarizeDroidSession}'s output changes. */
export const DROID_SUMMARY_VERSION = 1;

/** A conversation message line (not the injected `llm_only` context). */
function isConversationLine(line: string): boolean {
  return line.startsWith('{"type":"message"') && !line.includes('"visibility":"llm_only"');
}

/**
 * Summarizes one transcript from its head and tail.
 *
 * @param path The `<id>.jsonl` file.
 * @returns The summary, or `undefined` when the file is unreadable or does not
 * start with `session_start`.
 */
export async function summarizeDroidSession(path: string): Promise<SessionSummary | undefined> {
  const sampled = await sampleLines(path);
  if (sampled === undefined) return undefined;
  const { sample, head, tail } = sampled;
  const start = parseRecord(head[0] ?? "");
  if (start?.type !== "session_start") return undefined;
  const summary: SessionSummary = {
    id: str(start.id) ?? nodePath.basename(path, ".jsonl"),
    provider: FACTORY_DROID_ID,
    path,
    sizeBytes: sample.size,
  };
  const title = str(start.title);
  if (title !== undefined) summary.title = title;
  const cwd = str(start.cwd);
  if (cwd !== undefined) summary.workspace = cwd;
  for (const line of head.slice(1, 50)) {
    if (!line.includes('"timestamp"')) continue;
    const t = parseTimestamp(parseRecord(line)?.timestamp);
    if (t !== undefined) {
      summary.startedAt = t;
      break;
    }
  }
  let last: number | undefined;
  for (const line of [...head, ...tail].reverse()) {
    if (!line.includes('"timestamp"')) continue;
    last = parseTimestamp(parseRecord(line)?.timestamp);
    if (last !== undefined) break;
  }
  summary.lastActiveAt = last ?? sample.mtimeMs;
  const headCount = head.filter(isConversationLine).length;
  setSampledCount(summary, sample, headCount, tail.filter(isConversationLine).length);
  return summary;
}

/**
 * Every transcript: `<root>/sessions/<slug>/<uuid>.jsonl`, and `<uuid>.jsonl`
 * directly in `sessions/` (droid scans both).
 *
 * @param ctx Where to look.
 * @returns The file paths, sorted.
 */
export async function droidSessionFiles(ctx: ProviderContext): Promise<string[]> {
  const dir = sessionsDir(factoryRoot(ctx));
  const top = await readDirEntries(dir);
  const nested = await mapLimit(
    top.filter((e) => e.isDir),
    SCAN_CONCURRENCY,
    (e) => readDirEntries(e.path),
  );
  return [...top, ...nested.flat()]
    .filter((e) => e.isFile && isSessionFileName(e.name))
    .map((e) => e.path)
    .sort();
}

/** Lists every Factory Droid session and finds sessions by id or id prefix. */
export const droidLister: FileSessionLister = fileSessionLister({
  files: droidSessionFiles,
  summarize: summarizeDroidSession,
});
