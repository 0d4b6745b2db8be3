/**
 * Turning Cursor desktop "bubbles" into canonical messages.
 *
 * A bubble is one record of a composer (chat): `type` 1 is the user, 2 the
 * assistant. An assistant reply is several bubbles: prose, thinking, and one
 * bubble per tool call whose `toolFormerData` holds the call and its result.
 * Consecutive assistant bubbles of one model call become one assistant
 * message (its text and calls), followed by one `tool` message with the
 * results in call order.
 *
 * @module
 */
import { parseTimestamp } from "../../model/normalize.ts";
import type { Message, ToolCall, ToolResult, Warning } from "../../model/types.ts";
import { asRecord, nonEmpty } from "./db.ts";

/**
 * The plain text of a Lexical editor state (Cursor's `richText`), one line per
 * paragraph.
 *
 * @param richText The Lexical JSON, as a string or parsed.
 * @returns The text, or "" when it is not Lexical JSON.
 */
export function lexicalText(richText: unknown): string {
  let root: unknown = richText;
  if (typeof richText === "string") {
    try {
      root = JSON.parse(richText);
    } catch {
      return "";
    }
  }
  const top = asRecord(asRecord(root)?.root);
  if (!top) return "";
  const block = (node: unknown, depth: number): string => {
    const n = asRecord(node);
    if (!n || depth > 50) return "";
    if (typeof n.text === "string") return n.text;
    if (n.type === "linebreak") return "\n";
    const children = Array.isArray(n.children) ? n.children : [];
    return children.map((c) => block(c, depth + 1)).join("");
  };
  const children = Array.isArray(top.children) ? top.children : [];
  return children.map((c) => block(c, 0)).join("\n");
}

/**
 * A Lexical editor state holding `text`, one paragraph per line (what Cursor
 * stores as a user bubble's `richText`).
 *
 * @param text The plain text.
 * @returns The Lexical JSON string.
 */
export function lexicalJson(text: string): string {
  const paragraph = (line: string) => ({
    children: line === "" ? [] : [{
      detail: 0,
      format: 0,
      mode: "normal",
      style: "",
      text: line,
      type: "text",
      version: 1,
    }],
    direction: line === "" ? null : "ltr",
    format: "",
    indent: 0,
    type: "paragraph",
    version: 1,
  });
  return JSON.stringify({
    root: {
      children: text.split("\n").map(paragraph),
      direction: "ltr",
      format: "",
      indent: 0,
      type: "root",
      version: 1,
    },
  });
}

