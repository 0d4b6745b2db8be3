/**
 * Tests of the Pi provider: the reader on the genuine fixtures written by pi
 * 1.6.0, claims (not OpenClaw's copies of the same format), the writer's file
 * layout and ids, a round trip, branches, version 1 files and find().
 */
import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import type { Session } from "../../model/types.ts";
import { compareSessions } from "../../pipeline/compare.ts";
import { loadManifest, tempHome } from "../../../tests/fixture_home.ts";
import { claimsPiFile, pi } from "./mod.ts";
import { encodeProjectDir } from "./paths.ts";

const fixtures = (await loadManifest()).filter((f) => f.provider === "pi");

Deno.test("pi has genuine fixtures for every scenario", () => {
  assert.deepEqual(fixtures.map((f) => f.scenario).sort(), ["basic", "messy", "multi-tool"]);
});

for (const fixture of fixtures) {
  Deno.test(`pi reader reads the genuine ${fixture.scenario} fixture`, async () => {
    await using home = await tempHome(["pi"]);
    const file = path.join(home.home, path.relative("pi", fixture.path));
    assert.ok(claimsPiFile(file, (await Deno.readTextFile(file)).slice(0, 8192)));
    const { session, warnings } = await pi.read(file, home.ctx);
    // The messy fixture's interrupted turn ends in an aborted reply Pi does not replay.
    const notices = fixture.scenario === "messy" ? ["skipped-failed-reply"] : [];
    assert.deepEqual(warnings.map((w) => w.code), notices);
    assert.equal(session.id, fixture.sessionId);
    assert.equal(session.workspace, fixture.workspace);
    assert.equal(session.messages[0]?.role, "system");
    const turns = session.messages.filter((m) => m.role !== "system" && m.role !== "other");
    const expected = fixture.expected.filter((t, i) =>
      t.role !== "tool" || fixture.expected[i - 1]?.role !== "tool"
    );
    assert.equal(turns.length, expected.length);
    for (const [i, want] of expected.entries()) {
      const got = turns[i]!;
      assert.equal(got.role, want.role, `message ${i}`);
      if (want.role !== "tool") assert.equal(got.text.trim(), want.text.trim(), `message ${i}`);
    }
    for (const tool of session.messages.filter((m) => m.role === "tool")) {
      const before = session.messages[tool.index - 1]!;
      assert.deepEqual(tool.toolResults.map((r) => r.callId), before.toolCalls.map((c) => c.id));
    }
    const found = await pi.find(home.ctx, fixture.sessionId.slice(0, 8));
    assert.ok(found.some((s) => s.id === fixture.sessionId));
    const listed = (await pi.list(home.ctx)).find((s) => s.id === fixture.sessionId);
    assert.equal(listed?.workspace, fixture.workspace);
  });
}

Deno.test("pi reader: the ls failure of the multi-tool fixture is an error result", async () => {
  const fixture = fixtures.find((f) => f.scenario === "multi-tool")!;
  await using home = await tempHome(["pi"]);
  const { session } = await pi.read(
    path.join(home.home, path.relative("pi", fixture.path)),
    home.ctx,
  );
  const results = session.messages.flatMap((m) => m.toolResults);
  assert.deepEqual(results.slice(0, 2).map((r) => r.isError), [false, true]);
  assert.equal(session.messages.find((m) => m.toolCalls.length === 2)?.toolCalls.length, 2);
});

function sample(): Session {
  const t = 1_767_000_000_000;
  return {
    id: "src-1",
    provider: "claude-code",
    workspace: "/tmp",
    model: "claude-sonnet-4-5",
    metadata: {},
    messages: [
      {
        index: 0,
        role: "user",
        text: "List files — ✓",
        toolCalls: [],
        toolResults: [],
        timestamp: t,
      },
      {
        index: 1,
        role: "assistant",
        text: "Looking.",
        toolCalls: [{ id: "toolu_1", name: "Bash", input: { command: "ls" } }],
        toolResults: [],
        timestamp: t + 1000,
        reasoning: "think",
      },
      {
        index: 2,
        role: "tool",
        text: "",
        toolCalls: [],
        toolResults: [{ callId: "toolu_1", output: "a\nb", isError: false }],
        timestamp: t + 2000,
      },
      {
        index: 3,
        role: "assistant",
        text: "# Done\n\n- a\n- b",
        toolCalls: [],
        toolResults: [],
        timestamp: t + 3000,
      },
    ],
  };
}

