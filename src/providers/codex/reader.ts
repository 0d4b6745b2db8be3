/**
 * Reads a Codex rollout (`rollout-….jsonl`) into a canonical session.
 *
 * The model history is the `response_item` lines; `event_msg` lines are UI
 * events and are not messages, except that `user_message` events (or
 * `item_completed` `UserMessage` events) stand in for the prompts when a
 * rollout has no user response item at all. Compaction is read as Codex
 * replays it on resume: a `compacted` line with a `replacement_history`
 * restarts the message list from that history (after remote compaction: the
 * earlier user messages plus an opaque, encrypted `compaction` item, which is
 * reported as a warning); a legacy `compacted` line without one keeps the
 * earlier user messages (about 20,000 tokens, newest first) and adds its
 * summary as a user message (see `compaction.ts`). A `thread_rolled_back`
 * event drops the newest N user turns. A call left without an output (the turn
 * was cut off) gets the "aborted" output Codex sends for it on resume (see
 * `aborted.ts`). A TypeScript-era `rollout-….json` (one
 * JSON object, see `ts_rollout.ts`) is read with a warning.
 *
 * @module
 */
import * as path from "node:path";
import { type CasrError, parseFailed } from "../../errors.ts";
import { readText } from "../../internal/file_reads.ts";
import { plural } from "../../internal/plural.ts";
import {
  isRecord,
  jsonLinesOf,
  malformedLineWarning,
  readJsonLines,
  str,
} from "../../internal/jsonl.ts";
import { zstdTextChunks, zstdUnavailable } from "../../internal/zstd.ts";
import { clipText, parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import type { Message, ReadResult, Session, Warning } from "../../model/types.ts";
import type { OmitRule } from "../../internal/json_prune.ts";
import type { ProviderContext, ReadOptions } from "../types.ts";
import { eventPromptText, HistoryBuilder } from "./history.ts";
import { codexRoot, rolloutIdFromName, rootOfRollout } from "./paths.ts";
import { parseTsRollout, replayTsRollout, tsRolloutWarning } from "./ts_rollout.ts";
import { threadNames } from "./thread_names.ts";

/** Response item types that old rollouts wrote without the `{type, payload}` envelope. */
const BARE_ITEM_TYPES = new Set([
  "message",
  "reasoning",
  "function_call",
  "function_call_output",
  "custom_tool_call",
  "custom_tool_call_output",
  "local_shell_call",
  "web_search_call",
]);

/**
 * A session title from a prompt: the text after `## My request for Codex:` when
 * present, first non-blank line, at most 80 characters.
 *
 * @param prompt The prompt text.
 * @returns The title, or `undefined` for a blank prompt.
 */
export function titleFromPrompt(prompt: string): string | undefined {
  const marker = "## My request for Codex:";
  const at = prompt.indexOf(marker);
  const body = at === -1 ? prompt : prompt.slice(at + marker.length);
  const line = body.split("\n").map((l) => l.trim()).find((l) => l !== "");
  if (line === undefined) return undefined;
  return clipText(line, 80);
}

function metadataOf(meta: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!meta) return out;
  const keys: Array<[string, string]> = [
    ["cli_version", "cliVersion"],
    ["originator", "originator"],
    ["model_provider", "modelProvider"],
    ["source", "source"],
    ["thread_source", "threadSource"],
    ["history_mode", "historyMode"],
    ["forked_from_id", "forkedFromId"],
    ["parent_thread_id", "parentThreadId"],
    ["timestamp", "createdAt"],
  ];
  for (const [from, to] of keys) {
    if (meta[from] !== undefined && meta[from] !== null) out[to] = meta[from];
  }
  if (isRecord(meta.git)) {
    const git = meta.git;
    if (str(git.branch)) out.gitBranch = git.branch;
    if (str(git.commit_hash)) out.gitCommit = git.commit_hash;
    if (str(git.repository_url)) out.gitRepositoryUrl = git.repository_url;
  }
  return out;
}

/**
 * What every read leaves out, unparsed: the instructions and tool lists that
 * ride along in `session_meta`, `turn_context` and `additional_tools` lines
 * (tens of KB each; nothing here reads them).
 */
const UNREAD: OmitRule = {
  paths: [
    ["payload", "base_instructions"],
    ["payload", "user_instructions"],
    ["payload", "developer_instructions"],
    ["payload", "tools"],
  ],
  ifHeadContains: ['"session_meta"', '"turn_context"', '"additional_tools"'],
};

/** What a text-only read leaves out besides: every tool output. */
const TEXT_ONLY: OmitRule = {
  paths: [...UNREAD.paths, ["payload", "output"]],
  ifHeadContains: [...UNREAD.ifHeadContains, '_call_output"'],
};

function rolloutFailed(file: string, reason: string): CasrError {
  return parseFailed(file, reason, { details: { provider: "codex" } });
}

/** A compressed rollout's text; a file that is not zstd fails as unreadable. */
async function* decompressed(file: string): AsyncGenerator<string> {
  try {
    yield* zstdTextChunks(file);
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw rolloutFailed(file, `it cannot be decompressed (${reason})`);
  }
}

/**
 * Reads one rollout file leniently.
 *
 * @param file The rollout path.
 * @param ctx Where to look (for the Codex home's `session_index.jsonl`).
 * @param options `textOnly` leaves tool outputs empty (see {@linkcode ReadOptions}).
 * @returns The canonical session and the warnings.
 * @throws {CasrError} `parse-failed` for an empty or record-less file, or a
 * compressed one this runtime cannot decompress.
 */
