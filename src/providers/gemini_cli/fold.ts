/**
 * Folding a Gemini CLI session file into its final metadata and message list,
 * as the CLI's own loader does.
 *
 * JSONL (Gemini CLI ≥ 0.39) lines are applied in order:
 * - `{"$rewindTo": id}` removes that message and everything after it (all
 *   messages when the id is unknown);
 * - a line with a string `id` is a message; a later line with the same id
 *   replaces it in place (order kept);
 * - `{"$set": {...}}` merges into the metadata, and `$set.messages` replaces the
 *   whole message list;
 * - a line with string `sessionId` and `projectHash` merges into the metadata
 *   (a `messages` array on it is loaded, as legacy whole records are).
 *
 * Gemini CLI 0.61 re-appends a header and a `$set` snapshot each time a session
 * is resumed; the fold absorbs both. That snapshot restamps every message with
 * the resume time and drops `model` and `toolCalls` (calls move into content
 * parts, results into `<id>_response` user records), so for ids already seen
 * the fold restores the first recorded `timestamp` and the `model`, and a
 * `<id>_response` record gets the time of `<id>`'s tool calls.
 *
 * @module
 */
import type { Warning } from "../../model/types.ts";
import { isRecord, type JsonLine, malformedLineWarning } from "../../internal/jsonl.ts";

/** One native message record (`type` is `user`, `gemini`, `info`, `warning` or `error`). */
export type NativeMessage = Record<string, unknown> & { id: string };

/** The folded state of a session file. */
export interface FoldedSession {
  /** Merged header and `$set` metadata (without `messages`). */
  metadata: Record<string, unknown>;
  /** The final messages, in order. */
  messages: NativeMessage[];
  /** Lines that could not be parsed. */
  warnings: Warning[];
  /** How many lines were recognised (header, message, `$set` or `$rewindTo`). */
  recognised: number;
  /**
   * The file's first user messages (up to 16), in the order first met: the
   * session's first prompt is among them even after a `$set` of the messages
   * (a compression) replaced it.
   */
  firstUsers: NativeMessage[];
}

function isMessage(value: unknown): value is NativeMessage {
  return isRecord(value) && typeof value.id === "string";
}

/** The first and the latest version of every message id met so far. */
class Seen {
  readonly first = new Map<string, NativeMessage>();
  readonly latest = new Map<string, NativeMessage>();
  readonly withCalls = new Map<string, NativeMessage>();

  note(message: NativeMessage): void {
    if (!this.first.has(message.id)) this.first.set(message.id, message);
    this.latest.set(message.id, message);
    if (Array.isArray(message.toolCalls) && message.toolCalls.length > 0) {
      this.withCalls.set(message.id, message);
    }
  }

  /** A snapshot copy of `message` with the facts the snapshot lost put back. */
  restore(message: NativeMessage): NativeMessage {
    const first = this.first.get(message.id);
    if (first !== undefined) {
      const out: NativeMessage = { ...message };
      if (first.timestamp !== undefined) out.timestamp = first.timestamp;
      const model = this.latest.get(message.id)?.model;
      if (out.model === undefined && model !== undefined) out.model = model;
      return out;
    }
    const base = message.id.endsWith("_response")
      ? this.withCalls.get(message.id.slice(0, -"_response".length))
      : undefined;
    if (base === undefined) return message;
    const times = (Array.isArray(base.toolCalls) ? base.toolCalls : [])
      .map((c) => (isRecord(c) && typeof c.timestamp === "string" ? c.timestamp : ""))
      .filter((t) => t !== "").sort();
    const timestamp = times.at(-1) ?? base.timestamp;
    return timestamp === undefined ? message : { ...message, timestamp };
  }
}

