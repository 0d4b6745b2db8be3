/**
 * Pieces the three Kiro readers share.
 *
 * @module
 */
import type { Message, ReadResult, Session, Warning } from "../../model/types.ts";
import { flattenContent, reindexMessages } from "../../model/normalize.ts";
import { isRecord } from "../../internal/jsonl.ts";

/** The provider id. */
export const KIRO_ID = "kiro";

/**
 * A new canonical message.
 *
 * @param role The role.
 * @param text The text.
 * @param timestamp Epoch ms, when known.
 * @returns The message.
 */
export function newMessage(
  role: Message["role"],
  text: string,
  timestamp: number | undefined,
): Message {
  const message: Message = { index: 0, role, text, toolCalls: [], toolResults: [] };
  if (timestamp !== undefined) message.timestamp = timestamp;
  return message;
}

/**
 * The text of a JSON tool output: `stdout` (and `stderr` when not empty) of a
 * shell result, else the JSON itself.
 *
 * @param value The JSON value.
 * @returns The text.
 */
export function jsonOutput(value: unknown): string {
  if (typeof value === "string") return value;
  if (isRecord(value) && (typeof value.stdout === "string" || typeof value.stderr === "string")) {
    const out = typeof value.stdout === "string" ? value.stdout : "";
    const err = typeof value.stderr === "string" ? value.stderr : "";
    return [out, err].filter((s) => s !== "").join("\n");
  }
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}

/**
 * Flattens a tool result's content list: G2 `{kind, data}` items and G1
 * `{Text}`/`{Json}` items; anything else through {@linkcode flattenContent}.
 *
 * @param content The list (or a lone string).
 * @returns The output text.
 */
export function toolOutput(content: unknown): string {
  if (!Array.isArray(content)) {
    return typeof content === "string" ? content : flattenContent(content);
  }
  const parts: string[] = [];
  for (const item of content) {
    if (typeof item === "string") parts.push(item);
    else if (!isRecord(item)) continue;
    else if (item.kind === "text") parts.push(typeof item.data === "string" ? item.data : "");
    else if (item.kind === "json") parts.push(jsonOutput(item.data));
    else if (item.kind === "image" || "Image" in item) parts.push("[image]");
    else if (typeof item.Text === "string") parts.push(item.Text);
    else if ("Json" in item) parts.push(jsonOutput(item.Json));
    else parts.push(flattenContent(item));
  }
  return parts.filter((p) => p !== "").join("\n");
}

/**
 * Appends a tool result to the conversation: into the last message when it is
 * a `tool` message, else into a new one.
 *
 * @param messages The conversation so far.
 * @param result The result.
 * @param timestamp The time of a new tool message.
 */
export function pushResult(
  messages: Message[],
  result: { callId: string; output: string; isError: boolean },
  timestamp: number | undefined,
): void {
  const last = messages.at(-1);
  if (last?.role === "tool") last.toolResults.push(result);
  else {
    const message = newMessage("tool", "", timestamp);
    message.toolResults.push(result);
    messages.push(message);
  }
}

/** The session fields a generation's reader found (any may be missing). */
export interface KiroSessionBase {
  /** The session id. */
  id: string;
  /** The file read. */
  sourcePath?: string | undefined;
  /** The working directory. */
  workspace?: string | undefined;
  /** The title. */
  title?: string | undefined;
  /** The model. */
  model?: string | undefined;
  /** Creation time, epoch ms (used when no message has a time). */
  startedAt?: number | undefined;
  /** Last update, epoch ms (used when no message has a time). */
  endedAt?: number | undefined;
  /** Provider-specific facts. */
  metadata?: Record<string, unknown>;
}

/**
 * Builds the read result shared by every generation.
 *
 * @param base The session fields found.
 * @param messages The conversation.
 * @param warnings The warnings.
 * @returns The read result.
 */
export function finishSession(
  base: KiroSessionBase,
  messages: Message[],
  warnings: Warning[],
): ReadResult {
  const ordered = reindexMessages(messages);
  const times = ordered.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  const session: Session = {
    id: base.id,
    provider: KIRO_ID,
    messages: ordered,
    metadata: base.metadata ?? {},
  };
  if (base.sourcePath !== undefined) session.sourcePath = base.sourcePath;
  if (base.workspace !== undefined) session.workspace = base.workspace;
  if (base.model !== undefined) session.model = base.model;
  const start = times[0] ?? base.startedAt;
  if (start !== undefined) session.startedAt = start;
  const end = times.length > 0 ? times.reduce((a, b) => Math.max(a, b)) : base.endedAt;
  if (end !== undefined) session.endedAt = end;
  const first = ordered.find((m) => m.role === "user" && m.text.trim() !== "");
  const title = base.title ?? first?.text.trim().split("\n")[0];
  if (title !== undefined) session.title = title;
  return { session, warnings };
}
