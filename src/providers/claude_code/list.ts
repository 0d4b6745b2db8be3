/**
 * Listing and finding Claude Code sessions cheaply: file names, `stat`, the
 * first and last 64 KiB of each file, and a line scan for the message count.
 *
 * @module
 */
import { createReadStream } from "node:fs";
import * as fsp from "node:fs/promises";
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { listDir, readHead } from "../../internal/fs.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import { claudeRoot, isSessionFileName, projectsDir } from "./paths.ts";
import { CLAUDE_CODE_ID, isWrapperText } from "./reader.ts";

const PEEK_BYTES = 64 * 1024;
/** Files larger than this get no `messageCount` (the line scan would not be cheap). */
export const COUNT_LIMIT_BYTES = 32 * 1024 * 1024;

/**
 * Reads the last `bytes` bytes of a file as UTF-8, dropping a partial first
 * line (so every line returned is whole).
 *
 * @param path The file.
 * @param size The file size.
 * @param bytes How many bytes at most.
 * @returns The tail text.
 */
export async function readTail(path: string, size: number, bytes: number): Promise<string> {
  const start = Math.max(0, size - bytes);
  const handle = await fsp.open(path, "r");
  try {
    const buffer = new Uint8Array(Math.min(bytes, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    const text = new TextDecoder().decode(buffer.subarray(0, bytesRead));
    if (start === 0) return text;
    const newline = text.indexOf("\n");
    return newline === -1 ? "" : text.slice(newline + 1);
  } finally {
    await handle.close();
  }
}

/**
 * Counts conversation records: lines whose top-level type is `user` or
 * `assistant` (tool-result records included, one per line, so a reply split
 * into several records counts several times). A string scan, no JSON parse.
 *
 * @param path The transcript.
 * @returns The approximate count.
 */
export async function countConversationLines(path: string): Promise<number> {
  let count = 0;
  let pending = "";
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 16 });
  const test = (line: string): void => {
    if (line.includes('"type":"user"') || line.includes('"type":"assistant"')) count++;
  };
  for await (const chunk of stream as AsyncIterable<string>) {
    const lines = (pending + chunk).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) test(line);
  }
  test(pending);
  return count;
}

function parseLines(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const value = JSON.parse(line);
      if (typeof value === "object" && value !== null && !Array.isArray(value)) out.push(value);
    } catch {
      // a cut or bad line: skip
    }
  }
  return out;
}

function firstPrompt(record: Record<string, unknown>): string | undefined {
  if (record.type !== "user" || record.isMeta === true || record.isCompactSummary === true) return;
  const message = record.message as { content?: unknown } | undefined;
  const content = message?.content;
  let text: string | undefined;
  if (typeof content === "string") text = content;
  else if (Array.isArray(content)) {
    if (content.some((b) => b?.type === "tool_result")) return;
    text = content.filter((b) => b?.type === "text").map((b) => String(b.text ?? "")).join("\n");
  }
  const line = text?.trim().split("\n")[0]?.trim();
  if (!line || isWrapperText(line)) return;
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/**
 * Summarizes one transcript from its head, tail and `stat`.
 *
 * Title: the last `custom-title`, else `ai-title`, else `summary`, else the
 * first real user prompt. Workspace: the first `cwd`. Times: the first and
 * last record timestamps (the file mtime when the tail has none).
 *
 * @param path The `<uuid>.jsonl` file.
 * @returns The summary, or `undefined` for a subagent (sidechain) transcript or an unreadable file.
 */
export async function summarizeSession(path: string): Promise<SessionSummary | undefined> {
  let stat;
  try {
    stat = await fsp.stat(path);
  } catch {
    return undefined;
  }
  const head = await readHead(path, PEEK_BYTES);
  const tail = stat.size > PEEK_BYTES ? await readTail(path, stat.size, PEEK_BYTES) : head;
  const headRecords = parseLines(head);
  const tailRecords = stat.size > PEEK_BYTES ? parseLines(tail) : headRecords;
  const firstChain = headRecords.find((r) => typeof r.uuid === "string");
  if (firstChain?.isSidechain === true) return undefined;

  const summary: SessionSummary = {
    id: nodePath.basename(path, ".jsonl"),
    provider: CLAUDE_CODE_ID,
    path,
    sizeBytes: stat.size,
  };
  const lastOf = (key: string, type: string): string | undefined => {
    for (const records of [tailRecords, headRecords]) {
      for (let i = records.length - 1; i >= 0; i--) {
        const r = records[i] as Record<string, unknown>;
        if (r.type === type && typeof r[key] === "string" && r[key] !== "") return r[key] as string;
      }
    }
    return undefined;
  };
  const title = lastOf("customTitle", "custom-title") ?? lastOf("aiTitle", "ai-title") ??
    lastOf("summary", "summary") ?? headRecords.map(firstPrompt).find((t) => t !== undefined);
  if (title !== undefined) summary.title = title;
  const cwd = headRecords.find((r) => typeof r.cwd === "string" && r.cwd !== "")?.cwd;
  if (typeof cwd === "string") summary.workspace = cwd;
  const started = headRecords.map((r) => parseTimestamp(r.timestamp)).find((t) => t !== undefined);
  if (started !== undefined) summary.startedAt = started;
  const ended = tailRecords.map((r) => parseTimestamp(r.timestamp)).filter((t) => t !== undefined);
  summary.lastActiveAt = ended.length > 0 ? Math.max(...(ended as number[])) : stat.mtimeMs;
  if (stat.size <= COUNT_LIMIT_BYTES) summary.messageCount = await countConversationLines(path);
  return summary;
}

/**
 * Every main-session transcript path: `<root>/projects/<key>/<uuid>.jsonl`
 * (subagent `agent-*.jsonl` files and per-session subfolders are skipped).
 *
 * @param ctx Where to look.
 * @returns The file paths, sorted.
 */
export async function sessionFiles(ctx: ProviderContext): Promise<string[]> {
  const out: string[] = [];
  for (const project of await listDir(projectsDir(claudeRoot(ctx)))) {
    if (!project.isDir) continue;
    for (const entry of await listDir(project.path)) {
      if (entry.isFile && isSessionFileName(entry.name)) out.push(entry.path);
    }
  }
  return out;
}

async function summarizeAll(paths: readonly string[]): Promise<SessionSummary[]> {
  const summaries = await Promise.all(paths.map((p) => summarizeSession(p).catch(() => undefined)));
  return summaries.filter((s): s is SessionSummary => s !== undefined);
}

/**
 * Lists every Claude Code session under the root.
 *
 * @param ctx Where to look.
 * @returns One summary per main-session transcript.
 */
export async function listClaudeSessions(ctx: ProviderContext): Promise<SessionSummary[]> {
  return summarizeAll(await sessionFiles(ctx));
}

/**
 * Finds sessions by id or id prefix, from file names only (then summarizes the matches).
 *
 * @param ctx Where to look.
 * @param idOrPrefix A full session id, or its start (case-insensitive).
 * @returns The exact match alone when there is one, else every prefix match.
 */
export async function findClaudeSessions(
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (wanted === "") return [];
  const files = await sessionFiles(ctx);
  const idOf = (p: string): string => nodePath.basename(p, ".jsonl").toLowerCase();
  const exact = files.filter((p) => idOf(p) === wanted);
  if (exact.length > 0) return summarizeAll(exact);
  return summarizeAll(files.filter((p) => idOf(p).startsWith(wanted)));
}
