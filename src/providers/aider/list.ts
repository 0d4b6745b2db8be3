/**
 * Listing and finding Aider sessions in the history files casr knows about
 * (see `paths.ts`). Each file is read once and split into sessions with the
 * line classifier only.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { historyFiles } from "./paths.ts";
import { type AiderSession, readHistoryText, sessionsOfText, titleOf } from "./reader.ts";
import { matchingIds } from "../listing.ts";

/** Files larger than this are skipped by the listing (Aider histories are Markdown logs). */
const LIST_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * The path that names a session: the bare file when it is the file's only
 * session with a prompt (so a bare path reads it back), else `<file>#<id>`.
 *
 * @param s The session.
 * @param listable How many sessions of its file have a prompt.
 * @returns The path.
 */
export function sessionPath(s: AiderSession, listable: number): string {
  return listable === 1 ? s.file : `${s.file}#${s.id}`;
}

const encoder = new TextEncoder();

function summarize(
  s: AiderSession,
  next: AiderSession | undefined,
  listable: number,
  file: { text: string; mtime: number },
): SessionSummary {
  const summary: SessionSummary = {
    id: s.id,
    provider: "aider",
    path: sessionPath(s, listable),
    workspace: s.workspace,
    messageCount: s.raw.items.filter((i) => i.kind !== "tool" && i.text.trim() !== "").length,
    // The size of the session's own stretch of the file.
    sizeBytes: encoder.encode(file.text.slice(s.raw.start, s.raw.stop)).length,
  };
  const prompt = s.raw.items.find((i) => i.kind === "user" && i.text.trim() !== "");
  const title = prompt === undefined ? undefined : titleOf(prompt.text);
  if (title !== undefined) summary.title = title;
  if (s.raw.startedAt !== undefined) summary.startedAt = s.raw.startedAt;
  const last = next?.raw.startedAt ?? file.mtime;
  summary.lastActiveAt = Math.max(last, s.raw.startedAt ?? 0);
  return summary;
}

/**
 * Summaries of the sessions with a prompt in one history file.
 *
 * @param file The file.
 * @param ctx Where to look.
 * @returns The summaries; an unreadable or missing file gives none.
 */
export async function summarizeFile(
  file: string,
  ctx: ProviderContext,
): Promise<SessionSummary[]> {
  let mtime: number;
  try {
    const stat = await fsp.stat(file);
    if (!stat.isFile() || stat.size > LIST_LIMIT_BYTES) return [];
    mtime = stat.mtimeMs;
  } catch {
    return [];
  }
  let sessions: AiderSession[];
  let text: string;
  try {
    text = (await readHistoryText(file)).replace(/^\uFEFF/, "");
    sessions = (await sessionsOfText(file, text, ctx)).sessions;
  } catch {
    return [];
  }
  const listable = sessions.filter((s) => s.listable).length;
  return sessions.flatMap((s, i) =>
    s.listable ? [summarize(s, sessions[i + 1], listable, { text, mtime })] : []
  );
}

/**
 * Lists every Aider session with a prompt in the history files casr knows.
 *
 * @param ctx Where to look.
 * @returns The summaries.
 */
export async function listAider(ctx: ProviderContext): Promise<SessionSummary[]> {
  const files = await historyFiles(ctx);
  return (await Promise.all(files.map((f) => summarizeFile(f, ctx)))).flat();
}

/**
 * Finds Aider sessions by id or id prefix (case-insensitive).
 *
 * @param ctx Where to look.
 * @param idOrPrefix A full id or a prefix.
 * @returns The exact matches when there are any, else every prefix match.
 */
export async function findAider(
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  if (idOrPrefix.trim() === "") return [];
  return matchingIds(await listAider(ctx), idOrPrefix, (s) => s.id);
}
