/**
 * Reading a Grok Build session into the canonical model.
 *
 * The conversation is `updates.jsonl`, one ACP `session/update` envelope per
 * line (`{timestamp, method, params:{sessionId, update:{sessionUpdate,…}, _meta}}`);
 * `summary.json` next to it gives the id, working directory, title and model.
 * - `user_message_chunk` → user text; chunks with the same `_meta.promptIndex`
 *   that follow each other make one message;
 * - `agent_message_chunk` / `agent_thought_chunk` → assistant text / reasoning;
 *   chunks with the same `params._meta.promptId` that follow each other make
 *   one message;
 * - `tool_call` → a call of the current assistant message (name from
 *   `_meta["x.ai/tool"].name`, input `rawInput`);
 * - `tool_call_update` with status `completed`/`failed` → its result, in the
 *   `tool` message after the calls (`failed` is an error);
 * - every other kind (`plan`, x.ai extensions such as `turn_completed`) is skipped.
 * Time: `params._meta.agentTimestampMs`, else `update._meta.agentTimestampMs`,
 * else the envelope's epoch-seconds `timestamp`. When no line carries a message
 * (every model call failed), the user prompts come from `chat_history.jsonl`.
 *
 * @module
 */
import * as nodePath from "node:path";
import * as fsp from "node:fs/promises";
import type { Message, ReadResult, Session, ToolCall, Warning } from "../../model/types.ts";
import { flattenContent, parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import { isRecord, readJsonLines, str } from "../../internal/jsonl.ts";
import { nothingToRead, readJsonlSession, skippedLine } from "../../formats/jsonl_session.ts";
import { decodeGroupName } from "./paths.ts";

/** The provider id. */
export const GROK_ID = "grok";

/** The fields casr uses from `summary.json`. */
export interface GrokSummary {
  /** `info.id`. */
  id?: string;
  /** `info.cwd`. */
  cwd?: string;
  /** `generated_title`, else `session_summary`. */
  title?: string;
  /** `created_at`, epoch ms. */
  createdAt?: number;
  /** `last_active_at`, else `updated_at`, epoch ms. */
  updatedAt?: number;
  /** `current_model_id`. */
  model?: string;
  /** `parent_session_id`. */
  parentId?: string;
}

/**
 * Reads `summary.json` leniently: a missing or malformed file gives `{}`.
 *
 * @param dir The session directory.
 * @returns The fields found.
 */
export async function readGrokSummary(dir: string): Promise<GrokSummary> {
  let value: unknown;
  try {
    value = JSON.parse(await fsp.readFile(nodePath.join(dir, "summary.json"), "utf8"));
  } catch {
    return {};
  }
  if (!isRecord(value)) return {};
  const out: GrokSummary = {};
  const info = isRecord(value.info) ? value.info : {};
  const id = str(info.id);
  if (id !== undefined) out.id = id;
  const cwd = str(info.cwd);
  if (cwd !== undefined) out.cwd = cwd;
  const title = str(value.generated_title) ?? str(value.session_summary);
  if (title !== undefined) out.title = title;
  const created = parseTimestamp(value.created_at);
  if (created !== undefined) out.createdAt = created;
  const updated = parseTimestamp(value.last_active_at) ?? parseTimestamp(value.updated_at);
  if (updated !== undefined) out.updatedAt = updated;
  const model = str(value.current_model_id);
  if (model !== undefined) out.model = model;
  const parent = str(value.parent_session_id);
  if (parent !== undefined) out.parentId = parent;
  return out;
}

/**
 * The working directory of a group folder: its decoded name, else its `.cwd` file.
 *
 * @param groupDir The `<encoded cwd>` folder.
 * @returns The directory, or `undefined`.
 */
export async function groupCwd(groupDir: string): Promise<string | undefined> {
  const decoded = decodeGroupName(nodePath.basename(groupDir));
  if (decoded !== undefined) return decoded;
  try {
    const text = (await fsp.readFile(nodePath.join(groupDir, ".cwd"), "utf8")).trim();
    return text === "" ? undefined : text;
  } catch {
    return undefined;
  }
}

/**
 * An `agentTimestampMs` value: epoch milliseconds as recorded (never read as seconds).
 *
 * @param value The native value.
 * @returns Epoch ms, or `undefined`.
 */
export function agentMs(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value) && value > 0 && value <= 8.64e15) {
    return Math.round(value);
  }
  return parseTimestamp(value);
}

