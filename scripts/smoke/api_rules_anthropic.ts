/**
 * Rules of the Anthropic Messages API (`POST /v1/messages`, also `count_tokens`), each with
 * its source.
 *
 * @module
 */

import {
  type ApiRule,
  asArray,
  asString,
  type Finding,
  isBlank,
  isObject,
  type Json,
  objectsOf,
  preview,
} from "./api_rules_core.ts";
import { checkImageData } from "./api_rules_media.ts";
import { isMockSignature } from "./mock_signatures.ts";

const TOOL_ID = /^[a-zA-Z0-9_-]+$/;
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp"];
const FIVE_MB = 5 * 1024 * 1024;

/** A message with its index in `messages`. */
interface IndexedMessage {
  index: number;
  role: string;
  content: unknown;
}

/**
 * The conversation messages. Claude Code 2.x also sends `role: "system"` entries inside
 * `messages`; they carry no tool blocks and are skipped when pairing calls with results.
 */
function conversation(body: unknown): IndexedMessage[] {
  if (!isObject(body)) return [];
  return objectsOf(body.messages)
    .map(([index, message]) => ({
      index,
      role: asString(message.role) ?? "",
      content: message.content,
    }))
    .filter((message) => message.role !== "system");
}

/** Content blocks of a message (array form only), with their paths. */
function blocks(message: IndexedMessage): Array<{ path: string; block: Json }> {
  return objectsOf(message.content).map(([i, block]) => ({
    path: `messages[${message.index}].content[${i}]`,
    block,
  }));
}

/** Every block of every message, including blocks nested in `tool_result.content`. */
function allBlocks(body: unknown): Array<{ path: string; block: Json; message: IndexedMessage }> {
  const out: Array<{ path: string; block: Json; message: IndexedMessage }> = [];
  for (const message of conversation(body)) {
    for (const { path, block } of blocks(message)) {
      out.push({ path, block, message });
      if (block.type === "tool_result") {
        for (const [j, inner] of objectsOf(block.content)) {
          out.push({ path: `${path}.content[${j}]`, block: inner, message });
        }
      }
    }
  }
  return out;
}

function toolUses(message: IndexedMessage): Array<{ path: string; id: string }> {
  return blocks(message)
    .filter(({ block }) => block.type === "tool_use")
    .map(({ path, block }) => ({ path, id: asString(block.id) ?? "" }));
}

function toolResults(message: IndexedMessage): Array<{ path: string; id: string }> {
  return blocks(message)
    .filter(({ block }) => block.type === "tool_result")
    .map(({ path, block }) => ({ path, id: asString(block.tool_use_id) ?? "" }));
}

function textNotBlank(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const { path, block } of allBlocks(request.body)) {
    if (block.type === "text" && isBlank(asString(block.text) ?? "")) {
      findings.push({
        path: `${path}.text`,
        message: `text block is ${preview(String(block.text ?? ""))}`,
      });
    }
  }
  return findings;
}

function contentNotEmpty(request: { body: unknown }): Finding[] {
  const messages = conversation(request.body);
  return messages.flatMap((message, i) => {
    const empty = message.content === "" ||
      (Array.isArray(message.content) && message.content.length === 0);
    const finalAssistant = i === messages.length - 1 && message.role === "assistant";
    return empty && !finalAssistant
      ? [{ path: `messages[${message.index}].content`, message: "message content is empty" }]
      : [];
  });
}

function errorResultNotEmpty(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const { path, block } of allBlocks(request.body)) {
    if (block.type !== "tool_result" || block.is_error !== true) continue;
    const content = block.content;
    const empty = content === undefined || content === null || content === "" ||
      (Array.isArray(content) && content.length === 0);
    if (empty) {
      findings.push({
        path: `${path}.content`,
        message: "tool_result has is_error: true and no content",
      });
    }
  }
  return findings;
}

function toolIdPattern(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const { path, block } of allBlocks(request.body)) {
    const [field, id] = block.type === "tool_use"
      ? ["id", block.id]
      : block.type === "tool_result"
      ? ["tool_use_id", block.tool_use_id]
      : [undefined, undefined];
    if (field === undefined) continue;
    if (typeof id !== "string" || !TOOL_ID.test(id)) {
      findings.push({
        path: `${path}.${field}`,
        message: `${block.type}.${field} ${JSON.stringify(id)} does not match ^[a-zA-Z0-9_-]+$`,
      });
    }
  }
  return findings;
}

