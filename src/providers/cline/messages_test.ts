import assert from "node:assert/strict";
import {
  canonicalToStored,
  isScaffolding,
  resultContent,
  storedToCanonical,
  unwrapPrompt,
  withInterruptedResults,
} from "./messages.ts";
import type { Message, Warning } from "../../model/types.ts";

const items = (values: unknown[]) => values.map((value, index) => ({ index, value }));

Deno.test("unwrapPrompt() removes the Cline and Roo prompt wrappers", () => {
  assert.equal(unwrapPrompt('<user_input mode="act">hi\nthere</user_input>'), "hi\nthere");
  assert.equal(unwrapPrompt("<task>\nfix it\n</task>"), "fix it");
  assert.equal(unwrapPrompt("<user_message>\nfix it\n</user_message>"), "fix it");
  assert.equal(unwrapPrompt("<feedback>\nmore\n</feedback>"), "more");
  assert.equal(unwrapPrompt("plain <task>x</task> text"), "plain <task>x</task> text");
  assert.equal(isScaffolding("<environment_details>\n# x\n</environment_details>"), true);
  assert.equal(isScaffolding("please look at <environment_details>"), false);
});

Deno.test("resultContent() joins Cline CLI result records and flags failures", () => {
  assert.deepEqual(
    resultContent([{ query: "ls", result: "a\nb\n", success: true }]),
    { output: "a\nb\n", failed: false, images: [] },
  );
  assert.deepEqual(
    resultContent([{ query: "ls x", result: "[exit 2]", error: "exit 2", success: false }]),
    { output: "[exit 2]", failed: true, images: [] },
  );
  assert.deepEqual(resultContent([{ type: "text", text: "ok" }]), {
    output: "ok",
    failed: false,
    images: [],
  });
  assert.deepEqual(resultContent("done"), { output: "done", failed: false, images: [] });
});

Deno.test("storedToCanonical() merges one-result-per-message into one tool message", () => {
  const warnings: Warning[] = [];
  const out = storedToCanonical(
    items([
      {
        role: "user",
        content: [{ type: "text", text: '<user_input mode="act">run</user_input>' }],
        ts: 1796000000000,
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: "ok" },
          { type: "tool_use", id: "a", name: "run_commands", input: { commands: ["x"] } },
          { type: "tool_use", id: "b", name: "run_commands", input: { commands: ["y"] } },
        ],
        ts: 1796000001000,
        modelInfo: { id: "gpt-mock", provider: "openai-compatible" },
      },
      {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "a",
          name: "run_commands",
          content: [{ result: "X", success: true }],
        }],
      },
      {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "b",
          name: "run_commands",
          content: [{ result: "Y", error: "e", success: false }],
        }],
      },
      { role: "assistant", content: "done" },
      { role: "system", content: "?" },
      "junk",
    ]),
    "f",
    warnings,
  );
  assert.deepEqual(out.map((m) => m.role), ["user", "assistant", "tool", "assistant"]);
  assert.equal(out[0]!.text, "run");
  assert.equal(out[1]!.author, "gpt-mock");
  assert.deepEqual(out[2]!.toolResults.map((r) => [r.callId, r.output, r.isError, r.name]), [
    ["a", "X", false, "run_commands"],
    ["b", "Y", true, "run_commands"],
  ]);
  assert.equal(warnings.length, 2);
});

Deno.test("storedToCanonical() splits legacy results from environment details", () => {
  const out = storedToCanonical(
    items([
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "t", content: "out" },
          { type: "text", text: "<environment_details>\ncwd\n</environment_details>" },
        ],
      },
    ]),
    "f",
    [],
  );
  assert.deepEqual(out.map((m) => m.role), ["tool", "system"]);
});

