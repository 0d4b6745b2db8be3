/**
 * Turns OpenCode-store messages and their parts (from the database or the legacy
 * JSON tree) into canonical messages.
 *
 * One OpenCode assistant message is one model step; its `text` parts are the
 * reply, its `reasoning` parts the reasoning, and each `tool` part is one call
 * together with its result (`state.status` `completed` → the output, `error`
 * → the error text flagged as an error, `pending`/`running` → the error
 * result OpenCode itself sends on resume, "[Tool execution was interrupted]").
 * The results of one step become one canonical `tool` message right after it.
 * User text parts marked `synthetic` (added by OpenCode, not typed) or
 * `ignored` (never sent) are left out; a user message with nothing else is a
 * `system` message. A compaction request (a user message with a `compaction`
 * part) is `other`.
 *
 * Kilo CLI 7.x stores the same message and part shapes.
 *
 * @module
 */
import { isRecord, str } from "../../internal/jsonl.ts";
import { flattenContent, parseTimestamp } from "../../model/normalize.ts";
import type { Message, ToolCall, ToolResult, Warning } from "../../model/types.ts";

/** One part as stored (`data` plus its id). */
export interface NativePart {
  /** The part id (`prt_…`). */
  id: string;
  /** The part object without ids. */
  data: Record<string, unknown>;
}

/** One message as stored, with its parts in display (id) order. */
export interface NativeMessage {
  /** The message id (`msg_…`). */
  id: string;
  /** The message info without ids. */
  info: Record<string, unknown>;
  /** Its parts. */
  parts: NativePart[];
  /** The row's `time_created`, when it has one. */
  timeCreated?: number;
  /** The 1-based record number (row or file) used in warnings. */
  record: number;
}

/** The text OpenCode sends for a tool call that never finished. */
export const INTERRUPTED_OUTPUT = "[Tool execution was interrupted]";

function timeOf(value: unknown, key: string): number | undefined {
  return isRecord(value) ? parseTimestamp(value[key]) : undefined;
}

function textParts(parts: readonly NativePart[], type: string, user: boolean): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (part.data.type !== type) continue;
    if (user && (part.data.synthetic === true || part.data.ignored === true)) continue;
    if (part.data.ignored === true) continue;
    const text = typeof part.data.text === "string" ? part.data.text : flattenContent(part.data);
    if (text !== "") out.push(text);
  }
  return out;
}

function toolOf(
  part: NativePart,
  fallbackId: string,
): { call: ToolCall; result: ToolResult; end?: number } | undefined {
  const data = part.data;
  const name = str(data.tool);
  if (name === undefined) return undefined;
  const state = isRecord(data.state) ? data.state : {};
  const id = str(data.callID) ?? fallbackId;
  const input = state.input === undefined ? {} : state.input;
  const status = str(state.status);
  let output: string;
  let isError = false;
  if (status === "completed") {
    const compacted = isRecord(state.time) && state.time.compacted !== undefined;
    output = compacted ? "[Old tool result content cleared]" : flattenContent(state.output);
  } else if (status === "error") {
    output = flattenContent(state.error);
    isError = true;
  } else {
    output = INTERRUPTED_OUTPUT;
    isError = true;
  }
  const result: ToolResult = { callId: id, output, isError, name };
  const end = timeOf(state.time, "end");
  return end === undefined
    ? { call: { id, name, input }, result }
    : { call: { id, name, input }, result, end };
}

/**
 * Builds the canonical conversation.
 *
 * @param natives The messages in OpenCode's order (time created, then id).
 * @param warnings Receives what had to be skipped.
 * @param where The source, for warnings.
 * @returns The messages (indexes not yet dense).
 */
export function buildMessages(
  natives: readonly NativeMessage[],
  warnings: Warning[],
  where: string,
): Message[] {
  const out: Message[] = [];
  const push = (message: Omit<Message, "index">): void => {
    out.push({ index: out.length, ...message });
  };
  for (const native of natives) {
    const info = native.info;
    const role = str(info.role);
    const timestamp = timeOf(info.time, "created") ?? native.timeCreated;
    const base = timestamp === undefined ? {} : { timestamp };
    const extra = { id: native.id, info, parts: native.parts };
    if (role === "user") {
      const text = textParts(native.parts, "text", true).join("\n");
      const compaction = native.parts.some((p) => p.data.type === "compaction");
      const synthetic = textParts(native.parts, "text", false).join("\n");
      if (compaction) {
        push({
          ...base,
          role: "other",
          text: text || "[compaction]",
          toolCalls: [],
          toolResults: [],
          extra,
        });
      } else if (text !== "") {
        push({ ...base, role: "user", text, toolCalls: [], toolResults: [], extra });
      } else if (synthetic !== "") {
        push({ ...base, role: "system", text: synthetic, toolCalls: [], toolResults: [], extra });
      } else {
        warnings.push({
          code: "empty-message",
          message: `Skipped user message ${native.id} of ${where}: it has no text`,
          line: native.record,
        });
      }
      continue;
    }
    if (role !== "assistant") {
      warnings.push({
        code: "unknown-record",
        message: `Skipped message ${native.id} of ${where}: unknown role ${
          JSON.stringify(info.role)
        }`,
        line: native.record,
      });
      continue;
    }
    const text = textParts(native.parts, "text", false).join("\n");
    const reasoning = textParts(native.parts, "reasoning", false).join("\n");
    const calls: ToolCall[] = [];
    const results: ToolResult[] = [];
    let end: number | undefined;
    native.parts.forEach((part, i) => {
      if (part.data.type !== "tool") return;
      const tool = toolOf(part, `${native.id}-${i}`);
      if (tool === undefined) {
        warnings.push({
          code: "malformed-record",
          message: `Skipped tool part ${part.id} of ${where}: it names no tool`,
          line: native.record,
        });
        return;
      }
      calls.push(tool.call);
      results.push(tool.result);
      if (tool.end !== undefined) end = Math.max(end ?? 0, tool.end);
    });
    if (text === "" && calls.length === 0 && reasoning === "") continue;
    const message: Omit<Message, "index"> = {
      ...base,
      role: "assistant",
      text,
      toolCalls: calls,
      toolResults: [],
      extra,
    };
    const author = str(info.modelID);
    if (author !== undefined) message.author = author;
    if (reasoning !== "") message.reasoning = reasoning;
    push(message);
    if (results.length > 0) {
      const resultTime = end ?? timeOf(info.time, "completed") ?? timestamp;
      push({
        ...(resultTime === undefined ? {} : { timestamp: resultTime }),
        role: "tool",
        text: "",
        toolCalls: [],
        toolResults: results,
      });
    }
  }
  return out;
}
