/**
 * Listing and finding Gemini CLI sessions cheaply.
 *
 * @module
 */
import * as path from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { mapLimit, readDirEntries } from "../../internal/fast_fs.ts";
import { type FileSample, sampleFile } from "../../internal/file_reads.ts";
import { SCAN_CONCURRENCY } from "../../internal/session_index.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { clipText, parseTimestamp } from "../../model/normalize.ts";
import { geminiRoot, projectPathForFile } from "./paths.ts";
import { GEMINI_CLI_ID } from "./reader.ts";
import { toParts } from "./messages.ts";

const SESSION_FILE_RE = /^session-.*\.jsonl?$/;
const MESSAGE_ID_RE = /^\{"id":"((?:[^"\\]|\\.)*)"/;
const SCAFFOLD_PREFIXES = ["/", "?", "<session_context>", "<hook_context>"];

/**
 * Every main session file under a Gemini root: `tmp/<project>/chats/session-*.json(l)`
 * (subagent sessions in `chats/<parent>/` are skipped, as the CLI skips them).
 *
 * @param root The Gemini root.
 * @returns Absolute file paths.
 */
export async function sessionFiles(root: string): Promise<string[]> {
  const projects = (await readDirEntries(path.join(root, "tmp"))).filter((e) => e.isDir);
  const lists = await mapLimit(
    projects,
    SCAN_CONCURRENCY,
    (project) => readDirEntries(path.join(project.path, "chats")),
  );
  return lists.flat().filter((e) => e.isFile && SESSION_FILE_RE.test(e.name)).map((e) => e.path)
    .sort();
}

function textOf(content: unknown): string {
  return toParts(content).filter((p) => typeof p.text === "string" && p.thought !== true)
    .map((p) => p.text as string).join("");
}

function isResumable(record: Record<string, unknown>): boolean {
  const text = textOf(record.content).trim();
  if (record.type === "user") {
    return text !== "" && !SCAFFOLD_PREFIXES.some((p) => text.startsWith(p));
  }
  if (record.type === "gemini" || record.type === "model") {
    return text !== "" || (Array.isArray(record.toolCalls) && record.toolCalls.length > 0) ||
      (Array.isArray(record.thoughts) && record.thoughts.length > 0);
  }
  return false;
}

/** What a line scan of one file found. */
interface Scan {
  metadata: Record<string, unknown>;
  ids: Set<string>;
  firstPrompt?: string;
  resumable: boolean;
  /** Whether a `$set` of the whole message list was met: the list starts over there. */
  reset?: boolean;
}

function scanRecord(scan: Scan, record: Record<string, unknown>): void {
  if (typeof record.id === "string") {
    scan.ids.add(record.id);
    if (!scan.resumable && isResumable(record)) {
      scan.resumable = true;
      if (record.type === "user") scan.firstPrompt ??= textOf(record.content);
    }
    return;
  }
  const isUpdate = isRecord(record.$set);
  if (!isUpdate && typeof record.sessionId !== "string") return;
  const { messages, ...rest } = isUpdate ? record.$set as Record<string, unknown> : record;
  scan.metadata = { ...scan.metadata, ...rest };
  if (!Array.isArray(messages)) return;
  if (isUpdate) {
    scan.ids.clear();
    scan.reset = true;
  }
  // A message without an id (written by another tool) is known by its place, as the reader does.
  messages.forEach((m, i) => {
    if (!isRecord(m)) return;
    scanRecord(scan, m.id === undefined && typeof m.type === "string" ? { ...m, id: `#${i}` } : m);
  });
}

/**
 * Scans a JSONL session: lines are parsed until the first resumable message is
 * found; after that only message ids are matched by a regular expression, and
 * `$set` lines are parsed. A legacy `.json` file is parsed whole.
 */
function scanText(text: string, legacy: boolean): Scan {
  const scan: Scan = { metadata: {}, ids: new Set(), resumable: false };
  if (legacy) {
    try {
      const value: unknown = JSON.parse(text);
      if (isRecord(value)) scanRecord(scan, value);
      return scan;
    } catch {
      // maybe JSON Lines after all
    }
  }
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    const idMatch = scan.resumable ? MESSAGE_ID_RE.exec(trimmed) : null;
    if (idMatch !== null) {
      scan.ids.add(idMatch[1] as string);
      continue;
    }
    if (trimmed.includes('"$rewindTo"')) continue;
    try {
      const value: unknown = JSON.parse(trimmed);
      if (isRecord(value)) scanRecord(scan, value);
    } catch {
      // malformed lines are the reader's business
    }
  }
  return scan;
}

