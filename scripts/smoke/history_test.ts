import assert from "node:assert/strict";
import {
  historyFromAnthropic,
  historyFromChat,
  historyFromGemini,
  historyFromResponses,
} from "./history.ts";

Deno.test("historyFromAnthropic() skips system-role messages and pairs tool blocks", () => {
  // Shape seen from claude 2.1.331: a `system` role message rides inside `messages`.
  const turns = historyFromAnthropic({
    system: [{ type: "text", text: "You are Claude" }],
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "<system-reminder>x</system-reminder>" },
          { type: "text", text: "run it" },
        ],
      },
      { role: "system", content: [{ type: "text", text: "# Environment" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Running." },
          { type: "tool_use", id: "t1", name: "Bash", input: { command: "ls" } },
        ],
      },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "t1", content: "a.txt" }],
      },
      { role: "user", content: "next" },
    ],
  });
  assert.deepEqual(turns.map((turn) => turn.role), ["user", "assistant", "tool", "user"]);
  assert.equal(turns[0]?.text, "<system-reminder>x</system-reminder>\nrun it");
  assert.deepEqual(turns[1]?.toolCalls, [{ name: "Bash", input: { command: "ls" }, id: "t1" }]);
  assert.deepEqual(turns[2]?.toolResults, [{ output: "a.txt", id: "t1" }]);
  assert.equal(turns[3]?.text, "next");
});

Deno.test("historyFromResponses() merges a message with its custom tool call", () => {
  // Shape seen from codex 0.169.0.
  const turns = historyFromResponses({
    input: [
      { type: "additional_tools", role: "developer", tools: [] },
      { type: "message", role: "developer", content: [{ type: "input_text", text: "rules" }] },
      { type: "message", role: "user", content: [{ type: "input_text", text: "go" }] },
      {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: "Running." }],
      },
      { type: "custom_tool_call", call_id: "c1", name: "exec", input: "tools.exec_command()" },
      {
        type: "custom_tool_call_output",
        call_id: "c1",
        output: [{ type: "input_text", text: "Output:\n" }, { type: "input_text", text: "hi\n" }],
      },
      { type: "function_call", call_id: "c2", name: "shell", arguments: '{"command":["ls"]}' },
      { type: "function_call_output", call_id: "c2", output: "a.txt" },
    ],
  });
  assert.deepEqual(turns.map((turn) => turn.role), [
    "user",
    "assistant",
    "tool",
    "assistant",
    "tool",
  ]);
  assert.equal(turns[1]?.text, "Running.");
  assert.deepEqual(turns[1]?.toolCalls, [{
    name: "exec",
    input: "tools.exec_command()",
    id: "c1",
  }]);
  assert.equal(turns[2]?.toolResults[0]?.output, "Output:\n\nhi\n");
  assert.deepEqual(turns[3]?.toolCalls[0]?.input, { command: ["ls"] });
});

Deno.test("historyFromGemini() keeps thoughts out of the text and reads function parts", () => {
  const turns = historyFromGemini({
    contents: [
      { role: "user", parts: [{ text: "<session_context>" }, { text: "go" }] },
      {
        role: "model",
        parts: [
          { text: "thinking", thought: true },
          { text: "Running." },
          { functionCall: { id: "f1", name: "run_shell_command", args: { command: "ls" } } },
        ],
      },
      {
        role: "user",
        parts: [{
          functionResponse: { id: "f1", name: "run_shell_command", response: { output: "a" } },
        }],
      },
    ],
  });
  assert.deepEqual(turns.map((turn) => turn.role), ["user", "assistant", "tool"]);
  assert.equal(turns[0]?.text, "<session_context>\ngo");
  assert.equal(turns[1]?.text, "Running.");
  assert.equal(turns[1]?.reasoning, "thinking");
  assert.deepEqual(turns[2]?.toolResults, [{ output: "a", id: "f1", name: "run_shell_command" }]);
});

Deno.test("historyFromChat() reads tool_calls and tool messages", () => {
  const turns = historyFromChat({
    messages: [
      { role: "system", content: "rules" },
      { role: "user", content: "go" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{
          id: "k1",
          type: "function",
          function: { name: "shell", arguments: '{"command":"ls"}' },
        }],
      },
      { role: "tool", tool_call_id: "k1", content: "a.txt" },
    ],
  });
  assert.deepEqual(turns.map((turn) => turn.role), ["user", "assistant", "tool"]);
  assert.deepEqual(turns[1]?.toolCalls, [{ name: "shell", input: { command: "ls" }, id: "k1" }]);
  assert.deepEqual(turns[2]?.toolResults, [{ output: "a.txt", id: "k1" }]);
});

