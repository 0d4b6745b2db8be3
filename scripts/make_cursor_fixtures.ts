/**
 * Builds the hand-made Cursor fixtures under `fixtures/cursor/` (Cursor's
 * desktop app and `cursor-agent` are not installable from npm, so no real
 * Cursor wrote them). Every table, key and JSON shape follows
 * `shared/providers/cursor.md` (sections A.2–A.6, B.1–B.3); see
 * fixtures/README.md for which facts are confirmed by which source.
 *
 * Usage: `npx -y deno@2.9.6 run -A scripts/make_cursor_fixtures.ts`
 *
 * @module
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const HOME = path.join(ROOT, "fixtures", "cursor");
const WORKSPACE = "/tmp/casr-fixture-project";
const WORKSPACE_URI = "file:///tmp/casr-fixture-project";
/** The desktop chat's composer id. */
export const COMPOSER_ID = "7c0d5b1e-3f2a-4c8e-9b6d-1a2b3c4d5e6f";
/** The CLI chat's agent id. */
export const AGENT_ID = "3e9a7f21-5b4c-4d8e-a1f0-6c2b9d8e7a54";
/** The workspaceStorage id (opaque in Cursor; any hex string). */
const WORKSPACE_ID = "5f2b8c0e9d1a4b7c8e3f6a2d1c0b9e8f";

const PROMPT_1 = "Please run the shell command `echo casr-fixture` and tell me what it printed.";
const PROMPT_2 =
  'Thanks! Unicode check: héllo wörld — 日本語 ✓ 🚀\nMarkdown trap:\n```sh\necho "inside a fence"\n```\n# a line that starts with a hash\nReply briefly.';
const REPLY_1 = "Running `echo casr-fixture` now.";
const REPLY_2 = "It printed `casr-fixture`.";
const REPLY_3 =
  'Got it — héllo wörld, 日本語 ✓ 🚀.\n\n## Summary\n\n- the fence stayed a fence:\n\n```sh\necho "inside a fence"\n```\n\n| check | ok |\n| --- | --- |\n| unicode | ✓ |';

const MULTI_1 =
  "Please run these two shell commands at the same time: `printf 'line one\\nline two\\n'` and `ls /definitely-not-here-casr`. Tell me what each one printed.";
const MULTI_2 = "One more: run `echo second-turn` and tell me its output.";
const MULTI_3 =
  "Last check 🚀 with tricky text.\n/help is plain text on this line, not a command\nProse with an <example>tag-like</example> span inside.\n| command | outcome |\n| --- | --- |\n| printf | two lines |\n| ls | failed |\nAnswer with a code block.";
const MULTI_R1 = "Running `printf` and `ls` at the same time.";
const MULTI_R2 = "`printf` printed two lines; `ls` failed: No such file or directory.";
const MULTI_R3 = "Running `echo second-turn` now.";
const MULTI_R4 = "It printed `second-turn`.";
const MULTI_R5 = 'Here it is — 日本語 ✓:\n```ts\nconst rocket = "🚀"; // <example/>\n```\nDone.';

const T0 = Date.UTC(2026, 11, 1, 20, 15, 0);
const iso = (s: number) => new Date(T0 + s * 1000).toISOString();
const ms = (s: number) => T0 + s * 1000;

function reset(file: string): DatabaseSync {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
  return new DatabaseSync(file);
}

