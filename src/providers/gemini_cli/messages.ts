/**
 * Mapping folded Gemini CLI message records to canonical messages.
 *
 * - `user` → `user`; text starting with `<session_context>` or `<hook_context>`
 *   (scaffolding the CLI injects) → `system`; text starting with `/` or `?`
 *   (commands the CLI never sends to the model) → `other`; a zero-width space
 *   that casr's writer put before such a prompt is removed (role `user`); `functionResponse`
 *   parts → a `tool` message (dropped when the same call ids were already read
 *   from the preceding `gemini` record's `toolCalls[].result`, which Gemini CLI
 *   ≥ 0.44 records twice).
 * - Images (`inlineData` / `fileData` parts with an `image/*` type) → `images`:
 *   a prompt's (`@file.png`) on the user message; those in a
 *   `functionResponse`'s own `parts`, or the image parts right after it (how
 *   `read_file` returns an image), on that tool result.
 * - `gemini` (or `model`, in older files) → `assistant`: text from the content string or non-thought text
 *   parts; `thought` parts or `thoughts[]` → `reasoning`; `functionCall` parts
 *   and `toolCalls[]` → `toolCalls` (deduplicated by call id); the results in
 *   `toolCalls[].result` → one `tool` message right after. A `gemini` record
 *   holding only tool calls right after an assistant message joins it.
 * - `info`, `warning`, `error` → `other`.
 *
 * @module
 */
import type { ImageContent, Message, Role, ToolCall, ToolResult } from "../../model/types.ts";
import { flattenContent, parseTimestamp } from "../../model/normalize.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import type { NativeMessage } from "./fold.ts";

type Part = Record<string, unknown>;

const SCAFFOLD_PREFIXES = ["<session_context>", "<hook_context>"];
/** The zero-width space casr's writer puts before prompts Gemini would skip. */
const PROMPT_GUARD = "\u200B";

function isGuarded(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith("/") || t.startsWith("?") || SCAFFOLD_PREFIXES.some((p) => t.startsWith(p));
}

/** The content of a record as a list of parts (a string becomes one text part). */
export function toParts(content: unknown): Record<string, unknown>[] {
  if (content === undefined || content === null) return [];
  if (typeof content === "string") return [{ text: content }];
  if (Array.isArray(content)) {
    return content.map((p) => (typeof p === "string" ? { text: p } : p)).filter(isRecord);
  }
  return isRecord(content) ? [content] : [];
}

function partsText(parts: readonly Part[]): string {
  return parts.filter((p) => typeof p.text === "string" && p.thought !== true)
    .map((p) => p.text as string).join("");
}

/**
 * The text and error flag of one `functionResponse.response`: `output`, else
 * `error` (an error), else the whole response as JSON.
 *
 * @param response The response object (or any value).
 * @returns The output text and whether it is an error.
 */
export function responseOutput(response: unknown): { output: string; isError: boolean } {
  if (!isRecord(response)) {
    return {
      output: typeof response === "string" ? response : JSON.stringify(response) ?? "",
      isError: false,
    };
  }
  const hasError = response.error !== undefined && response.error !== null;
  const pick = response.output !== undefined
    ? response.output
    : hasError
    ? response.error
    : undefined;
  if (pick === undefined) return { output: JSON.stringify(response), isError: false };
  const output = typeof pick === "string" ? pick : JSON.stringify(pick) ?? "";
  return { output, isError: hasError };
}

function functionResponses(parts: readonly Part[]): Part[] {
  return parts.map((p) => p.functionResponse).filter(isRecord);
}

/**
 * The image of one part: `inlineData` (`{mimeType, data}`) or `fileData`
 * (`{mimeType, fileUri}`) with an `image/*` type.
 *
 * @param part A Gemini API part.
 * @returns The image, or `undefined` for other parts.
 */
export function imageOfPart(part: Part): ImageContent | undefined {
  if (isRecord(part.inlineData)) {
    const mediaType = str(part.inlineData.mimeType);
    if (mediaType === undefined || !mediaType.startsWith("image/")) return undefined;
    const image: ImageContent = { mediaType };
    if (typeof part.inlineData.data === "string") image.data = part.inlineData.data;
    const name = str(part.inlineData.displayName);
    if (name !== undefined) image.source = name;
    return image;
  }
  if (isRecord(part.fileData)) {
    const mediaType = str(part.fileData.mimeType);
    const uri = str(part.fileData.fileUri);
    if (mediaType === undefined || !mediaType.startsWith("image/") || uri === undefined) {
      return undefined;
    }
    return { mediaType, source: uri };
  }
  return undefined;
}

