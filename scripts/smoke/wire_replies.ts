/**
 * Pure builders for the mock model's replies in each wire format: SSE encoding, shell-tool
 * selection from the tools a request offers, and minimal JSON for a response schema.
 *
 * @module
 */

import type { Wire } from "./history.ts";
import { mockSignature } from "./mock_signatures.ts";

/** What the scripted model answers: text, optionally followed by shell tool calls. */
export interface MockReply {
  /** Assistant text (may be empty when a tool call is made). */
  text: string;
  /**
   * Shell commands the model asks the client to run, one tool call each, all in this one reply
   * (parallel calls, in the wire's native form).
   */
  shellCommands?: string[];
  /**
   * Other tool calls (a file read, a subagent, an image viewer), made after the shell calls in
   * this same reply; a spec whose tool the request does not offer is left out.
   */
  tools?: ToolSpec[];
  /**
   * Reasoning shown before the text: an Anthropic `thinking` block, a Responses `reasoning`
   * item, a Gemini `thought` part (each with a token from `mockSignature`), or Chat
   * Completions `reasoning_content`.
   */
  reasoning?: string;
  /** Input tokens the reply's usage reports (a huge count makes a CLI compact on its own). */
  inputTokens?: number;
  /**
   * Answer with one opaque Responses `compaction` item bound to this summary text (its
   * `encrypted_content` from `mockSignature`) instead of text: Codex's remote compaction.
   */
  compaction?: string;
}

/** A tool call of any tool, described independently of the wire. */
export interface ToolSpec {
  /** Tool names to call, in preference order; the first one the request offers is used. */
  names: string[];
  /**
   * The call's input for the chosen tool name: JSON arguments, or the free-form string of an
   * OpenAI custom tool.
   */
  input(name: string): Record<string, unknown> | string;
  /** Text the input holds that identifies the call (a path, a prompt), kept as `command`. */
  mention: string;
}

/** The concrete tool call a reply makes, in the shape the requesting client offered. */
export interface ShellToolCall {
  /** Tool name from the request's tool list. */
  name: string;
  /** `function`: JSON arguments; `custom`: a free-form string input (OpenAI custom tools). */
  kind: "function" | "custom";
  /** Arguments (kind `function`) or the free-form input string (kind `custom`). */
  input: Record<string, unknown> | string;
  /** Call id the mock assigned. */
  id: string;
  /**
   * The shell command the call runs (inside `input`); for another tool, the text that
   * identifies the call (its {@linkcode ToolSpec.mention}).
   */
  command: string;
}

/** An HTTP reply body with its content type. */
export interface EncodedReply {
  /** `text/event-stream` or `application/json`. */
  contentType: string;
  /** The serialized body. */
  body: string;
}

/** One server-sent event. */
export interface SseEvent {
  /** Optional `event:` name. */
  event?: string;
  /** Payload, serialized as JSON on one `data:` line. */
  data: unknown;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Serializes events as a `text/event-stream` body.
 *
 * @param events The events, in order.
 * @param done Append the OpenAI Chat Completions terminator `data: [DONE]`.
 * @returns The SSE body.
 */
export function encodeSse(events: SseEvent[], done = false): string {
  let out = "";
  for (const event of events) {
    if (event.event !== undefined) out += `event: ${event.event}\n`;
    out += `data: ${JSON.stringify(event.data)}\n\n`;
  }
  if (done) out += "data: [DONE]\n\n";
  return out;
}

/**
 * Parses a `text/event-stream` body back into events (used by tests and by debugging tools).
 *
 * @param body The SSE body.
 * @returns The events; a `data: [DONE]` line yields `{ data: "[DONE]" }`.
 */
export function decodeSse(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const chunk of body.split("\n\n")) {
    if (chunk.trim() === "") continue;
    let name: string | undefined;
    const data: string[] = [];
    for (const line of chunk.split("\n")) {
      if (line.startsWith("event:")) name = line.slice(6).trim();
      if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
    }
    const raw = data.join("\n");
    let parsed: unknown = raw;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // keep the raw text, e.g. [DONE]
    }
    events.push(name === undefined ? { data: parsed } : { event: name, data: parsed });
  }
  return events;
}

