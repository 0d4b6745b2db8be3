/**
 * Planning a new Grok Build session from a canonical session (shared/providers/grok.md §6).
 *
 * Files, in a new directory `<GROK_HOME>/sessions/<percent-encoded cwd>/<uuid>/`:
 * - `updates.jsonl`: `session/update` envelopes with increasing `eventId`
 *   (`<id>-<n>`) and non-decreasing `agentTimestampMs`; a user prompt is one
 *   `user_message_chunk` (`_meta.promptIndex` 0, 1, …); an assistant message
 *   has its own `promptId` and is `agent_thought_chunk` (reasoning),
 *   `agent_message_chunk` (text), then one `tool_call` per call (`pending`,
 *   `rawInput` object, `_meta["x.ai/tool"].name`); each result is a
 *   `tool_call_update` (`completed` or `failed`, text `content`) under the
 *   promptId of its call;
 * - `summary.json`: `info`, titles, times (RFC 3339 with nanoseconds), counts,
 *   `chat_format_version: 1` and `current_model_id` (without it grok says the
 *   session does not exist).
 * No `chat_history.jsonl` (resume rebuilds the context from updates.jsonl) and
 * no change to `session_search.sqlite`. System and other messages are skipped.
 *
 * @module
 */
import * as nodePath from "node:path";
import * as fsp from "node:fs/promises";
import type { Session, Warning } from "../../model/types.ts";
import type { PlanWriteOptions, ProviderContext, ResumeCommand, WritePlan } from "../types.ts";
import type { FileWrite } from "../../model/provider_data.ts";
import { toolInputObject } from "../../model/normalize.ts";
import { isoTime, uuidV4, uuidV7 } from "../../internal/ids.ts";
import { jsonLines } from "../../internal/jsonl.ts";
import { fillTimestamps } from "../../internal/times.ts";
import { sanitizeToolId } from "../../formats/anthropic.ts";
import { resumeIn } from "../../internal/shell.ts";
import { grokSessionsDir, groupNameFor } from "./paths.ts";
import { nothingToWrite, uuidSessionId, writtenTitle } from "../../formats/writing.ts";
import { plural } from "../../internal/plural.ts";

/** The model named when the source's model is not a Grok one. */
export const FALLBACK_MODEL = "grok-4.5";

/** Said with every Grok resume command: nothing here ran a real grok. */
export const UNVERIFIED_NOTE =
  "Unverified: grok could not be run here; casr writes the layout casr v0.3.0 verified on grok 0.2.118 (not grok ≥ 1.0)";

/**
 * The command that resumes a Grok Build session: `grok --resume <id>` in its
 * working directory (listing and title lookup are per directory).
 *
 * @param session The session id and its workspace.
 * @returns The command.
 */
export function grokResumeCommand(session: { id: string; workspace?: string }): ResumeCommand {
  const command = resumeIn(["grok", "--resume", session.id], session.workspace);
  command.note = UNVERIFIED_NOTE;
  return command;
}

/** RFC 3339 with nanoseconds, as Grok writes it: `2026-11-20T10:00:00.123000000Z`. */
export function rfc3339Nanos(ms: number): string {
  return isoTime(ms).replace(/\.(\d{3})Z$/, ".$1000000Z");
}

/** The ACP tool `kind` for a tool name (display only). */
function acpKind(name: string): string {
  const n = name.toLowerCase();
  if (/(shell|bash|terminal|command|exec)/.test(n)) return "execute";
  if (/(read|view|cat)/.test(n)) return "read";
  if (/(edit|write|replace|patch)/.test(n)) return "edit";
  if (/(grep|glob|search|find)/.test(n)) return "search";
  if (/(fetch|web)/.test(n)) return "fetch";
  return "other";
}

/**
 * Plans a new Grok Build session for `session`, without writing anything.
 *
 * @param session The canonical session.
 * @param ctx Where the Grok home is.
 * @param options The target workspace, "now" and the wanted session id.
 * @returns The files to write and the resume command.
 * @throws {CasrError} `invalid-session` when nothing can be written.
 */
