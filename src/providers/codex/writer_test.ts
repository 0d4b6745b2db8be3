import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { compareSessions } from "../../pipeline/compare.ts";
import type { Message, Session } from "../../model/types.ts";
import type { ProviderContext } from "../types.ts";
import { readRollout } from "./reader.ts";
import { configuredModelProvider, planRollout } from "./writer.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import { codexTempDir } from "./testdata/temp.ts";
import { writePlanFiles } from "../../../tests/fixture_home.ts";

const T0 = Date.parse("2026-11-20T10:00:00.000Z");
const NOW = Date.parse("2026-12-01T12:34:56.789Z");
const base = { toolCalls: [], toolResults: [] };

/** A hand-built canonical session (as if read from Claude Code). */
function sampleSession(): Session {
  const messages: Message[] = [
    {
      ...base,
      index: 0,
      role: "system",
      text: "<system-reminder>scaffolding</system-reminder>",
      timestamp: T0 - 1000,
    },
    {
      ...base,
      index: 1,
      role: "user",
      text: "Fix the ünïcode bug 🐛 in **main.rs**\n\n```rust\nfn main() {}\n```",
      timestamp: T0,
    },
    {
      ...base,
      index: 2,
      role: "assistant",
      text: "Let me look.",
      reasoning: "I should list files first.",
      timestamp: T0 + 1000,
      toolCalls: [
        { id: "toolu_01", name: "Bash", input: { command: "ls -la", description: "List" } },
        { id: "toolu_02", name: "apply_patch", input: "*** Begin Patch\n*** End Patch" },
      ],
    },
    {
      ...base,
      index: 3,
      role: "tool",
      text: "",
      timestamp: T0 + 2000,
      toolResults: [
        { callId: "toolu_01", output: "main.rs\nlib.rs", isError: false },
        { callId: "toolu_02", output: "Done!", isError: true },
      ],
    },
    { ...base, index: 4, role: "assistant", text: "Fixed — see `main.rs`.", timestamp: T0 + 3000 },
    { ...base, index: 5, role: "other", text: "info: rate limited" },
    { ...base, index: 6, role: "user", text: "日本語で答えて: 2+2?" },
    { ...base, index: 7, role: "assistant", text: "4", timestamp: T0 + 6000 },
  ];
  return {
    id: "c05dd679-a238-474d-9df3-fc8a8e16d4b6",
    provider: "claude-code",
    title: "Fix the ünïcode bug",
    model: "claude-sonnet-4-5",
    workspace: "/old/workspace",
    messages,
    metadata: {},
  };
}

async function tempCtx(): Promise<{ home: string; ctx: ProviderContext }> {
  const home = await codexTempDir("casr-codex-write-");
  return { home, ctx: { env: {}, homeDir: home, cwd: home } };
}

// deno-lint-ignore no-explicit-any -- test code inspects loose JSON
function parseLines(data: string): Record<string, any>[] {
  return data.trimEnd().split("\n").map((l) => JSON.parse(l));
}