const SHELL_NAME =
  /^(bash|shell|exec_command|run_shell_command|local_shell|exec|execute|terminal|run_command|command)$/i;

/** Flattens OpenAI tool lists, descending into `namespace` groups. */
function flattenResponsesTools(tools: unknown[]): Json[] {
  const out: Json[] = [];
  for (const tool of tools) {
    if (!isObject(tool)) continue;
    if (tool.type === "namespace" && Array.isArray(tool.tools)) {
      out.push(...flattenResponsesTools(tool.tools));
    } else {
      out.push(tool);
    }
  }
  return out;
}

/** The tools of an OpenAI Responses request: `tools` plus codex's `additional_tools` items. */
function responsesTools(body: Json): Json[] {
  const pools: unknown[] = Array.isArray(body.tools) ? [...body.tools] : [];
  if (Array.isArray(body.input)) {
    for (const item of body.input) {
      if (isObject(item) && item.type === "additional_tools" && Array.isArray(item.tools)) {
        pools.push(...item.tools);
      }
    }
  }
  return flattenResponsesTools(pools);
}

/**
 * Lists the tool names a request offers.
 *
 * @param wire The request's wire.
 * @param body The parsed request body.
 * @returns Tool names, in offer order.
 */
export function offeredToolNames(wire: Wire, body: unknown): string[] {
  if (!isObject(body)) return [];
  if (wire === "responses") {
    return responsesTools(body).flatMap((tool) => typeof tool.name === "string" ? [tool.name] : []);
  }
  const names: string[] = [];
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    if (!isObject(tool)) continue;
    if (wire === "gemini") {
      const decls = Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : [];
      for (const decl of decls) {
        if (isObject(decl) && typeof decl.name === "string") names.push(decl.name);
      }
    } else if (wire === "chat" && isObject(tool.function)) {
      if (typeof tool.function.name === "string") names.push(tool.function.name);
    } else if (typeof tool.name === "string") {
      names.push(tool.name);
    }
  }
  return names;
}

function responsesToolKind(body: unknown, name: string): "function" | "custom" {
  if (!isObject(body)) return "function";
  const tool = responsesTools(body).find((candidate) => candidate.name === name);
  return tool?.type === "custom" ? "custom" : "function";
}

/**
 * Picks the shell tool a request offers and builds the call for `command` in that tool's shape.
 *
 * @param wire The request's wire.
 * @param body The parsed request body.
 * @param command The shell command to run.
 * @param id The call id to use.
 * @returns The call, or `undefined` when the request offers no shell-like tool.
 */
export function pickShellTool(
  wire: Wire,
  body: unknown,
  command: string,
  id: string,
): ShellToolCall | undefined {
  const names = offeredToolNames(wire, body);
  const preferred = ["Bash", "run_shell_command", "exec_command", "shell", "exec", "run_commands"];
  const name = preferred.find((candidate) => names.includes(candidate)) ??
    names.find((candidate) => SHELL_NAME.test(candidate));
  if (name === undefined) return undefined;
  const kind = wire === "responses" ? responsesToolKind(body, name) : "function";
  if (kind === "custom") {
    // Codex's free-form `exec` tool takes JavaScript that calls its nested tools.
    const input = `const r = await tools.exec_command({ cmd: ${JSON.stringify(command)} });\n` +
      'text(typeof r === "string" ? r : r.output);\n' +
      'if (typeof r !== "string" && r.exit_code) throw new Error(`exit code ${r.exit_code}`);';
    return { name, kind, input, id, command };
  }
  let input: Record<string, unknown>;
  switch (name) {
    case "Bash":
      input = { command, description: "Run the requested command" };
      break;
    case "exec_command":
      input = { cmd: command };
      break;
    case "shell":
      input = { command: ["bash", "-lc", command] };
      break;
    case "run_commands":
      // Cline CLI 3.x: one tool that takes a list of commands.
      input = { commands: [command] };
      break;
    case "Execute":
      // Factory Droid 0.225.x rejects an Execute call without a risk level and its reason.
      input = { command, riskLevelReason: "A read-only command for a test.", riskLevel: "low" };
      break;
    default:
      input = { command };
  }
  return { name, kind, input, id, command };
}

