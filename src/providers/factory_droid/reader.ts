/**
 * Reading a Factory Droid transcript (`sessions/<cwd-slug>/<id>.jsonl`) into
 * the canonical model.
 *
 * Line 1 is `session_start` (`id`, `title`, `owner`, `cwd`); then `message`
 * records `{id, parentId?, timestamp, message: {role, content}}` whose content
 * is a string or Anthropic-style blocks, and bookkeeping records
 * (`agent_turn_outcome`, …) that are skipped. File order is the conversation
 * order. Mapping:
 * - a user message with `visibility: "llm_only"` (the injected `context-…`
 *   message of `<system-reminder>` blocks) → `system`; `user_only` → `other`;
 * - a user message's `tool_result` blocks → one `tool` message (consecutive
 *   result messages share it); its text blocks → a `user` message after it,
 *   with `<system-reminder>` blocks split off as `system`;
 * - an assistant message → `assistant` (text, `thinking` → reasoning,
 *   `tool_use` → tool calls, `modelId` → author).
 * The model comes from the last `modelId`, else the `<id>.settings.json` sidecar.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { Message, ReadResult, Session, Warning } from "../../model/types.ts";
import { blocksToPieces } from "../../formats/anthropic.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { nothingToRead, readJsonlSession, skippedLine } from "../../formats/jsonl_session.ts";
import { readTextIfExists } from "../../internal/fast_fs.ts";
import { parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import { settingsPath } from "./paths.ts";

/** The provider id. */
export const FACTORY_DROID_ID = "factory-droid";

const REMINDER = /^\s*<system-reminder>[\s\S]*<\/system-reminder>\s*$/;

function newMessage(role: Message["role"], text: string, timestamp: number | undefined): Message {
  const message: Message = { index: 0, role, text, toolCalls: [], toolResults: [] };
  if (timestamp !== undefined) message.timestamp = timestamp;
  return message;
}

/** Text blocks of a user message, split into typed text and injected reminders. */
function splitUserText(content: unknown): { typed: string; reminders: string } {
  if (typeof content === "string") {
    return REMINDER.test(content)
      ? { typed: "", reminders: content }
      : { typed: content, reminders: "" };
  }
  const typed: string[] = [];
  const reminders: string[] = [];
  if (Array.isArray(content)) {
    for (const block of content) {
      if (!isRecord(block) || block.type === "tool_result") continue;
      const text = blocksToPieces([block]).text;
      if (text === "") continue;
      (block.type === "text" && REMINDER.test(text) ? reminders : typed).push(text);
    }
  }
  return { typed: typed.join("\n"), reminders: reminders.join("\n") };
}

async function sidecarModel(path: string): Promise<string | undefined> {
  try {
    const text = await readTextIfExists(settingsPath(path));
    if (text === undefined) return undefined;
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? str(value.model) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a Droid session leniently.
 *
 * @param path The `<id>.jsonl` file.
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when the file holds no usable record.
 */
export async function readDroidSession(path: string): Promise<ReadResult> {
  const warnings: Warning[] = [];
  const messages: Message[] = [];
  const metadata: Record<string, unknown> = {};
  let id: string | undefined;
  let title: string | undefined;
  let workspace: string | undefined;
  let model: string | undefined;
  let usable = 0;
  const skip = (line: number, why: string): void => {
    warnings.push(skippedLine(path, line, why));
  };
  const lines = await readJsonlSession(path, warnings, (record, at) => {
    if (!isRecord(record) || typeof record.type !== "string") {
      skip(at, "not a Droid record");
      return;
    }
    if (record.type === "session_start") {
      usable++;
      id ??= str(record.id);
      title ??= str(record.title);
      workspace ??= str(record.cwd);
      for (
        const key of ["owner", "version", "hostId", "parent", "forkedAtMessageId", "lastCwd"]
      ) {
        if (record[key] !== undefined && record[key] !== null) metadata[key] = record[key];
      }
      return;
    }
    if (record.type !== "message") return;
    const body = record.message;
    if (!isRecord(body) || (body.role !== "user" && body.role !== "assistant")) {
      skip(at, "a message without a user or assistant role");
      return;
    }
    usable++;
    const time = parseTimestamp(record.timestamp);
    const extra = { id: record.id, parentId: record.parentId };
    if (body.role === "assistant") {
      const pieces = blocksToPieces(body.content);
      const message = newMessage("assistant", pieces.text, time);
      message.toolCalls = pieces.toolCalls.map((call, k) => ({
        ...call,
        id: call.id || `droid_call_${at}_${k}`,
      }));
      if (pieces.reasoning !== "") message.reasoning = pieces.reasoning;
      const author = str(body.modelId);
      if (author !== undefined) {
        message.author = author;
        model = author;
      }
      message.extra = extra;
      messages.push(message);
      return;
    }
    const { typed, reminders } = splitUserText(body.content);
    if (body.visibility === "llm_only" || body.visibility === "user_only") {
      const text = [reminders, typed].filter((t) => t !== "").join("\n");
      const message = newMessage(body.visibility === "llm_only" ? "system" : "other", text, time);
      message.extra = extra;
      messages.push(message);
      return;
    }
    const results = blocksToPieces(body.content).toolResults;
    if (results.length > 0) {
      const last = messages.at(-1);
      const target = last?.role === "tool" ? last : newMessage("tool", "", time);
      if (target !== last) {
        target.extra = extra;
        messages.push(target);
      }
      target.toolResults.push(...results);
    }
    if (reminders !== "") messages.push(newMessage("system", reminders, time));
    if (typed !== "" || results.length === 0 && reminders === "") {
      const message = newMessage("user", typed, time);
      message.extra = extra;
      messages.push(message);
    }
  });
  if (usable === 0) throw nothingToRead(path, lines, "no Factory Droid records found");
  const ordered = reindexMessages(messages);
  const times = ordered.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  const session: Session = {
    id: id ?? nodePath.basename(path, ".jsonl"),
    provider: FACTORY_DROID_ID,
    messages: ordered,
    metadata,
    sourcePath: path,
  };
  if (workspace !== undefined) session.workspace = workspace;
  model ??= await sidecarModel(path);
  if (model !== undefined) session.model = model;
  if (times.length > 0) {
    session.startedAt = times.reduce((a, b) => Math.min(a, b));
    session.endedAt = times.reduce((a, b) => Math.max(a, b));
  }
  const firstUser = ordered.find((m) => m.role === "user" && m.text.trim() !== "");
  const label = title ?? firstUser?.text.trim().split("\n")[0];
  if (label !== undefined) session.title = label;
  return { session, warnings };
}