Deno.test("planRollout() writes a rollout Codex 0.169.0 resumes: names, session_meta, string timestamps", async () => {
  const { home, ctx } = await tempCtx();
  const plan = await planRollout(sampleSession(), ctx, { workspace: "/work/target", now: NOW });
  assert.notEqual(plan.sessionId, "c05dd679-a238-474d-9df3-fc8a8e16d4b6");
  assert.match(
    plan.sessionId,
    /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.equal(plan.files.length, 1);
  assert.equal(plan.primaryPath, plan.files[0]!.path);
  const t = new Date(NOW);
  const p2 = (n: number) => String(n).padStart(2, "0");
  const day = `${t.getFullYear()}-${p2(t.getMonth() + 1)}-${p2(t.getDate())}`;
  const stamp = `${day}T${p2(t.getHours())}-${p2(t.getMinutes())}-${p2(t.getSeconds())}`;
  assert.equal(
    plan.primaryPath,
    path.join(
      home,
      ".codex",
      "sessions",
      String(t.getFullYear()),
      p2(t.getMonth() + 1),
      p2(t.getDate()),
      `rollout-${stamp}-${plan.sessionId}.jsonl`,
    ),
  );
  const data = fileText(plan.files[0]!.data);
  assert.ok(data.endsWith("}\n"));
  const lines = parseLines(data);
  for (const line of lines) {
    assert.equal(typeof line.timestamp, "string");
    assert.match(line.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  }
  const meta = lines[0]!;
  assert.equal(meta.type, "session_meta");
  assert.deepEqual(meta.payload, {
    id: plan.sessionId,
    session_id: plan.sessionId,
    timestamp: "2026-11-20T10:00:00.000Z",
    cwd: "/work/target",
    originator: "codex_cli_rs",
    cli_version: "0.169.0",
    source: "cli",
    model_provider: "openai",
    thread_source: "user",
  });
  assert.equal(lines.filter((l) => l.type === "session_meta").length, 1);
  assert.deepEqual(plan.resume, {
    argv: ["codex", "resume", plan.sessionId],
    cwd: "/work/target",
    shell: `cd /work/target && codex resume ${plan.sessionId}`,
  });
  assert.deepEqual(plan.effects, []);
  assert.deepEqual(plan.warnings.map((w) => w.code), ["reasoning-dropped"]);
});

Deno.test("planRollout() writes each turn as turn_context, task_started, items with events, task_complete", async () => {
  const { ctx } = await tempCtx();
  const plan = await planRollout(sampleSession(), ctx, { workspace: "/work/target", now: NOW });
  const lines = parseLines(fileText(plan.files[0]!.data));
  const shape = lines.slice(1).map((l) =>
    l.type === "response_item" || l.type === "event_msg" ? `${l.type}:${l.payload.type}` : l.type
  );
  assert.deepEqual(shape, [
    "turn_context",
    "event_msg:task_started",
    "response_item:message",
    "event_msg:user_message",
    "response_item:message",
    "event_msg:agent_message",
    "response_item:function_call",
    "response_item:custom_tool_call",
    "response_item:function_call_output",
    "response_item:custom_tool_call_output",
    "response_item:message",
    "event_msg:agent_message",
    "event_msg:task_complete",
    "turn_context",
    "event_msg:task_started",
    "response_item:message",
    "event_msg:user_message",
    "response_item:message",
    "event_msg:agent_message",
    "event_msg:task_complete",
  ]);
  const turnContext = lines[1]!.payload;
  assert.equal(turnContext.cwd, "/work/target");
  assert.equal(turnContext.model, "gpt-5-codex");
  assert.equal(lines[2]!.payload.turn_id, turnContext.turn_id);
  assert.deepEqual(lines[3]!.payload, {
    type: "message",
    role: "user",
    content: [{ type: "input_text", text: sampleSession().messages[1]!.text }],
  });
  assert.equal(lines[4]!.payload.message, sampleSession().messages[1]!.text);
  assert.deepEqual(lines[7]!.payload, {
    type: "function_call",
    name: "Bash",
    arguments: JSON.stringify({ command: "ls -la", description: "List" }),
    call_id: "toolu_01",
  });
  assert.equal(lines[8]!.payload.input, "*** Begin Patch\n*** End Patch");
  assert.deepEqual(lines[9]!.payload, {
    type: "function_call_output",
    call_id: "toolu_01",
    output: "main.rs\nlib.rs",
  });
  assert.deepEqual(lines[10]!.payload, {
    type: "custom_tool_call_output",
    call_id: "toolu_02",
    output: "Done!",
  });
  assert.equal(lines[13]!.payload.last_agent_message, "Fixed — see `main.rs`.");
  // The scaffolding system message and the `other` message are not written.
  assert.ok(!fileText(plan.files[0]!.data).includes("scaffolding"));
  assert.ok(!fileText(plan.files[0]!.data).includes("rate limited"));
  // No reasoning items (their encrypted content is provider-bound).
  assert.ok(!lines.some((l) => l.payload?.type === "reasoning"));
  // The second user message had no timestamp: it takes the previous one.
  assert.equal(lines[16]!.timestamp, "2026-11-20T10:00:03.000Z");
});

Deno.test("planRollout() output reads back to the same conversation", async () => {
  const { ctx } = await tempCtx();
  const source = sampleSession();
  const plan = await planRollout(source, ctx, { workspace: "/work/target", now: NOW });
  await writePlanFiles(plan);
  const { session, warnings } = await readRollout(plan.primaryPath, ctx);
  assert.deepEqual(warnings, []);
  assert.deepEqual(compareSessions(source, session), []);
  assert.equal(session.id, plan.sessionId);
  assert.equal(session.workspace, "/work/target");
  assert.equal(session.title, "Fix the ünïcode bug 🐛 in **main.rs**");
  assert.equal(rolesOf(session), "user assistant tool assistant user assistant");
  assert.deepEqual(session.messages[1]!.toolCalls.map((c) => c.input), [
    { command: "ls -la", description: "List" },
    "*** Begin Patch\n*** End Patch",
  ]);
});

Deno.test("planRollout() keeps separate assistant replies apart and maps empty or duplicate call ids", async () => {
  const { ctx } = await tempCtx();
  const source: Session = {
    id: "g1",
    provider: "gemini-cli",
    metadata: {},
    messages: [
      { ...base, index: 0, role: "user", text: "go", timestamp: T0 },
      {
        ...base,
        index: 1,
        role: "assistant",
        text: "first",
        timestamp: T0 + 1,
        toolCalls: [{ id: "", name: "read_file", input: { path: "a" } }],
      },
      {
        ...base,
        index: 2,
        role: "assistant",
        text: "",
        timestamp: T0 + 2,
        toolCalls: [{ id: "dup", name: "read_file", input: { path: "b" } }, {
          id: "dup",
          name: "read_file",
          input: { path: "c" },
        }],
      },
      {
        ...base,
        index: 3,
        role: "tool",
        text: "",
        timestamp: T0 + 3,
        toolResults: [
          { callId: "", output: "A", isError: false },
          { callId: "dup", output: "B", isError: false },
          { callId: "dup", output: "C", isError: false },
        ],
      },
    ],
  };
  const plan = await planRollout(source, ctx, { workspace: "/w", now: NOW });
  const lines = parseLines(fileText(plan.files[0]!.data));
  const calls = lines.filter((l) => l.payload?.type === "function_call").map((l) =>
    l.payload.call_id
  );
  const outputs = lines.filter((l) => l.payload?.type === "function_call_output").map((l) =>
    l.payload.call_id
  );
  assert.equal(new Set(calls).size, 3);
  assert.ok(calls.every((id: string) => id !== ""));
  assert.deepEqual(outputs, calls);
  await writePlanFiles(plan);
  const { session } = await readRollout(plan.primaryPath, ctx);
  assert.deepEqual(session.messages.map((m) => [m.role, m.text]), [
    ["user", "go"],
    ["assistant", "first"],
    ["assistant", ""],
    ["tool", ""],
  ]);
  // Each result answers the call in the same position, duplicates included.
  const readCalls = session.messages.flatMap((m) => m.toolCalls);
  const readResults = session.messages.flatMap((m) => m.toolResults);
  assert.deepEqual(readCalls.map((c) => (c.input as { path: string }).path), ["a", "b", "c"]);
  assert.deepEqual(readResults.map((r) => r.output), ["A", "B", "C"]);
  assert.deepEqual(readResults.map((r) => r.callId), readCalls.map((c) => c.id));
});

Deno.test("planRollout() uses the provider set in config.toml and keeps a Codex model", async () => {
  const { home, ctx } = await tempCtx();
  await fs.mkdir(path.join(home, ".codex"));
  await fs.writeFile(
    path.join(home, ".codex", "config.toml"),
    'model = "gpt-5"\nmodel_provider = "azure" # work account\n\n[model_providers.azure]\nname = "Azure"\n',
  );
  assert.equal(await configuredModelProvider(path.join(home, ".codex")), "azure");
  const session: Session = { ...sampleSession(), provider: "codex", model: "gpt-5.1-codex" };
  const plan = await planRollout(session, ctx, { workspace: "/w", now: NOW });
  const lines = parseLines(fileText(plan.files[0]!.data));
  assert.equal(lines[0]!.payload.model_provider, "azure");
  assert.equal(lines[1]!.payload.model, "gpt-5.1-codex");
});

Deno.test("configuredModelProvider() ignores model_provider inside a table and missing files", async () => {
  const dir = await codexTempDir();
  assert.equal(await configuredModelProvider(dir), undefined);
  await fs.writeFile(path.join(dir, "config.toml"), '[profiles.x]\nmodel_provider = "nope"\n');
  assert.equal(await configuredModelProvider(dir), undefined);
});

Deno.test("planRollout() honours CODEX_HOME and appends to an existing session_index.jsonl with undo", async () => {
  const { home } = await tempCtx();
  const root = path.join(home, "custom-codex");
  await fs.mkdir(root);
  const index = path.join(root, "session_index.jsonl");
  const before = '{"id":"x","thread_name":"old","updated_at":"2026-01-01T00:00:00Z"}';
  await fs.writeFile(index, before); // no trailing newline on purpose
  const ctx: ProviderContext = { env: { CODEX_HOME: root }, homeDir: home, cwd: home };
  const plan = await planRollout(sampleSession(), ctx, { workspace: "/w", now: NOW });
  assert.ok(plan.primaryPath.startsWith(path.join(root, "sessions") + path.sep));
  assert.equal(plan.effects.length, 1);
  assert.equal(await fs.readFile(index, "utf8"), before, "plan() does not write");
  const undo = await plan.effects[0]!.apply();
  const lines = (await fs.readFile(index, "utf8")).split("\n");
  assert.equal(lines[0], before);
  assert.deepEqual(JSON.parse(lines[1]!), {
    id: plan.sessionId,
    thread_name: "Fix the ünïcode bug",
    updated_at: "2026-12-01T12:34:56.789Z",
  });
  assert.equal(lines[2], "");
  assert.ok(undo);
  await undo();
  assert.equal(await fs.readFile(index, "utf8"), before);
});

Deno.test("planRollout() uses the id the pipeline asks for when it is a UUID", async () => {
  const { ctx } = await tempCtx();
  const wanted = "5F0C8A52-3D4E-4B6F-9A1B-2C3D4E5F6A7B";
  const plan = await planRollout(sampleSession(), ctx, {
    workspace: "/w",
    now: NOW,
    sessionId: wanted,
  });
  assert.equal(plan.sessionId, wanted.toLowerCase());
  assert.ok(plan.primaryPath.endsWith(`-${wanted.toLowerCase()}.jsonl`));
  const bad = await planRollout(sampleSession(), ctx, {
    workspace: "/w",
    now: NOW,
    sessionId: "not-a-uuid",
  });
  assert.notEqual(bad.sessionId, "not-a-uuid");
  assert.ok(bad.warnings.some((w) => w.code === "session-id-replaced"));
});