function loadMessages(
  target: Map<string, NativeMessage>,
  list: unknown[],
  seen: Seen,
  snapshot: boolean,
): void {
  for (const [position, listed] of list.entries()) {
    // A message without an id (written by another tool) is known by its place.
    const item = isRecord(listed) && listed.id === undefined && typeof listed.type === "string"
      ? { ...listed, id: `#${position}` }
      : listed;
    if (!isMessage(item)) continue;
    const message = snapshot ? seen.restore(item) : item;
    seen.note(message);
    target.set(message.id, message);
  }
}

/**
 * Folds parsed JSONL lines into the session state.
 *
 * @param lines The lines of the file, in order.
 * @param path The file path, for warnings.
 * @returns The folded session.
 */
export async function foldLines(
  lines: AsyncIterable<JsonLine> | Iterable<JsonLine>,
  path: string,
): Promise<FoldedSession> {
  let metadata: Record<string, unknown> = {};
  const messages = new Map<string, NativeMessage>();
  const seen = new Seen();
  const warnings: Warning[] = [];
  let recognised = 0;
  const firstUsers: NativeMessage[] = [];
  const users = new Set<string>();
  const noteUser = (list: readonly unknown[]) => {
    for (const m of list) {
      if (firstUsers.length >= 16) return;
      if (!isMessage(m) || m.type !== "user" || users.has(m.id)) continue;
      users.add(m.id);
      firstUsers.push(m);
    }
  };
  // Messages a `$set` of the list (a compression) took out.
  const replaced = new Set<string>();
  for await (const line of lines) {
    if (!line.ok) {
      warnings.push(malformedLineWarning(line, path));
      continue;
    }
    const record = line.value;
    if (!isRecord(record)) continue;
    if (typeof record.$rewindTo === "string") {
      recognised++;
      rewind(messages, record.$rewindTo);
    } else if (isMessage(record)) {
      recognised++;
      seen.note(record);
      messages.set(record.id, record);
      noteUser([record]);
    } else if (isRecord(record.$set)) {
      recognised++;
      const { messages: list, ...rest } = record.$set;
      if (Array.isArray(list)) {
        const before = [...messages.keys()];
        messages.clear();
        loadMessages(messages, list, seen, true);
        noteUser(list);
        for (const id of before) if (!messages.has(id)) replaced.add(id);
      }
      metadata = { ...metadata, ...rest };
    } else if (typeof record.sessionId === "string" && typeof record.projectHash === "string") {
      recognised++;
      const { messages: list, ...rest } = record;
      metadata = { ...metadata, ...rest };
      if (Array.isArray(list)) {
        loadMessages(messages, list, seen, false);
        noteUser(list);
      }
    }
  }
  const compressed = [...replaced].filter((id) => !messages.has(id)).length;
  if (compressed > 0) {
    warnings.push({
      code: "compacted-history",
      message: `Left out ${compressed} message${compressed === 1 ? "" : "s"} of "${path}" from ` +
        "before its last compression: Gemini CLI sends the summary in their place",
    });
  }
  return { metadata, messages: [...messages.values()], warnings, recognised, firstUsers };
}

function rewind(messages: Map<string, NativeMessage>, id: string): void {
  if (!messages.has(id)) {
    messages.clear();
    return;
  }
  let found = false;
  for (const key of [...messages.keys()]) {
    if (key === id) found = true;
    if (found) messages.delete(key);
  }
}

/**
 * Reads a legacy single-object session (`{sessionId, projectHash, …, messages}`).
 *
 * @param value The parsed file.
 * @returns The folded session, or `undefined` when it is not a session object.
 */
export function foldLegacy(value: unknown): FoldedSession | undefined {
  if (!isRecord(value) || typeof value.sessionId !== "string") return undefined;
  const { messages: list, ...metadata } = value;
  const messages = new Map<string, NativeMessage>();
  if (Array.isArray(list)) loadMessages(messages, list, new Seen(), false);
  const folded = [...messages.values()];
  const firstUsers = folded.filter((m) => m.type === "user").slice(0, 16);
  return { metadata, messages: folded, warnings: [], recognised: 1, firstUsers };
}
