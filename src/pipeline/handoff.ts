/**
 * Handoff: a compact Markdown brief of a session (goal, decisions, files
 * touched, open tasks, last turns) written into the workspace, and the command
 * that starts the target agent with it. This is a NEW session seeded with the
 * brief, not the old conversation: for targets that cannot import a session,
 * or when a fresh start is wanted.
 *
 * @module
 */
import * as path from "node:path";
import { CasrError } from "../errors.ts";
import type { Message, Session, Warning } from "../model/types.ts";
import { exists, writeFileAtomic } from "../internal/fs.ts";
import { shellQuote } from "../internal/shell.ts";
import type { Provider, ProviderContext, ResumeCommand } from "../providers/types.ts";
import { readResolved, requireProvider, resolveSession } from "./discover.ts";
import type { SessionLocation } from "./write_session.ts";

/** Options for {@linkcode renderHandoffBrief}. */
export interface RenderHandoffBriefOptions {
  /** The source agent's name, e.g. `Codex CLI`. */
  sourceName: string;
  /** The target agent's name, e.g. `Claude Code`. */
  targetName: string;
  /**
   * How many of the last user and assistant messages to quote.
   *
   * @default {6}
   */
  lastTurns?: number;
}

/** A file path found in the tool calls, and how it was used. */
export interface TouchedFile {
  /** The path as the tool call named it. */
  path: string;
  /** Whether a call that writes or edits named it. */
  edited: boolean;
  /** How many tool calls named it. */
  calls: number;
}

const PATH_KEYS = new Set([
  "path",
  "file_path",
  "filepath",
  "filePath",
  "file",
  "filename",
  "notebook_path",
  "absolute_path",
  "target_file",
  "paths",
  "files",
]);
const EDIT_TOOL =
  /edit|write|patch|replace|create|insert|str_replace|apply|multiedit|delete|rename|move/i;
const FILE_EXTENSIONS = new Set(
  ("ts tsx js jsx mjs cjs json jsonl md mdx txt py rs go java kt c h cc cpp hpp cs rb php sh " +
    "bash zsh fish yml yaml toml ini cfg conf sql html css scss less xml csv env gradle swift vue " +
    "svelte lua pl ex exs erl dart lock log diff patch proto graphql tf nix").split(" "),
);
const PATCH_FILE = /^\*\*\* (?:Update|Add|Delete) File: (.+)$/gm;
const SHELL_PATH =
  /(?:^|[\s'"=(])((?:\.{0,2}\/)?(?:[\w@.-]+\/)*[\w@-][\w@.-]*\.[A-Za-z][A-Za-z0-9]{0,7})(?=$|[\s'":;),])/g;

function pathsIn(value: unknown, key: string | undefined, out: string[]): void {
  if (typeof value === "string") {
    if (key !== undefined && PATH_KEYS.has(key) && value.trim() !== "" && !value.includes("\n")) {
      out.push(value.trim());
    }
    for (const m of value.matchAll(PATCH_FILE)) out.push((m[1] as string).trim());
    if (key === "command" || key === "cmd" || key === "input" || key === undefined) {
      for (const m of value.matchAll(SHELL_PATH)) {
        const p = m[1] as string;
        if (/^\d/.test(p) || p.startsWith("-")) continue;
        // A word such as "r.output" in code is not a file: without a slash, only
        // a common source or config extension counts.
        const ext = p.slice(p.lastIndexOf(".") + 1).toLowerCase();
        if (p.includes("/") || FILE_EXTENSIONS.has(ext)) out.push(p);
      }
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) pathsIn(v, key === "paths" || key === "files" ? "path" : key, out);
    return;
  }
  if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) pathsIn(v, k, out);
  }
}

/**
 * The file paths named in a session's tool call inputs (path arguments, patch
 * headers, and file-like words of shell commands), most used first.
 *
 * @param session The session.
 * @returns The paths.
 *
 * @example
 * ```ts
 * import { filesTouched } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const files = filesTouched({
 *   id: "s", provider: "claude-code", metadata: {},
 *   messages: [{ index: 0, role: "assistant", text: "", toolResults: [], toolCalls: [
 *     { id: "1", name: "Edit", input: { file_path: "src/a.ts", old_string: "x", new_string: "y" } },
 *     { id: "2", name: "Bash", input: { command: "cat README.md" } },
 *   ] }],
 * });
 * assert.deepEqual(files.map((f) => [f.path, f.edited]), [["src/a.ts", true], ["README.md", false]]);
 * ```
 */
