import assert from "node:assert/strict";
import * as path from "node:path";
import { CasrError } from "../../errors.ts";
import { readGeminiSession } from "./reader.ts";
import { listGeminiSessions } from "./list.ts";
import { geminiHome, jsonl, TESTDATA } from "./helpers_test.ts";
import { rolesOf } from "../../model/testdata/roles.ts";

const FRESH_ID = "39f58540-0efd-43ae-96f8-d4cd2c187cae";
const SHORT = (m: { role: string; text: string }) => [m.role, m.text.slice(0, 40)];

Deno.test("readGeminiSession() reads a genuine Gemini CLI 0.61 session with a tool call", async () => {
  await using h = await geminiHome();
  await h.write("projects.json", JSON.stringify({ projects: { "/tmp/gem/proj": "proj" } }));
  const file = await h.write(
    "tmp/proj/chats/session-2026-12-01T20-14-39f58540.jsonl",
    await Deno.readTextFile(path.join(TESTDATA, "genuine_0.61_fresh.jsonl")),
  );
  const { session, warnings } = await readGeminiSession(file);
  assert.deepEqual(warnings, []);
  assert.equal(session.id, FRESH_ID);
  assert.equal(session.provider, "gemini-cli");
  assert.equal(session.workspace, "/tmp/gem/proj");
  assert.equal(session.title, "Please run the shell command `echo hello-casr`");
  assert.equal(session.model, "gemini-3.8-flash");
  assert.equal(session.sourcePath, file);
  assert.deepEqual(session.messages.map(SHORT), [
    ["system", "<session_context>\nThis is the Gemini CLI"],
    ["user", "Please run the shell command `echo hello"],
    ["assistant", "Mock #1: running `echo hello-casr` now."],
    ["tool", ""],
    ["assistant", "OK from mock #2: the command finished."],
  ]);
  assert.deepEqual(session.messages.map((m) => m.index), [0, 1, 2, 3, 4]);
  const [, , call, result] = session.messages;
  assert.deepEqual(call?.toolCalls, [{
    id: "run_shell_command__call_mock_7a6d176c_2",
    name: "run_shell_command",
    input: { command: "echo hello-casr" },
  }]);
  // One tool message: the separate function-response user record (v0.44+) is not duplicated.
  assert.equal(result?.toolResults.length, 1);
  assert.equal(result?.toolResults[0]?.callId, "run_shell_command__call_mock_7a6d176c_2");
  assert.match(result?.toolResults[0]?.output ?? "", /Output: hello-casr/);
  assert.equal(result?.toolResults[0]?.isError, false);
  assert.equal(session.messages[1]?.timestamp, Date.parse("2026-12-01T20:14:47.717Z"));
  assert.equal(result?.timestamp, Date.parse("2026-12-01T20:14:47.849Z"));
  assert.equal(session.startedAt, Date.parse("2026-12-01T20:14:47.674Z"));
  assert.equal(session.endedAt, Date.parse("2026-12-01T20:14:47.865Z"));
  assert.equal(session.messages[2]?.author, "gemini-3.8-flash");
});

Deno.test("readGeminiSession() folds a genuine session resumed by Gemini CLI 0.61", async () => {
  await using h = await geminiHome();
  const file = await h.write(
    "tmp/proj/chats/session-2026-12-01T20-14-39f58540.jsonl",
    await Deno.readTextFile(path.join(TESTDATA, "genuine_0.61_resumed.jsonl")),
  );
  await h.write("tmp/proj/.project_root", "/tmp/gem/proj");
  const { session } = await readGeminiSession(file);
  assert.equal(session.workspace, "/tmp/gem/proj");
  assert.equal(
    rolesOf(session),
    "system user assistant tool assistant user assistant tool assistant",
  );
  assert.equal(session.messages[5]?.text, "Now run the shell command `ls -a` please");
  assert.deepEqual(session.messages[6]?.toolCalls.map((c) => c.input), [{ command: "ls -a" }]);
  assert.deepEqual(session.messages.map((m) => m.toolResults.length), [0, 0, 0, 1, 0, 0, 0, 1, 0]);
  // The resume snapshot restamped old messages; the first recorded times are kept.
  assert.equal(session.messages[1]?.timestamp, Date.parse("2026-12-01T20:14:47.717Z"));
  assert.equal(session.messages[3]?.timestamp, Date.parse("2026-12-01T20:14:47.849Z"));
  assert.equal(session.messages[2]?.author, "gemini-3.8-flash");
});

