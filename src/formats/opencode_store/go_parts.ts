/**
 * Turns the messages of the Go-era OpenCode database (opencode-ai/opencode
 * 0.0.x, continued as Crush) into canonical messages.
 *
 * A row of `messages` has a `role` (`user`, `assistant`, `tool`, `system`) and
 * a `parts` column: a JSON array of `{type, data}` wrappers. The types and the
 * fields of `data` (confirmed from `internal/message/message.go` and
 * `content.go` of both projects, see the provider README):
 *
 * | type | data |
 * |---|---|
 * | `text` | `text` |
 * | `reasoning` | `thinking` (Crush adds `signature`, `started_at`…) |
 * | `tool_call` | `id`, `name`, `input` (the arguments as a JSON string), `type`, `finished` |
 * | `tool_result` | `tool_call_id`, `name`, `content`, `metadata`, `is_error` (Crush adds `data` base64 and `mime_type`) |
 * | `binary` | `Path`, `MIMEType`, `Data` (Go field names, no JSON tags; `Data` is base64) |
 * | `image_url` | `url`, `detail` |
 * | `finish` | `reason`, `time` (epoch seconds) |
 * | `shell_command` | Crush only: `command`, `output`, `exit_code` |
 *
 * An assistant row is one model step (text, reasoning, tool calls); the results
 * of its calls are the `tool_result` parts of the next `tool` row, paired by the
 * tool call id. A part of another type, or one that is not an object, is a
 * warning; it never stops the read.
 *
 * @module
 */
import { isRecord, str } from "../../internal/jsonl.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import { imageTypeFromName, parseDataUrl } from "../images.ts";
import type {
  ImageContent,
  Message,
  Role,
  ToolCall,
  ToolResult,
  Warning,
  WarningCode,
} from "../../model/types.ts";

/** One row of the Go-era `messages` table, the columns casr uses. */
export interface GoMessageRow {
  /** `id` (a UUID). */
  id: string;
  /** `role`. */
  role?: string;
  /** `parts`: the JSON text as stored. */
  parts: unknown;
  /** `model`: the model id of an assistant message. */
  model?: string;
  /** `created_at` as stored (epoch seconds; the schema comment says ms). */
  createdAt?: unknown;
  /** The 1-based row number, for warnings. */
  record: number;
}

/** What the parts of one message hold. */
interface Pieces {
  texts: string[];
  reasoning: string[];
  calls: ToolCall[];
  results: ToolResult[];
  images: ImageContent[];
  finish?: string;
}

