/**
 * Pi entries to canonical messages: the active path's context, compaction and
 * branch summaries, tool results and images (see `pi_session.ts`).
 *
 * @module
 */
import type { Message, ToolCall, ToolResult, Warning } from "../model/types.ts";
import { flattenContent, parseTimestamp } from "../model/normalize.ts";
import { isRecord, str } from "../internal/jsonl.ts";
import {
  isPiToolImagesMessage,
  namePiImages,
  piAttachedImageNames,
  piContentImages,
} from "./pi_images.ts";
import {
  PI_BRANCH_SUMMARY_PREFIX,
  PI_BRANCH_SUMMARY_SUFFIX,
  PI_COMPACTION_SUMMARY_PREFIX,
  PI_COMPACTION_SUMMARY_SUFFIX,
  piActivePath,
  piBashExecutionText,
  piContentText,
  piContextEntries,
  type PiEntry,
  piEntryMessages,
} from "./pi_entries.ts";

function systemText(message: Record<string, unknown>): string {
  const content = piContentText(message.content);
  if (content !== "") return content;
  if (isRecord(message.sections)) {
    return Object.values(message.sections).map((v) =>
      flattenContent(v) || (typeof v === "string" ? v : "")
    )
      .filter((v) => v !== "").join("\n\n");
  }
  return "";
}

function newMessage(role: Message["role"], text: string, timestamp: number | undefined): Message {
  const message: Message = { index: 0, role, text, toolCalls: [], toolResults: [] };
  if (timestamp !== undefined) message.timestamp = timestamp;
  return message;
}

/**
 * Converts Pi agent messages (in context order) to canonical messages:
 * consecutive `toolResult`s share one `tool` message; `image` blocks become
 * `images` (a user message's named after its `<file name>` tags, a result's
 * after the `path` its call read; a user message that only carries a tool
 * result's images, as on Pi's Chat Completions wire, gives them to the last
 * result before it); an errored or aborted
 * assistant reply (which Pi skips on resume) becomes an `other` notice and the
 * results of its calls are dropped. A `system` message stamped after the
 * message that follows it gets that message's time. `index` is left at 0
 * (reindex afterwards).
 *
 * @param messages Pi agent messages, e.g. from {@linkcode piEntryMessages}.
 * @param fallbackTimes A time per message for those without their own (the entry time).
 * @returns Canonical messages and warnings.
 */
