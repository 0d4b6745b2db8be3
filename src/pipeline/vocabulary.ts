/**
 * Renames a session's tool calls to the target agent's own tools (see
 * `src/formats/tool_vocabulary.ts`), so the target's model sees history calls
 * to tools it declares.
 *
 * @module
 */
import type { Message, Session, ToolCall, Warning } from "../model/types.ts";
import { mapToolCall, TOOL_FAMILIES } from "../formats/tool_vocabulary.ts";

/** What {@linkcode mapToolVocabulary} returns. */
export interface VocabularyResult {
  /** The session with its tool calls renamed (the input when nothing changed). */
  session: Session;
  /** How many tool calls were renamed. */
  mapped: number;
  /** Calls left with their source names because the target has no equivalent. */
  warnings: Warning[];
}

/**
 * Maps every tool call of a session from one tool family's vocabulary to
 * another's. Call ids do not change, so results still answer their calls; a
 * result that names its tool (Gemini's `functionResponse.name`) is renamed
 * with its call. Calls the table cannot map keep their names and inputs.
 *
 * @param session The session (not modified).
 * @param fromFamily The source agent's family (`carries.toolFamily`), if any.
 * @param toFamily The target agent's family, if any.
 * @returns The mapped session, the count and warnings.
 *
 * @example Claude's Bash for Gemini CLI
 * ```ts
 * import assert from "node:assert/strict";
 * import { mapToolVocabulary } from "./vocabulary.ts";
 *
 * const session = {
 *   id: "s",
 *   provider: "claude-code",
 *   metadata: {},
 *   messages: [{
 *     index: 0,
 *     role: "assistant" as const,
 *     text: "",
 *     toolCalls: [{ id: "c1", name: "Bash", input: { command: "ls" } }],
 *     toolResults: [],
 *   }],
 * };
 * const out = mapToolVocabulary(session, "claude", "gemini");
 * assert.equal(out.mapped, 1);
 * assert.equal(out.session.messages[0]?.toolCalls[0]?.name, "run_shell_command");
 * ```
 */
export function mapToolVocabulary(
  session: Session,
  fromFamily: string | undefined,
  toFamily: string | undefined,
): VocabularyResult {
  if (fromFamily === undefined || toFamily === undefined || fromFamily === toFamily) {
    return { session, mapped: 0, warnings: [] };
  }
  const unknown = [fromFamily, toFamily].filter((f) => !(f in TOOL_FAMILIES));
  if (unknown.length > 0) {
    return {
      session,
      mapped: 0,
      warnings: [{
        code: "tool-family-unknown",
        message: `Kept tool names as they were: no tool vocabulary for ${unknown.join(", ")}`,
      }],
    };
  }
  let mapped = 0;
  const kept = new Set<string>();
  const renamed = new Map<string, { from: string; to: string }>();
  const messages = session.messages.map((message): Message => {
    if (message.toolCalls.length === 0) return message;
    const toolCalls = message.toolCalls.map((call): ToolCall => {
      const out = mapToolCall(call, fromFamily, toFamily);
      if (out.outcome === "mapped") {
        mapped++;
        if (out.call.name !== call.name) {
          renamed.set(call.id, { from: call.name, to: out.call.name });
        }
      } else if (out.outcome === "no-equivalent") kept.add(call.name);
      return out.call;
    });
    return { ...message, toolCalls };
  }).map((message): Message => {
    if (message.toolResults.length === 0 || renamed.size === 0) return message;
    const toolResults = message.toolResults.map((result) => {
      const names = renamed.get(result.callId);
      return names !== undefined && result.name === names.from
        ? { ...result, name: names.to }
        : result;
    });
    return { ...message, toolResults };
  });
  const warnings: Warning[] = kept.size === 0 ? [] : [{
    code: "tool-names-kept",
    message: `Kept ${[...kept].join(", ")} as named: the target's tools have no equivalent`,
  }];
  return { session: mapped === 0 ? session : { ...session, messages }, mapped, warnings };
}