Deno.test("readGeminiSession() reads the documented example lines", async () => {
  await using h = await geminiHome();
  const file = await h.write(
    "tmp/proj/chats/session-2026-08-20T14-03-6f1c2b7e.jsonl",
    jsonl([
      {
        sessionId: "6f1c2b7e-3a0d-4c1e-9b8f-2d4e5a6b7c8d",
        projectHash: "abc",
        startTime: "2026-08-20T14:03:10.118Z",
        lastUpdated: "2026-08-20T14:03:10.118Z",
      },
      {
        id: "m1",
        timestamp: "2026-08-20T14:03:10.200Z",
        type: "user",
        content: [{ text: "List the files in src" }],
      },
      { $set: { lastUpdated: "2026-08-20T14:03:10.201Z" } },
      {
        id: "m2",
        timestamp: "2026-08-20T14:03:12.000Z",
        type: "gemini",
        content: "Let me check.",
        thoughts: [{ subject: "Listing", description: "I will run ls.", timestamp: "x" }],
        model: "gemini-2.5-pro",
        toolCalls: [{
          id: "call-ls-1",
          name: "run_shell_command",
          args: { command: "ls src" },
          result: [{
            functionResponse: {
              id: "call-ls-1",
              name: "run_shell_command",
              response: { output: "main.rs\nlib.rs" },
            },
          }],
          status: "success",
          timestamp: "2026-08-20T14:03:12.800Z",
        }],
      },
      {
        id: "m3",
        timestamp: "2026-08-20T14:03:14.000Z",
        type: "gemini",
        content: "src contains main.rs and lib.rs.",
        model: "gemini-2.5-pro",
      },
      { $set: { summary: "List files in src", lastUpdated: "2026-08-20T14:03:14.100Z" } },
    ]),
  );
  const { session } = await readGeminiSession(file);
  assert.equal(session.id, "6f1c2b7e-3a0d-4c1e-9b8f-2d4e5a6b7c8d");
  assert.equal(session.title, "List files in src");
  assert.equal(session.workspace, undefined);
  assert.deepEqual(session.messages.map(SHORT), [
    ["user", "List the files in src"],
    ["assistant", "Let me check."],
    ["tool", ""],
    ["assistant", "src contains main.rs and lib.rs."],
  ]);
  assert.equal(session.messages[1]?.reasoning, "**Listing** I will run ls.");
  assert.deepEqual(session.messages[2]?.toolResults, [{
    callId: "call-ls-1",
    output: "main.rs\nlib.rs",
    isError: false,
    name: "run_shell_command",
  }]);
  assert.equal(session.messages[2]?.timestamp, Date.parse("2026-08-20T14:03:12.800Z"));
});

Deno.test("readGeminiSession() maps content parts, errors, scaffolding and notices", async () => {
  await using h = await geminiHome();
  const file = await h.write(
    "tmp/p/chats/session-2026-08-20T14-03-aaaaaaaa.jsonl",
    jsonl([
      { sessionId: "aaaaaaaa-1", projectHash: "h" },
      { id: "u0", type: "user", content: [{ text: "<session_context>\nOS: linux" }] },
      { id: "u1", type: "user", content: "Fix the bug" },
      { id: "i1", type: "info", content: "Switched model" },
      {
        id: "g1",
        type: "gemini",
        content: [
          { text: "Thinking about it", thought: true },
          { text: "Reading " },
          { text: "the file." },
          { functionCall: { id: "c1", name: "read_file", args: { path: "a.ts" } } },
          { functionCall: { id: "c2", name: "run_shell_command", args: { command: "false" } } },
        ],
      },
      {
        id: "r1",
        type: "user",
        content: [
          { functionResponse: { id: "c1", name: "read_file", response: { output: "x = 1" } } },
          {
            functionResponse: {
              id: "c2",
              name: "run_shell_command",
              response: { error: "exit 1" },
            },
          },
        ],
      },
      { id: "g2", type: "gemini", content: "Done." },
      { id: "u2", type: "user", content: [{ text: "/stats" }] },
      { id: "u3", type: "user", content: [{ text: "<hook_context>x</hook_context>" }] },
      { id: "w1", type: "warning", content: "Low disk" },
    ]),
  );
  const { session } = await readGeminiSession(file);
  assert.deepEqual(session.messages.map(SHORT), [
    ["system", "<session_context>\nOS: linux"],
    ["user", "Fix the bug"],
    ["other", "Switched model"],
    ["assistant", "Reading the file."],
    ["tool", ""],
    ["assistant", "Done."],
    ["other", "/stats"],
    ["system", "<hook_context>x</hook_context>"],
    ["other", "Low disk"],
  ]);
  assert.equal(session.title, "Fix the bug");
  assert.equal(session.messages[3]?.reasoning, "Thinking about it");
  assert.deepEqual(session.messages[3]?.toolCalls.map((c) => [c.id, c.name, c.input]), [
    ["c1", "read_file", { path: "a.ts" }],
    ["c2", "run_shell_command", { command: "false" }],
  ]);
  assert.deepEqual(session.messages[4]?.toolResults, [
    { callId: "c1", output: "x = 1", isError: false, name: "read_file" },
    { callId: "c2", output: "exit 1", isError: true, name: "run_shell_command" },
  ]);
});

