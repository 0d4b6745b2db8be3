import assert from "node:assert/strict";
import { checkResumedHistory } from "./checks.ts";
import {
  historyFromAnthropic,
  historyFromChat,
  historyFromGemini,
  historyFromResponses,
} from "./history.ts";
import { expectedFromResume, messyReply, type MessyTurn } from "./messy.ts";
import type { ScriptContext } from "./mock_server.ts";
import { isMockSignature } from "./mock_signatures.ts";
import { crc32, makePng } from "./png.ts";
import {
  decodeSse,
  encodeAnthropic,
  encodeChat,
  encodeGemini,
  encodeResponses,
  pickTool,
} from "./wire_replies.ts";

const IMAGE = { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" };

Deno.test("crc32() matches the CRC of PNG's IEND chunk, and makePng() writes a PNG header", () => {
  assert.equal(crc32(new TextEncoder().encode("IEND")), 0xae426082);
  const png = makePng(4, 3, [0, 0, 0], [255, 255, 255]);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer);
  assert.deepEqual([view.getUint32(16), view.getUint32(20)], [4, 3]);
});

Deno.test("encoders put reasoning first, with a token from mockSignature()", () => {
  const options = { model: "m", stream: true, idSuffix: "x", reasoning: "Think." };
  const anthropic = decodeSse(encodeAnthropic("Hi", options).body);
  const deltas = anthropic.map((e) => (e.data as { delta?: Record<string, string> }).delta);
  assert.equal(deltas.find((d) => d?.type === "thinking_delta")?.thinking, "Think.");
  assert.ok(
    isMockSignature(deltas.find((d) => d?.type === "signature_delta")?.signature, "Think."),
  );

  const responses = JSON.parse(encodeResponses("Hi", { ...options, stream: false }).body);
  assert.equal(responses.output[0].type, "reasoning");
  assert.equal(responses.output[0].summary[0].text, "Think.");
  assert.ok(isMockSignature(responses.output[0].encrypted_content, "Think."));

  const gemini = JSON.parse(encodeGemini("Hi", { ...options, stream: false }).body);
  const [thought, text] = gemini.candidates[0].content.parts;
  assert.equal(thought.thought, true);
  assert.ok(isMockSignature(thought.thoughtSignature, "Think."));
  assert.equal(text.text, "Hi");

  const chat = JSON.parse(encodeChat("Hi", { ...options, stream: false, inputTokens: 5e6 }).body);
  assert.equal(chat.choices[0].message.reasoning_content, "Think.");
  assert.equal(chat.usage.prompt_tokens, 5e6);
});

Deno.test("pickTool() calls the first offered name with its input, or nothing", () => {
  const body = { tools: [{ name: "Bash" }, { name: "Read" }] };
  const spec = { names: ["View", "Read"], input: (name: string) => ({ name }), mention: "a.png" };
  assert.deepEqual(pickTool("anthropic", body, spec, "c1"), {
    name: "Read",
    kind: "function",
    input: { name: "Read" },
    id: "c1",
    command: "a.png",
  });
  assert.equal(pickTool("anthropic", body, { ...spec, names: ["View"] }, "c1"), undefined);
});

