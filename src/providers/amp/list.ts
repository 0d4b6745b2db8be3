/**
 * Listing and finding Amp thread files.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import { listDir } from "../../internal/fs.ts";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { threadDirs, threadIdFromName } from "./paths.ts";
import { readAmp } from "./reader.ts";

/** Thread files larger than this are listed without reading them. */
const READ_LIMIT_BYTES = 32 * 1024 * 1024;

/** One `T-….json` file. */
interface ThreadFile {
  id: string;
  path: string;
}

async function threadFiles(ctx: ProviderContext): Promise<ThreadFile[]> {
  const seen = new Map<string, ThreadFile>();
  for (const dir of threadDirs(ctx)) {
    for (const entry of await listDir(dir)) {
      const id = entry.isFile ? threadIdFromName(entry.name) : undefined;
      if (id !== undefined && !seen.has(id)) seen.set(id, { id, path: entry.path });
    }
  }
  return [...seen.values()];
}

async function summarize(file: ThreadFile, ctx: ProviderContext): Promise<SessionSummary> {
  const summary: SessionSummary = { id: file.id, provider: "amp", path: file.path };
  try {
    const stat = await fsp.stat(file.path);
    summary.sizeBytes = stat.size;
    summary.lastActiveAt = stat.mtimeMs;
    if (stat.size > READ_LIMIT_BYTES) return summary;
    const { session } = await readAmp(file.path, ctx);
    if (session.workspace !== undefined) summary.workspace = session.workspace;
    if (session.title !== undefined) summary.title = session.title;
    if (session.startedAt !== undefined) summary.startedAt = session.startedAt;
    if (session.endedAt !== undefined) summary.lastActiveAt = session.endedAt;
    summary.messageCount = session.messages.filter((m) =>
      m.role === "user" || m.role === "assistant" || m.role === "tool"
    ).length;
  } catch {
    // listed by name only
  }
  return summary;
}

/**
 * Lists every thread file (casr's folder, Amp's `threads/`, the extension's).
 *
 * @param ctx Where to look.
 * @returns One summary per thread id.
 */
export async function listAmp(ctx: ProviderContext): Promise<SessionSummary[]> {
  return await Promise.all((await threadFiles(ctx)).map((f) => summarize(f, ctx)));
}

/**
 * Finds threads by id or prefix; the `T-` may be left out.
 *
 * @param ctx Where to look.
 * @param idOrPrefix A full id or a prefix (case-insensitive).
 * @returns The exact match alone when there is one, else every prefix match.
 */
export async function findAmp(ctx: ProviderContext, idOrPrefix: string): Promise<SessionSummary[]> {
  const key = idOrPrefix.trim().toLowerCase();
  if (key === "") return [];
  const bare = (id: string): string => id.toLowerCase().replace(/^t-/, "");
  const files = await threadFiles(ctx);
  const exact = files.filter((f) => f.id.toLowerCase() === key || bare(f.id) === key);
  const matches = exact.length > 0
    ? exact
    : files.filter((f) => f.id.toLowerCase().startsWith(key) || bare(f.id).startsWith(key));
  return await Promise.all(matches.map((f) => summarize(f, ctx)));
}
