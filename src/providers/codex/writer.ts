/**
 * Plans a new Codex rollout for a canonical session.
 *
 * Shape (what `codex resume` 0.169.0 needs, see realcli.md): every line has a
 * top-level string `timestamp`; `session_meta` comes first with `id`,
 * `timestamp`, `cwd`, `originator` and `cli_version`; the file name ends with
 * `-<id>.jsonl`. Each user turn is `turn_context`, `task_started`, the user
 * `message` item plus its `user_message` event, the assistant `message` items
 * (plus `agent_message` events), `function_call` / `function_call_output`
 * pairs (or `custom_tool_call` / `custom_tool_call_output` when the canonical
 * input is a string), then `task_complete`. `task_started` / `task_complete`
 * are the names 0.169.0 itself writes (older notes call them `turn_started` /
 * `turn_complete`). Images become `input_image` parts with a `data:` URL: a
 * user's, before the prompt text and wrapped in `<image name=[Image #N]>` /
 * `</image>` as Codex wraps attached images; a tool result's, after its text in
 * a content-array output (see {@linkcode ImageWriter} for OpenAI's limits). No `history_mode` is written, so Codex replays the thread
 * in legacy mode from the response items. Reasoning is not written (Codex
 * reasoning items carry provider-bound encrypted content).
 *
 * `model_provider` is the top-level `model_provider` of `config.toml`, else the
 * provider of the most recently updated `threads` row, else `openai`: a rollout
 * pins its provider on resume, so it must be the one the user runs. The
 * `turn_context` model is the session's own for Codex sessions, else
 * {@linkcode DEFAULT_MODEL}; Codex 0.169.0 resumes with its configured model
 * either way and only warns that the thread was recorded with another.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { isoTime, uuidV7 } from "../../internal/ids.ts";
import { jsonLines } from "../../internal/jsonl.ts";
import type { Message, Session, Warning } from "../../model/types.ts";
import type { PlanWriteOptions, ProviderContext, WriteEffect, WritePlan } from "../types.ts";
import { planSessionIndexEffect, planThreadRowEffect } from "./effects.ts";
import { codexRoot, newRolloutPath } from "./paths.ts";
import { titleFromPrompt } from "./reader.ts";
import { codexResumeCommand } from "./resume.ts";
import { fillTimestamps } from "../../internal/times.ts";
import { ImageWriter } from "./images.ts";
import { uuidSessionId } from "../../formats/writing.ts";
import { plural } from "../../internal/plural.ts";

/** The Codex version written into `session_meta.cli_version` (the pinned real CLI). */
export const WRITER_CLI_VERSION = "0.169.0";
/** The originator written into `session_meta` (the interactive Rust CLI). */
export const WRITER_ORIGINATOR = "codex_cli_rs";
/** The model written into `turn_context` when the session records none. */
export const DEFAULT_MODEL = "gpt-5-codex";

/**
 * The `model_provider` set at the top level of `<root>/config.toml`, read with
 * a line match (no TOML parser): the first `model_provider = "…"` line before
 * any `[table]` header.
 *
 * @param root The Codex home.
 * @returns The provider id, or `undefined` when there is no such line.
 */
