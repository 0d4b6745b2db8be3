/**
 * Listing and finding Kiro sessions of all three generations cheaply:
 * directory listings, metadata files, the head of each journal, and for G1
 * one query per database that does not parse the JSON values.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { listDir, readHead } from "../../internal/fs.ts";
import { statFile } from "../../internal/fast_fs.ts";
import { isRecord, parseRecord, str } from "../../internal/jsonl.ts";
import { clipText, parseTimestamp } from "../../model/normalize.ts";
import { KIRO_ID } from "./common.ts";
import { firstPrompt, listG1Rows } from "./g1.ts";
import { readG2Meta } from "./g2.ts";
import { g3IdOf, readG3Meta } from "./g3.ts";
import { g1Ref, kiroG1Dirs, kiroG2Dir, kiroSessionsDir } from "./paths.ts";
import { summarizeEach } from "../listing.ts";

const HEAD_BYTES = 64 * 1024;

/** A session found by directory listings only: its id and the file to read. */
interface Candidate {
  id: string;
  path: string;
  generation: "g2" | "g3";
}

async function candidates(ctx: ProviderContext): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const g2 = kiroG2Dir(ctx);
  for (const entry of await listDir(g2)) {
    if (entry.name.endsWith(".jsonl") && !entry.isDir) {
      out.push({ id: entry.name.slice(0, -6), path: entry.path, generation: "g2" });
    }
  }
  for (const group of await listDir(kiroSessionsDir(ctx))) {
    if (!group.isDir || group.path === g2) continue;
    for (const entry of await listDir(group.path)) {
      if (!entry.isDir || !entry.name.startsWith("sess_")) continue;
      out.push({
        id: g3IdOf(entry.path),
        path: nodePath.join(entry.path, "messages.jsonl"),
        generation: "g3",
      });
    }
  }
  return out;
}

async function g1Databases(ctx: ProviderContext): Promise<string[]> {
  const out: string[] = [];
  for (const dir of kiroG1Dirs(ctx)) {
    const db = nodePath.join(dir, "data.sqlite3");
    if ((await statFile(db))?.isFile) out.push(db);
  }
  return out;
}

/** The message key of a journal line, for counting (undefined: not a message). */
function lineKind(record: Record<string, unknown>, generation: "g2" | "g3"): string | undefined {
  if (generation === "g2") {
    return ["Prompt", "AssistantMessage", "ToolResults"].includes(String(record.kind))
      ? String(record.kind)
      : undefined;
  }
  const payload = isRecord(record.payload) ? record.payload : {};
  const type = String(payload.type);
  if (type === "tool_call") return "assistant";
  return ["user", "assistant", "tool_result"].includes(type) ? type : undefined;
}

async function summarizeCandidate(c: Candidate): Promise<SessionSummary | undefined> {
  const stat = await statFile(c.path);
  if (stat === undefined || !stat.isFile) return undefined;
  let head: string;
  try {
    head = await readHead(c.path, HEAD_BYTES);
  } catch {
    return undefined;
  }
  const meta = c.generation === "g2"
    ? await readG2Meta(c.path.slice(0, -1))
    : await readG3Meta(nodePath.dirname(c.path));
  const summary: SessionSummary = {
    id: meta.id ?? c.id,
    provider: KIRO_ID,
    path: c.path,
    sizeBytes: stat.size,
  };
  if (meta.cwd !== undefined) summary.workspace = meta.cwd;
  const lines = head.split("\n");
  const complete = head.length < HEAD_BYTES ? lines : lines.slice(0, -1);
  let count = 0;
  let previous: string | undefined;
  let prompt: string | undefined;
  let first: number | undefined;
  let latest: number | undefined;
  for (const raw of complete) {
    const record = parseRecord(raw);
    if (record === undefined) continue;
    const kind = lineKind(record, c.generation);
    if (kind === undefined) continue;
    // G3 tool calls join the assistant message before them.
    if (
      !(c.generation === "g3" && kind === "assistant" && previous === "assistant" &&
        isRecord(record.payload) && record.payload.type === "tool_call")
    ) count++;
    previous = kind;
    const data = isRecord(record.data)
      ? record.data
      : isRecord(record.payload)
      ? record.payload
      : {};
    const time = c.generation === "g2"
      ? parseTimestamp(isRecord(data.meta) ? data.meta.timestamp : undefined)
      : parseTimestamp(record.timestamp);
    if (time !== undefined) {
      first ??= time;
      latest = Math.max(latest ?? time, time);
    }
    if (prompt === undefined && (kind === "Prompt" || kind === "user")) {
      const content = data.content;
      const text = typeof content === "string" ? content : Array.isArray(content)
        ? str(
          (content.find((b) => isRecord(b) && b.kind === "text") as Record<string, unknown>)?.data,
        )
        : undefined;
      const line = text?.trim().split("\n")[0]?.trim();
      if (line) prompt = clipText(line, 80);
    }
  }
  if (count === 0) return undefined;
  const title = meta.title ?? prompt;
  if (title !== undefined) summary.title = title;
  const started = meta.createdAt ?? first;
  if (started !== undefined) summary.startedAt = started;
  summary.lastActiveAt = meta.updatedAt ?? latest ?? stat.mtimeMs;
  summary.messageCount = count;
  if (head.length >= HEAD_BYTES) summary.messageCountEstimated = true;
  return summary;
}

async function g1Summaries(
  ctx: ProviderContext,
  wanted?: (id: string) => boolean,
): Promise<SessionSummary[]> {
  const out: SessionSummary[] = [];
  for (const db of await g1Databases(ctx)) {
    for (const row of await listG1Rows(db)) {
      if (wanted !== undefined && !wanted(row.id.toLowerCase())) continue;
      const summary: SessionSummary = {
        id: row.id,
        provider: KIRO_ID,
        path: g1Ref(db, row.id),
        sizeBytes: row.size,
        messageCount: row.requests * 2,
        messageCountEstimated: true,
      };
      if (row.key !== "") summary.workspace = row.key;
      const title = firstPrompt(row.head);
      if (title !== undefined) summary.title = title;
      if (row.createdAt !== undefined) summary.startedAt = row.createdAt;
      const active = row.updatedAt ?? row.createdAt;
      if (active !== undefined) summary.lastActiveAt = active;
      out.push(summary);
    }
  }
  return out;
}

function summarizeAll(list: readonly Candidate[]): Promise<SessionSummary[]> {
  return summarizeEach(list, summarizeCandidate);
}

/**
 * Lists every Kiro session: G2 journals, G3 session folders and G1 rows.
 *
 * @param ctx Where to look.
 * @returns The summaries.
 */
export async function listKiroSessions(ctx: ProviderContext): Promise<SessionSummary[]> {
  return [...await summarizeAll(await candidates(ctx)), ...await g1Summaries(ctx)];
}

/**
 * Finds sessions by id or id prefix across the three generations.
 *
 * @param ctx Where to look.
 * @param idOrPrefix A full id or its start (case-insensitive).
 * @returns The exact match(es) alone when there is one, else every prefix match.
 */
export async function findKiroSessions(
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (wanted === "") return [];
  const all = await candidates(ctx);
  const exactFiles = all.filter((c) => c.id.toLowerCase() === wanted);
  const exactRows = await g1Summaries(ctx, (id) => id === wanted);
  if (exactFiles.length > 0 || exactRows.length > 0) {
    return [...await summarizeAll(exactFiles), ...exactRows];
  }
  return [
    ...await summarizeAll(all.filter((c) => c.id.toLowerCase().startsWith(wanted))),
    ...await g1Summaries(ctx, (id) => id.startsWith(wanted)),
  ];
}
