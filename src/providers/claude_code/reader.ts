/**
 * Reading a Claude Code transcript (`<root>/projects/<key>/<uuid>.jsonl`)
 * into a canonical session.
 *
 * What is kept, and how:
 * - The conversation is the `parentUuid` chain of the latest main-line leaf
 *   ({@linkcode conversationRecords}); files without links are read in file order.
 * - The records become messages as Claude Code sends them to its model on
 *   resume (see messages.ts): assistant records merged by `message.id`, tool
 *   results as `tool` messages, typed prompts, slash commands (`/name args` plus
 *   the expanded prompt), `isMeta` notes and local-command output as `user`
 *   text, `queued_command` attachments as user prompts, images as `images`.
 * - Compaction: a `compact_boundary` starts a new root, so only post-boundary
 *   records are on the chain, plus the records the boundary preserved
 *   (`compactMetadata.preservedSegment`, e.g. the last reply before `/compact`),
 *   relinked after the summary ({@linkcode conversationRecords}). The compact
 *   summary (`isCompactSummary`) is kept as a `user` message, and
 *   `metadata.compaction` records the boundary count and the summary message
 *   indexes. Other pre-boundary turns are not read: Claude Code does not send them.
 * - Every other record type (`queue-operation`, `progress`, `api-request*`,
 *   `cost-state`, `file-history-snapshot`…) is ignored silently.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { Message, ReadResult, Session, Warning } from "../../model/types.ts";
import { clipText, reindexMessages, setTimeSpan } from "../../model/normalize.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { readJsonlSession } from "../../formats/jsonl_session.ts";
import type { OmitRule } from "../../internal/json_prune.ts";
import type { ReadOptions } from "../types.ts";
import { isUuid } from "../../internal/ids.ts";
import { parseFailed } from "../../errors.ts";
import { conversationRecords, type TranscriptRecord } from "./chain.ts";
import {
  addAssistant,
  addAttachment,
  addSystem,
  addUser,
  newBuilder,
  titlePromptOf,
} from "./messages.ts";
import { plural } from "../../internal/plural.ts";

export { isWrapperText } from "./messages.ts";

/** The provider id written into every session read. */
export const CLAUDE_CODE_ID = "claude-code";

function firstPromptTitle(
  messages: readonly Message[],
  skip: readonly number[],
  typed: ReadonlyMap<number, string>,
): string | undefined {
  const anyTyped = messages.some((m) => typed.has(m.index));
  for (const m of messages) {
    if (m.role !== "user" || skip.includes(m.index)) continue;
    if (anyTyped && !typed.has(m.index)) continue;
    const line = (typed.get(m.index) ?? m.text).trim().split("\n")[0]?.trim() ?? "";
    if (line === "") continue;
    return clipText(line, 80);
  }
  return undefined;
}

/**
 * What every read leaves out, unparsed: `toolUseResult`, Claude Code's second
 * copy of each tool output, and the request shape of `api-request-shape`
 * records. Nothing here reads either.
 */
const UNREAD: OmitRule = {
  paths: [["toolUseResult"], ["shape"]],
  ifHeadContains: ['"tool_result"', '"api-request-shape"'],
};

/**
 * What a text-only read leaves out besides: each tool output, in its
 * `tool_result` block (or a web search's result block).
 */
const TEXT_ONLY: OmitRule = {
  paths: [...UNREAD.paths, ["message", "content", "*", "content"]],
  ifHeadContains: ['_result"', '"api-request-shape"'],
};

/**
 * Reads one Claude Code transcript.
 *
 * @param path The `.jsonl` file.
 * @param options `textOnly` leaves tool outputs empty (see {@linkcode ReadOptions}).
 * @returns The canonical session (provider `claude-code`) and warnings.
 * @throws {CasrError} `parse-failed` when no user or assistant record is in the file.
 */
