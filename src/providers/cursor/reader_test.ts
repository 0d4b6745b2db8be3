import assert from "node:assert/strict";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { CasrError } from "../../errors.ts";
import { tempHome } from "../../../tests/fixture_home.ts";
import { bubblesToMessages, lexicalJson, lexicalText, toolResultText } from "./bubbles.ts";
import { claimsCursorFile } from "./claims.ts";
import { cursor } from "./mod.ts";
import { readHead } from "../../internal/fs.ts";
import type { Warning } from "../../model/types.ts";
import { rolesOf } from "../../model/testdata/roles.ts";

const COMPOSER = "7c0d5b1e-3f2a-4c8e-9b6d-1a2b3c4d5e6f";
const AGENT = "3e9a7f21-5b4c-4d8e-a1f0-6c2b9d8e7a54";
const WORKSPACE = "/tmp/casr-fixture-project";

function globalDb(home: string): string {
  return path.join(home, ".config", "Cursor", "User", "globalStorage", "state.vscdb");
}

function storeDb(home: string): string {
  return path.join(
    home,
    ".cursor",
    "chats",
    "f4ecdfb5594c73e34ef1397cec6ccbef",
    AGENT,
    "store.db",
  );
}

Deno.test("cursor.read() reads the desktop fixture: order, tool call and result, thinking, times", async () => {
  await using home = await tempHome(["cursor"]);
  const { session, warnings } = await cursor.read(`${globalDb(home.home)}#${COMPOSER}`, home.ctx);
  assert.deepEqual(warnings, []);
  assert.equal(session.id, COMPOSER);
  assert.equal(session.provider, "cursor");
  assert.equal(session.workspace, WORKSPACE);
  assert.equal(session.title, "Run echo casr-fixture");
  assert.equal(session.model, "claude-4.5-sonnet");
  assert.equal(rolesOf(session), "user assistant tool assistant user assistant");
  const [, reply, tool, , prompt, last] = session.messages;
  assert.equal(reply?.text, "Running `echo casr-fixture` now.");
  assert.equal(reply?.reasoning, "The user wants a shell command run; use the terminal tool.");
  assert.deepEqual(reply?.toolCalls, [{
    id: "toolu_01CasrFixtureEcho",
    name: "run_terminal_command_v2",
    input: { command: "echo casr-fixture", isBackground: false },
  }]);
  assert.deepEqual(tool?.toolResults, [{
    callId: "toolu_01CasrFixtureEcho",
    output: "casr-fixture\n",
    isError: false,
    name: "run_terminal_command_v2",
  }]);
  assert.equal(tool?.timestamp, Date.UTC(2026, 11, 1, 20, 15, 4));
  assert.ok(prompt?.text.includes("日本語 ✓ 🚀\nMarkdown trap:\n```sh"));
  assert.ok(last?.text.includes("| unicode | ✓ |"));
  assert.equal(session.messages[0]?.timestamp, Date.UTC(2026, 11, 1, 20, 15, 0));
});

Deno.test("cursor.read() reads the cursor-agent store.db fixture by walking the root blob", async () => {
  await using home = await tempHome(["cursor"]);
  const { session } = await cursor.read(storeDb(home.home), home.ctx);
  assert.equal(session.id, AGENT);
  assert.equal(session.workspace, WORKSPACE);
  assert.equal(session.title, "Two commands at once");
  assert.equal(
    rolesOf(session),
    "system system user assistant tool assistant user assistant tool assistant user assistant",
  );
  assert.ok(session.messages[2]?.text.startsWith("Please run these two shell commands"));
  const parallel = session.messages[3]!;
  assert.equal(parallel.reasoning, "Both commands are independent; run them in parallel.");
  assert.deepEqual(
    parallel.toolCalls.map((c) => [c.id, c.name, (c.input as { command: string }).command]),
    [
      ["tool_a1-printf", "Shell", "printf 'line one\\nline two\\n'"],
      ["tool_a2-ls", "Shell", "ls /definitely-not-here-casr"],
    ],
  );
  const results = session.messages[4]!.toolResults;
  assert.deepEqual(results.map((r) => [r.callId, r.isError]), [["tool_a1-printf", false], [
    "tool_a2-ls",
    true,
  ]]);
  assert.ok(results[1]?.output.includes("No such file or directory"));
  assert.ok(session.messages[10]?.text.startsWith("Last check 🚀 with tricky text.\n/help"));
  assert.equal(
    cursor.resumeCommand({ id: AGENT, workspace: WORKSPACE, path: storeDb(home.home) }).shell,
    `cd ${WORKSPACE} && cursor-agent --resume ${AGENT}`,
  );
});

Deno.test("cursor.list() and find() see both stores; find takes ids, prefixes and <db>#<id>", async () => {
  await using home = await tempHome(["cursor"]);
  const all = await cursor.list(home.ctx);
  assert.deepEqual(all.map((s) => s.id).sort(), [AGENT, COMPOSER]);
  const desktop = all.find((s) => s.id === COMPOSER)!;
  assert.equal(desktop.path, `${globalDb(home.home)}#${COMPOSER}`);
  assert.equal(desktop.workspace, WORKSPACE);
  assert.equal(desktop.messageCount, 7);
  assert.equal(desktop.title, "Run echo casr-fixture");
  assert.deepEqual((await cursor.find(home.ctx, "7C0D")).map((s) => s.id), [COMPOSER]);
  assert.deepEqual((await cursor.find(home.ctx, desktop.path)).map((s) => s.id), [COMPOSER]);
  assert.deepEqual((await cursor.find(home.ctx, "3e9a")).map((s) => s.path), [storeDb(home.home)]);
  assert.deepEqual(await cursor.find(home.ctx, "ffff"), []);
});