Deno.test("history counts images of user turns and tool results on each wire", () => {
  const anthropic = historyFromAnthropic({
    messages: [
      { role: "user", content: [{ type: "text", text: "look" }, { type: "image", source: IMAGE }] },
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "Read", input: {} }] },
      {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "t1",
          content: [{ type: "image", source: IMAGE }],
        }],
      },
    ],
  });
  assert.equal(anthropic[0]?.images, 1);
  assert.deepEqual(anthropic[2]?.toolResults, [{ output: "", id: "t1", images: 1 }]);

  const responses = historyFromResponses({
    input: [
      {
        type: "message",
        role: "user",
        content: [{ type: "input_image", image_url: "data:image/png;base64,AA==" }],
      },
      { type: "function_call", call_id: "c", name: "view_image", arguments: "{}" },
      {
        type: "function_call_output",
        call_id: "c",
        output: [{ type: "input_image", image_url: "data:image/png;base64,AA==" }],
      },
    ],
  });
  assert.equal(responses[0]?.images, 1);
  assert.equal(responses[0]?.text, "");
  assert.equal(responses[2]?.toolResults[0]?.images, 1);

  const gemini = historyFromGemini({
    contents: [
      { role: "model", parts: [{ functionCall: { id: "f", name: "read_file", args: {} } }] },
      {
        role: "user",
        parts: [
          { functionResponse: { id: "f", name: "read_file", response: { output: "read" } } },
          { inlineData: { mimeType: "image/png", data: "AA==" } },
        ],
      },
    ],
  });
  assert.equal(gemini[1]?.toolResults[0]?.images, 1);
});

const TURNS: MessyTurn[] = [
  {
    key: "step one",
    replies: [{ text: "", shellCommands: ["false"] }, { text: "", shellCommands: ["ls"] }],
    final: { text: "done one" },
  },
];

function context(history: ScriptContext["history"]): ScriptContext {
  return { wire: "anthropic", history, body: {}, turnIndex: 0 };
}

Deno.test("messyReply() plays a step's replies in order, and answers a keyless prompt plainly", () => {
  const user = { role: "user" as const, text: "do step one", toolCalls: [], toolResults: [] };
  const call = (id: string) => ({
    role: "assistant" as const,
    text: "",
    toolCalls: [{ name: "Bash", input: {}, id }],
    toolResults: [],
  });
  const result = (id: string) => ({
    role: "tool" as const,
    text: "",
    toolCalls: [],
    toolResults: [{ output: "", id }],
  });
  assert.deepEqual(messyReply(TURNS, context([user])).shellCommands, ["false"]);
  assert.deepEqual(messyReply(TURNS, context([user, call("a"), result("a")])).shellCommands, [
    "ls",
  ]);
  const after = [user, call("a"), result("a"), call("b"), result("b")];
  assert.equal(messyReply(TURNS, context(after)).text, "done one");
  const probe = { ...user, text: "casr probe" };
  assert.equal(messyReply(TURNS, context([...after, probe])).text, "OK from mock #1");
});

Deno.test("expectedFromResume() keeps what the CLI sent before the probe, with images", () => {
  const history = historyFromAnthropic({
    messages: [
      {
        role: "user",
        content:
          "Summary intro.\n<system-reminder>tools</system-reminder>\nThe longer summary text.",
      },
      { role: "user", content: "<system-reminder>only a reminder</system-reminder>" },
      { role: "user", content: [{ type: "text", text: "see" }, { type: "image", source: IMAGE }] },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "call_1", name: "Read", input: { file_path: "/p.png" } }],
      },
      {
        role: "user",
        content: [
          {
            type: "tool_result",
            tool_use_id: "call_1",
            content: [{ type: "image", source: IMAGE }],
          },
        ],
      },
      {
        role: "assistant",
        content: [{ type: "tool_use", id: "call_2", name: "Bash", input: { command: "false" } }],
      },
      {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "call_2",
          content: "Exit code 1",
          is_error: true,
        }],
      },
      { role: "assistant", content: "ok" },
      { role: "user", content: "casr probe" },
    ],
  });
  const calls = [{
    name: "Read",
    kind: "function" as const,
    input: {},
    id: "call_1",
    command: "p.png",
  }];
  const expected = expectedFromResume(history, "casr probe", calls, ["Exit code 1"]);
  assert.deepEqual(expected, [
    { role: "user", text: "The longer summary text." },
    { role: "user", text: "see", images: 1 },
    { role: "assistant", text: "", toolCalls: [{ name: "Read", command: "p.png" }] },
    { role: "tool", text: "", images: 1 },
    { role: "assistant", text: "", toolCalls: [{ name: "Bash", command: "false" }] },
    { role: "tool", text: "Exit code 1", error: true },
    { role: "assistant", text: "ok" },
  ]);
  // The same history passes the matrix check; without the images it fails and says so.
  assert.deepEqual(checkResumedHistory(history, expected, "casr probe").problems, []);
  const stripped = history.map((turn) => ({
    ...turn,
    images: 0,
    toolResults: turn.toolResults.map((r) => ({ ...r, images: 0 })),
  }));
  const check = checkResumedHistory(stripped, expected, "casr probe");
  assert.equal(check.ok, false);
  assert.match(check.problems.join("\n"), /user turn "see" lost its image\(s\): 0 of 1/);
  assert.match(check.problems.join("\n"), /tool turn "" lost its image\(s\): 0 of 1/);
});

