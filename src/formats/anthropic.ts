/**
 * Anthropic Messages API content blocks, and pure conversions between them and
 * the canonical model. Shared by every agent that stores Anthropic-shaped
 * messages (Claude Code, OpenCode, Cline); it imports no provider.
 *
 * @module
 */
import type { ImageContent, Message, ToolCall, ToolResult } from "../model/types.ts";
import { flattenContent, toolInputObject } from "../model/normalize.ts";
import { imageTypeFromName } from "./images.ts";

/** A `text` block. */
export interface AnthropicTextBlock {
  /** Block kind. */
  type: "text";
  /** The text. */
  text: string;
}

/** A `thinking` block (its `signature` is only valid for the model that wrote it). */
export interface AnthropicThinkingBlock {
  /** Block kind. */
  type: "thinking";
  /** The reasoning text. */
  thinking: string;
  /** The opaque signature. */
  signature?: string;
}

/** A `redacted_thinking` block (encrypted reasoning; never readable). */
export interface AnthropicRedactedThinkingBlock {
  /** Block kind. */
  type: "redacted_thinking";
  /** The encrypted payload. */
  data: string;
}

/** A `tool_use` block: the model calls a tool. */
export interface AnthropicToolUseBlock {
  /** Block kind. */
  type: "tool_use";
  /** The call id, `[A-Za-z0-9_-]+`. */
  id: string;
  /** The tool name. */
  name: string;
  /** The tool input object. */
  input: Record<string, unknown>;
}

/** A `tool_result` block: the answer to one `tool_use`, sent in a user message. */
export interface AnthropicToolResultBlock {
  /** Block kind. */
  type: "tool_result";
  /** The `tool_use.id` this answers. */
  tool_use_id: string;
  /** The result: a string or an array of text/image blocks. */
  content?: string | AnthropicContentBlock[];
  /** Whether the tool failed. */
  is_error?: boolean;
}

/** An `image` block. */
export interface AnthropicImageBlock {
  /** Block kind. */
  type: "image";
  /** Where the image comes from (`base64` data or a `url`). */
  source: { type: string; media_type?: string; data?: string; url?: string };
}

/** Any content block, known or not. */
export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicImageBlock
  | { type: string; [key: string]: unknown };

/** The canonical pieces found in one content value. */
export interface AnthropicPieces {
  /** Text blocks (and placeholders for images/documents) joined with "\n". */
  text: string;
  /** Readable thinking joined with "\n" ("" when none). */
  reasoning: string;
  /** `tool_use` blocks, in order. */
  toolCalls: ToolCall[];
  /** `tool_result` blocks, in order. */
  toolResults: ToolResult[];
  /** How many image blocks were seen (top level only). */
  images: number;
  /**
   * The top-level image blocks as canonical images, in order (filled only with
   * {@linkcode BlocksToPiecesOptions.images}).
   */
  imageContents: ImageContent[];
}

/** Options for {@linkcode blocksToPieces}. */
export interface BlocksToPiecesOptions {
  /**
   * Keep images as images: top-level `image` blocks go to
   * {@linkcode AnthropicPieces.imageContents} and those inside a `tool_result`
   * to its {@linkcode ToolResult.images}, with no `[image]` placeholder in the
   * text. Off by default (the placeholder stands in for the image).
   */
  images?: boolean;
}

/** The text that stands for an image block in canonical text. */
export const IMAGE_PLACEHOLDER = "[image]";
/** The text that stands for a document block in canonical text. */
export const DOCUMENT_PLACEHOLDER = "[document]";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Flattens a `tool_result.content` (string or block array) to text. Image
 * blocks become {@linkcode IMAGE_PLACEHOLDER}; text blocks keep their text.
 *
 * @param content The `content` of a `tool_result` block.
 * @returns The output text.
 *
 * @example Blocks
 * ```ts
 * import { toolResultText } from "./anthropic.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(toolResultText([{ type: "text", text: "ok" }, { type: "image" }]), "ok\n[image]");
 * assert.equal(toolResultText("done"), "done");
 * ```
 */
