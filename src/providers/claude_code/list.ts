/**
 * Listing and finding Claude Code sessions cheaply: file names, then the head
 * and tail of each file (whole files up to 256 KiB), read once each.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { mapLimit, readDirEntries } from "../../internal/fast_fs.ts";
import { type FileSample, sampleFile } from "../../internal/file_reads.ts";
import { SCAN_CONCURRENCY } from "../../internal/session_index.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import { claudeRoot, isSessionFileName, projectsDir } from "./paths.ts";
import { CLAUDE_CODE_ID } from "./reader.ts";
import { titlePromptOf } from "./messages.ts";
import { type FileSessionLister, fileSessionLister, setSampledCount } from "../listing.ts";

/** The head read first (grown up to {@linkcode MAX_HEAD_BYTES} until the first prompt shows). */
const HEAD_BYTES = 64 * 1024;
/** The tail read for the last activity and titles. */
const TAIL_BYTES = 64 * 1024;
/** Files up to this size are read whole (exact message count). */
export const WHOLE_FILE_BYTES = 256 * 1024;
/** The most head read while looking for the first prompt and `cwd`. */
const MAX_HEAD_BYTES = 1024 * 1024;
/** Raise when {@linkcode summarizeSession}'s output changes (drops cached summaries). */
export const CLAUDE_SUMMARY_VERSION = 2;

const TIMESTAMP_KEY = '"timestamp":"';
const CWD_RE = /"cwd":"((?:[^"\\]|\\.)*)"/;
const TITLE_TYPES: ReadonlyArray<[string, string]> = [
  ["custom-title", "customTitle"],
  ["ai-title", "aiTitle"],
  ["summary", "summary"],
];

function tryRecord(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How much of each end of a long line is searched for the record type. Claude
 * Code writes `type` before `message` in user records and after it in
 * assistant records, and tool results can run to megabytes.
 */
const EDGE_CHARS = 1024;

function hasType(line: string, marker: string): boolean {
  if (line.length <= 3 * EDGE_CHARS) return line.includes(marker);
  // Searched in place: backwards from where a marker could last start in the
  // first EDGE_CHARS, forwards in the last EDGE_CHARS.
  return line.lastIndexOf(marker, EDGE_CHARS - marker.length) !== -1 ||
    line.indexOf(marker, line.length - EDGE_CHARS) !== -1;
}

/**
 * A prompt or reply of the session itself: older transcripts hold their
 * subagents' records inline, marked `isSidechain` near the line's start.
 */
function isConversationLine(line: string): boolean {
  return (hasType(line, '"type":"user"') || hasType(line, '"type":"assistant"')) &&
    !hasType(line, '"isSidechain":true');
}

/** Every `"timestamp":"…"` value in `text` (string scan), as epoch ms. */
function timestampsIn(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(TIMESTAMP_KEY); i !== -1; i = text.indexOf(TIMESTAMP_KEY, i + 1)) {
    const start = i + TIMESTAMP_KEY.length;
    const end = text.indexOf('"', start);
    if (end === -1 || end - start > 40) continue;
    const t = parseTimestamp(text.slice(start, end));
    if (t !== undefined) out.push(t);
  }
  return out;
}

/** What the head of a transcript tells, found with string scans and few parses. */
interface HeadFacts {
  sidechain: boolean;
  cwd: string | undefined;
  /** The first line the user typed. */
  prompt: string | undefined;
  /** The first slash command, the title when the head holds no typed prompt. */
  command: string | undefined;
  startedAt: number | undefined;
}

function headFacts(lines: readonly string[]): HeadFacts {
  const facts: HeadFacts = {
    sidechain: false,
    cwd: undefined,
    prompt: undefined,
    command: undefined,
    startedAt: undefined,
  };
  let sawChain = false;
  for (const line of lines) {
    if (!sawChain && line.includes('"uuid":"')) {
      sawChain = true;
      facts.sidechain = line.includes('"isSidechain":true');
    }
    if (facts.cwd === undefined) {
      const m = CWD_RE.exec(line);
      if (m) {
        try {
          const cwd = JSON.parse(`"${m[1]}"`);
          if (cwd !== "") facts.cwd = cwd;
        } catch {
          // a cut line
        }
      }
    }
    if (facts.startedAt === undefined) facts.startedAt = timestampsIn(line)[0];
    if (facts.prompt === undefined && line.includes('"type":"user"')) {
      const record = tryRecord(line);
      if (record) {
        const offered = titlePromptOf(record);
        facts.prompt = offered.typed;
        facts.command ??= offered.command;
      }
    }
    if (sawChain && facts.cwd !== undefined && facts.prompt !== undefined) break;
  }
  return facts;
}

/**
 * The last title record of each kind among `lines`. A `summary` counts only
 * when its `leafUuid` (the conversation it summarizes) is a record `inFile`
 * has seen: Claude Code also writes other sessions' summaries into a file.
 */
