/**
 * Rules of the OpenAI Responses API (`POST /v1/responses`) and the Chat Completions API
 * (`POST /v1/chat/completions`), each with its source.
 *
 * @module
 */

import {
  type ApiRule,
  asArray,
  asString,
  type Finding,
  isObject,
  type Json,
  objectsOf,
  preview,
} from "./api_rules_core.ts";
import { checkImageData, parseDataUrl } from "./api_rules_media.ts";
import { isMockSignature } from "./mock_signatures.ts";

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"];
const FIFTY_MB = 50 * 1024 * 1024;

function inputItems(body: unknown): Array<[number, Json]> {
  return isObject(body) ? objectsOf(body.input) : [];
}

const OUTPUT_OF: Record<string, string> = {
  function_call_output: "function_call",
  custom_tool_call_output: "custom_tool_call",
};

function outputsMatchCalls(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, Set<string>>();
  for (const [i, item] of inputItems(request.body)) {
    const type = asString(item.type) ?? "";
    const callId = asString(item.call_id) ?? "";
    if (type === "function_call" || type === "custom_tool_call") {
      const ids = seen.get(type) ?? new Set<string>();
      ids.add(callId);
      seen.set(type, ids);
    }
    const callType = OUTPUT_OF[type];
    if (callType !== undefined && !seen.get(callType)?.has(callId)) {
      findings.push({
        path: `input[${i}].call_id`,
        message: `${type} "${callId}" has no earlier ${callType} with that call_id`,
      });
    }
  }
  return findings;
}

function callsAnswered(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  const items = inputItems(request.body);
  for (const [i, item] of items) {
    const type = asString(item.type) ?? "";
    if (type !== "function_call" && type !== "custom_tool_call") continue;
    const output = `${type}_output`;
    const answered = items.some(([j, other]) =>
      j > i && other.type === output && other.call_id === item.call_id
    );
    if (!answered) {
      findings.push({
        path: `input[${i}]`,
        message: `${type} "${String(item.call_id)}" has no ${output} after it`,
      });
    }
  }
  return findings;
}

/** Function and custom tool definitions, also inside namespaces and codex's additional_tools. */
function toolDefinitions(tools: unknown, path: string): Array<{ path: string; tool: Json }> {
  const out: Array<{ path: string; tool: Json }> = [];
  for (const [i, tool] of objectsOf(tools)) {
    const here = `${path}[${i}]`;
    if (tool.type === "namespace") out.push(...toolDefinitions(tool.tools, `${here}.tools`));
    else if (tool.type === "function" || tool.type === "custom") out.push({ path: here, tool });
  }
  return out;
}

function responsesToolNames(request: { body: unknown }): Finding[] {
  if (!isObject(request.body)) return [];
  const definitions = toolDefinitions(request.body.tools, "tools");
  for (const [i, item] of inputItems(request.body)) {
    if (item.type === "additional_tools") {
      definitions.push(...toolDefinitions(item.tools, `input[${i}].tools`));
    }
  }
  return definitions.flatMap(({ path, tool }) => nameFinding(tool.name, `${path}.name`));
}

function nameFinding(name: unknown, path: string): Finding[] {
  return typeof name === "string" && FUNCTION_NAME.test(name) ? [] : [{
    path,
    message: `name ${JSON.stringify(name)} does not match ^[a-zA-Z0-9_-]{1,64}$`,
  }];
}

/** Texts a mock token may be bound to: each summary/content text, all of them joined, or "". */
function reasoningTexts(item: Json): string[] {
  const texts = [...asArray(item.summary), ...asArray(item.content)]
    .flatMap((part) => isObject(part) && typeof part.text === "string" ? [part.text] : []);
  if (texts.length === 0) return [""];
  return [...texts, texts.join(""), texts.join("\n"), texts.join("\n\n")];
}

