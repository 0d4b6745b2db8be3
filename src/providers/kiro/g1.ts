/**
 * Kiro G1 (≤ 1.x, and the legacy `v1` engine of 2.x): the SQLite
 * `data.sqlite3` in Kiro's data dir, table `conversations_v2` (`key` = the
 * cwd, `conversation_id`, `value` = the JSON `ConversationState`,
 * `created_at`/`updated_at` epoch ms); older databases have `conversations`
 * (`key`, `value`). Read only: casr never writes here.
 *
 * `value.history[]` holds one entry per request, `{user, assistant,
 * request_metadata}` (older builds: a `[user, assistant]` pair). Shapes from
 * Kiro's public source (aws/amazon-q-developer-cli `chat-cli` `message.rs`,
 * and the V1 → V2 exporter `v1_compat`):
 * - `user.content` is `{Prompt:{prompt}}`, `{ToolUseResults:{tool_use_results[]}}`
 *   or `{CancelledToolUses:{prompt?, tool_use_results[]}}`; `user.timestamp` RFC 3339;
 * - a result is `{tool_use_id, content:[{Text}|{Json}], status}`;
 * - `assistant` is `{Response:{message_id, content}}` or
 *   `{ToolUse:{message_id, content, tool_uses:[{id, name, args}]}}`, timed by
 *   `request_metadata.stream_end_timestamp_ms`.
 *
 * @module
 */
import type { Message, ReadResult, ToolCall, Warning } from "../../model/types.ts";
import { clipText, parseTimestamp } from "../../model/normalize.ts";
import { parseFailed } from "../../errors.ts";
import { openSqlite, type SqliteDatabase } from "../../internal/sqlite.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { finishSession, newMessage, pushResult, toolOutput } from "./common.ts";
import { g1Ref, parseG1Ref } from "./paths.ts";

/** One G1 conversation row, as listed (the JSON value is not parsed). */
export interface G1Row {
  /** The cwd the conversation belongs to (`key`). */
  key: string;
  /** The conversation id. */
  id: string;
  /** `created_at`, epoch ms. */
  createdAt?: number;
  /** `updated_at`, epoch ms. */
  updatedAt?: number;
  /** The first 4 KB of the value. */
  head: string;
  /** How many `"assistant":` keys the value has (about one per request). */
  requests: number;
  /** The value's length in characters. */
  size: number;
}

function tableNames(db: SqliteDatabase): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()
    .map((r) => String(r.name));
}

/**
 * Opens a G1 database read-only, runs `work`, and closes it; any SQLite
 * failure (missing, locked, corrupt, not a database) becomes `undefined`.
 *
 * @param db The database file.
 * @param work What to do with it.
 * @returns What `work` returned, or `undefined`.
 */
export async function withG1<T>(
  db: string,
  work: (handle: SqliteDatabase, tables: string[]) => T,
): Promise<T | undefined> {
  let handle: SqliteDatabase | undefined;
  try {
    handle = await openSqlite(db, { readOnly: true });
    if (handle === undefined) return undefined;
    return work(handle, tableNames(handle));
  } catch {
    return undefined;
  } finally {
    try {
      handle?.close();
    } catch {
      // already closed
    }
  }
}

const ASSISTANT_KEY = '"assistant":';

/**
 * Lists the conversations of a G1 database without parsing their values.
 *
 * @param db The `data.sqlite3` file.
 * @returns The rows (empty when the database is missing or unreadable).
 */
