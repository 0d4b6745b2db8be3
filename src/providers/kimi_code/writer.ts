/**
 * Planning a new Kimi Code session from a canonical session.
 *
 * Files, in `<root>/sessions/<workDirKey(workspace)>/<id>/`:
 * - `state.json`: `id`, `version: 2`, `cwd` (the workspace: `kimi -r` refuses
 *   a session created under another directory), `createdAt`/`updatedAt`
 *   (epoch ms), `archived`, `title` (+ `titleKind`, `isCustomTitle`),
 *   `lastPrompt`, `agents.main`, `custom` (where it came from);
 * - `agents/main/wire.jsonl`: `metadata` (`protocol_version` "1.5": older
 *   versions are run through migrations that break 1.5-shaped records), then
 *   per user turn a `turn.prompt`, the turn's messages as
 *   `context.append_message` (the form `kimi migrate` writes) and
 *   `turn.ended`. A user message carries `toolCalls: []` (the request builder
 *   reads its length), an assistant message its calls with JSON-string
 *   `arguments`, and each tool result is its own `tool` message (`isError`
 *   when it failed, which the CLI renders as an error for the model).
 *
 * No `profile.bind` is written: it would pin a model alias and a system prompt
 * verbatim for the rest of the session. Unbound, the interactive
 * `kimi -r <id>` binds the user's default model with a fresh system prompt;
 * headless `-p` runs need `-m <alias>`. An assistant message's reasoning is a
 * `think` part before its text, as the CLI keeps the reasoning of its own
 * replies (without a `reasoningKey`, so it goes under the key of the model the
 * session is resumed with): Kimi Code 2.1.0 sends it back to the model (Chat
 * Completions `reasoning_content`), and leaves such unsigned parts out itself
 * for Claude models. The reasoning of a message with neither text nor calls is
 * dropped with a warning; system and other messages are skipped. The shared index files
 * (`session_index.jsonl`, `workspaces.json`, `.index-dirty/`) are left to the
 * CLI, which lists and resumes the session without them.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { Message, Warning } from "../../model/types.ts";
import type { Provider, ResumeCommand } from "../types.ts";
import { clipText, toolInputObject } from "../../model/normalize.ts";
import { isUuid, uuidV4 } from "../../internal/ids.ts";
import { jsonLines } from "../../internal/jsonl.ts";
import { fillTimestamps } from "../../internal/times.ts";
import { sanitizeToolId } from "../../formats/anthropic.ts";
import { resumeIn } from "../../internal/shell.ts";
import { nothingToWrite, resolveWorkspace, writtenTitle } from "../../formats/writing.ts";
import { isSessionIdSafe, kimiRoot, mainWirePath, sessionDir } from "./paths.ts";
import { plural } from "../../internal/plural.ts";

/** The wire protocol version written (the one Kimi Code 2.1.0 writes). */
export const WIRE_PROTOCOL_VERSION = "1.5";

/**
 * The command that resumes a Kimi Code session (sessions are per directory,
 * so it runs in the workspace).
 *
 * @param session The session id and its workspace.
 * @returns `kimi -r <id>`, run in the workspace.
 */
export function kimiResumeCommand(session: { id: string; workspace?: string }): ResumeCommand {
  return resumeIn(["kimi", "-r", session.id], session.workspace);
}

function firstLine(text: string | undefined): string {
  return (text ?? "").trim().split("\n")[0]?.trim() ?? "";
}

function sessionIdFor(wanted: string | undefined, warnings: Warning[]): string {
  if (wanted === undefined) return `session_${uuidV4()}`;
  if (isUuid(wanted)) return `session_${wanted.toLowerCase()}`;
  if (isSessionIdSafe(wanted)) return wanted;
  warnings.push({
    code: "session-id-replaced",
    message: `Used a new id: "${wanted}" cannot be a Kimi Code session folder name`,
  });
  return `session_${uuidV4()}`;
}

function text(value: string): { type: "text"; text: string }[] {
  return [{ type: "text", text: value }];
}

/**
 * Plans a new Kimi Code session for `session`, without writing anything.
 *
 * @param session The canonical session (repaired: every call answered, results after their calls).
 * @param ctx Where the Kimi Code data root is.
 * @param options The target workspace, "now" and the wanted session id.
 * @returns The files to write and the resume command.
 * @throws {CasrError} `invalid-session` when there is no user or assistant message.
 */