function resultsFollowCalls(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  const messages = conversation(request.body);
  messages.forEach((message, i) => {
    const previous = messages[i - 1];
    const offered = new Set(
      previous?.role === "assistant" ? toolUses(previous).map((use) => use.id) : [],
    );
    for (const result of toolResults(message)) {
      if (message.role !== "user" || !offered.has(result.id)) {
        findings.push({
          path: result.path,
          message:
            `tool_result for "${result.id}" has no tool_use with that id in the previous message`,
        });
      }
    }
  });
  return findings;
}

/** The fields each content block type takes (the API refuses any other). */
const BLOCK_FIELDS: Record<string, readonly string[]> = {
  text: ["type", "text", "cache_control", "citations"],
  image: ["type", "source", "cache_control"],
  document: ["type", "source", "title", "context", "citations", "cache_control"],
  search_result: ["type", "source", "title", "content", "citations", "cache_control"],
  tool_use: ["type", "id", "name", "input", "cache_control", "caller"],
  tool_result: ["type", "tool_use_id", "content", "is_error", "cache_control"],
  thinking: ["type", "thinking", "signature"],
  redacted_thinking: ["type", "data"],
};

function blockFields(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const { path, block } of allBlocks(request.body)) {
    const known = BLOCK_FIELDS[String(block.type)];
    if (known === undefined) continue;
    for (const field of Object.keys(block)) {
      if (!known.includes(field)) {
        findings.push({ path: `${path}.${field}`, message: "Extra inputs are not permitted" });
      }
    }
  }
  return findings;
}

function toolInputObject(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const message of conversation(request.body)) {
    for (const { path, block } of blocks(message)) {
      if (block.type === "tool_use" && !isObject(block.input)) {
        findings.push({
          path: `${path}.input`,
          message: `tool_use.input is ${
            Array.isArray(block.input)
              ? "an array"
              : block.input === null
              ? "null"
              : typeof block.input
          }, not an object`,
        });
      }
    }
  }
  return findings;
}

function toolIdsUnique(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const message of conversation(request.body)) {
    for (const use of toolUses(message)) {
      if (seen.has(use.id)) {
        findings.push({ path: use.path, message: `tool_use id ${JSON.stringify(use.id)} repeats` });
      }
      seen.add(use.id);
    }
  }
  return findings;
}

function resultsLead(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  const messages = conversation(request.body);
  messages.forEach((message, i) => {
    const previous = messages[i - 1];
    if (previous?.role !== "assistant" || toolUses(previous).length === 0) return;
    const content = blocks(message);
    const other = content.findIndex(({ block }) => block.type !== "tool_result");
    if (other === -1) return;
    const late = content.slice(other).find(({ block }) => block.type === "tool_result");
    if (late !== undefined) {
      findings.push({
        path: late.path,
        message: `tool_result comes after a ${String(content[other]?.block.type)} block: ` +
          "the message answering tool_use blocks must begin with its tool_result blocks",
      });
    }
  });
  return findings;
}

function callsAnswered(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  const messages = conversation(request.body);
  messages.forEach((message, i) => {
    const next = messages[i + 1];
    if (message.role !== "assistant" || next === undefined) return;
    const answered = new Set(toolResults(next).map((result) => result.id));
    const missing = toolUses(message).filter((use) => !answered.has(use.id));
    if (missing.length > 0) {
      findings.push({
        path: `messages[${message.index}]`,
        message: `tool_use ids without a tool_result in the next message: ${
          missing.map((use) => use.id).join(", ")
        }`,
      });
    }
  });
  return findings;
}

function toolNames(request: { body: unknown }): Finding[] {
  if (!isObject(request.body)) return [];
  const findings: Finding[] = [];
  for (const [i, tool] of objectsOf(request.body.tools)) {
    // Server tools (`web_search_20250305`, ...) have fixed names; custom tools carry a schema.
    if (tool.input_schema === undefined) continue;
    const name = tool.name;
    if (typeof name !== "string" || !TOOL_NAME.test(name)) {
      findings.push({
        path: `tools[${i}].name`,
        message: `tool name ${JSON.stringify(name)} does not match ^[a-zA-Z0-9_-]{1,128}$`,
      });
    }
  }
  return findings;
}