Deno.test("canonicalToStored() writes named results, one per message when asked", () => {
  const messages: Message[] = [
    { index: 0, role: "user", text: "go", toolCalls: [], toolResults: [] },
    {
      index: 1,
      role: "assistant",
      text: "",
      toolCalls: [{ id: "c.1", name: "Bash", input: "ls" }, {
        id: "c2",
        name: "Read",
        input: { p: 1 },
      }],
      toolResults: [],
    },
    {
      index: 2,
      role: "tool",
      text: "",
      toolCalls: [],
      toolResults: [
        { callId: "c.1", output: "a", isError: false },
        { callId: "c2", output: "b", isError: true },
      ],
    },
  ];
  const stored = canonicalToStored(messages, [1, 2, 3], {
    wrapPrompt: (t) => `<user_input mode="act">${t}</user_input>`,
    resultPerMessage: true,
  });
  assert.equal(stored.length, 4);
  assert.deepEqual(stored[1]!.content, [
    { type: "tool_use", id: "c_1", name: "Bash", input: { input: "ls" } },
    { type: "tool_use", id: "c2", name: "Read", input: { p: 1 } },
  ]);
  assert.equal(stored[2]!.id, "casr-results-0-0");
  assert.deepEqual(stored[2]!.content, [
    { type: "tool_result", tool_use_id: "c_1", name: "Bash", content: "a" },
  ]);
  assert.deepEqual(stored[3]!.content, [
    { type: "tool_result", tool_use_id: "c2", name: "Read", content: "b", is_error: true },
  ]);
  const back = storedToCanonical(items(stored), "f", []);
  assert.deepEqual(back.map((m) => m.role), ["user", "assistant", "tool"]);
  assert.equal(back[0]!.text, "go");
  assert.equal(back[2]!.toolResults.length, 2);
});

Deno.test("canonicalToStored() keeps two consecutive tool messages apart", () => {
  const tool = (callId: string): Message => ({
    index: 0,
    role: "tool",
    text: "",
    toolCalls: [],
    toolResults: [{ callId, output: callId, isError: false }],
  });
  const messages: Message[] = [
    {
      index: 0,
      role: "assistant",
      text: "",
      toolCalls: [{ id: "a", name: "x", input: {} }, { id: "b", name: "x", input: {} }],
      toolResults: [],
    },
    tool("b"),
    tool("a"),
  ];
  for (const resultPerMessage of [true, false]) {
    const stored = canonicalToStored(messages, [1, 2, 3], {
      wrapPrompt: (t) => t,
      resultPerMessage,
    });
    const back = storedToCanonical(items(stored), "f", []);
    assert.deepEqual(back.map((m) => m.toolResults.map((r) => r.callId)), [[], ["b"], ["a"]]);
  }
});

Deno.test("storedToCanonical() sends a read_files picture as a user message after the results, as Cline does", () => {
  const out = storedToCanonical(
    items([
      {
        role: "assistant",
        content: [{
          type: "tool_use",
          id: "c1",
          name: "read_files",
          input: { files: [{ path: "/w/p.png" }] },
        }],
      },
      {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "c1",
          name: "read_files",
          content: [{
            query: "/w/p.png",
            result: [
              { type: "text", text: "Successfully read image" },
              { type: "image", data: "iVBORw0K", mediaType: "image/png" },
            ],
            success: true,
          }],
        }],
      },
    ]),
    "f",
    [],
  );
  assert.deepEqual(out.map((m) => m.role), ["assistant", "tool", "user"]);
  assert.equal(out[1]!.toolResults[0]!.output, "Successfully read image");
  assert.equal(out[2]!.text, "");
  assert.deepEqual(out[2]!.images, [
    { mediaType: "image/png", data: "iVBORw0K", source: "/w/p.png" },
  ]);
});

