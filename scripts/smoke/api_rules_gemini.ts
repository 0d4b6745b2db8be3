/**
 * Rules of the Gemini API (`generateContent` / `streamGenerateContent`), each with its source.
 *
 * @module
 */

import {
  type ApiRule,
  asString,
  type Finding,
  isObject,
  type Json,
  objectsOf,
  preview,
} from "./api_rules_core.ts";
import { checkImageData } from "./api_rules_media.ts";
import { isMockSignature, mockSignature } from "./mock_signatures.ts";

/** Fields of the `Part.data` oneof. */
const DATA_FIELDS = [
  "text",
  "inlineData",
  "fileData",
  "functionCall",
  "functionResponse",
  "executableCode",
  "codeExecutionResult",
];
const FUNCTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$/;
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"];
const TWENTY_MB = 20 * 1024 * 1024;
/** Values the thought-signatures guide documents as accepted in place of a real signature. */
const DOCUMENTED_BYPASS = [
  "skip_thought_signature_validator",
  "context_engineering_is_the_way_to_go",
];
/** The shape of a mock token (`mockSignature` of any text): its prefix and length. */
const MOCK_TOKEN = mockSignature("");
const MOCK_PREFIX = MOCK_TOKEN.replace(/[0-9a-f]+$/, "");

/**
 * Whether a token has the shape of one the mock issued. Used only for a turn that carries no
 * thought text: a client may replay the signature without the thought part it came with, and
 * the real API binds the signature to its own state, not to text the client sends.
 */
function looksIssued(token: unknown): boolean {
  return typeof token === "string" && token.startsWith(MOCK_PREFIX) &&
    token.length === MOCK_TOKEN.length;
}

interface IndexedContent {
  index: number;
  role: string | undefined;
  parts: Array<[number, Json]>;
}

function contents(body: unknown): IndexedContent[] {
  if (!isObject(body)) return [];
  return objectsOf(body.contents).map(([index, content]) => ({
    index,
    role: asString(content.role),
    parts: objectsOf(content.parts),
  }));
}

const isUser = (content: IndexedContent): boolean =>
  content.role === undefined || content.role === "user";
const count = (content: IndexedContent, field: string): number =>
  content.parts.filter(([, part]) => isObject(part[field])).length;

/**
 * Function responses of a turn, a response repeated with the same id counted once: Gemini CLI
 * 0.61.0 itself sends each result twice when it resumes its own session (see `checks.ts`
 * `duplicateToolResults`), so the real CLI's own request is the ground truth here.
 */
function distinctResponses(content: IndexedContent): number {
  const ids = new Set<string>();
  let anonymous = 0;
  for (const [, part] of content.parts) {
    if (!isObject(part.functionResponse)) continue;
    const id = asString(part.functionResponse.id);
    if (id === undefined) anonymous += 1;
    else ids.add(id);
  }
  return ids.size + anonymous;
}

function roles(request: { body: unknown }): Finding[] {
  return contents(request.body).flatMap((content) =>
    isUser(content) || content.role === "model" ? [] : [{
      path: `contents[${content.index}].role`,
      message: `role ${JSON.stringify(content.role)} is neither "user" nor "model"`,
    }]
  );
}

function partsNotEmpty(request: { body: unknown }): Finding[] {
  if (!isObject(request.body)) return [];
  return objectsOf(request.body.contents).flatMap(([i, content]) =>
    Array.isArray(content.parts) && content.parts.length > 0
      ? []
      : [{ path: `contents[${i}].parts`, message: "contents.parts is empty or missing" }]
  );
}

function oneData(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const content of contents(request.body)) {
    for (const [j, part] of content.parts) {
      const set = DATA_FIELDS.filter((field) => part[field] !== undefined);
      if (set.length !== 1) {
        findings.push({
          path: `contents[${content.index}].parts[${j}]`,
          message: set.length === 0
            ? "part has no data field (text, inlineData, functionCall, ...)"
            : `part sets ${set.length} data fields: ${set.join(", ")}`,
        });
      }
    }
  }
  return findings;
}

function textNotEmpty(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const content of contents(request.body)) {
    for (const [j, part] of content.parts) {
      if (part.text === "") {
        findings.push({
          path: `contents[${content.index}].parts[${j}].text`,
          message: "text part is empty",
        });
      }
    }
  }
  return findings;
}

