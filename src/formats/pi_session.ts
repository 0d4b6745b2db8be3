/**
 * Pi coding agent session entries (`@earendil-works/pi-coding-agent`, formerly
 * `@mariozechner/pi-coding-agent`) and pure conversions between them and the
 * canonical model. Shared by every agent that stores Pi entries: Pi itself
 * (JSONL files) and OpenClaw (the same objects in SQLite rows). It imports no
 * provider and touches no disk.
 *
 * The format: a header `{type:"session", version, id, timestamp, cwd}` then
 * entries `{type, id, parentId, timestamp, …}` forming a tree. Version 1 files
 * have no ids (a linear list); version 2 added `id`/`parentId`; version 3
 * renamed the message role `hookMessage` to `custom`. Like Pi, readers migrate
 * to version 3, take the last entry as the leaf, walk `parentId` to the root,
 * and let the latest `compaction` on that path replace what it summarised
 * ({@linkcode piEntriesToConversation}).
 *
 * Canonical mapping of the message roles Pi puts into model context:
 * - `user` → `user`; `bashExecution` (a `!cmd` the user ran) → `user` with the
 *   text Pi sends for it (`other` when excluded from context);
 * - `assistant` → `assistant` (`text` blocks → text, `thinking` → reasoning,
 *   `toolCall` → tool calls); one whose `stopReason` is `error`/`aborted` is
 *   skipped on resume by Pi, so it becomes an `other` notice without calls,
 *   and the results of its calls are dropped;
 * - `toolResult` → a `tool` message; consecutive results share one message;
 * - `image` blocks of user messages and tool results → their `images`
 *   (`src/formats/pi_images.ts`), and back;
 * - `compactionSummary`/`branchSummary` (from `compaction`/`branch_summary`
 *   entries) → `user` with the exact text Pi sends (like Claude Code's
 *   compact summary), so converted sessions keep the summarised context;
 * - `custom` (`custom_message` entries, extension context) and `system`
 *   (persisted system prompt, ≥ 0.86) → `system`.
 *
 * @module
 */
import type { Message, ToolCall, ToolResult, Warning, WarningCode } from "../model/types.ts";
import { flattenContent, parseTimestamp, toolInputObject } from "../model/normalize.ts";
import { isRecord, str } from "../internal/jsonl.ts";
import { isoTime } from "../internal/ids.ts";
import { fillTimestamps } from "../internal/times.ts";
import {
  isPiToolImagesMessage,
  namePiImages,
  piAttachedImageNames,
  piContentImages,
  piImageBlocks,
} from "./pi_images.ts";

/** The session format version Pi writes today (and this module writes). */
export const PI_SESSION_VERSION = 3;

/** The text Pi puts before a compaction summary when it sends it as a user message. */
export const PI_COMPACTION_SUMMARY_PREFIX =
  "The conversation history before this point was compacted into the following summary:\n\n<summary>\n";
/** The text Pi puts after a compaction summary. */
export const PI_COMPACTION_SUMMARY_SUFFIX = "\n</summary>";
/** The text Pi puts before a branch summary when it sends it as a user message. */
export const PI_BRANCH_SUMMARY_PREFIX =
  "The following is a summary of a branch that this conversation came back from:\n\n<summary>\n";
/** The text Pi puts after a branch summary. */
export const PI_BRANCH_SUMMARY_SUFFIX = "</summary>";

/** The first line of a Pi session: `type:"session"`. */
export interface PiSessionHeader {
  /** Always `session`. */
  type: "session";
  /** Format version (absent means 1). OpenClaw writes 4. */
  version?: number;
  /** The session id. */
  id: string;
  /** Creation time, ISO. */
  timestamp?: string;
  /** The working directory. */
  cwd?: string;
  /** The source session file of a fork. */
  parentSession?: string;
  /** Other fields (custom metadata). */
  [key: string]: unknown;
}

/** One entry of the session tree (every line after the header). */
export interface PiEntry {
  /** `message`, `model_change`, `compaction`, `branch_summary`, `custom_message`, `session_info`, … */
  type: string;
  /** The entry id (8 hex chars in Pi, a UUID in OpenClaw). */
  id: string;
  /** The parent entry's id, `null` for a root. */
  parentId: string | null;
  /** Entry time, ISO. */
  timestamp?: string;
  /** Type-specific fields (`message`, `summary`, `firstKeptEntryId`, …). */
  [key: string]: unknown;
}

/** One parsed record as it came from storage, with its line (or row) number for warnings. */
export interface PiRawEntry {
  /** The parsed JSON value. */
  value: unknown;
  /** 1-based line number (or row position), when known. */
  line?: number;
}