function reasoningIssued(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const [i, item] of inputItems(request.body)) {
    if (item.type !== "reasoning" || item.encrypted_content === undefined) continue;
    const token = item.encrypted_content;
    if (!reasoningTexts(item).some((text) => isMockSignature(token, text))) {
      findings.push({
        path: `input[${i}].encrypted_content`,
        message: `encrypted_content ${preview(String(token))} was not issued for this reasoning`,
      });
    }
  }
  return findings;
}

function reasoningReplayable(request: { body: unknown }): Finding[] {
  if (!isObject(request.body) || request.body.store !== false) return [];
  return inputItems(request.body).flatMap(([i, item]) =>
    item.type === "reasoning" && typeof item.encrypted_content !== "string"
      ? [{
        path: `input[${i}]`,
        message: `reasoning item ${JSON.stringify(item.id ?? null)} has no encrypted_content ` +
          "and store is false",
      }]
      : []
  );
}

/** Data-URL images anywhere under a value, with their paths. */
function dataImages(
  value: unknown,
  path: string,
  urlOf: (node: Json) => unknown,
): Array<{ path: string; url: string }> {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => dataImages(item, `${path}[${i}]`, urlOf));
  }
  if (!isObject(value)) return [];
  const url = asString(urlOf(value));
  const here = url?.startsWith("data:") ? [{ path, url }] : [];
  return [
    ...here,
    ...Object.entries(value).flatMap(([key, child]) =>
      dataImages(child, path === "" ? key : `${path}.${key}`, urlOf)
    ),
  ];
}

function imageFindings(found: Array<{ path: string; url: string }>): Finding[] {
  const findings: Finding[] = [];
  let total = 0;
  for (const { path, url } of found) {
    const parsed = parseDataUrl(url);
    if (parsed === undefined) {
      findings.push({ path, message: "image data URL is not data:<type>;base64,<data>" });
      continue;
    }
    total += parsed.data.length;
    const problems = checkImageData({
      allowed: IMAGE_TYPES,
      mediaType: parsed.mediaType,
      data: parsed.data,
    });
    for (const problem of problems) findings.push({ path, message: problem });
  }
  if (total > FIFTY_MB) {
    findings.push({ path: "", message: `images total ${total} bytes of base64, over 50 MB` });
  }
  if (found.length > 500) {
    findings.push({ path: "", message: `${found.length} images, over the 500-image maximum` });
  }
  return findings;
}

function responsesImages(request: { body: unknown }): Finding[] {
  const body = isObject(request.body) ? request.body.input : undefined;
  return imageFindings(
    dataImages(body, "input", (node) => node.type === "input_image" ? node.image_url : undefined),
  );
}

function chatMessages(body: unknown): Array<[number, Json]> {
  return isObject(body) ? objectsOf(body.messages) : [];
}

function chatCallIds(message: Json): string[] {
  return objectsOf(message.tool_calls).map(([, call]) => asString(call.id) ?? "");
}

function chatToolAfterCall(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  let open: Set<string> | undefined;
  for (const [i, message] of chatMessages(request.body)) {
    if (message.role === "tool") {
      const id = asString(message.tool_call_id) ?? "";
      if (open === undefined || !open.has(id)) {
        findings.push({
          path: `messages[${i}]`,
          message: `tool message for "${id}" does not follow an assistant message with that ` +
            "tool_call id",
        });
      }
      continue;
    }
    open = message.role === "assistant" ? new Set(chatCallIds(message)) : undefined;
  }
  return findings;
}

function chatCallsAnswered(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  const messages = chatMessages(request.body);
  messages.forEach(([i, message], position) => {
    if (message.role !== "assistant") return;
    const answered = new Set<string>();
    for (const [, next] of messages.slice(position + 1)) {
      if (next.role !== "tool") break;
      answered.add(asString(next.tool_call_id) ?? "");
    }
    const missing = chatCallIds(message).filter((id) => !answered.has(id));
    if (missing.length > 0) {
      findings.push({
        path: `messages[${i}].tool_calls`,
        message: `tool_call_ids without tool messages right after: ${missing.join(", ")}`,
      });
    }
  });
  return findings;
}