Deno.test("readGeminiSession() joins a tool-call-only gemini record to the reply before it", async () => {
  await using h = await geminiHome();
  const call = (id: string, output: string) => ({
    id,
    name: "glob",
    args: { pattern: "*.ts" },
    result: [{ functionResponse: { id, name: "glob", response: { output } } }],
    status: "success",
  });
  const file = await h.write(
    "tmp/p/chats/session-2026-08-20T14-03-bbbbbbbb.jsonl",
    jsonl([
      { sessionId: "bbbbbbbb-1", projectHash: "h" },
      { id: "u1", type: "user", content: "Find files" },
      { id: "g1", type: "gemini", content: "Searching." },
      {
        id: "g2",
        type: "gemini",
        content: "",
        thoughts: [{ description: "next" }],
        toolCalls: [call("c1", "a.ts")],
      },
      { id: "g3", type: "gemini", content: "", toolCalls: [call("c2", "b.ts")] },
    ]),
  );
  const { session } = await readGeminiSession(file);
  assert.equal(rolesOf(session), "user assistant tool assistant tool");
  assert.equal(session.messages[1]?.text, "Searching.");
  assert.deepEqual(session.messages[1]?.toolCalls.map((c) => c.id), ["c1"]);
  assert.equal(session.messages[1]?.reasoning, "next");
  // After a tool message, a tool-call-only record opens a new assistant message.
  assert.equal(session.messages[3]?.text, "");
  assert.deepEqual(session.messages[3]?.toolCalls.map((c) => c.id), ["c2"]);
});

Deno.test("readGeminiSession() warns on a malformed line and reads the rest", async () => {
  await using h = await geminiHome();
  const file = await h.write(
    "tmp/p/chats/session-2026-08-20T14-03-cccccccc.jsonl",
    jsonl([
      { sessionId: "cccccccc-1", projectHash: "h" },
      { id: "u1", type: "user", content: "Hello" },
      '{"id":"broken","type":',
      { id: "g1", type: "gemini", content: "Hi there" },
    ]),
  );
  const { session, warnings } = await readGeminiSession(file);
  assert.deepEqual(warnings.map((w) => [w.code, w.line]), [["malformed-line", 3]]);
  assert.deepEqual(session.messages.map(SHORT), [["user", "Hello"], ["assistant", "Hi there"]]);
});

Deno.test("readGeminiSession() fails on an empty or unusable file", async () => {
  await using h = await geminiHome();
  const empty = await h.write("tmp/p/chats/session-empty.jsonl", "");
  await assert.rejects(readGeminiSession(empty), (e: unknown) => {
    assert.ok(e instanceof CasrError);
    assert.equal(e.code, "parse-failed");
    assert.match(e.message, /file is empty/);
    return true;
  });
  const junk = await h.write("tmp/p/chats/session-junk.jsonl", 'not json\n{"other":1}\n');
  await assert.rejects(
    readGeminiSession(junk),
    (e: unknown) => e instanceof CasrError && e.code === "parse-failed",
  );
  await assert.rejects(readGeminiSession(path.join(h.root, "missing.jsonl")), CasrError);
});

Deno.test("readGeminiSession() reads a legacy single-object .json session", async () => {
  await using h = await geminiHome();
  const file = await h.write(
    "tmp/0123/chats/session-2025-10-01T10-00-dddddddd.json",
    JSON.stringify(
      {
        sessionId: "dddddddd-1",
        projectHash: "h",
        startTime: "2025-10-01T10:00:00.000Z",
        lastUpdated: "2025-10-01T10:01:00.000Z",
        messages: [
          { id: "1", timestamp: "2025-10-01T10:00:01.000Z", type: "user", content: "Old prompt" },
          { id: "2", timestamp: "2025-10-01T10:00:02.000Z", type: "gemini", content: "Old answer" },
        ],
      },
      null,
      2,
    ),
  );
  const { session, warnings } = await readGeminiSession(file);
  assert.deepEqual(warnings, []);
  assert.equal(session.id, "dddddddd-1");
  assert.equal(session.metadata.format, "json");
  assert.deepEqual(session.messages.map(SHORT), [["user", "Old prompt"], [
    "assistant",
    "Old answer",
  ]]);
});

