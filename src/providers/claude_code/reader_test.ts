import assert from "node:assert/strict";
import { readClaudeSession } from "./reader.ts";

import { DOC_EXAMPLE, SID, withFile } from "./testdata/with_file.ts";

/** A hand-made Claude Code record in `/w` with the given uuid, parent and fields. */
function r(
  uuid: string,
  parentUuid: string | null,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    uuid,
    parentUuid,
    sessionId: SID,
    cwd: "/w",
    timestamp: "2026-08-20T10:00:00.000Z",
    ...extra,
  };
}

Deno.test("readClaudeSession() reads the provider doc's example records", async () => {
  await withFile(DOC_EXAMPLE, async (file) => {
    const { session, warnings } = await readClaudeSession(file);
    assert.deepEqual(warnings, []);
    assert.equal(session.id, SID);
    assert.equal(session.provider, "claude-code");
    assert.equal(session.workspace, "/home/dev/proj");
    assert.equal(session.title, "List src files (imported from Codex)");
    assert.equal(session.model, "claude-sonnet-4-5");
    assert.equal(session.sourcePath, file);
    assert.equal(session.metadata.version, "2.1.240");
    assert.equal(session.metadata.gitBranch, "main");
    assert.deepEqual(session.messages.map((m) => [m.index, m.role, m.text]), [
      [0, "user", "List the files in src"],
      [1, "assistant", ""],
      [2, "tool", ""],
      [3, "assistant", "src contains main.rs and lib.rs."],
    ]);
    assert.deepEqual(session.messages[1]?.toolCalls, [
      { id: "toolu_01AAA", name: "Bash", input: { command: "ls src", description: "List src" } },
    ]);
    assert.deepEqual(session.messages[2]?.toolResults, [
      { callId: "toolu_01AAA", output: "main.rs\nlib.rs", isError: false },
    ]);
    assert.equal(session.messages[0]?.timestamp, Date.parse("2026-08-20T14:03:11.482Z"));
    assert.equal(session.startedAt, Date.parse("2026-08-20T14:03:11.482Z"));
    assert.equal(session.endedAt, Date.parse("2026-08-20T14:03:15.001Z"));
    assert.equal(session.messages[3]?.author, "claude-sonnet-4-5");
  });
});