export function piMessagesToCanonical(
  messages: readonly unknown[],
  fallbackTimes: readonly (number | undefined)[] = [],
): { messages: Message[]; warnings: Warning[] } {
  const out: Message[] = [];
  const warnings: Warning[] = [];
  const skippedCalls = new Set<string>();
  const callPaths = new Map<string, string>();
  let skippedReplies = 0;
  messages.forEach((value, i) => {
    if (!isRecord(value)) return;
    const time = parseTimestamp(value.timestamp) ?? fallbackTimes[i];
    switch (value.role) {
      case "user": {
        const text = piContentText(value.content, false);
        const images = piContentImages(value.content);
        const lastResult = out.at(-1)?.role === "tool" ? out.at(-1)?.toolResults.at(-1) : undefined;
        if (lastResult !== undefined && isPiToolImagesMessage(text, images)) {
          const read = callPaths.get(lastResult.callId);
          lastResult.images = [
            ...(lastResult.images ?? []),
            ...namePiImages(images, read === undefined ? [] : [read]),
          ];
          break;
        }
        const m = newMessage("user", text, time);
        if (images.length > 0) m.images = namePiImages(images, piAttachedImageNames(text));
        out.push(m);
        break;
      }
      case "assistant": {
        const content = Array.isArray(value.content) ? value.content : [];
        const text: string[] = [];
        const reasoning: string[] = [];
        const calls: ToolCall[] = [];
        content.forEach((block, j) => {
          if (!isRecord(block)) return;
          if (block.type === "text" && typeof block.text === "string") text.push(block.text);
          else if (
            block.type === "thinking" && typeof block.thinking === "string" && block.thinking !== ""
          ) {
            reasoning.push(block.thinking);
          } else if (block.type === "toolCall") {
            const args = isRecord(block.arguments) ? block.arguments : {};
            const read = str(args.path) ?? str(args.file_path);
            if (read !== undefined && typeof block.id === "string") callPaths.set(block.id, read);
            calls.push({
              id: str(block.id) ?? `pi_call_${i}_${j}`,
              name: str(block.name) ?? "unknown",
              input: block.arguments ?? {},
            });
          }
        });
        if (typeof value.content === "string") text.push(value.content);
        if (value.stopReason === "error" || value.stopReason === "aborted") {
          for (const call of calls) skippedCalls.add(call.id);
          skippedReplies++;
          const notice = [text.join("\n"), str(value.errorMessage) ?? ""].filter((t) => t !== "")
            .join("\n");
          out.push({
            ...newMessage("other", notice || `(${value.stopReason} reply)`, time),
            extra: value,
          });
          break;
        }
        const m = newMessage("assistant", text.join("\n"), time);
        m.toolCalls = calls;
        if (reasoning.length > 0) m.reasoning = reasoning.join("\n");
        const author = str(value.model);
        if (author !== undefined) m.author = author;
        out.push(m);
        break;
      }
      case "toolResult": {
        const callId = str(value.toolCallId) ?? `pi_call_${i}`;
        if (skippedCalls.has(callId)) break;
        const result: ToolResult = {
          callId,
          output: piContentText(value.content, false),
          isError: value.isError === true,
        };
        const images = piContentImages(value.content);
        const read = callPaths.get(callId);
        if (images.length > 0) {
          result.images = namePiImages(images, read === undefined ? [] : [read]);
        }
        const name = str(value.toolName);
        if (name !== undefined) result.name = name;
        const last = out.at(-1);
        if (last?.role === "tool") last.toolResults.push(result);
        else {
          const m = newMessage("tool", "", time);
          m.toolResults = [result];
          out.push(m);
        }
        break;
      }
      case "bashExecution": {
        const role = value.excludeFromContext === true ? "other" : "user";
        out.push({ ...newMessage(role, piBashExecutionText(value), time), extra: value });
        break;
      }
      case "compactionSummary":
      case "branchSummary": {
        const compaction = value.role === "compactionSummary";
        const text = (compaction ? PI_COMPACTION_SUMMARY_PREFIX : PI_BRANCH_SUMMARY_PREFIX) +
          String(value.summary ?? "") +
          (compaction ? PI_COMPACTION_SUMMARY_SUFFIX : PI_BRANCH_SUMMARY_SUFFIX);
        out.push({ ...newMessage("user", text, time), extra: value });
        break;
      }
      case "custom":
      case "system": {
        const text = value.role === "system" ? systemText(value) : piContentText(value.content);
        out.push({ ...newMessage("system", text, time), extra: value });
        break;
      }
      default:
        warnings.push({
          code: "unknown-record",
          message: `Skipped a Pi message with role "${String(value.role)}"`,
        });
    }
  });
  // Pi stamps its persisted system prompt a millisecond after the user prompt
  // that follows it; keep the conversation's times in order.
  for (let i = out.length - 2; i >= 0; i--) {
    const m = out[i] as Message;
    const next = out[i + 1]?.timestamp;
    if (
      m.role === "system" && m.timestamp !== undefined && next !== undefined && m.timestamp > next
    ) {
      m.timestamp = next;
    }
  }
  if (skippedReplies > 0) {
    warnings.push({
      code: "skipped-failed-reply",
      message: `Kept ${skippedReplies} errored or aborted assistant ${
        skippedReplies === 1 ? "reply" : "replies"
      } as notices: Pi does not replay them`,
    });
  }
  return { messages: out, warnings };
}

/** What {@linkcode piEntriesToConversation} returns. */
export interface PiConversation {
  /** The canonical conversation of the active branch (index 0; reindex afterwards). */
  messages: Message[];
  /** Problems found. */
  warnings: Warning[];
  /** The latest `session_info` name in the entries, when any. */
  title?: string;
  /** The model Pi would resume with: the last `model_change` or assistant model on the path. */
  model?: string;
  /** That model's provider. */
  modelProvider?: string;
  /** The id of the leaf entry. */
  leafId?: string;
  /** How many entries were off the active branch. */
  offBranchEntries: number;
  /** How many compactions are on the path (the latest one applies). */
  compactions: number;
}

