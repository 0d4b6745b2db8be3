/**
 * Pure conversions from Codex `response_item` payloads (OpenAI Responses API
 * items) to canonical pieces.
 *
 * @module
 */
import { flattenContent } from "../../model/normalize.ts";
import type { ToolCall, ToolResult } from "../../model/types.ts";
import { isRecord, str } from "../../internal/jsonl.ts";

/** Prefixes of user-role items that Codex injects (the human did not type them). */
const INJECTED_PREFIXES = [
  "<environment_context>",
  "<user_instructions>",
  "# AGENTS.md instructions",
  "<permissions instructions>",
  "<turn_aborted>",
  "<user_shell_command>",
  "<skills_instructions>",
  "<INSTRUCTIONS>",
  "<subagent_notification>",
  "<collaboration_mode>",
  "<apps_instructions>",
  "<personality_spec>",
  "<multi_agent_",
  "<model_switch>",
];

/** A whole message wrapped in one snake_case or spaced tag, e.g. `<foo_bar>…</foo_bar>`. */
const WRAPPED_RE = /^<([a-z][a-z0-9]*(?:[_ ][a-z0-9]+)+)>[\s\S]*<\/\1>$/;

/**
 * The text of a `message` item's content (`input_text` / `output_text` parts
 * joined with a newline; images contribute nothing).
 *
 * @param content The item's `content`.
 * @returns The text.
 */
export function messageText(content: unknown): string {
  return flattenContent(content);
}

/**
 * Whether a user-role `message` item is scaffolding Codex injected rather than
 * a prompt the human typed. Newer builds (0.16x) tag each part with a
 * provenance (`user`, `harness`, `skills`, …); older ones are recognised by
 * their wrapper tags.
 *
 * @param payload The `response_item` payload.
 * @param text Its flattened text.
 * @returns `true` for injected items.
 */
export function isInjectedUserItem(payload: Record<string, unknown>, text: string): boolean {
  const passthrough = payload.internal_chat_message_metadata_passthrough;
  if (isRecord(passthrough) && Array.isArray(passthrough.content_item_metadata)) {
    const kinds = passthrough.content_item_metadata
      .map((m) => (isRecord(m) && isRecord(m.provenance) ? str(m.provenance.type) : undefined))
      .filter((k): k is string => k !== undefined);
    if (kinds.length > 0) return !kinds.includes("user");
  }
  const trimmed = text.trim();
  if (INJECTED_PREFIXES.some((p) => trimmed.startsWith(p))) return true;
  return WRAPPED_RE.test(trimmed);
}

function parseArguments(args: unknown): unknown {
  if (typeof args !== "string") return args ?? {};
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

/**
 * The tool call an item makes, for `function_call`, `custom_tool_call`,
 * `local_shell_call` and `web_search_call`.
 *
 * @param payload The `response_item` payload.
 * @param fallbackId An id for items that carry none (web searches).
 * @returns The call, or `undefined` for other items.
 */
export function toolCallOf(
  payload: Record<string, unknown>,
  fallbackId: string,
): ToolCall | undefined {
  const id = str(payload.call_id) ?? str(payload.id) ?? fallbackId;
  switch (payload.type) {
    case "function_call":
      return {
        id,
        name: str(payload.name) ?? "function",
        input: parseArguments(payload.arguments),
      };
    case "custom_tool_call":
      return { id, name: str(payload.name) ?? "custom_tool", input: payload.input ?? "" };
    case "local_shell_call":
      return { id, name: "local_shell", input: payload.action ?? {} };
    case "web_search_call":
      return { id, name: "web_search", input: payload.action ?? {} };
    default:
      return undefined;
  }
}

/**
 * Unwraps the legacy `{"output": "...", "metadata": {...}}` string some 2025
 * builds stored as a shell call's output; any other string passes through.
 */
function unwrapLegacyOutput(text: string): string {
  if (!text.startsWith('{"output"')) return text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      isRecord(parsed) && typeof parsed.output === "string" &&
      Object.keys(parsed).every((k) => k === "output" || k === "metadata")
    ) {
      return parsed.output;
    }
  } catch {
    // not JSON after all
  }
  return text;
}

/**
 * The result an item carries, for `function_call_output` and
 * `custom_tool_call_output`. `output` may be a string, an array of
 * `input_text` / `input_image` items, or (older builds) `{content, success}`.
 *
 * @param payload The `response_item` payload.
 * @returns The result without its tool name, or `undefined` for other items.
 */
export function toolResultOf(payload: Record<string, unknown>): ToolResult | undefined {
  if (payload.type !== "function_call_output" && payload.type !== "custom_tool_call_output") {
    return undefined;
  }
  const callId = str(payload.call_id) ?? "";
  const output = payload.output;
  if (typeof output === "string") {
    return { callId, output: unwrapLegacyOutput(output), isError: false };
  }
  if (isRecord(output) && ("content" in output || "success" in output)) {
    const content = output.content;
    const text = typeof content === "string"
      ? unwrapLegacyOutput(content)
      : flattenContent(content);
    return { callId, output: text, isError: output.success === false };
  }
  return { callId, output: flattenContent(output), isError: false };
}

/**
 * The readable summary of a `reasoning` item (`summary_text` parts joined with
 * a newline). Encrypted content is never read.
 *
 * @param payload The `response_item` payload.
 * @returns The summary, or "" when it has none.
 */
export function reasoningSummary(payload: Record<string, unknown>): string {
  return Array.isArray(payload.summary) ? flattenContent(payload.summary) : "";
}
