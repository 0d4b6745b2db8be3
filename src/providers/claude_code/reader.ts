/**
 * Reading a Claude Code transcript (`<root>/projects/<key>/<uuid>.jsonl`)
 * into a canonical session.
 *
 * What is kept, and how:
 * - The conversation is the `parentUuid` chain of the latest main-line leaf
 *   ({@linkcode conversationRecords}); files without links are read in file order.
 * - Assistant records are merged by `message.id` (2.1.x writes one record per
 *   content block); a record that only adds tool calls also joins the
 *   assistant message right before it.
 * - A user record with `tool_result` blocks becomes a `tool` message (runs of
 *   such records merge into one); its text blocks, if any, a user message after it.
 * - `isMeta` records, `<command-name>` / `<local-command-stdout>` wrappers and
 *   `system` records become `system` messages; synthetic API-error replies
 *   (`isApiErrorMessage`) become `other`.
 * - Compaction: a `compact_boundary` starts a new root, so only post-boundary
 *   records are on the chain. The compact summary (`isCompactSummary`) is kept
 *   as a `user` message, and `metadata.compaction` records the boundary count
 *   and the summary message indexes. Pre-boundary turns are not read.
 * - Every other record type (`queue-operation`, `attachment`, `progress`,
 *   `api-request*`, `cost-state`, `file-history-snapshot`…) is ignored silently.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { Message, ReadResult, Session, Warning } from "../../model/types.ts";
import { parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import { isRecord, malformedLineWarning, readJsonLines, str } from "../../internal/jsonl.ts";
import { isUuid } from "../../internal/ids.ts";
import { CasrError } from "../../errors.ts";
import { blocksToPieces } from "../../formats/anthropic.ts";
import { conversationRecords, type TranscriptRecord } from "./chain.ts";

/** The provider id written into every session read. */
export const CLAUDE_CODE_ID = "claude-code";

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

interface Builder {
  messages: Message[];
  /** `message.id` of each assistant message, by array position. */
  replyIds: Map<number, string>;
  /** JSON of the content blocks already taken for each `message.id`. */
  seenBlocks: Map<string, Set<string>>;
  compactSummaries: number[];
}

function push(builder: Builder, message: Omit<Message, "index">): void {
  builder.messages.push({ index: builder.messages.length, ...message });
}

function recordTime(record: Record<string, unknown>): number | undefined {
  return parseTimestamp(record.timestamp);
}

function withTime(message: Omit<Message, "index">, ts: number | undefined): Omit<Message, "index"> {
  if (ts !== undefined) message.timestamp = ts;
  return message;
}

function addAssistant(builder: Builder, record: Record<string, unknown>): void {
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
  push(builder, withTime(out, recordTime(record)));
  if (replyId !== undefined) builder.replyIds.set(builder.messages.length - 1, replyId);
}

function addUser(builder: Builder, record: Record<string, unknown>): void {
  const message = isRecord(record.message) ? record.message : {};
  const pieces = blocksToPieces(message.content);
  const ts = recordTime(record);
  if (pieces.toolResults.length > 0) {
    const last = builder.messages[builder.messages.length - 1];
    if (last !== undefined && last.role === "tool" && last.text === "") {
      last.toolResults.push(...pieces.toolResults);
      (last.extra as unknown[]).push(record);
    } else {
      push(
        builder,
        withTime({
          role: "tool",
          text: "",
          toolCalls: [],
          toolResults: pieces.toolResults,
          extra: [record],
        }, ts),
      );
    }
  }
  if (pieces.text === "") return;
  const scaffolding = record.isMeta === true || isWrapperText(pieces.text);
  if (record.isCompactSummary === true) builder.compactSummaries.push(builder.messages.length);
  push(
    builder,
    withTime({
      role: scaffolding ? "system" : "user",
      text: pieces.text,
      toolCalls: [],
      toolResults: [],
      extra: [record],
    }, ts),
  );
}

function addSystem(builder: Builder, record: Record<string, unknown>): void {
  const content = record.content;
  const text = typeof content === "string" ? content : blocksToPieces(content).text;
  if (text.trim() === "") return;
  push(
    builder,
    withTime(
      { role: "system", text, toolCalls: [], toolResults: [], extra: [record] },
      recordTime(record),
    ),
  );
}

function firstPromptTitle(
  messages: readonly Message[],
  skip: readonly number[],
): string | undefined {
  for (const m of messages) {
    if (m.role !== "user" || skip.includes(m.index)) continue;
    const line = m.text.trim().split("\n")[0]?.trim() ?? "";
    if (line === "") continue;
    return line.length > 80 ? `${line.slice(0, 79)}…` : line;
  }
  return undefined;
}