export async function configuredModelProvider(root: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(root, "config.toml"), "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*\[/.test(line)) break;
    const match = /^\s*model_provider\s*=\s*["']([^"']+)["']\s*(#.*)?$/.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

/** Maps canonical call ids to unique, non-empty native ids; results follow their call. */
class CallIds {
  private used = new Set<string>();
  private queues = new Map<string, string[]>();
  private lastFor = new Map<string, string>();
  private custom = new Map<string, boolean>();
  private counter = 0;

  /** The native id for a call, and whether it is a custom (string-input) call. */
  forCall(id: string, isCustom: boolean): string {
    let native = id.trim() === "" ? `call_${++this.counter}` : id;
    for (let k = 2; this.used.has(native); k++) native = `${id || "call"}_${k}`;
    this.used.add(native);
    const queue = this.queues.get(id) ?? [];
    queue.push(native);
    this.queues.set(id, queue);
    this.lastFor.set(id, native);
    this.custom.set(native, isCustom);
    return native;
  }

  /** The native id a result answers, and whether its call was custom. */
  forResult(callId: string): { id: string; custom: boolean } {
    const native = this.queues.get(callId)?.shift() ?? this.lastFor.get(callId) ?? callId;
    return { id: native, custom: this.custom.get(native) ?? false };
  }
}

function argumentsString(input: unknown): string {
  if (input === undefined) return "{}";
  return JSON.stringify(input);
}

/** The rollout lines for the conversation part (after `session_meta`). */
function conversationLines(
  messages: readonly Message[],
  times: readonly number[],
  cwd: string,
  model: string,
  warnings: Warning[],
): unknown[] {
  const lines: unknown[] = [];
  const images = new ImageWriter(warnings);
  const ids = new CallIds();
  let turn: { id: string; lastAgent: string | null; lastTime: number } | undefined;
  let turnCount = 0;
  const line = (ms: number, type: string, payload: unknown) =>
    lines.push({ timestamp: isoTime(ms), type, payload });
  const closeTurn = () => {
    if (!turn) return;
    line(turn.lastTime, "event_msg", {
      type: "task_complete",
      turn_id: turn.id,
      last_agent_message: turn.lastAgent,
    });
    turn = undefined;
  };
  const openTurn = (ms: number) => {
    closeTurn();
    turn = { id: `turn-${++turnCount}`, lastAgent: null, lastTime: ms };
    line(ms, "turn_context", {
      turn_id: turn.id,
      cwd,
      approval_policy: "on-request",
      sandbox_policy: { type: "read-only" },
      model,
      summary: "auto",
    });
    line(ms, "event_msg", { type: "task_started", turn_id: turn.id });
  };

  messages.forEach((message, i) => {
    const ms = times[i] ?? 0;
    if (message.role === "user" || !turn) openTurn(ms);
    if (turn) turn.lastTime = ms;
    if (message.role === "user") {
      const imageParts = images.wrapped(message.images, `message ${message.index}`);
      const textParts = message.text !== "" || imageParts.length === 0
        ? [{ type: "input_text", text: message.text }]
        : [];
      line(ms, "response_item", {
        type: "message",
        role: "user",
        content: [...imageParts, ...textParts],
      });
      line(ms, "event_msg", { type: "user_message", message: message.text, images: [] });
    } else if (message.role === "assistant") {
      // An empty text item only where the reader would otherwise merge these calls
      // into the previous assistant message.
      const separate = messages[i - 1]?.role === "assistant";
      if (message.text !== "" || message.toolCalls.length === 0 || separate) {
        line(ms, "response_item", {
          type: "message",
          role: "assistant",
          content: [{ type: "output_text", text: message.text }],
        });
        line(ms, "event_msg", { type: "agent_message", message: message.text });
        if (turn) turn.lastAgent = message.text;
      }
      for (const call of message.toolCalls) {
        const isCustom = typeof call.input === "string";
        const callId = ids.forCall(call.id, isCustom);
        line(
          ms,
          "response_item",
          isCustom
            ? {
              type: "custom_tool_call",
              status: "completed",
              call_id: callId,
              name: call.name,
              input: call.input,
            }
            : {
              type: "function_call",
              name: call.name,
              arguments: argumentsString(call.input),
              call_id: callId,
            },
        );
      }
    } else if (message.role === "tool") {
      for (const result of message.toolResults) {
        const native = ids.forResult(result.callId);
        const imageParts = images.parts(result.images, `the result of "${result.callId}"`);
        line(ms, "response_item", {
          type: native.custom ? "custom_tool_call_output" : "function_call_output",
          call_id: native.id,
          output: imageParts.length === 0
            ? result.output
            : [{ type: "input_text", text: result.output }, ...imageParts],
        });
      }
    }
  });
  closeTurn();
  return lines;
}

/** The id asked for by the pipeline when it is a UUID (Codex parses ids as UUIDs), else a new UUIDv7. */
function threadId(options: PlanWriteOptions, warnings: Warning[]): string {
  const fresh = (): string => uuidV7(options.now);
  return uuidSessionId(options.sessionId, fresh, warnings, "Codex thread ids must be UUIDs");
}

/**
 * Plans the rollout, its thread row and its thread-name entry.
 *
 * @param session The canonical session.
 * @param ctx Where to write (the Codex home comes from `CODEX_HOME` or the home dir).
 * @param options Target workspace and time.
 * @returns The plan; nothing is written.
 */
export async function planRollout(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [];
  const root = codexRoot(ctx);
  const id = threadId(options, warnings);
  const file = newRolloutPath(root, options.now, id);
  const cwd = options.workspace;
  const messages = session.messages.filter((m) =>
    m.role === "user" || m.role === "assistant" || m.role === "tool"
  );
  const times = fillTimestamps(messages, options.now);
  const startedAt = times[0] ?? options.now;
  const model = session.provider === "codex" && session.model ? session.model : DEFAULT_MODEL;
  const replyImages = messages.filter((m) => m.role !== "user" && (m.images?.length ?? 0) > 0);
  if (replyImages.length > 0) {
    warnings.push({
      code: "images-dropped",
      message: `Dropped the images of ${
        plural(replyImages.length, "assistant message")
      }: Codex replays images only in prompts and tool results`,
    });
  }
  const withReasoning = messages.filter((m) => m.reasoning !== undefined && m.reasoning !== "");
  if (withReasoning.length > 0) {
    warnings.push({
      code: "reasoning-dropped",
      message: `Dropped the reasoning of ${
        plural(withReasoning.length, "message")
      }: Codex keeps reasoning only as encrypted, provider-bound items`,
    });
  }

  const dbEffect = await planThreadRowEffect(ctx, warnings);
  const modelProvider = (await configuredModelProvider(root)) ?? dbEffect?.newestProvider ??
    "openai";
  const meta = {
    timestamp: isoTime(startedAt),
    type: "session_meta",
    payload: {
      id,
      session_id: id,
      timestamp: isoTime(startedAt),
      cwd,
      originator: WRITER_ORIGINATOR,
      cli_version: WRITER_CLI_VERSION,
      source: "cli",
      model_provider: modelProvider,
      thread_source: "user",
    },
  };
  const data = jsonLines([meta, ...conversationLines(messages, times, cwd, model, warnings)]);

  const firstPrompt = messages.find((m) => m.role === "user")?.text ?? "";
  const title = session.title?.trim() || titleFromPrompt(firstPrompt) || "";
  const effects: WriteEffect[] = [];
  if (dbEffect) {
    effects.push(dbEffect.effect({
      id,
      rolloutPath: file,
      cwd,
      title,
      firstUserMessage: firstPrompt,
      model,
      modelProvider,
      createdAt: startedAt,
      now: options.now,
      cliVersion: WRITER_CLI_VERSION,
      originator: WRITER_ORIGINATOR,
    }));
  }
  if (title !== "") {
    const indexEffect = await planSessionIndexEffect(root, id, title, options.now);
    if (indexEffect) effects.push(indexEffect);
  }
  return {
    sessionId: id,
    primaryPath: file,
    files: [{ path: file, data, mode: 0o600 }],
    effects,
    resume: codexResumeCommand({ id, workspace: cwd }),
    warnings,
  };
}
