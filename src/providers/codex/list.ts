/**
 * Listing and finding Codex rollouts cheaply.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as nodePath from "node:path";
import { mapLimit, readDirEntries, statFile } from "../../internal/fast_fs.ts";
import { type FileSample, sampleFile } from "../../internal/file_reads.ts";
import { SCAN_CONCURRENCY } from "../../internal/session_index.ts";
import { zstdTextChunks, zstdUnavailable } from "../../internal/zstd.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { lastTimestampIn, matchingIds } from "../listing.ts";
import { eventPromptText, HistoryBuilder } from "./history.ts";
import { INJECTED_PREFIXES, isInjectedUserItem, messageText } from "./items.ts";
import {
  archivedDir,
  codexRoot,
  isTsRolloutName,
  rolloutIdFromName,
  rolloutStampFromName,
  sessionsDir,
} from "./paths.ts";
import { titleFromPrompt } from "./reader.ts";
import { threadNames } from "./thread_names.ts";
import { parseTsRollout, replayTsRollout } from "./ts_rollout.ts";

/** How many files are summarized at once (keeps open file handles bounded). */
const CONCURRENCY = SCAN_CONCURRENCY;

export { mapLimit };

/** One rollout file found on disk. */
export interface RolloutFile {
  /** The thread id from the file name. */
  id: string;
  /** The absolute path. */
  path: string;
  /** The file name. */
  name: string;
}

async function walk(dir: string, depth: number, out: RolloutFile[]): Promise<void> {
  const entries = await readDirEntries(dir);
  await Promise.all(
    entries.filter((e) => e.isDir && depth > 0).map((e) => walk(e.path, depth - 1, out)),
  );
  for (const entry of entries) {
    if (entry.isFile) {
      const id = rolloutIdFromName(entry.name);
      if (id !== undefined) out.push({ id, path: entry.path, name: entry.name });
    }
  }
}

/**
 * Every rollout file of the Codex home: `sessions/` (any depth up to
 * `YYYY/MM/DD`) then `archived_sessions/`. When one id has several files, a
 * plain `.jsonl` wins over `.jsonl.zst` and `sessions/` over the archive.
 *
 * @param ctx Where to look.
 * @returns The files, one per id.
 */
export async function rolloutFiles(ctx: ProviderContext): Promise<RolloutFile[]> {
  const root = codexRoot(ctx);
  const found: RolloutFile[] = [];
  await walk(sessionsDir(root), 3, found);
  await walk(archivedDir(root), 1, found);
  const byId = new Map<string, RolloutFile>();
  for (const file of found) {
    const seen = byId.get(file.id);
    if (!seen || (seen.name.endsWith(".zst") && !file.name.endsWith(".zst"))) {
      byId.set(file.id, file);
    }
  }
  return [...byId.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function tryParse(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** How much of a line is searched for type markers. */
const LEAD_CHARS = 640;
const MESSAGE_MARKERS = ['"role":"user"', '"role":"assistant"'];
/** A user item whose first text part opens with an injected wrapper such as `<environment_context>`. */
const INJECTED_START_RE = new RegExp(
  `"role":"user","content":\\[\\{"type":"input_text","text":"(?:${
    INJECTED_PREFIXES.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")
  })`,
  "i",
);
const OUTPUT_MARKERS = ['"type":"function_call_output"', '"type":"custom_tool_call_output"'];
/** Tool calls: one that no assistant text or call comes right before opens an assistant message. */
const CALL_MARKERS = [
  '"type":"function_call"',
  '"type":"custom_tool_call"',
  '"type":"local_shell_call"',
];

const CWD_RE = /"cwd":"((?:[^"\\]|\\.)*)"/;
const TIMESTAMP_RE = /"timestamp":"([^"]{1,40})"/;

/**
 * The workspace and start time of a `session_meta` line (tens of KB: the base
 * instructions ride along), found by string search instead of a parse. Keys in
 * nested JSON strings are escaped (`\"cwd\"`), so the first unescaped `"cwd":"`
 * is the payload's own.
 */