function newMessage(role: Message["role"], text: string, timestamp: number | undefined): Message {
  const message: Message = { index: 0, role, text, toolCalls: [], toolResults: [] };
  if (timestamp !== undefined) message.timestamp = timestamp;
  return message;
}

/** The text of one ACP content block (text, image, resource link). */
function blockText(block: unknown): string {
  if (typeof block === "string") return block;
  if (!isRecord(block)) return "";
  if (block.type === "text" && typeof block.text === "string") return block.text;
  if (block.type === "image") return "[image]";
  if (block.type === "resource_link") return str(block.uri) ?? "";
  if (block.type === "resource" && isRecord(block.resource)) {
    return str(block.resource.text) ?? str(block.resource.uri) ?? "";
  }
  return flattenContent(block);
}

/** The output text of a `tool_call_update`: its `content[]`, else `rawOutput`. */
function updateOutput(update: Record<string, unknown>): string {
  const parts: string[] = [];
  const content = Array.isArray(update.content) ? update.content : [];
  for (const item of content) {
    if (!isRecord(item)) continue;
    if (item.type === "content") parts.push(blockText(item.content));
    else if (item.type === "diff") parts.push(`[diff ${str(item.path) ?? ""}]`.replace(" ]", "]"));
    else if (item.type === "terminal") parts.push(`[terminal ${str(item.terminalId) ?? ""}]`);
    else parts.push(blockText(item));
  }
  const text = parts.filter((p) => p !== "").join("\n");
  if (text !== "" || update.rawOutput === undefined) return text;
  const raw = update.rawOutput;
  if (typeof raw === "string") return raw;
  if (isRecord(raw)) {
    for (const key of ["output", "stdout", "content", "text", "result"]) {
      const v = flattenContent(raw[key]);
      if (v !== "") return v;
    }
  }
  try {
    return JSON.stringify(raw) ?? "";
  } catch {
    return "";
  }
}

/** The tool's real name: `_meta["x.ai/tool"].name` (or a string there), else `title`, else `kind`. */
function toolName(update: Record<string, unknown>, meta: Record<string, unknown>): string {
  for (const m of [isRecord(update._meta) ? update._meta : {}, meta]) {
    const tool = m["x.ai/tool"];
    if (typeof tool === "string" && tool !== "") return tool;
    if (isRecord(tool)) {
      const name = str(tool.name) ?? str(tool.id);
      if (name !== undefined) return name;
    }
  }
  return str(update.title) ?? str(update.kind) ?? "unknown";
}

/** User prompts from `chat_history.jsonl`, for sessions whose model calls all failed. */
async function chatHistoryPrompts(dir: string): Promise<Message[]> {
  const out: Message[] = [];
  try {
    for await (const line of readJsonLines(nodePath.join(dir, "chat_history.jsonl"))) {
      if (!line.ok || !isRecord(line.value)) continue;
      const record = line.value;
      const message = isRecord(record.message) ? record.message : record;
      if (message.role !== "user") continue;
      const text = Array.isArray(message.content)
        ? message.content.map(blockText).filter((t) => t !== "").join("\n")
        : flattenContent(message.content);
      if (text.trim() !== "") out.push(newMessage("user", text, undefined));
    }
  } catch {
    return out;
  }
  return out;
}

function sessionFile(path: string): string {
  const base = nodePath.basename(path);
  if (base === "summary.json" || base === "chat_history.jsonl") {
    return nodePath.join(nodePath.dirname(path), "updates.jsonl");
  }
  return path;
}

/**
 * Reads a Grok Build session leniently.
 *
 * @param path The session's `updates.jsonl` (or its `summary.json`).
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when the file holds no conversation.
 */
