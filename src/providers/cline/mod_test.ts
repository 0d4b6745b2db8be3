import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { compareSessions } from "../../pipeline/compare.ts";
import { openSqlite } from "../../internal/sqlite.ts";
import type { Session } from "../../model/types.ts";
import { loadManifest, tempHome, writePlanFiles } from "../../../tests/fixture_home.ts";
import { claimsFor, cline, clineTargetStore, kiloCode, rooCode } from "./mod.ts";
import { CLINE, KILO_CODE, ROO_CODE } from "./variants.ts";
import { rolesOf } from "../../model/testdata/roles.ts";

const BASIC = "1796158398062_paymd";
const MULTI = "1796158428367_e0e1o";
const TASK = "1796100000000";
/** The genuine messy session (its sub-agent has a `sessions.db` row too, but is not listed). */
const MESSY = (await loadManifest()).find((f) => f.provider === "cline" && f.scenario === "messy")!
  .sessionId;

const SESSION: Session = {
  id: "src",
  provider: "claude-code",
  workspace: "/tmp/ws",
  title: "Fix the build",
  metadata: {},
  messages: [
    {
      index: 0,
      role: "user",
      text: "Fix the build — 日本語 ✓\n# heading",
      toolCalls: [],
      toolResults: [],
      timestamp: 1796000000000,
    },
    {
      index: 1,
      role: "assistant",
      text: "Running two things.",
      toolCalls: [
        { id: "toolu_1", name: "Bash", input: { command: "make" } },
        { id: "toolu_2", name: "Read", input: { path: "a.ts" } },
      ],
      toolResults: [],
      timestamp: 1796000001000,
    },
    {
      index: 2,
      role: "tool",
      text: "",
      toolCalls: [],
      toolResults: [
        { callId: "toolu_1", output: "error: x", isError: true },
        { callId: "toolu_2", output: "const a = 1;", isError: false },
      ],
      timestamp: 1796000002000,
    },
    {
      index: 3,
      role: "assistant",
      text: "Fixed.",
      toolCalls: [],
      toolResults: [],
      timestamp: 1796000003000,
    },
  ],
};

async function writePlan(plan: Awaited<ReturnType<typeof cline.plan>>): Promise<void> {
  await writePlanFiles(plan);
  for (const effect of plan.effects) await effect.apply();
}

Deno.test("cline lists and reads the genuine CLI sessions and the extension task", async () => {
  await using home = await tempHome(["cline"]);
  const list = await cline.list(home.ctx);
  assert.deepEqual(list.map((s) => s.id).sort(), [TASK, BASIC, MULTI, MESSY].sort());
  const multi = list.find((s) => s.id === MULTI)!;
  assert.equal(multi.workspace, "/tmp/casr-fixture-project");
  assert.match(multi.title ?? "", /^Please run these two/);
  const task = list.find((s) => s.id === TASK)!;
  assert.equal(task.workspace, "/tmp/casr-fixture-project");
  assert.deepEqual((await cline.find(home.ctx, "17961584")).map((s) => s.id), [MULTI]);
  assert.equal((await cline.find(home.ctx, "1796")).length, 4);
  assert.deepEqual(await rooCode.list(home.ctx), []);

  const { session, warnings } = await cline.read(multi.path, home.ctx);
  assert.deepEqual(warnings, []);
  assert.equal(session.id, MULTI);
  assert.equal(session.model, "gpt-mock");
  assert.equal(
    rolesOf(session),
    "user assistant tool assistant user assistant tool assistant user assistant",
  );
  const results = session.messages[2]!.toolResults;
  assert.deepEqual(results.map((r) => r.isError), [false, true]);
  assert.equal(results[0]!.output, "line one\nline two\n");
  assert.match(results[1]!.output, /No such file or directory/);

  const ext = await cline.read(task.path, home.ctx);
  assert.equal(ext.session.id, TASK);
  assert.equal(ext.session.messages.filter((m) => m.role === "user").length, 2);
  assert.equal(ext.session.messages.filter((m) => m.role === "system").length, 3);
  assert.equal(ext.session.messages[0]!.text.startsWith("Please run the shell command"), true);
});

