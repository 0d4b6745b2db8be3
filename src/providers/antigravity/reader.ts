/**
 * Reading an Antigravity CLI conversation from its `transcript.jsonl`: one
 * step per line (`step_index`, `source`, `type`, `status`, `created_at`,
 * `content`, `thinking`, `tool_calls`).
 *
 * - `USER_INPUT` → `user`: the `<USER_REQUEST>` body (the `<ADDITIONAL_METADATA>`
 *   and `<USER_SETTINGS_CHANGE>` blocks agy appends are dropped; the model
 *   named in the settings change is kept).
 * - `PLANNER_RESPONSE` → `assistant`: `content`, `thinking` as reasoning,
 *   `tool_calls[{name, args}]` (agy records no call ids: casr numbers them).
 * - any other `MODEL` step (`RUN_COMMAND`, `VIEW_FILE`, …) → the result of the
 *   next unanswered call, in order; a step with no call to answer gets a call
 *   named after its type.
 * - `CONVERSATION_HISTORY` is skipped; other `SYSTEM` steps → `system`.
 *
 * The protobuf `.db` is never decoded: its schema is undocumented.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import type { Message, ReadResult, Session, ToolCall, Warning } from "../../model/types.ts";
import { flattenContent, parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import { CasrError } from "../../errors.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { nothingToRead, readJsonlSession, skippedLine } from "../../formats/jsonl_session.ts";
import { conversationOf, transcriptPath } from "./paths.ts";
import { plural } from "../../internal/plural.ts";

/** The provider id. */
export const ANTIGRAVITY_ID = "antigravity";

/** Step statuses that mean the tool ran fine (anything else is an error). */
const OK_STATUSES = new Set(["", "DONE", "COMPLETED", "SUCCESS", "SUCCEEDED"]);

function blocks(text: string, tag: string): string[] {
  const out: string[] = [];
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  let at = text.indexOf(open);
  while (at !== -1) {
    const end = text.indexOf(close, at + open.length);
    if (end === -1) break;
    out.push(text.slice(at + open.length, end).trim());
    at = text.indexOf(open, end + close.length);
  }
  return out;
}

/**
 * The prompt the user typed, out of agy's wrapped `USER_INPUT` content.
 *
 * @param content The step content.
 * @returns The request text, and the settings-change text when there is one.
 */
export function unwrapUserInput(content: string): { text: string; settings?: string } {
  const requests = blocks(content, "USER_REQUEST");
  let text: string;
  if (requests.length > 0) text = requests.join("\n\n");
  else {
    text = content;
    for (const marker of ["<ADDITIONAL_METADATA>", "<USER_SETTINGS_CHANGE>"]) {
      const at = text.indexOf(marker);
      if (at !== -1) text = text.slice(0, at);
    }
    text = text.trim();
  }
  const settings = blocks(content, "USER_SETTINGS_CHANGE")[0];
  return settings === undefined ? { text } : { text, settings };
}

/**
 * The model a settings change selected, e.g. "… from None to Gemini 3.1 Pro
 * (High). …" → `Gemini 3.1 Pro (High)`.
 *
 * @param settings The `<USER_SETTINGS_CHANGE>` text.
 * @returns The model name, or `undefined`.
 */
export function modelFromSettings(settings: string): string | undefined {
  if (!/Model Selection/i.test(settings)) return undefined;
  const m = / to (.+?)(?:\.\s|\.?$)/s.exec(settings);
  const model = m?.[1]?.trim();
  return model === undefined || model === "" || model.toLowerCase() === "none" ? undefined : model;
}

function parseArgs(raw: unknown): unknown {
  if (typeof raw === "string") {
    try {
      const value: unknown = JSON.parse(raw);
      return isRecord(value) ? value : raw;
    } catch {
      return raw;
    }
  }
  return raw ?? {};
}

function toolCallsOf(step: Record<string, unknown>, stepIndex: string): ToolCall[] {
  const raw = Array.isArray(step.tool_calls) ? step.tool_calls : [];
  const out: ToolCall[] = [];
  raw.forEach((tc, k) => {
    if (!isRecord(tc)) return;
    const fn = isRecord(tc.function) ? tc.function : {};
    out.push({
      id: str(tc.id) ?? str(tc.call_id) ?? str(tc.tool_call_id) ?? `agy_${stepIndex}_${k}`,
      name: str(tc.name) ?? str(tc.tool_name) ?? str(fn.name) ?? "unknown",
      input: parseArgs(tc.args ?? tc.arguments ?? tc.input ?? fn.arguments),
    });
  });
  return out;
}

function newMessage(role: Message["role"], text: string, time: number | undefined): Message {
  const message: Message = { index: 0, role, text, toolCalls: [], toolResults: [] };
  if (time !== undefined) message.timestamp = time;
  return message;
}

/**
 * The transcript to read for a path: the path itself, or, for a
 * `conversations/<id>.db`, the transcript of the same conversation.
 *
 * @param path A transcript or database path.
 * @param warnings Where a note about the database goes.
 * @returns The transcript path and the conversation id.
 * @throws {CasrError} `parse-failed` for a database without a transcript.
 */