function desktop(): void {
  const userDir = path.join(HOME, ".config", "Cursor", "User");
  const db = reset(path.join(userDir, "globalStorage", "state.vscdb"));
  // VS Code's storage schema (src/vs/base/parts/storage/node/storage.ts) and Cursor's KV table.
  db.exec(
    "PRAGMA user_version = 1; " +
      "CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB); " +
      "CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);",
  );
  const empty = {
    codeBlocks: [],
    toolResults: [],
    lints: [],
    attachedCodeChunks: [],
    gitDiffs: [],
  };
  const user = (id: string, text: string, s: number) => ({
    _v: 3,
    type: 1,
    bubbleId: id,
    text,
    richText: JSON.stringify({
      root: {
        children: text.split("\n").map((line) => ({
          children: line === "" ? [] : [{
            detail: 0,
            format: 0,
            mode: "normal",
            style: "",
            text: line,
            type: "text",
            version: 1,
          }],
          direction: "ltr",
          format: "",
          indent: 0,
          type: "paragraph",
          version: 1,
        })),
        direction: "ltr",
        format: "",
        indent: 0,
        type: "root",
        version: 1,
      },
    }),
    createdAt: iso(s),
    ...empty,
    context: { fileSelections: [], folderSelections: [] },
  });
  const assistant = (id: string, text: string, s: number, extra: Record<string, unknown> = {}) => ({
    _v: 3,
    type: 2,
    bubbleId: id,
    text,
    createdAt: iso(s),
    modelInfo: { modelName: "claude-4.5-sonnet" },
    tokenCount: { inputTokens: 0, outputTokens: 0 },
    ...empty,
    ...extra,
  });
  const bubbles = [
    user("b0000001-0000-4000-8000-000000000001", PROMPT_1, 0),
    assistant("b0000001-0000-4000-8000-000000000002", "", 2, {
      thinking: {
        text: "The user wants a shell command run; use the terminal tool.",
        signature: "",
      },
    }),
    assistant("b0000001-0000-4000-8000-000000000003", REPLY_1, 2),
    assistant("b0000001-0000-4000-8000-000000000004", "", 3, {
      toolFormerData: {
        toolCallId: "toolu_01CasrFixtureEcho",
        toolIndex: 0,
        modelCallId: "mc-0001",
        status: "completed",
        name: "run_terminal_command_v2",
        rawArgs: JSON.stringify({ command: "echo casr-fixture", is_background: false }),
        params: JSON.stringify({ command: "echo casr-fixture", isBackground: false }),
        result: JSON.stringify({ output: "casr-fixture\n", exitCode: 0 }),
        additionalData: { status: "success" },
      },
      timingInfo: { clientStartTime: ms(3), clientEndTime: ms(4) },
    }),
    assistant("b0000001-0000-4000-8000-000000000005", REPLY_2, 5),
    user("b0000001-0000-4000-8000-000000000006", PROMPT_2, 60),
    assistant("b0000001-0000-4000-8000-000000000007", REPLY_3, 62),
  ];
  const name = "Run echo casr-fixture";
  const composer = {
    _v: 13,
    composerId: COMPOSER_ID,
    name,
    richText: "",
    text: "",
    hasLoaded: true,
    createdAt: ms(0),
    lastUpdatedAt: ms(62),
    status: "completed",
    unifiedMode: "agent",
    forceMode: "edit",
    isAgentic: true,
    modelConfig: { modelName: "claude-4.5-sonnet", maxMode: false },
    context: { fileSelections: [], folderSelections: [], selectedDocs: [], mentions: {} },
    conversationMap: {},
    fullConversationHeadersOnly: bubbles.map((b) => ({ bubbleId: b.bubbleId, type: b.type })),
  };
  const insert = db.prepare("INSERT INTO cursorDiskKV (key, value) VALUES (?, ?)");
  for (const b of bubbles) insert.run(`bubbleId:${COMPOSER_ID}:${b.bubbleId}`, JSON.stringify(b));
  insert.run(`composerData:${COMPOSER_ID}`, JSON.stringify(composer));
  const head = {
    type: "head",
    composerId: COMPOSER_ID,
    name,
    subtitle: "",
    createdAt: ms(0),
    lastUpdatedAt: ms(62),
    conversationCheckpointLastUpdatedAt: ms(62),
    unifiedMode: "agent",
    forceMode: "edit",
    hasUnreadMessages: false,
    isArchived: false,
    isDraft: false,
    workspaceIdentifier: {
      id: WORKSPACE_ID,
      uri: { $mid: 1, fsPath: WORKSPACE, external: WORKSPACE_URI, path: WORKSPACE, scheme: "file" },
    },
  };
  db.prepare("INSERT INTO ItemTable (key, value) VALUES (?, ?)").run(
    "composer.composerHeaders",
    JSON.stringify({ allComposers: [head] }),
  );
  db.close();

  const wsDir = path.join(userDir, "workspaceStorage", WORKSPACE_ID);
  fs.mkdirSync(wsDir, { recursive: true });
  fs.writeFileSync(
    path.join(wsDir, "workspace.json"),
    JSON.stringify({ folder: WORKSPACE_URI }, null, 2) + "\n",
  );
  const ws = reset(path.join(wsDir, "state.vscdb"));
  ws.exec(
    "PRAGMA user_version = 1; " +
      "CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB); " +
      "CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);",
  );
  ws.prepare("INSERT INTO ItemTable (key, value) VALUES (?, ?)").run(
    "composer.composerData",
    JSON.stringify({
      selectedComposerIds: [COMPOSER_ID],
      lastFocusedComposerIds: [COMPOSER_ID],
      hasMigratedComposerData: true,
      hasMigratedMultipleComposers: true,
    }),
  );
  ws.close();
}