function thinkingSigned(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const { path, block } of allBlocks(request.body)) {
    if (block.type === "thinking" && typeof block.signature !== "string") {
      findings.push({ path: `${path}.signature`, message: "thinking block has no signature" });
    }
  }
  return findings;
}

function thinkingIssued(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const { path, block } of allBlocks(request.body)) {
    if (block.type === "thinking" && typeof block.signature === "string") {
      if (!isMockSignature(block.signature, asString(block.thinking) ?? "")) {
        findings.push({
          path: `${path}.signature`,
          message: `signature ${preview(block.signature)} was not issued for this thinking text`,
        });
      }
    }
    if (block.type === "redacted_thinking" && !isMockSignature(block.data, "")) {
      findings.push({
        path: `${path}.data`,
        message: `redacted_thinking data ${preview(String(block.data ?? ""))} was not issued`,
      });
    }
  }
  return findings;
}

function finalAssistantTrailingWhitespace(request: { body: unknown }): Finding[] {
  const last = conversation(request.body).at(-1);
  if (last?.role !== "assistant") return [];
  if (typeof last.content === "string") {
    return /\s$/.test(last.content)
      ? [{
        path: `messages[${last.index}].content`,
        message: "final assistant text ends in whitespace",
      }]
      : [];
  }
  const lastBlock = asArray(last.content).length - 1;
  const block = asArray(last.content)[lastBlock];
  if (isObject(block) && block.type === "text" && /\s$/.test(asString(block.text) ?? "")) {
    return [{
      path: `messages[${last.index}].content[${lastBlock}].text`,
      message: "final assistant text ends in whitespace",
    }];
  }
  return [];
}

function images(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const { path, block } of allBlocks(request.body)) {
    if (block.type !== "image" || !isObject(block.source) || block.source.type !== "base64") {
      continue;
    }
    const problems = checkImageData({
      allowed: IMAGE_TYPES,
      mediaType: asString(block.source.media_type) ?? "",
      data: asString(block.source.data) ?? "",
      maxBase64: FIVE_MB,
      maxPixels: 8000,
    });
    for (const problem of problems) findings.push({ path: `${path}.source`, message: problem });
  }
  return findings;
}