export async function listG1Rows(db: string): Promise<G1Row[]> {
  const rows = await withG1(db, (handle, tables) => {
    const count =
      `(length(value) - length(replace(value, '${ASSISTANT_KEY}', ''))) / ${ASSISTANT_KEY.length}`;
    if (tables.includes("conversations_v2")) {
      return handle.prepare(
        `SELECT key, conversation_id AS id, created_at, updated_at, substr(value, 1, 4096) AS head,
                ${count} AS requests, length(value) AS size FROM conversations_v2`,
      ).all();
    }
    if (tables.includes("conversations")) {
      return handle.prepare(
        `SELECT key, NULL AS id, NULL AS created_at, NULL AS updated_at,
                substr(value, 1, 4096) AS head, ${count} AS requests, length(value) AS size
         FROM conversations`,
      ).all();
    }
    return [];
  });
  const out: G1Row[] = [];
  for (const r of rows ?? []) {
    const head = typeof r.head === "string" ? r.head : "";
    const id = str(r.id) ?? /"conversation_id":\s*"([^"]+)"/.exec(head)?.[1];
    if (id === undefined) continue;
    const row: G1Row = {
      key: typeof r.key === "string" ? r.key : "",
      id,
      head,
      requests: Number(r.requests) || 0,
      size: Number(r.size) || 0,
    };
    const created = parseTimestamp(r.created_at);
    if (created !== undefined) row.createdAt = created;
    const updated = parseTimestamp(r.updated_at);
    if (updated !== undefined) row.updatedAt = updated;
    out.push(row);
  }
  return out;
}

/**
 * The first prompt in a value's head, for titles.
 *
 * @param head The start of the JSON value.
 * @returns The prompt's first line, or `undefined`.
 */
export function firstPrompt(head: string): string | undefined {
  const m = /"Prompt":\s*\{\s*"prompt":\s*("(?:[^"\\]|\\.)*")/.exec(head);
  if (m === null) return undefined;
  try {
    const text = (JSON.parse(m[1] as string) as string).trim().split("\n")[0]?.trim();
    return text ? (clipText(text, 80)) : undefined;
  } catch {
    return undefined;
  }
}

function readRow(
  db: string,
  id: string,
): Promise<{ key: string; value: string; created?: unknown; updated?: unknown } | undefined> {
  return withG1(db, (handle, tables) => {
    if (tables.includes("conversations_v2")) {
      const [row] = handle.prepare(
        "SELECT key, value, created_at, updated_at FROM conversations_v2 WHERE conversation_id = ?",
      ).all(id);
      if (row !== undefined) {
        return {
          key: String(row.key ?? ""),
          value: String(row.value ?? ""),
          created: row.created_at,
          updated: row.updated_at,
        };
      }
    }
    if (tables.includes("conversations")) {
      for (const row of handle.prepare("SELECT key, value FROM conversations").all()) {
        const value = String(row.value ?? "");
        if (value.includes(`"${id}"`)) return { key: String(row.key ?? ""), value };
      }
    }
    return undefined;
  }).then((r) => r ?? undefined);
}

function userText(user: Record<string, unknown>): string | undefined {
  const content = isRecord(user.content) ? user.content : {};
  const prompt = isRecord(content.Prompt) ? content.Prompt : undefined;
  if (prompt !== undefined) return typeof prompt.prompt === "string" ? prompt.prompt : "";
  const cancelled = isRecord(content.CancelledToolUses) ? content.CancelledToolUses : undefined;
  return cancelled !== undefined && typeof cancelled.prompt === "string"
    ? cancelled.prompt
    : undefined;
}

function userResults(user: Record<string, unknown>): unknown[] {
  const content = isRecord(user.content) ? user.content : {};
  for (const key of ["ToolUseResults", "CancelledToolUses"]) {
    const part = content[key];
    if (isRecord(part) && Array.isArray(part.tool_use_results)) return part.tool_use_results;
  }
  return [];
}

/**
 * Converts a G1 `ConversationState` JSON value to canonical messages.
 *
 * @param state The parsed value.
 * @param warnings Where problems go.
 * @returns The messages, and the model and cwd when recorded.
 */