function lastTitle(
  lines: readonly string[],
  inFile: (uuid: string) => boolean,
): string | undefined {
  const found = new Map<string, string>();
  for (let i = lines.length - 1; i >= 0 && found.size < TITLE_TYPES.length; i--) {
    const line = lines[i] as string;
    const lead = line.length > 64 ? line.slice(0, 64) : line;
    for (const [type, key] of TITLE_TYPES) {
      if (found.has(type)) continue;
      if (
        !lead.includes(`"type":"${type}"`) &&
        !(line.length < 4096 && hasType(line, `"type":"${type}"`))
      ) continue;
      const r = tryRecord(line);
      if (r?.type !== type || typeof r[key] !== "string" || r[key] === "") continue;
      if (type === "summary" && typeof r.leafUuid === "string" && !inFile(r.leafUuid)) continue;
      found.set(type, r[key] as string);
    }
  }
  for (const [type] of TITLE_TYPES) if (found.has(type)) return found.get(type);
  return undefined;
}

/** The latest record timestamp among the last lines that carry one. */
function lastTimestamp(lines: readonly string[]): number | undefined {
  let best: number | undefined;
  let seen = 0;
  for (let i = lines.length - 1; i >= 0 && seen < 16; i--) {
    const ts = timestampsIn(lines[i] as string);
    if (ts.length === 0) continue;
    seen++;
    for (const t of ts) if (best === undefined || t > best) best = t;
  }
  return best;
}

/**
 * Summarizes one transcript from its head and tail, with string scans and a
 * JSON parse of only the lines that matter (title records and the first
 * prompt): no full parse, and no full read of a large file.
 *
 * Title: the last `custom-title`, else `ai-title`, else `summary` record seen
 * in the tail or head (one whose `leafUuid` was seen), else the first line the
 * user typed, else the first slash command. Workspace: the first
 * `cwd`. Times: the first and the latest record timestamps (the file mtime when
 * the tail has none). Message count: lines whose type is `user` or
 * `assistant` and that are not a subagent's, counted exactly in files up to {@linkcode WHOLE_FILE_BYTES};
 * in larger files, counted in the head and tail and extrapolated over the
 * middle at the tail's density (`messageCountEstimated`).
 *
 * @param path The `<uuid>.jsonl` file.
 * @returns The summary, or `undefined` for a subagent (sidechain) transcript or an unreadable file.
 */
export async function summarizeSession(path: string): Promise<SessionSummary | undefined> {
  let sample: FileSample;
  let seen: { head: string; facts: HeadFacts } | undefined;
  try {
    sample = await sampleFile(path, {
      headBytes: HEAD_BYTES,
      tailBytes: TAIL_BYTES,
      wholeBytes: WHOLE_FILE_BYTES,
      maxHeadBytes: MAX_HEAD_BYTES,
      headIsEnough: (head) => {
        seen = { head, facts: headFacts(head.split("\n")) };
        return seen.facts.cwd !== undefined && seen.facts.prompt !== undefined;
      },
    });
  } catch {
    return undefined;
  }
  const headLines = sample.head.split("\n");
  const tailLines = sample.whole ? [] : sample.tail.split("\n");
  const facts = seen?.head === sample.head ? seen.facts : headFacts(headLines);
  if (facts.sidechain) return undefined;
  const summary: SessionSummary = {
    id: nodePath.basename(path, ".jsonl"),
    provider: CLAUDE_CODE_ID,
    path,
    sizeBytes: sample.size,
  };
  // A summary's leaf is looked for in what was read: in a file too large to
  // read whole, one whose leaf lies in the unread middle is passed over.
  const inFile = (uuid: string) =>
    sample.head.includes(`"uuid":"${uuid}"`) ||
    (!sample.whole && sample.tail.includes(`"uuid":"${uuid}"`));
  const title = lastTitle(tailLines, inFile) ?? lastTitle(headLines, inFile) ?? facts.prompt ??
    facts.command;
  if (title !== undefined) summary.title = title;
  if (facts.cwd !== undefined) summary.workspace = facts.cwd;
  if (facts.startedAt !== undefined) summary.startedAt = facts.startedAt;
  summary.lastActiveAt = lastTimestamp(sample.whole ? headLines : tailLines) ?? sample.mtimeMs;
  const headCount = headLines.filter(isConversationLine).length;
  setSampledCount(summary, sample, headCount, tailLines.filter(isConversationLine).length);
  return summary;
}

/**
 * Every main-session transcript path: `<root>/projects/<key>/<uuid>.jsonl`
 * (subagent `agent-*.jsonl` files and per-session subfolders are skipped).
 *
 * @param ctx Where to look.
 * @returns The file paths, sorted.
 */
export async function sessionFiles(ctx: ProviderContext): Promise<string[]> {
  const projects = (await readDirEntries(projectsDir(claudeRoot(ctx)))).filter((e) => e.isDir);
  const lists = await mapLimit(
    projects,
    SCAN_CONCURRENCY,
    (project) => readDirEntries(project.path),
  );
  return lists.flat().filter((e) => e.isFile && isSessionFileName(e.name)).map((e) => e.path)
    .sort();
}

/** Lists every Claude Code session and finds sessions by id or id prefix. */
export const claudeLister: FileSessionLister = fileSessionLister({
  files: sessionFiles,
  summarize: summarizeSession,
});