Deno.test("claims() keeps each family member to its own storage", () => {
  const sdk = "/h/.cline/data/sessions/x/x.messages.json";
  assert.equal(claimsFor(CLINE, sdk, '{\n  "version": 1,\n  "messages": ['), true);
  assert.equal(claimsFor(ROO_CODE, sdk, '{"messages": ['), false);
  const roo = "/c/globalStorage/rooveterinaryinc.roo-cline/tasks/u/api_conversation_history.json";
  assert.equal(claimsFor(ROO_CODE, roo, "[{"), true);
  assert.equal(claimsFor(CLINE, roo, "[{"), false);
  assert.equal(claimsFor(CLINE, "/any/tasks/1/api_conversation_history.json", "[{"), true);
  assert.equal(claimsFor(KILO_CODE, "/any/tasks/1/api_conversation_history.json", "[{"), false);
  assert.equal(claimsFor(CLINE, "/x/session.jsonl", '{"sessionId":"a","projectHash":"b"}'), false);
});

Deno.test("the CLI store round-trips and registers the sessions row (undo removes it)", async () => {
  await using home = await tempHome(["cline"]);
  assert.equal(await clineTargetStore(home.ctx), "cli");
  const plan = await cline.plan(SESSION, home.ctx, {
    workspace: "/tmp/ws",
    now: 1796000009000,
    sessionId: "3f1c2b9e-1111-4a2b-9c3d-123456789abc",
  });
  assert.equal(plan.sessionId, "3f1c2b9e-1111-4a2b-9c3d-123456789abc");
  assert.equal(plan.resume.shell, "cd /tmp/ws && cline --id 3f1c2b9e-1111-4a2b-9c3d-123456789abc");
  assert.equal(plan.effects.length, 1);
  const stored = JSON.parse(fileText(plan.files[0]!.data));
  const results = stored.messages.filter((m: { content: { type: string }[] }) =>
    m.content[0]?.type === "tool_result"
  );
  assert.equal(results.length, 2);
  assert.deepEqual(results.map((m: { content: { name: string }[] }) => m.content[0]!.name), [
    "Bash",
    "Read",
  ]);
  for (const file of plan.files) {
    await fsp.mkdir(path.dirname(file.path), { recursive: true });
    await fsp.writeFile(file.path, fileText(file.data));
  }
  const undo = await plan.effects[0]!.apply();
  const db = (await openSqlite(path.join(home.home, ".cline/data/db/sessions.db")))!;
  const row = db.prepare("SELECT * FROM sessions WHERE session_id = ?").all(plan.sessionId)[0]!;
  const others = db.prepare("SELECT count(*) AS n FROM sessions").all()[0]!.n;
  db.close();
  assert.equal(row.provider, "openai-compatible".length > 0 ? row.provider : "");
  assert.equal(row.cwd, "/tmp/ws");
  assert.equal(row.messages_path, plan.primaryPath);
  // basic, multi-tool, messy and the messy session's sub-agent, plus the new row.
  assert.equal(Number(others), 5);
  const back = await cline.read(plan.primaryPath, home.ctx);
  assert.deepEqual(compareSessions(SESSION, back.session), []);
  assert.equal(back.session.workspace, "/tmp/ws");
  assert.ok(undo);
  await undo();
  const after = (await openSqlite(path.join(home.home, ".cline/data/db/sessions.db")))!;
  assert.equal(Number(after.prepare("SELECT count(*) AS n FROM sessions").all()[0]!.n), 4);
  after.close();
});

Deno.test("a fresh home gets sessions.db created, and the undo removes it", async () => {
  await using home = await tempHome([]);
  const plan = await cline.plan(SESSION, home.ctx, { workspace: "/tmp/ws", now: 1796000009000 });
  assert.match(plan.sessionId, /^1796000009000_[a-z0-9]{5}$/);
  for (const file of plan.files) {
    await fsp.mkdir(path.dirname(file.path), { recursive: true });
    await fsp.writeFile(file.path, fileText(file.data));
  }
  const undo = await plan.effects[0]!.apply();
  const dbPath = path.join(home.home, ".cline/data/db/sessions.db");
  assert.equal((await fsp.stat(dbPath)).isFile(), true);
  await undo!();
  await assert.rejects(fsp.stat(path.join(home.home, ".cline/data/db")));
});