/** Parses a JSON string leniently: the parsed value, or the string itself. */
function parseMaybe(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  if (trimmed === "" || !/^[[{"]/.test(trimmed)) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

const OUTPUT_KEYS = [
  "output",
  "contents",
  "content",
  "text",
  "result",
  "stdout",
  "message",
  "error",
];

/**
 * A tool result as text: a JSON string is parsed; an object gives its first
 * text field (`output`, `contents`, …), else its JSON.
 *
 * @param result `toolFormerData.result`.
 * @returns The text.
 */
export function toolResultText(result: unknown): string {
  const value = parseMaybe(result);
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const record = asRecord(value);
  if (record) {
    for (const key of OUTPUT_KEYS) {
      const field = record[key];
      if (typeof field === "string") return field;
    }
  }
  return JSON.stringify(value);
}

/** The input of a tool call: `params` (a JSON string), else `rawArgs`. */
function toolInput(data: Record<string, unknown>): unknown {
  for (const key of ["params", "rawArgs", "args", "input"]) {
    const raw = data[key];
    if (raw === undefined || raw === null || raw === "") continue;
    return parseMaybe(raw);
  }
  return {};
}

function bubbleTime(bubble: Record<string, unknown>): number | undefined {
  const timing = asRecord(bubble.timingInfo);
  return parseTimestamp(bubble.createdAt) ?? parseTimestamp(timing?.clientStartTime) ??
    parseTimestamp(bubble.timestamp);
}

function resultTime(bubble: Record<string, unknown>): number | undefined {
  const timing = asRecord(bubble.timingInfo);
  return parseTimestamp(timing?.clientEndTime) ?? parseTimestamp(timing?.clientSettleTime);
}

/** The role of a bubble: `user`, `assistant`, or `undefined` for unknown kinds. */
export function bubbleRole(bubble: Record<string, unknown>): "user" | "assistant" | undefined {
  const type = bubble.type;
  if (type === 1 || type === "1" || type === "user") return "user";
  if (type === 2 || type === "2" || type === "ai" || type === "assistant") return "assistant";
  return undefined;
}

/** The visible text of a bubble (`text`, else `richText`, else `rawText`), code blocks added. */
export function bubbleText(bubble: Record<string, unknown>): string {
  let text = typeof bubble.text === "string" ? bubble.text : "";
  if (text === "" && bubble.richText !== undefined) text = lexicalText(bubble.richText);
  if (text === "" && typeof bubble.rawText === "string") text = bubble.rawText;
  if (Array.isArray(bubble.codeBlocks)) {
    for (const block of bubble.codeBlocks) {
      const b = asRecord(block);
      const content = typeof b?.content === "string" ? b.content : "";
      if (content.trim() === "" || text.includes(content.trim())) continue;
      const lang = nonEmpty(b?.languageId) ?? "";
      text += `${text === "" ? "" : "\n\n"}\`\`\`${lang}\n${content.replace(/\n$/, "")}\n\`\`\``;
    }
  }
  return text;
}

function bubbleReasoning(bubble: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  const thinking = asRecord(bubble.thinking);
  if (typeof thinking?.text === "string" && thinking.text.trim() !== "") parts.push(thinking.text);
  if (parts.length === 0 && Array.isArray(bubble.allThinkingBlocks)) {
    for (const block of bubble.allThinkingBlocks) {
      const text = asRecord(block)?.text;
      if (typeof text === "string" && text.trim() !== "") parts.push(text);
    }
  }
  return parts.length > 0 ? parts.join("\n\n") : undefined;
}

/** One assistant reply being assembled from its bubbles. */
interface Group {
  message: Message;
  results: ToolResult[];
  resultAt?: number;
  modelCallId?: string;
}

/** What {@linkcode bubblesToMessages} needs per bubble. */
export interface IndexedBubble {
  /** The bubble record. */
  bubble: unknown;
  /** Its position (for warnings). */
  position: number;
}

/**
 * Builds canonical messages from a composer's bubbles, in order.
 *
 * A tool bubble joins the reply being assembled when that reply has no calls
 * yet, or when both carry the same `toolFormerData.modelCallId` (parallel
 * calls of one model call); a prose bubble always starts a new reply, except
 * that it fills a reply that so far holds only thinking.
 *
 * @param bubbles The bubbles in conversation order.
 * @param warnings Receives what was skipped.
 * @returns The messages (indexes not yet dense).
 */
export function bubblesToMessages(
  bubbles: readonly IndexedBubble[],
  warnings: Warning[],
): Message[] {
  const out: Message[] = [];
  let group: Group | undefined;
  const callIds = new Set<string>();

  const flush = (): void => {
    if (!group) return;
    out.push(group.message);
    if (group.results.length > 0) {
      const tool: Message = {
        index: 0,
        role: "tool",
        text: "",
        toolCalls: [],
        toolResults: group.results,
      };
      const at = group.resultAt ?? group.message.timestamp;
      if (at !== undefined) tool.timestamp = at;
      out.push(tool);
    }
    group = undefined;
  };
  const start = (time: number | undefined, modelCallId: string | undefined): Group => {
    const message: Message = {
      index: 0,
      role: "assistant",
      text: "",
      toolCalls: [],
      toolResults: [],
    };
    if (time !== undefined) message.timestamp = time;
    const g: Group = { message, results: [] };
    if (modelCallId !== undefined) g.modelCallId = modelCallId;
    return g;
  };

  for (const { bubble: raw, position } of bubbles) {
    const bubble = asRecord(raw);
    if (!bubble) {
      warnings.push({
        code: "malformed-record",
        message: `Skipped bubble ${position + 1}: not a JSON object`,
      });
      continue;
    }
    const role = bubbleRole(bubble);
    const time = bubbleTime(bubble);
    if (role === undefined) {
      warnings.push({
        code: "unknown-record",
        message: `Skipped bubble ${position + 1}: unknown type ${JSON.stringify(bubble.type)}`,
      });
      continue;
    }
    if (role === "user") {
      flush();
      const text = bubbleText(bubble);
      if (text.trim() === "") continue;
      const message: Message = { index: 0, role: "user", text, toolCalls: [], toolResults: [] };
      if (time !== undefined) message.timestamp = time;
      message.extra = { bubbleId: bubble.bubbleId };
      out.push(message);
      continue;
    }
    const tool = asRecord(bubble.toolFormerData);
    const toolName = nonEmpty(tool?.name);
    const model = nonEmpty(asRecord(bubble.modelInfo)?.modelName) ?? nonEmpty(bubble.modelType);
    const text = bubbleText(bubble);
    const reasoning = bubbleReasoning(bubble);
    const modelCallId = nonEmpty(tool?.modelCallId) ?? nonEmpty(bubble.modelCallId);
    const compatible = (g: Group): boolean =>
      g.modelCallId === undefined || modelCallId === undefined || g.modelCallId === modelCallId;
    if (tool && toolName) {
      const joins = group !== undefined &&
        (group.message.toolCalls.length === 0
          ? compatible(group)
          : modelCallId !== undefined && group.modelCallId === modelCallId);
      if (!joins) {
        flush();
        group = start(time, modelCallId);
      }
      const g = group as Group;
      if (g.modelCallId === undefined && modelCallId !== undefined) g.modelCallId = modelCallId;
      if (text.trim() !== "") g.message.text += (g.message.text === "" ? "" : "\n\n") + text;
      let id = nonEmpty(tool.toolCallId) ?? nonEmpty(bubble.bubbleId) ?? `cursor-call-${position}`;
      while (callIds.has(id)) id = `${id}-${position}`;
      callIds.add(id);
      const call: ToolCall = { id, name: toolName, input: toolInput(tool) };
      g.message.toolCalls.push(call);
      const status = nonEmpty(tool.status)?.toLowerCase();
      const additional = asRecord(tool.additionalData);
      const failed = status === "error" || status === "cancelled" || status === "rejected" ||
        nonEmpty(additional?.status)?.toLowerCase() === "error";
      let output: string | undefined;
      if (tool.result !== undefined && tool.result !== null) output = toolResultText(tool.result);
      else if (tool.error !== undefined && tool.error !== null) output = toolResultText(tool.error);
      else if (failed) output = `(${status ?? "error"})`;
      else if (status === "completed") output = "";
      if (output !== undefined) {
        g.results.push({ callId: id, output, isError: failed, name: toolName });
        const at = resultTime(bubble);
        if (g.resultAt === undefined && at !== undefined) g.resultAt = at;
      }
      if (model !== undefined && g.message.author === undefined) g.message.author = model;
      continue;
    }
    if (text.trim() === "" && reasoning === undefined) continue;
    const fills = group !== undefined && group.message.toolCalls.length === 0 &&
      group.message.text === "" && compatible(group);
    if (!fills) {
      flush();
      group = start(time, modelCallId);
    }
    const g = group as Group;
    if (g.modelCallId === undefined && modelCallId !== undefined) g.modelCallId = modelCallId;
    if (text.trim() !== "") g.message.text = text;
    if (reasoning !== undefined) {
      g.message.reasoning = g.message.reasoning === undefined
        ? reasoning
        : `${g.message.reasoning}\n\n${reasoning}`;
    }
    if (model !== undefined && g.message.author === undefined) g.message.author = model;
  }
  flush();
  return out;
}