/**
 * Builds the call of a generic tool spec in the shape the requesting client offered.
 *
 * @param wire The request's wire.
 * @param body The parsed request body.
 * @param spec The tool names to try and the input to give.
 * @param id The call id to use.
 * @returns The call, or `undefined` when the request offers none of the spec's tools.
 */
export function pickTool(
  wire: Wire,
  body: unknown,
  spec: ToolSpec,
  id: string,
): ShellToolCall | undefined {
  const names = offeredToolNames(wire, body);
  const name = spec.names.find((candidate) => names.includes(candidate));
  if (name === undefined) return undefined;
  const kind = wire === "responses" ? responsesToolKind(body, name) : "function";
  return { name, kind, input: spec.input(name), id, command: spec.mention };
}

/**
 * Builds the smallest JSON value that conforms to a (JSON Schema or OpenAPI-style) schema:
 * every property of an object, the first enum value, the minimum of a number.
 *
 * @param schema The schema.
 * @returns A conforming value.
 */
export function minimalJsonForSchema(schema: unknown): unknown {
  if (!isObject(schema)) return {};
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ("const" in schema) return schema.const;
  const rawType = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const type = typeof rawType === "string" ? rawType.toLowerCase() : undefined;
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const options = schema[key];
    if (type === undefined && Array.isArray(options) && options.length > 0) {
      return minimalJsonForSchema(options[0]);
    }
  }
  switch (type) {
    case "string":
      return "mock";
    case "integer":
    case "number": {
      const min = typeof schema.minimum === "number" ? schema.minimum : 1;
      const max = typeof schema.maximum === "number" ? schema.maximum : min;
      return Math.min(Math.max(min, 1), max);
    }
    case "boolean":
      return false;
    case "array": {
      const minItems = typeof schema.minItems === "number" ? schema.minItems : 0;
      return Array.from({ length: minItems }, () => minimalJsonForSchema(schema.items));
    }
    case "null":
      return null;
    default: {
      const out: Json = {};
      const props = isObject(schema.properties) ? schema.properties : {};
      for (const [key, value] of Object.entries(props)) out[key] = minimalJsonForSchema(value);
      return out;
    }
  }
}

/** Options for the per-wire encoders. */
export interface EncodeOptions {
  /** Model name to echo. */
  model: string;
  /** Stream as SSE (otherwise one JSON body). */
  stream: boolean;
  /** The tool calls to make, in order (none: a text-only reply). */
  toolCalls?: ShellToolCall[] | undefined;
  /** Stable id suffix for message/response ids. */
  idSuffix: string;
  /** Reasoning shown before the text (its token comes from `mockSignature`). */
  reasoning?: string | undefined;
  /** Input tokens reported in the usage. @default 12 */
  inputTokens?: number | undefined;
  /** Responses only: the reply is one `compaction` item bound to this summary text. */
  compaction?: string | undefined;
}

const USAGE_TOKENS = { input: 12, output: 7 };

function inputTokens(options: EncodeOptions): number {
  return options.inputTokens ?? USAGE_TOKENS.input;
}

/**
 * Encodes a reply as an Anthropic Messages response (SSE or JSON).
 *
 * @param text Assistant text.
 * @param options Encoding options.
 * @returns The HTTP body.
 */