export const planKimiSession: Provider["plan"] = async (session, ctx, options) => {
  const warnings: Warning[] = [];
  const workspace = await resolveWorkspace(options.workspace);
  const sessionId = sessionIdFor(options.sessionId, warnings);
  const dir = sessionDir(kimiRoot(ctx), workspace, sessionId);
  const wirePath = mainWirePath(dir);
  const times = fillTimestamps(session.messages, options.now);
  const firstTalk = session.messages.findIndex((m) =>
    m.role === "user" || m.role === "assistant" || m.role === "tool"
  );
  const start = times[firstTalk] ?? options.now;
  const idMap = new Map<string, string>();
  const records: Record<string, unknown>[] = [
    { type: "metadata", protocol_version: WIRE_PROTOCOL_VERSION, created_at: start },
  ];
  let turnId = -1;
  let last = start;
  let lastPrompt: string | undefined;
  let conversation = 0;
  let droppedReasoning = 0;
  const add = (record: Record<string, unknown>, time: number): void => {
    last = Math.max(last, time);
    records.push({ ...record, agentId: "main", time });
  };
  const endTurn = (): void => {
    if (turnId >= 0) add({ type: "turn.ended", turnId, reason: "completed" }, last);
  };
  session.messages.forEach((message: Message, i) => {
    const time = times[i] as number;
    if (message.role === "user") {
      if (message.text.trim() === "") return;
      endTurn();
      turnId++;
      const promptId = `msg_casr_${String(turnId).padStart(4, "0")}`;
      add({
        type: "turn.prompt",
        input: text(message.text),
        origin: { kind: "user" },
        promptId,
        turnId,
      }, time);
      add({
        type: "context.append_message",
        message: {
          role: "user",
          content: text(message.text),
          id: promptId,
          toolCalls: [],
          origin: { kind: "user" },
        },
      }, time);
      lastPrompt = message.text;
      conversation++;
    } else if (message.role === "assistant") {
      const reasoning = message.reasoning?.trim() === "" ? undefined : message.reasoning;
      if (message.text === "" && message.toolCalls.length === 0) {
        if (reasoning !== undefined) droppedReasoning++;
        return;
      }
      const think = reasoning === undefined ? [] : [{ type: "think", think: reasoning }];
      add({
        type: "context.append_message",
        message: {
          role: "assistant",
          content: [...think, ...(message.text === "" ? [] : text(message.text))],
          toolCalls: message.toolCalls.map((call) => ({
            type: "function",
            id: sanitizeToolId(call.id, idMap),
            name: call.name,
            arguments: JSON.stringify(toolInputObject(call.input)),
          })),
        },
      }, time);
      conversation++;
    } else if (message.role === "tool") {
      for (const result of message.toolResults) {
        const out: Record<string, unknown> = {
          role: "tool",
          content: text(result.output),
          toolCalls: [],
          toolCallId: sanitizeToolId(result.callId, idMap),
        };
        if (result.isError) out.isError = true;
        add({ type: "context.append_message", message: out }, time);
        conversation++;
      }
    }
  });
  endTurn();
  if (conversation === 0) {
    throw nothingToWrite(session);
  }
  if (droppedReasoning > 0) {
    warnings.push({
      code: "reasoning-dropped",
      message: `Dropped the reasoning of ${plural(droppedReasoning, "assistant message")}: ` +
        "they had neither text nor tool calls",
    });
  }
  const title = writtenTitle(session, { suffix: true });
  const state: Record<string, unknown> = {
    id: sessionId,
    version: 2,
    cwd: workspace,
    createdAt: start,
    updatedAt: last,
    archived: false,
    title,
    titleKind: "custom",
    isCustomTitle: true,
    agents: { main: { type: "main" } },
    custom: { imported_by: "casr", source_provider: session.provider, source_id: session.id },
  };
  if (lastPrompt !== undefined) {
    const line = firstLine(lastPrompt);
    state.lastPrompt = clipText(line, 200);
  }
  const resume = kimiResumeCommand({ id: sessionId, workspace });
  resume.note = "A converted session has no model binding yet: the interactive command binds " +
    `your default model. Headless, name one: kimi -r ${sessionId} -m <model alias> -p "<prompt>"`;
  return {
    sessionId,
    primaryPath: wirePath,
    files: [
      { path: nodePath.join(dir, "state.json"), data: JSON.stringify(state) + "\n", mode: 0o600 },
      { path: wirePath, data: jsonLines(records), mode: 0o600 },
    ],
    effects: [],
    resume,
    warnings,
  };
};