/** A field read case-insensitively, as Go's `encoding/json` matches struct fields. */
function field(data: Record<string, unknown>, ...names: string[]): unknown {
  for (const name of names) {
    if (data[name] !== undefined) return data[name];
  }
  const lower = new Set(names.map((n) => n.toLowerCase()));
  for (const [key, value] of Object.entries(data)) {
    if (lower.has(key.toLowerCase())) return value;
  }
  return undefined;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function imageFromUrl(url: string): ImageContent {
  return parseDataUrl(url) ?? { mediaType: imageTypeFromName(url) ?? "image/unknown", source: url };
}

function decodeBase64Text(data: string): string | undefined {
  try {
    const bytes = Uint8Array.from(atob(data.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function toolInput(raw: unknown): unknown {
  if (typeof raw !== "string") return raw ?? {};
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Context for the warnings of one message. */
interface Where {
  row: GoMessageRow;
  source: string;
  warnings: Warning[];
}

function warn(where: Where, code: WarningCode, message: string): void {
  where.warnings.push({
    code,
    message: `${message} (message ${where.row.id} of ${where.source})`,
    line: where.row.record,
  });
}

function addBinary(pieces: Pieces, data: Record<string, unknown>, where: Where): void {
  const mediaType = str(field(data, "MIMEType", "mime_type", "mimeType")) ?? "";
  const source = str(field(data, "Path", "path"));
  const bytes = field(data, "Data", "data");
  if (typeof bytes !== "string" || bytes === "") {
    warn(where, "malformed-record", `Skipped a binary part with no base64 data`);
    return;
  }
  if (mediaType.startsWith("image/")) {
    pieces.images.push({ mediaType, data: bytes, ...(source === undefined ? {} : { source }) });
    return;
  }
  const decoded = mediaType.startsWith("text/") ? decodeBase64Text(bytes) : undefined;
  if (decoded !== undefined) {
    pieces.texts.push(`[attached file${source === undefined ? "" : `: ${source}`}]\n${decoded}`);
    return;
  }
  warn(where, "unknown-record", `Kept only the name of a ${mediaType || "binary"} attachment`);
  pieces.texts.push(`[attachment: ${source ?? "unnamed"} (${mediaType || "binary"})]`);
}

function addToolResult(pieces: Pieces, data: Record<string, unknown>, where: Where): void {
  const callId = str(data.tool_call_id);
  if (callId === undefined) {
    warn(where, "malformed-record", "Skipped a tool_result part with no tool_call_id");
    return;
  }
  const result: ToolResult = {
    callId,
    output: text(data.content),
    isError: data.is_error === true,
  };
  const name = str(data.name);
  if (name !== undefined) result.name = name;
  const media = str(data.data);
  if (media !== undefined) {
    const mediaType = str(data.mime_type) ?? "";
    if (mediaType.startsWith("image/")) result.images = [{ mediaType, data: media }];
    else warn(where, "unknown-record", `Left out ${mediaType || "media"} data of a tool result`);
  }
  pieces.results.push(result);
}

function addPart(pieces: Pieces, type: string, data: Record<string, unknown>, where: Where): void {
  switch (type) {
    case "text":
      if (text(data.text) !== "") pieces.texts.push(text(data.text));
      return;
    case "reasoning":
      if (text(data.thinking) !== "") pieces.reasoning.push(text(data.thinking));
      return;
    case "tool_call": {
      const id = str(data.id);
      const name = str(data.name);
      if (id === undefined || name === undefined) {
        warn(where, "malformed-record", "Skipped a tool_call part with no id or name");
        return;
      }
      pieces.calls.push({ id, name, input: toolInput(data.input) });
      return;
    }
    case "tool_result":
      addToolResult(pieces, data, where);
      return;
    case "binary":
      addBinary(pieces, data, where);
      return;
    case "image_url": {
      const url = str(data.url);
      if (url !== undefined) pieces.images.push(imageFromUrl(url));
      return;
    }
    case "finish":
      pieces.finish = str(data.reason) ?? "";
      return;
    case "shell_command": {
      const command = text(data.command);
      const code = typeof data.exit_code === "number" ? data.exit_code : 0;
      pieces.texts.push(`$ ${command}\n${text(data.output)}\n(exit code ${code})`);
      return;
    }
    default:
      warn(where, "unknown-record", `Skipped a part of unknown type ${JSON.stringify(type)}`);
  }
}

function piecesOf(where: Where): Pieces | undefined {
  const pieces: Pieces = { texts: [], reasoning: [], calls: [], results: [], images: [] };
  let list: unknown;
  try {
    list = typeof where.row.parts === "string" ? JSON.parse(where.row.parts) : where.row.parts;
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list)) {
    warn(where, "malformed-record", "Skipped a message whose parts are not a JSON array");
    return undefined;
  }
  list.forEach((part, i) => {
    const type = isRecord(part) ? str(part.type) : undefined;
    if (!isRecord(part) || type === undefined || !isRecord(part.data)) {
      warn(where, "malformed-record", `Skipped part ${i + 1}: not a {type, data} object`);
      return;
    }
    addPart(pieces, type, part.data, where);
  });
  return pieces;
}

const ROLES: Record<string, Role> = {
  user: "user",
  assistant: "assistant",
  tool: "tool",
  system: "system",
};

/** Options for {@linkcode goMessages}. */
export interface GoMessagesOptions {
  /** Where the rows come from, for warnings. */
  source: string;
  /**
   * `sessions.summary_message_id`: after a summary the agent sends only this
   * message (as a user turn) and what follows it.
   *
   * @default {undefined} no summary
   */
  summaryMessageId?: string;
}

/**
 * Builds the canonical conversation from the rows of one session, in the
 * agent's order (`created_at`, then insertion).
 *
 * @param rows The message rows.
 * @param warnings Receives what had to be skipped.
 * @param options The source and the summary message.
 * @returns The messages (indexes dense).
 */
export function goMessages(
  rows: readonly GoMessageRow[],
  warnings: Warning[],
  options: GoMessagesOptions,
): Message[] {
  const summaryAt = options.summaryMessageId === undefined
    ? -1
    : rows.findIndex((r) => r.id === options.summaryMessageId);
  if (summaryAt > 0) {
    warnings.push({
      code: "compacted-history",
      message: `Left out the ${summaryAt} message${summaryAt === 1 ? "" : "s"} before the ` +
        `summary of ${options.source}, as OpenCode itself does once a session is summarized`,
    });
  }
  const out: Message[] = [];
  const callNames = new Map<string, string>();
  for (const [i, row] of rows.entries()) {
    if (i < summaryAt) continue;
    const where: Where = { row, source: options.source, warnings };
    const native = row.role ?? "";
    const role = row.id === options.summaryMessageId
      ? "user"
      : Object.hasOwn(ROLES, native)
      ? ROLES[native]
      : undefined;
    if (role === undefined) {
      warn(
        where,
        "unknown-record",
        `Skipped a message of unknown role ${JSON.stringify(row.role)}`,
      );
      continue;
    }
    const pieces = piecesOf(where);
    if (pieces === undefined) continue;
    const message: Message = {
      index: out.length,
      role,
      text: pieces.texts.join("\n"),
      toolCalls: pieces.calls,
      toolResults: pieces.results,
      extra: { id: row.id, role: row.role, ...(pieces.finish ? { finish: pieces.finish } : {}) },
    };
    const time = parseTimestamp(row.createdAt);
    if (time !== undefined) message.timestamp = time;
    if (pieces.reasoning.length > 0) message.reasoning = pieces.reasoning.join("\n");
    if (pieces.images.length > 0) message.images = pieces.images;
    if (role === "assistant" && row.model !== undefined) message.author = row.model;
    for (const call of pieces.calls) callNames.set(call.id, call.name);
    const empty = message.text === "" && pieces.calls.length === 0 &&
      pieces.results.length === 0 && pieces.images.length === 0 && !message.reasoning;
    if (empty) {
      // A step cancelled before it said anything, or a turn of only a finish part.
      if (role !== "assistant") warn(where, "empty-message", "Skipped a message with no content");
      continue;
    }
    out.push(message);
  }
  for (const message of out) {
    for (const result of message.toolResults) {
      const name = callNames.get(result.callId);
      if (result.name === undefined && name !== undefined) result.name = name;
    }
  }
  return out;
}