export function g1Messages(
  state: Record<string, unknown>,
  warnings: Warning[],
): { messages: Message[]; model?: string; cwd?: string } {
  const messages: Message[] = [];
  let cwd: string | undefined;
  const history = Array.isArray(state.history) ? state.history : [];
  for (const [n, entry] of history.entries()) {
    let user: unknown;
    let assistant: unknown;
    let request: unknown;
    if (Array.isArray(entry)) [user, assistant] = entry;
    else if (isRecord(entry)) {
      user = entry.user;
      assistant = entry.assistant;
      request = entry.request_metadata;
    } else {
      warnings.push({
        code: "malformed-record",
        message: `Skipped history entry ${n}: not an object`,
      });
      continue;
    }
    const meta = isRecord(request) ? request : {};
    if (isRecord(user)) {
      const time = parseTimestamp(user.timestamp) ??
        parseTimestamp(meta.request_start_timestamp_ms);
      const env = isRecord(user.env_context) && isRecord(user.env_context.env_state)
        ? user.env_context.env_state
        : {};
      cwd ??= str(env.current_working_directory);
      for (const r of userResults(user)) {
        if (!isRecord(r) || str(r.tool_use_id) === undefined) continue;
        const status = typeof r.status === "string" ? r.status.toLowerCase() : "success";
        pushResult(messages, {
          callId: r.tool_use_id as string,
          output: toolOutput(r.content),
          isError: status === "error",
        }, time);
      }
      const text = userText(user);
      if (text !== undefined && text.trim() !== "") messages.push(newMessage("user", text, time));
    }
    if (isRecord(assistant)) {
      const time = parseTimestamp(meta.stream_end_timestamp_ms) ??
        parseTimestamp(meta.request_start_timestamp_ms);
      const body = isRecord(assistant.ToolUse)
        ? assistant.ToolUse
        : isRecord(assistant.Response)
        ? assistant.Response
        : undefined;
      if (body === undefined) continue;
      const message = newMessage(
        "assistant",
        typeof body.content === "string" ? body.content : "",
        time,
      );
      const uses = Array.isArray(body.tool_uses) ? body.tool_uses : [];
      for (const [k, use] of uses.entries()) {
        if (!isRecord(use)) continue;
        const call: ToolCall = {
          id: str(use.id) ?? `kiro_call_${n}_${k}`,
          name: str(use.orig_name) ?? str(use.name) ?? "unknown",
          input: use.orig_args ?? use.args ?? {},
        };
        message.toolCalls.push(call);
      }
      const id = str(body.message_id);
      if (id !== undefined) message.extra = { messageId: id };
      messages.push(message);
    }
  }
  const info = isRecord(state.model_info) ? state.model_info : {};
  const out: { messages: Message[]; model?: string; cwd?: string } = { messages };
  const model = str(info.model_id) ?? str(state.model);
  if (model !== undefined) out.model = model;
  if (cwd !== undefined) out.cwd = cwd;
  return out;
}

/**
 * Reads one G1 conversation.
 *
 * @param path `<data.sqlite3>#<conversation id>`.
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when the row is missing or holds no conversation.
 */
export async function readKiroG1(path: string): Promise<ReadResult> {
  const ref = parseG1Ref(path);
  if (ref === undefined) {
    throw parseFailed(path, "a Kiro database session is read as <data.sqlite3>#<conversation id>");
  }
  const row = await readRow(ref.db, ref.id);
  if (row === undefined) {
    throw parseFailed(path, `no conversation "${ref.id}" in the database (or it cannot be opened)`);
  }
  let state: unknown;
  try {
    state = JSON.parse(row.value);
  } catch (error) {
    throw parseFailed(path, "its conversation value is not JSON", { cause: error });
  }
  if (!isRecord(state)) {
    throw parseFailed(path, "its value is not an object");
  }
  const warnings: Warning[] = [];
  const { messages, model, cwd } = g1Messages(state, warnings);
  if (messages.length === 0) {
    throw parseFailed(path, "no conversation in it");
  }
  return finishSession(
    {
      id: ref.id,
      sourcePath: g1Ref(ref.db, ref.id),
      workspace: row.key !== "" ? row.key : cwd,
      model,
      startedAt: parseTimestamp(row.created),
      endedAt: parseTimestamp(row.updated),
      metadata: { generation: "g1" },
    },
    messages,
    warnings,
  );
}