/** The images a `functionResponse` holds in its own `parts` (multimodal function responses). */
function responseImages(response: Part): ImageContent[] {
  const parts = Array.isArray(response.parts) ? response.parts.filter(isRecord) : [];
  return parts.map(imageOfPart).filter((i): i is ImageContent => i !== undefined);
}

/**
 * Splits parts into the images that belong to each `functionResponse` (its own
 * `parts`, then the image parts that follow it up to the next response, which is
 * how Gemini CLI sends a `read_file` image to models without multimodal function
 * responses) and the images before any response (a prompt's `@file.png`).
 */
function imagesAround(
  parts: readonly Part[],
): { loose: ImageContent[]; byResponse: Map<Part, ImageContent[]> } {
  const loose: ImageContent[] = [];
  const byResponse = new Map<Part, ImageContent[]>();
  let current: ImageContent[] | undefined;
  for (const part of parts) {
    if (isRecord(part.functionResponse)) {
      current = responseImages(part.functionResponse);
      byResponse.set(part.functionResponse, current);
      continue;
    }
    const image = imageOfPart(part);
    if (image !== undefined) (current ?? loose).push(image);
  }
  return { loose, byResponse };
}

function withImages<T extends { images?: ImageContent[] }>(
  target: T,
  images: ImageContent[] | undefined,
): T {
  if (images !== undefined && images.length > 0) {
    target.images = [...(target.images ?? []), ...images];
  }
  return target;
}

function toolCallResult(
  call: Record<string, unknown>,
  id: string,
  name: string,
): ToolResult | undefined {
  const result = call.result;
  if (result === undefined || result === null) return undefined;
  const status = str(call.status);
  const statusError = status !== undefined && status !== "success";
  if (typeof result === "string") {
    return { callId: id, output: result, isError: statusError, name };
  }
  const parts = toParts(result);
  const responses = functionResponses(parts);
  const own = responses.find((r) => r.id === id) ??
    responses.find((r) => r.id === undefined && r.name === name) ??
    (responses.length === 1 && responses[0]?.id === undefined ? responses[0] : undefined);
  if (own !== undefined) {
    const { output, isError } = responseOutput(own.response);
    const found: ToolResult = { callId: id, output, isError: isError || statusError, name };
    return withImages(found, imagesAround(parts).byResponse.get(own));
  }
  if (responses.length > 0) return undefined;
  const text = flattenContent(parts.filter((p) => typeof p.text === "string"));
  if (text === "" && parts.length === 0) return undefined;
  const loose: ToolResult = { callId: id, output: text, isError: statusError, name };
  return withImages(loose, imagesAround(parts).loose);
}

function reasoningOf(record: NativeMessage, parts: readonly Part[]): string | undefined {
  const fromParts = parts.filter((p) => p.thought === true && typeof p.text === "string")
    .map((p) => p.text as string);
  if (fromParts.length > 0) return fromParts.join("\n");
  if (!Array.isArray(record.thoughts)) return undefined;
  const lines = record.thoughts.filter(isRecord).map((t) => {
    const subject = str(t.subject);
    const description = typeof t.description === "string" ? t.description : "";
    return subject === undefined ? description : `**${subject}** ${description}`;
  }).filter((line) => line.trim() !== "");
  return lines.length > 0 ? lines.join("\n") : undefined;
}

function base(role: Role, text: string, record: NativeMessage): Message {
  const message: Message = { index: 0, role, text, toolCalls: [], toolResults: [], extra: record };
  const timestamp = parseTimestamp(record.timestamp);
  if (timestamp !== undefined) message.timestamp = timestamp;
  return message;
}

/** Builds canonical messages from folded native records, keeping the conventions above. */
class Builder {
  readonly out: Message[] = [];
  readonly seenResults = new Set<string>();
  /** The assistant message that may still absorb a tool-call-only record. */
  openAssistant: Message | undefined;

  push(message: Message): void {
    // Duplicate results (v0.44+) follow their reply directly; ids may repeat in later turns.
    if (message.role === "user" || message.role === "assistant") this.seenResults.clear();
    this.out.push(message);
    this.openAssistant = message.role === "assistant" ? message : undefined;
  }

