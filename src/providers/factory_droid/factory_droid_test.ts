/**
 * Tests of the Factory Droid provider: the reader on the genuine fixtures written by
 * droid 0.225.2, the writer's record shape (the fields droid requires on resume), the
 * folder rule, claims, and a round trip.
 */
import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import type { Session } from "../../model/types.ts";
import { compareSessions } from "../../pipeline/compare.ts";
import { assertFixtureTurns, loadManifest, tempHome } from "../../../tests/fixture_home.ts";
import { claimsDroidFile, factoryDroid } from "./mod.ts";
import { cwdSlug, factoryRoot } from "./paths.ts";
import { readDroidSession } from "./reader.ts";
import { runItSample } from "../../model/testdata/sample_session.ts";

const fixtures = (await loadManifest()).filter((f) => f.provider === "factory-droid");

Deno.test("factory-droid has genuine fixtures for every scenario", () => {
  assert.deepEqual(fixtures.map((f) => f.scenario).sort(), ["basic", "messy", "multi-tool"]);
});

for (const fixture of fixtures) {
  Deno.test(`factory-droid reader reads the genuine ${fixture.scenario} fixture`, async () => {
    await using home = await tempHome(["factory-droid"]);
    const file = path.join(home.home, path.relative("factory-droid", fixture.path));
    assert.ok(claimsDroidFile(file, (await Deno.readTextFile(file)).slice(0, 8192)));
    const { session, warnings } = await factoryDroid.read(file, home.ctx);
    assert.deepEqual(warnings, []);
    assert.equal(session.id, fixture.sessionId);
    assert.equal(session.workspace, fixture.workspace);
    assert.equal(session.model, "custom:Mock-Model-0");
    // The injected context message (<system-reminder> blocks) is a system message.
    assert.equal(session.messages[0]?.role, "system");
    assert.match(session.messages[0]!.text, /^<system-reminder>/);
    // droid stores one reply's results together, after its calls.
    assertFixtureTurns(session.messages, fixture.expected);
    const found = await factoryDroid.find(home.ctx, fixture.sessionId.slice(0, 8));
    assert.equal(found.length, 1);
    assert.equal(found[0]!.workspace, fixture.workspace);
    assert.equal(
      found[0]!.messageCount,
      session.messages.filter((m) => m.role !== "system").length,
    );
  });
}

Deno.test("factory-droid reader: the failing ls of the multi-tool fixture is an error result", async () => {
  const fixture = fixtures.find((f) => f.scenario === "multi-tool")!;
  await using home = await tempHome(["factory-droid"]);
  const file = path.join(home.home, path.relative("factory-droid", fixture.path));
  const { session } = await readDroidSession(file);
  const results = session.messages.flatMap((m) => m.toolResults);
  assert.equal(results.length, 3);
  assert.ok(results.some((r) => r.isError && r.output.includes("definitely-not-here")));
});

function sample(): Session {
  return runItSample([
    { id: "call.1", name: "Bash", input: { command: "ls" } },
    { id: "call_2", name: "shell", input: "pwd" },
  ], { system: "injected", reasoning: "think first" });
}

Deno.test("factory-droid writer: session_start with title and owner, id and timestamp on every message", async () => {
  await using home = await tempHome([]);
  await Deno.mkdir(path.join(home.home, ".factory"), { recursive: true });
  const host = "1e8190d6-e23c-44cf-8c7e-e7103115b7bf";
  await Deno.writeTextFile(
    path.join(home.home, ".factory", "host.json"),
    JSON.stringify({ schemaVersion: 1, hostId: host }),
  );
  const id = "4f0b7c2e-8a51-4d36-9c1e-2b7d3a9e6f10";
  const plan = await factoryDroid.plan(sample(), home.ctx, {
    workspace: "/tmp/ws",
    now: 1_767_000_009_000,
    sessionId: id.toUpperCase(),
  });
  assert.equal(plan.sessionId, id);
  assert.equal(
    plan.primaryPath,
    path.join(home.home, ".factory", "sessions", "-tmp-ws", `${id}.jsonl`),
  );
  assert.equal(plan.files.length, 1);
  assert.equal(plan.files[0]!.mode, 0o600);
  assert.ok(fileText(plan.files[0]!.data).endsWith("\n"));
  assert.equal(plan.resume.shell, `cd /tmp/ws && droid --resume ${id}`);
  assert.deepEqual(plan.warnings.map((w) => w.code), ["dropped-reasoning"]);
  const records = fileText(plan.files[0]!.data).trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(records[0], {
    type: "session_start",
    id,
    title: "Sample (via casr)",
    owner: "unknown",
    version: 2,
    cwd: "/tmp/ws",
    hostId: host,
    isSessionTitleManuallySet: false,
  });
  const messages = records.slice(1);
  assert.deepEqual(messages.map((r) => r.message.role), ["user", "assistant", "user", "assistant"]);
  for (const [i, r] of messages.entries()) {
    assert.equal(r.type, "message");
    assert.match(r.id, /^[0-9a-f-]{36}$/);
    assert.equal(typeof r.timestamp, "string");
    assert.equal(r.parentId, i === 0 ? undefined : messages[i - 1].id);
  }
  assert.deepEqual(messages[1].message.content, [
    { type: "text", text: "Running." },
    { type: "tool_use", id: "call_1", name: "Bash", input: { command: "ls" } },
    { type: "tool_use", id: "call_2", name: "shell", input: { input: "pwd" } },
  ]);
  assert.deepEqual(messages[2].message.content, [
    { type: "tool_result", tool_use_id: "call_1", content: "a\nb", is_error: false },
    { type: "tool_result", tool_use_id: "call_2", content: "boom", is_error: true },
  ]);
  assert.ok(!fileText(plan.files[0]!.data).includes("thinking"));
});

