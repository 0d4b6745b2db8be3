/**
 * The Cline family's stored model messages (Anthropic `MessageParam`s plus
 * `ts`, `id`, `modelInfo`) to canonical messages, and back.
 *
 * Reading: tool results ride in user messages; Cline CLI 3.x writes one user
 * message per result, whose `content` is an array of `{query, result, success,
 * error}` records; the extension writes strings or text blocks. A reply's
 * `tool_use` blocks answered by text (`[read_file for 'a.ts'] Result:` and the
 * output, as the extension stored them when it could not map a call's id) get
 * those texts as their results, by tool name, then in order. Consecutive
 * result-only messages become one canonical `tool` message. The prompt
 * wrappers (`<user_input mode="act">`, `<task>`, `<user_message>`,
 * `<feedback>`) are removed; injected context (`<environment_details>`, task
 * resumption notes) becomes `system`.
 *
 * @module
 */
import { blocksToPieces, sanitizeToolId, toolResultText } from "../../formats/anthropic.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { parseTimestamp, toolInputObject } from "../../model/normalize.ts";
import type { ImageContent, Message, ToolResult, Warning } from "../../model/types.ts";

/** A prompt wrapper: the tag and the pattern that cuts the prompt out of it. */
const WRAPPERS: readonly RegExp[] = [
  /^<user_input(?:\s+[^>]*)?>([\s\S]*)<\/user_input>$/,
  /^<task>\n?([\s\S]*?)\n?<\/task>$/,
  /^<user_message>\n?([\s\S]*?)\n?<\/user_message>$/,
  /^<feedback>\n?([\s\S]*?)\n?<\/feedback>$/,
  /^<answer>\n?([\s\S]*?)\n?<\/answer>$/,
];