function functionCallTurns(request: { body: unknown }): Finding[] {
  const list = contents(request.body);
  return list.flatMap((content, i) => {
    if (count(content, "functionCall") === 0) return [];
    const previous = list[i - 1];
    if (content.role === "model" && previous !== undefined && isUser(previous)) return [];
    return [{
      path: `contents[${content.index}]`,
      message: content.role !== "model"
        ? `functionCall parts in a "${content.role ?? "user"}" turn`
        : previous === undefined
        ? "the conversation starts with a function call turn"
        : "function call turn does not follow a user or function response turn",
    }];
  });
}

function functionResponseTurns(request: { body: unknown }): Finding[] {
  const list = contents(request.body);
  const findings: Finding[] = [];
  list.forEach((content, i) => {
    const responses = distinctResponses(content);
    const previous = list[i - 1];
    const calls = previous?.role === "model" ? count(previous, "functionCall") : 0;
    if (responses > 0 && (!isUser(content) || calls === 0)) {
      findings.push({
        path: `contents[${content.index}]`,
        message: isUser(content)
          ? "function response turn does not follow a function call turn"
          : `functionResponse parts in a "${content.role}" turn`,
      });
    } else if (calls > 0 && responses !== calls) {
      findings.push({
        path: `contents[${content.index}]`,
        message: `${responses} function response part(s) for ${calls} function call part(s) ` +
          `of contents[${previous?.index}]`,
      });
    }
  });
  return findings;
}

function functionStructs(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const content of contents(request.body)) {
    for (const [j, part] of content.parts) {
      const fields: Array<[string, string, unknown]> = [];
      if (isObject(part.functionCall)) {
        fields.push(["functionCall", "args", part.functionCall.args]);
      }
      if (isObject(part.functionResponse)) {
        fields.push(["functionResponse", "response", part.functionResponse.response]);
      }
      for (const [kind, field, value] of fields) {
        if (value === undefined || isObject(value)) continue;
        findings.push({
          path: `contents[${content.index}].parts[${j}].${kind}.${field}`,
          message: `${kind}.${field} is ${Array.isArray(value) ? "an array" : typeof value}, ` +
            "not an object (a protobuf Struct)",
        });
      }
    }
  }
  return findings;
}

function functionNames(request: { body: unknown }): Finding[] {
  if (!isObject(request.body)) return [];
  const findings: Finding[] = [];
  for (const [i, tool] of objectsOf(request.body.tools)) {
    for (const [j, declaration] of objectsOf(tool.functionDeclarations)) {
      const name = declaration.name;
      if (typeof name !== "string" || !FUNCTION_NAME.test(name)) {
        findings.push({
          path: `tools[${i}].functionDeclarations[${j}].name`,
          message: `function name ${JSON.stringify(name)} does not match ` +
            "^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$",
        });
      }
    }
  }
  return findings;
}

function signaturesIssued(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  for (const content of contents(request.body)) {
    const thoughts = content.parts
      .filter(([, part]) => part.thought === true && typeof part.text === "string")
      .map(([, part]) => part.text as string);
    for (const [j, part] of content.parts) {
      const token = part.thoughtSignature;
      if (token === undefined) continue;
      if (typeof token === "string" && DOCUMENTED_BYPASS.includes(token)) continue;
      const candidates = [
        ...(typeof part.text === "string" ? [part.text] : []),
        ...thoughts,
        thoughts.join(""),
        thoughts.join("\n"),
        "",
      ];
      const unbound = thoughts.length === 0 && typeof part.text !== "string" && looksIssued(token);
      if (!unbound && !candidates.some((text) => isMockSignature(token, text))) {
        findings.push({
          path: `contents[${content.index}].parts[${j}].thoughtSignature`,
          message: `thoughtSignature ${preview(String(token))} was not issued for this turn`,
        });
      }
    }
  }
  return findings;
}

function inlineData(request: { body: unknown }): Finding[] {
  const findings: Finding[] = [];
  let total = 0;
  for (const content of contents(request.body)) {
    for (const [j, part] of content.parts) {
      if (!isObject(part.inlineData)) continue;
      const path = `contents[${content.index}].parts[${j}].inlineData`;
      const mimeType = asString(part.inlineData.mimeType) ?? "";
      const data = asString(part.inlineData.data) ?? "";
      total += data.length;
      if (mimeType === "") findings.push({ path, message: "inlineData has no mimeType" });
      if (!mimeType.startsWith("image/")) continue;
      const problems = checkImageData({ allowed: IMAGE_TYPES, mediaType: mimeType, data });
      for (const problem of problems) findings.push({ path, message: problem });
    }
  }
  if (total > TWENTY_MB) {
    findings.push({ path: "contents", message: `inline data totals ${total} bytes, over 20 MB` });
  }
  return findings;
}

