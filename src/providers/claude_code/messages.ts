/**
 * Turning the records of a Claude Code conversation chain into canonical
 * messages, the way Claude Code itself sends them to its model on resume
 * (checked against what 2.1.331 sent to a mock model, 2026-12).
 *
 * - Assistant records are merged by `message.id` (2.1.x writes one record per
 *   content block); a record that only adds tool calls also joins the
 *   assistant message right before it.
 * - A user record with `tool_result` blocks becomes a `tool` message (runs of
 *   such records merge into one). Images inside a result become
 *   `ToolResult.images`, named by the `file_path` of the call that read them.
 * - A typed prompt starts a `user` message; its `image` blocks become
 *   `Message.images`. A prompt right after another user message joins it (blank
 *   line between), as the Messages API merges consecutive user turns.
 * - Scaffolding Claude Code writes as user records is sent to the model too,
 *   so it is kept as user text, joined (blank line between) to the user message
 *   right before it when there is one: the `isMeta` expansion of a custom slash
 *   command, the `[Image: source: <path>]` note after an attached image (the path
 *   also becomes the image's `source`), the local-command caveat and
 *   `<local-command-stdout>`. A `<command-name>` record is written as the command
 *   line the user typed, `/name args`.
 * - An `attachment` record of type `queued_command` (a prompt typed while the
 *   agent was busy) is a user message at its place, the prompt alone (Claude Code
 *   sends it inside a sentence of its own, "The user sent a new message while you
 *   were working: …", that names Claude Code); other attachments (environment,
 *   tool and skill listings) are context Claude Code rebuilds itself and are skipped.
 * - `system` records become `system` messages (Claude Code does not send them);
 *   synthetic API-error replies (`isApiErrorMessage`) become `other`.
 *
 * @module
 */
import type { ImageContent, Message } from "../../model/types.ts";
import { clipText, parseTimestamp } from "../../model/normalize.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { blocksToPieces } from "../../formats/anthropic.ts";

const WRAPPER_RE =
  /^\s*<(command-name|command-message|command-args|local-command-stdout|local-command-stderr|local-command-caveat)>/;

/**
 * Whether a user text is CLI scaffolding (slash-command and local-command
 * wrappers) rather than something the human typed.
 *
 * @param text The user text.
 * @returns `true` for wrapper text.
 */
export function isWrapperText(text: string): boolean {
  return WRAPPER_RE.test(text);
}

function tag(text: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text);
  return match?.[1];
}

/**
 * The command line a `<command-name>` wrapper stands for, as the user typed it.
 *
 * @param text The wrapper text.
 * @returns `/name args` (`/name` without arguments), or `undefined` when the text names no command.
 *
 * @example
 * ```ts
 * import { commandLine } from "./messages.ts";
 * import assert from "node:assert/strict";
 *
 * const text = "<command-message>greet</command-message>\n<command-name>/greet</command-name>\n" +
 *   "<command-args>Alice</command-args>";
 * assert.equal(commandLine(text), "/greet Alice");
 * ```
 */
export function commandLine(text: string): string | undefined {
  const name = tag(text, "command-name")?.trim();
  if (!name) return undefined;
  const args = tag(text, "command-args")?.trim() ?? "";
  const command = name.startsWith("/") ? name : `/${name}`;
  return args === "" ? command : `${command} ${args}`;
}

/**
 * What a user record offers a title: the first line the user typed, or the
 * command line of a slash command's `<command-name>` record. A subagent's
 * record (`isSidechain`, inline in older transcripts), an expansion
 * (`isMeta`), a compaction summary and tool results offer nothing. `list`
 * and `read` take a session's title from the first record that offers one.
 *
 * @param record A transcript record.
 * @returns The typed line, or the command line, each at most 80 characters.
 */
export function titlePromptOf(
  record: Record<string, unknown>,
): { typed?: string; command?: string } {
  if (
    record.type !== "user" || record.isMeta === true || record.isCompactSummary === true ||
    record.isSidechain === true
  ) return {};
  const message = record.message as { content?: unknown } | undefined;
  const content = message?.content;
  let text: string | undefined;
  if (typeof content === "string") text = content;
  else if (Array.isArray(content)) {
    if (content.some((b) => b?.type === "tool_result")) return {};
    text = content.filter((b) => b?.type === "text").map((b) => String(b.text ?? "")).join("\n");
  }
  const trimmed = text?.trim() ?? "";
  if (isWrapperText(trimmed)) {
    const command = commandLine(trimmed)?.split("\n")[0]?.trim();
    return command ? { command: clipText(command, 80) } : {};
  }
  const line = trimmed.split("\n")[0]?.trim();
  return line ? { typed: clipText(line, 80) } : {};
}

