/**
 * Reading a Kimi Code session (`agents/main/wire.jsonl` plus the `state.json`
 * two folders up) into the canonical model.
 *
 * The model context is a fold over the main agent's records in file order,
 * and so is the conversation here:
 * - `context.append_message` → its message: `user` (a typed prompt; an
 *   `injection`, `system_trigger` or `compaction_summary` origin → `system`),
 *   `assistant` (text, `think` parts as reasoning, `toolCalls` with JSON
 *   string `arguments`), `tool` (one result; `isError`, `note`), `system`;
 * - `context.append_loop_event` → one assistant message per step
 *   (`step.begin`, `content.part`, `tool.call`), and a result per
 *   `tool.result`; a step with neither text nor calls is dropped;
 * - messages appended while a step still waits for tool results come after
 *   those results (as the CLI's fold defers them);
 * - `context.apply_compaction` → the context Kimi sends from then on
 *   ({@linkcode compactedContext}); without a `contextSummary`, a `system`
 *   message with the summary (the earlier messages kept); `context.clear` → an
 *   `other` note;
 *   `context.undo` drops the last `count` typed prompts and what followed;
 * - `kind: "event"` copies, sub-agent records (`agentId` other than `main`)
 *   and bookkeeping are skipped. `llm.request` gives the model name.
 *
 * @module
 */
import * as nodePath from "node:path";
import { readFile } from "node:fs/promises";
import type { Message, ReadResult, Session, ToolCall, Warning } from "../../model/types.ts";
import { parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { nothingToRead, readJsonlSession, skippedLine } from "../../formats/jsonl_session.ts";
import { sessionDirOfWire } from "./paths.ts";

/** The provider id. */
export const KIMI_CODE_ID = "kimi-code";

/** What `state.json` holds that casr uses. */
export interface KimiState {
  /** The session id. */
  id?: string;
  /** The working directory. */
  cwd?: string;
  /** The title. */
  title?: string;
  /** Creation time, epoch ms. */
  createdAt?: number;
  /** Last update, epoch ms. */
  updatedAt?: number;
  /** Whether the session is archived. */
  archived?: boolean;
}

/**
 * Reads a session's `state.json` leniently.
 *
 * @param dir The session directory.
 * @returns What it holds, or `undefined` when it is missing or not a JSON object.
 */
export async function readKimiState(dir: string): Promise<KimiState | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(nodePath.join(dir, "state.json"), "utf8"));
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  const state: KimiState = {};
  const id = str(value.id);
  if (id !== undefined) state.id = id;
  const cwd = str(value.cwd) ?? str(value.workDir);
  if (cwd !== undefined) state.cwd = cwd;
  const title = str(value.title) ?? str(value.customTitle);
  if (title !== undefined) state.title = title;
  const created = parseTimestamp(value.createdAt);
  if (created !== undefined) state.createdAt = created;
  const updated = parseTimestamp(value.updatedAt);
  if (updated !== undefined) state.updatedAt = updated;
  if (typeof value.archived === "boolean") state.archived = value.archived;
  return state;
}

interface Parts {
  text: string;
  reasoning: string;
}

/** Text and reasoning of a content-part array (or a plain string). */
function partsText(content: unknown): Parts {
  if (typeof content === "string") return { text: content, reasoning: "" };
  const texts: string[] = [];
  const thinks: string[] = [];
  for (const part of Array.isArray(content) ? content : []) {
    if (!isRecord(part)) continue;
    if (part.type === "text" && typeof part.text === "string") texts.push(part.text);
    else if (part.type === "think" && typeof part.think === "string" && part.think !== "") {
      thinks.push(part.think);
    }
  }
  return { text: texts.join("\n"), reasoning: thinks.join("\n\n") };
}

function parseArguments(value: unknown): unknown {
  if (value === null || value === undefined || value === "") return {};
  if (typeof value !== "string") return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed : value;
  } catch {
    return value;
  }
}

function newMessage(role: Message["role"], text: string, timestamp: number | undefined): Message {
  const message: Message = { index: 0, role, text, toolCalls: [], toolResults: [] };
  if (timestamp !== undefined) message.timestamp = timestamp;
  return message;
}

function resultOutput(output: unknown, note: unknown): string {
  const text = partsText(output).text;
  return typeof note === "string" && note !== "" ? (text === "" ? note : `${text}\n${note}`) : text;
}

const SYSTEM_ORIGINS = new Set(["injection", "system_trigger", "compaction_summary"]);

/** The fold state: messages so far, the open step, deferred messages. */
/**
 * The context after a `context.apply_compaction` record, as Kimi Code 2.1.0 sends it: the last
 * `keptUserMessageCount` typed prompts as ONE user message (joined by a blank line), then the
 * `contextSummary` (the summary inside Kimi's own preamble) as a user message; everything
 * else before the compaction is gone.
 */
