/**
 * Listing Kimi Code sessions cheaply: one directory per session under
 * `<root>/sessions/<workDirKey>/`, summarized from its small `state.json` and
 * the head and tail of its `agents/main/wire.jsonl`.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { mapLimit, readDirEntries } from "../../internal/fast_fs.ts";
import { SCAN_CONCURRENCY } from "../../internal/session_index.ts";
import { isRecord, parseRecord } from "../../internal/jsonl.ts";
import { clipText, parseTimestamp } from "../../model/normalize.ts";
import { kimiRoot, mainWirePath, sessionDirOfWire, sessionsDir } from "./paths.ts";
import { KIMI_CODE_ID, readKimiState } from "./reader.ts";
import {
  type FileSessionLister,
  fileSessionLister,
  sampleLines,
  setSampledCount,
} from "../listing.ts";

/** A conversation line: a context message that is not an injection, or a step or result. */
function isConversationLine(line: string): boolean {
  const head = line.slice(0, 400);
  if (head.includes('"kind":"event"')) return false;
  if (head.includes('"type":"context.append_message"')) {
    return !line.includes('"origin":{"kind":"injection"');
  }
  return head.includes('"type":"context.append_loop_event"') &&
    /"event":\{"type":"(step\.begin|tool\.result)"/.test(head);
}

function firstPrompt(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    if (!line.includes('"type":"turn.prompt"')) continue;
    const record = parseRecord(line);
    if (record === undefined || !Array.isArray(record.input)) continue;
    const text = record.input
      .filter((p) => isRecord(p) && p.type === "text" && typeof p.text === "string")
      .map((p) => (p as Record<string, unknown>).text as string).join("\n").trim();
    const first = text.split("\n")[0]?.trim();
    if (first) return clipText(first, 80);
  }
  return undefined;
}

function lastTime(lines: readonly string[]): number | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = /"time":(\d{10,16})\s*\}\s*$/.exec(lines[i] as string);
    if (match?.[1] !== undefined) return parseTimestamp(Number(match[1]));
  }
  return undefined;
}

/**
 * Summarizes one session from its `state.json` and the head and tail of its wire.
 *
 * @param path The main agent's `wire.jsonl`.
 * @returns The summary, or `undefined` when the file cannot be read.
 */
export async function summarizeKimiSession(path: string): Promise<SessionSummary | undefined> {
  const sampled = await sampleLines(path);
  if (sampled === undefined) return undefined;
  const { sample, head: headLines } = sampled;
  const dir = sessionDirOfWire(path);
  if (dir === undefined) return undefined;
  const state = await readKimiState(dir);
  const head = sample.whole || headLines.length < 2 ? headLines : headLines.slice(0, -1);
  const tail = sampled.tail.slice(sample.whole ? 0 : 1);
  const summary: SessionSummary = {
    id: nodePath.basename(dir),
    provider: KIMI_CODE_ID,
    path,
    sizeBytes: sample.size,
  };
  if (state?.cwd !== undefined) summary.workspace = state.cwd;
  const title = state?.title ?? firstPrompt(head);
  if (title !== undefined) summary.title = title;
  const metaLine = head.find((l) => l.includes('"type":"metadata"'));
  let created: number | undefined;
  if (metaLine !== undefined) {
    try {
      const meta: unknown = JSON.parse(metaLine);
      if (isRecord(meta)) created = parseTimestamp(meta.created_at);
    } catch {
      // a cut or broken line: no creation time from it
    }
  }
  const started = state?.createdAt ?? created;
  if (started !== undefined) summary.startedAt = started;
  summary.lastActiveAt = state?.updatedAt ?? lastTime(sample.whole ? head : tail) ??
    sample.mtimeMs;
  const headCount = head.filter(isConversationLine).length;
  setSampledCount(summary, sample, headCount, tail.filter(isConversationLine).length);
  if (state === undefined && headLines.length === 0) return undefined;
  return summary;
}

/**
 * Every session's main wire: `<root>/sessions/wd_*\/<id>/agents/main/wire.jsonl`
 * (directory listings only).
 *
 * @param ctx Where to look.
 * @returns Absolute paths, sorted.
 */
export async function kimiSessionFiles(ctx: ProviderContext): Promise<string[]> {
  const root = sessionsDir(kimiRoot(ctx));
  const buckets = (await readDirEntries(root)).filter((e) => e.isDir && e.name.startsWith("wd_"));
  const lists = await mapLimit(buckets, SCAN_CONCURRENCY, (b) => readDirEntries(b.path));
  const dirs = lists.flat().filter((e) => e.isDir && !e.name.startsWith("."));
  const found = await mapLimit(dirs, SCAN_CONCURRENCY, async (d) => {
    const main = await readDirEntries(nodePath.join(d.path, "agents", "main"));
    return main.some((e) => e.isFile && e.name === "wire.jsonl") ? mainWirePath(d.path) : "";
  });
  return found.filter((p) => p !== "").sort();
}

/** Lists every Kimi Code session and finds sessions by id or id prefix. */
export const kimiLister: FileSessionLister = fileSessionLister({
  files: kimiSessionFiles,
  summarize: summarizeKimiSession,
  idOf: (p) => nodePath.basename(sessionDirOfWire(p) ?? p),
  idLead: "session_",
});