export function encodeAnthropic(text: string, options: EncodeOptions): EncodedReply {
  const content: Json[] = [];
  const reasoning = options.reasoning;
  if (reasoning !== undefined) {
    content.push({ type: "thinking", thinking: reasoning, signature: mockSignature(reasoning) });
  }
  if (text !== "") content.push({ type: "text", text });
  const calls = options.toolCalls ?? [];
  for (const call of calls) {
    content.push({ type: "tool_use", id: call.id, name: call.name, input: call.input });
  }
  const stopReason = calls.length === 0 ? "end_turn" : "tool_use";
  const message = {
    id: `msg_mock_${options.idSuffix}`,
    type: "message",
    role: "assistant",
    model: options.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: inputTokens(options), output_tokens: USAGE_TOKENS.output },
  };
  if (!options.stream) return { contentType: "application/json", body: JSON.stringify(message) };
  const events: SseEvent[] = [{
    event: "message_start",
    data: {
      type: "message_start",
      message: {
        ...message,
        content: [],
        stop_reason: null,
        usage: { input_tokens: inputTokens(options), output_tokens: 1 },
      },
    },
  }];
  content.forEach((block, index) => {
    if (block.type === "thinking") {
      events.push({
        event: "content_block_start",
        data: {
          type: "content_block_start",
          index,
          content_block: { type: "thinking", thinking: "", signature: "" },
        },
      });
      events.push({
        event: "content_block_delta",
        data: {
          type: "content_block_delta",
          index,
          delta: { type: "thinking_delta", thinking: block.thinking },
        },
      });
      events.push({
        event: "content_block_delta",
        data: {
          type: "content_block_delta",
          index,
          delta: { type: "signature_delta", signature: block.signature },
        },
      });
    } else if (block.type === "text") {
      events.push({
        event: "content_block_start",
        data: { type: "content_block_start", index, content_block: { type: "text", text: "" } },
      });
      events.push({
        event: "content_block_delta",
        data: { type: "content_block_delta", index, delta: { type: "text_delta", text } },
      });
    } else {
      events.push({
        event: "content_block_start",
        data: {
          type: "content_block_start",
          index,
          content_block: { type: "tool_use", id: block.id, name: block.name, input: {} },
        },
      });
      events.push({
        event: "content_block_delta",
        data: {
          type: "content_block_delta",
          index,
          delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
        },
      });
    }
    events.push({ event: "content_block_stop", data: { type: "content_block_stop", index } });
  });
  events.push({
    event: "message_delta",
    data: {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: USAGE_TOKENS.output },
    },
  });
  events.push({ event: "message_stop", data: { type: "message_stop" } });
  return { contentType: "text/event-stream", body: encodeSse(events) };
}

/**
 * Encodes a reply as an OpenAI Responses stream (or JSON response).
 *
 * @param text Assistant text.
 * @param options Encoding options.
 * @returns The HTTP body.
 */