Deno.test("expectedFromResume() keeps the reasoning the CLI sent; the check wants it only where it is carried", () => {
  const history = historyFromChat({
    messages: [
      { role: "user", content: "go" },
      {
        role: "assistant",
        content: "Running.",
        reasoning_content: " A failing command first. ",
        tool_calls: [{
          id: "call_1",
          type: "function",
          function: { name: "sh", arguments: '{"command":"false"}' },
        }],
      },
      { role: "tool", tool_call_id: "call_1", content: "Exit code 1" },
      { role: "assistant", content: "ok" },
      { role: "user", content: "casr probe" },
    ],
  });
  const calls = [{
    name: "sh",
    kind: "function" as const,
    input: {},
    id: "call_1",
    command: "false",
  }];
  const expected = expectedFromResume(history, "casr probe", calls, ["Exit code 1"]);
  assert.deepEqual(expected[1], {
    role: "assistant",
    text: "Running.",
    toolCalls: [{ name: "sh", command: "false" }],
    reasoning: "A failing command first.",
  });
  assert.equal(expected[3]?.reasoning, undefined);
  const carries = { carriesReasoning: true };
  assert.deepEqual(checkResumedHistory(history, expected, "casr probe", carries).problems, []);
  const without = history.map(({ reasoning: _reasoning, ...turn }) => turn);
  assert.deepEqual(checkResumedHistory(without, expected, "casr probe").problems, []);
  assert.deepEqual(checkResumedHistory(without, expected, "casr probe", carries).problems, [
    'assistant turn "Running." lost its reasoning "A failing command first."',
  ]);
});

Deno.test("expectedFromResume() leaves out Kilo's <environment_details> block, however long", () => {
  const details = "<environment_details>\nMessage time: 2026-12-06T05:58:38Z\n" +
    "Working directory: /tmp/casr-fixture-project\n</environment_details>";
  const history = historyFromAnthropic({
    messages: [
      {
        role: "user",
        content: [{ type: "text", text: "step two" }, { type: "text", text: details }],
      },
      { role: "assistant", content: "done" },
      { role: "user", content: "casr probe" },
    ],
  });
  assert.deepEqual(expectedFromResume(history, "casr probe", [], []), [
    { role: "user", text: "step two" },
    { role: "assistant", text: "done" },
  ]);
});

Deno.test("expectedFromResume() leaves out OpenClaw's time envelope and runtime line", () => {
  const history = historyFromAnthropic({
    messages: [
      {
        role: "user",
        content: "[Sun 2026-12-06 06:10 UTC] step one\n\nRuntime: agent=main | session=x | host=vm",
      },
      { role: "assistant", content: "done" },
      {
        // A compaction summary: the runtime line is a text part of its own (openclaw 2026.9.6).
        role: "user",
        content: [
          { type: "text", text: "<summary>\nearlier\n</summary>" },
          { type: "text", text: "Runtime: agent=main | session=x | host=vm" },
        ],
      },
      { role: "assistant", content: "noted" },
      { role: "user", content: "[Sun 2026-12-06 06:11 UTC] casr probe" },
    ],
  });
  assert.deepEqual(expectedFromResume(history, "casr probe", [], []), [
    { role: "user", text: "step one" },
    { role: "assistant", text: "done" },
    { role: "user", text: "<summary>\nearlier\n</summary>" },
    { role: "assistant", text: "noted" },
  ]);
});

