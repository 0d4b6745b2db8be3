/**
 * Calls a rollout left without an output (the turn was interrupted or the
 * process killed while the tool ran) read as Codex itself replays them.
 *
 * When Codex builds the next request from a rollout, it adds the output
 * "aborted" right after every `function_call`, `custom_tool_call` and
 * `local_shell_call` (with a `call_id`) that has no output anywhere in the
 * history (codex-rs `ensure_call_outputs_present`, context_manager/normalize.rs;
 * 0.169.0 sends it on resume). The model sees that text, so the canonical
 * session carries it too, instead of the generic text casr's repair would add.
 *
 * @module
 */
import type { Message, ToolResult } from "../../model/types.ts";
import { answerUnansweredCalls } from "../../formats/unanswered.ts";

/** The output Codex sends for a call whose rollout holds no output. */
export const ABORTED_OUTPUT = "aborted";

/**
 * Answers every unanswered call that Codex answers on resume with "aborted",
 * in a tool message right after the assistant message that made it.
 *
 * The result is an error: the call never finished. (Codex's output item has no
 * error flag; the text is what the model reads either way.)
 *
 * @param messages The messages read so far; changed in place.
 * @param answerable The ids of the calls Codex answers when their output is missing.
 * @param names The tool name of each call id.
 * @returns How many results were added.
 */
export function answerAbortedCalls(
  messages: Message[],
  answerable: ReadonlySet<string>,
  names: ReadonlyMap<string, string>,
): number {
  return answerUnansweredCalls(messages, (call) => {
    if (!answerable.has(call.id)) return undefined;
    const result: ToolResult = { callId: call.id, output: ABORTED_OUTPUT, isError: true };
    const name = names.get(call.id);
    if (name !== undefined) result.name = name;
    return result;
  });
}