function chatToolNames(request: { body: unknown }): Finding[] {
  if (!isObject(request.body)) return [];
  const findings: Finding[] = [];
  for (const [i, tool] of objectsOf(request.body.tools)) {
    if (isObject(tool.function)) {
      findings.push(...nameFinding(tool.function.name, `tools[${i}].function.name`));
    }
  }
  for (const [i, message] of chatMessages(request.body)) {
    for (const [j, call] of objectsOf(message.tool_calls)) {
      const fn = isObject(call.function) ? call.function : {};
      findings.push(...nameFinding(fn.name, `messages[${i}].tool_calls[${j}].function.name`));
    }
  }
  return findings;
}

function chatImages(request: { body: unknown }): Finding[] {
  const body = isObject(request.body) ? request.body.messages : undefined;
  return imageFindings(
    dataImages(
      body,
      "messages",
      (node) =>
        node.type === "image_url" && isObject(node.image_url) ? node.image_url.url : undefined,
    ),
  );
}

/** The longest call id OpenAI's Responses and Chat Completions APIs accept. */
const MAX_CALL_ID = 64;

function longId(id: unknown, path: string): Finding[] {
  const text = asString(id) ?? "";
  return text.length <= MAX_CALL_ID ? [] : [{
    path,
    message: `${preview(text)} is ${text.length} characters, over the maximum of ${MAX_CALL_ID}`,
  }];
}

function responsesCallIdLength(request: { body: unknown }): Finding[] {
  return inputItems(request.body).flatMap(([i, item]) =>
    item.call_id === undefined ? [] : longId(item.call_id, `input[${i}].call_id`)
  );
}

function chatCallIdLength(request: { body: unknown }): Finding[] {
  return chatMessages(request.body).flatMap(([i, message]) => [
    ...objectsOf(message.tool_calls).flatMap(([j, call]) =>
      longId(call.id, `messages[${i}].tool_calls[${j}].id`)
    ),
    ...(message.tool_call_id === undefined
      ? []
      : longId(message.tool_call_id, `messages[${i}].tool_call_id`)),
  ]);
}

function chatImageRoles(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const [i, message] of chatMessages(request.body)) {
    if (message.role === "user") continue;
    for (const [j, part] of objectsOf(message.content)) {
      if (part.type === "image_url") {
        findings.push({
          path: `messages[${i}].content[${j}]`,
          message: `an image in a "${String(message.role)}" message: images go in user messages`,
        });
      }
    }
  }
  return findings;
}

const VISION_GUIDE = "https://platform.openai.com/docs/guides/images-vision " +
  "(PNG, JPEG, WEBP, non-animated GIF; up to 50 MB and 500 images per request)";