Deno.test("pi writer: version 3 header, linked entries, usage, the project folder and the wanted id", async () => {
  await using home = await tempHome();
  const plan = await pi.plan(sample(), home.ctx, {
    workspace: home.home,
    now: 1_767_000_000_000,
    sessionId: "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
  });
  assert.equal(plan.sessionId, "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9");
  const real = await Deno.realPath(home.home);
  assert.equal(
    path.dirname(plan.primaryPath),
    path.join(home.home, ".pi", "agent", "sessions", encodeProjectDir(real)),
  );
  assert.match(path.basename(plan.primaryPath), /^2025-12-29T09-20-00-000Z_0f1e2d3c-.*\.jsonl$/);
  const lines = fileText(plan.files[0]!.data).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines[0], {
    type: "session",
    version: 3,
    id: plan.sessionId,
    timestamp: "2025-12-29T09:20:00.000Z",
    cwd: real,
  });
  for (let i = 2; i < lines.length; i++) assert.equal(lines[i].parentId, lines[i - 1].id);
  assert.equal(lines[1].parentId, null);
  const assistant = lines.find((l) => l.message?.role === "assistant");
  assert.equal(assistant.message.stopReason, "toolUse");
  assert.equal(assistant.message.usage.totalTokens, 0);
  assert.equal(lines.at(-1).type, "session_info");
  assert.deepEqual(plan.resume.argv, ["pi", "--session", plan.sessionId]);
  assert.ok(plan.warnings.some((w) => w.code === "dropped-reasoning"));
});

