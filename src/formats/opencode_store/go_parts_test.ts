import assert from "node:assert/strict";
import type { Warning } from "../../model/types.ts";
import { type GoMessageRow, goMessages } from "./go_parts.ts";

// Hand-made rows in the shapes of internal/message/message.go (Go OpenCode and Crush).

function row(id: string, role: string, parts: unknown, createdAt = 1751360000): GoMessageRow {
  return { id, role, parts: JSON.stringify(parts), createdAt, record: Number(id.slice(1)) };
}

Deno.test("goMessages() starts at the summary message as a user turn, as the agent sends it", () => {
  const warnings: Warning[] = [];
  const messages = goMessages(
    [
      row("m1", "user", [{ type: "text", data: { text: "old question" } }]),
      row("m2", "assistant", [{ type: "text", data: { text: "old answer" } }]),
      row("m3", "assistant", [{ type: "text", data: { text: "Summary: we fixed it." } }]),
      row("m4", "user", [{ type: "text", data: { text: "next" } }]),
    ],
    warnings,
    { source: "db", summaryMessageId: "m3" },
  );
  assert.deepEqual(messages.map((m) => [m.index, m.role, m.text]), [
    [0, "user", "Summary: we fixed it."],
    [1, "user", "next"],
  ]);
  assert.deepEqual(warnings.map((w) => w.code), ["compacted-history"]);
  assert.match(warnings[0]?.message ?? "", /2 messages before the summary/);
});

Deno.test("goMessages() reads Crush's extras: tool-result images, shell commands, text attachments", () => {
  const warnings: Warning[] = [];
  const note = btoa("remember the milk");
  const messages = goMessages(
    [
      row("m1", "user", [
        { type: "text", data: { text: "see notes" } },
        { type: "binary", data: { Path: "notes.txt", MIMEType: "text/plain", Data: note } },
        { type: "shell_command", data: { command: "ls", output: "a.txt", exit_code: 0 } },
        { type: "binary", data: { Path: "talk.mp3", MIMEType: "audio/mpeg", Data: "AAAA" } },
      ]),
      row("m2", "assistant", [
        { type: "reasoning", data: { thinking: "look", signature: "sig" } },
        { type: "tool_call", data: { id: "c1", name: "view", input: "not json", finished: true } },
      ]),
      row("m3", "tool", [{
        type: "tool_result",
        data: { tool_call_id: "c1", content: "", data: "iVBORw0KGgo=", mime_type: "image/png" },
      }]),
      row("m4", "user", [{ type: "image_url", data: { url: "data:image/jpeg;base64,/9j/" } }]),
    ],
    warnings,
    { source: "db" },
  );
  assert.equal(
    messages[0]?.text,
    "see notes\n[attached file: notes.txt]\nremember the milk\n$ ls\na.txt\n(exit code 0)\n" +
      "[attachment: talk.mp3 (audio/mpeg)]",
  );
  assert.deepEqual(warnings.map((w) => [w.code, w.line]), [["unknown-record", 1]]);
  assert.deepEqual(messages[1]?.toolCalls, [{ id: "c1", name: "view", input: "not json" }]);
  assert.deepEqual(messages[2]?.toolResults, [{
    callId: "c1",
    output: "",
    isError: false,
    name: "view",
    images: [{ mediaType: "image/png", data: "iVBORw0KGgo=" }],
  }]);
  assert.deepEqual(messages[3]?.images, [{ mediaType: "image/jpeg", data: "/9j/" }]);
});

Deno.test("goMessages() warns on bad rows and skips empty steps without failing", () => {
  const warnings: Warning[] = [];
  const messages = goMessages(
    [
      { id: "m1", role: "user", parts: "{not json", record: 1 },
      row("m2", "narrator", [{ type: "text", data: { text: "?" } }]),
      row("m3", "assistant", [{ type: "finish", data: { reason: "canceled", time: 1 } }]),
      row("m4", "user", [{ type: "tool_call", data: { name: "x" } }, { type: "text", data: 3 }]),
      row("m5", "system", [{ type: "text", data: { text: "be brief" } }], 1751360000123),
    ],
    warnings,
    { source: "db" },
  );
  assert.deepEqual(messages.map((m) => [m.role, m.text, m.timestamp]), [
    ["system", "be brief", 1751360000123],
  ]);
  assert.deepEqual(warnings.map((w) => [w.code, w.line]), [
    ["malformed-record", 1],
    ["unknown-record", 2],
    ["malformed-record", 4],
    ["malformed-record", 4],
    ["empty-message", 4],
  ]);
});
