/**
 * Turns OpenCode-store messages and their parts (from the database or the legacy
 * JSON tree) into canonical messages.
 *
 * One OpenCode assistant message is one model step; its `text` parts are the
 * reply, its `reasoning` parts the reasoning, and each `tool` part is one call
 * together with its result (`state.status` `completed` → the output, `error`
 * → the error text flagged as an error, `pending`/`running` → the error
 * result OpenCode itself sends on resume, "[Tool execution was interrupted]").
 * The results of one step become one canonical `tool` message right after it;
 * images a tool returned (`state.attachments`, e.g. `read` of a PNG) become
 * `ToolResult.images`.
 *
 * A user message is what OpenCode sends for it: every text part that is not
 * `ignored` (`synthetic` ones too: the "Called the Read tool…" note of an
 * attached file, the "Continue if you have next steps…" turn after a
 * compaction), image `file` parts as `images` (other media as an
 * `[Attached <mime>: <name>]` note, the text OpenCode itself uses when it cannot
 * send media), "What did we do so far?" for a `compaction` part and "The
 * following tool was executed by the user" for a `subtask` part. An assistant
 * message that failed (an `error` other than an abort after content) is not
 * sent by OpenCode and is skipped. Which messages are read at all after a
 * compaction is decided by {@linkcode sentMessages} (compaction.ts).
 *
 * Kilo CLI 7.x stores the same message and part shapes.
 *
 * @module
 */
import { isRecord, str } from "../../internal/jsonl.ts";
import { flattenContent, parseTimestamp } from "../../model/normalize.ts";
import type { ImageContent, Message, ToolCall, ToolResult, Warning } from "../../model/types.ts";
import { imageTypeFromName, parseDataUrl } from "../images.ts";

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

/** The user text OpenCode sends for a `compaction` part (the summary request). */
export const COMPACTION_PROMPT = "What did we do so far?";

/** The user text OpenCode sends for a `subtask` part. */
export const SUBTASK_PROMPT = "The following tool was executed by the user";

/** The path of a `file:` URL (`undefined` for another or a malformed URL). */
function filePath(url: string): string | undefined {
  if (!url.startsWith("file:")) return undefined;
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
}

/**
 * The image a `file` part (or a tool attachment) holds: a base64 `data:` URL
 * keeps its bytes, a `file:` URL its path. Named by the part's source path or
 * file name.
 *
 * @param data The part data (`mime`, `url`, `filename`, `source`).
 * @returns The image, or `undefined` when the part is not an image.
 */
export function imageOfFilePart(data: Record<string, unknown>): ImageContent | undefined {
  const url = str(data.url) ?? "";
  const parsed = parseDataUrl(url);
  const mime = str(data.mime) ?? parsed?.mediaType ?? imageTypeFromName(url);
  if (mime === undefined || !mime.startsWith("image/")) return undefined;
  const image: ImageContent = { mediaType: mime };
  if (parsed !== undefined) image.data = parsed.data;
  const source = isRecord(data.source) ? str(data.source.path) : undefined;
  const name = source ?? str(data.filename) ??
    filePath(url) ??
    (parsed === undefined && url !== "" ? url : undefined);
  if (name !== undefined) image.source = name;
  return image;
}

/** The text and images OpenCode sends for a user message's parts. */
function userContent(parts: readonly NativePart[]): { text: string; images: ImageContent[] } {
  const texts: string[] = [];
  const images: ImageContent[] = [];
  for (const { data } of parts) {
    if (data.type === "text") {
      if (data.ignored === true) continue;
      const text = typeof data.text === "string" ? data.text : flattenContent(data);
      if (text !== "") texts.push(text);
    } else if (data.type === "file") {
      const mime = str(data.mime) ?? "";
      if (mime === "text/plain" || mime === "application/x-directory") continue;
      const image = imageOfFilePart(data);
      if (image !== undefined) images.push(image);
      else texts.push(`[Attached ${mime || "file"}: ${str(data.filename) ?? "file"}]`);
    } else if (data.type === "compaction") texts.push(COMPACTION_PROMPT);
    else if (data.type === "subtask") texts.push(SUBTASK_PROMPT);
  }
  return { text: texts.join("\n"), images };
}

/** Whether OpenCode leaves a failed assistant message out of the history it sends. */
function skippedForError(info: Record<string, unknown>, parts: readonly NativePart[]): boolean {
  if (!info.error) return false;
  const aborted = isRecord(info.error) && info.error.name === "MessageAbortedError";
  return !(aborted &&
    parts.some((p) => p.data.type !== "step-start" && p.data.type !== "reasoning"));
}

function timeOf(value: unknown, key: string): number | undefined {
  return isRecord(value) ? parseTimestamp(value[key]) : undefined;
}

function textParts(parts: readonly NativePart[], type: string): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (part.data.type !== type) continue;
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
  const images: ImageContent[] = [];
  if (status === "completed") {
    const compacted = isRecord(state.time) && state.time.compacted !== undefined;
    output = compacted ? "[Old tool result content cleared]" : flattenContent(state.output);
    const attachments = compacted || !Array.isArray(state.attachments) ? [] : state.attachments;
    const path = isRecord(input)
      ? str(input.filePath) ?? str(input.file_path) ?? str(input.path)
      : undefined;
    for (const attachment of attachments) {
      if (!isRecord(attachment) || !str(attachment.url)?.startsWith("data:")) continue;
      const image = imageOfFilePart(attachment);
      if (image === undefined) continue;
      if (path !== undefined && (image.source === undefined || !image.source.includes("/"))) {
        image.source = path;
      }
      images.push(image);
    }
  } else if (status === "error") {
    const meta = isRecord(state.metadata) ? state.metadata : {};
    if (meta.interrupted === true && typeof meta.output === "string") output = meta.output;
    else {
      output = flattenContent(state.error);
      isError = true;
    }
  } else {
    output = INTERRUPTED_OUTPUT;
    isError = true;
  }
  const result: ToolResult = { callId: id, output, isError, name };
  if (images.length > 0) result.images = images;
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
      const { text, images } = userContent(native.parts);
      if (text === "" && images.length === 0) {
        warnings.push({
          code: "empty-message",
          message: `Skipped user message ${native.id} of ${where}: it has no text`,
          line: native.record,
        });
        continue;
      }
      const message: Omit<Message, "index"> = {
        ...base,
        role: "user",
        text,
        toolCalls: [],
        toolResults: [],
        extra,
      };
      if (images.length > 0) message.images = images;
      push(message);
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
    if (skippedForError(info, native.parts)) {
      warnings.push({
        code: "failed-reply",
        message:
          `Skipped assistant message ${native.id} of ${where}: it failed, and the agent does not send it again`,
        line: native.record,
      });
      continue;
    }
    const text = textParts(native.parts, "text").join("\n");
    const reasoning = textParts(native.parts, "reasoning").join("\n");
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