/**
 * The canonical conversation Pi would rebuild on resume from migrated
 * entries: the active path ({@linkcode piActivePath}), compaction applied
 * ({@linkcode piContextEntries}), the latest `context_edit` of each entry
 * applied (`replacement: null` omits it), then
 * {@linkcode piMessagesToCanonical}.
 *
 * @param entries Migrated entries ({@linkcode migratePiEntries}).
 * @param options `leafId` to start from another leaf; `source` names it in warnings.
 * @returns The conversation and what Pi would resume with.
 */
export function piEntriesToConversation(
  entries: readonly PiEntry[],
  options: { leafId?: string; source?: string } = {},
): PiConversation {
  const source = options.source ?? "session";
  const warnings: Warning[] = [];
  const path = piActivePath(entries, options.leafId);
  const context = piContextEntries(path);
  const edits = new Map<string, PiEntry>();
  for (const { entry } of context) {
    if (entry.type === "context_edit" && typeof entry.targetId === "string") {
      edits.set(entry.targetId, entry);
    }
  }
  const agentMessages: Record<string, unknown>[] = [];
  const times: (number | undefined)[] = [];
  for (const { entry, active } of context) {
    if (!active) continue;
    let projected = piEntryMessages(entry);
    const edit = edits.get(entry.id);
    if (edit !== undefined) {
      const replacement = edit.replacement;
      if (replacement === null) projected = [];
      else if (isRecord(replacement)) {
        projected = projected.map((m) =>
          ["user", "assistant", "toolResult", "custom"].includes(String(m.role))
            ? {
              ...m,
              content: (m.role === "assistant" || m.role === "toolResult") &&
                  typeof replacement.content === "string"
                ? [{ type: "text", text: replacement.content }]
                : replacement.content,
            }
            : m
        );
      }
    }
    for (const m of projected) {
      agentMessages.push(m);
      times.push(parseTimestamp(entry.timestamp));
    }
  }
  const converted = piMessagesToCanonical(agentMessages, times);
  warnings.push(...converted.warnings);
  const onPath = new Set(path.map((e) => e.id));
  const offBranch = entries.filter((e) => !onPath.has(e.id) && e.type === "message").length;
  if (offBranch > 0) {
    warnings.push({
      code: "side-branch",
      message: `Skipped ${offBranch} message ${
        offBranch === 1 ? "entry" : "entries"
      } of ${source} that ${offBranch === 1 ? "is" : "are"} not on the active branch`,
    });
  }
  const inContext = new Set(context.filter((c) => c.active).map((c) => c.entry.id));
  const compacted = path.filter((e) => e.type === "message" && !inContext.has(e.id)).length;
  if (compacted > 0) {
    warnings.push({
      code: "compacted-history",
      message: `Left out ${compacted} message ${
        compacted === 1 ? "entry" : "entries"
      } of ${source} from before its last compaction: the agent sends its summary in their place`,
    });
  }
  const result: PiConversation = {
    messages: converted.messages,
    warnings,
    offBranchEntries: entries.length - path.length,
    compactions: path.filter((e) => e.type === "compaction").length,
  };
  for (const entry of path) {
    if (entry.type === "model_change") {
      const model = str(entry.modelId);
      if (model !== undefined) result.model = model;
      const provider = str(entry.provider);
      if (provider !== undefined) result.modelProvider = provider;
    } else if (
      entry.type === "message" && isRecord(entry.message) && entry.message.role === "assistant"
    ) {
      const model = str(entry.message.model);
      if (model !== undefined) result.model = model;
      const provider = str(entry.message.provider);
      if (provider !== undefined) result.modelProvider = provider;
    }
  }
  for (const entry of entries) {
    if (
      entry.type === "session_info" && typeof entry.name === "string" && entry.name.trim() !== ""
    ) {
      result.title = entry.name.trim();
    }
  }
  const leaf = path.at(-1);
  if (leaf !== undefined) result.leafId = leaf.id;
  return result;
}
