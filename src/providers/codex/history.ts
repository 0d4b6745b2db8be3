/**
 * Rebuilds the canonical message list from Codex response items, applying the
 * casr merge rules (tool calls join the preceding assistant message, runs of
 * tool outputs form one tool message, reasoning rides on assistant messages).
 *
 * @module
 */
import type { Message, Role, ToolCall, ToolResult } from "../../model/types.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import {
  isInjectedUserItem,
  messageImages,
  messageText,
  reasoningSummary,
  toolCallOf,
  toolResultOf,
  webSearchResultOf,
} from "./items.ts";
import { keptUserTexts, NO_SUMMARY_TEXT } from "./compaction.ts";
import { answerAbortedCalls } from "./aborted.ts";

/** The call items Codex answers with "aborted" on resume when the rollout has no output. */
const ABORTABLE_CALLS = new Set(["function_call", "custom_tool_call", "local_shell_call"]);

/** A user prompt seen only as an `event_msg` (used when no user response item exists). */
interface EventPrompt {
  /** Where in the message list it would go. */
  at: number;
  text: string;
  timestamp: number | undefined;
  raw: unknown;
}

/** Accumulates messages while a rollout is read line by line. */
export class HistoryBuilder {
  /** The messages so far. */
  messages: Message[] = [];
  /** The model of the current turn (from `turn_context`), used as assistant author. */
  model: string | undefined;
  /** How many opaque `compaction` items (remote compaction summaries) were met. */
  opaqueCompactions = 0;
  private pendingReasoning: string[] = [];
  private callNames = new Map<string, string>();
  private abortable = new Set<string>();
  private eventPrompts: EventPrompt[] = [];

  /**
   * Adds one `response_item` payload.
   *
   * @param payload The item.
   * @param timestamp The line's time, epoch ms.
   * @param raw The raw record kept in `extra`.
   * @param fallbackId An id for calls that carry none.
   */
  addItem(
    payload: Record<string, unknown>,
    timestamp: number | undefined,
    raw: unknown,
    fallbackId: string,
  ): void {
    // Older rollouts wrote messages as bare `{role, content}` items.
    if (
      payload.type === "message" ||
      (payload.type === undefined && typeof payload.role === "string" && "content" in payload)
    ) {
      return this.addMessage(payload, timestamp, raw);
    }
    if (payload.type === "compaction" || payload.type === "compaction_summary") {
      this.opaqueCompactions++;
      return;
    }
    if (payload.type === "reasoning") {
      const summary = reasoningSummary(payload);
      if (summary !== "") this.pendingReasoning.push(summary);
      return;
    }
    const call = toolCallOf(payload, fallbackId);
    if (call) {
      this.addToolCall(call, timestamp, raw);
      if (ABORTABLE_CALLS.has(String(payload.type)) && str(payload.call_id) !== undefined) {
        this.abortable.add(call.id);
      }
      // The API runs a web search itself: no output item follows, the call is its own record.
      if (payload.type === "web_search_call") {
        this.addToolResult(webSearchResultOf(payload, call.id), timestamp, raw);
      }
      return;
    }
    const result = toolResultOf(payload);
    if (result) return this.addToolResult(result, timestamp, raw);
  }

  /** Records a prompt from `event_msg user_message` (or a `UserMessage` item event). */
  addEventPrompt(text: string, timestamp: number | undefined, raw: unknown): void {
    this.eventPrompts.push({ at: this.messages.length, text, timestamp, raw });
  }

  /**
   * Applies a `compacted` line without a replacement history as Codex replays
   * it: the kept user messages, then the summary as a user message.
   *
   * @param summary The line's `message`.
   * @param timestamp The line's time, epoch ms.
   * @param raw The raw record kept in `extra`.
   */
  compactWithoutHistory(summary: string, timestamp: number | undefined, raw: unknown): void {
    const kept = keptUserTexts(this.messages);
    this.reset();
    for (const k of kept) this.messages.push(this.newMessage("user", k.text, k.timestamp, raw));
    const text = summary === "" ? NO_SUMMARY_TEXT : summary;
    this.messages.push(this.newMessage("user", text, timestamp, raw));
  }

  /**
   * Starts over from a compaction's `replacement_history`. Its items carry no
   * time; a user message whose text was already read keeps that message's time.
   *
   * @param items The replacement history.
   * @param fallbackId The `compacted` line's fallback id, for calls without one.
   */
  replaceHistory(items: readonly Record<string, unknown>[], fallbackId: string): void {
    const times = new Map<string, number>();
    for (const m of this.messages) {
      if (m.role === "user" && m.timestamp !== undefined) times.set(m.text, m.timestamp);
    }
    this.reset();
    items.forEach((item, i) => this.addItem(item, undefined, item, `${fallbackId}-${i}`));
    for (const m of this.messages) {
      const time = m.role === "user" ? times.get(m.text) : undefined;
      if (time !== undefined && m.timestamp === undefined) m.timestamp = time;
    }
  }