export async function readRollout(
  file: string,
  ctx: ProviderContext,
  options: ReadOptions = {},
): Promise<ReadResult> {
  // Codex compresses old rollouts (`.jsonl.zst`); they read as the plain ones.
  const compressed = file.endsWith(".zst");
  const noZstd = compressed ? zstdUnavailable() : undefined;
  if (noZstd !== undefined) {
    throw rolloutFailed(
      file,
      `it is zstd-compressed and ${noZstd}; decompress it with \`zstd -d\``,
    );
  }
  const warnings: Warning[] = [];
  const builder = new HistoryBuilder();
  let meta: Record<string, unknown> | undefined;
  let threadName: string | undefined;
  let lastModel: string | undefined;
  let lines = 0;
  let recognised = 0;
  let compactions = 0;

  const tsRollout = file.endsWith(".json") ? parseTsRollout(await readText(file)) : undefined;
  if (tsRollout !== undefined) {
    warnings.push(tsRolloutWarning(file));
    lines = 1;
    recognised = 1;
    meta = tsRollout.meta;
    replayTsRollout(tsRollout, builder);
  }

  const omit = options.textOnly ? TEXT_ONLY : UNREAD;
  const records = tsRollout
    ? []
    : compressed
    ? jsonLinesOf(decompressed(file), omit)
    : readJsonLines(file, omit);
  for await (const line of records) {
    lines++;
    if (!line.ok) {
      warnings.push(malformedLineWarning(line, file));
      continue;
    }
    const record = line.value;
    if (!isRecord(record)) continue;
    const timestamp = parseTimestamp(record.timestamp);
    const payload = isRecord(record.payload) ? record.payload : undefined;
    const fallbackId = `line-${line.line}`;
    if (!payload) {
      // Early 2025 rollouts: a bare meta object first, then bare response items.
      if (typeof record.type === "string" && BARE_ITEM_TYPES.has(record.type)) {
        recognised++;
        builder.addItem(record, timestamp, record, fallbackId);
      } else if (!meta && str(record.id) && record.type === undefined) {
        recognised++;
        meta = record;
      }
      continue;
    }
    switch (record.type) {
      case "session_meta":
        recognised++;
        meta ??= payload;
        break;
      case "turn_context":
        recognised++;
        builder.model = str(payload.model) ?? builder.model;
        lastModel = builder.model ?? lastModel;
        break;
      case "response_item":
        recognised++;
        builder.addItem(payload, timestamp, record, fallbackId);
        break;
      case "compacted":
        recognised++;
        compactions++;
        if (Array.isArray(payload.replacement_history)) {
          builder.replaceHistory(payload.replacement_history.filter(isRecord), fallbackId);
        } else {
          builder.compactWithoutHistory(str(payload.message) ?? "", timestamp, record);
        }
        break;
      case "event_msg": {
        recognised++;
        const prompt = eventPromptText(payload);
        if (prompt !== undefined) builder.addEventPrompt(prompt, timestamp, record);
        else if (payload.type === "thread_name_updated") {
          threadName = str(payload.thread_name) ?? threadName;
        } else if (payload.type === "thread_rolled_back") {
          const turns = Number(payload.num_turns);
          if (Number.isInteger(turns) && turns > 0) builder.rollback(turns);
        }
        break;
      }
      default:
        if (typeof record.type === "string") recognised++;
    }
  }

  if (lines === 0) {
    throw rolloutFailed(
      file,
      compressed ? "it decompresses to nothing (is it cut off or damaged?)" : "file is empty",
    );
  }
  const messages: Message[] = reindexMessages(builder.finish());
  if (recognised === 0) throw rolloutFailed(file, "no Codex rollout records found");
  if (!meta && messages.length === 0) {
    throw rolloutFailed(
      file,
      `its ${
        plural(recognised, "Codex record")
      } hold no conversation (no message and no session_meta line)`,
    );
  }

  const id = str(meta?.id) ?? rolloutIdFromName(path.basename(file)) ??
    path.basename(file).replace(/\.jsonl?$/, "");
  if (!meta) {
    warnings.push({
      code: "missing-session-meta",
      message: `Session "${id}" has no session_meta line; the id comes from the file name`,
    });
  }
  const root = rootOfRollout(file) ?? codexRoot(ctx);
  const firstPrompt = messages.find((m) => m.role === "user")?.text;
  const title = threadName ?? (await threadNames(root)).get(id) ??
    (firstPrompt === undefined ? undefined : titleFromPrompt(firstPrompt));
  const times = messages.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  const metadata = metadataOf(meta);
  if (compactions > 0) metadata.compactions = compactions;
  if (builder.opaqueCompactions > 0) {
    warnings.push({
      code: "compaction-summary-encrypted",
      message: builder.opaqueCompactions === 1
        ? "Codex replays 1 remote compaction summary that OpenAI keeps encrypted; the session holds the user messages Codex kept around it, not the summary"
        : `Codex replays ${builder.opaqueCompactions} remote compaction summaries that OpenAI keeps encrypted; the session holds the user messages Codex kept around them, not the summaries`,
    });
  }

  const session: Session = {
    id,
    provider: "codex",
    messages,
    metadata,
    sourcePath: path.resolve(file),
  };
  const workspace = str(meta?.cwd);
  if (workspace !== undefined) session.workspace = workspace;
  if (title !== undefined) session.title = title;
  if (lastModel !== undefined) session.model = lastModel;
  const started = times[0] ?? parseTimestamp(meta?.timestamp);
  const ended = times.at(-1) ?? started;
  if (started !== undefined) session.startedAt = started;
  if (ended !== undefined) session.endedAt = ended;
  return { session, warnings };
}
