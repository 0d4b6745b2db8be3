/**
 * Pure conversions from Codex `response_item` payloads (OpenAI Responses API
 * items) to canonical pieces.
 *
 * @module
 */
import { flattenContent } from "../../model/normalize.ts";
import type { ImageContent, ToolCall, ToolResult } from "../../model/types.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { splitContent } from "./images.ts";

/**
 * Prefixes of user-role items that Codex injects (the human did not type them),
 * compared without regard to case as Codex compares its contextual fragments.
 * Only Codex's own markers count: a message wholly wrapped in some other tag (a
 * Gemini `<state_snapshot>` summary carried over by casr, a pasted block) is a
 * user message, as Codex itself treats it.
 */
export const INJECTED_PREFIXES: readonly string[] = [
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
  "<skill>",
].map((p) => p.toLowerCase());

/**
 * The text of a `message` item's content (`input_text` / `output_text` parts
 * joined with a newline; images and the `<image …>` / `</image>` wrappers
 * around them contribute nothing).
 *
 * @param content The item's `content`.
 * @returns The text.
 */
export function messageText(content: unknown): string {
  return Array.isArray(content) ? splitContent(content).texts.join("\n") : flattenContent(content);
}

/**
 * The images of a `message` item's content (`input_image` parts).
 *
 * @param content The item's `content`.
 * @returns The images (empty when there are none).
 */
export function messageImages(content: unknown): ImageContent[] {
  return Array.isArray(content) ? splitContent(content).images : [];
}

/**
 * Whether a user-role `message` item is scaffolding Codex injected rather than
 * a prompt the human typed. Newer builds (0.16x) tag each part with a
 * provenance (`user`, `harness`, `skills`, …); older ones are recognised by
 * the wrapper tags Codex itself recognises as contextual fragments.
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
  const trimmed = text.trimStart().toLowerCase();
  return INJECTED_PREFIXES.some((p) => trimmed.startsWith(p));
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

/** A legacy shell output: the text and the exit code it recorded. */
interface LegacyOutput {
  text: string;
  exitCode?: number;
}

/**
 * Unwraps the legacy `{"output": "...", "metadata": {"exit_code": N, ...}}`
 * string some 2025 builds stored as a shell call's output (and sent to the
 * model as is). A non-zero exit code stays in the text as `Exit code: N`; any
 * other string passes through.
 */
function unwrapLegacyOutput(text: string): LegacyOutput {
  if (!text.startsWith('{"output"')) return { text };
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      isRecord(parsed) && typeof parsed.output === "string" &&
      Object.keys(parsed).every((k) => k === "output" || k === "metadata")
    ) {
      const code = isRecord(parsed.metadata) ? parsed.metadata.exit_code : undefined;
      if (typeof code === "number" && Number.isInteger(code) && code !== 0) {
        return { text: `Exit code: ${code}\nOutput:\n${parsed.output}`, exitCode: code };
      }
      const plain: LegacyOutput = { text: parsed.output };
      if (typeof code === "number") plain.exitCode = code;
      return plain;
    }
  } catch {
    // not JSON after all
  }
  return { text };
}

function stringResult(callId: string, text: string, failed: boolean): ToolResult {
  const legacy = unwrapLegacyOutput(text);
  const isError = failed || (legacy.exitCode !== undefined && legacy.exitCode !== 0);
  return { callId, output: legacy.text, isError };
}

function arrayResult(callId: string, content: unknown[], failed: boolean): ToolResult {
  const { texts, images } = splitContent(content);
  const result: ToolResult = { callId, output: texts.join("\n"), isError: failed };
  if (images.length > 0) result.images = images;
  return result;
}

/**
 * The result an item carries, for `function_call_output` and
 * `custom_tool_call_output`. `output` may be a string, an array of
 * `input_text` / `input_image` items (images become `images`), or (older
 * builds) `{content, success}`.
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
  if (typeof output === "string") return stringResult(callId, output, false);
  if (Array.isArray(output)) return arrayResult(callId, output, false);
  if (isRecord(output) && ("content" in output || "success" in output)) {
    const content = output.content;
    const failed = output.success === false;
    if (typeof content === "string") return stringResult(callId, content, failed);
    if (Array.isArray(content)) return arrayResult(callId, content, failed);
    return { callId, output: flattenContent(content), isError: failed };
  }
  return { callId, output: flattenContent(output), isError: false };
}

/**
 * The result that stands for a `web_search_call`: the Responses API runs the
 * search itself and records no output item, so the result says what ran (the
 * query, the opened page or the pattern found) with the recorded status and
 * sources. A `failed` status is an error.
 *
 * @param payload The `web_search_call` payload.
 * @param callId The id of the call read from it.
 * @returns The result.
 */
export function webSearchResultOf(payload: Record<string, unknown>, callId: string): ToolResult {
  const action = isRecord(payload.action) ? payload.action : {};
  const status = str(payload.status) ?? "completed";
  const queries = [
    ...(typeof action.query === "string" ? [action.query] : []),
    ...(Array.isArray(action.queries) ? action.queries.filter((q) => typeof q === "string") : []),
  ].filter((q, i, all) => all.indexOf(q) === i);
  let what: string;
  if (action.type === "open_page") what = `Opened page ${str(action.url) ?? "(no URL recorded)"}`;
  else if (action.type === "find_in_page") {
    what = `Searched page ${str(action.url) ?? "(no URL recorded)"} for "${
      str(action.pattern) ?? ""
    }"`;
  } else if (queries.length > 0) {
    what = `Searched the web for ${queries.map((q) => `"${q}"`).join(", ")}`;
  } else if (typeof payload.action === "string") what = `Web search action "${payload.action}"`;
  else what = "Web search";
  const lines = [`${what} (status: ${status}).`];
  const sources = Array.isArray(action.sources)
    ? action.sources.map((s) => (isRecord(s) ? str(s.url) : undefined)).filter((u) => u)
    : [];
  if (sources.length > 0) lines.push("Sources:", ...sources.map((u) => `- ${u}`));
  else lines.push("The results went to the model directly; the rollout does not record them.");
  return {
    callId,
    output: lines.join("\n"),
    isError: status === "failed",
    name: "web_search",
  };
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