function metaFacts(line: string, result: ScanResult): void {
  const cwd = CWD_RE.exec(line)?.[1];
  if (cwd !== undefined) {
    try {
      const value = JSON.parse(`"${cwd}"`);
      if (value !== "") result.cwd = value;
    } catch {
      // a cut line
    }
  }
  const at = line.indexOf('"payload":{');
  const t = (at === -1 ? undefined : TIMESTAMP_RE.exec(line.slice(at))?.[1]) ??
    TIMESTAMP_RE.exec(line)?.[1];
  const ms = parseTimestamp(t);
  if (ms !== undefined) result.startedAt = ms;
}

/** What a line scan of a rollout finds. */
interface ScanResult {
  cwd?: string;
  startedAt?: number;
  prompt?: string;
  threadName?: string;
  count: number;
}

/**
 * Scans rollout text without parsing every line: JSON-parses only the first
 * line (session_meta), `thread_name_updated` events and candidate prompt lines
 * until the first real prompt is found; counts message lines by substring.
 */
function scanText(text: string, hasMeta = true): ScanResult {
  const result: ScanResult = { count: 0 };
  let first = hasMeta;
  let eventPrompt: string | undefined;
  // What the last counted item was: as the reader builds messages, a call
  // after a reply or another call joins that assistant message, and the
  // outputs of one batch of calls are one tool message.
  let last: "user" | "assistant" | "tool" | undefined;
  for (const line of text.split("\n")) {
    if (line.length === 0 || (line.charCodeAt(0) !== 123 && line.trim() === "")) continue;
    if (first) {
      first = false;
      metaFacts(line, result);
      continue;
    }
    // Envelope and item types sit at the start of a line; tool outputs can run to
    // megabytes, so markers are looked for in the first bytes only.
    const lead = line.length > LEAD_CHARS ? line.slice(0, LEAD_CHARS) : line;
    const isItem = lead.includes('"type":"response_item"');
    if (isItem && MESSAGE_MARKERS.some((m) => lead.includes(m))) {
      if (!INJECTED_START_RE.test(lead)) {
        result.count++;
        last = lead.includes('"role":"assistant"') ? "assistant" : "user";
      }
    } else if (isItem && OUTPUT_MARKERS.some((m) => lead.includes(m))) {
      if (last !== "tool") result.count++;
      last = "tool";
    } else if (isItem && CALL_MARKERS.some((m) => lead.includes(m))) {
      if (last !== "assistant") result.count++;
      last = "assistant";
    }
    if (lead.includes('"thread_name_updated"')) {
      const record = tryParse(line);
      if (record && isRecord(record.payload)) {
        const name = str(record.payload.thread_name);
        if (name !== undefined) result.threadName = name;
      }
    }
    if (result.prompt === undefined && isItem && lead.includes('"role":"user"')) {
      const payload = tryParse(line)?.payload;
      if (isRecord(payload) && payload.type === "message") {
        const prompt = messageText(payload.content);
        if (!isInjectedUserItem(payload, prompt)) result.prompt = prompt;
      }
    } else if (
      result.prompt === undefined && eventPrompt === undefined &&
      lead.includes('"type":"event_msg"') &&
      (lead.includes('"user_message"') || lead.includes('"UserMessage"'))
    ) {
      const payload = tryParse(line)?.payload;
      if (isRecord(payload)) eventPrompt = eventPromptText(payload);
    }
  }
  if (result.prompt === undefined && eventPrompt !== undefined) result.prompt = eventPrompt;
  return result;
}

/** The head read first; grown up to {@linkcode MAX_HEAD_BYTES} until the first prompt shows. */
const HEAD_BYTES = 64 * 1024;
/** The tail read for the thread name and the message density. */
const TAIL_BYTES = 64 * 1024;
/** Files up to this size are read whole (exact message count). */
export const WHOLE_FILE_BYTES = 256 * 1024;
/** The most head read while looking for the first prompt (the preamble is ~100 KB). */
const MAX_HEAD_BYTES = 1024 * 1024;
/** Raise when {@linkcode summarizeRolloutFile}'s output changes (drops cached summaries). */
export const CODEX_SUMMARY_VERSION = 5;

