/**
 * Reading a Copilot CLI `events.jsonl` into the canonical model.
 *
 * Every line is an envelope `{type, data, id, timestamp, parentId}`; the file
 * order is the conversation order (the CLI does not walk `parentId`).
 * - `session.start` → id, workspace (`context.cwd`), model, start time;
 * - `user.message` → a `user` message with `content` (what was typed; the
 *   `transformedContent` the CLI sent adds a `<current_datetime>` prefix);
 * - `system.message` → a `system` message (the run's system prompt);
 * - `assistant.message` → an `assistant` message: `content` plus one tool call
 *   per `toolRequests[]` entry; `reasoningText` and a preceding
 *   `assistant.reasoning` become its reasoning;
 * - `tool.execution_complete` → a result (`result.content`, or `error.message`
 *   when `success` is false); consecutive results share one `tool` message,
 *   put in call order (the CLI logs them in completion order); a result whose
 *   call no reply requested gets its call from its `tool.execution_start`
 *   (tool name and arguments), added to the reply before it;
 * - a call with no `tool.execution_complete` (the turn was cut off: the file
 *   ends, or an `abort` event follows its `tool.execution_start`) gets the
 *   result Copilot CLI sends for it on resume, {@linkcode INTERRUPTED_TOOL_TEXT};
 * - sub-agent events (`agentId`, `parentToolCallId`) and housekeeping events
 *   are skipped.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { Message, ReadResult, Session, ToolCall, Warning } from "../../model/types.ts";
import { flattenContent, parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { nothingToRead, readJsonlSession, skippedLine } from "../../formats/jsonl_session.ts";
import { answerUnansweredCalls } from "../../formats/unanswered.ts";

/** The provider id. */
export const COPILOT_CLI_ID = "copilot-cli";

/**
 * The result Copilot CLI (1.0.102) sends on resume for a call whose events hold
 * no result (the run was interrupted while the tool ran). The events file does
 * not store it; the CLI adds it when it rebuilds the conversation. An error:
 * the call never finished.
 */
export const INTERRUPTED_TOOL_TEXT =
  "The execution of this tool, or a previous tool was interrupted.";

function newMessage(role: Message["role"], text: string, timestamp: number | undefined): Message {
  const message: Message = { index: 0, role, text, toolCalls: [], toolResults: [] };
  if (timestamp !== undefined) message.timestamp = timestamp;
  return message;
}

/**
 * The CLI logs `tool.execution_complete` in completion order (a fast failure
 * comes before a slow success); results follow the order of the calls.
 */
function orderResultsLikeCalls(messages: Message[]): void {
  let calls: string[] = [];
  for (const message of messages) {
    if (message.role === "assistant") calls = message.toolCalls.map((c) => c.id);
    if (message.role !== "tool" || message.toolResults.length < 2) continue;
    const rank = (id: string): number => {
      const i = calls.indexOf(id);
      return i === -1 ? calls.length : i;
    };
    message.toolResults = message.toolResults
      .map((result, i) => ({ result, i }))
      .sort((a, b) => rank(a.result.callId) - rank(b.result.callId) || a.i - b.i)
      .map((x) => x.result);
  }
}

/**
 * Reads a Copilot CLI session leniently.
 *
 * @param path The `events.jsonl` file.
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when the file holds no usable event.
 */