function compactedContext(
  messages: readonly Message[],
  record: Record<string, unknown>,
  time: number | undefined,
): Message[] {
  const keep = typeof record.keptUserMessageCount === "number"
    ? Math.max(0, Math.floor(record.keptUserMessageCount))
    : 0;
  const prompts = keep === 0 ? [] : messages.filter((m) => m.role === "user").slice(-keep);
  const out: Message[] = [];
  if (prompts.length > 0) {
    const kept = newMessage("user", prompts.map((m) => m.text).join("\n\n"), prompts[0]!.timestamp);
    out.push(kept);
  }
  const summary = newMessage("user", String(record.contextSummary), time);
  SUMMARIES.add(summary);
  out.push(summary);
  return out;
}

function isConversation(m: Message): boolean {
  return m.role === "user" || m.role === "assistant" || m.role === "tool";
}

/** The user messages {@linkcode compactedContext} made of a summary. */
const SUMMARIES = new WeakSet<Message>();

class Fold {
  messages: Message[] = [];
  private open: Message | undefined;
  private openUuid: string | undefined;
  private pending = new Set<string>();
  private deferred: Message[] = [];

  private push(message: Message): void {
    if (this.pending.size > 0) this.deferred.push(message);
    else this.messages.push(message);
  }

  private flush(): void {
    if (this.pending.size > 0 || this.deferred.length === 0) return;
    this.messages.push(...this.deferred);
    this.deferred = [];
  }

  private addResult(callId: string, output: string, isError: boolean, time?: number): void {
    const last = this.messages.at(-1);
    const target = last?.role === "tool" ? last : newMessage("tool", "", time);
    if (target !== last) this.messages.push(target);
    target.toolResults.push({ callId, output, isError });
  }

  /** Closes the open step: drops it when it has neither text, reasoning nor calls. */
  settle(): void {
    const open = this.open;
    if (open === undefined) return;
    this.open = undefined;
    this.openUuid = undefined;
    this.pending.clear();
    if (open.text === "" && open.toolCalls.length === 0 && open.reasoning === undefined) {
      this.messages.splice(this.messages.indexOf(open), 1);
    }
    this.flush();
  }

  appendMessage(message: Record<string, unknown>, time: number | undefined): boolean {
    const role = message.role;
    const { text, reasoning } = partsText(message.content);
    if (role === "user") {
      const origin = isRecord(message.origin) ? str(message.origin.kind) : undefined;
      const out = newMessage(
        origin !== undefined && SYSTEM_ORIGINS.has(origin) ? "system" : "user",
        text,
        time,
      );
      if (origin !== undefined && origin !== "user") out.extra = { origin: message.origin };
      this.push(out);
      return true;
    }
    if (role === "system") {
      this.push(newMessage("system", text, time));
      return true;
    }
    if (role === "assistant") {
      const out = newMessage("assistant", text, time);
      if (reasoning !== "") out.reasoning = reasoning;
      const calls = Array.isArray(message.toolCalls) ? message.toolCalls : [];
      for (const [k, call] of calls.entries()) {
        if (!isRecord(call)) continue;
        out.toolCalls.push({
          id: str(call.id) ?? `kimi_call_${this.messages.length}_${k}`,
          name: str(call.name) ?? "unknown",
          input: parseArguments(call.arguments),
        });
      }
      this.push(out);
      return true;
    }
    if (role === "tool") {
      const callId = str(message.toolCallId);
      if (callId === undefined) return false;
      const output = resultOutput(message.content, message.note);
      if (this.pending.size > 0) {
        this.deferred.push(newMessage("tool", "", time));
        (this.deferred.at(-1) as Message).toolResults.push({
          callId,
          output,
          isError: message.isError === true,
        });
        return true;
      }
      this.addResult(callId, output, message.isError === true, time);
      return true;
    }
    return false;
  }

  loopEvent(event: Record<string, unknown>, time: number | undefined): boolean {
    switch (event.type) {
      case "step.begin": {
        this.settle();
        this.open = newMessage("assistant", "", time);
        this.openUuid = str(event.uuid);
        this.messages.push(this.open);
        return true;
      }
      case "step.end":
        if (event.finishReason === "interrupted" || event.finishReason === "error") return true;
        this.settle();
        return true;
      case "content.part": {
        if (!this.accepts(event.stepUuid) || !isRecord(event.part)) return false;
        const open = this.open as Message;
        const part = event.part;
        if (part.type === "text" && typeof part.text === "string") {
          open.text += part.text;
        } else if (part.type === "think" && typeof part.think === "string" && part.think !== "") {
          open.reasoning = open.reasoning === undefined ? part.think : open.reasoning + part.think;
        }
        return true;
      }
      case "tool.call": {
        if (!this.accepts(event.stepUuid)) return false;
        const id = str(event.toolCallId);
        if (id === undefined) return false;
        const call: ToolCall = {
          id,
          name: str(event.name) ?? "unknown",
          input: event.args === undefined ? {} : event.args,
        };
        (this.open as Message).toolCalls.push(call);
        this.pending.add(id);
        return true;
      }
      case "tool.result": {
        const id = str(event.toolCallId);
        if (id === undefined || !this.pending.has(id)) return false;
        this.pending.delete(id);
        const result = isRecord(event.result) ? event.result : {};
        this.addResult(id, resultOutput(result.output, result.note), result.isError === true, time);
        this.flush();
        return true;
      }
      default:
        return false;
    }
  }