/** The Gemini API rules. */
export const GEMINI_RULES: readonly ApiRule[] = [
  {
    id: "gemini/role",
    wires: ["gemini"],
    description: 'contents[].role is "user" or "model" (or unset)',
    source: "https://ai.google.dev/api/caching#Content (role: Must be either 'user' or 'model')",
    check: roles,
  },
  {
    id: "gemini/parts-not-empty",
    wires: ["gemini"],
    description: "Every content has at least one part",
    source: "https://github.com/vercel/ai/issues/3775",
    realError: "* GenerateContentRequest.contents[1].parts: contents.parts must not be empty.",
    check: partsNotEmpty,
  },
  {
    id: "gemini/part-one-data",
    wires: ["gemini"],
    description: "Every part sets exactly one data field (text, inlineData, functionCall, ...)",
    source: "https://github.com/54xzh/FLIT/pull/70; https://ai.google.dev/api/caching#Part",
    realError: "* ***.contents[2].parts[1].data: required oneof field 'data' must have one " +
      "initialized field",
    check: oneData,
  },
  {
    id: "gemini/text-not-empty",
    wires: ["gemini"],
    description: "A text part is not the empty string",
    source: "https://github.com/google-gemini/deprecated-generative-ai-js/issues/361",
    realError: "Unable to submit request because it has an empty text parameter. Add a value " +
      "to the parameter and try again.",
    check: textNotEmpty,
  },
  {
    id: "gemini/function-call-turn",
    wires: ["gemini"],
    description: "functionCall parts sit in a model turn right after a user turn or a " +
      "function response turn",
    source: "https://github.com/google-gemini/gemini-cli/issues/11814",
    realError: "Please ensure that function call turn comes immediately after a user turn or " +
      "after a function response turn.",
    check: functionCallTurns,
  },
  {
    id: "gemini/function-response-turn",
    wires: ["gemini"],
    description: "functionResponse parts sit in a user turn right after the function call " +
      "turn, one per functionCall part (a response repeated with the same id counts once)",
    source: "https://github.com/google-gemini/gemini-cli/issues/16415 (count); " +
      "https://github.com/langchain-ai/langchain/issues/27799 (position)",
    realError: "Please ensure that the number of function response parts is equal to the " +
      "number of function call parts of the function call turn.",
    check: functionResponseTurns,
  },
  {
    id: "gemini/function-struct",
    wires: ["gemini"],
    description: "functionCall.args and functionResponse.response are JSON objects (Struct)",
    source: "https://github.com/google-gemini/deprecated-generative-ai-js/issues/301; " +
      "https://ai.google.dev/api/caching#FunctionResponse (response: Struct)",
    check: functionStructs,
  },
  {
    id: "gemini/function-name",
    wires: ["gemini"],
    description: "Function declarations are named ^[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}$",
    source: "https://github.com/google-gemini/gemini-cli/issues/2966; " +
      "https://ai.google.dev/api/caching#FunctionDeclaration",
    realError: "GenerateContentRequest.tools[0].function_declarations[69].name: Invalid " +
      "function name. Must start with a letter or an underscore. Must be alphameric (a-z, " +
      "A-Z, 0-9), underscores (_), dots (.) or dashes (-), with a maximum length of 64.",
    check: functionNames,
  },
  {
    id: "gemini/thought-signature-issued",
    wires: ["gemini"],
    description: "A thoughtSignature is a token this API issued, for that turn's thought text " +
      "when the turn carries it (or a value the guide documents as a bypass)",
    source: "https://github.com/google-gemini/gemini-cli/issues/13467; " +
      "https://ai.google.dev/gemini-api/docs/thought-signatures",
    realError: "Corrupted thought signature.",
    check: signaturesIssued,
  },
  {
    id: "gemini/inline-data",
    wires: ["gemini"],
    description: "inlineData has a mimeType; images are png/jpeg/webp/heic/heif, decode and " +
      "match their type; inline data totals at most 20 MB",
    source: "https://ai.google.dev/gemini-api/docs/image-understanding",
    check: inlineData,
  },
];
