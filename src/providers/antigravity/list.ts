/**
 * Listing Antigravity conversations: every `brain/<id>/…/transcript.jsonl`,
 * summarized from its head, plus every `conversations/<id>.db` without a
 * transcript (listed so the user sees it; reading one fails with an
 * explanation).
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { listDir, readHead } from "../../internal/fs.ts";
import { mapLimit, statFile } from "../../internal/fast_fs.ts";
import { parseRecord } from "../../internal/jsonl.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import { antigravityRoot, transcriptPath } from "./paths.ts";
import { ANTIGRAVITY_ID, unwrapUserInput } from "./reader.ts";
import { matchingIds } from "../listing.ts";

const HEAD_BYTES = 64 * 1024;

/** One conversation found on disk. */
interface Found {
  id: string;
  /** The transcript, else the database. */
  path: string;
}

async function conversations(ctx: ProviderContext): Promise<Found[]> {
  const root = antigravityRoot(ctx);
  const byId = new Map<string, Found>();
  for (const entry of await listDir(nodePath.join(root, "brain"))) {
    if (!entry.isDir || entry.name.startsWith(".")) continue;
    const transcript = transcriptPath(root, entry.name);
    if ((await statFile(transcript))?.isFile) {
      byId.set(entry.name, { id: entry.name, path: transcript });
    }
  }
  for (const entry of await listDir(nodePath.join(root, "conversations"))) {
    if (!entry.isFile || !entry.name.endsWith(".db")) continue;
    const id = entry.name.slice(0, -3);
    if (id !== "" && !byId.has(id)) byId.set(id, { id, path: entry.path });
  }
  return [...byId.values()];
}

async function summarize(found: Found): Promise<SessionSummary | undefined> {
  const stat = await statFile(found.path);
  if (stat === undefined) return undefined;
  const summary: SessionSummary = {
    id: found.id,
    provider: ANTIGRAVITY_ID,
    path: found.path,
    sizeBytes: stat.size,
    lastActiveAt: stat.mtimeMs,
  };
  if (found.path.endsWith(".db")) {
    summary.messageCount = 0;
    return summary;
  }
  let head: string;
  try {
    head = await readHead(found.path, HEAD_BYTES);
  } catch {
    return undefined;
  }
  const lines = head.split("\n");
  const complete = head.length < HEAD_BYTES ? lines : lines.slice(0, -1);
  let count = 0;
  let last: number | undefined;
  for (const raw of complete) {
    const step = parseRecord(raw);
    if (step === undefined || typeof step.type !== "string") continue;
    const time = parseTimestamp(step.created_at);
    if (time !== undefined) {
      summary.startedAt = Math.min(summary.startedAt ?? time, time);
      last = Math.max(last ?? time, time);
    }
    if (step.type === "USER_INPUT") {
      count++;
      const { text } = unwrapUserInput(typeof step.content === "string" ? step.content : "");
      if (summary.title === undefined && text.trim() !== "") {
        summary.title = text.trim().split("\n")[0] ?? text;
      }
    } else if (step.source === "MODEL") count++;
  }
  summary.messageCount = count;
  if (head.length >= HEAD_BYTES) summary.messageCountEstimated = true;
  else if (last !== undefined) summary.lastActiveAt = last;
  return summary;
}

/**
 * Lists every Antigravity conversation.
 *
 * @param ctx Where to look.
 * @returns The summaries.
 */
export async function listAntigravitySessions(ctx: ProviderContext): Promise<SessionSummary[]> {
  const out = await mapLimit(await conversations(ctx), 16, summarize);
  return out.filter((s): s is SessionSummary => s !== undefined);
}

/**
 * Finds conversations by id or id prefix.
 *
 * @param ctx Where to look.
 * @param idOrPrefix A full id or its start (case-insensitive).
 * @returns The exact match alone when there is one, else every prefix match.
 */
export async function findAntigravitySessions(
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  if (idOrPrefix.trim() === "") return [];
  const chosen = matchingIds(await conversations(ctx), idOrPrefix, (c) => c.id);
  const out = await mapLimit(chosen, 16, summarize);
  return out.filter((s): s is SessionSummary => s !== undefined);
}