Deno.test("cursor.resumeCommand() depends only on the summary it is given, not on what was listed", async () => {
  await using home = await tempHome(["cursor"]);
  // Before anything is listed or read in this test, the summary alone decides.
  const cliRef = { id: AGENT, workspace: WORKSPACE, path: storeDb(home.home) };
  const desktopRef = {
    id: COMPOSER,
    workspace: WORKSPACE,
    path: `${globalDb(home.home)}#${COMPOSER}`,
    title: "Run echo casr-fixture",
  };
  const before = [cursor.resumeCommand(cliRef), cursor.resumeCommand(desktopRef)];
  assert.equal(before[0]!.shell, `cd ${WORKSPACE} && cursor-agent --resume ${AGENT}`);
  assert.equal(
    before[1]!.shell,
    `cursor ${WORKSPACE}  # then Chat sidebar → history → "Run echo casr-fixture" (composer ${COMPOSER})`,
  );
  // The same id without the CLI's store path is a desktop chat; without a title it is "the chat".
  assert.match(cursor.resumeCommand({ id: AGENT }).note ?? "", /chat history → the chat;/);
  // Listing and reading change nothing.
  const listed = await cursor.list(home.ctx);
  await cursor.read(storeDb(home.home), home.ctx);
  assert.deepEqual([cursor.resumeCommand(cliRef), cursor.resumeCommand(desktopRef)], before);
  assert.match(cursor.resumeCommand({ id: AGENT }).note ?? "", /chat history → the chat;/);
  const fromList = listed.map((s) => cursor.resumeCommand(s).argv[0]).sort();
  assert.deepEqual(fromList, ["cursor", "cursor-agent"]);
});

Deno.test("cursor.claims() takes Cursor databases only", async () => {
  await using home = await tempHome(["cursor"]);
  const g = globalDb(home.home);
  assert.equal(claimsCursorFile(g, await readHead(g, 8192)), true);
  assert.equal(
    claimsCursorFile(storeDb(home.home), await readHead(storeDb(home.home), 8192)),
    true,
  );
  assert.equal(claimsCursorFile("/x/a.jsonl", '{"type":"user"}'), false);
  const other = path.join(home.home, "other.db");
  const db = new DatabaseSync(other);
  db.exec("CREATE TABLE session (id TEXT)");
  db.close();
  assert.equal(claimsCursorFile(other, await readHead(other, 8192)), false);
});

Deno.test("cursor.read() fails with CasrError on a missing chat, a non-database and an ambiguous database", async () => {
  await using home = await tempHome(["cursor"]);
  const g = globalDb(home.home);
  await assert.rejects(
    cursor.read(`${g}#nope`, home.ctx),
    (e) => e instanceof CasrError && e.code === "parse-failed",
  );
  const junk = path.join(home.home, "junk.vscdb");
  await Deno.writeTextFile(junk, "not sqlite at all");
  await assert.rejects(cursor.read(junk, home.ctx), (e) => e instanceof CasrError);
  const db = new DatabaseSync(g);
  db.prepare("INSERT INTO cursorDiskKV VALUES (?, ?)").run(
    "composerData:second",
    JSON.stringify({ composerId: "second", conversation: [{ type: 1, text: "hi" }] }),
  );
  db.close();
  await assert.rejects(
    cursor.read(g, home.ctx),
    (e) => e instanceof CasrError && e.code === "ambiguous-session",
  );
  const second = await cursor.read(`${g}#second`, home.ctx);
  assert.equal(second.session.messages[0]?.text, "hi");
});

Deno.test("bubblesToMessages() groups parallel calls by modelCallId and splits sequential ones", () => {
  const tool = (id: string, mc: string | undefined, result: string, status = "completed") => ({
    type: 2,
    text: "",
    toolFormerData: {
      toolCallId: id,
      name: "run_terminal_command_v2",
      params: JSON.stringify({ command: id }),
      result: JSON.stringify({ output: result }),
      status,
      ...(mc === undefined ? {} : { modelCallId: mc }),
    },
  });
  const bubbles = [
    { type: 1, text: "go" },
    { type: 2, text: "two at once", modelCallId: "m1" },
    tool("a", "m1", "A"),
    tool("b", "m1", "B", "error"),
    tool("c", "m2", "C"),
    tool("d", undefined, "D"),
    { type: 2, text: "done" },
    { type: 7, text: "?" },
    "junk",
  ].map((bubble, position) => ({ bubble, position }));
  const warnings: Warning[] = [];
  const messages = bubblesToMessages(bubbles, warnings);
  assert.deepEqual(
    messages.map((m) => [
      m.role,
      m.text,
      m.toolCalls.map((c) => c.id),
      m.toolResults.map((r) => r.output),
    ]),
    [
      ["user", "go", [], []],
      ["assistant", "two at once", ["a", "b"], []],
      ["tool", "", [], ["A", "B"]],
      ["assistant", "", ["c"], []],
      ["tool", "", [], ["C"]],
      ["assistant", "", ["d"], []],
      ["tool", "", [], ["D"]],
      ["assistant", "done", [], []],
    ],
  );
  assert.equal(messages[2]?.toolResults[1]?.isError, true);
  assert.equal(warnings.length, 2);
});

Deno.test("lexicalText() and lexicalJson() round-trip lines; toolResultText() picks the output", () => {
  const text = "one\n\nthree — ✓";
  assert.equal(lexicalText(lexicalJson(text)), text);
  assert.equal(lexicalText("not json"), "");
  assert.equal(toolResultText(JSON.stringify({ contents: "file body" })), "file body");
  assert.equal(toolResultText(JSON.stringify({ exitCode: 1 })), '{"exitCode":1}');
  assert.equal(toolResultText("plain"), "plain");
});