/** What {@linkcode migratePiEntries} returns. */
export interface PiEntriesResult {
  /** The header, when the records had one. */
  header?: PiSessionHeader;
  /** The version the records were written in (1 when the header has none). */
  version: number;
  /** The entries, migrated to version 3 (copies; the input is not changed). */
  entries: PiEntry[];
  /** The 1-based line (row) of each entry, same order as `entries`. */
  lines: (number | undefined)[];
  /** Records that were skipped. */
  warnings: Warning[];
}

/**
 * Whether a value is a Pi session header (`type:"session"` with a string `id`).
 *
 * @param value A parsed record.
 * @returns `true` for a header.
 *
 * @example
 * ```ts
 * import { isPiSessionHeader } from "./pi_session.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isPiSessionHeader({ type: "session", version: 3, id: "abc" }), true);
 * assert.equal(isPiSessionHeader({ type: "message", id: "abc" }), false);
 * ```
 */
export function isPiSessionHeader(value: unknown): value is PiSessionHeader {
  return isRecord(value) && value.type === "session" && typeof value.id === "string";
}

/**
 * Validates records and migrates them to version 3 the way Pi does on load:
 * version 1 entries get ids and a linear `parentId` chain (and a compaction's
 * `firstKeptEntryIndex` becomes `firstKeptEntryId`); message role `hookMessage`
 * becomes `custom`. A record that is not an object with a string `type`
 * (and, from version 2 on, a string `id`) is skipped with a warning. A missing
 * `parentId` is read as `null` (Pi's walk stops there). Records without a
 * header are read as version 3 when any carries an `id`, else as version 1.
 *
 * @param records The records in storage order, header first when there is one.
 * @param source A name for warnings, e.g. the file path.
 * @returns The header, the migrated entries and warnings.
 */
export function migratePiEntries(
  records: Iterable<PiRawEntry>,
  source = "session",
): PiEntriesResult {
  const warnings: Warning[] = [];
  let header: PiSessionHeader | undefined;
  const raw: { value: Record<string, unknown>; line: number | undefined }[] = [];
  for (const record of records) {
    const value = record.value;
    if (isPiSessionHeader(value)) {
      if (header === undefined && raw.length === 0) header = { ...value };
      else {
        warnings.push(
          lineWarning("extra-header", `Skipped a second session header in ${source}`, record.line),
        );
      }
      continue;
    }
    if (!isRecord(value) || typeof value.type !== "string") {
      warnings.push(
        lineWarning(
          "unknown-record",
          `Skipped a record of ${source} that is not a Pi entry`,
          record.line,
        ),
      );
      continue;
    }
    raw.push({ value: { ...value }, line: record.line });
  }
  // Without a header (a fragment, or OpenClaw rows read on their own) entries
  // that carry ids are read as the current version; else as a linear list.
  const version = typeof header?.version === "number"
    ? header.version
    : header === undefined && raw.some((r) => typeof r.value.id === "string")
    ? PI_SESSION_VERSION
    : 1;
  const entries: PiEntry[] = [];
  const lines: (number | undefined)[] = [];
  if (version < 2) {
    // Linear list: ids by position, each entry the child of the one before.
    const ids: string[] = raw.map((_, i) => (i + 1).toString(16).padStart(8, "0"));
    raw.forEach(({ value, line }, i) => {
      const entry = { ...value, id: ids[i], parentId: i === 0 ? null : ids[i - 1] } as PiEntry;
      if (entry.type === "compaction" && typeof value.firstKeptEntryIndex === "number") {
        // Pi counts the header as index 0.
        const target = ids[value.firstKeptEntryIndex - (header === undefined ? 0 : 1)];
        if (target !== undefined) entry.firstKeptEntryId = target;
        delete entry.firstKeptEntryIndex;
      }
      entries.push(entry);
      lines.push(line);
    });
  } else {
    for (const { value, line } of raw) {
      if (typeof value.id !== "string" || value.id === "") {
        warnings.push(
          lineWarning("unknown-record", `Skipped an entry of ${source} without an id`, line),
        );
        continue;
      }
      const parentId = typeof value.parentId === "string" ? value.parentId : null;
      entries.push({ ...value, id: value.id, parentId } as PiEntry);
      lines.push(line);
    }
  }
  for (const entry of entries) {
    if (entry.type !== "message" || !isRecord(entry.message)) continue;
    if (entry.message.role === "hookMessage") entry.message = { ...entry.message, role: "custom" };
  }
  const result: PiEntriesResult = { version, entries, lines, warnings };
  if (header !== undefined) result.header = header;
  return result;
}

