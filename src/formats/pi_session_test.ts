import assert from "node:assert/strict";
import {
  canonicalToPiEntries,
  migratePiEntries,
  PI_COMPACTION_SUMMARY_PREFIX,
  piEntriesToConversation,
  type PiRawEntry,
} from "./pi_session.ts";
import type { Message } from "../model/types.ts";

function raw(values: unknown[]): PiRawEntry[] {
  return values.map((value, i) => ({ value, line: i + 1 }));
}

const USAGE = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0 };

Deno.test("piEntriesToConversation() follows the active branch and pairs tool results", () => {
  const { entries, warnings } = migratePiEntries(raw([
    { type: "session", version: 3, id: "s1", cwd: "/p" },
    { type: "model_change", id: "m0", parentId: null, provider: "mock", modelId: "mock-model" },
    {
      type: "message",
      id: "u1",
      parentId: "m0",
      message: { role: "user", content: "hi", timestamp: 1000 },
    },
    {
      type: "message",
      id: "a1",
      parentId: "u1",
      message: {
        role: "assistant",
        content: [{ type: "text", text: "old" }],
        usage: USAGE,
        stopReason: "stop",
        timestamp: 2000,
      },
    },
    {
      type: "message",
      id: "a2",
      parentId: "u1",
      message: {
        role: "assistant",
        content: [
          { type: "thinking", thinking: "hmm" },
          { type: "toolCall", id: "c1", name: "bash", arguments: { command: "ls" } },
          { type: "toolCall", id: "c2", name: "read", arguments: { path: "a" } },
        ],
        model: "mock-model",
        provider: "mock",
        usage: USAGE,
        stopReason: "toolUse",
        timestamp: 3000,
      },
    },
    {
      type: "message",
      id: "r1",
      parentId: "a2",
      message: {
        role: "toolResult",
        toolCallId: "c1",
        toolName: "bash",
        content: [{ type: "text", text: "x" }],
        isError: false,
      },
    },
    {
      type: "message",
      id: "r2",
      parentId: "r1",
      message: {
        role: "toolResult",
        toolCallId: "c2",
        toolName: "read",
        content: [{ type: "text", text: "y" }],
        isError: true,
      },
    },
    { type: "session_info", id: "n1", parentId: "r2", name: "Named" },
  ]));
  assert.deepEqual(warnings, []);
  const conv = piEntriesToConversation(entries);
  assert.deepEqual(conv.messages.map((m) => m.role), ["user", "assistant", "tool"]);
  assert.equal(conv.messages[1]?.reasoning, "hmm");
  assert.deepEqual(conv.messages[2]?.toolResults.map((r) => [r.callId, r.isError]), [
    ["c1", false],
    ["c2", true],
  ]);
  assert.equal(conv.title, "Named");
  assert.equal(conv.model, "mock-model");
  assert.ok(conv.warnings.some((w) => w.code === "side-branch"));
});

Deno.test("migratePiEntries() links version 1 entries and piEntriesToConversation() applies compaction", () => {
  const { entries } = migratePiEntries(raw([
    { type: "session", id: "s1", cwd: "/p" },
    { type: "message", message: { role: "user", content: "one", timestamp: 1 } },
    { type: "message", message: { role: "user", content: "two", timestamp: 2 } },
    { type: "compaction", summary: "S", firstKeptEntryIndex: 2, tokensBefore: 9 },
    { type: "message", message: { role: "hookMessage", content: "ext", timestamp: 4 } },
  ]));
  assert.equal(entries[1]?.parentId, entries[0]?.id);
  const conv = piEntriesToConversation(entries);
  assert.deepEqual(conv.messages.map((m) => m.text), [
    `${PI_COMPACTION_SUMMARY_PREFIX}S\n</summary>`,
    "two",
    "ext",
  ]);
  assert.deepEqual(conv.messages.map((m) => m.role), ["user", "user", "system"]);
});

const T = 1_767_000_000_000;

Deno.test("canonicalToPiEntries() writes a linked chain that reads back the same", () => {
  const messages: Message[] = [
    {
      index: 0,
      role: "user",
      text: "héllo ✓",
      toolCalls: [],
      toolResults: [],
      timestamp: T + 1000,
    },
    {
      index: 1,
      role: "assistant",
      text: "",
      toolCalls: [{ id: "c1", name: "bash", input: { command: "ls" } }],
      toolResults: [],
      timestamp: T + 2000,
    },
    {
      index: 2,
      role: "tool",
      text: "",
      toolCalls: [],
      toolResults: [{ callId: "c1", output: "a\nb", isError: false }],
      timestamp: T + 3000,
    },
    {
      index: 3,
      role: "assistant",
      text: "**done**",
      toolCalls: [],
      toolResults: [],
      timestamp: T + 4000,
    },
  ];
  const { entries } = canonicalToPiEntries(messages, { now: T + 5000, title: "T" });
  assert.equal(entries[0]?.type, "model_change");
  assert.equal(entries[0]?.parentId, null);
  for (let i = 1; i < entries.length; i++) assert.equal(entries[i]?.parentId, entries[i - 1]?.id);
  const conv = piEntriesToConversation(entries);
  assert.deepEqual(conv.messages.map((m) => [m.role, m.text, m.timestamp]), [
    ["user", "héllo ✓", T + 1000],
    ["assistant", "", T + 2000],
    ["tool", "", T + 3000],
    ["assistant", "**done**", T + 4000],
  ]);
  assert.equal(conv.messages[2]?.toolResults[0]?.name, "bash");
  assert.equal(conv.title, "T");
});
