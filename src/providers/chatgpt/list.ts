/**
 * Listing ChatGPT v1 conversations: every `.json` file in a plaintext
 * `conversations-<uuid>/` folder. Small files are parsed whole; larger ones
 * are summarized from their head and tail. Encrypted v2/v3 folders are not
 * listed; `find()` still reports a `.data` file whose name matches, so reading
 * it explains why it cannot be read.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import * as fsp from "node:fs/promises";
import { listDir, readHead } from "../../internal/fs.ts";
import { mapLimit, readTextIfExists, statFile } from "../../internal/fast_fs.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import { chatgptRoot, conversationDirKind } from "./paths.ts";
import { CHATGPT_ID } from "./reader.ts";
import { matchingIds } from "../listing.ts";

/** Files up to this size are parsed whole. */
const WHOLE_BYTES = 256 * 1024;
const EDGE_BYTES = 64 * 1024;

/**
 * Every conversation file: v1 `.json` files, and (with `encrypted`) the
 * `.data` files of encrypted folders.
 *
 * @param ctx Where to look.
 * @param encrypted Whether to include encrypted files.
 * @returns Absolute paths.
 */
export async function chatgptFiles(ctx: ProviderContext, encrypted = false): Promise<string[]> {
  const out: string[] = [];
  for (const dir of await listDir(chatgptRoot(ctx))) {
    const kind = dir.isDir ? conversationDirKind(dir.name) : undefined;
    if (kind === undefined || (kind === "encrypted" && !encrypted)) continue;
    for (const file of await listDir(dir.path)) {
      if (!file.isFile) continue;
      if (kind === "plain" ? file.name.endsWith(".json") : file.name.endsWith(".data")) {
        out.push(file.path);
      }
    }
  }
  return out;
}

async function readTail(path: string, size: number, bytes: number): Promise<string> {
  const handle = await fsp.open(path, "r");
  try {
    const buffer = new Uint8Array(Math.min(bytes, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, Math.max(0, size - bytes));
    return new TextDecoder().decode(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

function firstString(text: string, key: string, last = false): string | undefined {
  const re = new RegExp(`"${key}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`, "g");
  let found: string | undefined;
  for (const m of text.matchAll(re)) {
    found = m[1];
    if (!last) break;
  }
  if (found === undefined) return undefined;
  try {
    return JSON.parse(`"${found}"`) as string;
  } catch {
    return undefined;
  }
}

function firstNumber(text: string, key: string): number | undefined {
  const m = new RegExp(`"${key}"\\s*:\\s*([0-9.eE+]+)`).exec(text);
  return m ? parseTimestamp(Number(m[1])) : undefined;
}

/**
 * Summarizes one conversation file.
 *
 * @param path A v1 `.json` file (or an encrypted `.data` file).
 * @returns The summary, or `undefined` when the file is not a conversation.
 */
export async function summarizeChatgptFile(path: string): Promise<SessionSummary | undefined> {
  const stat = await statFile(path);
  if (stat === undefined || !stat.isFile) return undefined;
  const stem = nodePath.basename(path).replace(/\.(json|data)$/i, "");
  const summary: SessionSummary = {
    id: stem,
    provider: CHATGPT_ID,
    path,
    sizeBytes: stat.size,
    lastActiveAt: stat.mtimeMs,
  };
  if (path.endsWith(".data")) {
    summary.title = "(encrypted: casr cannot read it)";
    return summary;
  }
  if (stat.size <= WHOLE_BYTES) {
    let doc: unknown;
    try {
      doc = JSON.parse(await readTextIfExists(path) ?? "");
    } catch {
      return undefined;
    }
    if (!isRecord(doc)) return undefined;
    summary.id = str(doc.id) ?? str(doc.conversation_id) ?? stem;
    const title = str(doc.title);
    if (title !== undefined) summary.title = title;
    const start = parseTimestamp(doc.create_time);
    if (start !== undefined) summary.startedAt = start;
    const end = parseTimestamp(doc.update_time);
    if (end !== undefined) summary.lastActiveAt = end;
    if (isRecord(doc.mapping)) {
      summary.messageCount = Object.values(doc.mapping).filter((n) =>
        isRecord(n) && isRecord(n.message) && isRecord(n.message.author) &&
        n.message.author.role !== "system"
      ).length;
    } else if (Array.isArray(doc.messages)) summary.messageCount = doc.messages.length;
    return summary;
  }
  let head: string;
  let tail: string;
  try {
    head = await readHead(path, EDGE_BYTES);
    tail = await readTail(path, stat.size, EDGE_BYTES);
  } catch {
    return undefined;
  }
  summary.id = firstString(tail, "conversation_id", true) ?? firstString(tail, "id", true) ?? stem;
  const title = firstString(head, "title");
  if (title !== undefined) summary.title = title;
  const start = firstNumber(head, "create_time");
  if (start !== undefined) summary.startedAt = start;
  const authors = (head.match(/"author"\s*:/g) ?? []).length;
  summary.messageCount = Math.round(authors * stat.size / Math.max(1, head.length));
  summary.messageCountEstimated = true;
  return summary;
}

/**
 * Lists every readable (v1) ChatGPT conversation.
 *
 * @param ctx Where to look.
 * @returns The summaries.
 */
export async function listChatgptSessions(ctx: ProviderContext): Promise<SessionSummary[]> {
  const out = await mapLimit(await chatgptFiles(ctx), 16, summarizeChatgptFile);
  return out.filter((s): s is SessionSummary => s !== undefined);
}

/**
 * Finds conversations by id or id prefix; an encrypted file whose name
 * matches is reported too (reading it explains why it cannot be read).
 *
 * @param ctx Where to look.
 * @param idOrPrefix A full id or its start (case-insensitive).
 * @returns The exact match alone when there is one, else every prefix match.
 */
export async function findChatgptSessions(
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  if (idOrPrefix.trim() === "") return [];
  const plain = await listChatgptSessions(ctx);
  const encrypted = (await chatgptFiles(ctx, true)).filter((p) => p.endsWith(".data"));
  const locked = (await mapLimit(encrypted, 16, summarizeChatgptFile))
    .filter((s): s is SessionSummary => s !== undefined);
  return matchingIds([...plain, ...locked], idOrPrefix, (s) => s.id);
}
