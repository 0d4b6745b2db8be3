/**
 * Listing Vibe sessions: one directory per session under the session log
 * directory, summarized from its `meta.json` (the conversation is not read,
 * but for a first prompt in its head when the metadata has no title).
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { listDir, readHead } from "../../internal/fs.ts";
import { parseRecord } from "../../internal/jsonl.ts";
import { readTextIfExists, statFile } from "../../internal/fast_fs.ts";
import { isSessionDirName, MESSAGES_FILE, META_FILE, vibeSessionConfig } from "./paths.ts";
import { metaFields, VIBE_ID, vibeContentText } from "./reader.ts";
import { matchingIds, summarizeEach } from "../listing.ts";

/**
 * Every session directory that has both `meta.json` and `messages.jsonl` (Vibe
 * ignores the others), as the path of its `messages.jsonl`.
 *
 * @param ctx Where to look.
 * @returns Absolute paths.
 */
export async function vibeSessionFiles(ctx: ProviderContext): Promise<string[]> {
  const { saveDir, prefix } = vibeSessionConfig(ctx);
  const out: string[] = [];
  for (const entry of await listDir(saveDir)) {
    if (!entry.isDir || !isSessionDirName(entry.name, prefix)) continue;
    const messages = nodePath.join(entry.path, MESSAGES_FILE);
    const meta = nodePath.join(entry.path, META_FILE);
    if ((await statFile(messages))?.isFile && (await statFile(meta))?.isFile) out.push(messages);
  }
  return out;
}

/** How much of `messages.jsonl` is searched for a first prompt when `meta.json` has no title. */
const PROMPT_HEAD_BYTES = 64 * 1024;

/**
 * The first line of the first prompt the human typed (not an `injected` one),
 * in the head of a session's `messages.jsonl`: the title `info` gives a
 * session whose `meta.json` has none.
 */
async function firstPrompt(path: string): Promise<string | undefined> {
  const head = await readHead(path, PROMPT_HEAD_BYTES).catch(() => "");
  for (const line of head.split("\n")) {
    if (!line.includes('"user"')) continue;
    const record = parseRecord(line);
    if (record?.role !== "user" || record.injected === true) continue;
    const text = vibeContentText(record.content).trim().split("\n")[0]?.trim();
    if (text) return text;
  }
  return undefined;
}

/**
 * Summarizes one session from its `meta.json`.
 *
 * @param path The session's `messages.jsonl`.
 * @returns The summary, or `undefined` when the metadata is unusable.
 */
export async function summarizeVibeSession(path: string): Promise<SessionSummary | undefined> {
  const stat = await statFile(path);
  if (stat === undefined) return undefined;
  const dir = nodePath.dirname(path);
  let meta;
  try {
    meta = metaFields(JSON.parse(await readTextIfExists(nodePath.join(dir, META_FILE)) ?? ""));
  } catch {
    return undefined;
  }
  if (meta?.sessionId === undefined) return undefined;
  const summary: SessionSummary = {
    id: meta.sessionId,
    provider: VIBE_ID,
    path,
    sizeBytes: stat.size,
  };
  if (meta.workspace !== undefined) summary.workspace = meta.workspace;
  const title = meta.title ?? await firstPrompt(path);
  if (title !== undefined) summary.title = title;
  if (meta.startedAt !== undefined) summary.startedAt = meta.startedAt;
  const last = meta.endedAt ?? stat.mtimeMs;
  if (last !== undefined) summary.lastActiveAt = last;
  if (meta.totalMessages !== undefined) summary.messageCount = meta.totalMessages;
  return summary;
}

/**
 * Lists every Vibe session.
 *
 * @param ctx Where to look.
 * @returns The summaries.
 */
export async function listVibeSessions(ctx: ProviderContext): Promise<SessionSummary[]> {
  return summarizeEach(await vibeSessionFiles(ctx), summarizeVibeSession);
}

/**
 * Finds sessions by id or id prefix. A prefix of 8 or more characters narrows
 * the directories by their `_<id[:8]>` suffix before any file is opened.
 *
 * @param ctx Where to look.
 * @param idOrPrefix A full id or its start (case-insensitive).
 * @returns The exact match alone when there is one, else every prefix match.
 */
export async function findVibeSessions(
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (wanted === "") return [];
  const all = await vibeSessionFiles(ctx);
  const find = async (files: string[]) =>
    matchingIds(await summarizeEach(files, summarizeVibeSession), wanted, (s) => s.id);
  if (wanted.length < 8) return await find(all);
  // Vibe names a session's folder after its id's first 8 characters: those are
  // read first; a session whose id and folder do not follow that (written by
  // another tool) is still found, by reading the rest.
  const short = `_${wanted.slice(0, 8)}`;
  const likely = all.filter((f) =>
    nodePath.basename(nodePath.dirname(f)).toLowerCase().endsWith(short)
  );
  const found = await find(likely);
  if (found.length > 0 || likely.length === all.length) return found;
  return await find(all.filter((f) => !likely.includes(f)));
}
