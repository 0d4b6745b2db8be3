/**
 * Planning a new Copilot CLI session from a canonical session.
 *
 * Files: `<root>/session-state/<uuid>/events.jsonl` and a `workspace.yaml`
 * next to it (resume by name). Every event has a fresh UUID `id`, an ISO
 * `timestamp` with `Z`, and `parentId` = the previous event's id (`null`
 * first) — the CLI rejects the file when an id is not a UUID or a parent is
 * neither a UUID nor null, and when the first event is not `session.start`.
 * Events:
 * - `session.start` (`sessionId` = directory name, `context.cwd` = workspace);
 * - a user prompt → `user.message` with `content` only;
 * - an assistant message → `assistant.message` (`content`, `toolRequests[]`
 *   with argument objects and ids in `[A-Za-z0-9_-]`), reasoning kept as
 *   `reasoningText` (the CLI does not replay it);
 * - a tool result → `tool.execution_complete` (`success`, `result.content`,
 *   and `error.message` when it failed).
 * System and other messages are skipped.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { Session, Warning } from "../../model/types.ts";
import type { PlanWriteOptions, ProviderContext, ResumeCommand, WritePlan } from "../types.ts";
import { toolInputObject } from "../../model/normalize.ts";
import { isoTime, uuidV4 } from "../../internal/ids.ts";
import { nothingToWrite, uuidSessionId, writtenTitle } from "../../formats/writing.ts";
import { jsonLines } from "../../internal/jsonl.ts";
import { sanitizeToolId } from "../../formats/anthropic.ts";
import { copilotRoot, eventsPath } from "./paths.ts";
import { resumeIn } from "../../internal/shell.ts";
import { nonDecreasingTimes } from "../../internal/times.ts";

/** The Copilot CLI version written into `session.start` (the pinned, verified CLI). */
export const WRITER_VERSION = "1.0.102";
/** The model named when the source recorded none. */
export const FALLBACK_MODEL = "claude-sonnet-4-5";

/**
 * The command that resumes a Copilot CLI session.
 *
 * @param session The session id and its workspace.
 * @returns `copilot --resume=<id>`, run in the workspace.
 */
export function copilotResumeCommand(session: { id: string; workspace?: string }): ResumeCommand {
  const argv = ["copilot", `--resume=${session.id}`];
  return resumeIn(argv, session.workspace);
}

/** A YAML scalar: JSON string syntax is valid YAML double-quoted style. */
function yamlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Plans a new Copilot CLI session for `session`, without writing anything.
 *
 * @param session The canonical session.
 * @param ctx Where the Copilot root is.
 * @param options The target workspace, "now" and the wanted session id.
 * @returns The files to write and the resume command.
 */
export function planCopilotSession(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [];
  const workspace = nodePath.resolve(options.workspace);
  const sessionId = uuidSessionId(
    options.sessionId,
    uuidV4,
    warnings,
    "casr writes Copilot CLI session ids as UUIDs",
  );
  const root = copilotRoot(ctx);
  const filePath = eventsPath(root, sessionId);
  const times = nonDecreasingTimes(session.messages, options.now);
  const startTime = times[0] ?? options.now;
  const model = session.model ?? FALLBACK_MODEL;
  const idMap = new Map<string, string>();
  const events: Record<string, unknown>[] = [];
  let parentId: string | null = null;
  let last = startTime;
  const add = (type: string, data: Record<string, unknown>, time: number): void => {
    const id = uuidV4();
    last = Math.max(last, time);
    events.push({ type, data, id, timestamp: isoTime(last), parentId });
    parentId = id;
  };

  add("session.start", {
    sessionId,
    version: 1,
    producer: "copilot-agent",
    copilotVersion: WRITER_VERSION,
    startTime: isoTime(startTime),
    selectedModel: model,
    context: { cwd: workspace },
  }, startTime);

  let conversation = 0;
  session.messages.forEach((message, i) => {
    const time = times[i] as number;
    if (message.role === "user") {
      if (message.text.trim() === "") return;
      add("user.message", { content: message.text, messageId: uuidV4() }, time);
      conversation++;
    } else if (message.role === "assistant") {
      if (message.text === "" && message.toolCalls.length === 0) return;
      const data: Record<string, unknown> = {
        messageId: uuidV4(),
        model: message.author ?? model,
        content: message.text,
        toolRequests: message.toolCalls.map((call) => ({
          toolCallId: sanitizeToolId(call.id, idMap),
          name: call.name,
          arguments: toolInputObject(call.input),
          type: "function",
        })),
      };
      if (message.reasoning !== undefined && message.reasoning.trim() !== "") {
        data.reasoningText = message.reasoning;
      }
      add("assistant.message", data, time);
      conversation++;
    } else if (message.role === "tool") {
      for (const result of message.toolResults) {
        const data: Record<string, unknown> = {
          toolCallId: sanitizeToolId(result.callId, idMap),
          success: !result.isError,
          result: { content: result.output },
        };
        if (result.isError) data.error = { message: result.output };
        add("tool.execution_complete", data, time);
        conversation++;
      }
    }
  });
  if (conversation === 0) {
    return Promise.reject(
      nothingToWrite(session),
    );
  }
  const yaml = [
    `id: ${sessionId}`,
    `cwd: ${yamlString(workspace)}`,
    `client_name: github/cli`,
    `name: ${yamlString(writtenTitle(session, { suffix: true }))}`,
    `user_named: false`,
    `summary_count: 0`,
    `fork_count: 0`,
    `created_at: ${isoTime(startTime)}`,
    `updated_at: ${isoTime(last)}`,
  ].join("\n") + "\n";
  return Promise.resolve({
    sessionId,
    primaryPath: filePath,
    files: [
      { path: filePath, data: jsonLines(events), mode: 0o600 },
      {
        path: nodePath.join(nodePath.dirname(filePath), "workspace.yaml"),
        data: yaml,
        mode: 0o600,
      },
    ],
    effects: [],
    resume: copilotResumeCommand({ id: sessionId, workspace: options.workspace }),
    warnings,
  });
}
