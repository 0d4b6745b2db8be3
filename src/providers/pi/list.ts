/**
 * Listing and finding Pi sessions cheaply: directory listings, then the head
 * and tail of each file. A file is a session when its first line is a Pi
 * header (Pi ignores the file name, so the id comes from the header).
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { mapLimit, readDirEntries } from "../../internal/fast_fs.ts";
import { SCAN_CONCURRENCY } from "../../internal/session_index.ts";
import { definedFields, parseRecord, str } from "../../internal/jsonl.ts";
import { piListingFacts } from "../../formats/pi_listing.ts";
import { piFlatSessionDir, piRoots } from "./paths.ts";
import { PI_ID } from "./reader.ts";
import { matchingIds, sampleLines, setSampledCount, summarizeEach } from "../listing.ts";

/** Raise when {@linkcode summarizePiSession}'s output changes. */
export const PI_SUMMARY_VERSION = 2;

/**
 * Summarizes one session file from its head and tail.
 *
 * @param path The session file.
 * @returns The summary, or `undefined` when the file cannot be read or has no Pi header.
 */
export async function summarizePiSession(path: string): Promise<SessionSummary | undefined> {
  const sampled = await sampleLines(path);
  if (sampled === undefined) return undefined;
  const { sample, head, tail } = sampled;
  const facts = piListingFacts(head, tail);
  if (facts === undefined) return undefined;
  const summary: SessionSummary = {
    id: facts.header.id,
    provider: PI_ID,
    path,
    sizeBytes: sample.size,
    ...definedFields({ workspace: facts.workspace, startedAt: facts.startedAt }),
  };
  let title: string | undefined;
  for (const line of [...head, ...tail].reverse()) {
    if (!line.includes('"type":"session_info"')) continue;
    title = str(parseRecord(line)?.name)?.trim() || undefined;
    if (title !== undefined) break;
  }
  const label = title ?? facts.prompt;
  if (label !== undefined) summary.title = label;
  summary.lastActiveAt = facts.lastMessageAt ?? sample.mtimeMs;
  setSampledCount(summary, sample, facts.headCount, facts.tailCount);
  return summary;
}

/**
 * Every candidate session file: `*.jsonl` directly in the flat session dir
 * (when set) and in each project folder of `<agent dir>/sessions`.
 *
 * @param ctx Where to look.
 * @returns The file paths, sorted and distinct.
 */
export async function piSessionFiles(ctx: ProviderContext): Promise<string[]> {
  const flat = piFlatSessionDir(ctx);
  const dirs: string[] = [];
  for (const root of piRoots(ctx)) {
    if (root === flat) {
      dirs.push(root);
      continue;
    }
    const projects = (await readDirEntries(root)).filter((e) => e.isDir);
    dirs.push(...projects.map((p) => p.path));
  }
  const lists = await mapLimit(dirs, SCAN_CONCURRENCY, (dir) => readDirEntries(dir));
  const files = lists.flat().filter((e) => e.isFile && e.name.endsWith(".jsonl")).map((e) =>
    e.path
  );
  return [...new Set(files)].sort();
}

function summarizeAll(paths: readonly string[]): Promise<SessionSummary[]> {
  return summarizeEach(paths, summarizePiSession);
}

/**
 * Lists every Pi session.
 *
 * @param ctx Where to look.
 * @returns One summary per session file.
 */
export async function listPiSessions(ctx: ProviderContext): Promise<SessionSummary[]> {
  return summarizeAll(await piSessionFiles(ctx));
}

/**
 * Finds sessions by header id or id prefix (case-insensitive). Files named
 * `…_<id>.jsonl` matching the id are summarized first; when none of them has
 * that exact id, every file's header is read.
 *
 * @param ctx Where to look.
 * @param idOrPrefix A full id or its start.
 * @returns The exact match alone when there is one, else every prefix match.
 */
export async function findPiSessions(
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (wanted === "") return [];
  const files = await piSessionFiles(ctx);
  const named = files.filter((p) =>
    nodePath.basename(p, ".jsonl").toLowerCase().endsWith(`_${wanted}`)
  );
  const exactByName = (await summarizeAll(named)).filter((s) => s.id.toLowerCase() === wanted);
  if (exactByName.length > 0) return exactByName;
  return matchingIds(await summarizeAll(files), wanted, (s) => s.id);
}