Deno.test("checkResumedHistory() accepts as many aborted results as the source had", () => {
  const history = historyFromResponses({
    input: [
      { type: "message", role: "user", content: "run it" },
      { type: "custom_tool_call", call_id: "c1", name: "exec", input: "tail -f /dev/null" },
      { type: "custom_tool_call_output", call_id: "c1", output: "aborted" },
      { type: "message", role: "user", content: "probe" },
    ],
  });
  const expected = [
    { role: "user" as const, text: "run it" },
    {
      role: "assistant" as const,
      text: "",
      toolCalls: [{ name: "exec", command: "tail -f /dev/null" }],
    },
    { role: "tool" as const, text: "aborted" },
  ];
  assert.deepEqual(checkResumedHistory(history, expected, "probe").problems, []);
  const [, , , ...source] = expected; // a source without the cut-off call
  const other = checkResumedHistory(history, [expected[0]!, ...source], "probe");
  assert.match(other.problems.join("\n"), /synthetic "aborted" result/);
});

Deno.test("historyFromChat() gives a tool result the images of Pi's carrier message", () => {
  const history = historyFromChat({
    messages: [
      { role: "user", content: "open it" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "r1", type: "function", function: { name: "read", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "r1", content: "Read image file [image/png]" },
      {
        role: "user",
        content: [
          { type: "text", text: "Attached image(s) from tool result:" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AA==" } },
        ],
      },
      { role: "assistant", content: "blue" },
      { role: "user", content: "probe" },
    ],
  });
  assert.deepEqual(expectedFromResume(history, "probe", [], []), [
    { role: "user", text: "open it" },
    { role: "assistant", text: "", toolCalls: [{ name: "read", command: "" }] },
    { role: "tool", text: "Read image file [image/png]", images: 1 },
    { role: "assistant", text: "blue" },
  ]);
});

Deno.test("checkResumedHistory() ignores blank lines between a turn's parts", () => {
  const history = historyFromGemini({
    contents: [
      {
        role: "user",
        parts: [
          { text: "@a.png look" },
          { text: "\n--- Content from referenced files ---" },
          { inlineData: { mimeType: "image/png", data: "AA==" } },
          { text: "\n--- End of content ---" },
        ],
      },
      { role: "model", parts: [{ text: "ok" }] },
      { role: "user", parts: [{ text: "probe" }] },
    ],
  });
  const expected = [{
    role: "user" as const,
    text: "@a.png look\n--- Content from referenced files ---\n--- End of content ---",
    images: 1,
  }];
  assert.deepEqual(checkResumedHistory(history, expected, "probe").problems, []);
});

Deno.test("a Codex compaction_trigger request gets one compaction item with a mock token", () => {
  const body = {
    input: [{ type: "message", role: "user", content: "hi" }, { type: "compaction_trigger" }],
  };
  const reply = messyReply(TURNS, { wire: "responses", history: [], body, turnIndex: 0 });
  assert.equal(reply.text, "");
  assert.equal(typeof reply.compaction, "string");
  const events = decodeSse(
    encodeResponses("", { model: "m", stream: true, idSuffix: "x", compaction: reply.compaction })
      .body,
  );
  const done = events.map((e) => e.data as { type: string; item?: Record<string, unknown> })
    .filter((e) => e.type === "response.output_item.done").map((e) => e.item);
  assert.equal(done.length, 1);
  assert.equal(done[0]?.type, "compaction");
  assert.ok(isMockSignature(done[0]?.encrypted_content, reply.compaction as string));
});