  private accepts(stepUuid: unknown): boolean {
    if (this.open === undefined) return false;
    return this.openUuid === undefined || stepUuid === undefined || stepUuid === this.openUuid;
  }

  /** Drops the last `count` typed prompts and everything after the first of them. */
  undo(count: number): void {
    this.settle();
    let cut = this.messages.length;
    let found = 0;
    for (let i = this.messages.length - 1; i >= 0 && found < count; i--) {
      if (this.messages[i]?.role === "user") {
        cut = i;
        found++;
      }
    }
    if (found > 0) this.messages.length = cut;
  }

  finish(): void {
    this.settle();
    this.messages.push(...this.deferred);
    this.deferred = [];
  }
}

/**
 * Reads a Kimi Code session leniently.
 *
 * @param path The main agent's `wire.jsonl`.
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when the file holds no usable record.
 */
export async function readKimiSession(path: string): Promise<ReadResult> {
  const warnings: Warning[] = [];
  const metadata: Record<string, unknown> = {};
  // Messages the last compaction left out (it replaces the context: earlier ones count again).
  let compacted = 0;
  const fold = new Fold();
  let model: string | undefined;
  let createdAt: number | undefined;
  let usable = 0;
  const lines = await readJsonlSession(path, warnings, (record, at) => {
    if (!isRecord(record) || typeof record.type !== "string") {
      warnings.push(skippedLine(path, at, "not a Kimi Code record"));
      return;
    }
    if (record.kind === "event") return;
    if (record.agentId !== undefined && record.agentId !== "main") return;
    const time = parseTimestamp(record.time);
    switch (record.type) {
      case "metadata":
        usable++;
        if (str(record.protocol_version)) metadata.protocolVersion = record.protocol_version;
        createdAt ??= parseTimestamp(record.created_at);
        break;
      case "profile.bind":
      case "config.update":
        if (str(record.modelAlias)) metadata.modelAlias = record.modelAlias;
        break;
      case "llm.request":
        if (str(record.model)) model = record.model as string;
        break;
      case "context.append_message":
        if (isRecord(record.message) && fold.appendMessage(record.message, time)) usable++;
        else {
          warnings.push(skippedLine(path, at, "a context message without a role"));
        }
        break;
      case "context.append_loop_event":
        if (isRecord(record.event) && fold.loopEvent(record.event, time)) usable++;
        break;
      case "context.apply_compaction": {
        usable++;
        fold.settle();
        if (typeof record.contextSummary === "string" && record.contextSummary !== "") {
          const before = fold.messages.filter(isConversation).length;
          fold.messages = compactedContext(fold.messages, record, time);
          compacted = before;
          break;
        }
        const summary = partsText(record.summary).text;
        if (summary !== "") fold.messages.push(newMessage("system", summary, time));
        break;
      }
      case "context.clear":
        fold.settle();
        fold.messages.push(newMessage("other", "The context was cleared here.", time));
        break;
      case "context.undo": {
        const count = typeof record.count === "number" && record.count > 0 ? record.count : 1;
        fold.undo(Math.floor(count));
        break;
      }
      default:
        break;
    }
  });
  fold.finish();
  if (compacted > 0) {
    warnings.push({
      code: "compacted-history",
      message: `Left out the ${compacted} message${compacted === 1 ? "" : "s"} of "${path}" ` +
        "before its last compaction: Kimi Code sends its summary (and the last prompts it kept) " +
        "in their place",
    });
  }
  if (usable === 0) {
    throw nothingToRead(path, lines, "no Kimi Code records found");
  }
  const dir = sessionDirOfWire(path);
  const state = dir === undefined ? undefined : await readKimiState(dir);
  const summaries = fold.messages.flatMap((m, i) => SUMMARIES.has(m) ? [i] : []);
  if (summaries.length > 0) metadata.compaction = { summaryMessageIndexes: summaries };
  const ordered = reindexMessages(fold.messages);
  if (model !== undefined) {
    for (const m of ordered) if (m.role === "assistant") m.author ??= model;
  }
  const times = ordered.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  const session: Session = {
    id: dir !== undefined ? nodePath.basename(dir) : state?.id ?? nodePath.basename(path),
    provider: KIMI_CODE_ID,
    messages: ordered,
    metadata,
    sourcePath: path,
  };
  if (state?.cwd !== undefined) session.workspace = state.cwd;
  if (model !== undefined) session.model = model;
  const start = state?.createdAt ?? createdAt ?? times[0];
  if (start !== undefined) session.startedAt = start;
  if (times.length > 0) session.endedAt = times.reduce((a, b) => Math.max(a, b));
  const firstUser = ordered.find((m) => m.role === "user" && m.text.trim() !== "");
  const title = state?.title ?? firstUser?.text.trim().split("\n")[0];
  if (title !== undefined) session.title = title;
  if (state?.archived === true) metadata.archived = true;
  return { session, warnings };
}