Deno.test("pi writer makes a UUIDv7 when the wanted id is not a Pi id", async () => {
  await using home = await tempHome();
  const plan = await pi.plan(sample(), home.ctx, {
    workspace: home.home,
    now: 0,
    sessionId: "a/b",
  });
  assert.match(plan.sessionId, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  assert.ok(plan.warnings.some((w) => w.code === "session-id-replaced"));
});

Deno.test("pi round trip keeps the conversation", async () => {
  await using home = await tempHome();
  const source = sample();
  const plan = await pi.plan(source, home.ctx, { workspace: home.home, now: 0 });
  await Deno.mkdir(path.dirname(plan.primaryPath), { recursive: true });
  await Deno.writeTextFile(plan.primaryPath, fileText(plan.files[0]!.data));
  assert.ok(claimsPiFile(plan.primaryPath, await Deno.readTextFile(plan.primaryPath)));
  const { session } = await pi.read(plan.primaryPath, home.ctx);
  assert.deepEqual(compareSessions(source, session), []);
  assert.equal(session.title, "List files — ✓ (via casr)");
  assert.equal((await pi.find(home.ctx, plan.sessionId))[0]?.path, plan.primaryPath);
});

Deno.test("pi reader follows the branch of the last entry and reads version 1 files", async () => {
  await using home = await tempHome();
  const dir = path.join(home.home, ".pi", "agent", "sessions", "--tmp--");
  await Deno.mkdir(dir, { recursive: true });
  const user = (id: string, parentId: string | null, text: string) =>
    JSON.stringify({ type: "message", id, parentId, message: { role: "user", content: text } });
  const tree = path.join(dir, "casr-import.jsonl");
  await Deno.writeTextFile(
    tree,
    [
      JSON.stringify({ type: "session", version: 3, id: "tree-1", cwd: "/tmp" }),
      user("a", null, "root"),
      user("b", "a", "abandoned"),
      user("c", "a", "kept"),
    ].join("\n") + "\n",
  );
  const branch = await pi.read(tree, home.ctx);
  assert.deepEqual(branch.session.messages.map((m) => m.text), ["root", "kept"]);
  const v1 = path.join(dir, "old.jsonl");
  await Deno.writeTextFile(
    v1,
    [
      JSON.stringify({ type: "session", id: "old-1", cwd: "/tmp" }),
      JSON.stringify({ type: "message", message: { role: "user", content: "one" } }),
      JSON.stringify({ type: "message", message: { role: "user", content: "two" } }),
    ].join("\n") + "\n",
  );
  const linear = await pi.read(v1, home.ctx);
  assert.deepEqual(linear.session.messages.map((m) => m.text), ["one", "two"]);
  assert.deepEqual((await pi.find(home.ctx, "old")).map((s) => s.id), ["old-1"]);
});

// Hand-made, shaped after pi-mono's before-compaction.jsonl (a version 1 file
// whose header is newer than its messages, with two compactions): list and
// info must name and date it alike.
Deno.test("pi list and read agree on a compacted session's title and start", async () => {
  await using home = await tempHome();
  const dir = path.join(home.home, ".pi", "agent", "sessions", "--tmp--");
  await Deno.mkdir(dir, { recursive: true });
  const t = (minute: number) => Date.UTC(2026, 0, 1, 10, minute);
  const message = (role: string, content: string, minute: number) =>
    JSON.stringify({ type: "message", message: { role, content, timestamp: t(minute) } });
  const file = path.join(dir, "2026-01-01T11-00-00-000Z_branched-1.jsonl");
  await Deno.writeTextFile(
    file,
    [
      JSON.stringify({
        type: "session",
        id: "branched-1",
        cwd: "/tmp",
        timestamp: new Date(t(60)).toISOString(),
      }),
      message("user", "Untangle the run modes", 0),
      message("assistant", "Here is a plan.", 1),
      message("user", "Go ahead", 2),
      message("assistant", "Done.", 3),
      JSON.stringify({ type: "compaction", summary: "We made a plan.", firstKeptEntryIndex: 3 }),
      message("user", "Now the tests", 5),
      message("assistant", "They pass.", 6),
    ].join("\n") + "\n",
  );
  const [listed] = await pi.list(home.ctx);
  const { session, warnings } = await pi.read(file, home.ctx);
  // What the compaction took out (the first prompt and reply; it keeps from "Go ahead") is
  // said, not dropped in silence.
  const compacted = warnings.filter((w) => w.code === "compacted-history");
  assert.equal(compacted.length, 1);
  assert.match(
    compacted[0]!.message,
    /^Left out 2 message entries of .* from before its last compaction/,
  );
  // The conversation opens with the summary now; the title is still the first prompt.
  assert.match(session.messages[0]?.text ?? "", /compacted into the following summary/);
  assert.equal(session.title, "Untangle the run modes");
  assert.equal(listed?.title, "Untangle the run modes");
  // It started with its first message, before its (branch) header was written.
  assert.equal(session.startedAt, t(0));
  assert.equal(listed?.startedAt, t(0));
  assert.ok((listed?.lastActiveAt ?? 0) >= (listed?.startedAt ?? Infinity));
});

Deno.test("claimsPiFile() leaves OpenClaw's copies of the format and other JSONL alone", () => {
  const header =
    '{"type":"session","version":3,"id":"x","cwd":"/p"}\n{"type":"message","id":"a","parentId":null}\n';
  assert.ok(claimsPiFile("/h/.pi/agent/sessions/--p--/s.jsonl", header));
  assert.ok(!claimsPiFile("/h/.openclaw/agents/main/sessions/x.jsonl", header));
  assert.ok(!claimsPiFile("/h/state/agents/main/sessions/x.jsonl", header));
  assert.ok(!claimsPiFile("/h/s.jsonl", header.replace('"version":3', '"version":4')));
  assert.ok(!claimsPiFile("/h/s.jsonl", '{"type":"user","uuid":"u"}\n'));
  assert.ok(!claimsPiFile("/h/s.json", header));
});