function lineWarning(
  code: WarningCode,
  message: string,
  line: number | undefined,
): Warning {
  const warning: Warning = {
    code,
    message: line === undefined ? message : `${message} (line ${line})`,
  };
  if (line !== undefined) warning.line = line;
  return warning;
}

/**
 * The active branch: from the leaf (the entry `leafId`, else the last entry)
 * back to the root through `parentId`, returned root first. Entries on other
 * branches are not included; an entry whose parent is missing ends the walk,
 * like in Pi.
 *
 * @param entries The migrated entries in storage order.
 * @param leafId The leaf to start from; the last entry when absent or unknown.
 * @returns The path, root first.
 *
 * @example
 * ```ts
 * import { piActivePath } from "./pi_session.ts";
 * import assert from "node:assert/strict";
 *
 * const path = piActivePath([
 *   { type: "message", id: "a", parentId: null },
 *   { type: "message", id: "b", parentId: "a" },
 *   { type: "message", id: "c", parentId: "a" },
 * ]);
 * assert.deepEqual(path.map((e) => e.id), ["a", "c"]);
 * ```
 */
export function piActivePath(entries: readonly PiEntry[], leafId?: string): PiEntry[] {
  const byId = new Map<string, PiEntry>();
  for (const entry of entries) byId.set(entry.id, entry);
  let current = (leafId === undefined ? undefined : byId.get(leafId)) ?? entries.at(-1);
  const path: PiEntry[] = [];
  const seen = new Set<string>();
  while (current !== undefined && !seen.has(current.id)) {
    seen.add(current.id);
    path.push(current);
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return path.reverse();
}

function isSystemMessageEntry(entry: PiEntry): boolean {
  return entry.type === "message" && isRecord(entry.message) && entry.message.role === "system";
}

/**
 * The entries of a path that make up the model context, as Pi builds it: with
 * no compaction, the whole path; else the latest compaction, then the entries
 * from its `firstKeptEntryId` up to it (system messages excluded), then all
 * entries after it. An older compaction kept inside that range contributes no
 * summary (its `summarised` flag in the result is `false`).
 *
 * @param path The active path, root first ({@linkcode piActivePath}).
 * @returns The context entries and whether each contributes its own messages.
 */
export function piContextEntries(path: readonly PiEntry[]): { entry: PiEntry; active: boolean }[] {
  let compactionIndex = -1;
  path.forEach((entry, i) => {
    if (entry.type === "compaction") compactionIndex = i;
  });
  if (compactionIndex < 0) return path.map((entry) => ({ entry, active: true }));
  const compaction = path[compactionIndex] as PiEntry;
  const out: { entry: PiEntry; active: boolean }[] = [{ entry: compaction, active: true }];
  let kept = false;
  for (let i = 0; i < compactionIndex; i++) {
    const entry = path[i] as PiEntry;
    if (entry.id === compaction.firstKeptEntryId) kept = true;
    if (kept && !isSystemMessageEntry(entry)) {
      out.push({ entry, active: entry.type !== "compaction" });
    }
  }
  for (const entry of path.slice(compactionIndex + 1)) out.push({ entry, active: true });
  return out;
}

/**
 * The Pi agent messages one context entry contributes (Pi's projection):
 * a `message` entry its message; `custom_message` a `custom` message;
 * `branch_summary` a `branchSummary`; `compaction` a `compactionSummary`
 * (after its `systemMessage`, when it has one); other entries nothing.
 *
 * @param entry A context entry.
 * @returns Pi agent messages (plain objects with a `role`).
 */
export function piEntryMessages(entry: PiEntry): Record<string, unknown>[] {
  const time = parseTimestamp(entry.timestamp);
  switch (entry.type) {
    case "message":
      return isRecord(entry.message) ? [entry.message] : [];
    case "custom_message":
      return [{
        role: "custom",
        customType: entry.customType,
        content: entry.content ?? [],
        display: entry.display,
        timestamp: time,
      }];
    case "branch_summary":
      return typeof entry.summary === "string" && entry.summary !== ""
        ? [{ role: "branchSummary", summary: entry.summary, fromId: entry.fromId, timestamp: time }]
        : [];
    case "compaction": {
      const summary = {
        role: "compactionSummary",
        summary: typeof entry.summary === "string" ? entry.summary : "",
        timestamp: time,
      };
      return isRecord(entry.systemMessage) ? [entry.systemMessage, summary] : [summary];
    }
    default:
      return [];
  }
}

/**
 * Text of `text` blocks (or a string content), joined by newlines; an `image`
 * block gives a note like `[image image/png]` unless `imageNotes` is `false`
 * (when the images are carried as images).
 *
 * @param content A message `content`.
 * @param imageNotes Whether image blocks give a note.
 * @returns The text.
 */
export function piContentText(content: unknown, imageNotes = true): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (block.type === "text" && typeof block.text === "string") parts.push(block.text);
    else if (block.type === "image" && imageNotes) {
      parts.push(`[image${typeof block.mimeType === "string" ? ` ${block.mimeType}` : ""}]`);
    }
  }
  return parts.join("\n");
}

