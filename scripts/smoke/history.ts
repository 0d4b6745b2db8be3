/**
 * Normalized conversation history extracted from the request bodies that agent CLIs send to a
 * model API. Every wire format the mock speaks (Anthropic Messages, OpenAI Responses, OpenAI
 * Chat Completions, Gemini generateContent) is reduced to one list of {@linkcode Turn}s so the
 * smoke checks can compare a resumed conversation with its source.
 *
 * @module
 */

/** A wire protocol the mock server speaks. */
export type Wire = "anthropic" | "responses" | "chat" | "gemini";

/** One structured tool call as the model issued it. */
export interface ToolCall {
  /** Tool name, e.g. `Bash`, `exec_command`, `run_shell_command`. */
  name: string;
  /** Tool input: parsed JSON arguments, or the raw string of a free-form tool. */
  input: unknown;
  /** Call id used to pair the call with its result, when the wire has one. */
  id?: string;
}

/** One tool result as the client sent it back. */
export interface ToolResult {
  /** The result flattened to text. */
  output: string;
  /** Call id of the call this answers, when the wire has one. */
  id?: string;
  /** Tool name, when the wire carries it (Gemini). */
  name?: string;
  /** The wire flags the result as an error (Anthropic `is_error`, a Gemini `error` response). */
  isError?: boolean;
  /** Images the result carries (absent: none). */
  images?: number;
}

/** A normalized conversation turn. */
export interface Turn {
  /** `tool` turns carry tool results back to the model. */
  role: "user" | "assistant" | "tool";
  /** Visible text of the turn (text parts joined by a newline). */
  text: string;
  /** Structured tool calls (assistant turns only). */
  toolCalls: ToolCall[];
  /** Tool results (tool turns only). */
  toolResults: ToolResult[];
  /** Images a user turn carries (absent: none). */
  images?: number;
  /**
   * The readable reasoning an assistant turn sends back to the model (absent: none): Chat
   * Completions `reasoning_content` (or `reasoning`), Anthropic `thinking` blocks, Responses
   * `reasoning` items' summary texts, Gemini `thought` parts. Opaque forms (signatures,
   * `encrypted_content`, `redacted_thinking`) are not text and are not counted.
   */
  reasoning?: string;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function newTurn(role: Turn["role"]): Turn {
  return { role, text: "", toolCalls: [], toolResults: [] };
}

function joinText(parts: string[]): string {
  return parts.filter((part) => part !== "").join("\n");
}

function parseJsonOrString(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const IMAGE_TYPES = new Set(["image", "input_image", "image_url"]);

/** Whether a content part is an image (Anthropic, Responses, Chat Completions, Gemini). */
function isImagePart(part: unknown): boolean {
  if (!isObject(part)) return false;
  if (typeof part.type === "string" && IMAGE_TYPES.has(part.type)) return true;
  return isObject(part.inlineData) &&
    String(part.inlineData.mimeType ?? "").startsWith("image/");
}

/** The number of image parts in a content value (a list of parts, or one part). */
function countImages(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, part) => sum + countImages(part), 0);
  if (isImagePart(value)) return 1;
  if (isObject(value) && Array.isArray(value.content)) return countImages(value.content);
  return 0;
}

/** Adds reasoning text to a turn (joined by a newline), when there is any. */
function withReasoning(turn: Turn, reasoning: string | undefined): Turn {
  if (reasoning === undefined || reasoning.trim() === "") return turn;
  turn.reasoning = joinText([turn.reasoning ?? "", reasoning]);
  return turn;
}

/** Sets `images` on a turn or result when there are any. */
function withImages<T extends { images?: number }>(target: T, count: number): T {
  if (count > 0) target.images = (target.images ?? 0) + count;
  return target;
}

/** Flattens a tool result payload of any wire into text (images count, not as text). */
function flattenOutput(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return joinText(value.map(flattenOutput));
  if (isImagePart(value)) return "";
  if (isObject(value)) {
    const text = asString(value.text);
    if (text !== undefined) return text;
    if ("content" in value) return flattenOutput(value.content);
    if ("output" in value) return flattenOutput(value.output);
    return JSON.stringify(value);
  }
  return value === undefined || value === null ? "" : String(value);
}

/**
 * Merges adjacent assistant turns and adjacent tool turns, because wires differ in whether one
 * model reply (text plus tool calls) is one item or several.
 */
