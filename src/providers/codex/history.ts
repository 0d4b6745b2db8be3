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
  messageText,
  reasoningSummary,
  toolCallOf,
  toolResultOf,
} from "./items.ts";

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
  private pendingReasoning: string[] = [];
  private callNames = new Map<string, string>();
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
    if (payload.type === "message") return this.addMessage(payload, timestamp, raw);
    if (payload.type === "reasoning") {
      const summary = reasoningSummary(payload);
      if (summary !== "") this.pendingReasoning.push(summary);
      return;
    }
    const call = toolCallOf(payload, fallbackId);
    if (call) return this.addToolCall(call, timestamp, raw);
    const result = toolResultOf(payload);
    if (result) return this.addToolResult(result, timestamp, raw);
  }

  /** Records a prompt from `event_msg user_message` (or a `UserMessage` item event). */
  addEventPrompt(text: string, timestamp: number | undefined, raw: unknown): void {
    this.eventPrompts.push({ at: this.messages.length, text, timestamp, raw });
  }

  /** Starts over from a compaction's replacement history. */
  reset(): void {
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
   * Finishes: places leftover reasoning and, when no user item was found, the
   * event prompts.
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
