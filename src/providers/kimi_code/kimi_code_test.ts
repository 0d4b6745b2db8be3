import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";
import type { Session } from "../../model/types.ts";
import { compareSessions } from "../../pipeline/compare.ts";
import { kimiCode } from "./mod.ts";
import { isSessionIdSafe, mainWirePath, sessionDir, workDirKey } from "./paths.ts";
import { readKimiSession } from "./reader.ts";
import { planKimiSession } from "./writer.ts";
import { sampleSession } from "../../model/testdata/sample_session.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import { writePlanFiles } from "../../../tests/fixture_home.ts";

const FIXTURES = new URL("../../../fixtures/kimi-code/", import.meta.url).pathname;
const BUCKET = "wd_casr-fixture-project_354eb77a1a14";
const BASIC_ID = "session_afeb80e3-6166-4792-aaff-9b318dc298d6";
const MULTI_ID = "session_96eb1992-66a0-4d2d-a184-6b849b0c73f9";

function fixture(id: string): string {
  return path.join(FIXTURES, ".kimi-code", "sessions", BUCKET, id, "agents", "main", "wire.jsonl");
}

function ctx(home: string, env: Record<string, string> = {}): ProviderContext {
  return { env, homeDir: home, cwd: home };
}

function line(record: Record<string, unknown>): string {
  return JSON.stringify(record);
}

async function tempSession(lines: string[], state?: unknown): Promise<[string, string]> {
  const root = await Deno.makeTempDir();
  const dir = path.join(root, "sessions", "wd_ws_000000000000", "s1");
  await Deno.mkdir(path.join(dir, "agents", "main"), { recursive: true });
  if (state !== undefined) {
    await Deno.writeTextFile(path.join(dir, "state.json"), JSON.stringify(state));
  }
  const wire = mainWirePath(dir);
  await Deno.writeTextFile(wire, lines.join("\n") + "\n");
  return [root, wire];
}

Deno.test("workDirKey() buckets a directory like Kimi Code 2.1.0", () => {
  // Bucket names the real CLI made (fixture generation and a manual run).
  assert.equal(workDirKey("/tmp/casr-fixture-project"), BUCKET);
  assert.equal(workDirKey("/tmp/kimi-x/ws"), "wd_ws_88fe34a8884e");
  assert.equal(workDirKey("/tmp/kimi-x/ws/"), "wd_ws_88fe34a8884e");
  assert.match(workDirKey("/home/dev/My Project!!"), /^wd_my-project_[0-9a-f]{12}$/);
  assert.match(workDirKey("/"), /^wd_workspace_[0-9a-f]{12}$/);
  assert.match(workDirKey(`/x/${"a".repeat(60)}`), new RegExp(`^wd_${"a".repeat(40)}_`));
  assert.equal(isSessionIdSafe("session_1"), true);
  assert.equal(isSessionIdSafe("../x"), false);
});

Deno.test("readKimiSession() reads the genuine basic fixture", async () => {
  const { session, warnings } = await readKimiSession(fixture(BASIC_ID));
  assert.deepEqual(warnings, []);
  assert.equal(session.id, BASIC_ID);
  assert.equal(session.workspace, "/tmp/casr-fixture-project");
  assert.equal(session.model, "kimi-mock");
  const talk = session.messages.filter((m) => m.role !== "system");
  assert.equal(rolesOf(talk), "user assistant tool assistant user assistant");
  // The CLI's injected <system-reminder> messages are system messages.
  const system = session.messages.filter((m) => m.role === "system");
  assert.ok(system.length >= 2 && system.every((m) => m.text.startsWith("<system-reminder>")));
  const call = talk[1]?.toolCalls[0];
  assert.equal(call?.name, "Bash");
  assert.deepEqual(call?.input, {
    command: "echo casr-fixture",
    description: "Run the requested command",
  });
  const result = talk[2]?.toolResults[0];
  assert.equal(result?.callId, call?.id);
  assert.equal(result?.output, "casr-fixture\n");
  assert.ok(talk[4]?.text.includes("日本語 ✓\nMarkdown trap:"));
  assert.ok(session.messages.every((m) => m.timestamp !== undefined));
});

