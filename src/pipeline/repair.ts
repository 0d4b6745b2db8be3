/**
 * Making a session safe to write: every tool call answered, every result called,
 * call ids unique, every message timed.
 *
 * @module
 */
import type { Message, Session, ToolCall, ToolResult, Warning } from "../model/types.ts";
import { reindexMessages } from "../model/normalize.ts";
import { MAX_CALL_ID } from "./prepare.ts";
import { plural } from "../internal/plural.ts";

/** The text of a result casr adds for a call that had none. */
export const MISSING_RESULT_TEXT = "(casr: no result was recorded for this tool call)";

/** A session prepared for writing, and what preparing it changed. */
export interface RepairResult {
  /** The repaired copy (the input is not modified). */
  session: Session;
  /** One warning per kind of change made. */
  warnings: Warning[];
}

function emptyMessage(role: Message["role"], timestamp: number | undefined): Message {
  const message: Message = { index: 0, role, text: "", toolCalls: [], toolResults: [] };
  if (timestamp !== undefined) message.timestamp = timestamp;
  return message;
}

/**
 * Pairs tool calls with results so any target accepts the conversation.
 *
 * - A call with no result gets a synthetic error result right after its message.
 * - Adjacent tool messages become one, its results in the order of the calls.
 * - A result with no call gets a synthetic call (name from the result, else
 *   `unknown_tool`) on the assistant message before it.
 * - Empty or repeated call ids are renamed, and their results follow.
 * - Missing timestamps are filled from neighbours (or `now`); a timestamp
 *   earlier than the message before it is raised to that time, so times never
 *   decrease (several agents reject or reorder decreasing times).
 *
 * @param session The session to repair (not modified).
 * @param now The time for a session with no timestamps at all, epoch ms.
 * @returns The repaired copy and warnings.
 *
 * @example A dangling call gets a result
 * ```ts
 * import { repairSession } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const { session } = repairSession({
 *   id: "s", provider: "codex", metadata: {},
 *   messages: [
 *     { index: 0, role: "user", text: "hi", toolCalls: [], toolResults: [] },
 *     { index: 1, role: "assistant", text: "", toolResults: [],
 *       toolCalls: [{ id: "c1", name: "shell", input: { cmd: "ls" } }] },
 *   ],
 * }, 0);
 * assert.equal(session.messages.length, 3);
 * assert.equal(session.messages[2]?.toolResults[0]?.callId, "c1");
 * ```
 */