const IMAGE_NOTE_RE = /\[Image: source: ([^\]\n]+)\]/g;

/** The file paths of the `[Image: source: <path>]` notes in a text, in order. */
function imageNotes(text: string): string[] {
  return [...text.matchAll(IMAGE_NOTE_RE)].map((m) => (m[1] as string).trim());
}

/** The message list under construction. */
export interface Builder {
  /** The messages so far. */
  messages: Message[];
  /** `message.id` of each assistant message, by array position. */
  replyIds: Map<number, string>;
  /** JSON of the content blocks already taken for each `message.id`. */
  seenBlocks: Map<string, Set<string>>;
  /** Indexes of the compact summaries. */
  compactSummaries: number[];
  /** The user messages holding a typed prompt, by index, with that prompt (for the title). */
  typed: Map<number, string>;
  /** Index of the user message later scaffolding joins, if any. */
  joinable?: number;
  /** Each tool call's name and input, by id (names the images a call read). */
  calls: Map<string, { name: string; input: unknown }>;
}

/**
 * A new, empty builder.
 *
 * @returns The builder.
 */
export function newBuilder(): Builder {
  return {
    messages: [],
    replyIds: new Map(),
    seenBlocks: new Map(),
    compactSummaries: [],
    typed: new Map(),
    calls: new Map(),
  };
}

function push(builder: Builder, message: Omit<Message, "index">): number {
  builder.messages.push({ index: builder.messages.length, ...message });
  delete builder.joinable;
  return builder.messages.length - 1;
}

function withTime(record: Record<string, unknown>, message: Omit<Message, "index">) {
  const ts = parseTimestamp(record.timestamp);
  if (ts !== undefined) message.timestamp = ts;
  return message;
}

/**
 * Adds an `assistant` record.
 *
 * @param builder The builder.
 * @param record The record.
 */
