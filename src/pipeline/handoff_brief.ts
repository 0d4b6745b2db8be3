/**
 * The handoff brief: a compact Markdown summary of a session (goal, decisions,
 * files touched, open tasks, last turns), built from the session alone. Pure:
 * no disk, no providers. `handoff.ts` writes it and starts the agent.
 *
 * @module
 */
import type { Message, Session } from "../model/types.ts";
import { clipText } from "../model/normalize.ts";

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
  return clipText(flat, max);
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