export async function planGrokSession(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [{
    code: "unverified-target",
    message: UNVERIFIED_NOTE,
  }];
  const workspace = nodePath.resolve(options.workspace);
  const sessionId = uuidSessionId(
    options.sessionId,
    () => uuidV7(options.now),
    warnings,
    "Grok session ids are UUIDs",
  );
  const group = groupNameFor(workspace);
  const groupDir = nodePath.join(grokSessionsDir(ctx), group.name);
  const dir = nodePath.join(groupDir, sessionId);
  const times = fillTimestamps(session.messages, options.now);
  const idMap = new Map<string, string>();
  const callPrompt = new Map<string, string>();
  const lines: Record<string, unknown>[] = [];
  let last = times[0] ?? options.now;
  const add = (update: Record<string, unknown>, time: number, promptId?: string): void => {
    last = Math.max(last, time);
    const meta: Record<string, unknown> = {
      eventId: `${sessionId}-${lines.length + 1}`,
      agentTimestampMs: last,
    };
    if (promptId !== undefined) meta.promptId = promptId;
    lines.push({
      timestamp: Math.floor(last / 1000),
      method: "session/update",
      params: { sessionId, update, _meta: meta },
    });
  };
  const model = session.model?.toLowerCase().startsWith("grok") ? session.model : FALLBACK_MODEL;
  let promptIndex = 0;
  let chat = 0;
  let droppedText = 0;
  session.messages.forEach((message, i) => {
    const time = times[i] as number;
    if (message.role === "user") {
      if (message.text.trim() === "") return;
      add({
        sessionUpdate: "user_message_chunk",
        content: { type: "text", text: message.text },
        _meta: { modelId: model, promptIndex: promptIndex++ },
      }, time);
      chat++;
    } else if (message.role === "assistant") {
      const reasoning = message.reasoning?.trim() ? message.reasoning : undefined;
      if (message.text === "" && message.toolCalls.length === 0 && reasoning === undefined) return;
      const promptId = uuidV4();
      if (reasoning !== undefined) {
        add(
          { sessionUpdate: "agent_thought_chunk", content: { type: "text", text: reasoning } },
          time,
          promptId,
        );
      }
      if (message.text !== "") {
        add(
          { sessionUpdate: "agent_message_chunk", content: { type: "text", text: message.text } },
          time,
          promptId,
        );
      }
      for (const call of message.toolCalls) {
        const id = sanitizeToolId(call.id, idMap);
        callPrompt.set(id, promptId);
        add(
          {
            sessionUpdate: "tool_call",
            toolCallId: id,
            title: call.name,
            kind: acpKind(call.name),
            status: "pending",
            rawInput: toolInputObject(call.input),
            _meta: { "x.ai/tool": { name: call.name } },
          },
          time,
          promptId,
        );
      }
      chat++;
    } else if (message.role === "tool") {
      if (message.text.trim() !== "") droppedText++;
      for (const result of message.toolResults) {
        const id = sanitizeToolId(result.callId, idMap);
        add(
          {
            sessionUpdate: "tool_call_update",
            toolCallId: id,
            status: result.isError ? "failed" : "completed",
            content: [{ type: "content", content: { type: "text", text: result.output } }],
          },
          time,
          callPrompt.get(id) ?? uuidV4(),
        );
      }
      if (message.toolResults.length > 0) chat++;
    }
  });
  if (droppedText > 0) {
    warnings.push({
      code: "tool-text-dropped",
      message: `Dropped the text of ${
        plural(droppedText, "tool message")
      }: Grok has no tool message text`,
    });
  }
  if (promptIndex === 0 && chat === 0) {
    throw nothingToWrite(session);
  }
  const first = times[0] ?? options.now;
  const title = writtenTitle(session);
  const summary = {
    info: { id: sessionId, cwd: workspace },
    session_summary: title,
    generated_title: title,
    title_is_manual: false,
    created_at: rfc3339Nanos(first),
    updated_at: rfc3339Nanos(last),
    last_active_at: rfc3339Nanos(last),
    num_messages: lines.length,
    num_chat_messages: chat,
    current_model_id: model,
    chat_format_version: 1,
  };
  const updatesPath = nodePath.join(dir, "updates.jsonl");
  const files: FileWrite[] = [
    { path: updatesPath, data: jsonLines(lines), mode: 0o600 },
    {
      path: nodePath.join(dir, "summary.json"),
      data: JSON.stringify(summary, null, 2) + "\n",
      mode: 0o600,
    },
  ];
  if (group.hashed) {
    const cwdFile = nodePath.join(groupDir, ".cwd");
    const existing = await fsp.readFile(cwdFile, "utf8").catch(() => undefined);
    if (existing === undefined) files.push({ path: cwdFile, data: workspace, mode: 0o600 });
    warnings.push({
      code: "grok-long-cwd",
      message:
        "The working directory's encoded name is over 255 bytes: casr used its own slug and a .cwd file; grok may not list the session for this directory",
    });
  }
  return {
    sessionId,
    primaryPath: updatesPath,
    files,
    effects: [],
    resume: grokResumeCommand({ id: sessionId, workspace: options.workspace }),
    warnings,
  };
}
