/**
 * Reading a Qwen Code session (`chats/<sessionId>.jsonl`) into the canonical model.
 *
 * Records carry `uuid`/`parentUuid` links and a Gemini `Content` body
 * (`message: {role: "user"|"model", parts}`). Like the CLI, the reader takes
 * the last conversation record as the leaf and walks `parentUuid` back to the
 * root; records sharing a `uuid` are fragments whose parts are concatenated.
 * A file with no links at all is read in file order (with a warning; the CLI
 * itself would only see the last record). Mapping:
 * - `user` → `user` (text parts); a `user` record with a `subtype` → `system`;
 * - `assistant` → `assistant` (text parts; `thought` parts → reasoning;
 *   `functionCall` parts → tool calls);
 * - `tool_result` → one `tool` message per run of consecutive result records
 *   (`functionResponse` parts; `response.error` or a failed status → error);
 * - `system` → `system`, except bookkeeping subtypes (telemetry, snapshots),
 *   which are skipped; `custom_title` names the session; `chat_compression`
 *   replaces the history before it with its `compressedHistory`.
 *
 * @module
 */
import * as nodePath from "node:path";
import type {
  Message,
  ReadResult,
  Session,
  ToolCall,
  ToolResult,
  Warning,
} from "../../model/types.ts";
import { parseFailed } from "../../errors.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { readJsonlSession, skippedLine } from "../../formats/jsonl_session.ts";
import {
  flattenContent,
  parseTimestamp,
  reindexMessages,
  setTimeSpan,
} from "../../model/normalize.ts";
import { plural } from "../../internal/plural.ts";

/** The provider id. */
export const QWEN_CODE_ID = "qwen-code";

type Json = Record<string, unknown>;

const RECORD_TYPES = new Set(["user", "assistant", "tool_result", "system"]);

/** System subtypes that are bookkeeping, not conversation. */
const SKIPPED_SUBTYPES = new Set([
  "ui_telemetry",
  "attribution_snapshot",
  "file_history_snapshot",
  "session_source",
  "session_model",
  "session_sources_snapshot",
  "session_artifact_event",
  "session_artifact_snapshot",
  "branch_checkpoint",
  "turn_result",
  "parent_session",
  "custom_title",
  "realtime_message",
]);

/** Subtypes that never become the leaf (artifact and sidecar records). */
function isArtifact(record: Json): boolean {
  const subtype = str(record.subtype) ?? "";
  return record.type === "system" &&
    (subtype.startsWith("session_artifact") || subtype === "ui_telemetry" ||
      subtype === "custom_title");
}

interface Entry {
  record: Json;
  line: number;
  parts: unknown[];
}

function partsOf(record: Json): unknown[] {
  const message = record.message;
  return isRecord(message) && Array.isArray(message.parts) ? [...message.parts] : [];
}

/** The text of the non-thought text parts, joined by newlines. */
function textOf(parts: readonly unknown[]): string {
  return parts.filter((p) => isRecord(p) && typeof p.text === "string" && p.thought !== true)
    .map((p) => (p as Json).text as string).join("\n");
}

function reasoningOf(parts: readonly unknown[]): string {
  return parts.filter((p) => isRecord(p) && typeof p.text === "string" && p.thought === true)
    .map((p) => (p as Json).text as string).join("\n");
}

function callsOf(parts: readonly unknown[], line: number): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const [i, part] of parts.entries()) {
    if (!isRecord(part) || !isRecord(part.functionCall)) continue;
    const call = part.functionCall;
    calls.push({
      id: str(call.id) ?? `qwen_call_${line}_${i}`,
      name: str(call.name) ?? "unknown",
      input: call.args ?? {},
    });
  }
  return calls;
}

