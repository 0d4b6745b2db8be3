/**
 * Answering the tool calls a session left without a result (a turn cut off
 * while its tool ran) with the result the source agent itself sends for them
 * when the session is resumed.
 *
 * @module
 */
import type { Message, ToolCall, ToolResult } from "../model/types.ts";

/**
 * Gives every call that has no result anywhere in `messages` the result
 * `answer` returns for it, in the tool message right after the message that
 * made the call: joined to the tool message already there (its results then in
 * the order of the calls), else in a new tool message with the call's time.
 *
 * @param messages The messages; changed in place (not reindexed).
 * @param answer The result for an unanswered call, or `undefined` to leave it so.
 * @returns How many results were added.
 *
 * @example A cut-off call gets the agent's own text
 * ```ts
 * import { answerUnansweredCalls } from "./unanswered.ts";
 * import type { Message } from "../model/types.ts";
 * import assert from "node:assert/strict";
 *
 * const messages: Message[] = [
 *   { index: 0, role: "assistant", text: "", toolResults: [],
 *     toolCalls: [{ id: "c1", name: "bash", input: {} }] },
 * ];
 * answerUnansweredCalls(messages, (c) => ({ callId: c.id, output: "cut off", isError: true }));
 * assert.equal(messages[1]?.toolResults[0]?.output, "cut off");
 * ```
 */
export function answerUnansweredCalls(
  messages: Message[],
  answer: (call: ToolCall) => ToolResult | undefined,
): number {
  const answered = new Set(messages.flatMap((m) => m.toolResults.map((r) => r.callId)));
  let added = 0;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    const results: ToolResult[] = [];
    for (const call of message.toolCalls) {
      if (answered.has(call.id)) continue;
      const result = answer(call);
      if (result === undefined) continue;
      answered.add(call.id);
      results.push(result);
    }
    if (results.length === 0) continue;
    added += results.length;
    const next = messages[i + 1];
    if (next?.role === "tool") {
      const order = message.toolCalls.map((c) => c.id);
      const rank = (r: ToolResult): number => {
        const at = order.indexOf(r.callId);
        return at === -1 ? order.length : at;
      };
      next.toolResults = [...next.toolResults, ...results]
        .map((r, k) => ({ r, k }))
        .sort((a, b) => rank(a.r) - rank(b.r) || a.k - b.k)
        .map(({ r }) => r);
      continue;
    }
    const tool: Message = { index: 0, role: "tool", text: "", toolCalls: [], toolResults: results };
    if (message.timestamp !== undefined) tool.timestamp = message.timestamp;
    messages.splice(i + 1, 0, tool);
    i++;
  }
  return added;
}
