import assert from "node:assert/strict";
import * as path from "node:path";
import { CasrError } from "../../errors.ts";
import { readClaudeSession } from "./reader.ts";
import { tempDir } from "../../../tests/fixture_home.ts";

const SID = "6f1c2b7e-3a0d-4c1e-9b8f-2d4e5a6b7c8d";

async function withFile(
  lines: (Record<string, unknown> | string)[],
  fn: (file: string) => Promise<void>,
  name = `${SID}.jsonl`,
): Promise<void> {
  await using dirTmp = await tempDir({ prefix: "casr-cc-reader-" });
  const dir = dirTmp.path;
  const file = path.join(dir, name);
  const text = lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n");
  await Deno.writeTextFile(file, text === "" ? "" : text + "\n");
  await fn(file);
}

// The example records of the provider doc (§4), verbatim.
const DOC_EXAMPLE = [
  `{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/home/dev/proj","sessionId":"${SID}","version":"2.1.240","gitBranch":"main","type":"user","message":{"role":"user","content":"List the files in src"},"uuid":"0b8e1f7a-1111-4a2b-8c3d-000000000001","timestamp":"2026-08-20T14:03:11.482Z"}`,
  `{"parentUuid":"0b8e1f7a-1111-4a2b-8c3d-000000000001","isSidechain":false,"userType":"external","cwd":"/home/dev/proj","sessionId":"${SID}","version":"2.1.240","gitBranch":"main","type":"assistant","requestId":"req_01ABC","message":{"id":"msg_01XYZ","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"tool_use","id":"toolu_01AAA","name":"Bash","input":{"command":"ls src","description":"List src"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":30,"cache_creation_input_tokens":0,"cache_read_input_tokens":4000}},"uuid":"0b8e1f7a-1111-4a2b-8c3d-000000000002","timestamp":"2026-08-20T14:03:13.010Z"}`,
  `{"parentUuid":"0b8e1f7a-1111-4a2b-8c3d-000000000002","isSidechain":false,"userType":"external","cwd":"/home/dev/proj","sessionId":"${SID}","version":"2.1.240","gitBranch":"main","type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01AAA","content":"main.rs\\nlib.rs","is_error":false}]},"toolUseResult":{"stdout":"main.rs\\nlib.rs","stderr":"","interrupted":false},"uuid":"0b8e1f7a-1111-4a2b-8c3d-000000000003","timestamp":"2026-08-20T14:03:13.400Z"}`,
  `{"parentUuid":"0b8e1f7a-1111-4a2b-8c3d-000000000003","isSidechain":false,"userType":"external","cwd":"/home/dev/proj","sessionId":"${SID}","version":"2.1.240","gitBranch":"main","type":"assistant","message":{"id":"msg_01XZ2","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"src contains main.rs and lib.rs."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":40,"output_tokens":12}},"uuid":"0b8e1f7a-1111-4a2b-8c3d-000000000004","timestamp":"2026-08-20T14:03:15.001Z"}`,
  `{"type":"custom-title","customTitle":"List src files (imported from Codex)","sessionId":"${SID}","uuid":"0b8e1f7a-1111-4a2b-8c3d-0000000000ff","timestamp":"2026-08-20T14:03:15.100Z"}`,
  `{"type":"tag","tag":"imported","sessionId":"${SID}"}`,
];

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
  const r = (uuid: string, parentUuid: string | null, extra: Record<string, unknown>) => ({
    uuid,
    parentUuid,
    sessionId: SID,
    cwd: "/w",
    timestamp: "2026-08-20T10:00:00.000Z",
    ...extra,
  });
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
  const r = (uuid: string, parentUuid: string | null, extra: Record<string, unknown>) => ({
    uuid,
    parentUuid,
    sessionId: SID,
    cwd: "/w",
    timestamp: "2026-08-20T10:00:00.000Z",
    ...extra,
  });
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
    const { session } = await readClaudeSession(file);
    assert.deepEqual(session.messages.map((m) => [m.role, m.text.slice(0, 30)]), [
      ["system", "Conversation compacted"],
      ["user", "This session is being continue"],
      ["user", "new prompt"],
      ["assistant", "new answer"],
    ]);
    assert.deepEqual(session.metadata.compaction, { boundaries: 1, summaryMessageIndexes: [1] });
    assert.equal(session.title, "new prompt");
    assert.equal(session.metadata.offChainRecords, 2);
  });
});

Deno.test("readClaudeSession() warns on a malformed line with its number and reads the rest", async () => {
  const lines = [...DOC_EXAMPLE];
  lines.splice(2, 0, '{"type":"user","message":{');
  await withFile(lines, async (file) => {
    const { session, warnings } = await readClaudeSession(file);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.code, "malformed-line");
    assert.equal(warnings[0]?.line, 3);
    assert.equal(session.messages.length, 4);
  });
});