/**
 * The text Pi sends for a `bashExecution` message (a `!command` the user ran).
 *
 * @param message The `bashExecution` message.
 * @returns The user text.
 */
export function piBashExecutionText(message: Record<string, unknown>): string {
  let text = `Ran \`${String(message.command ?? "")}\`\n`;
  const output = typeof message.output === "string" ? message.output : "";
  text += output !== "" ? `\`\`\`\n${output}\n\`\`\`` : "(no output)";
  if (message.cancelled === true) text += "\n\n(command cancelled)";
  else if (typeof message.exitCode === "number" && message.exitCode !== 0) {
    text += `\n\nCommand exited with code ${message.exitCode}`;
  }
  if (message.truncated === true && typeof message.fullOutputPath === "string") {
    text += `\n\n[Output truncated. Full output: ${message.fullOutputPath}]`;
  }
  return text;
}

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
      message:
        `Kept ${skippedReplies} errored or aborted assistant repl(ies) as notices: Pi does not replay them`,
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
      message:
        `Skipped ${offBranch} message entr(ies) of ${source} that are not on the active branch`,
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

/** The model an assistant message names: `provider`, `api` and `model`. */
export interface PiModelInfo {
  /** Pi provider name, e.g. `anthropic`. */
  provider: string;
  /** Pi API name, e.g. `anthropic-messages`. */
  api: string;
  /** Model id, e.g. `claude-sonnet-4-5`. */
  model: string;
}

/** The model written when a canonical session names none. */
export const PI_DEFAULT_MODEL: PiModelInfo = {
  provider: "anthropic",
  api: "anthropic-messages",
  model: "claude-sonnet-4-5",
};

/**
 * A plausible Pi provider and API for a model id from another agent
 * (`claude-*` → anthropic, `gpt-*`/`o1…`/`codex` → openai, `gemini-*` →
 * google, else `unknown`/`openai-completions`). Pi falls back to a configured
 * model when the recorded provider has no credentials.
 *
 * @param model A model id, or `undefined` for {@linkcode PI_DEFAULT_MODEL}.
 * @returns The model info.
 *
 * @example
 * ```ts
 * import { piModelInfo } from "./pi_session.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(piModelInfo("gpt-5.1").provider, "openai");
 * assert.equal(piModelInfo(undefined).model, "claude-sonnet-4-5");
 * ```
 */
export function piModelInfo(model: string | undefined): PiModelInfo {
  if (model === undefined || model.trim() === "") return { ...PI_DEFAULT_MODEL };
  const m = model.toLowerCase();
  if (m.includes("claude")) return { provider: "anthropic", api: "anthropic-messages", model };
  if (/^(gpt|o\d|codex|chatgpt)/.test(m)) {
    return { provider: "openai", api: "openai-responses", model };
  }
  if (m.includes("gemini")) return { provider: "google", api: "google-generative-ai", model };
  return { provider: "unknown", api: "openai-completions", model };
}

/** The all-zero `usage` object (Pi 0.73 crashes on resume without one). */
export function piZeroUsage(): Record<string, unknown> {
  return {
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
    totalTokens: 0,
    cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
  };
}

/**
 * A new entry id like Pi's: 8 hex chars not in `used` (a full UUID after 100 collisions).
 *
 * @param used Ids already taken; the new one is added.
 * @returns The id.
 */
export function newPiEntryId(used: Set<string>): string {
  let id: string = crypto.randomUUID();
  for (let i = 0; i < 100; i++) {
    const short = crypto.randomUUID().slice(0, 8);
    if (!used.has(short)) {
      id = short;
      break;
    }
  }
  used.add(id);
  return id;
}

/**
 * A version-3 session header.
 *
 * @param id The session id.
 * @param cwd The working directory (must exist for Pi to resume).
 * @param time Creation time, epoch ms.
 * @param version The version to write (OpenClaw writes 4).
 * @returns The header record.
 */
export function piSessionHeader(
  id: string,
  cwd: string,
  time: number,
  version: number = PI_SESSION_VERSION,
): PiSessionHeader {
  return { type: "session", version, id, timestamp: isoTime(time), cwd };
}