function mergeAdjacent(turns: Turn[]): Turn[] {
  const merged: Turn[] = [];
  for (const turn of turns) {
    const last = merged.at(-1);
    if (last !== undefined && last.role === turn.role && turn.role !== "user") {
      last.text = joinText([last.text, turn.text]);
      last.toolCalls.push(...turn.toolCalls);
      last.toolResults.push(...turn.toolResults);
      withImages(last, turn.images ?? 0);
      withReasoning(last, turn.reasoning);
    } else {
      merged.push({ ...turn, toolCalls: [...turn.toolCalls], toolResults: [...turn.toolResults] });
    }
  }
  return merged.filter((turn) =>
    turn.text !== "" || turn.toolCalls.length > 0 || turn.toolResults.length > 0 ||
    (turn.images ?? 0) > 0
  );
}

/**
 * Extracts the history from an Anthropic Messages request body (`POST /v1/messages`).
 *
 * @param body The parsed request body.
 * @returns The normalized turns; the system prompt and tool definitions are ignored.
 */
export function historyFromAnthropic(body: unknown): Turn[] {
  const turns: Turn[] = [];
  if (!isObject(body)) return turns;
  for (const message of asArray(body.messages)) {
    if (!isObject(message)) continue;
    const content = typeof message.content === "string"
      ? [{ type: "text", text: message.content }]
      : asArray(message.content);
    if (message.role === "assistant") {
      const turn = newTurn("assistant");
      const texts: string[] = [];
      for (const block of content) {
        if (!isObject(block)) continue;
        if (block.type === "text") texts.push(asString(block.text) ?? "");
        if (block.type === "thinking") withReasoning(turn, asString(block.thinking));
        if (block.type === "tool_use") {
          const call: ToolCall = { name: asString(block.name) ?? "", input: block.input };
          const id = asString(block.id);
          if (id !== undefined) call.id = id;
          turn.toolCalls.push(call);
        }
      }
      turn.text = joinText(texts);
      turns.push(turn);
      continue;
    }
    if (message.role !== "user") continue;
    const tool = newTurn("tool");
    const texts: string[] = [];
    let images = 0;
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === "text") texts.push(asString(block.text) ?? "");
      if (isImagePart(block)) images++;
      if (block.type === "tool_result") {
        const result: ToolResult = { output: flattenOutput(block.content) };
        const id = asString(block.tool_use_id);
        if (id !== undefined) result.id = id;
        if (block.is_error === true) result.isError = true;
        tool.toolResults.push(withImages(result, countImages(block.content)));
      }
    }
    if (tool.toolResults.length > 0) turns.push(tool);
    if (texts.length > 0 || images > 0) {
      turns.push(withImages({ ...newTurn("user"), text: joinText(texts) }, images));
    }
  }
  return mergeAdjacent(turns);
}

function responsesContentText(content: unknown): string {
  if (typeof content === "string") return content;
  return joinText(
    asArray(content).map((part) => isObject(part) ? asString(part.text) ?? "" : ""),
  );
}

/**
 * Extracts the history from an OpenAI Responses request body (`POST /v1/responses`).
 * `developer` and `system` messages are skipped; `function_call`, `custom_tool_call` and
 * `local_shell_call` items become tool calls, their `*_output` items tool results; a
 * `reasoning` item's summary texts are the reasoning of the assistant item that follows it.
 *
 * @param body The parsed request body.
 * @returns The normalized turns.
 */
export function historyFromResponses(body: unknown): Turn[] {
  const turns: Turn[] = [];
  if (!isObject(body)) return turns;
  let pending: string | undefined;
  const push = (turn: Turn): void => {
    if (turn.role === "assistant") withReasoning(turn, pending);
    pending = undefined;
    turns.push(turn);
  };
  const input = typeof body.input === "string"
    ? [{ type: "message", role: "user", content: body.input }]
    : asArray(body.input);
  for (const item of input) {
    if (!isObject(item)) continue;
    const type = asString(item.type) ?? (item.role !== undefined ? "message" : "");
    if (type === "message") {
      if (item.role === "user") {
        const text = responsesContentText(item.content);
        push(withImages({ ...newTurn("user"), text }, countImages(item.content)));
      } else if (item.role === "assistant") {
        push({ ...newTurn("assistant"), text: responsesContentText(item.content) });
      }
    } else if (type === "reasoning") {
      const text = joinText([
        responsesContentText(item.summary),
        responsesContentText(item.content),
      ]);
      pending = joinText([pending ?? "", text]);
    } else if (
      type === "function_call" || type === "custom_tool_call" || type === "local_shell_call"
    ) {
      const input = type === "function_call"
        ? parseJsonOrString(item.arguments)
        : type === "custom_tool_call"
        ? item.input
        : item.action;
      const call: ToolCall = { name: asString(item.name) ?? type, input };
      const id = asString(item.call_id);
      if (id !== undefined) call.id = id;
      push({ ...newTurn("assistant"), toolCalls: [call] });
    } else if (
      type === "function_call_output" || type === "custom_tool_call_output" ||
      type === "local_shell_call_output"
    ) {
      const result: ToolResult = { output: flattenOutput(item.output) };
      const id = asString(item.call_id);
      if (id !== undefined) result.id = id;
      push({
        ...newTurn("tool"),
        toolResults: [withImages(result, countImages(item.output))],
      });
    }
  }
  return mergeAdjacent(turns);
}

