/**
 * Tool calls as readable text, for targets that have no structured tool calls
 * (Aider's Markdown history) and for transcripts (Amp's seed prompt).
 *
 * The same functions serve the writers and the pipeline's verification: a
 * target that declares `toolCalls: "text"` is compared with the source after
 * {@linkcode flattenToolCalls}, so the check stays exact (roles, order, text)
 * while admitting honestly that the calls became text.
 *
 * @module
 */
import type { Message, Session, ToolCall, ToolResult } from "../model/types.ts";

/**
 * A Markdown code fence longer than any backtick run in `text`, so the block
 * cannot be closed early by the content.
 */
function fenceFor(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return "`".repeat(Math.max(3, longest + 1));
}

function fenced(text: string, info = ""): string {
  const fence = fenceFor(text);
  return `${fence}${info}\n${text}\n${fence}`;
}

function inputText(input: unknown): { text: string; info: string } {
  if (typeof input === "string") return { text: input, info: "" };
  if (input === undefined) return { text: "{}", info: "json" };
  try {
    return { text: JSON.stringify(input, null, 2) ?? String(input), info: "json" };
  } catch {
    return { text: String(input), info: "" };
  }
}

/**
 * Renders one tool call as Markdown: a bold label with the tool name and call
 * id, then the input in a code block (JSON for objects, as is for strings).
 *
 * @param call The call.
 * @returns The Markdown text.
 *
 * @example A shell call
 * ```ts
 * import { renderToolCallText } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const text = renderToolCallText({ id: "c1", name: "Bash", input: { command: "ls" } });
 * assert.ok(text.startsWith("**Tool call** `Bash` (id `c1`):"));
 * assert.ok(text.includes('"command": "ls"'));
 * ```
 */
export function renderToolCallText(call: ToolCall): string {
  const { text, info } = inputText(call.input);
  const id = call.id === "" ? "" : ` (id \`${call.id.replaceAll("`", "'")}\`)`;
  return `**Tool call** \`${call.name.replaceAll("`", "'")}\`${id}:\n${fenced(text, info)}`;
}

/**
 * Renders one tool result as Markdown: a bold label (saying when it is an
 * error) with the call id, then the output in a code block.
 *
 * @param result The result.
 * @param name The tool name, when known.
 * @returns The Markdown text.
 */
export function renderToolResultText(result: ToolResult, name?: string): string {
  const label = result.isError ? "**Tool result (error)**" : "**Tool result**";
  const tool = name === undefined || name === "" ? "" : ` of \`${name.replaceAll("`", "'")}\``;
  const id = result.callId === "" ? "" : ` (id \`${result.callId.replaceAll("`", "'")}\`)`;
  return `${label}${tool}${id}:\n${fenced(result.output)}`;
}

/** How many tool calls and results {@linkcode flattenToolCalls} turned into text. */
export interface FlattenCounts {
  /** Tool calls rendered as text. */
  calls: number;
  /** Tool results rendered as text. */
  results: number;
}

/**
 * Turns every tool call and result into assistant text: each run of assistant
 * and tool messages becomes ONE assistant message whose text is the parts
 * joined by a blank line (the reply text, each rendered call, each rendered
 * result, the next reply text…). User messages end a run; system and other
 * messages inside a run do not (they follow the merged message). A run's
 * timestamp is its first message's; a run that carries nothing is dropped.
 *
 * @param session The session (not modified).
 * @returns A copy without structured calls or results, and what was flattened.
 *
 * @example A call and its result join the reply
 * ```ts
 * import { flattenToolCalls } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const { session, counts } = flattenToolCalls({
 *   id: "s", provider: "codex", metadata: {},
 *   messages: [
 *     { index: 0, role: "user", text: "list", toolCalls: [], toolResults: [] },
 *     { index: 1, role: "assistant", text: "Listing.", toolResults: [],
 *       toolCalls: [{ id: "c1", name: "shell", input: { cmd: "ls" } }] },
 *     { index: 2, role: "tool", text: "", toolCalls: [],
 *       toolResults: [{ callId: "c1", output: "a.txt", isError: false }] },
 *     { index: 3, role: "assistant", text: "One file.", toolCalls: [], toolResults: [] },
 *   ],
 * });
 * assert.equal(session.messages.length, 2);
 * assert.equal(session.messages[1]?.toolCalls.length, 0);
 * assert.ok(session.messages[1]?.text.endsWith("One file."));
 * assert.deepEqual(counts, { calls: 1, results: 1 });
 * ```
 */
export function flattenToolCalls(
  session: Session,
): { session: Session; counts: FlattenCounts } {
  const counts: FlattenCounts = { calls: 0, results: 0 };
  const names = new Map<string, string>();
  const out: Message[] = [];
  let run: { parts: string[]; first: Message; held: Message[] } | undefined;
  const closeRun = (): void => {
    if (run === undefined) return;
    const held = run.held;
    if (run.parts.length > 0) {
      const merged: Message = {
        index: out.length,
        role: "assistant",
        text: run.parts.join("\n\n"),
        toolCalls: [],
        toolResults: [],
      };
      if (run.first.timestamp !== undefined) merged.timestamp = run.first.timestamp;
      if (run.first.author !== undefined) merged.author = run.first.author;
      out.push(merged);
    }
    for (const message of held) out.push({ ...message, index: out.length });
    run = undefined;
  };
  for (const message of session.messages) {
    if (run !== undefined && (message.role === "system" || message.role === "other")) {
      // A target without structured calls shows one reply; notices do not split it.
      run.held.push(message);
      continue;
    }
    if (message.role !== "assistant" && message.role !== "tool") {
      closeRun();
      out.push({ ...message, index: out.length });
      continue;
    }
    run ??= { parts: [], first: message, held: [] };
    const text = message.text.trim();
    if (text !== "") run.parts.push(text);
    for (const call of message.toolCalls) {
      names.set(call.id, call.name);
      run.parts.push(renderToolCallText(call));
      counts.calls++;
    }
    for (const result of message.toolResults) {
      run.parts.push(renderToolResultText(result, result.name ?? names.get(result.callId)));
      counts.results++;
    }
  }
  closeRun();
  return { session: { ...session, messages: out }, counts };
}
