import assert from "node:assert/strict";
import {
  assistantBlocks,
  blocksToPieces,
  messageToBlocks,
  sanitizeToolId,
  toolResultBlocks,
  toolResultText,
} from "./anthropic.ts";

Deno.test("blocksToPieces() reads a plain string as text", () => {
  const pieces = blocksToPieces("What is 2+2?");
  assert.equal(pieces.text, "What is 2+2?");
  assert.deepEqual(pieces.toolCalls, []);
  assert.deepEqual(pieces.toolResults, []);
});

Deno.test("blocksToPieces() splits text, thinking, tool_use and ignores the rest", () => {
  const pieces = blocksToPieces([
    { type: "thinking", thinking: "first", signature: "sig" },
    { type: "redacted_thinking", data: "xxx" },
    { type: "text", text: "a" },
    { type: "text", text: "" },
    { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { q: "x" } },
    { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [] },
    { type: "text", text: "b" },
    { type: "tool_use", id: "toolu_1", name: "Read", input: { file_path: "/x" } },
    { type: "tool_use", id: "toolu_2", name: "Bash", input: { command: "ls" } },
    null,
    42,
  ]);
  assert.equal(pieces.text, "a\nb");
  assert.equal(pieces.reasoning, "first");
  assert.deepEqual(pieces.toolCalls.map((c) => [c.id, c.name, c.input]), [
    ["toolu_1", "Read", { file_path: "/x" }],
    ["toolu_2", "Bash", { command: "ls" }],
  ]);
});

Deno.test("blocksToPieces() reads tool_result blocks with string and block content", () => {
  const pieces = blocksToPieces([
    { type: "tool_result", tool_use_id: "toolu_1", content: "main.rs\nlib.rs", is_error: false },
    {
      type: "tool_result",
      tool_use_id: "toolu_2",
      content: [{ type: "text", text: "boom" }, {
        type: "image",
        source: { type: "base64", media_type: "image/png", data: "AA==" },
      }],
      is_error: true,
    },
    { type: "tool_result", tool_use_id: "toolu_3" },
  ]);
  assert.deepEqual(pieces.toolResults, [
    { callId: "toolu_1", output: "main.rs\nlib.rs", isError: false },
    { callId: "toolu_2", output: "boom\n[image]", isError: true },
    { callId: "toolu_3", output: "", isError: false },
  ]);
  assert.equal(pieces.text, "");
});

Deno.test("blocksToPieces() stands images and documents in with placeholders", () => {
  const pieces = blocksToPieces([
    { type: "image", source: { type: "base64", media_type: "image/png", data: "AA==" } },
    { type: "text", text: "What is this?" },
    { type: "document", source: { type: "text", data: "..." } },
  ]);
  assert.equal(pieces.text, "[image]\nWhat is this?\n[document]");
  assert.equal(pieces.images, 1);
});

Deno.test("blocksToPieces() with images: true keeps images as images, in results too", () => {
  const pieces = blocksToPieces([
    { type: "text", text: "What is this?" },
    { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "AA==" } },
    { type: "image", source: { type: "url", url: "https://example.com/a.webp" } },
    {
      type: "tool_result",
      tool_use_id: "toolu_9",
      content: [
        { type: "text", text: "Read image" },
        { type: "image", source: { type: "base64", media_type: "image/png", data: "BB==" } },
      ],
    },
  ], { images: true });
  assert.equal(pieces.text, "What is this?");
  assert.deepEqual(pieces.imageContents, [
    { mediaType: "image/jpeg", data: "AA==" },
    { mediaType: "image/webp", source: "https://example.com/a.webp" },
  ]);
  assert.deepEqual(pieces.toolResults, [{
    callId: "toolu_9",
    output: "Read image",
    isError: false,
    images: [{ mediaType: "image/png", data: "BB==" }],
  }]);
});

Deno.test("blocksToPieces() returns empty pieces for non-content values", () => {
  for (const value of [undefined, null, 3, { text: "x" }]) {
    const pieces = blocksToPieces(value);
    assert.equal(pieces.text, "");
    assert.equal(pieces.toolCalls.length, 0);
  }
});

Deno.test("toolResultText() flattens nested values", () => {
  assert.equal(toolResultText(undefined), "");
  assert.equal(toolResultText([{ type: "text", text: "x" }, "y"]), "x\ny");
});

