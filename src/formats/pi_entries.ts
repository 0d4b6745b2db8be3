/**
 * Pi session entries: the header, the tree of entries and its migration to
 * version 3, the active path, and the text of message content. See
 * `pi_session.ts` for the format and its canonical mapping.
 *
 * @module
 */
import type { Warning, WarningCode } from "../model/types.ts";
import { parseTimestamp } from "../model/normalize.ts";
import { isRecord } from "../internal/jsonl.ts";

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
 * The time of a session line's entry: its message's, else its own.
 *
 * @param entry A parsed line of a Pi session file (an entry), or nothing.
 * @returns Epoch ms, or `undefined` when neither carries a time.
 */
export function piEntryTime(entry: Record<string, unknown> | undefined): number | undefined {
  const message = entry?.message;
  return (isRecord(message) ? parseTimestamp(message.timestamp) : undefined) ??
    parseTimestamp(entry?.timestamp);
}

/**
 * The first line of a user message's text, for a title: what Pi's session
 * list shows, and what `list` and `read` title a session by.
 *
 * @param entry A parsed line of a Pi session file (an entry), or nothing.
 * @returns The line, or `undefined` when the entry is no user message or its text is blank.
 */
export function piEntryPrompt(entry: Record<string, unknown> | undefined): string | undefined {
  const message = entry?.message;
  if (!isRecord(message) || message.role !== "user") return undefined;
  return piContentText(message.content).trim().split("\n")[0]?.trim() || undefined;
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