/**
 * Summarizes one rollout from its head and tail (whole when small), without
 * parsing every line. `messageCount` counts `response_item` lines by
 * substring, as the reader makes messages of them: each user or assistant
 * message (user items that open with an injected wrapper such as
 * `<environment_context>` are skipped when the role comes right before the
 * content), a call with no reply or call right before it, and each run of tool
 * outputs. In files larger than {@linkcode WHOLE_FILE_BYTES} it is counted in
 * the head and tail and extrapolated over the middle at their density
 * (`messageCountEstimated`: rough, samples of short turns or of long outputs
 * can put it off by half). A TypeScript-era `rollout-….json` is read and
 * replayed whole (exact count, no workspace). A compressed (`.jsonl.zst`) file
 * up to 4 MiB is decompressed and read whole; a larger one gets no count,
 * workspace or title. The thread name from `session_index.jsonl` is applied by
 * {@linkcode finishRolloutSummaries}.
 *
 * @param path The rollout.
 * @returns The summary, or `undefined` when the name is not a rollout's or the file is gone.
 */
export async function summarizeRolloutFile(path: string): Promise<SessionSummary | undefined> {
  const name = nodePath.basename(path);
  const id = rolloutIdFromName(name);
  if (id === undefined) return undefined;
  const summary: SessionSummary = { id, provider: "codex", path };
  const stamp = rolloutStampFromName(name);
  if (stamp !== undefined) summary.startedAt = stamp;
  if (isTsRolloutName(name)) return await summarizeTsRollout(path, id);
  let sample: FileSample;
  let headScan: ScanResult | undefined;
  let scannedHead: string | undefined;
  if (name.endsWith(".zst")) {
    const stat = await statFile(path);
    if (stat === undefined) return undefined;
    summary.sizeBytes = stat.size;
    summary.lastActiveAt = stat.mtimeMs;
    // Read whole, as a small plain file is; one too large, or a runtime
    // without zstd, gives the bare row.
    if (stat.size > MAX_ZST_BYTES || zstdUnavailable() !== undefined) return summary;
    let text = "";
    try {
      for await (const piece of zstdTextChunks(path)) text += piece;
    } catch {
      return summary;
    }
    if (text === "") return summary; // cut off or damaged
    sample = {
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      whole: true,
      head: text,
      headBytes: stat.size,
      tail: "",
      tailBytes: 0,
    };
  } else {
    try {
      sample = await sampleFile(path, {
        headBytes: HEAD_BYTES,
        tailBytes: TAIL_BYTES,
        wholeBytes: WHOLE_FILE_BYTES,
        maxHeadBytes: MAX_HEAD_BYTES,
        headIsEnough: (head) => {
          headScan = scanText(head);
          scannedHead = head;
          return headScan.prompt !== undefined;
        },
      });
    } catch {
      return undefined;
    }
  }
  summary.sizeBytes = sample.size;
  summary.lastActiveAt = lastTimestampIn(sample.whole ? sample.head : sample.tail) ??
    sample.mtimeMs;
  const scan = scannedHead === sample.head && headScan ? headScan : scanText(sample.head);
  if (!sample.whole) {
    const tail = scanText(sample.tail, false);
    if (tail.threadName !== undefined) scan.threadName = tail.threadName;
    const middle = Math.max(0, sample.size - sample.headBytes - sample.tailBytes);
    // Messages per byte over both samples, less the `session_meta` line (tens
    // of KB of instructions and no message): on 25 public and generated
    // rollouts this came nearer the real count than the tail's alone.
    const metaEnd = sample.head.indexOf("\n");
    const metaBytes = metaEnd === -1 ? 0 : encoder.encode(sample.head.slice(0, metaEnd)).length;
    const sampled = Math.max(0, sample.headBytes - metaBytes) + sample.tailBytes;
    const density = sampled > 0 ? (scan.count + tail.count) / sampled : 0;
    scan.count += tail.count + Math.round(density * middle);
    summary.messageCountEstimated = true;
  }
  if (scan.cwd !== undefined) summary.workspace = scan.cwd;
  if (scan.startedAt !== undefined) summary.startedAt = scan.startedAt;
  summary.messageCount = scan.count;
  const title = scan.threadName ??
    (scan.prompt === undefined ? undefined : titleFromPrompt(scan.prompt));
  if (title !== undefined) summary.title = title;
  return summary;
}