Deno.test("sanitizeToolId() keeps safe ids and maps unsafe ones stably", () => {
  const map = new Map<string, string>();
  assert.equal(sanitizeToolId("toolu_01AbC-9", map), "toolu_01AbC-9");
  assert.equal(sanitizeToolId("call.1/x", map), "call_1_x");
  assert.equal(sanitizeToolId("call 1?x", map), "call_1_x-2");
  assert.equal(sanitizeToolId("call:1:x", map), "call_1_x-3");
  assert.equal(sanitizeToolId("call.1/x", map), "call_1_x");
  assert.equal(sanitizeToolId("", map), "toolu_casr");
  assert.equal(sanitizeToolId("ツール", map), "___");
  for (const safe of map.values()) assert.match(safe, /^[A-Za-z0-9_-]+$/);
  assert.equal(new Set(map.values()).size, map.size);
});

Deno.test("sanitizeToolId() does not let a later safe id steal an earlier mapping", () => {
  const map = new Map<string, string>();
  assert.equal(sanitizeToolId("a.b", map), "a_b");
  // "a_b" is already taken by "a.b", so the literal "a_b" must get a suffix.
  assert.equal(sanitizeToolId("a_b", map), "a_b-2");
});

Deno.test("sanitizeToolId() never yields <other id>_<digits> (Claude Code batch-part ids)", () => {
  const map = new Map<string, string>();
  assert.equal(sanitizeToolId("call_1", map), "call_1");
  assert.equal(sanitizeToolId("call_1_2", map), "call_1_2-2");
  const reverse = new Map<string, string>();
  assert.equal(sanitizeToolId("x_0", reverse), "x_0");
  assert.equal(sanitizeToolId("x", reverse), "x-2");
  assert.equal(sanitizeToolId("x_y", reverse), "x_y");
  const safe = [...map.values(), ...reverse.values()];
  for (const id of safe) {
    const base = /^(.*)_\d+$/.exec(id)?.[1];
    assert.ok(base === undefined || !safe.includes(base), id);
  }
});

Deno.test("assistantBlocks() writes text then tool_use with object inputs", () => {
  const idMap = new Map<string, string>();
  const blocks = assistantBlocks({
    text: "",
    toolCalls: [
      { id: "call_1", name: "shell", input: { command: ["ls"] } },
      { id: "call@2", name: "apply_patch", input: "*** Begin Patch" },
      { id: "call_3", name: "x", input: [1, 2] },
    ],
  }, { idMap });
  assert.deepEqual(blocks, [
    { type: "tool_use", id: "call_1", name: "shell", input: { command: ["ls"] } },
    { type: "tool_use", id: "call_2", name: "apply_patch", input: { input: "*** Begin Patch" } },
    { type: "tool_use", id: "call_3", name: "x", input: { input: [1, 2] } },
  ]);
  const results = toolResultBlocks([{ callId: "call@2", output: "done", isError: true }], {
    idMap,
  });
  assert.deepEqual(results, [
    { type: "tool_result", tool_use_id: "call_2", content: "done", is_error: true },
  ]);
});

Deno.test("messageToBlocks() follows the role and skips system messages", () => {
  const idMap = new Map<string, string>();
  const base = { text: "", toolCalls: [], toolResults: [] };
  assert.deepEqual(messageToBlocks({ ...base, role: "user", text: "hi" }, { idMap }), [
    { type: "text", text: "hi" },
  ]);
  assert.deepEqual(messageToBlocks({ ...base, role: "system", text: "rules" }, { idMap }), []);
  assert.deepEqual(messageToBlocks({ ...base, role: "other", text: "info" }, { idMap }), []);
  assert.deepEqual(
    messageToBlocks({
      ...base,
      role: "tool",
      text: "note",
      toolResults: [{ callId: "c", output: "o", isError: false }],
    }, { idMap }),
    [
      { type: "tool_result", tool_use_id: "c", content: "o", is_error: false },
      { type: "text", text: "note" },
    ],
  );
});

Deno.test("assistantBlocks() round-trips through blocksToPieces()", () => {
  const idMap = new Map<string, string>();
  const calls = [{ id: "toolu_9", name: "Edit", input: { file_path: "/a", old: "é", new: "😀" } }];
  const pieces = blocksToPieces(assistantBlocks({ text: "**done**", toolCalls: calls }, { idMap }));
  assert.equal(pieces.text, "**done**");
  assert.deepEqual(pieces.toolCalls, calls);
});

Deno.test("blocksToPieces() names a tool_use block that has no name 'unknown', as model APIs need a name", () => {
  // Hand-made, as a public Amp fixture (yigitkonur/cli-continues) has one: no id, no name.
  const pieces = blocksToPieces([{ type: "tool_use", text: "ran something" }, {
    type: "tool_use",
    id: "t",
    name: "",
    input: { a: 1 },
  }]);
  assert.deepEqual(pieces.toolCalls, [
    { id: "", name: "unknown", input: {} },
    { id: "t", name: "unknown", input: { a: 1 } },
  ]);
});