export function encodeResponses(text: string, options: EncodeOptions): EncodedReply {
  const responseId = `resp_mock_${options.idSuffix}`;
  const output: Json[] = [];
  const reasoning = options.reasoning;
  if (options.compaction !== undefined) {
    output.push({
      type: "compaction",
      id: `cmp_mock_${options.idSuffix}`,
      encrypted_content: mockSignature(options.compaction),
    });
  } else if (reasoning !== undefined) {
    output.push({
      type: "reasoning",
      id: `rs_mock_${options.idSuffix}`,
      summary: [{ type: "summary_text", text: reasoning }],
      encrypted_content: mockSignature(reasoning),
    });
  }
  if (text !== "" && options.compaction === undefined) {
    output.push({
      type: "message",
      id: `msg_mock_${options.idSuffix}`,
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text, annotations: [] }],
    });
  }
  const calls = options.toolCalls ?? [];
  calls.forEach((call, i) => {
    const itemSuffix = calls.length === 1 ? options.idSuffix : `${options.idSuffix}_${i}`;
    output.push(
      call.kind === "custom"
        ? {
          type: "custom_tool_call",
          id: `ctc_mock_${itemSuffix}`,
          status: "completed",
          call_id: call.id,
          name: call.name,
          input: call.input,
        }
        : {
          type: "function_call",
          id: `fc_mock_${itemSuffix}`,
          status: "completed",
          call_id: call.id,
          name: call.name,
          arguments: JSON.stringify(call.input),
        },
    );
  });
  const usage = {
    input_tokens: inputTokens(options),
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: USAGE_TOKENS.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens(options) + USAGE_TOKENS.output,
  };
  const base = {
    id: responseId,
    object: "response",
    created_at: 1_700_000_000,
    model: options.model,
  };
  const completed = { ...base, status: "completed", output, usage };
  if (!options.stream) return { contentType: "application/json", body: JSON.stringify(completed) };
  let seq = 0;
  const ev = (type: string, data: Json): SseEvent => ({
    event: type,
    data: { type, sequence_number: seq++, ...data },
  });
  const events: SseEvent[] = [
    ev("response.created", { response: { ...base, status: "in_progress", output: [] } }),
    ev("response.in_progress", { response: { ...base, status: "in_progress", output: [] } }),
  ];
  output.forEach((item, outputIndex) => {
    if (item.type === "reasoning") {
      events.push(ev("response.output_item.added", {
        output_index: outputIndex,
        item: { ...item, summary: [] },
      }));
      const where = { item_id: item.id, output_index: outputIndex, summary_index: 0 };
      const part = { type: "summary_text", text: "" };
      events.push(ev("response.reasoning_summary_part.added", { ...where, part }));
      events.push(ev("response.reasoning_summary_text.delta", { ...where, delta: reasoning }));
      events.push(ev("response.reasoning_summary_text.done", { ...where, text: reasoning }));
      events.push(ev("response.reasoning_summary_part.done", {
        ...where,
        part: { ...part, text: reasoning },
      }));
    } else if (item.type === "compaction") {
      events.push(ev("response.output_item.added", { output_index: outputIndex, item }));
    } else if (item.type === "message") {
      events.push(ev("response.output_item.added", {
        output_index: outputIndex,
        item: { ...item, status: "in_progress", content: [] },
      }));
      const part = { type: "output_text", text: "", annotations: [] };
      const where = { item_id: item.id, output_index: outputIndex, content_index: 0 };
      events.push(ev("response.content_part.added", { ...where, part }));
      events.push(ev("response.output_text.delta", { ...where, delta: text }));
      events.push(ev("response.output_text.done", { ...where, text }));
      events.push(ev("response.content_part.done", { ...where, part: { ...part, text } }));
    } else {
      events.push(ev("response.output_item.added", {
        output_index: outputIndex,
        item: item.type === "custom_tool_call"
          ? { ...item, status: "in_progress", input: "" }
          : { ...item, status: "in_progress", arguments: "" },
      }));
      if (item.type === "custom_tool_call") {
        events.push(ev("response.custom_tool_call_input.delta", {
          item_id: item.id,
          output_index: outputIndex,
          delta: item.input,
        }));
        events.push(ev("response.custom_tool_call_input.done", {
          item_id: item.id,
          output_index: outputIndex,
          input: item.input,
        }));
      } else {
        events.push(ev("response.function_call_arguments.delta", {
          item_id: item.id,
          output_index: outputIndex,
          delta: item.arguments,
        }));
        events.push(ev("response.function_call_arguments.done", {
          item_id: item.id,
          output_index: outputIndex,
          arguments: item.arguments,
        }));
      }
    }
    events.push(ev("response.output_item.done", { output_index: outputIndex, item }));
  });
  events.push(ev("response.completed", { response: completed }));
  return { contentType: "text/event-stream", body: encodeSse(events) };
}

/**
 * Encodes a reply as an OpenAI Chat Completions stream (or JSON completion).
 *
 * @param text Assistant text.
 * @param options Encoding options.
 * @returns The HTTP body.
 */