function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function field(n: number, bytes: Uint8Array): number[] {
  const out = [n * 8 + 2];
  let len = bytes.length;
  while (len >= 0x80) {
    out.push((len % 0x80) | 0x80);
    len = Math.floor(len / 0x80);
  }
  out.push(len, ...bytes);
  return out;
}

function cli(): void {
  const bucket = createHash("md5").update(WORKSPACE).digest("hex");
  const dir = path.join(HOME, ".cursor", "chats", bucket, AGENT_ID);
  const db = reset(path.join(dir, "store.db"));
  db.exec(
    "CREATE TABLE blobs (id TEXT PRIMARY KEY, data BLOB); CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);",
  );
  const call = (id: string, command: string) => ({
    type: "tool-call",
    toolCallId: id,
    toolName: "Shell",
    args: { command, working_directory: WORKSPACE },
  });
  const result = (id: string, text: string, isError = false) => ({
    type: "tool-result",
    toolCallId: id,
    toolName: "Shell",
    result: text,
    ...(isError ? { isError: true } : {}),
  });
  const query = (text: string) => ({
    role: "user",
    content: [{ type: "text", text: `<user_query>\n${text}\n</user_query>` }],
  });
  const say = (text: string) => ({ role: "assistant", content: [{ type: "text", text }] });
  const leaves = [
    { role: "system", content: "You are a powerful agentic AI coding assistant." },
    {
      role: "user",
      content: [{
        type: "text",
        text:
          `<user_info>\nOS Version: linux\nWorkspace Path: ${WORKSPACE}\nShell: bash\n</user_info>`,
      }],
    },
    query(MULTI_1),
    {
      role: "assistant",
      content: [
        { type: "reasoning", text: "Both commands are independent; run them in parallel." },
        { type: "text", text: MULTI_R1 },
        call("tool_a1-printf", "printf 'line one\\nline two\\n'"),
        call("tool_a2-ls", "ls /definitely-not-here-casr"),
      ],
    },
    {
      role: "tool",
      content: [
        result("tool_a1-printf", "Exit code: 0\n\nCommand output:\n\n```\nline one\nline two\n```"),
        result(
          "tool_a2-ls",
          "Exit code: 2\n\nCommand output:\n\n```\nls: cannot access '/definitely-not-here-casr': No such file or directory\n```",
          true,
        ),
      ],
    },
    say(MULTI_R2),
    query(MULTI_2),
    {
      role: "assistant",
      content: [{ type: "text", text: MULTI_R3 }, call("tool_b1-echo", "echo second-turn")],
    },
    {
      role: "tool",
      content: [result("tool_b1-echo", "Exit code: 0\n\nCommand output:\n\n```\nsecond-turn\n```")],
    },
    say(MULTI_R4),
    query(MULTI_3),
    say(MULTI_R5),
  ];
  const insert = db.prepare("INSERT OR IGNORE INTO blobs (id, data) VALUES (?, ?)");
  const root: number[] = [];
  for (const leaf of leaves) {
    const data = new TextEncoder().encode(JSON.stringify(leaf));
    const id = sha256(data);
    insert.run(hex(id), data);
    root.push(...field(1, id));
  }
  root.push(...field(9, new TextEncoder().encode(WORKSPACE_URI)));
  const rootBytes = Uint8Array.from(root);
  const rootId = hex(sha256(rootBytes));
  insert.run(rootId, rootBytes);
  const meta = {
    agentId: AGENT_ID,
    latestRootBlobId: rootId,
    name: "Two commands at once",
    mode: "default",
    createdAt: ms(0),
    lastUsedModel: "claude-4.5-sonnet",
  };
  db.prepare("INSERT INTO meta (key, value) VALUES ('0', ?)").run(
    hex(new TextEncoder().encode(JSON.stringify(meta))),
  );
  db.close();
  fs.writeFileSync(
    path.join(dir, "meta.json"),
    JSON.stringify(
      {
        schemaVersion: 1,
        createdAtMs: ms(0),
        updatedAtMs: ms(120),
        hasConversation: true,
        cwd: WORKSPACE,
        title: meta.name,
      },
      null,
      2,
    ) + "\n",
  );
}

if (import.meta.main) {
  desktop();
  cli();
  console.log(`wrote ${HOME}`);
}