/** Text blocks the agent injects, which the human did not type. */
const SCAFFOLDING: readonly RegExp[] = [
  /^<environment_details>/,
  /^\[TASK RESUMPTION\]/,
  /^<explicit_instructions\b/,
  /^\[Response interrupted/,
  /^<files>\n/,
  /^# (task_progress|TODO LIST)/,
];

/**
 * The prompt inside a Cline wrapper, or the text itself.
 *
 * @param text A user text block.
 * @returns The prompt.
 */
export function unwrapPrompt(text: string): string {
  const trimmed = text.trim();
  for (const re of WRAPPERS) {
    const match = re.exec(trimmed);
    if (match) return match[1] ?? "";
  }
  return text;
}

/** Whether a user text block is injected scaffolding (→ `system`). */
export function isScaffolding(text: string): boolean {
  const trimmed = text.trimStart();
  return SCAFFOLDING.some((re) => re.test(trimmed));
}

/**
 * A tool result's `content` as text. Cline CLI 3.x stores an array of
 * `{query, result, success, error}` records (one per command or file); their
 * `result` texts are joined (else `error`). Anything else is flattened like an
 * Anthropic `tool_result`.
 *
 * @param content The stored content.
 * @returns The output text and whether a record reported failure.
 */
export function resultContent(
  content: unknown,
): { output: string; failed: boolean; images: ImageContent[] } {
  const images: ImageContent[] = [];
  if (Array.isArray(content) && content.length > 0 && content.every(isRecord)) {
    const records = content as Record<string, unknown>[];
    if (records.some((r) => "result" in r || "query" in r || "success" in r)) {
      const parts: string[] = [];
      let failed = false;
      for (const r of records) {
        if (r.success === false) failed = true;
        const blocks = Array.isArray(r.result) && r.result.length > 0 &&
            r.result.every((b) => isRecord(b) && typeof b.type === "string")
          ? r.result as Record<string, unknown>[]
          : undefined;
        if (typeof r.result === "string") parts.push(r.result);
        else if (blocks !== undefined) {
          // `read_files` of a picture: a text block and an `image` block.
          parts.push(...blockTexts(blocks));
          images.push(...blockImages(blocks, str(r.query)));
        } else if (typeof r.error === "string") parts.push(r.error);
        else if (r.result !== undefined) parts.push(JSON.stringify(r.result));
        else if (!("type" in r)) parts.push(JSON.stringify(r));
        else parts.push(toolResultText([r]));
      }
      return { output: parts.join("\n"), failed, images };
    }
  }
  return { output: toolResultText(content), failed: false, images };
}

/** The texts of result blocks (`{type: "text", text}`). */
function blockTexts(blocks: readonly Record<string, unknown>[]): string[] {
  return blocks.flatMap((b) => b.type === "text" && typeof b.text === "string" ? [b.text] : []);
}

/** The pictures of result blocks (`{type: "image", data, mediaType}`), named after the file. */
function blockImages(
  blocks: readonly Record<string, unknown>[],
  source: string | undefined,
): ImageContent[] {
  return blocks.flatMap((b): ImageContent[] => {
    if (b.type !== "image" || typeof b.data !== "string") return [];
    const image: ImageContent = { mediaType: str(b.mediaType) ?? "image/png", data: b.data };
    if (source !== undefined) image.source = source;
    return [image];
  });
}

function newMessage(role: Message["role"], text: string, ts: number | undefined): Message {
  const message: Message = { index: 0, role, text, toolCalls: [], toolResults: [] };
  if (ts !== undefined) message.timestamp = ts;
  return message;
}

function authorOf(record: Record<string, unknown>): string | undefined {
  const info = record.modelInfo;
  if (!isRecord(info)) return undefined;
  return str(info.id) ?? str(info.modelId);
}

/** The id prefix casr gives stored result messages: `casr-results-<tool message>-<n>`. */
const RESULT_GROUP_RE = /^casr-results-(\d+)-/;

/** Which casr-written tool message a stored message belongs to, if any. */
function resultGroup(record: Record<string, unknown>): string | undefined {
  return typeof record.id === "string" ? RESULT_GROUP_RE.exec(record.id)?.[1] : undefined;
}

/**
 * Appends results to the previous message when it is a tool message (Cline CLI
 * stores one result per message), else starts one. Messages casr wrote for two
 * different tool messages (see {@linkcode RESULT_GROUP_RE}) stay apart.
 */
function pushResults(
  out: Message[],
  results: ToolResult[],
  ts: number | undefined,
  groups: Map<Message, string | undefined>,
  group: string | undefined,
): void {
  const last = out.at(-1);
  if (last !== undefined && last.role === "tool" && last.text === "") {
    const lastGroup = groups.get(last);
    if (lastGroup === undefined || group === undefined || lastGroup === group) {
      last.toolResults.push(...results);
      return;
    }
  }
  const message = newMessage("tool", "", ts);
  message.toolResults = results;
  groups.set(message, group);
  out.push(message);
}

/**
 * The header Cline puts before a tool's result text: `[read_file for 'a.ts'] Result:`,
 * `[attempt_completion] Result:`; the part in brackets quotes the call's
 * input, which may hold brackets and lines of its own.
 */
const RESULT_HEADER_RE = /^\[[\s\S]*?\] Result:/;

/** Cline's text for a tool that failed (`formatResponse.toolError`). */
const TOOL_ERROR_RE = /^\[[\s\S]*?\] Result:\s*The tool execution failed with the following error:/;

/** Cline's text for a call it skipped, one tool being allowed per reply (`formatResponse.toolAlreadyUsed`). */
const NOT_RUN_RE = /^Tool \[([^\]\n]+)\] was not executed because a tool has already been used/;

/** A call of the reply before, not answered yet. */
interface OpenCall {
  id: string;
  name: string;
}

/** Takes the first open call named `name`, else the first open call. */
function takeCall(open: OpenCall[], name: string | undefined): string {
  const named = name === undefined ? -1 : open.findIndex((c) => c.name === name);
  return open.splice(named === -1 ? 0 : named, 1)[0]!.id;
}

/**
 * Tool results Cline stored as text after a reply's `tool_use` blocks (3.5x on
 * Anthropic's API did so when a call's id was not mapped): each text block that
 * starts with a result header (`[read_file for 'a.ts'] Result:`) answers the
 * open call of that tool, else the next one, with the whole text as its output
 * (a header alone takes the text block after it); Cline's note that a call was
 * not run answers that call as an error. The blocks left are returned.
 */