// Hand-made in the shape claude 2.1.331 wrote for "run two commands" (observed 2026-12 against
// a mock): queue operations, attachments on the chain, one assistant record per content block
// sharing message.id, the first parallel result hanging off its own tool_use record, and many
// bookkeeping record types.
const V331 = (() => {
  const base = (extra: Record<string, unknown>) => ({
    isSidechain: false,
    userType: "external",
    entrypoint: "sdk-cli",
    cwd: "/tmp/ws/proj",
    sessionId: SID,
    version: "2.1.331",
    gitBranch: "HEAD",
    ...extra,
  });
  const reply = (id: string, block: unknown, stop: string) => ({
    id,
    type: "message",
    role: "assistant",
    model: "claude-opus-5-5",
    content: [block],
    stop_reason: stop,
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
  });
  return [
    {
      type: "queue-operation",
      operation: "enqueue",
      timestamp: "2026-12-01T20:13:19.892Z",
      sessionId: SID,
      content: "Please run",
    },
    {
      type: "queue-operation",
      operation: "dequeue",
      timestamp: "2026-12-01T20:13:19.894Z",
      sessionId: SID,
    },
    base({
      parentUuid: null,
      promptId: "p1",
      type: "user",
      message: { role: "user", content: "Please run two commands" },
      uuid: "u1",
      timestamp: "2026-12-01T20:13:19.942Z",
      permissionMode: "default",
    }),
    base({
      parentUuid: "u1",
      attachment: { type: "environment" },
      type: "attachment",
      uuid: "at1",
      timestamp: "2026-12-01T20:13:19.941Z",
      rendered: [{ content: "<system-reminder>env</system-reminder>" }],
      renderedRole: "system",
    }),
    { type: "atis-latch", atis: "", sessionId: SID },
    {
      type: "api-request-shape",
      sessionId: SID,
      shapeHash: "x",
      timestamp: "2026-12-01T20:13:19.990Z",
      version: "2.1.331",
      shape: {},
    },
    { type: "api-request-blob", sessionId: SID, content: [{ type: "text", text: "blob" }] },
    {
      type: "api-request",
      sessionId: SID,
      id: "r1",
      timestamp: "2026-12-01T20:13:19.995Z",
      params: { model: "claude-opus-5-5" },
    },
    { type: "tools-used", tools: ["Bash"], sessionId: SID },
    base({
      parentUuid: "at1",
      message: reply("msg_1", { type: "text", text: "Running two commands." }, "tool_use"),
      type: "assistant",
      uuid: "a1",
      timestamp: "2026-12-01T20:13:20.029Z",
    }),
    base({
      parentUuid: "a1",
      message: reply("msg_1", {
        type: "tool_use",
        id: "toolu_a",
        name: "Bash",
        input: { command: "echo hello" },
      }, "tool_use"),
      type: "assistant",
      uuid: "a2",
      timestamp: "2026-12-01T20:13:20.033Z",
    }),
    base({
      parentUuid: "a2",
      message: reply("msg_1", {
        type: "tool_use",
        id: "toolu_b",
        name: "Bash",
        input: { command: "echo world" },
      }, "tool_use"),
      type: "assistant",
      uuid: "a3",
      timestamp: "2026-12-01T20:13:20.065Z",
    }),
    { type: "last-prompt", lastPrompt: "Please run two commands", leafUuid: "a3", sessionId: SID },
    base({
      parentUuid: "a2",
      type: "user",
      message: {
        role: "user",
        content: [{
          tool_use_id: "toolu_a",
          type: "tool_result",
          content: "hello",
          is_error: false,
        }],
      },
      uuid: "r1",
      timestamp: "2026-12-01T20:13:20.111Z",
      toolUseResult: { stdout: "hello" },
      sourceToolAssistantUUID: "a2",
    }),
    base({
      parentUuid: "a3",
      type: "user",
      message: {
        role: "user",
        content: [{
          tool_use_id: "toolu_b",
          type: "tool_result",
          content: "world",
          is_error: false,
        }],
      },
      uuid: "r2",
      timestamp: "2026-12-01T20:13:20.116Z",
      toolUseResult: { stdout: "world" },
      sourceToolAssistantUUID: "a3",
    }),
    base({
      parentUuid: "r2",
      attachment: { type: "todo" },
      type: "attachment",
      uuid: "at2",
      timestamp: "2026-12-01T20:13:20.120Z",
    }),
    base({
      parentUuid: "at2",
      message: reply("msg_2", { type: "text", text: "Both commands ran." }, "end_turn"),
      type: "assistant",
      uuid: "a4",
      timestamp: "2026-12-01T20:13:20.135Z",
    }),
    { type: "cost-state", sessionId: SID, totalCostUSD: 0 },
    { type: "mode", mode: "default", sessionId: SID },
  ];
})();

Deno.test("readClaudeSession() reads a 2.1.331-shaped transcript: merges blocks, recovers parallel results", async () => {
  await withFile(V331, async (file) => {
    const { session, warnings } = await readClaudeSession(file);
    assert.deepEqual(warnings, []);
    assert.deepEqual(session.messages.map((m) => [m.role, m.text]), [
      ["user", "Please run two commands"],
      ["assistant", "Running two commands."],
      ["tool", ""],
      ["assistant", "Both commands ran."],
    ]);
    assert.deepEqual(session.messages[1]?.toolCalls.map((c) => [c.id, c.input]), [
      ["toolu_a", { command: "echo hello" }],
      ["toolu_b", { command: "echo world" }],
    ]);
    assert.deepEqual(session.messages[2]?.toolResults.map((r) => [r.callId, r.output]), [
      ["toolu_a", "hello"],
      ["toolu_b", "world"],
    ]);
    assert.equal((session.messages[1]?.extra as unknown[]).length, 3);
    assert.equal(session.messages[1]?.timestamp, Date.parse("2026-12-01T20:13:20.029Z"));
    assert.equal(session.workspace, "/tmp/ws/proj");
    assert.equal(session.title, "Please run two commands");
    assert.equal(session.metadata.version, "2.1.331");
    assert.equal(session.metadata.entrypoint, "sdk-cli");
    assert.equal(session.metadata.leafUuid, "a4");
  });
});

