/**
 * The `messy` scenario's moving parts that do not depend on one CLI: the mock's reply script
 * (keyed on the words of each step's prompt), the reply that makes a compaction summary, and
 * the derivation of a fixture's `expected` turns from the request the source CLI itself sends
 * when it resumes the finished session.
 *
 * @module
 */

import type { ExpectedToolCall, ExpectedTurn } from "./checks.ts";
import { isInjectedReminder, type Turn } from "./history.ts";
import type { MockScript, ScriptContext } from "./mock_server.ts";
import type { MockReply, ShellToolCall } from "./wire_replies.ts";

/** One step of a messy session as the mock plays it. */
export interface MessyTurn {
  /** Text of the user turn (or of the summary request) that selects these replies. */
  key: string;
  /** Replies with tool calls, in order, before the final one. */
  replies: MockReply[];
  /** The final reply (text, maybe reasoning). */
  final: MockReply;
}

/** The newest user turn, when it holds one of the keys, and which key. */
function findStep(
  history: Turn[],
  turns: readonly MessyTurn[],
): { at: number; turn: MessyTurn } | undefined {
  // Only the newest user turn counts: a prompt without a key (a probe) gets plain text.
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i] as Turn;
    if (entry.role !== "user" || isInjectedReminder(entry)) continue;
    const turn = turns.find((candidate) => entry.text.includes(candidate.key));
    return turn === undefined ? undefined : { at: i, turn };
  }
  return undefined;
}

/** Whether a Responses request asks for a remote compaction (Codex: a `compaction_trigger`). */
function isCompactionTrigger(body: unknown): boolean {
  if (typeof body !== "object" || body === null) return false;
  const input = (body as { input?: unknown }).input;
  if (!Array.isArray(input)) return false;
  const last: unknown = input.at(-1);
  return typeof last === "object" && last !== null &&
    (last as { type?: unknown }).type === "compaction_trigger";
}

/**
 * The reply to one request of a messy session: for the newest user turn that holds a step's
 * key, that step's tool-call replies in order (counting the calls answered after it), then its
 * final reply. A request that matches no step gets a plain text reply; a Codex request for a
 * remote compaction gets a compaction item.
 *
 * @param turns The steps.
 * @param context The request.
 * @returns The reply.
 */
export function messyReply(turns: readonly MessyTurn[], context: ScriptContext): MockReply {
  if (isCompactionTrigger(context.body)) return { text: "", compaction: MESSY_SUMMARY };
  const found = findStep(context.history, turns);
  if (found === undefined) return { text: `OK from mock #${context.turnIndex + 1}` };
  const done = context.history.slice(found.at + 1)
    .reduce((sum, entry) => sum + (entry.role === "assistant" ? entry.toolCalls.length : 0), 0);
  let calls = 0;
  for (const reply of found.turn.replies) {
    if (done === calls) return reply;
    calls += (reply.shellCommands?.length ?? 0) + (reply.tools?.length ?? 0);
  }
  return found.turn.final;
}

/**
 * The mock script of a messy session.
 *
 * @param turns The steps.
 * @returns The script.
 */
export function messyScript(turns: readonly MessyTurn[]): MockScript {
  return (context) => messyReply(turns, context);
}

/** The compaction summary the mock writes; Claude Code wants it inside `<summary>` tags. */
export const MESSY_SUMMARY =
  "<analysis>The user ran a few commands and looked at two images.</analysis>\n" +
  "<summary>Summary of the messy session so far: a failing command, a large listing, " +
  "a picture read from disk, an attached picture, a custom command and a subagent.</summary>";

/** Text of a tool result the fixture's `expected` keeps, when a known token is in it. */
function resultText(output: string, tokens: readonly string[]): string {
  const token = tokens.find((candidate) => output.includes(candidate));
  if (token !== undefined) return token;
  const line = output.trim().split("\n", 1)[0] ?? "";
  return line.slice(0, 60).trim();
}

/**
 * Blocks a CLI injects into a user turn: Claude's reminders, Gemini CLI's session context,
 * Copilot CLI's current time, Kilo CLI's environment details (time and directory).
 */
const REMINDER = new RegExp(
  ["system-reminder", "session_context", "current_datetime", "environment_details"]
    .map((tag) => `<${tag}>[\\s\\S]*?<\\/${tag}>`).join("|"),
  "g",
);

/**
 * A user message that is only context the CLI injects on its own (Codex's
 * `<environment_context>`, `<user_instructions>`, an `AGENTS.md` block), not a turn.
 */
