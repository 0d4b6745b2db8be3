/**
 * The grammar of Aider's `.aider.chat.history.md`, read the way Aider's own
 * `--restore-chat-history` reads it (`split_chat_history_markdown` in
 * `aider/utils.py`), and written the way `aider/io.py` writes it.
 *
 * Aider splits the file with Python's `str.splitlines(keepends=True)` and
 * classifies each line by its first characters:
 *
 * - `# ` — skipped (the `# aider chat started at …` run headers among them);
 * - `> ` — Aider's own output (banner, notices, command output), collected as
 *   a `tool` message that restore then discards;
 * - `#### ` — a line of user input; consecutive lines form ONE user message;
 * - anything else, blank lines included — assistant text.
 *
 * A change of kind closes the open message; whitespace-only messages are
 * dropped. casr additionally splits the file into sessions at the run headers
 * and reads its own `# casr {…}` line (see {@linkcode CASR_MARKER_PREFIX}).
 *
 * @module
 */
import type { Warning } from "../../model/types.ts";

/** Python's `str.splitlines()` line boundaries (`\r\n` counts as one). */
// deno-lint-ignore no-control-regex -- Python treats \x1c-\x1e as line breaks
const PY_LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
/** One of Python's line-break characters (a single character). */
// deno-lint-ignore no-control-regex -- Python treats \x1c-\x1e as line breaks
const PY_BREAK_CHAR = /[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** The header Aider writes at the start of every run (local time, no zone). */
export const HEADER_RE =
  /^# aider chat started at (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\s*$/;
/** The line casr writes right after the header of a session it wrote: `# casr {json}`. */
export const CASR_MARKER_PREFIX = "# casr ";
/** An assistant line Aider's restore would misread, possibly already indented by casr. */
const NEEDS_ESCAPE_RE = /^ *(?:# |#### |> )/;
/** A line casr indented by one space so that Aider reads it as assistant text. */
const ESCAPED_RE = /^ +(?:# |#### |> )/;

/** One line of the file: its text without the line break, and the break. */
export interface PyLine {
  /** The line's characters, without its terminator. */
  content: string;
  /** The terminator (`\n`, `\r\n`, another Python line break, or `""` at the end). */
  end: string;
  /** The 1-based line number. */
  line: number;
}

/**
 * Splits text into lines exactly like Python's `str.splitlines(keepends=True)`.
 *
 * @param text The text.
 * @returns The lines, each with its terminator.
 */
export function pySplitLines(text: string): PyLine[] {
  const out: PyLine[] = [];
  let start = 0;
  let line = 1;
  for (const match of text.matchAll(PY_LINE_BREAK)) {
    out.push({ content: text.slice(start, match.index), end: match[0], line: line++ });
    start = match.index + match[0].length;
  }
  if (start < text.length) out.push({ content: text.slice(start), end: "", line });
  return out;
}

/** The facts casr records in its `# casr {…}` line. */
export interface CasrMarker {
  /** The session id casr gave the converted session. */
  session: string;
  /** The target workspace. */
  workspace?: string;
  /** `<provider>:<session id>` of the source. */
  source?: string;
  /** The exact start time, epoch ms (the header has only local seconds). */
  startedAt?: number;
}

/**
 * Parses a `# casr {…}` line.
 *
 * @param content The line without its terminator.
 * @returns The marker, or `undefined` when the line is not a valid one.
 */
export function parseCasrMarker(content: string): CasrMarker | undefined {
  if (!content.startsWith(CASR_MARKER_PREFIX)) return undefined;
  try {
    const value: unknown = JSON.parse(content.slice(CASR_MARKER_PREFIX.length));
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const record = value as Record<string, unknown>;
    if (typeof record.session !== "string" || record.session.trim() === "") return undefined;
    const marker: CasrMarker = { session: record.session.trim() };
    if (typeof record.workspace === "string" && record.workspace !== "") {
      marker.workspace = record.workspace;
    }
    if (typeof record.source === "string") marker.source = record.source;
    if (
      typeof record.startedAt === "number" && Number.isFinite(record.startedAt) &&
      record.startedAt > 0 && record.startedAt <= 8.64e15
    ) marker.startedAt = record.startedAt;
    return marker;
  } catch {
    return undefined;
  }
}

/** One message of a session as the file holds it. */
export interface RawItem {
  /** `user` (`#### ` lines), `assistant` (plain lines) or `tool` (`> ` lines). */
  kind: "user" | "assistant" | "tool";
  /** The text, with casr's escapes undone and Aider's line suffixes removed. */
  text: string;
  /** The 1-based line number it starts on. */
  line: number;
}

/** One run of Aider (one `# aider chat started at` header) in a history file. */
export interface RawSession {
  /** The header line (`""` for text before the first header). */
  header: string;
  /** The header time read as local time, epoch ms. */
  startedAt?: number;
  /** The 1-based line of the header. */
  line: number;
  /** casr's marker line, when casr wrote this session. */
  casr?: CasrMarker;
  /** The messages, in order. */
  items: RawItem[];
  /** The index of the session's first character in the text (its header line). */
  start: number;
  /** Index just past the last character of the session in the text. */
  stop: number;
}

/**
 * Reads a header time as local time, as Aider wrote it (`datetime.now()`).
 *
 * @param header The header line.
 * @returns Epoch ms, or `undefined` when the line is not a header.
 */
export function headerTime(header: string): number | undefined {
  const m = HEADER_RE.exec(header);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as number[];
  const ms = new Date(y!, mo! - 1, d!, h!, mi!, s!).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Formats the header Aider writes for a run started at `ms` (local time).
 *
 * @param ms Epoch ms.
 * @returns `# aider chat started at YYYY-MM-DD HH:MM:SS`.
 */
export function formatHeader(ms: number): string {
  const t = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, "0");
  return `# aider chat started at ${String(t.getFullYear()).padStart(4, "0")}-${
    p(t.getMonth() + 1)
  }-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`;
}

/** Removes the two spaces Aider appends before a hard line break (`"  \n"`). */
function dropHardBreak(content: string, end: string): string {
  if ((end === "\n" || end === "\r\n" || end === "") && content.endsWith("  ")) {
    return content.slice(0, -2);
  }
  return content;
}

/** Undoes {@linkcode escapeAssistantLine}. */
function unescapeAssistantLine(content: string): string {
  return ESCAPED_RE.test(content) ? content.slice(1) : content;
}

/**
 * Indents by one space an assistant line that Aider's restore would drop (`# `),
 * take as user input (`#### `) or as its own output (`> `); lines already
 * indented get one more space, so reading back removes exactly one.
 *
 * @param content One line of assistant text.
 * @returns The line as written.
 */
export function escapeAssistantLine(content: string): string {
  return NEEDS_ESCAPE_RE.test(content) ? ` ${content}` : content;
}

/** What {@linkcode parseHistory} found. */
export interface ParsedHistory {
  /** The sessions, in file order (including ones with no messages). */
  sessions: RawSession[];
  /** Skipped lines and other oddities. */
  warnings: Warning[];
}

/**
 * Splits a chat history file into sessions and messages with Aider's restore
 * rules (see the module doc), keeping `> ` output as `tool` items instead of
 * discarding it and undoing casr's one-space escapes.
 *
 * @param text The whole file.
 * @returns The sessions and warnings.
 */
export function parseHistory(text: string): ParsedHistory {
  const sessions: RawSession[] = [];
  const warnings: Warning[] = [];
  let offset = 0;
  let current: RawSession = { header: "", line: 1, items: [], start: 0, stop: 0 };
  let open: { kind: RawItem["kind"]; parts: string[]; line: number } | undefined;

  const flush = (): void => {
    if (open === undefined) return;
    let text = open.parts.join("");
    if (open.kind === "user") {
      text = text.replace(/(\r\n|\n)$/, "");
      if (text === "<blank>") text = "";
    } else text = text.trim();
    if (text.trim() !== "" || (open.kind === "user" && open.parts.length > 0)) {
      current.items.push({ kind: open.kind, text, line: open.line });
    }
    open = undefined;
  };
  const add = (kind: RawItem["kind"], part: string, line: number): void => {
    if (open !== undefined && open.kind !== kind) flush();
    open ??= { kind, parts: [], line };
    open.parts.push(part);
  };

  for (const { content, end, line } of pySplitLines(text)) {
    const here = offset;
    offset += content.length + end.length;
    if (HEADER_RE.test(content)) {
      flush();
      current.stop = here;
      if (current.header !== "" || current.items.length > 0) sessions.push(current);
      current = { header: content.trimEnd(), line, items: [], start: here, stop: here };
      const t = headerTime(content);
      if (t !== undefined) current.startedAt = t;
      continue;
    }
    if (content.startsWith("# ")) {
      const blankSoFar = open === undefined ||
        (open.kind === "assistant" && open.parts.join("").trim() === "");
      const marker = current.items.length === 0 && blankSoFar
        ? parseCasrMarker(content)
        : undefined;
      if (marker !== undefined && current.casr === undefined) {
        current.casr = marker;
        if (marker.startedAt !== undefined) current.startedAt = marker.startedAt;
      } else if (open?.kind === "assistant") {
        warnings.push({
          code: "aider-line-skipped",
          message:
            `Skipped line ${line}: Aider's --restore-chat-history drops lines that start with "# "`,
          line,
        });
      }
      continue;
    }
    if (content.startsWith("> ")) {
      add("tool", `${dropHardBreak(content.slice(2), end)}${end === "" ? "" : "\n"}`, line);
    } else if (content.startsWith("#### ")) {
      const piece = dropHardBreak(content.slice(5), end);
      add("user", piece + end, line);
    } else {
      add("assistant", unescapeAssistantLine(content) + end, line);
    }
  }
  flush();
  current.stop = text.length;
  if (current.header !== "" || current.items.length > 0) sessions.push(current);
  return { sessions, warnings };
}

/**
 * Renders user text as Aider's `#### ` lines (each ending with two spaces, as
 * Aider writes them). A Python line break other than `\n` inside a line starts
 * a new `#### ` piece right after it, so Aider's restore keeps the whole text in
 * the user message.
 *
 * @param text The user text (not empty).
 * @returns The lines, each ending with `\n`.
 */
export function renderUserLines(text: string): string {
  return text.split("\n").map((line) => {
    let out = "";
    let rest = line;
    for (let m = PY_BREAK_CHAR.exec(rest); m !== null; m = PY_BREAK_CHAR.exec(rest)) {
      out += `${rest.slice(0, m.index + 1)}#### `;
      rest = rest.slice(m.index + 1);
    }
    return `#### ${out}${rest}  \n`;
  }).join("");
}

/**
 * Renders assistant text with every line Aider would misread escaped (see
 * {@linkcode escapeAssistantLine}), at every Python line start.
 *
 * @param text The assistant text.
 * @returns The text as written.
 */
export function renderAssistantText(text: string): string {
  return pySplitLines(text).map((l) => escapeAssistantLine(l.content) + l.end).join("");
}

/**
 * The messages Aider's own `--restore-chat-history` gets from a file: a
 * line-for-line model of `split_chat_history_markdown` (roles `user`,
 * `assistant`; `tool` messages dropped), used by tests to prove that what casr
 * writes restores into the intended roles.
 *
 * @param text The file.
 * @returns The messages Aider would restore, content as Aider keeps it.
 */
export function aiderRestore(text: string): { role: "user" | "assistant"; content: string }[] {
  const messages: { role: string; content: string }[] = [];
  let user: string[] = [];
  let assistant: string[] = [];
  let tool: string[] = [];
  const append = (role: string, lines: string[]): void => {
    const joined = lines.join("");
    if (joined.trim() !== "") messages.push({ role, content: joined });
  };
  for (const { content, end } of pySplitLines(text)) {
    const line = content + end;
    if (line.startsWith("# ")) continue;
    if (line.startsWith("> ")) {
      append("assistant", assistant);
      assistant = [];
      append("user", user);
      user = [];
      tool.push(line.slice(2));
      continue;
    }
    if (line.startsWith("#### ")) {
      append("assistant", assistant);
      assistant = [];
      append("tool", tool);
      tool = [];
      user.push(line.slice(5));
      continue;
    }
    append("user", user);
    user = [];
    append("tool", tool);
    tool = [];
    assistant.push(line);
  }
  append("assistant", assistant);
  append("user", user);
  return messages.filter((m) => m.role !== "tool") as {
    role: "user" | "assistant";
    content: string;
  }[];
}
