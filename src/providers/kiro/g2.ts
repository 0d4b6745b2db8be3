/**
 * Kiro G2 (2.x): `~/.kiro/sessions/cli/<uuid>.jsonl` (the event log) and
 * `<uuid>.json` (metadata). Shapes confirmed against Kiro's public source
 * (aws/amazon-q-developer-cli `crates/agent/src/agent/event_log.rs`,
 * `agent_loop/types.rs`, `chat-cli-v2/src/agent/session/mod.rs`).
 *
 * Every line is `{"version":"v1","kind":…,"data":…}`:
 * - `Prompt` `{message_id, content[], meta{timestamp: epoch s}}` → user;
 * - `AssistantMessage` `{message_id, content[]}` → assistant (Kiro records no
 *   time for it; casr-written lines carry `meta.timestamp` like a prompt);
 * - `ToolResults` `{message_id, content[], results{}}` → a tool message (its
 *   `text` blocks, a prompt sent with cancelled tools, follow as a user message);
 * - `CancelledPrompt` drops the last user message, `ResetTo{target_index}`
 *   rewinds, `Clear` starts over (as Kiro replays them), `Compaction` keeps
 *   the history and adds its summary as an `other` message.
 * Content blocks are `{kind, data}`: `text` (a string), `toolUse`
 * `{toolUseId, name, input}`, `toolResult` `{toolUseId, content[], status}`,
 * `image`, and `thinking` `{text, modelId…}` (reasoning).
 *
 * @module
 */
import * as nodePath from "node:path";
import * as fsp from "node:fs/promises";
import type { Message, ReadResult, Warning } from "../../model/types.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import { definedFields, isRecord, str } from "../../internal/jsonl.ts";
import { nothingToRead, readJsonlSession, skippedLine } from "../../formats/jsonl_session.ts";
import { parseFailed } from "../../errors.ts";
import { finishSession, newMessage, pushResult, toolOutput } from "./common.ts";

/** The fields casr uses from a G2 `<uuid>.json`. */
export interface KiroG2Meta {
  /** `session_id`. */
  id?: string;
  /** `cwd`. */
  cwd?: string;
  /** `title`. */
  title?: string;
  /** `created_at`, epoch ms. */
  createdAt?: number;
  /** `updated_at`, epoch ms. */
  updatedAt?: number;
  /** `session_state.rts_model_state.model_info.model_id`. */
  model?: string;
  /** `parent_session_id`. */
  parentId?: string;
}

/**
 * Reads a G2 metadata file leniently (missing or malformed gives `{}`).
 *
 * @param path The `<uuid>.json` file.
 * @returns The fields found.
 */
export async function readG2Meta(path: string): Promise<KiroG2Meta> {
  let value: unknown;
  try {
    value = JSON.parse(await fsp.readFile(path, "utf8"));
  } catch {
    return {};
  }
  if (!isRecord(value)) return {};
  const state = isRecord(value.session_state) ? value.session_state : {};
  const rts = isRecord(state.rts_model_state) ? state.rts_model_state : {};
  const info = isRecord(rts.model_info)
    ? rts.model_info
    : isRecord(state.model_info)
    ? state.model_info
    : {};
  return definedFields<KiroG2Meta>({
    id: str(value.session_id),
    cwd: str(value.cwd),
    title: str(value.title),
    createdAt: parseTimestamp(value.created_at),
    updatedAt: parseTimestamp(value.updated_at),
    parentId: str(value.parent_session_id),
    model: str(info.model_id),
  });
}

/** The journal of a G2 path (`.json` → its `.jsonl`). */
export function g2Journal(path: string): string {
  return path.endsWith(".json") ? `${path}l` : path;
}

/**
 * Reads a G2 session leniently.
 *
 * @param path The `<uuid>.jsonl` journal (or its `.json`).
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when the journal holds no conversation.
 */