function textResults(
  blocks: readonly unknown[],
  open: OpenCall[],
  results: ToolResult[],
): unknown[] {
  const rest: unknown[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    const text = isRecord(block) && block.type === "text" && typeof block.text === "string"
      ? block.text
      : undefined;
    const notRun = text === undefined ? null : NOT_RUN_RE.exec(text);
    if (text === undefined || open.length === 0 || (!notRun && !RESULT_HEADER_RE.test(text))) {
      rest.push(block);
      continue;
    }
    if (notRun) {
      results.push({ callId: takeCall(open, notRun[1]), output: text, isError: true });
      continue;
    }
    let output = text;
    const next = blocks[i + 1];
    if (
      text.trim().endsWith("Result:") && isRecord(next) && next.type === "text" &&
      typeof next.text === "string" && !RESULT_HEADER_RE.test(next.text) &&
      !isScaffolding(next.text)
    ) {
      output = `${text.trimEnd()}\n${next.text}`;
      i++;
    }
    const name = /^\[([A-Za-z0-9_.-]+)/.exec(text)?.[1];
    results.push({ callId: takeCall(open, name), output, isError: TOOL_ERROR_RE.test(output) });
  }
  return rest;
}

/**
 * Converts one stored user message: its tool results first (one `tool`
 * message, merged with a directly preceding one), then its typed text (`user`)
 * and injected text (`system`). `open` holds the calls of the reply before it
 * that no result answered yet.
 */
function userMessage(
  record: Record<string, unknown>,
  out: Message[],
  ts: number | undefined,
  groups: Map<Message, string | undefined>,
  open: OpenCall[],
): void {
  const content = record.content;
  if (typeof content === "string") {
    const text = unwrapPrompt(content);
    out.push(newMessage(isScaffolding(content) ? "system" : "user", text, ts));
    return;
  }
  if (!Array.isArray(content)) return;
  const results: ToolResult[] = [];
  const resultImages: ImageContent[] = [];
  const typed: string[] = [];
  const injected: string[] = [];
  const rest: unknown[] = [];
  const hasBlocks = content.some((b) => isRecord(b) && b.type === "tool_result");
  const blocks = hasBlocks ? content : textResults(content, open, results);
  for (const block of blocks) {
    if (isRecord(block) && block.type === "tool_result") {
      const { output, failed, images } = resultContent(block.content);
      resultImages.push(...images);
      const result: ToolResult = {
        callId: typeof block.tool_use_id === "string" ? block.tool_use_id : "",
        output,
        isError: block.is_error === true || failed,
      };
      const name = str(block.name);
      if (name !== undefined) result.name = name;
      results.push(result);
      const at = open.findIndex((c) => c.id === result.callId);
      if (at !== -1) open.splice(at, 1);
    } else if (isRecord(block) && block.type === "text" && typeof block.text === "string") {
      if (isScaffolding(block.text)) injected.push(block.text);
      else typed.push(unwrapPrompt(block.text));
    } else rest.push(block);
  }
  const other = blocksToPieces(rest).text;
  if (other !== "") typed.push(other);
  if (results.length > 0) pushResults(out, results, ts, groups, resultGroup(record));
  // Cline sends a result's pictures as a user message of their own after the results.
  if (resultImages.length > 0) out.push({ ...newMessage("user", "", ts), images: resultImages });
  const text = typed.filter((t) => t.trim() !== "").join("\n");
  if (text !== "") out.push(newMessage("user", text, ts));
  if (injected.length > 0) out.push(newMessage("system", injected.join("\n"), ts));
}

/**
 * Converts stored messages to canonical ones.
 *
 * @param items The parsed array elements with their positions.
 * @param file The file, for warnings.
 * @param warnings Receives one warning per unusable record.
 * @returns The messages (indexes not yet dense).
 */
export function storedToCanonical(
  items: readonly { index: number; value: unknown }[],
  file: string,
  warnings: Warning[],
): Message[] {
  const out: Message[] = [];
  const groups = new Map<Message, string | undefined>();
  /** The last reply's calls that no result answered yet. */
  let open: OpenCall[] = [];
  for (const { index, value } of items) {
    if (!isRecord(value)) {
      warnings.push({
        code: "malformed-record",
        message: `Skipped message ${index} of "${file}": not an object`,
      });
      continue;
    }
    const ts = parseTimestamp(value.ts);
    if (value.role === "user") userMessage(value, out, ts, groups, open);
    else if (value.role === "assistant") {
      const pieces = blocksToPieces(value.content);
      const message = newMessage("assistant", pieces.text, ts);
      message.toolCalls = pieces.toolCalls;
      open = pieces.toolCalls.map((c) => ({ id: c.id, name: c.name }));
      if (pieces.reasoning !== "") message.reasoning = pieces.reasoning;
      const author = authorOf(value);
      if (author !== undefined) message.author = author;
      out.push(message);
    } else {
      warnings.push({
        code: "malformed-record",
        message: `Skipped message ${index} of "${file}": unknown role ${
          JSON.stringify(value.role ?? null)
        }`,
      });
    }
  }
  return out;
}

/** How {@linkcode canonicalToStored} writes prompts and results. */
export interface StoredStyle {
  /** Wraps a user prompt (the first, or every one). */
  wrapPrompt(text: string, first: boolean): string;
  /** Whether each tool result is its own user message (Cline CLI) or all share one. */
  resultPerMessage: boolean;
  /** Extra fields for each message (ids, model info). */
  decorate?(message: Message, stored: Record<string, unknown>, position: number): void;
}

/**
 * Converts canonical messages to stored ones: user text, assistant text and
 * `tool_use` blocks (sanitized ids, object inputs), tool results as
 * `tool_result` blocks in user messages, each carrying the tool `name` (the
 * Cline CLI rejects a result without it) and `is_error` when set. System and
 * other messages are skipped; every message gets its `ts`.
 *
 * @param messages The canonical conversation (user, assistant, tool).
 * @param times One timestamp per message.
 * @param style How prompts and results are written.
 * @returns The stored messages.
 */
export function canonicalToStored(
  messages: readonly Message[],
  times: readonly number[],
  style: StoredStyle,
): Record<string, unknown>[] {
  const idMap = new Map<string, string>();
  const callNames = new Map<string, string>();
  const out: Record<string, unknown>[] = [];
  let sawPrompt = false;
  let toolMessages = 0;
  messages.forEach((message, i) => {
    const ts = times[i] ?? 0;
    const push = (record: Record<string, unknown>) => {
      style.decorate?.(message, record, out.length);
      out.push(record);
    };
    if (message.role === "user") {
      push({
        role: "user",
        content: [{ type: "text", text: style.wrapPrompt(message.text, !sawPrompt) }],
        ts,
      });
      sawPrompt = true;
    } else if (message.role === "assistant") {
      const content: Record<string, unknown>[] = [];
      if (message.text !== "") content.push({ type: "text", text: message.text });
      for (const call of message.toolCalls) {
        const id = sanitizeToolId(call.id, idMap);
        callNames.set(id, call.name);
        content.push({ type: "tool_use", id, name: call.name, input: toolInputObject(call.input) });
      }
      if (content.length === 0) content.push({ type: "text", text: "" });
      push({ role: "assistant", content, ts });
    } else if (message.role === "tool") {
      const blocks = message.toolResults.map((result) => {
        const id = sanitizeToolId(result.callId, idMap);
        const block: Record<string, unknown> = {
          type: "tool_result",
          tool_use_id: id,
          name: callNames.get(id) ?? result.name ?? "tool",
          content: result.output,
        };
        if (result.isError) block.is_error = true;
        return block;
      });
      if (message.text !== "") blocks.push({ type: "text", text: message.text });
      // The ids keep two consecutive tool messages apart when read back.
      const group = toolMessages++;
      const withId = (record: Record<string, unknown>, n: number) => {
        push(record);
        record.id = `casr-results-${group}-${n}`;
      };
      if (style.resultPerMessage) {
        blocks.forEach((block, n) => withId({ role: "user", content: [block], ts }, n));
      } else if (blocks.length > 0) withId({ role: "user", content: blocks, ts }, 0);
    }
  });
  return out;
}

/**
 * The result Cline CLI 3.x sends on resume for a call with no stored result (its turn was cut
 * off while the call ran); seen in the genuine messy fixture.
 *
 * @param name The tool's name.
 * @returns The result text.
 */
export function interruptedResultText(name: string): string {
  return `Tool execution was interrupted before a result was produced. Tool: ${name}.`;
}

/**
 * Gives every call without a stored result the result Cline CLI sends for it on resume
 * ({@linkcode interruptedResultText}, flagged as an error): added to the tool message that
 * follows the call, or a new one.
 *
 * @param messages Canonical messages of a Cline CLI session (changed in place where a tool
 *   message gains results).
 * @returns The messages with the added results.
 */
export function withInterruptedResults(messages: readonly Message[]): Message[] {
  const out: Message[] = [];
  for (const [i, message] of messages.entries()) {
    out.push(message);
    if (message.role !== "assistant" || message.toolCalls.length === 0) continue;
    const answered = new Set<string>();
    for (let j = i + 1; j < messages.length; j++) {
      const next = messages[j]!;
      // The results' own pictures come as a user message without text right after them.
      if (next.role !== "tool" && !(next.role === "user" && next.text === "")) break;
      for (const result of next.toolResults) answered.add(result.callId);
    }
    const results: ToolResult[] = message.toolCalls.filter((call) => !answered.has(call.id))
      .map((call) => ({
        callId: call.id,
        name: call.name,
        output: interruptedResultText(call.name),
        isError: true,
      }));
    if (results.length === 0) continue;
    const following = messages[i + 1];
    if (following?.role === "tool") following.toolResults.push(...results);
    else out.push({ ...newMessage("tool", "", message.timestamp), toolResults: results });
  }
  return out;
}