export function toolResultText(content: unknown): string {
  if (!Array.isArray(content)) return flattenContent(content);
  const parts: string[] = [];
  for (const block of content) {
    if (isObject(block) && block.type === "image") parts.push(IMAGE_PLACEHOLDER);
    else {
      const text = flattenContent(block);
      if (text !== "") parts.push(text);
    }
  }
  return parts.join("\n");
}

/**
 * The canonical image of an Anthropic `image` block: a `base64` source keeps its
 * media type and data; a `url` source keeps the URL as `source` (the media type
 * guessed from its extension).
 *
 * @param block A content block.
 * @returns The image, or `undefined` when the block is not a readable image.
 *
 * @example
 * ```ts
 * import { imageOfBlock } from "./anthropic.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(
 *   imageOfBlock({ type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } }),
 *   { mediaType: "image/png", data: "AAAA" },
 * );
 * ```
 */
export function imageOfBlock(block: unknown): ImageContent | undefined {
  if (!isObject(block) || block.type !== "image" || !isObject(block.source)) return undefined;
  const source = block.source;
  if (typeof source.data === "string" && source.data !== "") {
    const mediaType = typeof source.media_type === "string" && source.media_type !== ""
      ? source.media_type
      : "image/png";
    return { mediaType, data: source.data };
  }
  if (typeof source.url === "string" && source.url !== "") {
    return { mediaType: imageTypeFromName(source.url) ?? "image/*", source: source.url };
  }
  return undefined;
}

/**
 * The Anthropic `image` block for a canonical image: base64 data when it has
 * its bytes, else a `url` source when its `source` is an http(s) URL. Check
 * the API's limits first ({@linkcode anthropicImageProblem} in `images.ts`).
 *
 * @param image The image.
 * @returns The block, or `undefined` when the image has neither.
 */
export function anthropicImageBlock(image: ImageContent): AnthropicImageBlock | undefined {
  if (image.data !== undefined && image.data !== "") {
    return {
      type: "image",
      source: { type: "base64", media_type: image.mediaType, data: image.data },
    };
  }
  if (image.source !== undefined && /^https?:\/\//.test(image.source)) {
    return { type: "image", source: { type: "url", url: image.source } };
  }
  return undefined;
}

/** The text and images of a `tool_result.content`, images kept apart. */
function toolResultParts(content: unknown): { output: string; images: ImageContent[] } {
  if (!Array.isArray(content)) return { output: flattenContent(content), images: [] };
  const parts: string[] = [];
  const images: ImageContent[] = [];
  for (const block of content) {
    const image = imageOfBlock(block);
    if (image !== undefined) images.push(image);
    // An image block without data or URL cannot be kept: the placeholder marks where it was.
    else if (isObject(block) && block.type === "image") parts.push(IMAGE_PLACEHOLDER);
    else {
      const text = flattenContent(block);
      if (text !== "") parts.push(text);
    }
  }
  return { output: parts.join("\n"), images };
}

/**
 * Splits an Anthropic `content` value (a string or a block array) into
 * canonical pieces: text, reasoning, tool calls and tool results. Unknown
 * blocks (server tools and their results, citations) are ignored; `redacted_thinking` is never
 * readable and is skipped.
 *
 * @param content `message.content` as stored.
 * @param options Whether images are kept as images.
 * @returns The pieces.
 *
 * @example A reply with a tool call
 * ```ts
 * import { blocksToPieces } from "./anthropic.ts";
 * import assert from "node:assert/strict";
 *
 * const pieces = blocksToPieces([
 *   { type: "thinking", thinking: "look first", signature: "x" },
 *   { type: "text", text: "Listing." },
 *   { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } },
 * ]);
 * assert.equal(pieces.text, "Listing.");
 * assert.equal(pieces.reasoning, "look first");
 * assert.deepEqual(pieces.toolCalls, [{ id: "toolu_1", name: "Bash", input: { command: "ls" } }]);
 * ```
 */