export function filesTouched(session: Session): TouchedFile[] {
  const byPath = new Map<string, TouchedFile>();
  for (const m of session.messages) {
    for (const call of m.toolCalls) {
      const found: string[] = [];
      pathsIn(call.input, undefined, found);
      for (const p of new Set(found)) {
        const entry = byPath.get(p) ?? { path: p, edited: false, calls: 0 };
        entry.calls++;
        if (EDIT_TOOL.test(call.name)) entry.edited = true;
        byPath.set(p, entry);
      }
    }
  }
  return [...byPath.values()].sort((a, b) =>
    Number(b.edited) - Number(a.edited) || b.calls - a.calls || a.path.localeCompare(b.path)
  );
}

const DONE = /^(completed?|done|finished|cancell?ed)$/i;

/**
 * The unfinished items of the session's latest task list (a to-do or plan tool
 * call such as Claude Code's `TodoWrite`, Codex's `update_plan` or Gemini's
 * `write_todos`), and a last user request no assistant answered.
 *
 * @param session The session.
 * @returns One line per open task.
 */
export function openTasks(session: Session): string[] {
  const tasks: string[] = [];
  for (const m of [...session.messages].reverse()) {
    const call = [...m.toolCalls].reverse().find((c) => todoItems(c.input) !== undefined);
    if (call === undefined) continue;
    for (const item of todoItems(call.input) ?? []) {
      if (!DONE.test(item.status)) tasks.push(`${item.text} (${item.status || "pending"})`);
    }
    break;
  }
  const lastUser = session.messages.findLastIndex((m) =>
    m.role === "user" && m.toolResults.length === 0 && m.text.trim() !== ""
  );
  const answered = session.messages.slice(lastUser + 1).some((m) =>
    m.role === "assistant" && m.text.trim() !== ""
  );
  if (lastUser >= 0 && !answered) {
    tasks.push(`Unanswered request: ${oneLine(session.messages[lastUser]?.text ?? "", 300)}`);
  }
  return tasks;
}

function todoItems(input: unknown): { text: string; status: string }[] | undefined {
  if (typeof input !== "object" || input === null) return undefined;
  for (const key of ["todos", "plan", "items", "tasks"]) {
    const list = (input as Record<string, unknown>)[key];
    if (!Array.isArray(list) || list.length === 0) continue;
    const items = list.flatMap((x) => {
      if (typeof x !== "object" || x === null) return [];
      const r = x as Record<string, unknown>;
      const text = [r.content, r.step, r.description, r.title, r.text].find((v) =>
        typeof v === "string"
      );
      return typeof text === "string"
        ? [{ text: oneLine(text, 200), status: typeof r.status === "string" ? r.status : "" }]
        : [];
    });
    if (items.length > 0) return items;
  }
  return undefined;
}

const DECISION =
  /\b(decided|decision|we'll|we will|i'll use|i will use|going with|chose|choosing|instead of|switch(?:ed)? to|settled on|the plan is|approach:)\b/i;

/**
 * Sentences of the assistant's replies that state a decision ("decided",
 * "going with", "instead of", …), oldest first, at most `max`.
 *
 * @param session The session.
 * @param max The most to return.
 * @returns The sentences, each on one line.
 */