function resultsOf(parts: readonly unknown[], record: Json, line: number): ToolResult[] {
  const results: ToolResult[] = [];
  const status = isRecord(record.toolCallResult) ? str(record.toolCallResult.status) : undefined;
  const fallbackId = isRecord(record.toolCallResult)
    ? str(record.toolCallResult.callId)
    : undefined;
  for (const [i, part] of parts.entries()) {
    if (!isRecord(part) || !isRecord(part.functionResponse)) continue;
    const fr = part.functionResponse;
    const response = fr.response;
    let output: string;
    let isError = status === "error" || status === "cancelled";
    if (isRecord(response)) {
      if (response.error !== undefined && response.output === undefined) {
        isError = true;
        output = typeof response.error === "string"
          ? response.error
          : flattenContent(response.error) || JSON.stringify(response.error);
      } else if (response.output !== undefined) {
        output = typeof response.output === "string"
          ? response.output
          : flattenContent(response.output) || JSON.stringify(response.output);
      } else output = JSON.stringify(response);
    } else output = flattenContent(response);
    const result: ToolResult = {
      callId: str(fr.id) ?? fallbackId ?? `qwen_call_${line}_${i}`,
      output,
      isError,
    };
    const name = str(fr.name);
    if (name !== undefined) result.name = name;
    results.push(result);
  }
  return results;
}

function newMessage(role: Message["role"], text: string, timestamp: number | undefined): Message {
  const message: Message = { index: 0, role, text, toolCalls: [], toolResults: [] };
  if (timestamp !== undefined) message.timestamp = timestamp;
  return message;
}

/** Canonical messages of Gemini `Content[]` (a compression checkpoint). */
function contentsToMessages(contents: unknown): Message[] {
  const out: Message[] = [];
  if (!Array.isArray(contents)) return out;
  for (const [i, content] of contents.entries()) {
    if (!isRecord(content) || !Array.isArray(content.parts)) continue;
    const parts = content.parts;
    if (content.role === "model") {
      const m = newMessage("assistant", textOf(parts), undefined);
      m.toolCalls = callsOf(parts, -i);
      if (m.text !== "" || m.toolCalls.length > 0) out.push(m);
    } else {
      const results = resultsOf(parts, {}, -i);
      if (results.length > 0) {
        const m = newMessage("tool", "", undefined);
        m.toolResults = results;
        out.push(m);
      }
      const text = textOf(parts);
      if (text !== "") out.push(newMessage("user", text, undefined));
    }
  }
  return out;
}

/**
 * The records of the conversation in order: the chain from the leaf back to
 * the root, or file order when no record links to another.
 */
function conversationChain(entries: Entry[], warnings: Warning[], path: string): Entry[] {
  const byUuid = new Map<string, Entry>();
  const order: Entry[] = [];
  for (const entry of entries) {
    const uuid = entry.record.uuid as string;
    const seen = byUuid.get(uuid);
    if (seen !== undefined) {
      seen.parts.push(...entry.parts);
      continue;
    }
    byUuid.set(uuid, entry);
    order.push(entry);
  }
  const linked = order.some((e) => typeof e.record.parentUuid === "string");
  if (!linked) {
    if (order.length > 1) {
      warnings.push({
        code: "unchained-records",
        message: `Read "${path}" in file order: no record has a parentUuid link`,
      });
    }
    return order;
  }
  const leaf = [...order].reverse().find((e) => !isArtifact(e.record)) ?? order.at(-1);
  const chain: Entry[] = [];
  const visited = new Set<string>();
  for (let entry = leaf; entry !== undefined;) {
    const uuid = entry.record.uuid as string;
    if (visited.has(uuid)) {
      warnings.push({ code: "chain-cycle", message: `The parentUuid chain of "${path}" loops` });
      break;
    }
    visited.add(uuid);
    chain.push(entry);
    const parent = entry.record.parentUuid;
    if (typeof parent !== "string") break;
    const next = byUuid.get(parent);
    if (next === undefined) {
      warnings.push({
        code: "chain-gap",
        message: `The parentUuid chain of "${path}" stops at a missing record ${parent}`,
        line: entry.line,
      });
    }
    entry = next;
  }
  chain.reverse();
  const dropped = order.length - chain.length;
  const droppedConversation =
    order.filter((e) => !visited.has(e.record.uuid as string) && e.record.type !== "system").length;
  if (dropped > 0 && droppedConversation > 0) {
    warnings.push({
      code: "side-branch",
      message: `Skipped ${
        plural(droppedConversation, "record")
      } of "${path}" that are not on the conversation's chain`,
    });
  }
  return chain;
}

/**
 * Reads a Qwen Code session file leniently.
 *
 * @param path The `<sessionId>.jsonl` file.
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when the file holds no usable record.
 */