Deno.test("withInterruptedResults() answers a call without a stored result as Cline CLI does on resume", () => {
  const msg = (role: Message["role"], extra: Partial<Message> = {}): Message => ({
    index: 0,
    role,
    text: "",
    toolCalls: [],
    toolResults: [],
    ...extra,
  });
  const calls = [
    { id: "c1", name: "run_commands", input: {} },
    { id: "c2", name: "read_files", input: {} },
  ];
  const out = withInterruptedResults([
    msg("assistant", { toolCalls: calls }),
    msg("tool", { toolResults: [{ callId: "c1", output: "ok", isError: false }] }),
    msg("assistant", { toolCalls: [{ id: "c3", name: "run_commands", input: {} }] }),
    msg("user", { text: "carry on" }),
  ]);
  assert.deepEqual(out.map((m) => m.role), ["assistant", "tool", "assistant", "tool", "user"]);
  assert.deepEqual(out[1]!.toolResults.map((r) => [r.callId, r.output, r.isError]), [
    ["c1", "ok", false],
    ["c2", "Tool execution was interrupted before a result was produced. Tool: read_files.", true],
  ]);
  assert.deepEqual(out[3]!.toolResults.map((r) => r.output), [
    "Tool execution was interrupted before a result was produced. Tool: run_commands.",
  ]);
});

Deno.test("storedToCanonical() pairs tool_use blocks with the results Cline 3.51 stored as text", () => {
  // Hand-made, in the shape of a public Cline 3.51.0 task (gmfstu/Online-Card-Architecture):
  // native tool_use blocks, answered by `[tool for '…'] Result:` text in the next user message.
  const use = (id: string, name: string, input: object) => ({ type: "tool_use", id, name, input });
  const env = { type: "text", text: "<environment_details>\n# cwd\n</environment_details>" };
  const out = storedToCanonical(
    items([
      { role: "user", content: [{ type: "text", text: "<task>\nfix [it]\n</task>" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Reading both." },
          use("toolu_1", "read_file", { path: "a.ts" }),
          use("toolu_2", "search_files", { regex: "x]" }),
        ],
      },
      {
        role: "user",
        content: [
          { type: "text", text: "[search_files for 'x]' in '*.ts'] Result:\nFound 0 results." },
          { type: "text", text: "[read_file for 'a.ts'] Result:" },
          { type: "text", text: "export const a = 1;" },
          env,
        ],
      },
      {
        role: "assistant",
        content: [use("toolu_3", "write_to_file", {}), use("toolu_4", "x", {})],
      },
      {
        role: "user",
        content: [
          {
            type: "text",
            text:
              "[write_to_file for 'b.ts'] Result:\nThe tool execution failed with the following error:\n<error>\nEACCES\n</error>",
          },
          {
            type: "text",
            text:
              "Tool [x] was not executed because a tool has already been used in this message. Only one tool may be used per message.",
          },
          { type: "text", text: "Please go on." },
        ],
      },
    ]),
    "f",
    [],
  );
  assert.deepEqual(out.map((m) => m.role), [
    "user",
    "assistant",
    "tool",
    "system",
    "assistant",
    "tool",
    "user",
  ]);
  assert.equal(out[0]?.text, "fix [it]");
  assert.deepEqual(out[2]?.toolResults.map((r) => [r.callId, r.output, r.isError]), [
    ["toolu_2", "[search_files for 'x]' in '*.ts'] Result:\nFound 0 results.", false],
    ["toolu_1", "[read_file for 'a.ts'] Result:\nexport const a = 1;", false],
  ]);
  assert.deepEqual(out[5]?.toolResults.map((r) => [r.callId, r.isError]), [
    ["toolu_3", true],
    ["toolu_4", true],
  ]);
  assert.equal(out[6]?.text, "Please go on.");
});

Deno.test("storedToCanonical() leaves result-like text alone when no call is open", () => {
  const out = storedToCanonical(
    items([
      { role: "assistant", content: [{ type: "text", text: "Done." }] },
      { role: "user", content: [{ type: "text", text: "[note] Result: keep this as my prompt" }] },
    ]),
    "f",
    [],
  );
  assert.deepEqual(out.map((m) => [m.role, m.text]), [
    ["assistant", "Done."],
    ["user", "[note] Result: keep this as my prompt"],
  ]);
});
