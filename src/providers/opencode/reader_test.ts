import assert from "node:assert/strict";
import * as path from "node:path";
import { CasrError } from "../../errors.ts";
import { tempHome } from "../../../tests/fixture_home.ts";
import { storeDbOf } from "../../../tests/store_writer_tests.ts";
import {
  assertParallelStep,
  readFixtureSession,
  storeFixtures,
} from "../../../tests/store_reader_tests.ts";
import { opencode } from "./mod.ts";
import { sessionRef } from "../../formats/opencode_store/mod.ts";

const { basic, multi, top: TOP } = await storeFixtures("opencode");

function dbOf(home: string): string {
  return storeDbOf(home, "opencode");
}

Deno.test("read() turns the genuine 1.18.33 basic session into user, assistant+call, tool, assistant turns", async () => {
  await using home = await tempHome(["opencode"]);
  const session = await readFixtureSession(opencode, home, "opencode", basic.sessionId);
  assert.deepEqual(
    session.messages.map((m) => m.role),
    ["user", "assistant", "tool", "assistant", "user", "assistant"],
  );
  const [prompt, call, result] = session.messages;
  assert.equal(prompt?.text, basic.prompts[0]);
  assert.deepEqual(call?.toolCalls.map((c) => [c.name, c.input]), [
    ["bash", { command: "echo casr-fixture" }],
  ]);
  assert.equal(result?.toolResults[0]?.callId, call?.toolCalls[0]?.id);
  assert.equal(result?.toolResults[0]?.output.trim(), "casr-fixture");
  assert.equal(session.messages[4]?.text, basic.prompts[1]);
  assert.ok(session.messages.every((m) => typeof m.timestamp === "number"));
});

Deno.test("read() keeps two parallel calls of one model step in one assistant message and one tool message", async () => {
  await using home = await tempHome(["opencode"]);
  const { session } = await opencode.read(sessionRef(dbOf(home.home), multi.sessionId), home.ctx);
  const results = assertParallelStep(session, multi);
  assert.match(results.toolResults[1]?.output ?? "", /No such file or directory/);
});

Deno.test("list() and find() read summaries from the database; claims() takes only OpenCode paths", async () => {
  await using home = await tempHome(["opencode"]);
  const db = dbOf(home.home);
  const listed = await opencode.list(home.ctx);
  assert.deepEqual(listed.map((s) => s.id).sort(), [...TOP].sort());
  const one = listed.find((s) => s.id === basic.sessionId)!;
  assert.equal(one.path, sessionRef(db, basic.sessionId));
  assert.equal(one.workspace, "/tmp/casr-fixture-project");
  assert.equal(one.messageCount, 6);
  assert.deepEqual((await opencode.find(home.ctx, basic.sessionId)).map((s) => s.id), [
    basic.sessionId,
  ]);
  // find() also finds the sub-agent session that list() leaves out.
  assert.equal((await opencode.find(home.ctx, "ses_")).length, TOP.length + 1);
  assert.deepEqual(await opencode.find(home.ctx, "ses_zzz"), []);
  assert.deepEqual(await opencode.find(home.ctx, "%"), []);
  assert.ok(opencode.claims(one.path, ""));
  assert.ok(opencode.claims(db, "SQLite format 3\0"));
  assert.ok(!opencode.claims("/x/state.vscdb", "SQLite format 3\0"));
  assert.ok(!opencode.claims("/x/sessions.db#ses_1", ""));
  assert.ok(!opencode.claims("/x/a.jsonl", '{"type":"user"}'));
});

Deno.test("read() of a bare database with two sessions asks for an id; garbage is parse-failed", async () => {
  await using home = await tempHome(["opencode"]);
  const db = dbOf(home.home);
  await assert.rejects(opencode.read(db, home.ctx), (e) => {
    assert.ok(e instanceof CasrError);
    assert.equal(e.code, "parse-failed");
    assert.match(e.message, /several sessions/);
    return true;
  });
  await assert.rejects(opencode.read(sessionRef(db, "ses_missing"), home.ctx), CasrError);
  const junk = path.join(home.home, "opencode.db");
  await Deno.writeTextFile(junk, "not a database at all ".repeat(300));
  await assert.rejects(opencode.read(junk, home.ctx), (e) => {
    assert.ok(e instanceof CasrError && e.code === "parse-failed");
    return true;
  });
  // An unreadable database lists nothing; the data dir's own database still lists.
  const listed = await opencode.list({ ...home.ctx, env: { OPENCODE_DB: junk } });
  assert.equal(listed.length, TOP.length);
  assert.ok(listed.every((s) => !s.path.startsWith(junk)));
});