export function blocksToPieces(
  content: unknown,
  options: BlocksToPiecesOptions = {},
): AnthropicPieces {
  const keepImages = options.images === true;
  const pieces: AnthropicPieces = {
    text: "",
    reasoning: "",
    toolCalls: [],
    toolResults: [],
    images: 0,
    imageContents: [],
  };
  if (typeof content === "string") {
    pieces.text = content;
    return pieces;
  }
  if (!Array.isArray(content)) return pieces;
  const texts: string[] = [];
  const thoughts: string[] = [];
  for (const block of content) {
    if (typeof block === "string") {
      if (block !== "") texts.push(block);
      continue;
    }
    if (!isObject(block)) continue;
    switch (block.type) {
      case "text":
        if (typeof block.text === "string" && block.text !== "") texts.push(block.text);
        break;
      case "thinking":
        if (typeof block.thinking === "string" && block.thinking !== "") {
          thoughts.push(block.thinking);
        }
        break;
      case "tool_use":
        pieces.toolCalls.push({
          id: typeof block.id === "string" ? block.id : "",
          // A call with no name (written by another tool) is still a call: every
          // model API refuses an empty tool name.
          name: typeof block.name === "string" && block.name !== "" ? block.name : "unknown",
          input: block.input ?? {},
        });
        break;
      case "tool_result": {
        const callId = typeof block.tool_use_id === "string" ? block.tool_use_id : "";
        const isError = block.is_error === true;
        if (!keepImages) {
          pieces.toolResults.push({ callId, output: toolResultText(block.content), isError });
          break;
        }
        const { output, images } = toolResultParts(block.content);
        const result: ToolResult = { callId, output, isError };
        if (images.length > 0) result.images = images;
        pieces.toolResults.push(result);
        break;
      }
      case "image": {
        pieces.images++;
        const image = keepImages ? imageOfBlock(block) : undefined;
        if (image !== undefined) pieces.imageContents.push(image);
        else texts.push(IMAGE_PLACEHOLDER);
        break;
      }
      case "document":
        texts.push(DOCUMENT_PLACEHOLDER);
        break;
      default:
        break;
    }
  }
  pieces.text = texts.join("\n");
  pieces.reasoning = thoughts.join("\n");
  return pieces;
}

const BATCH_PART_RE = /^(.*)_\d+$/;

/** Whether `candidate` collides with a taken id, or would read as a batched part of one. */
function collides(candidate: string, taken: ReadonlySet<string>): boolean {
  if (taken.has(candidate)) return true;
  const base = BATCH_PART_RE.exec(candidate)?.[1];
  if (base !== undefined && taken.has(base)) return true;
  for (const id of taken) {
    if (BATCH_PART_RE.exec(id)?.[1] === candidate) return true;
  }
  return false;
}

/**
 * Maps a tool call id to one the Anthropic API accepts (`[A-Za-z0-9_-]+`).
 *
 * Every other character becomes `_`; an empty id becomes `toolu_casr`. The
 * result is remembered in `map` (original → safe id), so the same original
 * always gets the same safe id. Two originals that sanitize alike are told
 * apart with a `-2`, `-3`… suffix, in first-seen order. The suffix is not
 * `_<n>`, and no id is let through as `<other id>_<digits>` (nor the other way
 * round): Claude Code 2.1.x reads such ids as parts of one batched call and
 * merges or drops their results on resume (seen with 2.1.331). Use one map
 * per written session, for both `tool_use.id` and `tool_result.tool_use_id`.
 *
 * @param id The original call id.
 * @param map The session's id map; updated in place.
 * @returns The safe id.
 *
 * @example Stable and deduplicated
 * ```ts
 * import { sanitizeToolId } from "./anthropic.ts";
 * import assert from "node:assert/strict";
 *
 * const map = new Map<string, string>();
 * assert.equal(sanitizeToolId("call.1", map), "call_1");
 * assert.equal(sanitizeToolId("call:1", map), "call_1-2");
 * assert.equal(sanitizeToolId("call.1", map), "call_1");
 * assert.equal(sanitizeToolId("toolu_01A", map), "toolu_01A");
 * assert.equal(sanitizeToolId("call_1_7", map), "call_1_7-2");
 * ```
 */