export function decisions(session: Session, max = 12): string[] {
  const out: string[] = [];
  for (const m of session.messages) {
    if (m.role !== "assistant") continue;
    for (const sentence of m.text.split(/(?<=[.!?])\s+|\n+/)) {
      if (DECISION.test(sentence)) {
        const line = oneLine(sentence.replace(/^[-*#>\s]+/, ""), 240);
        if (line !== "" && !out.includes(line)) out.push(line);
      }
    }
  }
  return out.slice(-max);
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  return `${ticks}text\n${text}\n${ticks}`;
}

function clip(text: string, max: number): string {
  const t = text.trim();
  return t.length > max ? `${t.slice(0, max)}\n[… ${t.length - max} more characters]` : t;
}

function callSummary(message: Message): string[] {
  return message.toolCalls.map((c) => {
    const input = typeof c.input === "string" ? c.input : JSON.stringify(c.input) ?? "";
    return `- tool call \`${c.name}\`: ${oneLine(input, 160).replaceAll("`", "'")}`;
  });
}

/**
 * Renders the Markdown brief of a session. Pure.
 *
 * @param session The session.
 * @param options Agent names and how many last turns to quote.
 * @returns The Markdown.
 *
 * @example
 * ```ts
 * import { renderHandoffBrief } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const brief = renderHandoffBrief({
 *   id: "s1", provider: "codex", metadata: {}, workspace: "/p",
 *   messages: [{ index: 0, role: "user", text: "Fix the login bug", toolCalls: [], toolResults: [] }],
 * }, { sourceName: "Codex CLI", targetName: "Claude Code" });
 * assert.match(brief, /## Goal\n\n\W+text\nFix the login bug\n/);
 * assert.match(brief, /a new Claude Code session/);
 * ```
 */
export function renderHandoffBrief(session: Session, options: RenderHandoffBriefOptions): string {
  const conversation = session.messages.filter((m) =>
    (m.role === "user" || m.role === "assistant") &&
    (m.text.trim() !== "" || m.toolCalls.length > 0)
  );
  const goal = conversation.find((m) => m.role === "user" && m.text.trim() !== "");
  const lines: string[] = [];
  // A plain first line: some agents read a first prompt line starting with "#"
  // or "/" as a command (Claude Code's "#" memory shortcut, slash commands).
  lines.push(`Handoff brief from casr: ${oneLine(session.title ?? goal?.text ?? session.id, 100)}`);
  lines.push("");
  lines.push(
    `This is a new ${options.targetName} session. It picks up work begun in ${options.sourceName} ` +
      `(session \`${session.id}\`${
        session.workspace === undefined ? "" : ` in \`${session.workspace}\``
      }, ${conversation.length} messages). The earlier conversation is not loaded: ` +
      `this brief, written by casr, is all that carries over. Read it, check the files ` +
      `it names before relying on them, and continue with the open tasks.`,
  );
  lines.push("");
  lines.push("## Goal", "", fence(clip(goal?.text ?? "(no user message)", 4000)), "");
  const decided = decisions(session);
  lines.push("## Decisions", "");
  lines.push(
    ...(decided.length > 0
      ? decided.map((d) => `- ${d}`)
      : ["- (none stated in so many words; see the last turns)"]),
  );
  lines.push("");
  const files = filesTouched(session);
  lines.push("## Files touched", "");
  if (files.length === 0) lines.push("- (no file paths in the tool calls)");
  for (const f of files.slice(0, 40)) {
    lines.push(`- \`${f.path}\`${f.edited ? " (edited)" : ""}`);
  }
  if (files.length > 40) lines.push(`- … and ${files.length - 40} more`);
  lines.push("");
  const tasks = openTasks(session);
  lines.push("## Open tasks", "");
  lines.push(
    ...(tasks.length > 0
      ? tasks.map((t) => `- ${t}`)
      : ["- (no task list recorded; the last turns show where the work stopped)"]),
  );
  lines.push("");
  const n = options.lastTurns ?? 6;
  const last = n > 0 ? conversation.slice(-n) : [];
  lines.push(`## Last ${last.length} turns`, "");
  for (const m of last) {
    const when = m.timestamp === undefined ? "" : ` · ${new Date(m.timestamp).toISOString()}`;
    lines.push(`### ${m.role === "user" ? "User" : "Assistant"}${when}`, "");
    if (m.text.trim() !== "") lines.push(fence(clip(m.text, 2000)), "");
    const calls = callSummary(m);
    if (calls.length > 0) lines.push(...calls, "");
  }
  return lines.join("\n").replace(/\n+$/, "\n");
}

/** Options for {@linkcode handoffSession}. */
export interface HandoffSessionOptions {
  /**
   * A provider alias to search only that provider, or a session file path.
   *
   * @default {undefined} every provider
   */
  source?: string;
  /**
   * The workspace to write the brief into and start the target in.
   *
   * @default {undefined} the session's own workspace, else the current directory
   */
  workspace?: string;
  /**
   * How many of the last user and assistant messages the brief quotes.
   *
   * @default {6}
   */
  lastTurns?: number;
  /**
   * Render the brief but write nothing.
   *
   * @default {false}
   */
  dryRun?: boolean;
}

/** What {@linkcode handoffSession} did. */
export interface HandoffResult {
  /** The session the brief describes. */
  source: SessionLocation;
  /** The target provider id. */
  target: string;
  /** The brief file (`<workspace>/.casr/handoff-<id>.md`, or `-2`, `-3`, … when taken). */
  path: string;
  /** The brief's size in bytes. */
  bytes: number;
  /** The brief itself. */
  content: string;
  /** The command that starts a new target session with the brief as its first prompt. */
  start: ResumeCommand;
  /** Always `true`: the target starts a new session. */
  newSession: true;
  /** What could not be done as asked. */
  warnings: Warning[];
  /** Whether nothing was written on purpose. */
  dryRun: boolean;
}