function firstLine(text: string): string {
  const line = (text.split("\n").find((l) => l.trim() !== "") ?? "").trim();
  return clipText(line, 80);
}

/** The head read first; grown up to {@linkcode MAX_HEAD_BYTES} until a resumable message shows. */
const HEAD_BYTES = 64 * 1024;
/** The tail read for `lastUpdated`, the summary and the message density. */
const TAIL_BYTES = 64 * 1024;
/** Files up to this size are read whole (exact message count). */
export const WHOLE_FILE_BYTES = 256 * 1024;
/** The most head read while looking for the first resumable message. */
const MAX_HEAD_BYTES = 1024 * 1024;
/** Raise when {@linkcode summarizeSessionFile}'s output changes (drops cached summaries). */
export const GEMINI_SUMMARY_VERSION = 4;

/**
 * Summarizes one session file without building the conversation, from its head
 * and tail (whole files up to {@linkcode WHOLE_FILE_BYTES}; a legacy `.json`
 * file is always read whole).
 *
 * `messageCount` is the number of distinct message ids (user, gemini and
 * info/warning/error records) seen in a line scan; rewinds are not applied, so it
 * is approximate; in larger files it is counted in the head and tail and
 * extrapolated over the middle (`messageCountEstimated`). A file with no
 * resumable content (no real prompt or reply; the CLI hides and later deletes
 * those) or of kind `subagent` gives `undefined`.
 *
 * @param file The session file.
 * @param workspaceOf Resolves the project path of a file (cached by the caller).
 * @returns The summary, or `undefined`.
 */
export async function summarizeSessionFile(
  file: string,
  workspaceOf: (file: string, projectHash?: string) => Promise<string | undefined> =
    projectPathForFile,
): Promise<SessionSummary | undefined> {
  const legacy = file.endsWith(".json");
  let sample: FileSample;
  try {
    sample = await sampleFile(file, {
      headBytes: HEAD_BYTES,
      tailBytes: TAIL_BYTES,
      wholeBytes: legacy ? Number.MAX_SAFE_INTEGER : WHOLE_FILE_BYTES,
      maxHeadBytes: MAX_HEAD_BYTES,
      headIsEnough: (head) => scanText(head, false).resumable,
    });
  } catch {
    return undefined;
  }
  const scan = scanText(sample.head, legacy);
  let count = scan.ids.size;
  let estimated = false;
  if (!sample.whole) {
    const tail = scanText(sample.tail, false);
    scan.metadata = { ...scan.metadata, ...tail.metadata };
    const middle = Math.max(0, sample.size - sample.headBytes - sample.tailBytes);
    const density = sample.tailBytes > 0 ? tail.ids.size / sample.tailBytes : 0;
    let fresh = 0;
    for (const id of tail.ids) if (!scan.ids.has(id)) fresh++;
    // A `$set` of the list in the tail (Gemini CLI writes one on every
    // resume) holds the whole conversation up to it: nothing to extrapolate.
    count = tail.reset ? tail.ids.size : count + fresh + Math.round(density * middle);
    estimated = true;
  }
  const id = str(scan.metadata.sessionId);
  if (id === undefined || !scan.resumable || scan.metadata.kind === "subagent") return undefined;
  const summary: SessionSummary = {
    id,
    provider: GEMINI_CLI_ID,
    path: file,
    sizeBytes: sample.size,
    messageCount: count,
  };
  if (estimated) summary.messageCountEstimated = true;
  const label = str(scan.metadata.summary) ?? scan.firstPrompt;
  if (label !== undefined && firstLine(label) !== "") summary.title = firstLine(label);
  const workspace = await workspaceOf(file, str(scan.metadata.projectHash));
  if (workspace !== undefined) summary.workspace = workspace;
  const startedAt = parseTimestamp(scan.metadata.startTime);
  if (startedAt !== undefined) summary.startedAt = startedAt;
  summary.lastActiveAt = parseTimestamp(scan.metadata.lastUpdated) ?? Math.round(sample.mtimeMs);
  return summary;
}