Deno.test("the extension store is chosen when only it exists, and keeps other index entries", async () => {
  await using home = await tempHome(["cline"]);
  await fsp.rm(path.join(home.home, ".cline"), { recursive: true });
  assert.equal(await clineTargetStore(home.ctx), "extension");
  const plan = await cline.plan(SESSION, home.ctx, {
    workspace: "/tmp/ws",
    now: 1796000009000,
    sessionId: "3f1c2b9e-1111-4a2b-9c3d-123456789abc",
  });
  assert.match(plan.sessionId, /^\d{13}$/);
  assert.deepEqual(plan.resume.argv, ["code", "."]);
  assert.match(
    plan.resume.shell,
    /^cd \/tmp\/ws && code \. {2}# then Cline side bar → History → "Fix the build" \(task \d{13}\)$/,
  );
  assert.match(plan.resume.note ?? "", /Cline side bar → History/);
  const index = plan.files.find((f) => f.path.endsWith(path.join("state", "taskHistory.json")))!;
  assert.deepEqual(JSON.parse(fileText(index.data)).map((e: { id: string }) => e.id), [
    TASK,
    plan.sessionId,
  ]);
  await writePlan(plan);
  const back = await cline.read(plan.primaryPath, home.ctx);
  assert.deepEqual(compareSessions(SESSION, back.session), []);
  assert.equal(back.session.workspace, "/tmp/ws");
  assert.equal(back.session.title, "Fix the build — 日本語 ✓");
  assert.equal(
    cline.resumeCommand({ id: plan.sessionId, workspace: "/w" }).shell,
    `cd /w && code .  # then Cline side bar → History → task ${plan.sessionId}`,
  );
  assert.equal(
    cline.resumeCommand({ id: BASIC, workspace: "/w" }).shell,
    `cd /w && cline --id ${BASIC}`,
  );
  // CASR_CLINE_TARGET overrides the detection.
  home.ctx.env = { ...home.ctx.env, CASR_CLINE_TARGET: "cli" };
  assert.equal(await clineTargetStore(home.ctx), "cli");
});

Deno.test("Roo Code writes history_item.json; Kilo Code updates state.vscdb and its undo restores it", async () => {
  await using home = await tempHome([]);
  const roo = await rooCode.plan(SESSION, home.ctx, {
    workspace: "/tmp/ws",
    now: 1796000009000,
    sessionId: "3f1c2b9e-1111-4a2b-9c3d-123456789abc",
  });
  assert.equal(roo.sessionId, "3f1c2b9e-1111-4a2b-9c3d-123456789abc");
  assert.ok(roo.files.some((f) => f.path.endsWith("history_item.json")));
  assert.match(JSON.parse(fileText(roo.files[0]!.data))[0].content[0].text, /^<user_message>\n/);
  await writePlan(roo);
  assert.deepEqual(
    compareSessions(SESSION, (await rooCode.read(roo.primaryPath, home.ctx)).session),
    [],
  );
  const listed = await rooCode.list(home.ctx);
  assert.equal(listed[0]?.workspace, "/tmp/ws");

  const globalStorage = path.join(home.home, ".config/Code/User/globalStorage");
  await fsp.mkdir(path.join(globalStorage, "kilocode.kilo-code"), { recursive: true });
  const vscdb = path.join(globalStorage, "state.vscdb");
  const db = (await openSqlite(vscdb))!;
  db.exec("CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)");
  db.prepare("INSERT INTO ItemTable VALUES (?, ?)").run(
    "kilocode.kilo-code",
    JSON.stringify({ taskHistory: [{ id: "old", ts: 1, task: "old one" }], other: 1 }),
  );
  db.close();
  const kilo = await kiloCode.plan(SESSION, home.ctx, { workspace: "/tmp/ws", now: 1796000009000 });
  assert.equal(kilo.effects.length, 1);
  await writePlan(kilo);
  const check = (await openSqlite(vscdb))!;
  const state = JSON.parse(String(check.prepare("SELECT value FROM ItemTable").all()[0]!.value));
  check.close();
  assert.deepEqual(state.taskHistory.map((e: { id: string }) => e.id), ["old", kilo.sessionId]);
  assert.equal(state.other, 1);
  const summary = (await kiloCode.find(home.ctx, kilo.sessionId))[0]!;
  assert.equal(summary.title, "Fix the build — 日本語 ✓");
  assert.deepEqual(
    compareSessions(SESSION, (await kiloCode.read(summary.path, home.ctx)).session),
    [],
  );
});

Deno.test("read() fails cleanly on empty and non-session files", async () => {
  await using home = await tempHome([]);
  const file = path.join(home.home, "x.messages.json");
  for (const text of ["", "{}", '{"messages": []}', "[]", "nonsense"]) {
    await fsp.writeFile(file, text);
    await assert.rejects(cline.read(file, home.ctx), (e: Error) => e.name === "CasrError");
  }
});
