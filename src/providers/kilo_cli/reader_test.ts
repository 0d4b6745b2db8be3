import assert from "node:assert/strict";
import * as path from "node:path";
import { tempHome } from "../../../tests/fixture_home.ts";
import { storeDbOf } from "../../../tests/store_writer_tests.ts";
import {
  assertParallelStep,
  readFixtureSession,
  storeFixtures,
} from "../../../tests/store_reader_tests.ts";
import { sessionRef } from "../../formats/opencode_store/mod.ts";
import { opencode } from "../opencode/mod.ts";
import { isKiloDatabase, kiloCli } from "./mod.ts";

const { basic, multi, top: TOP } = await storeFixtures("kilo-cli");

function dbOf(home: string): string {
  return storeDbOf(home, "kilo");
}

Deno.test("read() turns the genuine 7.7.9 basic session into user, assistant+call, tool, assistant turns", async () => {
  await using home = await tempHome(["kilo-cli"]);
  const session = await readFixtureSession(kiloCli, home, "kilo", basic.sessionId);
  assert.equal(session.provider, "kilo-cli");
  assert.equal(session.metadata.version, "7.7.9");
  const [prompt, call, result] = session.messages;
  assert.equal(prompt?.role, "user");
  assert.equal(prompt?.text, basic.prompts[0]);
  assert.deepEqual(call?.toolCalls.map((c) => c.name), ["bash"]);
  assert.equal(result?.role, "tool");
  assert.equal(result?.toolResults[0]?.callId, call?.toolCalls[0]?.id);
  assert.equal(result?.toolResults[0]?.output.trim(), "casr-fixture");
  assert.ok(session.messages.some((m) => m.role === "user" && m.text === basic.prompts[1]));
  assert.ok(session.messages.every((m) => typeof m.timestamp === "number"));
});

Deno.test("read() keeps the parallel calls of one Kilo step together, results in call order", async () => {
  await using home = await tempHome(["kilo-cli"]);
  const { session } = await kiloCli.read(sessionRef(dbOf(home.home), multi.sessionId), home.ctx);
  assertParallelStep(session, multi);
});

Deno.test("list() and find() read kilo.db; claims() splits Kilo's and OpenCode's databases", async () => {
  await using home = await tempHome(["kilo-cli", "opencode"]);
  const db = dbOf(home.home);
  const listed = await kiloCli.list(home.ctx);
  assert.deepEqual(listed.map((s) => s.id).sort(), [...TOP].sort());
  assert.ok(listed.every((s) => s.provider === "kilo-cli" && s.path.startsWith(`${db}#`)));
  const one = listed.find((s) => s.id === basic.sessionId)!;
  assert.equal(one.workspace, "/tmp/casr-fixture-project");
  assert.deepEqual((await kiloCli.find(home.ctx, basic.sessionId)).map((s) => s.id), [
    basic.sessionId,
  ]);
  // find() also finds the sub-agent session that list() leaves out.
  assert.equal((await kiloCli.find(home.ctx, "ses_")).length, TOP.length + 1);
  // OpenCode's sessions are not Kilo's, and the other way round.
  assert.ok((await opencode.list(home.ctx)).every((s) => !s.path.includes("/kilo/")));
  assert.ok(kiloCli.claims(one.path, ""));
  assert.ok(kiloCli.claims(db, "SQLite format 3\0"));
  assert.ok(!opencode.claims(one.path, ""));
  assert.ok(!opencode.claims(db, "SQLite format 3\0"));
  const openCodeDb = path.join(home.home, ".local/share/opencode/opencode.db");
  assert.ok(!kiloCli.claims(`${openCodeDb}#ses_1`, ""));
  assert.ok(!kiloCli.claims("/x/sessions.db#ses_1", ""));
  assert.ok(!kiloCli.claims("/x/a.jsonl", '{"type":"user"}'));
  // Channel databases: kilo-<channel>.db anywhere, a legacy opencode-<channel>.db only in Kilo's dir.
  assert.ok(isKiloDatabase("/h/.local/share/kilo/kilo-dev.db"));
  assert.ok(isKiloDatabase("/h/.local/share/kilo/opencode-dev.db"));
  assert.ok(!isKiloDatabase("/h/.local/share/opencode/opencode-dev.db"));
  assert.ok(!opencode.claims("/h/.local/share/kilo/opencode-dev.db#ses_1", ""));
  assert.ok(opencode.claims("/h/.local/share/opencode/opencode-dev.db#ses_1", ""));
});

Deno.test("KILO_DB moves the database (relative to the data dir, or absolute)", async () => {
  await using home = await tempHome(["kilo-cli"]);
  const data = path.join(home.home, ".local", "share", "kilo");
  await Deno.rename(path.join(data, "kilo.db"), path.join(data, "other.db"));
  assert.deepEqual(await kiloCli.list(home.ctx), []);
  const relative = await kiloCli.list({ ...home.ctx, env: { KILO_DB: "other.db" } });
  assert.equal(relative.length, TOP.length);
  const absolute = await kiloCli.list({
    ...home.ctx,
    env: { KILO_DB: path.join(data, "other.db") },
  });
  assert.deepEqual(absolute.map((s) => s.path).sort(), relative.map((s) => s.path).sort());
  assert.deepEqual(kiloCli.roots({ ...home.ctx, env: { KILO_DB: "/elsewhere/k.db" } }), [
    "/elsewhere",
    data,
  ]);
});