export function repairSession(session: Session, now: number): RepairResult {
  let missingResults = 0;
  let orphanResults = 0;
  let renamedIds = 0;
  const out: Message[] = [];
  const seenIds = new Set<string>();
  let open: ToolCall[] = [];
  const pendingRename = new Map<string, string[]>();

  /** The last user, assistant or tool message (system and other are skipped by writers). */
  const lastConversation = (): Message | undefined =>
    out.findLast((m) => m.role !== "system" && m.role !== "other");
  const closeOpen = (timestamp: number | undefined): void => {
    if (open.length === 0) return;
    const last = lastConversation();
    const tool = last?.role === "tool" ? last : emptyMessage("tool", timestamp);
    for (const call of open) {
      tool.toolResults.push({ callId: call.id, output: MISSING_RESULT_TEXT, isError: true });
      missingResults++;
    }
    if (tool !== last) out.push(tool);
    open = [];
  };

  for (const original of session.messages) {
    const message: Message = {
      ...original,
      toolCalls: original.toolCalls.map((c) => ({ ...c })),
      toolResults: original.toolResults.map((r) => ({ ...r })),
    };
    if (message.role === "system" || message.role === "other") {
      out.push(message);
      continue;
    }
    if (message.role !== "tool" && message.toolResults.length === 0) {
      closeOpen(message.timestamp);
    }
    if (message.toolResults.length > 0) {
      const kept: ToolResult[] = [];
      for (const result of message.toolResults) {
        const renames = pendingRename.get(result.callId);
        if (renames && renames.length > 0) result.callId = renames.shift() as string;
        const at = open.findIndex((c) => c.id === result.callId);
        if (at >= 0) {
          open.splice(at, 1);
        } else {
          orphanResults++;
          const id = result.callId !== "" && !seenIds.has(result.callId)
            ? result.callId
            : `casr-orphan-${out.length}-${kept.length}`;
          result.callId = id;
          seenIds.add(id);
          let host = out.at(-1);
          if (!host || host.role !== "assistant") {
            host = emptyMessage("assistant", message.timestamp);
            out.push(host);
          }
          host.toolCalls.push({ id, name: result.name ?? "unknown_tool", input: {} });
        }
        kept.push(result);
      }
      message.toolResults = kept;
    }
    if (message.toolCalls.length > 0) {
      closeOpen(message.timestamp);
      message.toolCalls.forEach((call, i) => {
        const originalId = call.id;
        if (call.id === "" || seenIds.has(call.id)) {
          // "-n", not "_n": Claude Code reads "<id>_<digits>" as part of a batched call.
          let n = 2;
          const fresh = (): string =>
            originalId === "" || originalId.length > MAX_CALL_ID - 4
              ? `casr-call-${out.length}-${i}${n === 2 ? "" : `-${n}`}`
              : `${originalId}-${n}`;
          let candidate = fresh();
          while (seenIds.has(candidate)) {
            n++;
            candidate = fresh();
          }
          call.id = candidate;
          renamedIds++;
          const queue = pendingRename.get(originalId) ?? [];
          queue.push(candidate);
          pendingRename.set(originalId, queue);
        }
        seenIds.add(call.id);
        open.push(call);
      });
    }
    const previous = lastConversation();
    if (
      message.role === "tool" && previous?.role === "tool" && message.toolCalls.length === 0 &&
      message.text.trim() === "" && previous.text.trim() === ""
    ) {
      previous.toolResults.push(...message.toolResults);
      continue;
    }
    out.push(message);
  }
  closeOpen(out.at(-1)?.timestamp);
  orderResultsByCalls(out);

  const timed = fillTimestamps(out, now);
  const warnings: Warning[] = [];
  if (missingResults > 0) {
    warnings.push({
      code: "missing-tool-result",
      message: `Added ${
        plural(missingResults, "error result")
      } for tool calls that had no recorded result`,
    });
  }
  if (orphanResults > 0) {
    warnings.push({
      code: "orphan-tool-result",
      message: `Added ${plural(orphanResults, "tool call")} for results that had no recorded call`,
    });
  }
  if (renamedIds > 0) {
    warnings.push({
      code: "renamed-tool-id",
      message: `Renamed ${plural(renamedIds, "empty or repeated tool call id")}`,
    });
  }
  if (timed.filled > 0) {
    warnings.push({
      code: "filled-timestamps",
      message: `Gave ${
        plural(timed.filled, "message")
      } without a timestamp the time of a neighbour`,
    });
  }
  if (timed.raised > 0) {
    warnings.push({
      code: "raised-timestamps",
      message: `Moved ${
        plural(timed.raised, "out-of-order timestamp")
      } up to the message before them`,
    });
  }
  return { session: { ...session, messages: reindexMessages(timed.messages) }, warnings };
}

/**
 * Orders each tool message's results like the calls of the assistant message
 * before it, so every target writes them in the same order.
 */
function orderResultsByCalls(messages: Message[]): void {
  let calls: ToolCall[] = [];
  for (const message of messages) {
    if (message.toolCalls.length > 0) calls = message.toolCalls;
    if (message.role !== "tool" || message.toolResults.length < 2) continue;
    const rank = (r: ToolResult): number => {
      const at = calls.findIndex((c) => c.id === r.callId);
      return at < 0 ? Number.MAX_SAFE_INTEGER : at;
    };
    message.toolResults = message.toolResults
      .map((r, i) => ({ r, i }))
      .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
      .map(({ r }) => r);
  }
}

function fillTimestamps(
  messages: Message[],
  now: number,
): { messages: Message[]; filled: number; raised: number } {
  let filled = 0;
  let raised = 0;
  const firstKnown = messages.find((m) => m.timestamp !== undefined)?.timestamp;
  let last = firstKnown ?? now;
  const result = messages.map((m) => {
    if (m.timestamp === undefined) {
      filled++;
      return { ...m, timestamp: last };
    }
    if (m.timestamp < last) {
      raised++;
      return { ...m, timestamp: last };
    }
    last = m.timestamp;
    return m;
  });
  return { messages: result, filled, raised };
}