export async function readKiroG2(path: string): Promise<ReadResult> {
  const file = g2Journal(path);
  if (file !== path && !(await fsp.stat(file).then((s) => s.isFile(), () => false))) {
    throw parseFailed(
      path,
      `no Kiro CLI journal ${nodePath.basename(file)} beside it (casr reads Kiro CLI sessions; ` +
        `the Kiro IDE's workspace sessions are another format)`,
    );
  }
  const warnings: Warning[] = [];
  let messages: Message[] = [];
  const lengths: number[] = [];
  let model: string | undefined;
  let entries = 0;
  const lines = await readJsonlSession(file, warnings, (record, at) => {
    if (!isRecord(record) || typeof record.kind !== "string") {
      warnings.push(skippedLine(file, at, "not a Kiro log entry"));
      return;
    }
    entries++;
    const data = isRecord(record.data) ? record.data : {};
    const content = Array.isArray(data.content) ? data.content : [];
    switch (record.kind) {
      case "Prompt": {
        const meta = isRecord(data.meta) ? data.meta : {};
        const texts: string[] = [];
        for (const block of content) {
          if (!isRecord(block)) continue;
          if (block.kind === "text" && typeof block.data === "string") texts.push(block.data);
          else if (block.kind === "image") texts.push("[image]");
        }
        messages.push(newMessage("user", texts.join("\n"), parseTimestamp(meta.timestamp)));
        break;
      }
      case "AssistantMessage": {
        const meta = isRecord(data.meta) ? data.meta : {};
        const message = newMessage("assistant", "", parseTimestamp(meta.timestamp));
        const texts: string[] = [];
        const thoughts: string[] = [];
        for (const [k, block] of content.entries()) {
          if (!isRecord(block)) continue;
          const b = block.data;
          if (block.kind === "text" && typeof b === "string") texts.push(b);
          else if (block.kind === "image") texts.push("[image]");
          else if (block.kind === "thinking" && isRecord(b)) {
            if (typeof b.text === "string" && b.text !== "") thoughts.push(b.text);
            model ??= str(b.modelId);
          } else if (block.kind === "toolUse" && isRecord(b)) {
            message.toolCalls.push({
              id: str(b.toolUseId) ?? `kiro_call_${at}_${k}`,
              name: str(b.name) ?? "unknown",
              input: b.input ?? {},
            });
          }
        }
        message.text = texts.join("\n");
        if (thoughts.length > 0) message.reasoning = thoughts.join("\n");
        const id = str(data.message_id);
        if (id !== undefined) message.extra = { messageId: id };
        messages.push(message);
        break;
      }
      case "ToolResults": {
        const meta = isRecord(data.meta) ? data.meta : {};
        const time = parseTimestamp(meta.timestamp);
        const texts: string[] = [];
        for (const block of content) {
          if (!isRecord(block)) continue;
          const b = block.data;
          if (block.kind === "toolResult" && isRecord(b)) {
            const callId = str(b.toolUseId);
            if (callId === undefined) continue;
            const status = typeof b.status === "string" ? b.status.toLowerCase() : "success";
            pushResult(messages, {
              callId,
              output: toolOutput(b.content),
              isError: status === "error",
            }, time);
          } else if (block.kind === "text" && typeof b === "string" && b.trim() !== "") {
            texts.push(b);
          }
        }
        if (texts.length > 0) messages.push(newMessage("user", texts.join("\n"), time));
        break;
      }
      case "Compaction": {
        const summary = str(data.summary);
        if (summary !== undefined) messages.push(newMessage("other", summary, undefined));
        warnings.push({
          code: "kiro-compaction",
          message: `Line ${at} of "${file}" compacts the conversation; casr keeps the full history`,
          line: at,
        });
        break;
      }
      case "ResetTo": {
        const target = typeof data.target_index === "number" ? data.target_index : undefined;
        if (target === undefined || target < 0) break;
        const keep = target === 0 ? 0 : lengths[Math.min(target, lengths.length) - 1] ?? 0;
        messages = messages.slice(0, keep);
        warnings.push({
          code: "kiro-reset",
          message: `Line ${at} of "${file}" rewinds the conversation; later lines replace it`,
          line: at,
        });
        break;
      }
      case "CancelledPrompt":
        if (messages.at(-1)?.role === "user") messages.pop();
        break;
      case "Clear":
        if (messages.length > 0) {
          warnings.push({
            code: "kiro-clear",
            message: `Line ${at} of "${file}" clears the conversation; only what follows is read`,
            line: at,
          });
        }
        messages = [];
        break;
      default:
        break;
    }
    lengths.push(messages.length);
  });
  if (!messages.some((m) => m.role === "user" || m.role === "assistant" || m.role === "tool")) {
    throw nothingToRead(
      file,
      lines,
      entries === 0 ? "no Kiro log entries found" : "no conversation in it",
    );
  }
  const meta = await readG2Meta(file.slice(0, -1));
  const result = finishSession(
    {
      id: meta.id ?? nodePath.basename(file, ".jsonl"),
      sourcePath: file,
      workspace: meta.cwd,
      title: meta.title,
      model: meta.model ?? model,
      startedAt: meta.createdAt,
      endedAt: meta.updatedAt,
      metadata: { generation: "g2", ...(meta.parentId ? { parentSessionId: meta.parentId } : {}) },
    },
    messages,
    warnings,
  );
  return result;
}