// Hand-made: a local command (`/model`) as Claude Code stores it: the isMeta caveat, the command
// wrapper and its stdout. Claude Code 2.1.331 sends all three to its model on resume (seen against a
// mock, 2026-12), so they stay user text; system records are never sent.
Deno.test("readClaudeSession() keeps a local command's caveat, command line and output as one user turn", async () => {
  await withFile([
    r("1", null, {
      type: "user",
      isMeta: true,
      message: {
        role: "user",
        content:
          "Caveat: the messages below were generated by the user while running local commands.",
      },
    }),
    r("2", "1", {
      type: "user",
      message: {
        role: "user",
        content: "<command-name>/model</command-name>\n<command-message>model</command-message>",
      },
    }),
    r("3", "2", {
      type: "user",
      message: {
        role: "user",
        content: "<local-command-stdout>Set model to opus</local-command-stdout>",
      },
    }),
    r("4", "3", { type: "system", subtype: "informational", content: "Hook ran", level: "info" }),
    r("5", "4", {
      type: "user",
      message: { role: "user", content: [{ type: "text", text: "Real question" }] },
    }),
    r("6", "5", {
      type: "assistant",
      isApiErrorMessage: true,
      message: {
        id: "e",
        model: "<synthetic>",
        role: "assistant",
        content: [{ type: "text", text: "API Error: 500" }],
      },
    }),
  ], async (file) => {
    const { session } = await readClaudeSession(file);
    assert.deepEqual(session.messages.map((m) => [m.role, m.text]), [
      [
        "user",
        "Caveat: the messages below were generated by the user while running local commands." +
        "\n\n/model\n\n<local-command-stdout>Set model to opus</local-command-stdout>",
      ],
      ["system", "Hook ran"],
      ["user", "Real question"],
      ["other", "API Error: 500"],
    ]);
    assert.equal(session.title, "Real question");
    assert.equal(session.model, undefined);
  });
});

Deno.test("readClaudeSession() keeps post-compaction content and marks the compact summary", async () => {
  await withFile([
    r("1", null, { type: "user", message: { role: "user", content: "old prompt" } }),
    r("2", "1", {
      type: "assistant",
      message: { id: "m1", role: "assistant", content: [{ type: "text", text: "old answer" }] },
    }),
    r("b", null, {
      type: "system",
      subtype: "compact_boundary",
      content: "Conversation compacted",
      logicalParentUuid: "2",
      compactMetadata: { trigger: "auto", preTokens: 155000 },
    }),
    r("s", "b", {
      type: "user",
      isCompactSummary: true,
      isVisibleInTranscriptOnly: true,
      message: {
        role: "user",
        content:
          "This session is being continued from a previous conversation that ran out of context. Summary: listed files.",
      },
    }),
    r("3", "s", { type: "user", message: { role: "user", content: "new prompt" } }),
    r("4", "3", {
      type: "assistant",
      message: { id: "m2", role: "assistant", content: [{ type: "text", text: "new answer" }] },
    }),
  ], async (file) => {
    const { session, warnings } = await readClaudeSession(file);
    assert.deepEqual(warnings.map((w) => w.code), ["compacted-history"]);
    assert.match(
      warnings[0]!.message,
      /^Left out 2 user or assistant records of .* before its last compaction/,
    );
    assert.deepEqual(session.messages.map((m) => [m.role, m.text.slice(0, 30)]), [
      ["system", "Conversation compacted"],
      ["user", "This session is being continue"],
      ["user", "new prompt"],
      ["assistant", "new answer"],
    ]);
    assert.deepEqual(session.metadata.compaction, { boundaries: 1, summaryMessageIndexes: [1] });
    // The file's first prompt, as list and Claude Code's picker label it.
    assert.equal(session.title, "old prompt");
    assert.equal(session.metadata.offChainRecords, 2);
  });
});