export async function readQwenSession(path: string): Promise<ReadResult> {
  const warnings: Warning[] = [];
  const entries: Entry[] = [];
  let sessionId: string | undefined;
  let title: string | undefined;
  let workspace: string | undefined;
  let model: string | undefined;
  let version: string | undefined;
  let gitBranch: string | undefined;
  await readJsonlSession(path, warnings, (record, at) => {
    if (!isRecord(record) || str(record.uuid) === undefined || typeof record.type !== "string") {
      warnings.push(skippedLine(path, at, "not a Qwen Code record", "unknown-record"));
      return;
    }
    if (!RECORD_TYPES.has(record.type)) return;
    const id = str(record.sessionId);
    if (id !== undefined) {
      if (sessionId === undefined) sessionId = id;
      else if (id !== sessionId) {
        warnings.push(skippedLine(path, at, `it belongs to session ${id}`, "foreign-record"));
        return;
      }
    }
    workspace ??= str(record.cwd);
    version ??= str(record.version);
    gitBranch ??= str(record.gitBranch);
    if (record.type === "assistant") model = str(record.model) ?? model;
    if (record.type === "system" && record.subtype === "custom_title") {
      const payload = record.systemPayload;
      if (isRecord(payload)) title = str(payload.customTitle) ?? title;
    }
    entries.push({ record, line: at, parts: partsOf(record) });
  });
  if (entries.length === 0) {
    throw parseFailed(path, "it has no Qwen Code record");
  }

  let messages: Message[] = [];
  for (const entry of conversationChain(entries, warnings, path)) {
    const { record, parts, line } = entry;
    const time = parseTimestamp(record.timestamp);
    const subtype = str(record.subtype);
    switch (record.type) {
      case "user": {
        const results = resultsOf(parts, record, line);
        if (results.length > 0) {
          const m = newMessage("tool", "", time);
          m.toolResults = results;
          messages.push(m);
        }
        const text = textOf(parts);
        if (text === "" && results.length > 0) break;
        const role = subtype === undefined || subtype === "mid_turn_user_message"
          ? "user"
          : "system";
        messages.push({ ...newMessage(role, text, time), extra: record });
        break;
      }
      case "assistant": {
        const m = newMessage("assistant", textOf(parts), time);
        m.toolCalls = callsOf(parts, line);
        const reasoning = reasoningOf(parts);
        if (reasoning !== "") m.reasoning = reasoning;
        const author = str(record.model);
        if (author !== undefined) m.author = author;
        messages.push(m);
        break;
      }
      case "tool_result": {
        const results = resultsOf(parts, record, line);
        if (results.length === 0) break;
        const last = messages.at(-1);
        if (last?.role === "tool") last.toolResults.push(...results);
        else {
          const m = newMessage("tool", "", time);
          m.toolResults = results;
          messages.push(m);
        }
        break;
      }
      case "system": {
        if (subtype === "chat_compression") {
          const payload = isRecord(record.systemPayload) ? record.systemPayload : {};
          const replaced = contentsToMessages(payload.compressedHistory);
          if (replaced.length > 0) messages = replaced;
          break;
        }
        if (subtype !== undefined && SKIPPED_SUBTYPES.has(subtype)) break;
        const text = textOf(parts) || flattenContent(record.systemPayload) || (subtype ?? "");
        messages.push({ ...newMessage("system", text, time), extra: record });
        break;
      }
    }
  }

  const id = sessionId ?? nodePath.basename(path, ".jsonl");
  const session: Session = {
    id,
    provider: QWEN_CODE_ID,
    messages: reindexMessages(messages),
    metadata: {},
    sourcePath: path,
  };
  if (workspace !== undefined) session.workspace = workspace;
  const firstUser = messages.find((m) => m.role === "user" && m.text.trim() !== "");
  const label = title ?? firstUser?.text.trim().split("\n")[0];
  if (label !== undefined && label !== "") session.title = label;
  setTimeSpan(session);
  if (model !== undefined) session.model = model;
  if (version !== undefined) session.metadata.version = version;
  if (gitBranch !== undefined) session.metadata.gitBranch = gitBranch;
  return { session, warnings };
}