/**
 * Reads one Claude Code transcript.
 *
 * @param path The `.jsonl` file.
 * @returns The canonical session (provider `claude-code`) and warnings.
 * @throws {CasrError} `parse-failed` when no user or assistant record is in the file.
 */
export async function readClaudeSession(path: string): Promise<ReadResult> {
  const warnings: Warning[] = [];
  const all: TranscriptRecord[] = [];
  let customTitle: string | undefined;
  let aiTitle: string | undefined;
  let summary: string | undefined;
  let boundaries = 0;
  let sessionIdField: string | undefined;
  try {
    for await (const line of readJsonLines(path)) {
      if (!line.ok) {
        warnings.push(malformedLineWarning(line, path));
        continue;
      }
      if (!isRecord(line.value)) continue;
      const value = line.value;
      switch (value.type) {
        case "custom-title":
          customTitle = str(value.customTitle) ?? customTitle;
          break;
        case "ai-title":
          aiTitle = str(value.aiTitle) ?? aiTitle;
          break;
        case "summary":
          summary = str(value.summary) ?? summary;
          break;
        case "system":
          if (value.subtype === "compact_boundary") boundaries++;
          break;
      }
      sessionIdField ??= str(value.sessionId);
      all.push({ value, order: all.length, line: line.line });
    }
  } catch (error) {
    throw new CasrError(
      "parse-failed",
      `Cannot read session "${path}": ${(error as Error).message}`,
      {
        cause: error,
        details: { path },
      },
    );
  }

  const conversation = conversationRecords(all);
  const hasConversation = conversation.records.some((r) =>
    r.value.type === "user" || r.value.type === "assistant"
  );
  if (!hasConversation) {
    const reason = all.length === 0 ? "file is empty" : "no user or assistant record";
    throw new CasrError("parse-failed", `Cannot read session "${path}": ${reason}`, {
      details: { path },
    });
  }
  const linkable = conversation.records.filter((r) =>
    r.value.type === "user" || r.value.type === "assistant"
  );
  if (conversation.mode === "file-order" && linkable.length > 1) {
    warnings.push({
      code: "unchained-transcript",
      message: `Records of "${path}" carry no parentUuid links; they were read in file order`,
    });
  }

  const sidechainOnly = linkable[0]?.value.isSidechain === true;
  const builder: Builder = {
    messages: [],
    replyIds: new Map(),
    seenBlocks: new Map(),
    compactSummaries: [],
  };
  let workspace: string | undefined;
  let version: string | undefined;
  let gitBranch: string | undefined;
  let entrypoint: string | undefined;
  let model: string | undefined;
  for (const { value } of conversation.records) {
    if (!sidechainOnly && (value.isSidechain === true || value.teamName)) continue;
    workspace ??= str(value.cwd);
    version = str(value.version) ?? version;
    gitBranch = typeof value.gitBranch === "string" ? value.gitBranch : gitBranch;
    entrypoint ??= str(value.entrypoint);
    if (value.type === "assistant") {
      addAssistant(builder, value);
      const m = isRecord(value.message) ? str(value.message.model) : undefined;
      if (m !== undefined && m !== "<synthetic>") model = m;
    } else if (value.type === "user") addUser(builder, value);
    else if (value.type === "system") addSystem(builder, value);
  }

  const messages = reindexMessages(builder.messages);
  const stem = nodePath.basename(path).replace(/\.jsonl$/i, "");
  const id = isUuid(stem) ? stem : sessionIdField ?? stem;
  const metadata: Record<string, unknown> = { chain: conversation.mode };
  if (version !== undefined) metadata.version = version;
  if (gitBranch !== undefined) metadata.gitBranch = gitBranch;
  if (entrypoint !== undefined) metadata.entrypoint = entrypoint;
  if (conversation.leafUuid !== undefined) metadata.leafUuid = conversation.leafUuid;
  if (sessionIdField !== undefined && sessionIdField !== id) {
    metadata.recordSessionId = sessionIdField;
  }
  if (conversation.offChain > 0) metadata.offChainRecords = conversation.offChain;
  if (boundaries > 0 || builder.compactSummaries.length > 0) {
    metadata.compaction = { boundaries, summaryMessageIndexes: builder.compactSummaries };
  }
  if (sidechainOnly) metadata.sidechain = true;

  const session: Session = { id, provider: CLAUDE_CODE_ID, messages, metadata, sourcePath: path };
  if (workspace !== undefined) session.workspace = workspace;
  const title = customTitle ?? aiTitle ?? summary ??
    firstPromptTitle(messages, builder.compactSummaries);
  if (title !== undefined) session.title = title;
  if (model !== undefined) session.model = model;
  const times = messages.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  if (times.length > 0) {
    session.startedAt = Math.min(...times);
    session.endedAt = Math.max(...times);
  }
  return { session, warnings };
}