Deno.test("factory-droid writer replaces ids that are not UUIDs and honours FACTORY_HOME_OVERRIDE", async () => {
  await using home = await tempHome([]);
  const ctx = { ...home.ctx, env: { ...home.ctx.env, FACTORY_HOME_OVERRIDE: "/srv/alt" } };
  assert.equal(factoryRoot(ctx), "/srv/alt/.factory");
  const plan = await factoryDroid.plan(sample(), ctx, {
    workspace: "/tmp/ws",
    now: 0,
    sessionId: "not-a-uuid",
  });
  assert.notEqual(plan.sessionId, "not-a-uuid");
  assert.ok(plan.primaryPath.startsWith("/srv/alt/.factory/sessions/-tmp-ws/"));
  assert.equal(plan.warnings[0]?.code, "session-id-replaced");
});

Deno.test("factory-droid folder rule: only '/' becomes '-'", () => {
  assert.equal(cwdSlug("/home/dev/My ws_v1.2-ü"), "-home-dev-My ws_v1.2-ü");
  assert.equal(cwdSlug("/a-b"), cwdSlug("/a/b"));
});

Deno.test("factory-droid round trip keeps the conversation", async () => {
  await using home = await tempHome([]);
  const source = sample();
  const plan = await factoryDroid.plan(source, home.ctx, { workspace: "/tmp/ws", now: 0 });
  const file = plan.files[0]!;
  await Deno.mkdir(path.dirname(file.path), { recursive: true });
  await Deno.writeTextFile(file.path, fileText(file.data));
  const { session, warnings } = await factoryDroid.read(plan.primaryPath, home.ctx);
  assert.deepEqual(warnings, []);
  assert.deepEqual(compareSessions(source, session), []);
  assert.equal(session.title, "Sample (via casr)");
  const listed = await factoryDroid.list(home.ctx);
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!.messageCount, 4);
  assert.equal(listed[0]!.title, "Sample (via casr)");
  // Converting a conversion does not stack the suffix.
  const again = await factoryDroid.plan(session, home.ctx, { workspace: "/tmp/ws", now: 0 });
  assert.ok(fileText(again.files[0]!.data).includes('"title":"Sample (via casr)"'));
});

Deno.test("factory-droid reader: bad lines are warnings, reminders split off, string content read", async () => {
  await using home = await tempHome([]);
  const file = path.join(home.home, "s.jsonl");
  await Deno.writeTextFile(
    file,
    [
      { type: "session_start", id: "s", title: "T", owner: "unknown", cwd: "/w" },
      "{broken",
      {
        type: "message",
        id: "a",
        timestamp: "2026-11-20T10:00:00.000Z",
        message: { role: "user", content: "hi" },
      },
      { type: "message", id: "b", message: { role: "robot", content: "?" } },
      {
        type: "message",
        id: "c",
        message: {
          role: "user",
          content: [
            { type: "text", text: "<system-reminder>\nnow\n</system-reminder>" },
            { type: "text", text: "typed" },
          ],
        },
      },
      { type: "todo_state", todos: [] },
    ].map((r) => typeof r === "string" ? r : JSON.stringify(r)).join("\n"),
  );
  const { session, warnings } = await readDroidSession(file);
  assert.deepEqual(session.messages.map((m) => [m.role, m.text]), [
    ["user", "hi"],
    ["system", "<system-reminder>\nnow\n</system-reminder>"],
    ["user", "typed"],
  ]);
  assert.equal(session.startedAt, Date.parse("2026-11-20T10:00:00.000Z"));
  assert.deepEqual(warnings.map((w) => w.code).sort(), ["malformed-line", "malformed-record"]);
});

Deno.test("factory-droid claims only Droid transcripts", () => {
  const start = '{"type":"session_start","id":"x","title":"t","owner":"unknown","cwd":"/w"}\n';
  assert.ok(claimsDroidFile("/h/.factory/sessions/-w/x.jsonl", start));
  assert.ok(!claimsDroidFile("/h/x.json", start));
  assert.ok(!claimsDroidFile("/h/x.jsonl", '{"type":"session.start","data":{"sessionId":"x"}}\n'));
  assert.ok(!claimsDroidFile("/h/x.jsonl", '{"type":"session","id":"x","cwd":"/w"}\n'));
  assert.ok(!claimsDroidFile("/h/x.jsonl", '{"type":"user","uuid":"u","message":{}}\n'));
  assert.ok(claimsDroidFile("/h/x.jsonl", '{"type":"session_start","id":"x","title":"cut'));
});