export async function readCopilotSession(path: string): Promise<ReadResult> {
  const warnings: Warning[] = [];
  const messages: Message[] = [];
  const metadata: Record<string, unknown> = {};
  let id: string | undefined;
  let workspace: string | undefined;
  let model: string | undefined;
  let startedAt: number | undefined;
  let pendingReasoning: string[] = [];
  let usable = 0;
  /** Every call an assistant message requested, by id. */
  const requested = new Set<string>();
  /** What each `tool.execution_start` ran, by call id. */
  const started = new Map<string, { name: string; input: unknown }>();
  const lines = await readJsonlSession(path, warnings, (record, at) => {
    if (!isRecord(record) || typeof record.type !== "string" || !isRecord(record.data)) {
      warnings.push(skippedLine(path, at, "not a Copilot event"));
      return;
    }
    const data = record.data;
    if (record.agentId !== undefined || data.parentToolCallId !== undefined) return;
    const time = parseTimestamp(record.timestamp);
    switch (record.type) {
      case "session.start": {
        usable++;
        id ??= str(data.sessionId);
        const context = isRecord(data.context) ? data.context : {};
        workspace ??= str(context.cwd);
        model ??= str(data.selectedModel);
        startedAt ??= parseTimestamp(data.startTime) ?? time;
        if (str(data.copilotVersion)) metadata.copilotVersion = data.copilotVersion;
        if (str(context.branch)) metadata.gitBranch = context.branch;
        if (str(context.repository)) metadata.repository = context.repository;
        break;
      }
      case "session.model_change":
        if (str(data.newModel)) model = data.newModel as string;
        break;
      case "user.message": {
        usable++;
        const text = flattenContent(data.content ?? data.transformedContent);
        messages.push(newMessage("user", text, time));
        break;
      }
      case "system.message": {
        usable++;
        messages.push(newMessage("system", flattenContent(data.content), time));
        break;
      }
      case "assistant.reasoning": {
        const text = flattenContent(data.content);
        if (text.trim() !== "") pendingReasoning.push(text);
        break;
      }
      case "assistant.message": {
        usable++;
        const message = newMessage("assistant", flattenContent(data.content), time);
        const author = str(data.model);
        if (author !== undefined) message.author = author;
        const requests = Array.isArray(data.toolRequests) ? data.toolRequests : [];
        for (const [k, request] of requests.entries()) {
          if (!isRecord(request)) continue;
          const call: ToolCall = {
            id: str(request.toolCallId) ?? `copilot_call_${at}_${k}`,
            name: str(request.name) ?? "unknown",
            input: request.arguments ?? {},
          };
          message.toolCalls.push(call);
          requested.add(call.id);
        }
        const reasoning = [...pendingReasoning];
        if (str(data.reasoningText)) reasoning.push(data.reasoningText as string);
        pendingReasoning = [];
        if (reasoning.length > 0) message.reasoning = reasoning.join("\n\n");
        message.extra = { messageId: data.messageId, eventId: record.id };
        messages.push(message);
        break;
      }
      case "tool.execution_start": {
        const callId = str(data.toolCallId);
        const name = str(data.toolName);
        if (callId !== undefined && name !== undefined) {
          started.set(callId, { name, input: data.arguments ?? {} });
        }
        break;
      }
      case "tool.execution_complete": {
        usable++;
        const callId = str(data.toolCallId);
        if (callId === undefined) {
          warnings.push(skippedLine(path, at, "tool result without a toolCallId"));
          break;
        }
        // A call no reply requested, but whose start was logged: the start says
        // what ran, so the reply before it gets the call.
        const start = started.get(callId);
        const reply = messages.findLast((m) => m.role !== "tool");
        if (!requested.has(callId) && start !== undefined && reply?.role === "assistant") {
          reply.toolCalls.push({ id: callId, name: start.name, input: start.input });
          requested.add(callId);
        }
        const success = data.success !== false;
        const result = isRecord(data.result) ? data.result : {};
        const error = isRecord(data.error) ? data.error : {};
        const output = success
          ? flattenContent(result.content)
          : flattenContent(error.message ?? result.content);
        const last = messages.at(-1);
        const target = last?.role === "tool" ? last : newMessage("tool", "", time);
        if (target !== last) messages.push(target);
        target.toolResults.push({ callId, output, isError: !success });
        break;
      }
      default:
        break;
    }
  });
  if (usable === 0) {
    throw nothingToRead(path, lines, "no Copilot CLI events found");
  }
  answerUnansweredCalls(messages, (call) => ({
    callId: call.id,
    output: INTERRUPTED_TOOL_TEXT,
    isError: true,
  }));
  orderResultsLikeCalls(messages);
  const ordered = reindexMessages(messages);
  const times = ordered.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  const session: Session = {
    id: id ?? nodePath.basename(nodePath.dirname(path)),
    provider: COPILOT_CLI_ID,
    messages: ordered,
    metadata,
    sourcePath: path,
  };
  if (workspace !== undefined) session.workspace = workspace;
  if (model !== undefined) session.model = model;
  const start = startedAt ?? times[0];
  if (start !== undefined) session.startedAt = start;
  if (times.length > 0) session.endedAt = times.reduce((a, b) => Math.max(a, b));
  const firstUser = ordered.find((m) => m.role === "user" && m.text.trim() !== "");
  if (firstUser !== undefined) session.title = firstUser.text.trim().split("\n")[0] ?? "";
  return { session, warnings };
}