Deno.test("readGeminiSession() finds the workspace of a legacy hash directory by projectHash", async () => {
  await using h = await geminiHome();
  const { sha256Hex } = await import("./paths.ts");
  const hash = sha256Hex("/work/app");
  await h.write("projects.json", JSON.stringify({ projects: { "/work/app": "app" } }));
  const file = await h.write(
    `tmp/${hash}/chats/session-2025-10-01T10-00-eeeeeeee.jsonl`,
    jsonl([{ sessionId: "eeeeeeee", projectHash: hash }, { id: "1", type: "user", content: "Hi" }]),
  );
  const { session } = await readGeminiSession(file);
  assert.equal(session.workspace, "/work/app");
});

Deno.test("readGeminiSession() and the listing keep messages another tool wrote without ids", async () => {
  // Hand-made, as coding_agent_session_search's test fixture writes a legacy session: no
  // message ids, and `model` for the replies.
  await using h = await geminiHome();
  const file = await h.write(
    "tmp/hash123/chats/session-test.json",
    JSON.stringify({
      sessionId: "test-session-1",
      projectHash: "hash123",
      startTime: "2024-01-01T12:00:00Z",
      messages: [
        { type: "user", content: "Gemini hello", timestamp: "2024-01-01T12:00:00Z" },
        { type: "model", content: "Hello from Gemini!", timestamp: "2024-01-01T12:01:00Z" },
      ],
    }),
  );
  const { session } = await readGeminiSession(file);
  assert.deepEqual(session.messages.map(SHORT), [
    ["user", "Gemini hello"],
    ["assistant", "Hello from Gemini!"],
  ]);
  const listed = await listGeminiSessions(h.ctx);
  assert.deepEqual(listed.map((s) => [s.id, s.messageCount]), [["test-session-1", 2]]);
});

Deno.test("readGeminiSession() titles a compressed session by its first prompt, as the listing does", async () => {
  // Hand-made, after gemini-cli's chatRecordingService tests: a `$set` of the
  // messages (a compression) puts a state snapshot where the conversation began.
  await using h = await geminiHome();
  const file = await h.write(
    "tmp/hash123/chats/session-2026-01-02T00-00-bbbbbbbb.jsonl",
    jsonl([
      {
        sessionId: "bbbbbbbb-0000-4000-8000-000000000002",
        projectHash: "hash123",
        startTime: "2026-01-02T00:00:00.000Z",
        lastUpdated: "2026-01-02T00:00:00.000Z",
      },
      {
        id: "x1",
        timestamp: "2026-01-02T00:00:01.000Z",
        type: "user",
        content: [{ text: "old prompt" }],
      },
      { id: "x2", timestamp: "2026-01-02T00:00:02.000Z", type: "gemini", content: "old reply" },
      {
        $set: {
          messages: [
            {
              id: "y1",
              timestamp: "2026-01-02T00:00:03.000Z",
              type: "user",
              content: [{ text: "<state_snapshot>summary</state_snapshot>" }],
            },
            { id: "y2", timestamp: "2026-01-02T00:00:03.100Z", type: "gemini", content: "Got it." },
          ],
        },
      },
      {
        id: "y3",
        timestamp: "2026-01-02T00:00:04.000Z",
        type: "user",
        content: [{ text: "new prompt" }],
      },
      { id: "y4", timestamp: "2026-01-02T00:00:05.000Z", type: "gemini", content: "new reply" },
    ]),
  );
  const { session, warnings } = await readGeminiSession(file);
  assert.equal(session.messages[0]?.text, "<state_snapshot>summary</state_snapshot>");
  assert.equal(session.title, "old prompt");
  // What the compression took out is said, not dropped in silence.
  assert.deepEqual(warnings.map((w) => w.code), ["compacted-history"]);
  assert.match(warnings[0]!.message, /^Left out 2 messages of .* before its last compression/);
  const [listed] = await listGeminiSessions(h.ctx);
  assert.equal(listed?.title, "old prompt");
});