/**
 * The command that starts `provider` in `workspace` with the brief as its
 * first prompt, the way its `startPrompt` says: `cd <workspace> && <binary>
 * [flag] "$(cat <brief>)"`, or `<binary> < <brief>` for an agent that reads it
 * from standard input.
 *
 * @param provider The target provider.
 * @param briefPath The brief file.
 * @param workspace Where to start.
 * @returns The command (`argv` runs it through `sh -c`).
 */
export function handoffStartCommand(
  provider: Provider,
  briefPath: string,
  workspace: string,
): ResumeCommand {
  const relative = path.relative(workspace, briefPath);
  const file = relative.startsWith("..") ? briefPath : relative;
  const start = provider.startPrompt;
  if (start?.via === "stdin") {
    const command = `${shellQuote(provider.binary)} < ${shellQuote(file)}`;
    return {
      cwd: workspace,
      argv: ["sh", "-c", command],
      shell: `cd ${shellQuote(workspace)} && ${command}`,
      note: start.note,
    };
  }
  const command = [provider.binary, ...(start?.flags ?? [])].map(shellQuote).join(" ") +
    ` "$(cat ${shellQuote(file)})"`;
  const note = start === undefined
    ? `Starts a NEW ${provider.name} session; casr has not checked that "${provider.binary}" takes a first prompt this way`
    : `Starts a NEW ${provider.name} session with the brief as its first prompt`;
  return {
    cwd: workspace,
    argv: ["sh", "-c", command],
    shell: `cd ${shellQuote(workspace)} && ${command}`,
    note,
  };
}

/**
 * Writes a handoff brief of a session into the workspace (never replacing a
 * file: `handoff-<id>.md`, then `-2`, `-3`, …) and returns the command that
 * starts the target agent with it, as a new session.
 *
 * @param ctx Where to look.
 * @param target The target provider id or alias.
 * @param id The source session id, unique prefix or file path.
 * @param options Source restriction, workspace, last turns, dry run.
 * @returns The brief and the start command.
 * @throws {CasrError} `session-not-found`, `ambiguous-session`, `unknown-provider`,
 * `permission-denied`, `write-failed`.
 */
export async function handoffSession(
  ctx: ProviderContext,
  target: string,
  id: string,
  options: HandoffSessionOptions = {},
): Promise<HandoffResult> {
  const targetProvider = requireProvider(target);
  const resolved = await resolveSession(
    ctx,
    id,
    options.source === undefined ? {} : { source: options.source },
  );
  const read = await readResolved(ctx, resolved);
  const session = read.session;
  const workspace = path.resolve(ctx.cwd, options.workspace ?? session.workspace ?? ctx.cwd);
  const briefOptions: RenderHandoffBriefOptions = {
    sourceName: resolved.provider.name,
    targetName: targetProvider.name,
  };
  if (options.lastTurns !== undefined) briefOptions.lastTurns = options.lastTurns;
  const content = renderHandoffBrief(session, briefOptions);
  const source: SessionLocation = {
    provider: resolved.provider.id,
    sessionId: session.id,
    path: resolved.summary.path,
    messageCount:
      session.messages.filter((m) =>
        m.role === "user" || m.role === "assistant" || m.role === "tool"
      ).length,
  };
  if (session.workspace !== undefined) source.workspace = session.workspace;
  const stem = `handoff-${session.id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64)}`;
  const dir = path.join(workspace, ".casr");
  let file = path.join(dir, `${stem}.md`);
  const warnings: Warning[] = [...read.warnings];
  for (let n = 2;; n++) {
    if (options.dryRun) {
      if (!(await exists(file))) break;
    } else {
      try {
        await writeFileAtomic({ path: file, data: content, mode: 0o644 });
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== "EEXIST") throw briefError(error, file);
      }
    }
    if (n > 999) throw new CasrError("conflict", `Cannot write "${file}": too many handoffs`);
    file = path.join(dir, `${stem}-${n}.md`);
  }
  return {
    source,
    target: targetProvider.id,
    path: file,
    bytes: new TextEncoder().encode(content).length,
    content,
    start: handoffStartCommand(targetProvider, file, workspace),
    newSession: true,
    warnings,
    dryRun: options.dryRun ?? false,
  };
}

function briefError(error: unknown, file: string): CasrError {
  const code = (error as { code?: string; name?: string }).code ??
    (error as { name?: string }).name;
  const reason = error instanceof Error ? error.message : String(error);
  if (code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "NotCapable") {
    return new CasrError("permission-denied", `Cannot write "${file}": permission denied`, {
      details: { path: file },
      cause: error,
    });
  }
  return new CasrError("write-failed", `Cannot write "${file}": ${reason}`, {
    details: { path: file },
    cause: error,
  });
}
