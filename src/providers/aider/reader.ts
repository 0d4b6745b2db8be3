/**
 * Reads Aider chat history files into canonical sessions.
 *
 * Mapping (see `markdown.ts` for the line grammar):
 * - `#### ` lines → one `user` message per run of consecutive lines;
 * - plain Markdown → one `assistant` message per run (Aider has no structured
 *   tool calls: edits, diffs and commands are part of the reply text);
 * - `> ` lines (Aider's banner, "Added … to the chat", commit notices, command
 *   output, confirmations) → `other`: Aider shows them to the human, and its
 *   `--restore-chat-history` drops them, so the model never sees them again.
 *
 * Session ids: Aider has none. A session casr wrote carries its id in a
 * `# casr {…}` line after the header (Aider's restore skips `# ` lines). Any
 * other session gets a UUID derived from its header line, its first user
 * message and its ordinal among sessions of the file with the same two, so the
 * id stays the same when the project folder moves or is copied.
 *
 * Times: only the run header records one (local time); it becomes the
 * session's start and the first message's timestamp.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { CasrError, parseFailed } from "../../errors.ts";
import { derivedUuid } from "../../internal/ids.ts";
import type { Message, ReadResult, Session, Warning } from "../../model/types.ts";
import type { ProviderContext } from "../types.ts";
import { parseHistory, type RawSession } from "./markdown.ts";
import { aiderStoreDir, splitLocator } from "./paths.ts";
import { clipText } from "../../model/normalize.ts";

/** One session of a history file, with its derived facts. */
export interface AiderSession {
  /** The session id. */
  id: string;
  /** The history file. */
  file: string;
  /** The session as parsed. */
  raw: RawSession;
  /** The project directory. */
  workspace: string;
  /** The main model from Aider's banner, when shown. */
  model?: string;
  /** The Aider version from the banner, when shown. */
  aiderVersion?: string;
  /** Whether the session has a user prompt (sessions without one are not listed). */
  listable: boolean;
}

/** What {@linkcode sessionsOfText} found in one file. */
export interface AiderFile {
  /** The sessions, in file order. */
  sessions: AiderSession[];
  /** Parse warnings for the whole file. */
  warnings: Warning[];
}

function bannerValue(raw: RawSession, re: RegExp): string | undefined {
  for (const item of raw.items) {
    if (item.kind !== "tool") continue;
    for (const line of item.text.split("\n")) {
      const m = re.exec(line.trim());
      if (m) return m[1];
    }
  }
  return undefined;
}

/**
 * Splits a history file's text into sessions with ids and workspaces.
 *
 * @param file The history file (absolute).
 * @param text Its content.
 * @param ctx Where casr keeps converted sessions (to tell them from project files).
 * @returns The sessions and warnings.
 */
export async function sessionsOfText(
  file: string,
  text: string,
  ctx: ProviderContext,
): Promise<AiderFile> {
  const parsed = parseHistory(text.replace(/^\uFEFF/, ""));
  const seen = new Map<string, number>();
  const inStore = path.dirname(file) === aiderStoreDir(ctx);
  const sessions: AiderSession[] = [];
  let fileWorkspace: string | undefined;
  for (const raw of parsed.sessions) {
    const firstUser = raw.items.find((i) => i.kind === "user" && i.text.trim() !== "");
    let id: string;
    if (raw.casr !== undefined) id = raw.casr.session;
    else {
      const key = `${raw.header}\n${firstUser?.text ?? ""}`;
      const ordinal = seen.get(key) ?? 0;
      seen.set(key, ordinal + 1);
      id = await derivedUuid(`aider\n${key}\n${ordinal}`);
    }
    const gitDir = bannerValue(raw, /^Git working dir: (.+)$/);
    // A session Aider appended to a file casr wrote keeps the file's workspace.
    const workspace = raw.casr?.workspace ?? gitDir ??
      (inStore ? fileWorkspace : undefined) ?? path.dirname(file);
    if (raw.casr?.workspace !== undefined) fileWorkspace ??= raw.casr.workspace;
    const session: AiderSession = {
      id,
      file,
      raw,
      workspace,
      listable: firstUser !== undefined,
    };
    const model = bannerValue(raw, /^(?:Main model|Model): (\S+)/);
    if (model !== undefined) session.model = model;
    const version = bannerValue(raw, /^Aider v(\S+)$/);
    if (version !== undefined) session.aiderVersion = version;
    sessions.push(session);
  }
  return { sessions, warnings: parsed.warnings };
}