/** Options for {@linkcode canonicalToPiEntries}. */
export interface CanonicalToPiOptions {
  /** Fallback time for messages without one, epoch ms. */
  now: number;
  /** The model for assistant messages without an author (default from the session model). */
  model?: PiModelInfo;
  /** Starts with a `model_change` entry naming `model`. Default `true`. */
  modelChange?: boolean;
  /** Ends with a `session_info` entry with this name. */
  title?: string;
  /** Makes entry ids; default {@linkcode newPiEntryId} (OpenClaw uses UUIDs). */
  newEntryId?: (used: Set<string>) => string;
}

/**
 * Builds Pi entries for a canonical conversation: one chain, each entry the
 * child of the one before. User messages → `user` messages (a text block,
 * then an `image` block per image);
 * assistant messages → `assistant` with `text` and `toolCall` blocks (object
 * arguments), `api`/`provider`/`model`, zero `usage` and `stopReason`
 * (`toolUse` when it ends in calls, else `stop`); each tool result → its own
 * `toolResult` entry (its text, then its images). An image without its bytes
 * is dropped with a warning. Reasoning, `system` and `other` messages are not written
 * (Pi drops thinking from another model anyway; Pi adds its own system
 * prompt). Every message carries its time (epoch ms) and its entry the ISO
 * form.
 *
 * @param messages The canonical conversation (repaired: results after their calls).
 * @param options Time, model, title and id maker.
 * @returns The entries (without header) and warnings.
 */
export function canonicalToPiEntries(
  messages: readonly Message[],
  options: CanonicalToPiOptions,
): { entries: PiEntry[]; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const used = new Set<string>();
  const makeId = options.newEntryId ?? newPiEntryId;
  const entries: PiEntry[] = [];
  const times = fillTimestamps(messages, options.now);
  let previous = times[0] ?? options.now;
  const model = options.model ?? PI_DEFAULT_MODEL;
  const add = (type: string, time: number, body: Record<string, unknown>): void => {
    const id = makeId(used);
    used.add(id);
    entries.push({
      type,
      id,
      parentId: entries.at(-1)?.id ?? null,
      timestamp: isoTime(time),
      ...body,
    });
  };
  if (options.modelChange !== false) {
    add("model_change", previous, { provider: model.provider, modelId: model.model });
  }
  const callNames = new Map<string, string>();
  let droppedReasoning = 0;
  messages.forEach((message, i) => {
    const time = Math.max(times[i] ?? previous, previous);
    previous = time;
    if (message.role === "user") {
      const images = piImageBlocks(message.images, `message ${message.index}`, warnings);
      if (message.text.trim() === "" && images.length === 0) return;
      const content = message.text.trim() === "" ? [] : [{ type: "text", text: message.text }];
      add("message", time, {
        message: { role: "user", content: [...content, ...images], timestamp: time },
      });
    } else if (message.role === "assistant") {
      if (message.reasoning !== undefined && message.reasoning !== "") droppedReasoning++;
      const content: Record<string, unknown>[] = [];
      if (message.text !== "") content.push({ type: "text", text: message.text });
      for (const call of message.toolCalls) {
        callNames.set(call.id, call.name);
        content.push({
          type: "toolCall",
          id: call.id,
          name: call.name,
          arguments: toolInputObject(call.input),
        });
      }
      if (content.length === 0) return;
      const info = message.author !== undefined && message.author !== model.model
        ? piModelInfo(message.author)
        : model;
      add("message", time, {
        message: {
          role: "assistant",
          content,
          api: info.api,
          provider: info.provider,
          model: info.model,
          usage: piZeroUsage(),
          stopReason: message.toolCalls.length > 0 ? "toolUse" : "stop",
          timestamp: time,
        },
      });
    } else if (message.role === "tool") {
      for (const result of message.toolResults) {
        const images = piImageBlocks(
          result.images,
          `the result of call "${result.callId}"`,
          warnings,
        );
        const text = result.output === "" && images.length > 0
          ? []
          : [{ type: "text", text: result.output }];
        add("message", time, {
          message: {
            role: "toolResult",
            toolCallId: result.callId,
            toolName: result.name ?? callNames.get(result.callId) ?? "unknown",
            content: [...text, ...images],
            isError: result.isError,
            timestamp: time,
          },
        });
      }
    }
  });
  if (droppedReasoning > 0) {
    warnings.push({
      code: "dropped-reasoning",
      message: `Dropped the reasoning of ${droppedReasoning} assistant message(s)`,
    });
  }
  if (options.title !== undefined && options.title.trim() !== "") {
    add("session_info", previous, { name: options.title.trim() });
  }
  return { entries, warnings };
}
