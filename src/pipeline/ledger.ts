/**
 * The conversion ledger: what casr wrote where, so that a second conversion
 * can tell a target that still holds exactly that from one the user went on
 * with. One JSON line per verified write, appended to `conversions.jsonl` in
 * casr's data directory; the last line for a target session wins.
 *
 * @module
 */
import { createHash } from "node:crypto";
import * as fsp from "node:fs/promises";
import * as nodePath from "node:path";
import type { Session } from "../model/types.ts";
import { casrDataDir } from "../internal/data_dir.ts";
import { collectEvery } from "../internal/runtime.ts";
import type { ProviderContext } from "../providers/types.ts";
import { flattenToolCalls } from "../formats/tool_text.ts";
import { type ProjectedMessage, projectSession } from "./compare.ts";

/** The ledger's file name inside casr's data directory. */
export const LEDGER_FILE = "conversions.jsonl";

/** One verified write, as the ledger keeps it. */
export interface LedgerRecord {
  /** The record format. */
  v: 1;
  /** The target provider id. */
  target: string;
  /** The target session id. */
  sessionId: string;
  /** The target session's primary path. */
  path: string;
  /** How many conversation messages the target read back with (as a model sees them). */
  messages: number;
  /** SHA-256 of those messages, timestamps left out. */
  digest: string;
  /** The session converted, when the write was a conversion. */
  source?: { provider: string; sessionId: string; path: string };
  /** When it was written, epoch ms. */
  at: number;
}

/** The conversation of a session as a model sees it, one entry a message. */
export function conversationOf(session: Session, toolCallsAsText = false): ProjectedMessage[] {
  return projectSession(toolCallsAsText ? flattenToolCalls(session).session : session);
}

/**
 * A digest of conversation messages that ignores timestamps and key order, so
 * an agent that rewrites its file without changing the conversation keeps it.
 *
 * @param messages Projected messages (see {@linkcode conversationOf}).
 * @returns Lowercase hex SHA-256.
 */
export function conversationDigest(messages: readonly ProjectedMessage[]): Promise<string> {
  // Streamed into the hash a piece at a time: neither the conversation nor a
  // message is ever one string (a 100 MB session's JSON, made whole message by
  // message, measured some 60 MB of garbage at the end of a conversion).
  const hash = createHash("sha256");
  const made = collectEvery();
  const update = (text: string): void => {
    hash.update(text);
    made(text.length);
  };
  // Short pieces are gathered, long ones go to the hash as they are.
  let pending = "";
  const flush = (): void => {
    if (pending !== "") update(pending);
    pending = "";
  };
  const put = (piece: string): void => {
    if (piece.length >= 4096) {
      flush();
      update(piece);
      return;
    }
    pending += piece;
    if (pending.length >= 65536) flush();
  };
  messages.forEach((m, i) => {
    if (i > 0) put("\n");
    putStableJson({
      role: m.role,
      text: m.text,
      toolCalls: m.toolCalls,
      toolResults: m.toolResults,
      images: m.images,
    }, put);
  });
  flush();
  return Promise.resolve(hash.digest("hex"));
}

/**
 * Puts JSON text of a value, object keys sorted and undefined members left
 * out, a piece at a time.
 */
function putStableJson(value: unknown, put: (piece: string) => void): void {
  if (Array.isArray(value)) {
    put("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) put(",");
      if (i in value) putStableJson(value[i], put);
    }
    put("]");
    return;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    put("{");
    entries.forEach(([k, v], i) => {
      put(i > 0 ? `,${JSON.stringify(k)}:` : `${JSON.stringify(k)}:`);
      putStableJson(v, put);
    });
    put("}");
    return;
  }
  put(JSON.stringify(value) ?? "null");
}

/**
 * The ledger file for a context.
 *
 * @param ctx Where casr keeps its data.
 * @returns The absolute path (it may not exist).
 */
export function ledgerPath(ctx: ProviderContext): string {
  return nodePath.join(casrDataDir(ctx), LEDGER_FILE);
}

/**
 * Appends a record. A single short line appended in one write, so concurrent
 * runs never interleave within a line.
 *
 * @param ctx Where casr keeps its data.
 * @param record What was written.
 */
export async function appendLedger(ctx: ProviderContext, record: LedgerRecord): Promise<void> {
  const file = ledgerPath(ctx);
  await fsp.mkdir(nodePath.dirname(file), { recursive: true });
  await fsp.appendFile(file, JSON.stringify(record) + "\n", "utf8");
}

/**
 * The last record for a target session, if casr wrote it here.
 *
 * @param ctx Where casr keeps its data.
 * @param target The target provider id.
 * @param sessionId The target session id.
 * @returns The record, or `undefined` (no ledger, no record, unreadable).
 */
export async function findLedgerRecord(
  ctx: ProviderContext,
  target: string,
  sessionId: string,
): Promise<LedgerRecord | undefined> {
  let text: string;
  try {
    text = await fsp.readFile(ledgerPath(ctx), "utf8");
  } catch {
    return undefined;
  }
  const needle = JSON.stringify(sessionId);
  let found: LedgerRecord | undefined;
  for (const line of text.split("\n")) {
    // A line cut short by a crash, or from a future casr, is skipped.
    if (!line.includes(needle)) continue;
    try {
      const record = JSON.parse(line) as Partial<LedgerRecord>;
      if (
        record.v === 1 && record.target === target && record.sessionId === sessionId &&
        typeof record.messages === "number" && typeof record.digest === "string"
      ) {
        found = record as LedgerRecord;
      }
    } catch {
      continue;
    }
  }
  return found;
}