function cachedWorkspaceOf(
  cache: Map<string, Promise<string | undefined>> = new Map(),
): (file: string, hash?: string) => Promise<string | undefined> {
  return (file, hash) => {
    const key = `${path.dirname(file)}\0${hash ?? ""}`;
    let found = cache.get(key);
    if (found === undefined) {
      found = projectPathForFile(file, hash);
      cache.set(key, found);
    }
    return found;
  };
}

/**
 * Project paths resolved during one scan: {@linkcode geminiSessionFiles} starts
 * a new scan, so marker and registry edits show on the next list.
 */
let scanWorkspaces = new Map<string, Promise<string | undefined>>();

/**
 * Every main session file of the Gemini home (see {@linkcode sessionFiles}).
 *
 * @param ctx Where to look.
 * @returns Absolute file paths.
 */
export async function geminiSessionFiles(ctx: ProviderContext): Promise<string[]> {
  scanWorkspaces = new Map();
  return await sessionFiles(geminiRoot(ctx));
}

/**
 * Summarizes one file during a scan, sharing project-path lookups with the rest of the scan.
 *
 * @param file The session file.
 * @returns The summary, or `undefined`.
 */
export function summarizeForScan(file: string): Promise<SessionSummary | undefined> {
  return summarizeSessionFile(file, cachedWorkspaceOf(scanWorkspaces));
}

/**
 * Keeps one summary per session id: the one updated last (as the CLI does).
 *
 * @param summaries The summaries.
 * @returns One per id.
 */
export function dedupeSummaries(summaries: SessionSummary[]): Promise<SessionSummary[]> {
  return Promise.resolve(dedupe(summaries));
}

/** Keeps one summary per session id: the one updated last (as the CLI does). */
function dedupe(summaries: readonly (SessionSummary | undefined)[]): SessionSummary[] {
  const byId = new Map<string, SessionSummary>();
  for (const s of summaries) {
    if (s === undefined) continue;
    const prev = byId.get(s.id);
    if (prev === undefined || (s.lastActiveAt ?? 0) > (prev.lastActiveAt ?? 0)) byId.set(s.id, s);
  }
  return [...byId.values()];
}

/**
 * Lists every resumable main session under the Gemini root.
 *
 * @param ctx Where to look.
 * @returns One summary per session id.
 */
export async function listGeminiSessions(ctx: ProviderContext): Promise<SessionSummary[]> {
  const workspaceOf = cachedWorkspaceOf();
  const files = await sessionFiles(geminiRoot(ctx));
  return dedupe(
    await mapLimit(files, SCAN_CONCURRENCY, (f) => summarizeSessionFile(f, workspaceOf)),
  );
}

const NAME_ID_RE = /^session-(?:\d{4}-\d{2}-\d{2}T\d{2}-\d{2}|\d+)-(.+)\.jsonl?$/;

/**
 * Finds sessions by full id or id prefix, case-insensitive. Only files whose
 * name carries a matching 8-character id part (or whose name does not follow the pattern) are read.
 *
 * @param ctx Where to look.
 * @param idOrPrefix A full id or a prefix.
 * @returns The exact match alone when there is one, else every prefix match.
 */
export async function findGeminiSessions(
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  // Case-insensitive, as every other agent's ids: a UUID typed in capitals matches.
  const wanted = idOrPrefix.trim().toLowerCase();
  if (wanted === "") return [];
  const short = wanted.slice(0, 8).replace(/[^a-z0-9_-]/g, "_");
  const files = (await sessionFiles(geminiRoot(ctx))).filter((file) => {
    const match = NAME_ID_RE.exec(path.basename(file));
    return match === null || (match[1] as string).toLowerCase().startsWith(short);
  });
  const workspaceOf = cachedWorkspaceOf();
  const found = dedupe(
    await mapLimit(files, SCAN_CONCURRENCY, (f) => summarizeSessionFile(f, workspaceOf)),
  )
    .filter((s) => s.id.toLowerCase().startsWith(wanted));
  const exact = found.filter((s) => s.id.toLowerCase() === wanted);
  return exact.length > 0 ? exact : found;
}