/**
 * A short title: the first non-empty line of the first prompt, at most 80 characters.
 *
 * @param prompt The first user message.
 * @returns The title, or `undefined` for an empty prompt.
 */
export function titleOf(prompt: string): string | undefined {
  const line = prompt.split("\n").map((l) => l.trim()).find((l) => l !== "");
  if (line === undefined) return undefined;
  return clipText(line, 80);
}

/** The tag Aider writes a reply's reasoning between in its history (`reasoning_tags.py`). */
const REASONING_RE =
  /<thinking-content-7bbeb8e1441453ad999a0bbba8a46d4b>([\s\S]*?)(?:<\/thinking-content-7bbeb8e1441453ad999a0bbba8a46d4b>\s*|$)/g;

/**
 * A reply's text and its reasoning: what Aider wrote between its reasoning
 * tags is the model's thinking, not its answer (Aider takes it out of the
 * reply it keeps), so it becomes the message's reasoning. So does a tag left
 * open to the reply's end: a reply interrupted while the model was thinking.
 *
 * @param reply The reply as the history holds it.
 * @returns The answer, and the reasoning ("" when there is none).
 */
export function splitReasoning(reply: string): { text: string; reasoning: string } {
  const thoughts: string[] = [];
  const text = reply.replace(REASONING_RE, (_, thought: string) => {
    thoughts.push(thought.trim());
    return "";
  });
  return thoughts.length === 0
    ? { text: reply, reasoning: "" }
    : { text: text.trim(), reasoning: thoughts.filter((t) => t !== "").join("\n\n") };
}

/**
 * The canonical session of one parsed Aider session.
 *
 * @param s The session.
 * @returns The canonical session.
 */
export function toCanonical(s: AiderSession): Session {
  const messages: Message[] = s.raw.items.map((item, index) => {
    const message: Message = {
      index,
      role: item.kind === "tool" ? "other" : item.kind,
      text: item.text,
      toolCalls: [],
      toolResults: [],
      extra: { line: item.line, kind: item.kind },
    };
    if (item.kind === "assistant") {
      const { text, reasoning } = splitReasoning(item.text);
      if (reasoning !== "") {
        message.text = text;
        message.reasoning = reasoning;
      }
      if (s.model !== undefined) message.author = s.model;
    }
    return message;
  });
  const first = messages[0];
  if (first !== undefined && s.raw.startedAt !== undefined) first.timestamp = s.raw.startedAt;
  const session: Session = {
    id: s.id,
    provider: "aider",
    workspace: s.workspace,
    messages,
    metadata: {
      historyFile: s.file,
      header: s.raw.header,
      headerLine: s.raw.line,
      ...(s.aiderVersion === undefined ? {} : { aiderVersion: s.aiderVersion }),
      ...(s.raw.casr?.source === undefined ? {} : { convertedFrom: s.raw.casr.source }),
    },
    sourcePath: s.file,
  };
  const prompt = s.raw.items.find((i) => i.kind === "user" && i.text.trim() !== "");
  const title = prompt === undefined ? undefined : titleOf(prompt.text);
  if (title !== undefined) session.title = title;
  if (s.raw.startedAt !== undefined) session.startedAt = s.raw.startedAt;
  if (s.model !== undefined) session.model = s.model;
  return session;
}

