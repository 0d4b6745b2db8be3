/**
 * Builds the hand-made Grok Build and Kiro CLI fixtures under `fixtures/grok/`
 * and `fixtures/kiro/` (neither CLI installs here: both are installed by
 * vendor scripts, not from npm). Shapes follow shared/providers/grok.md §2–§3
 * and shared/providers/kiro.md §2–§3, checked against public source where it
 * exists (see src/providers/grok/README.md and src/providers/kiro/README.md).
 *
 * Usage: `npx -y deno@2.9.6 run -A scripts/make_grok_kiro_fixtures.ts`
 *
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const WORKSPACE = "/tmp/casr-fixture-project";

/** The Grok session id (a UUIDv7, as Grok makes them). */
export const GROK_ID = "019ad2d1-5e40-7c3a-8f21-6b0e4c9d2a17";
/** The Kiro G2 session id. */
export const KIRO_G2_ID = "3f6c2a1e-8b4d-4e7a-9c5f-1d2e3a4b5c6d";
/** The Kiro G1 conversation id. */
export const KIRO_G1_ID = "a7d3e5f1-2b4c-4d6e-8f0a-1c3e5a7b9d2f";
/** The Kiro G3 session id (its folder is `sess_<id>`). */
export const KIRO_G3_ID = "c4e8a2b6-1d3f-4a5c-9e7b-2f4d6a8c0e13";

const PROMPT_1 = "Please run the shell command `echo casr-fixture` and tell me what it printed.";
const PROMPT_2 =
  'Thanks! Unicode check: héllo wörld — 日本語 ✓ 🚀\nMarkdown trap:\n```sh\necho "inside a fence"\n```\n# a line that starts with a hash\nReply briefly.';
const REPLY_1 = "Running `echo casr-fixture` now.";
const REPLY_2 = "It printed `casr-fixture`.";
const REPLY_3 =
  'Got it — héllo wörld, 日本語 ✓ 🚀.\n\n## Summary\n\n- the fence stayed a fence:\n\n```sh\necho "inside a fence"\n```\n\n| check | ok |\n| --- | --- |\n| unicode | ✓ |';

const T0 = Date.UTC(2026, 11, 1, 20, 40, 0);
const ms = (s: number) => T0 + s * 1000;
const iso = (s: number) => new Date(ms(s)).toISOString();
const nanos = (s: number) => iso(s).replace(/\.(\d{3})Z$/, ".$1000000Z");
const micros = (s: number) => iso(s).replace(/\.(\d{3})Z$/, ".$1000Z");

function write(file: string, data: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
}
const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join("\n") + "\n";