export async function readClaudeSession(
  path: string,
  options: ReadOptions = {},
): Promise<ReadResult> {
  const warnings: Warning[] = [];
  const all: TranscriptRecord[] = [];
  let customTitle: string | undefined;
  let aiTitle: string | undefined;
  // Claude Code files a `summary` under the conversation whose last record is
  // its `leafUuid`; one written into this file for another session (as a
  // resumed or continued one gets) does not name this one.
  const summaries: { text: string; leaf: string | undefined }[] = [];
  const uuids = new Set<string>();
  let boundaries = 0;
  let lastBoundary: number | undefined;
  let sessionIdField: string | undefined;
  const lines = await readJsonlSession(path, warnings, (value, at) => {
    if (!isRecord(value)) return;
    switch (value.type) {
      case "custom-title":
        customTitle = str(value.customTitle) ?? customTitle;
        break;
      case "ai-title":
        aiTitle = str(value.aiTitle) ?? aiTitle;
        break;
      case "summary": {
        const text = str(value.summary);
        if (text !== undefined) summaries.push({ text, leaf: str(value.leafUuid) });
        break;
      }
      case "system":
        if (value.subtype === "compact_boundary") {
          boundaries++;
          lastBoundary = all.length;
        }
        break;
    }
    sessionIdField ??= str(value.sessionId);
    if (typeof value.uuid === "string") uuids.add(value.uuid);
    // Claude Code stores each tool's output twice: in the message's tool_result
    // and again in `toolUseResult`, which nothing here reads. It is left out of
    // a line as it is parsed (UNREAD); one the walk missed goes now, which keeps
    // a long session's records to about half their size.
    if (value.toolUseResult !== undefined) value.toolUseResult = undefined;
    all.push({ value, order: all.length, line: at });
  }, options.textOnly ? TEXT_ONLY : UNREAD);

  const conversation = conversationRecords(all);
  const hasConversation = conversation.records.some((r) =>
    r.value.type === "user" || r.value.type === "assistant"
  );
  if (!hasConversation) {
    const reason = lines === 0
      ? "file is empty"
      : all.length === 0
      ? `none of its ${plural(lines, "line")} is a JSON record (is it a Claude Code transcript?)`
      : "no user or assistant record";
    throw parseFailed(path, reason);
  }
  const linkable = conversation.records.filter((r) =>
    r.value.type === "user" || r.value.type === "assistant"
  );
  if (conversation.mode === "file-order" && linkable.length > 1) {
    warnings.push({
      code: "unchained-transcript",
      message:
        `Records of "${path}" are not linked into one chain by parentUuid; they were read in file order`,
    });
  }

  const broken = conversation.broken;
  if (broken !== undefined && broken.leftOut > 0) {
    warnings.push({
      code: "chain-gap",
      message: `The conversation of "${path}" breaks off at line ${broken.line}: its parent ` +
        `record ${broken.parent} is not in the file, so ${
          plural(broken.leftOut, "other user or assistant record")
        } ${broken.leftOut === 1 ? "is" : "are"} not read as part of it`,
      line: broken.line,
    });
  }

  // What the last compaction took out of the conversation: the prompts and
  // replies before its boundary that the chain no longer reaches (Claude Code
  // sends its summary, and the records it preserved, in their place).
  if (lastBoundary !== undefined && conversation.mode === "chain") {
    const kept = new Set(conversation.records);
    const compacted = all.slice(0, lastBoundary).filter((r) =>
      (r.value.type === "user" || r.value.type === "assistant") &&
      r.value.isSidechain !== true && !kept.has(r)
    ).length;
    if (compacted > 0) {
      warnings.push({
        code: "compacted-history",
        message: `Left out ${plural(compacted, "user or assistant record")} of "${path}" from ` +
          "before its last compaction: Claude Code sends the compaction summary in their place",
      });
    }
  }

  const sidechainOnly = linkable[0]?.value.isSidechain === true;
  const builder = newBuilder();
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
    else if (value.type === "attachment") addAttachment(builder, value);
    else if (value.type === "system") addSystem(builder, value);
  }

  // A reply a compaction preserved is older than the summary it now follows: its time
  // would run backwards, so it goes (the record keeps it in `extra`).
  let latest = -Infinity;
  for (const message of builder.messages) {
    if (message.timestamp === undefined) continue;
    const first = (message.extra as Record<string, unknown>[] | undefined)?.[0];
    const uuid = first === undefined ? undefined : str(first.uuid);
    if (
      message.timestamp < latest && uuid !== undefined && conversation.preservedUuids.has(uuid)
    ) {
      delete message.timestamp;
      continue;
    }
    latest = Math.max(latest, message.timestamp);
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
  if (conversation.preserved > 0) metadata.preservedRecords = conversation.preserved;
  if (boundaries > 0 || builder.compactSummaries.length > 0) {
    metadata.compaction = { boundaries, summaryMessageIndexes: builder.compactSummaries };
  }
  if (sidechainOnly) metadata.sidechain = true;

  const session: Session = { id, provider: CLAUDE_CODE_ID, messages, metadata, sourcePath: path };
  if (workspace !== undefined) session.workspace = workspace;
  const summary = summaries.findLast((s) => s.leaf === undefined || uuids.has(s.leaf))?.text;
  // The file's first prompt, as `list` (and Claude Code's own picker) shows
  // it, even when a compaction or a rewind left it off the chain.
  let typed: string | undefined;
  let command: string | undefined;
  for (const { value } of all) {
    const offered = titlePromptOf(value);
    typed = offered.typed;
    if (typed !== undefined) break;
    command ??= offered.command;
  }
  const title = customTitle ?? aiTitle ?? summary ?? typed ?? command ??
    firstPromptTitle(messages, builder.compactSummaries, builder.typed);
  if (title !== undefined) session.title = title;
  if (model !== undefined) session.model = model;
  setTimeSpan(session);
  return { session, warnings };
}
