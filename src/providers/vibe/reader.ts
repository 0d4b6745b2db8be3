/**
 * Reading a Mistral Vibe session: `messages.jsonl` (one `LLMMessage` per line,
 * no timestamps, no system lines) and the `meta.json` beside it (id, cwd,
 * title, start and end times).
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as nodePath from "node:path";
import type { Message, ReadResult, Session, ToolCall, Warning } from "../../model/types.ts";
import { parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { nothingToRead, readJsonlSession, skippedLine } from "../../formats/jsonl_session.ts";
import { MESSAGES_FILE, META_FILE } from "./paths.ts";

/** The provider id. */
export const VIBE_ID = "vibe";

/**
 * The per-line time casr writes (Vibe itself records none per message and
 * ignores unknown keys).
 */
export const CASR_TIMESTAMP_KEY = "casr_timestamp";

/** The tag Vibe wraps a failed tool's text in (`vibe/core/utils/tags.py`). */
export const TOOL_ERROR_TAG = "tool_error";

/**
 * Text of an `LLMMessage.content`: a string, or a list of parts whose `text`
 * values are joined with newlines (as Vibe's `_content_before` does).
 *
 * @param content The native content.
 * @returns The text.
 */
export function vibeContentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (Array.isArray(content)) {
    return content.map((part) =>
      isRecord(part) && typeof part.text === "string"
        ? part.text
        : typeof part === "string"
        ? part
        : JSON.stringify(part)
    ).join("\n");
  }
  return typeof content === "object" ? JSON.stringify(content) : String(content);
}

/**
 * A tool result's text and error flag: Vibe writes a failure as
 * `<tool_error>…</tool_error>`.
 *
 * @param text The tool message content.
 * @returns The output and whether it is an error.
 */
export function splitToolError(text: string): { output: string; isError: boolean } {
  const open = `<${TOOL_ERROR_TAG}>`;
  const close = `</${TOOL_ERROR_TAG}>`;
  const trimmed = text.trim();
  if (trimmed.startsWith(open) && trimmed.endsWith(close)) {
    return { output: trimmed.slice(open.length, -close.length), isError: true };
  }
  return { output: text, isError: false };
}

/**
 * A tool call's arguments: Vibe stores a JSON string; an object inside stays an
 * object, anything else stays the raw string.
 *
 * @param raw The `function.arguments` value.
 * @returns The canonical input.
 */
export function parseArguments(raw: unknown): unknown {
  if (typeof raw !== "string") return isRecord(raw) ? raw : raw ?? {};
  if (raw.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(raw);
    return isRecord(value) ? value : raw;
  } catch {
    return raw;
  }
}

/** The parts of `meta.json` casr uses. */
export interface VibeMeta {
  /** The session id. */
  sessionId?: string;
  /** `environment.working_directory`. */
  workspace?: string;
  /** The title. */
  title?: string;
  /** `start_time`, epoch ms. */
  startedAt?: number;
  /** `end_time`, epoch ms. */
  endedAt?: number;
  /** `total_messages`. */
  totalMessages?: number;
  /** `config.active_model`, when the config dump is there. */
  model?: string;
  /** Other facts kept in the session metadata. */
  extra: Record<string, unknown>;
}

/**
 * Picks the fields casr uses out of a parsed `meta.json`.
 *
 * @param value The parsed JSON.
 * @returns The fields, or `undefined` when it is not an object.
 */
export function metaFields(value: unknown): VibeMeta | undefined {
  if (!isRecord(value)) return undefined;
  const meta: VibeMeta = { extra: {} };
  const id = str(value.session_id);
  if (id !== undefined) meta.sessionId = id;
  const env = isRecord(value.environment) ? value.environment : {};
  const cwd = str(env.working_directory);
  if (cwd !== undefined) meta.workspace = cwd;
  const title = str(value.title);
  if (title !== undefined) meta.title = title;
  const start = parseTimestamp(value.start_time);
  if (start !== undefined) meta.startedAt = start;
  const end = parseTimestamp(value.end_time);
  if (end !== undefined) meta.endedAt = end;
  if (typeof value.total_messages === "number" && Number.isFinite(value.total_messages)) {
    meta.totalMessages = value.total_messages;
  }
  const config = isRecord(value.config) ? value.config : {};
  const model = str(config.active_model);
  if (model !== undefined) meta.model = model;
  for (const key of ["parent_session_id", "git_commit", "git_branch", "username"] as const) {
    const v = str(value[key]);
    if (v !== undefined) meta.extra[key] = v;
  }
  return meta;
}

/**
 * Reads and parses a `meta.json`, leniently.
 *
 * @param file The `meta.json` path.
 * @param warnings Where problems go.
 * @returns The fields, or `undefined`.
 */