/**
 * A user message that only carries the images of the tool result before it: Chat Completions
 * has no images in `tool` messages, so Pi sends them in the next user message.
 */
const IMAGE_CARRIER = /^Attached image\(s\) from tool result/;

/**
 * The text OpenClaw puts before each result's images in the user message that carries them,
 * after a run of `tool` messages: `Image(s) from tool result #<n> (<tool>):`, `n` counting the
 * results of that run from 1.
 */
const OPENCLAW_IMAGE_CARRIER = /^Image\(s\) from tool result #(\d+)(?: \([^)]*\))?:$/;

/**
 * Gives the results of the tool turns just before the images of an OpenClaw carrier message:
 * the images after each `Image(s) from tool result #<n>` text go to the run's n-th result.
 *
 * @returns Whether the message was such a carrier (else nothing changed).
 */
function takeOpenClawCarrier(turns: Turn[], content: unknown): boolean {
  if (!Array.isArray(content) || content.length === 0) return false;
  const results: ToolResult[] = [];
  for (let i = turns.length - 1; i >= 0 && turns[i]!.role === "tool"; i--) {
    results.unshift(...turns[i]!.toolResults);
  }
  const counts = new Map<ToolResult, number>();
  let current: ToolResult | undefined;
  for (const part of content) {
    if (isImagePart(part)) {
      if (current === undefined) return false;
      counts.set(current, (counts.get(current) ?? 0) + 1);
      continue;
    }
    const match = isObject(part) ? OPENCLAW_IMAGE_CARRIER.exec(asString(part.text) ?? "") : null;
    current = match === null ? undefined : results[Number(match[1]) - 1];
    if (current === undefined) return false;
  }
  if (counts.size === 0) return false;
  for (const [result, count] of counts) withImages(result, count);
  return true;
}

/**
 * Extracts the history from an OpenAI Chat Completions request body
 * (`POST /v1/chat/completions`). `system` and `developer` messages are skipped; a user message
 * that only carries tool results' images (Pi, OpenClaw) counts as those results' images.
 *
 * @param body The parsed request body.
 * @returns The normalized turns.
 */
export function historyFromChat(body: unknown): Turn[] {
  const turns: Turn[] = [];
  if (!isObject(body)) return turns;
  for (const message of asArray(body.messages)) {
    if (!isObject(message)) continue;
    if (message.role === "user") {
      const text = responsesContentText(message.content);
      const images = countImages(message.content);
      const previous = turns.at(-1)?.toolResults.at(-1);
      if (IMAGE_CARRIER.test(text) && previous !== undefined && images > 0) {
        withImages(previous, images); // the images of the tool result just before
        continue;
      }
      if (takeOpenClawCarrier(turns, message.content)) continue;
      turns.push(withImages({ ...newTurn("user"), text }, images));
    } else if (message.role === "assistant") {
      const turn: Turn = { ...newTurn("assistant"), text: responsesContentText(message.content) };
      withReasoning(turn, asString(message.reasoning_content) ?? asString(message.reasoning));
      for (const toolCall of asArray(message.tool_calls)) {
        if (!isObject(toolCall)) continue;
        const fn = isObject(toolCall.function) ? toolCall.function : {};
        const call: ToolCall = {
          name: asString(fn.name) ?? "",
          input: parseJsonOrString(fn.arguments),
        };
        const id = asString(toolCall.id);
        if (id !== undefined) call.id = id;
        turn.toolCalls.push(call);
      }
      turns.push(turn);
    } else if (message.role === "tool") {
      const result: ToolResult = { output: flattenOutput(message.content) };
      const id = asString(message.tool_call_id);
      if (id !== undefined) result.id = id;
      withImages(result, countImages(message.content));
      turns.push({ ...newTurn("tool"), toolResults: [result] });
    }
  }
  return mergeAdjacent(turns);
}