async function transcriptFor(
  path: string,
  warnings: Warning[],
): Promise<{ transcript: string; id: string | undefined }> {
  const where = conversationOf(path);
  if (where?.kind !== "database") return { transcript: path, id: where?.id };
  const transcript = transcriptPath(where.root, where.id);
  try {
    await fsp.access(transcript);
  } catch {
    throw new CasrError(
      "parse-failed",
      `Cannot read Antigravity conversation "${where.id}": it has no transcript.jsonl, and its ` +
        `conversations/${where.id}.db holds an undocumented protobuf trajectory casr cannot decode`,
      { details: { path, transcript } },
    );
  }
  warnings.push({
    code: "protobuf-not-read",
    message: `Read brain/${where.id}/.system_generated/logs/transcript.jsonl; the protobuf ` +
      `database conversations/${where.id}.db was not decoded (undocumented schema)`,
  });
  return { transcript, id: where.id };
}

/**
 * Reads an Antigravity conversation leniently.
 *
 * @param path The `transcript.jsonl`, or the conversation's `.db`.
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when there is no usable step.
 */
export async function readAntigravitySession(path: string): Promise<ReadResult> {
  const warnings: Warning[] = [];
  const { transcript, id } = await transcriptFor(path, warnings);
  const steps: { step: Record<string, unknown>; order: number; line: number }[] = [];
  const lines = await readJsonlSession(transcript, warnings, (record, at) => {
    if (!isRecord(record) || typeof record.type !== "string") {
      warnings.push(skippedLine(transcript, at, "not an Antigravity step"));
      return;
    }
    const index = record.step_index;
    const order = typeof index === "number" && Number.isFinite(index) ? index : Infinity;
    steps.push({ step: record, order, line: at });
  });
  // step_index orders the steps (it may have gaps); the file order breaks ties.
  steps.sort((a, b) => a.order - b.order || a.line - b.line);

  const messages: Message[] = [];
  let model: string | undefined;
  let pending: ToolCall[] = [];
  let synthesized = 0;
  let usable = 0;
  for (const { step, line } of steps) {
    const type = step.type as string;
    const source = str(step.source) ?? "";
    const time = parseTimestamp(step.created_at);
    const content = typeof step.content === "string" ? step.content : flattenContent(step.content);
    if (type === "USER_INPUT" || source === "USER_EXPLICIT") {
      usable++;
      const { text, settings } = unwrapUserInput(content);
      if (settings !== undefined) model = modelFromSettings(settings) ?? model;
      if (text.trim() === "") continue;
      const message = newMessage("user", text, time);
      message.extra = { stepIndex: step.step_index };
      messages.push(message);
      pending = [];
    } else if (type === "PLANNER_RESPONSE") {
      usable++;
      const message = newMessage("assistant", content, time);
      const thinking = typeof step.thinking === "string" ? step.thinking : "";
      if (thinking.trim() !== "") message.reasoning = thinking;
      message.toolCalls = toolCallsOf(step, String(step.step_index ?? `l${line}`));
      if (model !== undefined) message.author = model;
      message.extra = { stepIndex: step.step_index };
      messages.push(message);
      pending = [...message.toolCalls];
    } else if (source === "MODEL") {
      usable++;
      let call = pending.shift();
      if (call === undefined) {
        // A tool step with no call left to answer: its own tool_calls, else one
        // named after the step type, on the assistant message before it.
        call = toolCallsOf(step, String(step.step_index ?? `l${line}`))[0] ?? {
          id: `agy_${String(step.step_index ?? `l${line}`)}_step`,
          name: type.toLowerCase(),
          input: {},
        };
        let host = messages.findLast((m) => m.role !== "system");
        if (host?.role === "tool") {
          const at = messages.lastIndexOf(host);
          host = messages.slice(0, at).findLast((m) => m.role !== "system");
        }
        if (host?.role !== "assistant") {
          host = newMessage("assistant", "", time);
          messages.push(host);
        }
        host.toolCalls.push(call);
        synthesized++;
      }
      const status = str(step.status)?.toUpperCase() ?? "";
      const last = messages.at(-1);
      const tool = last?.role === "tool" ? last : newMessage("tool", "", time);
      if (tool !== last) messages.push(tool);
      tool.toolResults.push({
        callId: call.id,
        output: content,
        isError: !OK_STATUSES.has(status),
        name: call.name,
      });
    } else if (type === "CONVERSATION_HISTORY") {
      continue;
    } else if (content.trim() !== "") {
      const message = newMessage("system", content, time);
      message.extra = { agyType: type, stepIndex: step.step_index };
      messages.push(message);
    }
  }
  if (synthesized > 0) {
    warnings.push({
      code: "synthesized-tool-call",
      message: `${plural(synthesized, "tool step")} had no call in the planner step before them; ` +
        `casr added calls named after the step type`,
    });
  }
  if (usable === 0) {
    throw nothingToRead(transcript, lines, "no Antigravity steps found");
  }
  const ordered = reindexMessages(messages);
  const times = ordered.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  const session: Session = {
    id: id ?? conversationOf(transcript)?.id ?? transcript,
    provider: ANTIGRAVITY_ID,
    messages: ordered,
    metadata: {},
    sourcePath: transcript,
  };
  if (model !== undefined) session.model = model;
  if (times.length > 0) {
    session.startedAt = times.reduce((a, b) => Math.min(a, b));
    session.endedAt = times.reduce((a, b) => Math.max(a, b));
  }
  const firstUser = ordered.find((m) => m.role === "user" && m.text.trim() !== "");
  if (firstUser !== undefined) session.title = firstUser.text.trim().split("\n")[0] ?? "";
  return { session, warnings };
}