export async function readMeta(file: string, warnings: Warning[]): Promise<VibeMeta | undefined> {
  let text: string;
  try {
    text = await fsp.readFile(file, "utf8");
  } catch {
    warnings.push({
      code: "missing-metadata",
      message: `No readable "${file}": the session id, workspace and title are guessed`,
    });
    return undefined;
  }
  try {
    const meta = metaFields(JSON.parse(text));
    if (meta !== undefined) return meta;
  } catch {
    // fall through
  }
  warnings.push({
    code: "malformed-metadata",
    message: `Skipped "${file}": not a Vibe session metadata object`,
  });
  return undefined;
}

function newMessage(role: Message["role"], text: string, time?: number): Message {
  const message: Message = { index: 0, role, text, toolCalls: [], toolResults: [] };
  if (time !== undefined) message.timestamp = time;
  return message;
}

/**
 * Reads a Vibe session leniently.
 *
 * @param path The session's `messages.jsonl` (or its `meta.json`, or the directory).
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when `messages.jsonl` holds no usable message.
 */
export async function readVibeSession(path: string): Promise<ReadResult> {
  let dir = nodePath.dirname(path);
  try {
    if ((await fsp.stat(path)).isDirectory()) dir = path;
  } catch {
    // the read below reports it
  }
  const messagesPath = nodePath.join(dir, MESSAGES_FILE);
  const warnings: Warning[] = [];
  const meta = await readMeta(nodePath.join(dir, META_FILE), warnings);
  const messages: Message[] = [];
  let usable = 0;
  const lines = await readJsonlSession(messagesPath, warnings, (record, at) => {
    const role = isRecord(record) ? record.role ?? "assistant" : undefined;
    if (!isRecord(record) || typeof role !== "string") {
      warnings.push(skippedLine(messagesPath, at, "not a Vibe message"));
      return;
    }
    const text = vibeContentText(record.content);
    const time = parseTimestamp(record[CASR_TIMESTAMP_KEY]);
    if (role === "user" || role === "system") {
      usable++;
      // `injected` user lines are context Vibe added, not typed by the human.
      const kind = role === "system" || record.injected === true ? "system" : "user";
      const message = newMessage(kind, text, time);
      message.extra = { messageId: record.message_id, injected: record.injected === true };
      messages.push(message);
    } else if (role === "assistant") {
      usable++;
      const message = newMessage("assistant", text, time);
      const calls = Array.isArray(record.tool_calls) ? record.tool_calls : [];
      for (const [k, raw] of calls.entries()) {
        if (!isRecord(raw)) continue;
        const fn = isRecord(raw.function) ? raw.function : {};
        const call: ToolCall = {
          id: str(raw.id) ?? `vibe_call_${at}_${k}`,
          name: str(fn.name) ?? "unknown",
          input: parseArguments(fn.arguments),
        };
        message.toolCalls.push(call);
      }
      const reasoning = vibeContentText(record.reasoning_content);
      if (reasoning.trim() !== "") message.reasoning = reasoning;
      message.extra = { messageId: record.message_id };
      messages.push(message);
    } else if (role === "tool") {
      usable++;
      const callId = str(record.tool_call_id);
      if (callId === undefined) {
        warnings.push(skippedLine(messagesPath, at, "tool result without a tool_call_id"));
        return;
      }
      const { output, isError } = splitToolError(text);
      const last = messages.at(-1);
      const target = last?.role === "tool" ? last : newMessage("tool", "", time);
      if (target !== last) messages.push(target);
      const result: Message["toolResults"][number] = { callId, output, isError };
      const name = str(record.name);
      if (name !== undefined) result.name = name;
      target.toolResults.push(result);
    } else {
      warnings.push(skippedLine(messagesPath, at, `unknown role "${role}"`, "unknown-role"));
    }
  });
  if (usable === 0) {
    throw nothingToRead(messagesPath, lines, "no Vibe messages found");
  }
  const ordered = reindexMessages(messages);
  const session: Session = {
    id: meta?.sessionId ?? nodePath.basename(dir),
    provider: VIBE_ID,
    messages: ordered,
    metadata: { ...(meta?.extra ?? {}) },
    sourcePath: messagesPath,
  };
  if (meta?.workspace !== undefined) session.workspace = meta.workspace;
  if (meta?.model !== undefined) session.model = meta.model;
  if (meta?.startedAt !== undefined) session.startedAt = meta.startedAt;
  if (meta?.endedAt !== undefined) session.endedAt = meta.endedAt;
  if (meta?.totalMessages !== undefined) session.metadata.totalMessages = meta.totalMessages;
  const firstUser = ordered.find((m) => m.role === "user" && m.text.trim() !== "");
  const title = meta?.title ?? firstUser?.text.trim().split("\n")[0];
  if (title !== undefined) session.title = title;
  return { session, warnings };
}