export function addAssistant(builder: Builder, record: Record<string, unknown>): void {
  const message = isRecord(record.message) ? record.message : {};
  const replyId = str(message.id);
  let content = message.content;
  if (replyId !== undefined && Array.isArray(content)) {
    const seen = builder.seenBlocks.get(replyId) ?? new Set<string>();
    builder.seenBlocks.set(replyId, seen);
    content = content.filter((block) => {
      const key = JSON.stringify(block);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  const pieces = blocksToPieces(content);
  if (pieces.text === "" && pieces.reasoning === "" && pieces.toolCalls.length === 0) return;
  for (const call of pieces.toolCalls) {
    builder.calls.set(call.id, { name: call.name, input: call.input });
  }
  const model = str(message.model);
  const author = model !== undefined && model !== "<synthetic>" ? model : undefined;
  const role = record.isApiErrorMessage === true ? "other" : "assistant";

  const lastIndex = builder.messages.length - 1;
  const last = builder.messages[lastIndex];
  const sameReply = replyId !== undefined && builder.replyIds.get(lastIndex) === replyId;
  const onlyCalls = pieces.text === "" && pieces.toolCalls.length > 0;
  if (
    last !== undefined && last.role === "assistant" && role === "assistant" &&
    (sameReply || onlyCalls)
  ) {
    if (pieces.text !== "") {
      last.text = last.text === "" ? pieces.text : `${last.text}\n${pieces.text}`;
    }
    if (pieces.reasoning !== "") {
      last.reasoning = last.reasoning ? `${last.reasoning}\n${pieces.reasoning}` : pieces.reasoning;
    }
    const known = new Set(last.toolCalls.map((c) => c.id));
    for (const call of pieces.toolCalls) {
      if (call.id === "" || !known.has(call.id)) last.toolCalls.push(call);
    }
    if (last.author === undefined && author !== undefined) last.author = author;
    (last.extra as unknown[]).push(record);
    return;
  }
  const out: Omit<Message, "index"> = {
    role,
    text: pieces.text,
    toolCalls: pieces.toolCalls,
    toolResults: [],
    extra: [record],
  };
  if (pieces.reasoning !== "") out.reasoning = pieces.reasoning;
  if (author !== undefined) out.author = author;
  const at = push(builder, withTime(record, out));
  if (replyId !== undefined) builder.replyIds.set(at, replyId);
}

/** The file a tool call read, from its input, when it names one. */
function readPath(input: unknown): string | undefined {
  if (!isRecord(input)) return undefined;
  return str(input.file_path) ?? str(input.path) ?? str(input.notebook_path);
}

/** Adds user-side content: a new user message, or joined to the joinable one. */
function addUserContent(
  builder: Builder,
  record: Record<string, unknown>,
  text: string,
  images: ImageContent[],
  kind: "typed" | "scaffolding" | "summary",
): void {
  const lastAt = builder.messages.length - 1;
  const last = builder.messages[lastAt];
  // A prompt right after another user message (a slash command's records, say) is
  // one message to Claude Code's model: the API merges consecutive user turns.
  const follows = kind === "typed" && last !== undefined && last.role === "user" &&
    last.toolResults.length === 0 && !builder.compactSummaries.includes(lastAt);
  const target = kind === "scaffolding" && builder.joinable !== undefined
    ? builder.messages[builder.joinable]
    : follows
    ? last
    : undefined;
  let message: Message;
  if (target !== undefined) {
    if (text !== "") target.text = target.text === "" ? text : `${target.text}\n\n${text}`;
    if (images.length > 0) target.images = [...(target.images ?? []), ...images];
    (target.extra as unknown[]).push(record);
    if (follows && !builder.typed.has(lastAt)) builder.typed.set(lastAt, text);
    message = target;
  } else {
    const out: Omit<Message, "index"> = {
      role: "user",
      text,
      toolCalls: [],
      toolResults: [],
      extra: [record],
    };
    if (images.length > 0) out.images = images;
    const at = push(builder, withTime(record, out));
    if (kind === "summary") builder.compactSummaries.push(at);
    else builder.joinable = at;
    if (kind === "typed") builder.typed.set(at, text);
    message = builder.messages[at] as Message;
  }
  // Name the attached images after Claude Code's "[Image: source: <path>]" notes.
  const unnamed = (message.images ?? []).filter((image) => image.source === undefined);
  const notes = imageNotes(message.text);
  unnamed.forEach((image, i) => {
    const note = notes[notes.length - unnamed.length + i];
    if (note !== undefined) image.source = note;
  });
}

/**
 * Adds a `user` record: tool results, a typed prompt, or scaffolding.
 *
 * @param builder The builder.
 * @param record The record.
 */
export function addUser(builder: Builder, record: Record<string, unknown>): void {
  const message = isRecord(record.message) ? record.message : {};
  const pieces = blocksToPieces(message.content, { images: true });
  if (pieces.toolResults.length > 0) {
    for (const result of pieces.toolResults) {
      const call = builder.calls.get(result.callId);
      const path = call === undefined ? undefined : readPath(call.input);
      for (const image of result.images ?? []) {
        if (image.source === undefined && path !== undefined) image.source = path;
      }
    }
    const last = builder.messages[builder.messages.length - 1];
    if (last !== undefined && last.role === "tool" && last.text === "") {
      last.toolResults.push(...pieces.toolResults);
      (last.extra as unknown[]).push(record);
    } else {
      push(
        builder,
        withTime(record, {
          role: "tool",
          text: "",
          toolCalls: [],
          toolResults: pieces.toolResults,
          extra: [record],
        }),
      );
    }
  }
  if (pieces.text === "" && pieces.imageContents.length === 0) return;
  const command = isWrapperText(pieces.text) ? commandLine(pieces.text) : undefined;
  const text = command ?? pieces.text;
  const kind = record.isCompactSummary === true
    ? "summary"
    : record.isMeta === true || isWrapperText(pieces.text)
    ? "scaffolding"
    : "typed";
  addUserContent(builder, record, text, pieces.imageContents, kind);
}

/**
 * Adds an `attachment` record: a `queued_command` (a prompt typed while the agent
 * worked) is a user message; every other attachment is skipped.
 *
 * @param builder The builder.
 * @param record The record.
 */
export function addAttachment(builder: Builder, record: Record<string, unknown>): void {
  const attachment = record.attachment;
  if (!isRecord(attachment) || attachment.type !== "queued_command") return;
  const pieces = blocksToPieces(attachment.prompt, { images: true });
  if (pieces.text === "" && pieces.imageContents.length === 0) return;
  addUserContent(builder, record, pieces.text, pieces.imageContents, "typed");
}

/**
 * Adds a `system` record as a `system` message.
 *
 * @param builder The builder.
 * @param record The record.
 */
export function addSystem(builder: Builder, record: Record<string, unknown>): void {
  const content = record.content;
  const text = typeof content === "string" ? content : blocksToPieces(content).text;
  if (text.trim() === "") return;
  push(
    builder,
    withTime(record, { role: "system", text, toolCalls: [], toolResults: [], extra: [record] }),
  );
}