export async function readGrokSession(path: string): Promise<ReadResult> {
  const file = sessionFile(path);
  const dir = nodePath.dirname(file);
  const warnings: Warning[] = [];
  const messages: Message[] = [];
  const markers = new Map<Message, string>();
  const calls = new Map<string, ToolCall>();
  const results = new Map<string, { message: Message; index: number }>();
  let sessionId: string | undefined;
  let firstModel: string | undefined;
  let updates = 0;
  const lines = await readJsonlSession(file, warnings, (record, at) => {
    const params = isRecord(record) && isRecord(record.params) ? record.params : undefined;
    const update = params !== undefined && isRecord(params.update) ? params.update : undefined;
    if (record === null || update === undefined || typeof update.sessionUpdate !== "string") {
      warnings.push(skippedLine(file, at, "not a Grok session update"));
      return;
    }
    updates++;
    const envelope = record as Record<string, unknown>;
    const meta = isRecord(params!._meta) ? params!._meta : {};
    const updateMeta = isRecord(update._meta) ? update._meta : {};
    sessionId ??= str(params!.sessionId);
    const time = agentMs(meta.agentTimestampMs) ?? agentMs(updateMeta.agentTimestampMs) ??
      parseTimestamp(envelope.timestamp);
    const last = messages.at(-1);
    const agentMarker = `a:${str(meta.promptId) ?? ""}`;
    const kind = update.sessionUpdate;
    if (kind === "user_message_chunk") {
      firstModel ??= str(updateMeta.modelId);
      const index = updateMeta.promptIndex;
      const marker = `u:${typeof index === "number" || typeof index === "string" ? index : ""}`;
      const text = blockText(update.content);
      if (last?.role === "user" && markers.get(last) === marker) last.text += text;
      else {
        const message = newMessage("user", text, time);
        markers.set(message, marker);
        messages.push(message);
      }
    } else if (kind === "agent_message_chunk" || kind === "agent_thought_chunk") {
      const text = blockText(update.content);
      let target = last;
      if (target?.role !== "assistant" || markers.get(target) !== agentMarker) {
        target = newMessage("assistant", "", time);
        markers.set(target, agentMarker);
        messages.push(target);
      }
      if (kind === "agent_message_chunk") target.text += text;
      else target.reasoning = (target.reasoning ?? "") + text;
    } else if (kind === "tool_call") {
      const id = str(update.toolCallId) ?? `grok_call_${at}`;
      const known = calls.get(id);
      if (known !== undefined) {
        if (update.rawInput !== undefined) known.input = update.rawInput;
        return;
      }
      let target = last;
      if (target?.role !== "assistant" || markers.get(target) !== agentMarker) {
        target = newMessage("assistant", "", time);
        markers.set(target, agentMarker);
        messages.push(target);
      }
      const call: ToolCall = { id, name: toolName(update, meta), input: update.rawInput ?? {} };
      calls.set(id, call);
      target.toolCalls.push(call);
    } else if (kind === "tool_call_update") {
      const id = str(update.toolCallId);
      if (id === undefined) {
        warnings.push(skippedLine(file, at, "tool update without a toolCallId"));
        return;
      }
      const call = calls.get(id);
      if (call !== undefined && isRecord(update.rawInput)) call.input = update.rawInput;
      if (update.status !== "completed" && update.status !== "failed") return;
      const result = {
        callId: id,
        output: updateOutput(update),
        isError: update.status === "failed",
      };
      const seen = results.get(id);
      if (seen !== undefined) {
        seen.message.toolResults[seen.index] = result;
        return;
      }
      let target = last;
      if (target?.role !== "tool") {
        target = newMessage("tool", "", time);
        messages.push(target);
      }
      results.set(id, { message: target, index: target.toolResults.length });
      target.toolResults.push(result);
    }
  });
  if (messages.length === 0 && lines > 0) {
    const prompts = await chatHistoryPrompts(dir);
    if (prompts.length > 0) {
      messages.push(...prompts);
      warnings.push({
        code: "grok-chat-history-fallback",
        message:
          `"${file}" has no conversation lines; the user prompts come from chat_history.jsonl`,
      });
    }
  }
  if (messages.length === 0) {
    const what = updates === 0 ? "no Grok session updates found" : "no conversation in it";
    throw nothingToRead(file, lines, what);
  }
  const summary = await readGrokSummary(dir);
  const ordered = reindexMessages(messages);
  const times = ordered.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  const session: Session = {
    id: summary.id ?? sessionId ?? nodePath.basename(dir),
    provider: GROK_ID,
    messages: ordered,
    metadata: {},
    sourcePath: file,
  };
  const workspace = summary.cwd ?? await groupCwd(nodePath.dirname(dir));
  if (workspace !== undefined) session.workspace = workspace;
  const model = summary.model ?? firstModel;
  if (model !== undefined) session.model = model;
  if (summary.parentId !== undefined) session.metadata.parentSessionId = summary.parentId;
  const start = times[0] ?? summary.createdAt;
  if (start !== undefined) session.startedAt = start;
  const end = times.length > 0 ? times.reduce((a, b) => Math.max(a, b)) : summary.updatedAt;
  if (end !== undefined) session.endedAt = end;
  const firstUser = ordered.find((m) => m.role === "user" && m.text.trim() !== "");
  const title = summary.title ?? firstUser?.text.trim().split("\n")[0];
  if (title !== undefined) session.title = title;
  return { session, warnings };
}