function grok(): void {
  const home = path.join(ROOT, "fixtures", "grok");
  fs.rmSync(home, { recursive: true, force: true });
  const dir = path.join(home, ".grok", "sessions", "%2Ftmp%2Fcasr-fixture-project", GROK_ID);
  const p1 = "5b0c6f1e-2a3d-4c5b-8e7f-90a1b2c3d4e5";
  const p2 = "7c1d8e2f-3b4a-4d6c-9f80-a1b2c3d4e5f6";
  const p3 = "8d2e9f30-4c5b-4e7d-a091-b2c3d4e5f607";
  let n = 0;
  const line = (
    s: number,
    update: Record<string, unknown>,
    promptId?: string,
    method = "session/update",
  ) => ({
    timestamp: Math.floor(ms(s) / 1000),
    method,
    params: {
      sessionId: GROK_ID,
      update,
      _meta: {
        eventId: `${GROK_ID}-${++n}`,
        agentTimestampMs: ms(s),
        ...(promptId ? { promptId } : {}),
      },
    },
  });
  const text = (t: string) => ({ type: "text", text: t });
  const updates = [
    line(0, {
      sessionUpdate: "user_message_chunk",
      content: text(PROMPT_1),
      _meta: { modelId: "grok-4.5", promptIndex: 0 },
    }),
    line(1, {
      sessionUpdate: "agent_thought_chunk",
      content: text("The user wants one shell command run."),
    }, p1),
    line(1.2, { sessionUpdate: "agent_message_chunk", content: text(REPLY_1) }, p1),
    line(1.4, {
      sessionUpdate: "tool_call",
      toolCallId: "call_6f2b0d9e4a",
      title: "echo casr-fixture",
      kind: "execute",
      status: "pending",
      rawInput: { command: "echo casr-fixture" },
      locations: [],
      _meta: { "x.ai/tool": { name: "run_terminal_command" } },
    }, p1),
    line(2, {
      sessionUpdate: "tool_call_update",
      toolCallId: "call_6f2b0d9e4a",
      status: "completed",
      content: [{ type: "content", content: text("casr-fixture\n") }],
    }, p1),
    line(3, { sessionUpdate: "agent_message_chunk", content: text(REPLY_2) }, p2),
    line(
      3.1,
      {
        sessionUpdate: "turn_completed",
        usage: { inputTokens: 1830, outputTokens: 41, totalTokens: 1871 },
      },
      p2,
      "_x.ai/session/update",
    ),
    line(10, {
      sessionUpdate: "user_message_chunk",
      content: text(PROMPT_2),
      _meta: { modelId: "grok-4.5", promptIndex: 1 },
    }),
    line(11, { sessionUpdate: "agent_message_chunk", content: text(REPLY_3.slice(0, 40)) }, p3),
    line(11.3, { sessionUpdate: "agent_message_chunk", content: text(REPLY_3.slice(40)) }, p3),
    line(
      11.4,
      {
        sessionUpdate: "turn_completed",
        usage: { inputTokens: 1930, outputTokens: 88, totalTokens: 2018 },
      },
      p3,
      "_x.ai/session/update",
    ),
  ];
  write(path.join(dir, "updates.jsonl"), jsonl(updates));
  const summary = {
    info: { id: GROK_ID, cwd: WORKSPACE },
    session_summary: "Run echo casr-fixture",
    generated_title: "Run echo casr-fixture",
    title_is_manual: false,
    created_at: nanos(0),
    updated_at: nanos(11.4),
    last_active_at: nanos(11.4),
    num_messages: updates.length,
    num_chat_messages: 6,
    current_model_id: "grok-4.5",
    chat_format_version: 1,
  };
  write(path.join(dir, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
}

function kiroG2(home: string): void {
  const dir = path.join(home, ".kiro", "sessions", "cli");
  const meta = {
    session_id: KIRO_G2_ID,
    cwd: WORKSPACE,
    created_at: micros(100),
    updated_at: micros(111),
    title: PROMPT_1.slice(0, 60),
    parent_session_id: null,
    session_created_reason: null,
    session_state: {
      version: "v1",
      conversation_metadata: {
        user_turn_metadatas: [],
        user_turn_start_request: null,
        last_request: null,
      },
      rts_model_state: {
        conversation_id: KIRO_G2_ID,
        model_info: null,
        context_usage_percentage: null,
      },
      permissions: {
        filesystem: {
          allowed_read_paths: [WORKSPACE],
          allowed_write_paths: [],
          denied_read_paths: [],
          denied_write_paths: [],
        },
        trusted_tools: [],
        denied_tools: [],
        allowed_commands: [],
      },
      agent_name: null,
    },
  };
  write(path.join(dir, `${KIRO_G2_ID}.json`), JSON.stringify(meta, null, 2));
  const call = "tooluse_Xq3v7Rk2TmWc9bN1";
  const entry = (kind: string, data: Record<string, unknown>) => ({ version: "v1", kind, data });
  const lines = [
    entry("Prompt", {
      message_id: "0f4a1c2e-5b6d-4e7f-8a9b-0c1d2e3f4a01",
      content: [{ kind: "text", data: PROMPT_1 }],
      meta: { timestamp: Math.floor(ms(100) / 1000) },
    }),
    entry("AssistantMessage", {
      message_id: "0f4a1c2e-5b6d-4e7f-8a9b-0c1d2e3f4a02",
      content: [
        { kind: "text", data: REPLY_1 },
        {
          kind: "toolUse",
          data: {
            toolUseId: call,
            name: "shell",
            input: { command: "echo casr-fixture", __tool_use_purpose: "Print casr-fixture" },
          },
        },
      ],
    }),
    entry("ToolResults", {
      message_id: "0f4a1c2e-5b6d-4e7f-8a9b-0c1d2e3f4a03",
      content: [{
        kind: "toolResult",
        data: {
          toolUseId: call,
          content: [{
            kind: "json",
            data: { stdout: "casr-fixture\n", stderr: "", exit_status: "0" },
          }],
          status: "success",
        },
      }],
      results: {
        [call]: {
          tool: {
            tool_use_purpose: "Print casr-fixture",
            kind: { BuiltIn: { ExecuteCmd: { command: "echo casr-fixture" } } },
          },
          result: {
            Success: {
              items: [{ Json: { stdout: "casr-fixture\n", stderr: "", exit_status: "0" } }],
            },
          },
        },
      },
    }),
    entry("AssistantMessage", {
      message_id: "0f4a1c2e-5b6d-4e7f-8a9b-0c1d2e3f4a04",
      content: [
        {
          kind: "thinking",
          data: {
            text: "The command printed one line.",
            signature: "EqQBCkYIBxgCKkCasrFixtureSignature",
            redactedContent: [],
            modelId: "claude-sonnet-4.5",
          },
        },
        { kind: "text", data: REPLY_2 },
      ],
    }),
    entry("Prompt", {
      message_id: "0f4a1c2e-5b6d-4e7f-8a9b-0c1d2e3f4a05",
      content: [{ kind: "text", data: PROMPT_2 }],
      meta: { timestamp: Math.floor(ms(110) / 1000) },
    }),
    entry("AssistantMessage", {
      message_id: "0f4a1c2e-5b6d-4e7f-8a9b-0c1d2e3f4a06",
      content: [{ kind: "text", data: REPLY_3 }],
    }),
  ];
  write(path.join(dir, `${KIRO_G2_ID}.jsonl`), jsonl(lines));
}

function kiroG1(home: string): void {
  const file = path.join(home, ".local", "share", "kiro-cli", "data.sqlite3");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
  const env = {
    env_state: {
      operating_system: "linux",
      current_working_directory: WORKSPACE,
      environment_variables: [],
    },
  };
  const user = (content: unknown, s: number) => ({
    additional_context: "",
    env_context: env,
    content,
    timestamp: new Date(ms(s)).toISOString().replace("Z", "+00:00"),
    images: null,
  });
  const request = (id: string, start: number, end: number) => ({
    request_id: `req-${id}`,
    message_id: id,
    request_start_timestamp_ms: ms(start),
    stream_end_timestamp_ms: ms(end),
    time_to_first_chunk: null,
    time_between_chunks: null,
    user_prompt_length: 0,
    response_size: 0,
    chat_conversation_type: null,
    tool_use_ids_and_names: [],
    model_id: "claude-sonnet-4.5",
    message_meta_tags: [],
  });
  const call = "tooluse_Lm4kP9sQ2vXa7eD0";
  const args = { command: "echo casr-fixture", summary: "Print casr-fixture" };
  const value = {
    conversation_id: KIRO_G1_ID,
    next_message: null,
    history: [
      {
        user: user({ Prompt: { prompt: PROMPT_1 } }, 200),
        assistant: {
          ToolUse: {
            message_id: "b1c2d3e4-0001-4a5b-8c6d-7e8f9a0b1c01",
            content: REPLY_1,
            tool_uses: [{
              id: call,
              name: "execute_bash",
              orig_name: "execute_bash",
              args,
              orig_args: args,
            }],
          },
        },
        request_metadata: request("b1c2d3e4-0001-4a5b-8c6d-7e8f9a0b1c01", 200, 201),
      },
      {
        user: user({
          ToolUseResults: {
            tool_use_results: [{
              tool_use_id: call,
              content: [{ Json: { exit_status: "0", stdout: "casr-fixture", stderr: "" } }],
              status: "Success",
            }],
          },
        }, 202),
        assistant: {
          Response: { message_id: "b1c2d3e4-0002-4a5b-8c6d-7e8f9a0b1c02", content: REPLY_2 },
        },
        request_metadata: request("b1c2d3e4-0002-4a5b-8c6d-7e8f9a0b1c02", 202, 203),
      },
      {
        user: user({ Prompt: { prompt: PROMPT_2 } }, 210),
        assistant: {
          Response: { message_id: "b1c2d3e4-0003-4a5b-8c6d-7e8f9a0b1c03", content: REPLY_3 },
        },
        request_metadata: request("b1c2d3e4-0003-4a5b-8c6d-7e8f9a0b1c03", 210, 212),
      },
    ],
    valid_history_range: [0, 3],
    transcript: [],
    tools: {},
    context_manager: null,
    context_message_length: null,
    latest_summary: null,
    model_info: {
      model_name: "claude-sonnet-4.5",
      model_id: "claude-sonnet-4.5",
      context_window_tokens: 200000,
    },
    file_line_tracker: {},
  };
  const db = new DatabaseSync(file);
  db.exec(`CREATE TABLE conversations_v2 (
    key TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (key, conversation_id)
  )`);
  db.prepare(
    "INSERT INTO conversations_v2 (key, conversation_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
  ).run(WORKSPACE, KIRO_G1_ID, JSON.stringify(value), ms(200), ms(212));
  db.close();
}

function kiroG3(home: string): void {
  const dir = path.join(home, ".kiro", "sessions", "9f2c4e6a8b0d1f3e", `sess_${KIRO_G3_ID}`);
  const session = {
    id: `sess_${KIRO_G3_ID}`,
    cwd: WORKSPACE,
    title: PROMPT_1.slice(0, 60),
    modelId: "claude-sonnet-4.5",
    createdAt: iso(300),
    lastModifiedAt: iso(312),
  };
  write(path.join(dir, "session.json"), JSON.stringify(session, null, 2));
  let n = 0;
  const event = (s: number, payload: Record<string, unknown>) => ({
    id: `evt_${String(++n).padStart(4, "0")}`,
    timestamp: iso(s),
    payload,
  });
  const call = "tooluse_Gh7nR2cV5kYp3wQ8";
  const events = [
    event(300, { type: "user", content: PROMPT_1 }),
    event(301, { type: "assistant", operationType: "Say", content: REPLY_1 }),
    event(301.2, {
      type: "tool_call",
      toolCallId: call,
      toolName: "shell",
      args: { command: "echo casr-fixture" },
    }),
    event(302, { type: "tool_result", toolCallId: call, content: "casr-fixture\n", success: true }),
    event(303, { type: "assistant", operationType: "Say", content: REPLY_2 }),
    event(303.1, { type: "usage_summary", promptTurnSummaries: [{ usage: 0.12 }] }),
    event(310, { type: "user", content: PROMPT_2 }),
    event(312, { type: "assistant", operationType: "Say", content: REPLY_3 }),
    event(312.1, { type: "usage_summary", promptTurnSummaries: [{ usage: 0.08 }] }),
  ];
  write(path.join(dir, "messages.jsonl"), jsonl(events));
}

if (import.meta.main) {
  grok();
  const kiroHome = path.join(ROOT, "fixtures", "kiro");
  fs.rmSync(kiroHome, { recursive: true, force: true });
  kiroG2(kiroHome);
  kiroG1(kiroHome);
  kiroG3(kiroHome);
  console.log("wrote fixtures/grok and fixtures/kiro");
}