export function encodeChat(text: string, options: EncodeOptions): EncodedReply {
  const id = `chatcmpl-mock-${options.idSuffix}`;
  const calls = options.toolCalls ?? [];
  const toolCalls = calls.length === 0 ? undefined : calls.map((call, index) => ({
    index,
    id: call.id,
    type: "function",
    function: {
      name: call.name,
      arguments: typeof call.input === "string" ? call.input : JSON.stringify(call.input),
    },
  }));
  const finish = calls.length === 0 ? "stop" : "tool_calls";
  const usage = {
    prompt_tokens: inputTokens(options),
    completion_tokens: USAGE_TOKENS.output,
    total_tokens: inputTokens(options) + USAGE_TOKENS.output,
  };
  const base = { id, created: 1_700_000_000, model: options.model };
  if (!options.stream) {
    const message: Json = { role: "assistant", content: text === "" ? null : text };
    if (options.reasoning !== undefined) message.reasoning_content = options.reasoning;
    if (toolCalls !== undefined) {
      message.tool_calls = toolCalls.map(({ index: _index, ...rest }) => rest);
    }
    return {
      contentType: "application/json",
      body: JSON.stringify({
        ...base,
        object: "chat.completion",
        choices: [{ index: 0, message, finish_reason: finish }],
        usage,
      }),
    };
  }
  const chunk = (delta: Json, finishReason: string | null, extra: Json = {}): SseEvent => ({
    data: {
      ...base,
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta, finish_reason: finishReason }],
      ...extra,
    },
  });
  const events: SseEvent[] = [chunk({ role: "assistant", content: "" }, null)];
  if (options.reasoning !== undefined) {
    events.push(chunk({ reasoning_content: options.reasoning }, null));
  }
  if (text !== "") events.push(chunk({ content: text }, null));
  if (toolCalls !== undefined) events.push(chunk({ tool_calls: toolCalls }, null));
  events.push(chunk({}, finish, { usage }));
  return { contentType: "text/event-stream", body: encodeSse(events, true) };
}

/**
 * Encodes a reply as a Gemini `generateContent` response, or as the SSE stream of
 * `streamGenerateContent?alt=sse`.
 *
 * @param text Assistant text.
 * @param options Encoding options.
 * @returns The HTTP body.
 */
export function encodeGemini(text: string, options: EncodeOptions): EncodedReply {
  const parts: Json[] = [];
  const reasoning = options.reasoning;
  if (reasoning !== undefined) {
    parts.push({ text: reasoning, thought: true, thoughtSignature: mockSignature(reasoning) });
  }
  if (text !== "") parts.push({ text });
  for (const call of options.toolCalls ?? []) {
    parts.push({ functionCall: { id: call.id, name: call.name, args: call.input } });
  }
  const response = {
    candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }],
    usageMetadata: {
      promptTokenCount: inputTokens(options),
      candidatesTokenCount: USAGE_TOKENS.output,
      totalTokenCount: inputTokens(options) + USAGE_TOKENS.output,
    },
    modelVersion: options.model,
    responseId: `mock-${options.idSuffix}`,
  };
  if (!options.stream) return { contentType: "application/json", body: JSON.stringify(response) };
  return { contentType: "text/event-stream", body: encodeSse([{ data: response }]) };
}

/**
 * Encodes a reply in the given wire.
 *
 * @param wire The wire protocol.
 * @param text Assistant text.
 * @param options Encoding options.
 * @returns The HTTP body.
 */
export function encodeReply(wire: Wire, text: string, options: EncodeOptions): EncodedReply {
  switch (wire) {
    case "anthropic":
      return encodeAnthropic(text, options);
    case "responses":
      return encodeResponses(text, options);
    case "chat":
      return encodeChat(text, options);
    case "gemini":
      return encodeGemini(text, options);
  }
}
