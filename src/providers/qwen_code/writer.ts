/**
 * Planning a new Qwen Code session from a canonical session.
 *
 * The file is `<runtime>/projects/<projectId(workspace)>/chats/<uuid>.jsonl`.
 * Every record carries `uuid`, a `parentUuid` link to the record before it
 * (`null` on the first: without links the CLI sends only the last record),
 * `sessionId`, `timestamp`, `type`, `provenance`, `cwd` (the CLI crashes on a
 * first record without it) and `version`, like the 0.24.4 CLI writes them:
 * - a user prompt → `user` record, `message: {role:"user", parts:[{text}]}`;
 * - an assistant message → `assistant` record, `message: {role:"model",
 *   parts:[{text, thought:true}, {text}, {functionCall:{id,name,args}}…]}` with
 *   `model`: its reasoning is a `thought` part first, as the CLI stores the
 *   reasoning of its own replies, and the CLI sends it back to the model (Chat
 *   Completions `reasoning_content`) when the session is resumed;
 * - each tool result → its own `tool_result` record, `message: {role:"user",
 *   parts:[{functionResponse:{id,name,response:{output}}}]}` (`{error}` for
 *   failures) and `toolCallResult {callId,status,resultDisplay}`;
 * - system/other messages are not written;
 * - a trailing compact `system`/`custom_title` record names the session.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { Message, Warning } from "../../model/types.ts";
import type { Provider, ResumeCommand } from "../types.ts";
import { isoTime, uuidV4 } from "../../internal/ids.ts";
import { jsonLines } from "../../internal/jsonl.ts";
import { toolInputObject } from "../../model/normalize.ts";
import { isResumableId, projectId, qwenRuntimeDir } from "./paths.ts";
import { resumeIn } from "../../internal/shell.ts";
import {
  nothingToWrite,
  resolveWorkspace,
  uuidSessionId,
  writtenTitle,
} from "../../formats/writing.ts";

/** The Qwen Code version written on every record (the pinned, verified CLI). */
export const WRITER_VERSION = "0.24.4";

/** The model named on assistant records when the source recorded none. */
export const FALLBACK_MODEL = "qwen3-coder-plus";

/** Why a wanted id was replaced (the warning's rule). */
const QWEN_IDS = "qwen --resume takes UUIDs of version 1 to 5";

/**
 * The command that resumes a Qwen Code session (sessions are per project, so
 * it runs in the workspace).
 *
 * @param session The session id and its workspace.
 * @returns `qwen --resume <id>`, run in the workspace.
 */
export function qwenResumeCommand(session: { id: string; workspace?: string }): ResumeCommand {
  const argv = ["qwen", "--resume", session.id];
  return resumeIn(argv, session.workspace);
}

/**
 * Plans a new Qwen Code session for `session`, without writing anything.
 *
 * @param session The canonical session (repaired: every call answered, results after their calls).
 * @param ctx Where the Qwen Code runtime dir is.
 * @param options The target workspace, "now" and the wanted session id.
 * @returns The file to write and the resume command.
 * @throws {CasrError} `invalid-session` when there is no user or assistant message.
 */
export const planQwenSession: Provider["plan"] = async (session, ctx, options) => {
  const warnings: Warning[] = [];
  const workspace = await resolveWorkspace(options.workspace);
  const sessionId = uuidSessionId(options.sessionId, uuidV4, warnings, QWEN_IDS, isResumableId);
  const filePath = nodePath.join(
    qwenRuntimeDir(ctx),
    "projects",
    projectId(workspace),
    "chats",
    `${sessionId}.jsonl`,
  );

  const model = session.model ?? FALLBACK_MODEL;
  const records: Record<string, unknown>[] = [];
  let parentUuid: string | null = null;
  let previous = session.messages.find((m) => m.timestamp !== undefined)?.timestamp ??
    options.now;
  const callNames = new Map<string, string>();

  const add = (
    type: string,
    provenance: string,
    body: Record<string, unknown>,
    message: Message,
  ): void => {
    const time = Math.max(message.timestamp ?? previous, previous);
    previous = time;
    const uuid = uuidV4();
    records.push({
      uuid,
      parentUuid,
      sessionId,
      timestamp: isoTime(time),
      type,
      provenance,
      cwd: workspace,
      version: WRITER_VERSION,
      ...body,
    });
    parentUuid = uuid;
  };

  for (const message of session.messages) {
    if (message.role === "user") {
      if (message.text.trim() === "") continue;
      add(
        "user",
        "real_user",
        { message: { role: "user", parts: [{ text: message.text }] } },
        message,
      );
    } else if (message.role === "assistant") {
      const parts: Record<string, unknown>[] = [];
      if (message.reasoning !== undefined && message.reasoning.trim() !== "") {
        parts.push({ text: message.reasoning, thought: true });
      }
      if (message.text !== "") parts.push({ text: message.text });
      for (const call of message.toolCalls) {
        callNames.set(call.id, call.name);
        parts.push({
          functionCall: { id: call.id, name: call.name, args: toolInputObject(call.input) },
        });
      }
      if (parts.length === 0) continue;
      add(
        "assistant",
        "assistant_output",
        { model: message.author ?? model, message: { role: "model", parts } },
        message,
      );
    } else if (message.role === "tool") {
      for (const result of message.toolResults) {
        const name = result.name ?? callNames.get(result.callId) ?? "unknown";
        const response = result.isError ? { error: result.output } : { output: result.output };
        add("tool_result", "tool_result", {
          message: {
            role: "user",
            parts: [{ functionResponse: { id: result.callId, name, response } }],
          },
          toolCallResult: {
            callId: result.callId,
            status: result.isError ? "error" : "success",
            resultDisplay: result.output,
          },
        }, message);
      }
    }
  }
  if (records.length === 0) {
    throw nothingToWrite(session);
  }
  records.push({
    uuid: uuidV4(),
    parentUuid,
    sessionId,
    timestamp: isoTime(previous),
    type: "system",
    provenance: "system",
    cwd: workspace,
    version: WRITER_VERSION,
    subtype: "custom_title",
    systemPayload: { customTitle: writtenTitle(session, { suffix: true }), titleSource: "auto" },
  });

  return {
    sessionId,
    primaryPath: filePath,
    files: [{ path: filePath, data: jsonLines(records), mode: 0o600 }],
    effects: [],
    resume: qwenResumeCommand({ id: sessionId, workspace: options.workspace }),
    warnings,
  };
};