const encoder = new TextEncoder();

/**
 * The largest compressed rollout a listing decompresses (a few times its size
 * in text, read whole); larger ones are listed bare and read when asked for.
 */
const MAX_ZST_BYTES = 4 * 1024 * 1024;

/** Summarizes a TypeScript-era `rollout-….json` (small; read and replayed whole). */
async function summarizeTsRollout(
  path: string,
  nameId: string,
): Promise<SessionSummary | undefined> {
  let text: string;
  let stat: { size: number; mtimeMs: number };
  try {
    [text, stat] = await Promise.all([fsp.readFile(path, "utf8"), fsp.stat(path)]);
  } catch {
    return undefined;
  }
  const rollout = parseTsRollout(text);
  if (rollout === undefined) return undefined;
  const builder = new HistoryBuilder();
  replayTsRollout(rollout, builder);
  const messages = builder.finish();
  const summary: SessionSummary = {
    id: str(rollout.meta.id)?.toLowerCase() ?? nameId,
    provider: "codex",
    path,
    sizeBytes: stat.size,
    lastActiveAt: stat.mtimeMs,
    messageCount: messages.filter((m) => m.role !== "system" && m.role !== "other").length,
  };
  const started = parseTimestamp(rollout.meta.timestamp);
  if (started !== undefined) summary.startedAt = started;
  const prompt = messages.find((m) => m.role === "user")?.text;
  const title = prompt === undefined ? undefined : titleFromPrompt(prompt);
  if (title !== undefined) summary.title = title;
  return summary;
}

/**
 * Every rollout path of the Codex home (see {@linkcode rolloutFiles}).
 *
 * @param ctx Where to look.
 * @returns The paths, one per thread id.
 */
export async function rolloutPaths(ctx: ProviderContext): Promise<string[]> {
  return (await rolloutFiles(ctx)).map((f) => f.path);
}

/**
 * Applies thread names from `session_index.jsonl` (they win over names and
 * prompts found in the rollouts).
 *
 * @param summaries Summaries from {@linkcode summarizeRolloutFile}.
 * @param ctx Where to look.
 * @returns The same summaries, renamed where the index names them.
 */
export async function finishRolloutSummaries(
  summaries: SessionSummary[],
  ctx: ProviderContext,
): Promise<SessionSummary[]> {
  const names = await threadNames(codexRoot(ctx));
  if (names.size === 0) return summaries;
  for (const s of summaries) {
    const name = names.get(s.id);
    if (name !== undefined) s.title = name;
  }
  return summaries;
}

async function summarizeAll(
  files: readonly RolloutFile[],
  ctx: ProviderContext,
): Promise<SessionSummary[]> {
  const found = await mapLimit(files, CONCURRENCY, (f) => summarizeRolloutFile(f.path));
  return await finishRolloutSummaries(
    found.filter((s): s is SessionSummary => s !== undefined),
    ctx,
  );
}

/**
 * Lists every rollout of the Codex home.
 *
 * @param ctx Where to look.
 * @returns One summary per thread id.
 */
export async function listRollouts(ctx: ProviderContext): Promise<SessionSummary[]> {
  return await summarizeAll(await rolloutFiles(ctx), ctx);
}

/**
 * Finds rollouts by id or id prefix, from file names only; only the matches are
 * summarized.
 *
 * @param ctx Where to look.
 * @param idOrPrefix A full id or a prefix (case-insensitive).
 * @returns The exact match alone when there is one, else every prefix match.
 */
export async function findRollouts(
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  if (idOrPrefix.trim() === "") return [];
  const matches = matchingIds(await rolloutFiles(ctx), idOrPrefix, (f) => f.id);
  if (matches.length === 0) return [];
  return await summarizeAll(matches, ctx);
}