  pushResults(results: ToolResult[], timestamp: number | undefined, record: NativeMessage): void {
    const fresh = results.filter((r) => !this.seenResults.has(r.callId));
    if (fresh.length === 0) return;
    for (const r of fresh) this.seenResults.add(r.callId);
    const last = this.out.at(-1);
    if (last !== undefined && last.role === "tool") {
      last.toolResults.push(...fresh);
      (last.extra as unknown[]).push(record);
      return;
    }
    const message: Message = {
      index: 0,
      role: "tool",
      text: "",
      toolCalls: [],
      toolResults: fresh,
      extra: [record],
    };
    if (timestamp !== undefined) message.timestamp = timestamp;
    this.push(message);
  }

  user(record: NativeMessage): void {
    const parts = toParts(record.content);
    const responses = functionResponses(parts);
    const images = imagesAround(parts);
    if (responses.length > 0) {
      const results = responses.map((r, i) => {
        const { output, isError } = responseOutput(r.response);
        const name = str(r.name);
        const result: ToolResult = {
          callId: str(r.id) ?? `${record.id}_response_${i}`,
          output,
          isError,
        };
        if (name !== undefined) result.name = name;
        return withImages(result, images.byResponse.get(r));
      });
      this.pushResults(results, parseTimestamp(record.timestamp), record);
    }
    let text = partsText(parts);
    if (text.trim() === "" && images.loose.length === 0) return;
    const trimmed = text.trimStart();
    let role: Role = "user";
    if (SCAFFOLD_PREFIXES.some((p) => trimmed.startsWith(p))) role = "system";
    else if (trimmed.startsWith("/") || trimmed.startsWith("?")) role = "other";
    else if (trimmed.startsWith(PROMPT_GUARD) && isGuarded(trimmed.slice(1))) {
      // casr's writer guards prompts Gemini would take for commands; drop the guard.
      text = trimmed.slice(1);
    }
    this.push(withImages(base(role, text, record), images.loose));
  }

  gemini(record: NativeMessage): void {
    const parts = toParts(record.content);
    const text = partsText(parts);
    const reasoning = reasoningOf(record, parts);
    const calls: ToolCall[] = [];
    const nativeCalls = Array.isArray(record.toolCalls) ? record.toolCalls.filter(isRecord) : [];
    const claimed = new Set<Record<string, unknown>>();
    parts.map((p) => p.functionCall).filter(isRecord).forEach((fc, i) => {
      const name = str(fc.name) ?? "unknown";
      let id = str(fc.id);
      if (id === undefined) {
        const match = nativeCalls.find((c) => !claimed.has(c) && c.name === name);
        if (match !== undefined) claimed.add(match);
        id = str(match?.id) ?? `${record.id}_call_${i}`;
      }
      calls.push({ id, name, input: fc.args ?? {} });
    });
    const results: ToolResult[] = [];
    let resultTime: number | undefined;
    nativeCalls.forEach((c, i) => {
      const name = str(c.name) ?? "unknown";
      const id = str(c.id) ?? `${record.id}_call_${calls.length + i}`;
      if (!calls.some((call) => call.id === id)) calls.push({ id, name, input: c.args ?? {} });
      const result = toolCallResult(c, id, name);
      if (result === undefined) return;
      results.push(result);
      const time = parseTimestamp(c.timestamp);
      if (time !== undefined && (resultTime === undefined || time > resultTime)) resultTime = time;
    });
    if (text.trim() === "" && calls.length === 0 && reasoning === undefined) return;
    const open = this.openAssistant;
    if (open !== undefined && text.trim() === "" && calls.length > 0) {
      open.toolCalls.push(...calls);
      if (reasoning !== undefined) {
        open.reasoning = open.reasoning === undefined
          ? reasoning
          : `${open.reasoning}\n${reasoning}`;
      }
      open.extra = [...(Array.isArray(open.extra) ? open.extra : [open.extra]), record];
    } else {
      const message = base("assistant", text, record);
      message.toolCalls = calls;
      if (reasoning !== undefined) message.reasoning = reasoning;
      const model = str(record.model);
      if (model !== undefined) message.author = model;
      this.push(message);
    }
    this.pushResults(results, resultTime ?? parseTimestamp(record.timestamp), record);
  }

  other(record: NativeMessage): void {
    const text = flattenContent(record.content);
    this.push(base("other", text, record));
  }
}

/**
 * Converts folded native records to canonical messages (indexes are not set).
 *
 * @param records The folded records, in order.
 * @returns The canonical messages.
 */
export function nativeToCanonical(records: readonly NativeMessage[]): Message[] {
  const builder = new Builder();
  for (const record of records) {
    if (record.type === "user") builder.user(record);
    // Older files name model turns `model` (the Gemini API role).
    else if (record.type === "gemini" || record.type === "model") builder.gemini(record);
    else builder.other(record);
  }
  return builder.out;
}