Deno.test("historyFromChat() gives each result of a run the images OpenClaw carries for it", () => {
  // Shape of openclaw 2026.9.6's Chat Completions request after a `read` of a PNG (messy
  // fixture), here with two results in the run and only the second holding an image.
  const call = (id: string) => ({
    id,
    type: "function",
    function: { name: "read", arguments: "{}" },
  });
  const turns = historyFromChat({
    messages: [
      { role: "user", content: "open both" },
      { role: "assistant", content: null, tool_calls: [call("r1"), call("r2")] },
      { role: "tool", tool_call_id: "r1", content: "notes" },
      { role: "tool", tool_call_id: "r2", content: "Read image file [image/png]" },
      {
        role: "user",
        content: [
          { type: "text", text: "Image(s) from tool result #2 (read):" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AA==" } },
          { type: "image_url", image_url: { url: "data:image/png;base64,AA==" } },
        ],
      },
      { role: "assistant", content: "done" },
      {
        role: "user",
        content: [
          { type: "text", text: "Image(s) from tool result #1 (read):" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AA==" } },
        ],
      },
    ],
  });
  assert.deepEqual(turns.map((turn) => turn.role), [
    "user",
    "assistant",
    "tool",
    "assistant",
    "user",
  ]);
  assert.deepEqual(turns[2]?.toolResults, [
    { output: "notes", id: "r1" },
    { output: "Read image file [image/png]", id: "r2", images: 2 },
  ]);
  // Not after a tool result: an ordinary user turn with its image.
  assert.equal(turns[4]?.images, 1);
});

Deno.test("the reasoning an assistant turn sends back is read on every wire, opaque forms left out", () => {
  // Shapes seen in the native resumes of the messy fixtures (Qwen Code, Copilot CLI, Codex).
  const chat = historyFromChat({
    messages: [
      { role: "user", content: "go" },
      {
        role: "assistant",
        content: null,
        reasoning_content: "A failing command first.",
        tool_calls: [{ id: "c1", type: "function", function: { name: "sh", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "c1", content: "" },
      { role: "assistant", content: "Done." },
    ],
  });
  assert.equal(chat[1]?.reasoning, "A failing command first.");
  assert.equal(chat[3]?.reasoning, undefined);

  const anthropic = historyFromAnthropic({
    messages: [
      { role: "user", content: "go" },
      {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "The command ran.", signature: "sig" },
          { type: "redacted_thinking", data: "opaque" },
          { type: "text", text: "Done." },
        ],
      },
    ],
  });
  assert.equal(anthropic[1]?.text, "Done.");
  assert.equal(anthropic[1]?.reasoning, "The command ran.");

  const responses = historyFromResponses({
    input: [
      { type: "message", role: "user", content: [{ type: "input_text", text: "go" }] },
      {
        type: "reasoning",
        summary: [{ type: "summary_text", text: "A failing command." }],
        content: null,
        encrypted_content: "opaque",
      },
      { type: "function_call", name: "sh", arguments: "{}", call_id: "c1" },
      { type: "reasoning", summary: [], encrypted_content: "opaque" },
      { type: "message", role: "assistant", content: [{ type: "output_text", text: "Ok." }] },
    ],
  });
  assert.deepEqual(responses.map((turn) => turn.role), ["user", "assistant"]);
  assert.equal(responses[1]?.reasoning, "A failing command.");
  assert.equal(responses[1]?.text, "Ok.");
});

Deno.test("historyFromResponses() gives a reasoning item to the assistant item after it, else to none", () => {
  const turns = historyFromResponses({
    input: [
      { type: "function_call", name: "sh", arguments: "{}", call_id: "c1" },
      { type: "function_call", name: "sh", arguments: "{}", call_id: "c2" },
      { type: "function_call_output", call_id: "c1", output: "one" },
      { type: "reasoning", summary: [{ type: "summary_text", text: "stray" }] },
      { type: "function_call_output", call_id: "c2", output: "two" },
    ],
  });
  assert.deepEqual(turns.map((turn) => turn.role), ["assistant", "tool"]);
  assert.equal(turns[1]?.toolResults.length, 2);
  assert.equal(turns.some((turn) => turn.reasoning !== undefined), false);
});