Deno.test("readClaudeSession() fails with parse-failed on an empty or metadata-only file", async () => {
  await withFile([], async (file) => {
    await assert.rejects(readClaudeSession(file), (e: unknown) => {
      assert.ok(e instanceof CasrError);
      assert.equal(e.code, "parse-failed");
      assert.match(e.message, /file is empty/);
      return true;
    });
  });
  await withFile(
    [{ type: "custom-title", customTitle: "x", sessionId: SID }, "not json"],
    async (file) => {
      await assert.rejects(
        readClaudeSession(file),
        (e: unknown) => e instanceof CasrError && e.code === "parse-failed",
      );
    },
  );
});

Deno.test("readClaudeSession() reads the minimal unchained file in file order, with a warning", async () => {
  await withFile([
    { type: "user", message: { role: "user", content: "What is 2+2?" } },
    { type: "assistant", message: { role: "assistant", content: [{ type: "text", text: "4" }] } },
  ], async (file) => {
    const { session, warnings } = await readClaudeSession(file);
    assert.deepEqual(session.messages.map((m) => [m.role, m.text]), [["user", "What is 2+2?"], [
      "assistant",
      "4",
    ]]);
    assert.deepEqual(warnings.map((w) => w.code), ["unchained-transcript"]);
    assert.equal(session.metadata.chain, "file-order");
  });
});

Deno.test("readClaudeSession() keeps thinking as reasoning and dedupes repeated streaming snapshots", async () => {
  const msg = (content: unknown[]) => ({
    id: "msg_x",
    role: "assistant",
    model: "claude-opus-4-1",
    content,
  });
  await withFile([
    { type: "user", uuid: "u", parentUuid: null, message: { role: "user", content: "think" } },
    {
      type: "assistant",
      uuid: "a1",
      parentUuid: "u",
      message: msg([{ type: "thinking", thinking: "Let me see.", signature: "s" }]),
    },
    {
      type: "assistant",
      uuid: "a2",
      parentUuid: "a1",
      message: msg([{ type: "text", text: "Answer" }]),
    },
    {
      type: "assistant",
      uuid: "a3",
      parentUuid: "a2",
      message: msg([{ type: "text", text: "Answer" }]),
    },
    {
      type: "assistant",
      uuid: "a4",
      parentUuid: "a3",
      message: { ...msg([{ type: "text", text: "Again" }]), id: "msg_y" },
    },
  ], async (file) => {
    const { session } = await readClaudeSession(file);
    assert.deepEqual(session.messages.map((m) => [m.role, m.text, m.reasoning]), [
      ["user", "think", undefined],
      ["assistant", "Answer", "Let me see."],
      ["assistant", "Again", undefined],
    ]);
  });
});

Deno.test("readClaudeSession() splits a tool_result record that also carries text", async () => {
  await withFile([
    { type: "user", uuid: "u", parentUuid: null, message: { role: "user", content: "go" } },
    {
      type: "assistant",
      uuid: "a",
      parentUuid: "u",
      message: {
        id: "m",
        content: [{ type: "tool_use", id: "t1", name: "Read", input: { file_path: "/x" } }],
      },
    },
    {
      type: "user",
      uuid: "r",
      parentUuid: "a",
      message: {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "t1",
          content: [{ type: "text", text: "denied" }],
          is_error: true,
        }, { type: "text", text: "[Request interrupted by user for tool use]" }],
      },
    },
  ], async (file) => {
    const { session } = await readClaudeSession(file);
    assert.deepEqual(session.messages.map((m) => m.role), ["user", "assistant", "tool", "user"]);
    assert.deepEqual(session.messages[2]?.toolResults, [{
      callId: "t1",
      output: "denied",
      isError: true,
    }]);
    assert.equal(session.messages[3]?.text, "[Request interrupted by user for tool use]");
  });
});

Deno.test("readClaudeSession() picks the title: custom-title, then ai-title, then summary, then the first prompt", async () => {
  const convo = [
    {
      type: "user",
      uuid: "u",
      parentUuid: null,
      message: { role: "user", content: "x".repeat(100) + "\nsecond line" },
    },
    {
      type: "assistant",
      uuid: "a",
      parentUuid: "u",
      message: { id: "m", content: [{ type: "text", text: "ok" }] },
    },
  ];
  await withFile([...convo], async (file) => {
    const title = (await readClaudeSession(file)).session.title ?? "";
    assert.equal(title.length, 80);
    assert.ok(title.endsWith("…"));
  });
  await withFile([{ type: "summary", summary: "S", leafUuid: "a" }, ...convo], async (file) => {
    assert.equal((await readClaudeSession(file)).session.title, "S");
  });
  await withFile(
    [...convo, { type: "ai-title", aiTitle: "AI" }, { type: "summary", summary: "S" }],
    async (file) => {
      assert.equal((await readClaudeSession(file)).session.title, "AI");
    },
  );
  await withFile([...convo, { type: "custom-title", customTitle: "A" }, {
    type: "custom-title",
    customTitle: "B",
  }, { type: "ai-title", aiTitle: "AI" }], async (file) => {
    assert.equal((await readClaudeSession(file)).session.title, "B");
  });
});

Deno.test("readClaudeSession() takes the id from a non-UUID file name's records", async () => {
  await withFile(DOC_EXAMPLE, async (file) => {
    assert.equal((await readClaudeSession(file)).session.id, SID);
  }, "copy.jsonl");
});
