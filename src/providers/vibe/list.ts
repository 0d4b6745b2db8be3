/**
 * Listing Vibe sessions: one directory per session under the session log
 * directory, summarized from its `meta.json` (the conversation is not read).
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { listDir } from "../../internal/fs.ts";
import { readTextIfExists, statFile } from "../../internal/fast_fs.ts";
import { isSessionDirName, MESSAGES_FILE, META_FILE, vibeSessionConfig } from "./paths.ts";
import { metaFields, VIBE_ID } from "./reader.ts";
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
  if (meta.title !== undefined) summary.title = meta.title;
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
  let files = await vibeSessionFiles(ctx);
  if (wanted.length >= 8) {
    const short = `_${wanted.slice(0, 8)}`;
    files = files.filter((f) =>
      nodePath.basename(nodePath.dirname(f)).toLowerCase().endsWith(short)
    );
  }
  return matchingIds(await summarizeEach(files, summarizeVibeSession), wanted, (s) => s.id);
}