/**
 * Reads a history file's text, failing like other readers.
 *
 * @param file The file.
 * @returns Its text.
 * @throws {CasrError} `session-not-found` or `parse-failed`.
 */
export async function readHistoryText(file: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await fsp.readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" || code === "NotFound") {
      throw new CasrError("session-not-found", `Cannot read session "${file}": it does not exist`, {
        details: { path: file },
        cause: error,
      });
    }
    throw parseFailed(file, String(error), { cause: error });
  }
  // Aider writes with errors="ignore"; undecodable bytes are replaced, not fatal.
  return new TextDecoder().decode(bytes);
}

/**
 * The last history file parsed, while its size and mtime stay the same: one
 * file holds every session of a project (hundreds, in a long-lived one), and
 * listing or indexing reads them one at a time.
 */
let lastParsed: { key: string; parsed: Promise<AiderFile> } | undefined;

async function parsedHistory(full: string, ctx: ProviderContext): Promise<AiderFile> {
  const stat = await fsp.stat(full).catch(() => undefined);
  if (stat === undefined || !stat.isFile()) {
    return await sessionsOfText(full, await readHistoryText(full), ctx);
  }
  const key = [full, stat.size, stat.mtimeMs, aiderStoreDir(ctx)].join("\0");
  if (lastParsed?.key !== key) {
    const parsed = readHistoryText(full).then((text) => sessionsOfText(full, text, ctx));
    lastParsed = { key, parsed };
    parsed.catch(() => {
      if (lastParsed?.parsed === parsed) lastParsed = undefined;
    });
  }
  return await lastParsed.parsed;
}

/**
 * Reads one Aider session: `<file>#<id>` names a session of the file; a bare
 * file gives its only session with a prompt, else its last one (with a
 * warning naming the others' ids).
 *
 * @param p The history file, or `<file>#<id>`.
 * @param ctx Where to look.
 * @returns The canonical session and warnings.
 * @throws {CasrError} `session-not-found` for an unknown id, `parse-failed`
 * when the file holds no conversation.
 */
export async function readAider(p: string, ctx: ProviderContext): Promise<ReadResult> {
  let { file, id } = splitLocator(p);
  if (id !== undefined) {
    // A real file whose name contains "#" wins over the locator reading.
    try {
      if ((await fsp.stat(p)).isFile()) ({ file, id } = { file: p, id: undefined });
    } catch {
      // not a file: a locator
    }
  }
  const full = path.resolve(ctx.cwd, file);
  const parsed = await parsedHistory(full, ctx);
  const sessions = parsed.sessions;
  const warnings = [...parsed.warnings]; // the parse is shared: add to a copy
  const listable = sessions.filter((s) => s.listable);
  let chosen: AiderSession | undefined;
  if (id !== undefined) {
    chosen = sessions.find((s) => s.id === id);
    if (chosen === undefined) {
      throw new CasrError(
        "session-not-found",
        `Cannot read session "${id}": "${full}" holds no session with that id`,
        { details: { path: full, id } },
      );
    }
  } else {
    chosen = listable.at(-1);
    if (listable.length > 1) {
      warnings.push({
        code: "aider-several-sessions",
        message: `"${full}" holds ${listable.length} Aider sessions; read the last one (${
          chosen!.id
        }); name another as "<file>#<id>" or by its id: ${
          listable.slice(0, -1).map((s) => s.id).join(", ")
        }`,
      });
    }
  }
  if (chosen === undefined || chosen.raw.items.length === 0) {
    throw parseFailed(full, "no Aider conversation in the file");
  }
  const lines = chosen.raw.items.map((i) => i.line);
  const from = Math.min(...lines);
  const to = Math.max(...lines);
  return {
    session: toCanonical(chosen),
    warnings: warnings.filter((w) => w.line === undefined || (w.line >= from && w.line <= to)),
  };
}