  /** Starts over (a compaction replaced the history). */
  reset(): void {
    this.opaqueCompactions = 0;
    this.messages = [];
    this.pendingReasoning = [];
    this.eventPrompts = [];
  }

  /**
   * Drops the newest `turns` user turns (`thread_rolled_back`).
   *
   * @param turns How many user turns to drop.
   */
  rollback(turns: number): void {
    let cut = this.messages.length;
    let left = turns;
    for (let i = this.messages.length - 1; i >= 0 && left > 0; i--) {
      if (this.messages[i]?.role === "user") {
        cut = i;
        left--;
      }
    }
    if (left === turns) return;
    this.messages = this.messages.slice(0, cut);
    this.eventPrompts = this.eventPrompts.filter((p) => p.at <= cut);
    this.pendingReasoning = [];
  }

  /**
   * Finishes: places leftover reasoning, answers the calls left without an
   * output with the "aborted" Codex sends for them on resume (see `aborted.ts`)
   * and, when no user item was found, places the event prompts.
   *
   * @returns The messages (not yet reindexed).
   */
  finish(): Message[] {
    if (this.pendingReasoning.length > 0) {
      const last = this.messages.findLast((m) => m.role === "assistant");
      if (last) this.attachReasoning(last);
    }
    if (!this.messages.some((m) => m.role === "user")) {
      for (const prompt of [...this.eventPrompts].reverse()) {
        const message = this.newMessage("user", prompt.text, prompt.timestamp, prompt.raw);
        this.messages.splice(prompt.at, 0, message);
      }
    }
    answerAbortedCalls(this.messages, this.abortable, this.callNames);
    return this.messages;
  }

  private newMessage(
    role: Role,
    text: string,
    timestamp: number | undefined,
    raw: unknown,
  ): Message {
    const message: Message = { index: 0, role, text, toolCalls: [], toolResults: [], extra: [raw] };
    if (timestamp !== undefined) message.timestamp = timestamp;
    return message;
  }

  private attachReasoning(message: Message): void {
    if (this.pendingReasoning.length === 0) return;
    const parts = message.reasoning === undefined ? [] : [message.reasoning];
    message.reasoning = [...parts, ...this.pendingReasoning].join("\n");
    this.pendingReasoning = [];
  }

  private addMessage(
    payload: Record<string, unknown>,
    timestamp: number | undefined,
    raw: unknown,
  ): void {
    const text = messageText(payload.content);
    const nativeRole = str(payload.role) ?? "";
    let role: Role;
    if (nativeRole === "assistant") role = "assistant";
    else if (nativeRole === "user") role = isInjectedUserItem(payload, text) ? "system" : "user";
    else if (nativeRole === "developer" || nativeRole === "system") role = "system";
    else role = "other";
    const message = this.newMessage(role, text, timestamp, raw);
    const images = messageImages(payload.content);
    if (images.length > 0) message.images = images;
    if (role === "assistant") {
      if (this.model !== undefined) message.author = this.model;
      this.attachReasoning(message);
    }
    this.messages.push(message);
  }

  private addToolCall(call: ToolCall, timestamp: number | undefined, raw: unknown): void {
    this.callNames.set(call.id, call.name);
    let last = this.messages.at(-1);
    if (last?.role === "assistant") {
      (last.extra as unknown[]).push(raw);
    } else {
      last = this.newMessage("assistant", "", timestamp, raw);
      if (this.model !== undefined) last.author = this.model;
      this.messages.push(last);
    }
    this.attachReasoning(last);
    last.toolCalls.push(call);
  }

  private addToolResult(result: ToolResult, timestamp: number | undefined, raw: unknown): void {
    const name = this.callNames.get(result.callId);
    if (name !== undefined) result.name = name;
    const last = this.messages.at(-1);
    if (last?.role === "tool") {
      (last.extra as unknown[]).push(raw);
      last.toolResults.push(result);
      return;
    }
    const message = this.newMessage("tool", "", timestamp, raw);
    message.toolResults.push(result);
    this.messages.push(message);
  }
}

/**
 * The prompt text of an `event_msg` payload that records one: `user_message`
 * (`message`), or `item_completed` with a `UserMessage` item (newer builds).
 *
 * @param payload The event payload.
 * @returns The text, or `undefined` for other events.
 */
export function eventPromptText(payload: Record<string, unknown>): string | undefined {
  if (payload.type === "user_message") {
    return typeof payload.message === "string" ? payload.message : undefined;
  }
  if (payload.type === "item_completed" && isRecord(payload.item)) {
    const item = payload.item;
    if (item.type !== "UserMessage" || !Array.isArray(item.content)) return undefined;
    return messageText(item.content);
  }
  return undefined;
}