const INJECTED_ONLY =
  /^\s*(<(environment_context|user_instructions)>[\s\S]*<\/\2>|# AGENTS\.md instructions[\s\S]*<\/INSTRUCTIONS>)\s*$/;

/** The time OpenClaw puts before each prompt it sends (`[Sun 2026-12-06 06:10 UTC] `). */
const OPENCLAW_ENVELOPE = /^\[[A-Z][a-z]{2} \d{4}-\d\d-\d\d \d\d:\d\d [A-Za-z+\-\d:]+\] /;

/**
 * The runtime line OpenClaw adds to the first user message (`Runtime: agent=main | session=… |
 * …`): after a blank line in a string content, as a text part of its own in a list (a
 * compaction summary), which the history joins with one newline.
 */
const OPENCLAW_RUNTIME = /\n+Runtime: agent=[^\n]*$/;

/**
 * A user text without the blocks a CLI injects ({@linkcode REMINDER}). When a block sits between
 * two pieces of text (Claude Code's compaction summary), only the longest piece is kept: the
 * check looks for `expected` text as one contiguous piece of the target's turn.
 */
function userText(text: string): string {
  const pieces = text.replace(OPENCLAW_ENVELOPE, "").replace(OPENCLAW_RUNTIME, "").split(REMINDER)
    .map((piece) => piece.trim()).filter((piece) => piece !== "");
  return pieces.reduce((best, piece) => piece.length > best.length ? piece : best, "");
}

function firstString(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(firstString).find((s) => s !== "") ?? "";
  if (typeof value === "object" && value !== null) {
    return Object.values(value).map(firstString).find((s) => s !== "") ?? "";
  }
  return "";
}

/**
 * Derives a fixture's `expected` turns from the history the source CLI sent when it resumed
 * the finished session natively: every turn before the probe prompt, as the CLI sent it
 * (injected `<system-reminder>` blocks and context-only user messages left out), with the images of user turns and tool
 * results and the readable reasoning of assistant turns. A tool call keeps the name and the identifying text the mock recorded for its id; a
 * tool result keeps the first known token its output holds (else its first line).
 *
 * @param history The resume request's history.
 * @param probe The prompt sent on the native resume (not part of `expected`).
 * @param calls Every tool call the mock made while the session was made.
 * @param tokens Result texts worth keeping, most specific first.
 * @returns The expected turns.
 * @throws {Error} When the history does not carry the probe prompt.
 */
export function expectedFromResume(
  history: readonly Turn[],
  probe: string,
  calls: readonly ShellToolCall[],
  tokens: readonly string[],
): ExpectedTurn[] {
  const end = history.findLastIndex((turn) => turn.role === "user" && turn.text.includes(probe));
  if (end === -1) throw new Error(`the resume request does not carry "${probe}"`);
  const expected: ExpectedTurn[] = [];
  for (const turn of history.slice(0, end)) {
    if (turn.role === "user") {
      if (isInjectedReminder(turn) && (turn.images ?? 0) === 0) continue;
      if (INJECTED_ONLY.test(turn.text) && (turn.images ?? 0) === 0) continue;
      const text = userText(turn.text);
      if (text === "" && (turn.images ?? 0) === 0) continue;
      const entry: ExpectedTurn = { role: "user", text };
      if ((turn.images ?? 0) > 0) entry.images = turn.images as number;
      expected.push(entry);
    } else if (turn.role === "assistant") {
      const entry: ExpectedTurn = { role: "assistant", text: turn.text.trim() };
      if (turn.toolCalls.length > 0) {
        entry.toolCalls = turn.toolCalls.map((call): ExpectedToolCall => {
          const made = calls.find((candidate) => candidate.id === call.id);
          return made !== undefined
            ? { name: made.name, command: made.command }
            : { name: call.name, command: firstString(call.input).slice(0, 60) };
        });
      }
      const reasoning = turn.reasoning?.trim() ?? "";
      if (reasoning !== "") entry.reasoning = reasoning;
      expected.push(entry);
    } else {
      const seen = new Set<string>();
      for (const result of turn.toolResults) {
        if (result.id !== undefined && seen.has(result.id)) continue;
        if (result.id !== undefined) seen.add(result.id);
        const entry: ExpectedTurn = { role: "tool", text: resultText(result.output, tokens) };
        if (result.isError === true) entry.error = true;
        if ((result.images ?? 0) > 0) entry.images = result.images as number;
        expected.push(entry);
      }
    }
  }
  return expected;
}