/** The Anthropic Messages rules. */
export const ANTHROPIC_RULES: readonly ApiRule[] = [
  {
    id: "anthropic/text-not-blank",
    wires: ["anthropic"],
    description: "Text content blocks (also inside tool_result content) hold non-whitespace text",
    source: "https://github.com/anthropics/claude-code/issues/23440",
    realError: "messages: text content blocks must contain non-whitespace text",
    check: textNotBlank,
  },
  {
    id: "anthropic/content-not-empty",
    wires: ["anthropic"],
    description: "Every message but a final assistant one has non-empty content",
    source: "https://github.com/anthropics/claude-code/issues/6774",
    realError: "messages.0: all messages must have non-empty content except for the optional " +
      "final assistant message",
    check: contentNotEmpty,
  },
  {
    id: "anthropic/error-result-not-empty",
    wires: ["anthropic"],
    description: "A tool_result with is_error: true has non-empty content",
    source: "https://github.com/jlevy/markform/issues/153",
    realError: "messages.4.content.0.tool_result: content cannot be empty if `is_error` is true",
    check: errorResultNotEmpty,
  },
  {
    id: "anthropic/tool-id-pattern",
    wires: ["anthropic"],
    description: "tool_use.id and tool_result.tool_use_id match ^[a-zA-Z0-9_-]+$",
    source: "https://github.com/CommandCodeAI/command-code/issues/323",
    realError: "messages.1.content.1.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'",
    check: toolIdPattern,
  },
  {
    id: "anthropic/result-follows-call",
    wires: ["anthropic"],
    description: "Every tool_result answers a tool_use of the message right before it",
    source: "https://github.com/router-for-me/CLIProxyAPI/issues/497",
    realError: "messages.12.content.0: unexpected `tool_use_id` found in `tool_result` blocks: " +
      "toolu_…. Each `tool_result` block must have a corresponding `tool_use` block in the " +
      "previous message.",
    check: resultsFollowCalls,
  },
  {
    id: "anthropic/call-answered",
    wires: ["anthropic"],
    description: "Every tool_use is answered by a tool_result in the next message",
    source: "https://github.com/anthropics/claude-code/issues/1237",
    realError: "messages.22: `tool_use` ids were found without `tool_result` blocks immediately " +
      "after: toolu_…. Each `tool_use` block must have a corresponding `tool_result` block in " +
      "the next message.",
    check: callsAnswered,
  },
  {
    id: "anthropic/block-fields",
    wires: ["anthropic"],
    description: "Content blocks (also inside tool_result content) carry only the fields of " +
      "their type",
    source: "https://github.com/anthropics/claude-code/issues/4378",
    realError: "messages.65.content.1.tool_use.text: Extra inputs are not permitted",
    check: blockFields,
  },
  {
    id: "anthropic/tool-input-object",
    wires: ["anthropic"],
    description: "tool_use.input is a JSON object",
    source: "https://github.com/anthropics/claude-code/issues/6696",
    realError: "messages.61.content.0.tool_use.input: Input should be a valid dictionary",
    check: toolInputObject,
  },
  {
    id: "anthropic/tool-id-unique",
    wires: ["anthropic"],
    description: "Every tool_use id in the request is unique",
    source: "https://github.com/anthropics/claude-code/issues/21317",
    realError: "messages.1.content.1: `tool_use` ids must be unique",
    check: toolIdsUnique,
  },
  {
    id: "anthropic/results-lead",
    wires: ["anthropic"],
    description: "The message after a tool_use message begins with its tool_result blocks " +
      "(text or images only after them)",
    source: "https://github.com/apify/tester-mcp-client/issues/12",
    realError: "messages.27: Did not find 1 tool_result block(s) at the beginning of this " +
      "message. Messages following tool_use blocks must begin with a matching number of " +
      "tool_result blocks.",
    check: resultsLead,
  },
  {
    id: "anthropic/tool-name",
    wires: ["anthropic"],
    description: "Custom tool definitions are named ^[a-zA-Z0-9_-]{1,128}$",
    source: "https://github.com/modelcontextprotocol/modelcontextprotocol/issues/1345",
    realError: "tools.16.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'",
    check: toolNames,
  },
  {
    id: "anthropic/thinking-signed",
    wires: ["anthropic"],
    description: "A thinking block carries its signature",
    source: "https://github.com/justlovemaki/AIClient2API/issues/437",
    realError: "messages.1.content.0.thinking.signature: Field required",
    check: thinkingSigned,
  },
  {
    id: "anthropic/thinking-issued",
    wires: ["anthropic"],
    description: "thinking signatures and redacted_thinking data are tokens this API issued " +
      "for that very reasoning",
    source: "https://github.com/lbjlaq/Antigravity-Manager/issues/498",
    realError: "messages.1.content.0: Invalid `signature` in `thinking` block",
    check: thinkingIssued,
  },
  {
    id: "anthropic/final-assistant-trailing-whitespace",
    wires: ["anthropic"],
    description: "A request ending on an assistant message (prefill) does not end in whitespace",
    source: "https://github.com/tailcallhq/forgecode/issues/1872",
    realError: "messages: final assistant content cannot end with trailing whitespace",
    check: finalAssistantTrailingWhitespace,
  },
  {
    id: "anthropic/image",
    wires: ["anthropic"],
    description: "Base64 images are jpeg/png/gif/webp, decode, match their media_type, are at " +
      "most 5 MB of base64 and 8000 px a side",
    source: "https://github.com/anthropics/claude-code/issues/5955 (media type); " +
      "https://github.com/anthropics/claude-code/issues/10612 (5 MB); " +
      "https://github.com/anthropics/claude-code/issues/4778 (8000 px)",
    realError: "messages.62.content.0.tool_result.content.0.image.source.base64.media_type: " +
      "Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp' | " +
      "image exceeds 5 MB maximum: 15908784 bytes > 5242880 bytes",
    check: images,
  },
];