/** The OpenAI Responses and Chat Completions rules. */
export const OPENAI_RULES: readonly ApiRule[] = [
  {
    id: "responses/output-follows-call",
    wires: ["responses"],
    description: "function_call_output / custom_tool_call_output answer an earlier " +
      "function_call / custom_tool_call with the same call_id",
    source: "https://github.com/continuedev/continue/issues/10092",
    realError: "No tool call found for function call output with call_id call_….",
    check: outputsMatchCalls,
  },
  {
    id: "responses/call-answered",
    wires: ["responses"],
    description: "Every function_call / custom_tool_call in input has its output after it",
    source: "https://github.com/tjardoo/openai-client/pull/124",
    realError: "No tool output found for function call call_XXX.",
    check: callsAnswered,
  },
  {
    id: "responses/call-id-length",
    wires: ["responses"],
    description: "Every call_id (calls and outputs) is at most 64 characters",
    source: "https://github.com/decolua/9router/issues/393; " +
      "https://github.com/V1ki/dsh-plugin-subscriptions/issues/29",
    realError: "Invalid 'input[95].call_id': string too long. Expected a string with maximum " +
      "length 64, but got a string with length 116 instead.",
    check: responsesCallIdLength,
  },
  {
    id: "responses/tool-name",
    wires: ["responses"],
    description: "Function and custom tool definitions are named ^[a-zA-Z0-9_-]{1,64}$",
    source: "https://github.com/openai/openai-dotnet/issues/441; " +
      "https://platform.openai.com/docs/api-reference/responses/create (tools.name)",
    realError: "Invalid 'tools[0].name': string does not match pattern.",
    check: responsesToolNames,
  },
  {
    id: "responses/reasoning-issued",
    wires: ["responses"],
    description: "A reasoning item's encrypted_content is a token this API issued for it",
    source: "https://github.com/openai/codex/issues/8145",
    realError: "The encrypted content gAAA...DQ== could not be verified. " +
      "(code invalid_encrypted_content)",
    check: reasoningIssued,
  },
  {
    id: "responses/reasoning-replayable",
    wires: ["responses"],
    description: "With store: false, a replayed reasoning item carries its encrypted_content " +
      "(the API kept nothing to look its id up by)",
    source: "https://github.com/can1357/oh-my-pi/issues/41",
    realError: "Item with id 'rs_…' not found. Items are not persisted when `store` is set to " +
      "false. Try again with `store` set to true, or remove this item from your input.",
    check: reasoningReplayable,
  },
  {
    id: "responses/image",
    wires: ["responses"],
    description: "input_image data URLs are png/jpeg/webp/gif, decode and match their type",
    source: VISION_GUIDE,
    check: responsesImages,
  },
  {
    id: "chat/tool-follows-call",
    wires: ["chat"],
    description: "A tool message directly follows the assistant message whose tool_calls it " +
      "answers (only tool messages in between)",
    source: "https://github.com/miurla/morphic/issues/136",
    realError: "Invalid parameter: messages with role 'tool' must be a response to a " +
      "preceeding message with 'tool_calls'.",
    check: chatToolAfterCall,
  },
  {
    id: "chat/call-answered",
    wires: ["chat"],
    description: "Every tool_call id of an assistant message is answered by the tool messages " +
      "right after it",
    source: "https://github.com/aliasrobotics/cai/issues/111",
    realError: "An assistant message with 'tool_calls' must be followed by tool messages " +
      "responding to each 'tool_call_id'. The following tool_call_ids did not have response " +
      "messages: call_…",
    check: chatCallsAnswered,
  },
  {
    id: "chat/call-id-length",
    wires: ["chat"],
    description: "tool_calls ids and tool_call_id are at most 64 characters",
    source: "https://github.com/jin-bo/agentao/pull/321 (64, measured against the live API); " +
      "https://github.com/vercel/ai/issues/5171",
    realError: "Invalid 'messages[2].tool_calls[0].id': string too long. Expected a string with " +
      "maximum length 64, but got a string with length 83 instead.",
    check: chatCallIdLength,
  },
  {
    id: "chat/tool-name",
    wires: ["chat"],
    description: "Function names, in tool definitions and in replayed tool_calls, match " +
      "^[a-zA-Z0-9_-]{1,64}$",
    source: "https://github.com/mcp-use/mcp-use/issues/90 (replayed call); " +
      "https://github.com/hackers365/xiaozhi-esp32-server-golang/issues/268 (definition); " +
      "https://platform.openai.com/docs/api-reference/chat/create (maximum length of 64)",
    realError: "Invalid 'messages[9].tool_calls[0].function.name': string does not match " +
      "pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
    check: chatToolNames,
  },
  {
    id: "chat/image-role",
    wires: ["chat"],
    description: "image_url parts are only in user messages (not assistant, tool or system)",
    source: "https://github.com/OpenHands/OpenHands/issues/7700 (tool); " +
      "https://github.com/openai/openai-node/issues/1030 (assistant)",
    realError: "Invalid 'messages[234]'. Image URLs are only allowed for messages with role " +
      "'user', but this message with role 'tool' contains an image URL.",
    check: chatImageRoles,
  },
  {
    id: "chat/image",
    wires: ["chat"],
    description: "image_url data URLs are png/jpeg/webp/gif, decode and match their type",
    source: VISION_GUIDE,
    check: chatImages,
  },
];