/**
 * Extracts the history from a Gemini `generateContent` / `streamGenerateContent` request body.
 * Thought parts are the turn's reasoning; `functionCall` parts become tool calls and `functionResponse`
 * parts tool results.
 *
 * @param body The parsed request body.
 * @returns The normalized turns.
 */
export function historyFromGemini(body: unknown): Turn[] {
  const turns: Turn[] = [];
  if (!isObject(body)) return turns;
  for (const content of asArray(body.contents)) {
    if (!isObject(content)) continue;
    const parts = asArray(content.parts);
    if (content.role === "model") {
      const turn = newTurn("assistant");
      const texts: string[] = [];
      for (const part of parts) {
        if (!isObject(part)) continue;
        if (part.thought === true) {
          withReasoning(turn, asString(part.text));
          continue;
        }
        const text = asString(part.text);
        if (text !== undefined) texts.push(text);
        if (isObject(part.functionCall)) {
          const call: ToolCall = {
            name: asString(part.functionCall.name) ?? "",
            input: part.functionCall.args,
          };
          const id = asString(part.functionCall.id);
          if (id !== undefined) call.id = id;
          turn.toolCalls.push(call);
        }
      }
      turn.text = joinText(texts);
      turns.push(turn);
      continue;
    }
    const tool = newTurn("tool");
    const texts: string[] = [];
    let images = 0;
    for (const part of parts) {
      if (!isObject(part)) continue;
      const text = asString(part.text);
      if (text !== undefined) texts.push(text);
      if (isImagePart(part)) {
        // An image next to a function response belongs to that result (Gemini CLI's read_file).
        const last = tool.toolResults.at(-1);
        if (last !== undefined) withImages(last, 1);
        else images++;
      }
      if (isObject(part.functionResponse)) {
        const result: ToolResult = { output: flattenOutput(part.functionResponse.response) };
        const id = asString(part.functionResponse.id);
        if (id !== undefined) result.id = id;
        const name = asString(part.functionResponse.name);
        if (name !== undefined) result.name = name;
        const response = part.functionResponse.response;
        if (isObject(response) && response.error !== undefined) result.isError = true;
        const nested = part.functionResponse.parts;
        tool.toolResults.push(withImages(result, countImages(nested)));
      }
    }
    if (tool.toolResults.length > 0) turns.push(tool);
    if (texts.length > 0 || images > 0) {
      turns.push(withImages({ ...newTurn("user"), text: joinText(texts) }, images));
    }
  }
  return mergeAdjacent(turns);
}

/**
 * Extracts the history from a request body of the given wire.
 *
 * @param wire The wire protocol of the request.
 * @param body The parsed request body.
 * @returns The normalized turns.
 */
export function historyFromWire(wire: Wire, body: unknown): Turn[] {
  switch (wire) {
    case "anthropic":
      return historyFromAnthropic(body);
    case "responses":
      return historyFromResponses(body);
    case "chat":
      return historyFromChat(body);
    case "gemini":
      return historyFromGemini(body);
  }
}

const REMINDER_ONLY = /^(\s*<system-reminder>[\s\S]*?<\/system-reminder>)+\s*$/;
/** OpenClaw sends its runtime context (active exec sessions, subagents) as its own user message. */
const OPENCLAW_CONTEXT_ONLY =
  /^\s*<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>[\s\S]*?<<<END_OPENCLAW_INTERNAL_CONTEXT>>>\s*$/;

/**
 * Whether a turn is a user message made only of `<system-reminder>` blocks the CLI injected
 * (Kimi Code sends the date and the permission mode as their own user messages after the
 * prompt), or only an OpenClaw `<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>` block, not something
 * the user typed.
 *
 * @param turn A normalized turn.
 * @returns `true` for an injected reminder.
 */
export function isInjectedReminder(turn: Turn): boolean {
  return turn.role === "user" && turn.toolResults.length === 0 &&
    (REMINDER_ONLY.test(turn.text) || OPENCLAW_CONTEXT_ONLY.test(turn.text));
}