Deno.test("read() of a database whose tables are not OpenCode's says so, not only SQLite's words", async () => {
  await using home = await tempHome();
  // Hand-made, after a session viewer's test fixture: OpenCode's table names,
  // other columns (created_at where OpenCode has time_created).
  const db = path.join(home.home, "opencode.db");
  const { DatabaseSync } = await import("node:sqlite");
  const handle = new DatabaseSync(db);
  handle.exec(`
    CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT, created_at INTEGER, data TEXT);
    CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, created_at INTEGER, data TEXT);
    CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT, session_id TEXT, data TEXT);
    INSERT INTO session VALUES ('ses_a', 'p', 1, '{}');
  `);
  handle.close();
  await assert.rejects(opencode.read(sessionRef(db, "ses_a"), home.ctx), (e) => {
    assert.ok(e instanceof CasrError && e.code === "parse-failed");
    assert.match(e.message, /not laid out as OpenCode lays them out \(no such column: \w+\)/);
    assert.match(e.message, /made by another tool, or by a version of OpenCode casr does not read/);
    return true;
  });
});

Deno.test("read() skips a part or message whose data is not JSON, with a warning", async () => {
  await using home = await tempHome(["opencode"]);
  const db = dbOf(home.home);
  const { DatabaseSync } = await import("node:sqlite");
  const handle = new DatabaseSync(db);
  handle.prepare(
    "UPDATE part SET data = '{broken' WHERE session_id = ? AND data LIKE '%step-start%'",
  ).run(basic.sessionId);
  handle.prepare(
    "UPDATE part SET data = '[]' WHERE session_id = ? AND data LIKE '%step-finish%'",
  ).run(basic.sessionId);
  handle.close();
  const { session, warnings } = await opencode.read(sessionRef(db, basic.sessionId), home.ctx);
  assert.equal(session.messages.filter((m) => m.role === "assistant").length, 3);
  assert.ok(warnings.length >= 2);
  assert.ok(warnings.every((w) => w.code === "malformed-record"));
});

Deno.test("read() reads a legacy storage/ session tree (OpenCode ≤ 1.1)", async () => {
  await using home = await tempHome();
  const storage = path.join(home.home, ".local", "share", "opencode", "storage");
  const write = async (rel: string, value: unknown) => {
    const file = path.join(storage, rel);
    await Deno.mkdir(path.dirname(file), { recursive: true });
    await Deno.writeTextFile(file, JSON.stringify(value));
  };
  const sid = "ses_7f00000000011AbCdEfGhIjKlMn";
  await write(`session/global/${sid}.json`, {
    id: sid,
    projectID: "global",
    directory: "/work/p",
    title: "Legacy",
    version: "0.15.0",
    time: { created: 1750000000000, updated: 1750000005000 },
  });
  await write(`message/${sid}/msg_001.json`, {
    id: "msg_001",
    sessionID: sid,
    role: "user",
    time: { created: 1750000001000 },
  });
  await write(`part/msg_001/prt_001.json`, { id: "prt_001", type: "text", text: "héllo ✓" });
  await write(`message/${sid}/msg_002.json`, {
    id: "msg_002",
    sessionID: sid,
    role: "assistant",
    modelID: "m",
    time: { created: 1750000002000 },
  });
  await write(`part/msg_002/prt_002.json`, { id: "prt_002", type: "text", text: "Running it." });
  await write(`part/msg_002/prt_003.json`, {
    id: "prt_003",
    type: "tool",
    tool: "bash",
    callID: "c1",
    state: { status: "error", input: { command: "false" }, error: "exit 1", time: { end: 1 } },
  });
  // A sub-agent's session (`parentID`): not listed, as OpenCode does not list it; found by id.
  const child = "ses_7f00000000022AbCdEfGhIjKlMn";
  await write(`session/global/${child}.json`, {
    id: child,
    parentID: sid,
    projectID: "global",
    directory: "/work/p",
    title: "Sub-agent",
    version: "0.15.0",
    time: { created: 1750000003000, updated: 1750000004000 },
  });
  const listed = await opencode.list(home.ctx);
  assert.deepEqual(listed.map((s) => [s.id, s.messageCount, s.title]), [[sid, 2, "Legacy"]]);
  assert.deepEqual((await opencode.find(home.ctx, child)).map((s) => s.id), [child]);
  assert.ok(opencode.claims(listed[0]!.path, await Deno.readTextFile(listed[0]!.path)));
  const { session } = await opencode.read(listed[0]!.path, home.ctx);
  assert.deepEqual(session.messages.map((m) => m.role), ["user", "assistant", "tool"]);
  assert.equal(session.messages[0]?.text, "héllo ✓");
  assert.deepEqual(session.messages[2]?.toolResults, [
    { callId: "c1", output: "exit 1", isError: true, name: "bash" },
  ]);
  assert.equal(session.workspace, "/work/p");
});