export function sanitizeToolId(id: string, map: Map<string, string>): string {
  const known = map.get(id);
  if (known !== undefined) return known;
  const base = id.replace(/[^A-Za-z0-9_-]/g, "_") || "toolu_casr";
  const taken = new Set(map.values());
  let safe = base;
  for (let n = 2; collides(safe, taken); n++) safe = `${base}-${n}`;
  map.set(id, safe);
  return safe;
}

/** Options for {@linkcode assistantBlocks}. */
export interface AssistantBlocksOptions {
  /** The id map shared with {@linkcode toolResultBlocks}; see {@linkcode sanitizeToolId}. */
  idMap: Map<string, string>;
}

/**
 * The content blocks of a canonical assistant message: one `text` block (when
 * the text is not empty), then one `tool_use` block per call with a sanitized
 * id and an object input ({@linkcode toolInputObject}). Reasoning is not
 * written: a `thinking` block needs a signature only the original model can
 * make.
 *
 * @param message The canonical assistant message.
 * @param options The id map.
 * @returns The blocks (possibly empty).
 *
 * @example Text and a call
 * ```ts
 * import { assistantBlocks } from "./anthropic.ts";
 * import assert from "node:assert/strict";
 *
 * const blocks = assistantBlocks(
 *   { text: "Run it", toolCalls: [{ id: "call#1", name: "shell", input: "ls" }] },
 *   { idMap: new Map() },
 * );
 * assert.deepEqual(blocks, [
 *   { type: "text", text: "Run it" },
 *   { type: "tool_use", id: "call_1", name: "shell", input: { input: "ls" } },
 * ]);
 * ```
 */
export function assistantBlocks(
  message: Pick<Message, "text" | "toolCalls">,
  options: AssistantBlocksOptions,
): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  if (message.text !== "") blocks.push({ type: "text", text: message.text });
  for (const call of message.toolCalls) {
    blocks.push({
      type: "tool_use",
      id: sanitizeToolId(call.id, options.idMap),
      name: call.name,
      input: toolInputObject(call.input),
    });
  }
  return blocks;
}

/**
 * The `tool_result` blocks for canonical tool results, with the same id
 * mapping as the calls ({@linkcode sanitizeToolId}) and string content.
 *
 * @param results The canonical results.
 * @param options The id map shared with {@linkcode assistantBlocks}.
 * @returns One block per result.
 *
 * @example One result
 * ```ts
 * import { toolResultBlocks } from "./anthropic.ts";
 * import assert from "node:assert/strict";
 *
 * const blocks = toolResultBlocks([{ callId: "call#1", output: "a.txt", isError: false }], {
 *   idMap: new Map(),
 * });
 * assert.deepEqual(blocks, [
 *   { type: "tool_result", tool_use_id: "call_1", content: "a.txt", is_error: false },
 * ]);
 * ```
 */
export function toolResultBlocks(
  results: readonly ToolResult[],
  options: AssistantBlocksOptions,
): AnthropicToolResultBlock[] {
  return results.map((result) => ({
    type: "tool_result",
    tool_use_id: sanitizeToolId(result.callId, options.idMap),
    content: result.output,
    is_error: result.isError,
  }));
}

/**
 * The content blocks of any canonical message, by role: assistant →
 * {@linkcode assistantBlocks}; tool → {@linkcode toolResultBlocks} (then a
 * text block when the message also has text); user → one text block. System
 * and other messages give no blocks (targets inject their own scaffolding).
 *
 * @param message The canonical message.
 * @param options The id map.
 * @returns The blocks (possibly empty).
 */
export function messageToBlocks(
  message: Pick<Message, "role" | "text" | "toolCalls" | "toolResults">,
  options: AssistantBlocksOptions,
): AnthropicContentBlock[] {
  switch (message.role) {
    case "assistant":
      return assistantBlocks(message, options);
    case "tool": {
      const blocks: AnthropicContentBlock[] = toolResultBlocks(message.toolResults, options);
      if (message.text !== "") blocks.push({ type: "text", text: message.text });
      return blocks;
    }
    case "user":
      return message.text === "" ? [] : [{ type: "text", text: message.text }];
    default:
      return [];
  }
}
