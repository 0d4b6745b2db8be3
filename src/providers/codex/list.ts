/**
 * Listing and finding Codex rollouts cheaply.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import { exists, listDir } from "../../internal/fs.ts";
import { isRecord, readJsonLines, str } from "../../internal/jsonl.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { eventPromptText } from "./history.ts";
import { isInjectedUserItem, messageText } from "./items.ts";
import {
  archivedDir,
  codexRoot,
  rolloutIdFromName,
  rolloutStampFromName,
  sessionIndexPath,
  sessionsDir,
} from "./paths.ts";
import { titleFromPrompt } from "./reader.ts";

/** Files larger than this are listed without a message count. */
const SCAN_LIMIT_BYTES = 64 * 1024 * 1024;

/** How many files are summarized at once (keeps open file handles bounded). */
const CONCURRENCY = 16;

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping order.
 *
 * @param items The inputs.
 * @param limit The most concurrent calls.
 * @param fn The async mapper.
 * @returns The outputs, in input order.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

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
  for (const entry of await listDir(dir)) {
    if (entry.isDir && depth > 0) {
      await walk(entry.path, depth - 1, out);
    } else if (entry.isFile) {
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
  return [...byId.values()];
}

/** Reads `session_index.jsonl` (newest name per id wins), when it exists. */
async function threadNames(ctx: ProviderContext): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const file = sessionIndexPath(codexRoot(ctx));
  if (!(await exists(file))) return names;
  for await (const line of readJsonLines(file)) {
    if (!line.ok || !isRecord(line.value)) continue;
    const id = str(line.value.id);
    const name = str(line.value.thread_name);
    if (id !== undefined && name !== undefined) names.set(id, name);
  }
  return names;
}

function tryParse(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const MESSAGE_MARKERS = ['"role":"user"', '"role":"assistant"'];
/** A user item whose first text part opens with an injected wrapper such as `<environment_context>`. */
const INJECTED_START_RE =
  /"role":"user","content":\[\{"type":"input_text","text":"(<[A-Za-z_ ]+>|# AGENTS\.md)/;
const OUTPUT_MARKERS = ['"type":"function_call_output"', '"type":"custom_tool_call_output"'];

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
function scanText(text: string): ScanResult {
  const result: ScanResult = { count: 0 };
  let first = true;
  let eventPrompt: string | undefined;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    if (first) {
      first = false;
      const meta = tryParse(line);
      const payload = meta && isRecord(meta.payload) ? meta.payload : meta;
      if (payload) {
        const cwd = str(payload.cwd);
        if (cwd !== undefined) result.cwd = cwd;
        const t = parseTimestamp(payload.timestamp) ?? parseTimestamp(meta?.timestamp);
        if (t !== undefined) result.startedAt = t;
      }
      continue;
    }
    const isItem = line.includes('"type":"response_item"');
    if (isItem && MESSAGE_MARKERS.some((m) => line.includes(m))) {
      if (!INJECTED_START_RE.test(line)) result.count++;
    } else if (isItem && OUTPUT_MARKERS.some((m) => line.includes(m))) result.count++;
    if (line.includes('"thread_name_updated"')) {
      const record = tryParse(line);
      if (record && isRecord(record.payload)) {
        const name = str(record.payload.thread_name);
        if (name !== undefined) result.threadName = name;
      }
    }
    if (result.prompt === undefined && line.includes('"role":"user"') && isItem) {
      const payload = tryParse(line)?.payload;
      if (isRecord(payload) && payload.type === "message") {
        const prompt = messageText(payload.content);
        if (!isInjectedUserItem(payload, prompt)) result.prompt = prompt;
      }
    } else if (
      eventPrompt === undefined && line.includes('"type":"event_msg"') &&
      (line.includes('"user_message"') || line.includes('"UserMessage"'))
    ) {
      const payload = tryParse(line)?.payload;
      if (isRecord(payload)) eventPrompt = eventPromptText(payload);
    }
  }
  if (result.prompt === undefined && eventPrompt !== undefined) result.prompt = eventPrompt;
  return result;
}

/**
 * Summarizes one rollout. `messageCount` is approximate: the number of
 * `response_item` lines that are user/assistant messages or tool outputs,
 * counted by substring without parsing (user items that open with an injected
 * wrapper such as `<environment_context>` are skipped when the role comes right
 * before the content; each tool output counts once), so it approximates the
 * canonical count from above. Compressed (`.zst`) and very large files get no count, workspace or
 * title.
 *
 * @param file The rollout.
 * @param names Thread names from `session_index.jsonl`.
 * @returns The summary.
 */
export async function summarizeRollout(
  file: RolloutFile,
  names: ReadonlyMap<string, string>,
): Promise<SessionSummary> {
  const summary: SessionSummary = { id: file.id, provider: "codex", path: file.path };
  const stamp = rolloutStampFromName(file.name);
  if (stamp !== undefined) summary.startedAt = stamp;
  let size = 0;
  try {
    const stat = await fsp.stat(file.path);
    size = stat.size;
    summary.sizeBytes = size;
    summary.lastActiveAt = stat.mtimeMs;
  } catch {
    return summary;
  }
  let scan: ScanResult | undefined;
  if (!file.name.endsWith(".zst") && size <= SCAN_LIMIT_BYTES) {
    try {
      scan = scanText(await fsp.readFile(file.path, "utf8"));
    } catch {
      scan = undefined;
    }
  }
  if (scan?.cwd !== undefined) summary.workspace = scan.cwd;
  if (scan?.startedAt !== undefined) summary.startedAt = scan.startedAt;
  if (scan !== undefined) summary.messageCount = scan.count;
  const title = names.get(file.id) ?? scan?.threadName ??
    (scan?.prompt === undefined ? undefined : titleFromPrompt(scan.prompt));
  if (title !== undefined) summary.title = title;
  return summary;
}

/**
 * Lists every rollout of the Codex home.
 *
 * @param ctx Where to look.
 * @returns One summary per thread id.
 */
export async function listRollouts(ctx: ProviderContext): Promise<SessionSummary[]> {
  const names = await threadNames(ctx);
  const files = await rolloutFiles(ctx);
  return await mapLimit(files, CONCURRENCY, (f) => summarizeRollout(f, names));
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
  const key = idOrPrefix.trim().toLowerCase();
  if (key === "") return [];
  const files = await rolloutFiles(ctx);
  const exact = files.filter((f) => f.id === key);
  const matches = exact.length > 0 ? exact : files.filter((f) => f.id.startsWith(key));
  if (matches.length === 0) return [];
  const names = await threadNames(ctx);
  return await mapLimit(matches, CONCURRENCY, (f) => summarizeRollout(f, names));
}