Deno.test("readKimiSession() reads parallel calls and a failed result", async () => {
  const { session } = await readKimiSession(fixture(MULTI_ID));
  const first = session.messages.find((m) => m.toolCalls.length === 2);
  assert.ok(first);
  const tool = session.messages[first.index + 1];
  assert.equal(tool?.role, "tool");
  assert.deepEqual(tool?.toolResults.map((r) => r.callId), first.toolCalls.map((c) => c.id));
  assert.deepEqual(tool?.toolResults.map((r) => r.isError), [false, true]);
  assert.ok(tool?.toolResults[1]?.output.includes("No such file"));
  assert.equal(session.messages.filter((m) => m.role === "user").length, 3);
});

Deno.test("readKimiSession() folds the message form, undo, deferral and bad lines", async () => {
  const msg = (message: Record<string, unknown>, time: number) =>
    line({ type: "context.append_message", agentId: "main", message, time });
  const loop = (event: Record<string, unknown>, time: number) =>
    line({ type: "context.append_loop_event", agentId: "main", event, time });
  const [root, wire] = await tempSession([
    line({ type: "metadata", protocol_version: "1.5", created_at: 1_800_000_000_000 }),
    "{broken",
    msg(
      { role: "user", content: [{ type: "text", text: "first" }], toolCalls: [] },
      1_800_000_001_000,
    ),
    msg({
      role: "assistant",
      content: [{ type: "think", think: "hmm" }, { type: "text", text: "ok" }],
      toolCalls: [{ type: "function", id: "c1", name: "Bash", arguments: '{"command":"ls"}' }],
    }, 1_800_000_002_000),
    msg({
      role: "tool",
      content: [{ type: "text", text: "a.txt" }],
      toolCallId: "c1",
      isError: true,
      note: "exit 1",
    }, 1_800_000_003_000),
    msg(
      { role: "user", content: [{ type: "text", text: "undone" }], toolCalls: [] },
      1_800_000_004_000,
    ),
    line({ type: "context.undo", agentId: "main", count: 1, time: 1_800_000_005_000 }),
    msg(
      { role: "user", content: [{ type: "text", text: "second" }], toolCalls: [] },
      1_800_000_006_000,
    ),
    loop({ type: "step.begin", uuid: "s1", turnId: "1", step: 1 }, 1_800_000_007_000),
    loop(
      { type: "content.part", stepUuid: "s1", part: { type: "text", text: "run" } },
      1_800_000_007_100,
    ),
    loop(
      { type: "tool.call", stepUuid: "s1", toolCallId: "c2", name: "Read", args: { path: "x" } },
      1_800_000_007_200,
    ),
    msg({
      role: "user",
      content: [{ type: "text", text: "<system-reminder>x</system-reminder>" }],
      toolCalls: [],
      origin: { kind: "injection", variant: "date_change" },
    }, 1_800_000_007_300),
    loop({
      type: "tool.result",
      toolCallId: "c2",
      result: { output: [{ type: "text", text: "X" }] },
    }, 1_800_000_007_400),
    loop({ type: "step.end", uuid: "s1", finishReason: "tool_use" }, 1_800_000_007_500),
    loop({ type: "step.begin", uuid: "s2", turnId: "1", step: 2 }, 1_800_000_008_000),
    loop({ type: "step.end", uuid: "s2", finishReason: "end_turn" }, 1_800_000_008_100),
    line({ type: "context.append_message", agentId: "agent-0", message: { role: "user" } }),
    line({ kind: "event", type: "agent.message.appended", message: {} }),
  ], { cwd: "/ws", title: "Named", createdAt: "2027-01-15T08:00:00.000Z" });
  try {
    const { session, warnings } = await readKimiSession(wire);
    assert.deepEqual(warnings.map((w) => w.line), [2]);
    assert.equal(session.id, "s1");
    assert.equal(session.workspace, "/ws");
    assert.equal(session.title, "Named");
    assert.deepEqual(session.messages.map((m) => [m.role, m.text]), [
      ["user", "first"],
      ["assistant", "ok"],
      ["tool", ""],
      ["user", "second"],
      ["assistant", "run"],
      ["tool", ""],
      ["system", "<system-reminder>x</system-reminder>"],
    ]);
    assert.equal(session.messages[1]?.reasoning, "hmm");
    assert.deepEqual(session.messages[1]?.toolCalls[0]?.input, { command: "ls" });
    assert.deepEqual(session.messages[2]?.toolResults, [
      { callId: "c1", output: "a.txt\nexit 1", isError: true },
    ]);
    assert.deepEqual(session.messages[5]?.toolResults, [{
      callId: "c2",
      output: "X",
      isError: false,
    }]);
    await Deno.writeTextFile(wire, "");
    await assert.rejects(() => readKimiSession(wire), /file is empty/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

const SAMPLE: Session = sampleSession({
  title: "Fix the build",
  system: "env",
  systemTime: 1_000,
  user: "Fix the build ✓\n```sh\nmake\n```",
  assistant: "Running make.",
  reasoning: "think first",
  calls: [
    { id: "call.1", name: "shell", input: "make" },
    { id: "call 2", name: "Read", input: { path: "Makefile" } },
  ],
  results: [
    { callId: "call.1", output: "error: missing", isError: true },
    { callId: "call 2", output: "all:", isError: false },
  ],
  final: "Fixed.",
  start: 1_800_000_000_000,
});

Deno.test("readKimiSession() after a compaction keeps what Kimi sends: the kept prompts as one message, then the summary", async () => {
  const msg = (message: Record<string, unknown>, time: number) =>
    line({ type: "context.append_message", agentId: "main", message, time });
  const user = (text: string, time: number) =>
    msg({ role: "user", content: [{ type: "text", text }], toolCalls: [] }, time);
  const preamble =
    "The conversation so far has been compacted to free up context.\n\nShort summary.";
  const [root, wire] = await tempSession([
    line({ type: "metadata", protocol_version: "1.5", created_at: 1_800_000_000_000 }),
    user("zero", 1_800_000_001_000),
    msg(
      { role: "assistant", content: [{ type: "text", text: "gone" }], toolCalls: [] },
      1_800_000_002_000,
    ),
    user("one", 1_800_000_003_000),
    msg(
      { role: "assistant", content: [{ type: "text", text: "also gone" }], toolCalls: [] },
      1_800_000_004_000,
    ),
    user("two", 1_800_000_005_000),
    line({
      type: "context.apply_compaction",
      agentId: "main",
      summary: "Short summary.",
      contextSummary: preamble,
      keptUserMessageCount: 2,
      time: 1_800_000_006_000,
    }),
    msg(
      { role: "assistant", content: [{ type: "text", text: "after" }], toolCalls: [] },
      1_800_000_007_000,
    ),
  ]);
  try {
    const { session, warnings } = await readKimiSession(wire);
    assert.deepEqual(session.messages.map((m) => [m.role, m.text]), [
      ["user", "one\n\ntwo"],
      ["user", preamble],
      ["assistant", "after"],
    ]);
    assert.deepEqual(session.metadata.compaction, { summaryMessageIndexes: [1] });
    assert.deepEqual(warnings.map((w) => w.code), ["compacted-history"]);
    assert.match(warnings[0]!.message, /^Left out the 5 messages of .* before its last compaction/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

// After jazzyalex/agent-sessions' Kimi Code recording (protocol 1.4), whose
// last act was a manual compaction: what Kimi sends on is the kept prompts and
// the summary, with no reply after them. That is a session to go on with.
Deno.test("a Kimi session that ends in a compaction reads as its summary, marked as one", async () => {
  const [root, wire] = await tempSession([
    line({ type: "metadata", protocol_version: "1.4", created_at: 1_800_000_000_000 }),
    line({
      type: "context.append_message",
      agentId: "main",
      message: { role: "user", content: [{ type: "text", text: "run ls" }], toolCalls: [] },
      time: 1_800_000_001_000,
    }),
    line({
      type: "context.append_message",
      agentId: "main",
      message: { role: "assistant", content: [{ type: "text", text: "Done." }], toolCalls: [] },
      time: 1_800_000_002_000,
    }),
    line({ type: "full_compaction.begin", source: "manual", time: 1_800_000_003_000 }),
    line({
      type: "context.apply_compaction",
      summary: "We listed the files.",
      contextSummary: "The conversation so far has been compacted.\n\nWe listed the files.",
      time: 1_800_000_004_000,
    }),
    line({ type: "full_compaction.complete", time: 1_800_000_004_100 }),
  ]);
  try {
    const { session } = await readKimiSession(wire);
    assert.equal(rolesOf(session), "user");
    assert.match(session.messages[0]?.text ?? "", /We listed the files/);
    // Marked as a summary, which makes it a session to go on with
    // (validate_test.ts).
    assert.deepEqual(session.metadata.compaction, { summaryMessageIndexes: [0] });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("planKimiSession() writes state.json and a wire that reads back equal", async () => {
  const home = await Deno.makeTempDir();
  try {
    const root = path.join(home, "kimi-root");
    const c = ctx(home, { KIMI_CODE_HOME: root });
    const plan = await planKimiSession(SAMPLE, c, {
      workspace: "/tmp/ws",
      now: 1_900_000_000_000,
      sessionId: "0b5c2f3e-6a1d-4c8e-9f70-1a2b3c4d5e6f",
    });
    assert.equal(plan.sessionId, "session_0b5c2f3e-6a1d-4c8e-9f70-1a2b3c4d5e6f");
    const dir = sessionDir(root, "/tmp/ws", plan.sessionId);
    assert.equal(plan.primaryPath, mainWirePath(dir));
    assert.deepEqual(plan.files.map((f) => f.path), [
      path.join(dir, "state.json"),
      plan.primaryPath,
    ]);
    assert.equal(plan.resume.shell, `cd /tmp/ws && kimi -r ${plan.sessionId}`);
    assert.deepEqual(plan.warnings, []);
    const state = JSON.parse(fileText(plan.files[0]?.data ?? ""));
    assert.equal(state.cwd, "/tmp/ws");
    assert.equal(state.version, 2);
    assert.equal(state.title, "Fix the build (via casr)");
    const records = (fileText(plan.files[1]?.data ?? "")).trim().split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.deepEqual(records[0], {
      type: "metadata",
      protocol_version: "1.5",
      created_at: 1_800_000_000_000,
    });
    assert.ok(!records.some((r) => r.type === "profile.bind"));
    const user = records.find((r) => r.message?.role === "user");
    assert.deepEqual(user.message.toolCalls, []);
    const assistant = records.find((r) => r.message?.role === "assistant");
    assert.deepEqual(assistant.message.toolCalls.map((c: { id: string }) => c.id), [
      "call_1",
      "call_2",
    ]);
    assert.equal(assistant.message.toolCalls[0].arguments, '{"input":"make"}');
    // The reasoning as Kimi Code 2.1.0 keeps its own (the messy fixture:
    // `{"type":"think","think":"…","reasoningKey":"reasoning_content"}` before the text), without
    // the key, so it goes under the key of the model the session is resumed with.
    assert.deepEqual(assistant.message.content, [
      { type: "think", think: "think first" },
      { type: "text", text: "Running make." },
    ]);
    await writePlanFiles(plan);
    const back = (await readKimiSession(plan.primaryPath)).session;
    assert.equal(back.id, plan.sessionId);
    assert.equal(back.workspace, "/tmp/ws");
    assert.deepEqual(back.messages.map((m) => m.role), ["user", "assistant", "tool", "assistant"]);
    assert.deepEqual(back.messages[2]?.toolResults.map((r) => r.isError), [true, false]);
    assert.equal(back.messages[1]?.reasoning, "think first");
    assert.equal(back.messages[1]?.text, "Running make.");
    assert.deepEqual(compareSessions(SAMPLE, back), []);
    assert.deepEqual(back.messages.map((m) => m.timestamp), [
      1_800_000_000_000,
      1_800_000_001_000,
      1_800_000_002_000,
      1_800_000_003_000,
    ]);
    const listed = await kimiCode.list(c);
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.id, plan.sessionId);
    assert.equal(listed[0]?.messageCount, 5);
    assert.equal(listed[0]?.title, "Fix the build (via casr)");
    assert.equal((await kimiCode.find(c, "0b5c2f3e")).length, 1);
    assert.equal((await kimiCode.find(c, plan.sessionId))[0]?.workspace, "/tmp/ws");
    assert.deepEqual(await kimiCode.find(c, "nope"), []);
    assert.ok(kimiCode.claims(plan.primaryPath, fileText(plan.files[1]?.data ?? "")));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("planKimiSession() keeps a safe custom id and replaces an unsafe one", async () => {
  const c = ctx("/home/u");
  const keep = await planKimiSession(SAMPLE, c, { workspace: "/w", now: 1, sessionId: "casr-1" });
  assert.equal(keep.sessionId, "casr-1");
  assert.ok(keep.primaryPath.startsWith("/home/u/.kimi-code/sessions/wd_w_"));
  const fresh = await planKimiSession(SAMPLE, c, { workspace: "/w", now: 1, sessionId: "a/b" });
  assert.match(fresh.sessionId, /^session_[0-9a-f-]{36}$/);
  assert.ok(fresh.warnings.some((w) => w.code === "session-id-replaced"));
  await assert.rejects(
    () => planKimiSession({ ...SAMPLE, messages: [] }, c, { workspace: "/w", now: 1 }),
    /no user or assistant message/,
  );
});

Deno.test("claims() takes only a main wire of Kimi Code", () => {
  const wire = "/h/.kimi-code/sessions/wd_x_1/s/agents/main/wire.jsonl";
  const meta = '{"type":"metadata","protocol_version":"1.5","created_at":1}\n';
  assert.equal(kimiCode.claims(wire, meta), true);
  assert.equal(kimiCode.claims(wire, '{"type":"turn.prompt","agentId":"main"}\n'), true);
  assert.equal(kimiCode.claims("/h/x/wire.jsonl", meta), false);
  assert.equal(kimiCode.claims(wire, '{"type":"user","uuid":"u"}\n'), false);
  assert.equal(kimiCode.claims(wire, '{"type":"session.start","data":{}}\n'), false);
});

Deno.test("planKimiSession() drops, with a warning, the reasoning of a message with nothing else", async () => {
  const home = await Deno.makeTempDir();
  try {
    const c = ctx(home, { KIMI_CODE_HOME: path.join(home, "kimi-root") });
    const session: Session = {
      ...SAMPLE,
      messages: [
        ...SAMPLE.messages,
        {
          index: 5,
          role: "assistant",
          text: "",
          reasoning: "only this",
          toolCalls: [],
          toolResults: [],
          timestamp: 1_800_000_004_000,
        },
      ],
    };
    const plan = await planKimiSession(session, c, { workspace: "/tmp/ws", now: 0 });
    assert.deepEqual(plan.warnings.map((w) => w.code), ["reasoning-dropped"]);
    assert.ok(!(fileText(plan.files[1]?.data ?? "")).includes("only this"));
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
