/**
 * Hand-made requests for the API rule tests: one valid request per wire, each touching as many
 * rules as it can while breaking none, and a PNG header of any size.
 *
 * @module
 */

import type { Wire } from "./history.ts";
import { mockSignature } from "./mock_signatures.ts";

/** A request body. */
export type Body = Record<string, unknown>;

/**
 * A hand-made image header: PNG signature and IHDR with this width and height.
 *
 * @param width Pixels.
 * @param height Pixels.
 * @returns The header as base64.
 */
export function png(width: number, height: number): string {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return btoa(String.fromCharCode(...bytes));
}
/** A 2×2 PNG header, base64. */
export const PNG: string = png(2, 2);
const JPEG = btoa(String.fromCharCode(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49));

/** A valid anthropic request. */
export function anthropic(): Body {
  return {
    model: "m",
    max_tokens: 10,
    tools: [{ name: "Bash", input_schema: { type: "object" } }],
    messages: [
      { role: "user", content: "run it" },
      { role: "system", content: "Claude Code 2.x sends system entries in messages" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "plan", signature: mockSignature("plan") },
          { type: "redacted_thinking", data: mockSignature("") },
          { type: "text", text: "Running." },
          { type: "tool_use", id: "toolu_1", name: "Bash", input: {} },
        ],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "toolu_1",
            is_error: true,
            content: [{ type: "text", text: "exit 1" }],
          },
          { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
        ],
      },
      { role: "assistant", content: [{ type: "text", text: "Prefill" }] },
    ],
  };
}

/** A valid responses request. */
export function responses(): Body {
  return {
    model: "m",
    tools: [{ type: "function", name: "shell", parameters: {} }],
    input: [
      {
        type: "additional_tools",
        tools: [{
          type: "namespace",
          name: "functions",
          tools: [{ type: "custom", name: "exec" }],
        }],
      },
      {
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: "look" },
          { type: "input_image", image_url: `data:image/jpeg;base64,${JPEG}` },
        ],
      },
      {
        type: "reasoning",
        summary: [{ type: "summary_text", text: "think" }],
        encrypted_content: mockSignature("think"),
      },
      { type: "function_call", call_id: "c1", name: "shell", arguments: "{}" },
      { type: "custom_tool_call", call_id: "c2", name: "exec", input: "x" },
      { type: "function_call_output", call_id: "c1", output: "ok" },
      { type: "custom_tool_call_output", call_id: "c2", output: "ok" },
    ],
  };
}

/** A valid chat request. */
export function chat(): Body {
  return {
    model: "m",
    tools: [{ type: "function", function: { name: "run_shell", parameters: {} } }],
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "look" },
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
        ],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "a", type: "function", function: { name: "run_shell", arguments: "{}" } },
          { id: "b", type: "function", function: { name: "run_shell", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "a", content: "1" },
      { role: "tool", tool_call_id: "b", content: "2" },
      { role: "assistant", content: "done" },
    ],
  };
}

/** A valid gemini request. */
export function gemini(): Body {
  return {
    tools: [{ functionDeclarations: [{ name: "run_shell_command" }, { name: "mcp.srv:tool" }] }],
    contents: [
      { parts: [{ text: "context without a role" }] },
      {
        role: "user",
        parts: [{ text: "run" }, { inlineData: { mimeType: "image/png", data: PNG } }],
      },
      {
        role: "model",
        parts: [
          { text: "hmm", thought: true, thoughtSignature: mockSignature("hmm") },
          { functionCall: { id: "f1", name: "run_shell_command", args: {} } },
          { functionCall: { id: "f2", name: "run_shell_command", args: {} } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { id: "f1", name: "run_shell_command", response: {} } },
          { functionResponse: { id: "f2", name: "run_shell_command", response: {} } },
          // Gemini CLI 0.61.0 repeats each result on resume: a repeat with the same id is fine.
          { functionResponse: { id: "f2", name: "run_shell_command", response: {} } },
        ],
      },
      {
        role: "model",
        parts: [{
          functionCall: { name: "run_shell_command", args: {} },
          thoughtSignature: "skip_thought_signature_validator",
        }],
      },
      { role: "user", parts: [{ functionResponse: { name: "run_shell_command", response: {} } }] },
      { role: "model", parts: [{ text: "ok" }] },
    ],
  };
}

/** A fresh valid request per wire. */
export const BASE: Record<Wire, () => Body> = { anthropic, responses, chat, gemini };
