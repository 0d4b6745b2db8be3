/**
 * Tests of the OpenClaw and ClawdBot providers: the readers on the genuine
 * OpenClaw fixtures (database rows written by openclaw 2026.9.6) and the
 * hand-made ClawdBot one, who owns which JSONL file, the writer's import input
 * (header version 4, UUID entry ids, sessions.json merged), and round trips.
 */
import assert from "node:assert/strict";
import { fileText } from "../../internal/fs.ts";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import type { Message, Session } from "../../model/types.ts";
import type { ProviderContext } from "../types.ts";
import { compareSessions } from "../../pipeline/compare.ts";
import { loadManifest, tempHome, writePlanFiles } from "../../../tests/fixture_home.ts";
import { claimsClawdbotFile, claimsOpenClawFile, clawdbot, openclaw } from "./mod.ts";
import { openClawStateDir, parseSessionRef } from "./paths.ts";
import { stripInternalContext } from "./session.ts";
import { MISSING_RESULT_TEXT, withMissingResults } from "./reader.ts";

const manifest = await loadManifest();

function message(role: Message["role"], text: string, extra: Partial<Message> = {}): Message {
  return { index: 0, role, text, toolCalls: [], toolResults: [], ...extra };
}

function sample(): Session {
  const t = Date.UTC(2026, 10, 20, 10, 0, 0);
  const messages: Message[] = [
    message("user", "List the workspace — 日本語 ✓", { timestamp: t }),
    message("assistant", "Listing.", {
      timestamp: t + 1000,
      toolCalls: [{ id: "call_1", name: "exec", input: { command: "ls" } }],
    }),
    message("tool", "", {
      timestamp: t + 2000,
      toolResults: [{ callId: "call_1", output: "notes.txt\nb.txt", isError: false, name: "exec" }],
    }),
    message("assistant", "There is `notes.txt`.\n\n```sh\nls\n```", { timestamp: t + 3000 }),
  ].map((m, i) => ({ ...m, index: i }));
  return { id: "src-1", provider: "claude-code", messages, metadata: {}, workspace: "/tmp/w" };
}

function ctxFor(home: string): ProviderContext {
  return { env: {}, homeDir: home, cwd: home };
}

for (const fixture of manifest.filter((f) => f.provider === "openclaw")) {
  Deno.test(`openclaw reader reads the genuine ${fixture.scenario} fixture from the database`, async () => {
    await using home = await tempHome(["openclaw"]);
    const found = await openclaw.find(home.ctx, fixture.sessionId);
    assert.equal(found.length, 1);
    const summary = found[0]!;
    assert.equal(parseSessionRef(summary.path).id, fixture.sessionId);
    assert.equal(summary.workspace, fixture.workspace);
    assert.ok(claimsOpenClawFile(summary.path, ""));
    const { session, warnings } = await openclaw.read(summary.path, home.ctx);
    // The messy fixture was compacted: what came before is said to be left out.
    assert.deepEqual(
      warnings.map((w) => w.code),
      fixture.scenario === "messy" ? ["compacted-history"] : [],
    );
    assert.equal(session.id, fixture.sessionId);
    assert.equal(session.workspace, fixture.workspace);
    const texts = session.messages.filter((m) => m.role === "user" || m.role === "assistant")
      .map((m) => `${m.role}: ${m.text.trim()}`);
    assert.deepEqual(
      texts,
      fixture.expected.filter((e) => e.role !== "tool").map((e) => `${e.role}: ${e.text.trim()}`),
    );
    const calls = session.messages.flatMap((m) => m.toolCalls);
    assert.equal(calls.length, fixture.toolCalls);
    assert.deepEqual(
      session.messages.flatMap((m) => m.toolResults).map((r) => r.callId).sort(),
      calls.map((c) => c.id).sort(),
    );
    assert.ok(session.messages.every((m) => m.timestamp !== undefined));
  });
}

Deno.test("openclaw reader keeps the messy fixture's read image on its tool result", async () => {
  // OpenClaw stores the picture in the toolResult; on the Chat Completions wire it sends it in
  // a user message "Image(s) from tool result #1 (read):" instead, which is no turn of its own.
  const fixture = manifest.find((f) => f.provider === "openclaw" && f.scenario === "messy");
  assert.ok(fixture !== undefined);
  await using home = await tempHome(["openclaw"]);
  const [summary] = await openclaw.find(home.ctx, fixture.sessionId);
  const { session } = await openclaw.read(summary!.path, home.ctx);
  const read = session.messages.flatMap((m) => m.toolResults).find((r) => r.name === "read");
  assert.equal(read?.output, "Read image file [image/png]");
  assert.equal(read?.images?.length, 1);
  const image = read!.images![0]!;
  assert.equal(image.mediaType, "image/png");
  assert.equal(image.source, "/tmp/casr-fixture-project/pixel.png");
  assert.equal(atob(image.data!).slice(1, 4), "PNG");
  assert.ok(!session.messages.some((m) => m.text.includes("Image(s) from tool result")));
  // The 65 KB output sits in a zstd-compressed row, stored cut to 32 KB by OpenClaw.
  const big = session.messages.flatMap((m) => m.toolResults).find((r) =>
    r.output.startsWith("BIG-00001")
  );
  assert.match(big?.output ?? "", /more characters truncated/);
  assert.match(
    session.messages[0]!.text,
    /^The conversation history before this point was compacted/,
  );
});

Deno.test("clawdbot reader reads the hand-made ClawdBot fixture", async () => {
  const fixture = manifest.find((f) => f.provider === "clawdbot");
  assert.ok(fixture);
  await using home = await tempHome(["clawdbot"]);
  const [summary, ...rest] = await clawdbot.find(home.ctx, fixture.sessionId);
  assert.equal(rest.length, 0);
  assert.ok(summary);
  assert.equal(summary.title, fixture.prompts[0]);
  const head = (await Deno.readTextFile(summary.path)).slice(0, 4096);
  assert.ok(claimsClawdbotFile(summary.path, head));
  assert.ok(!claimsOpenClawFile(summary.path, head));
  // OpenClaw would import it, but it is ClawdBot's session, listed once.
  assert.deepEqual(await openclaw.find(home.ctx, fixture.sessionId), []);
  const { session, warnings } = await clawdbot.read(summary.path, home.ctx);
  assert.deepEqual(warnings, []);
  assert.equal(session.workspace, fixture.workspace);
  assert.equal(session.model, "claude-sonnet-4-5");
  assert.deepEqual(
    session.messages.map((m) => m.role),
    ["user", "assistant", "tool", "assistant", "user", "assistant"],
  );
  assert.equal(session.messages[4]?.text, fixture.prompts[1]);
});

Deno.test("clawdbot reader reads flat {role, content} lines", async () => {
  await using home = await tempHome();
  const file = path.join(home.home, ".clawdbot", "sessions", "old.jsonl");
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await fsp.writeFile(
    file,
    [
      '{"role":"user","content":"hi","timestamp":"2026-01-02T03:04:05Z"}',
      "not json",
      '{"role":"assistant","content":"hello","timestamp":"2026-01-02T03:04:06Z"}',
    ].join("\n"),
  );
  assert.ok(claimsClawdbotFile(file, await Deno.readTextFile(file)));
  const { session, warnings } = await clawdbot.read(file, home.ctx);
  assert.deepEqual(session.messages.map((m) => [m.role, m.text]), [
    ["user", "hi"],
    ["assistant", "hello"],
  ]);
  assert.equal(warnings.length, 1);
  assert.deepEqual((await clawdbot.list(home.ctx)).map((s) => s.id), ["old"]);
});

Deno.test("openclaw writer plans an import input: header v4, UUID ids, sessions.json merged", async () => {
  await using home = await tempHome();
  const ctx = ctxFor(home.home);
  const sessions = path.join(home.home, ".openclaw", "agents", "main", "sessions");
  await fsp.mkdir(sessions, { recursive: true });
  await fsp.writeFile(
    path.join(sessions, "sessions.json"),
    JSON.stringify({ "agent:main:main": { sessionId: "other", updatedAt: 1 } }),
  );
  const id = "0d9f6a1e-1111-4222-8333-444455556666";
  const plan = await openclaw.plan(sample(), ctx, {
    workspace: "/tmp",
    now: Date.now(),
    sessionId: id,
  });
  assert.equal(plan.sessionId, id);
  assert.equal(plan.primaryPath, path.join(sessions, `${id}.jsonl`));
  const lines = fileText(plan.files[0]!.data).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(
    { ...lines[0], timestamp: undefined },
    { type: "session", version: 4, id, cwd: await fsp.realpath("/tmp"), timestamp: undefined },
  );
  assert.ok(lines.slice(1).every((e) => e.type === "message" && /^[0-9a-f-]{36}$/.test(e.id)));
  assert.equal(lines[1].parentId, null);
  for (let i = 2; i < lines.length; i++) assert.equal(lines[i].parentId, lines[i - 1].id);
  assert.deepEqual(lines.slice(1).map((e) => e.message.role), [
    "user",
    "assistant",
    "toolResult",
    "assistant",
  ]);
  const store = JSON.parse(fileText(plan.files[1]!.data));
  assert.deepEqual(Object.keys(store).sort(), ["agent:main:explicit:" + id, "agent:main:main"]);
  assert.equal(store[`agent:main:explicit:${id}`].sessionId, id);
  assert.match(
    plan.resume.shell,
    /openclaw doctor --session-sqlite import .*&& openclaw agent --local --agent main --session-id /,
  );
  assert.equal(plan.resume.argv[0], "openclaw");
  assert.ok(plan.resume.argv.includes(id));

  await writePlanFiles(plan);
  const back = await openclaw.read(plan.primaryPath, ctx);
  assert.deepEqual(back.warnings, []);
  assert.deepEqual(compareSessions(sample(), back.session), []);
  assert.deepEqual((await openclaw.find(ctx, id)).map((s) => s.id), [id]);
  assert.deepEqual(await clawdbot.find(ctx, id), []);
});

Deno.test("openclaw writer follows OpenClaw to ~/.clawdbot, and only OpenClaw lists the file", async () => {
  await using home = await tempHome(["clawdbot"]);
  const ctx = ctxFor(home.home);
  assert.equal(await openClawStateDir(ctx), path.join(home.home, ".clawdbot"));
  const plan = await openclaw.plan(sample(), ctx, { workspace: "/tmp", now: Date.now() });
  assert.ok(plan.primaryPath.startsWith(path.join(home.home, ".clawdbot", "agents", "main")));
  const store = JSON.parse(fileText(plan.files[1]!.data));
  assert.ok(store["agent:main:main"], "the existing entry is kept");
  await writePlanFiles(plan);
  assert.deepEqual((await openclaw.find(ctx, plan.sessionId)).map((s) => s.id), [plan.sessionId]);
  assert.deepEqual(await clawdbot.find(ctx, plan.sessionId), []);
  assert.equal((await clawdbot.list(ctx)).length, 1);
});

Deno.test("clawdbot writer writes Pi version 3 with 8-hex ids and reads back equal", async () => {
  await using home = await tempHome();
  const ctx = ctxFor(home.home);
  const plan = await clawdbot.plan(sample(), ctx, { workspace: "/tmp", now: Date.now() });
  const lines = fileText(plan.files[0]!.data).trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines[0].version, 3);
  assert.ok(lines.slice(1).every((e) => /^[0-9a-f]{8}$/.test(e.id)));
  assert.equal(plan.resume.argv[0], "clawdbot");
  await writePlanFiles(plan);
  const back = await clawdbot.read(plan.primaryPath, ctx);
  assert.deepEqual(compareSessions(sample(), back.session), []);
  assert.deepEqual((await clawdbot.find(ctx, plan.sessionId)).map((s) => s.id), [plan.sessionId]);
  assert.deepEqual(await openclaw.find(ctx, plan.sessionId), []);
});

Deno.test("openclaw writer refuses a sessions.json that is not a JSON object, and bad ids", async () => {
  await using home = await tempHome();
  const ctx = ctxFor(home.home);
  const plan = await openclaw.plan(sample(), ctx, {
    workspace: "/tmp",
    now: Date.now(),
    sessionId: "../escape",
  });
  assert.ok(plan.warnings.some((w) => w.code === "session-id-replaced"));
  assert.ok(!plan.sessionId.includes("/"));
  const sessions = path.join(home.home, ".openclaw", "agents", "main", "sessions");
  await fsp.mkdir(sessions, { recursive: true });
  await fsp.writeFile(path.join(sessions, "sessions.json"), "[1,2]");
  await assert.rejects(
    openclaw.plan(sample(), ctx, { workspace: "/tmp", now: Date.now() }),
    (e: Error & { code?: string }) => e.code === "write-failed",
  );
});

Deno.test("stripInternalContext() removes OpenClaw's runtime context blocks", () => {
  const block = "<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>\nActive exec sessions:\nnone\n" +
    "<<<END_OPENCLAW_INTERNAL_CONTEXT>>>";
  assert.equal(stripInternalContext(`Fix the bug\n\n${block}`), "Fix the bug");
  assert.equal(stripInternalContext(block), "");
  assert.equal(stripInternalContext("plain"), "plain");
});

Deno.test("claims: OpenClaw and ClawdBot files are told apart, others are not claimed", () => {
  const v4 = '{"type":"session","version":4,"id":"a"}';
  const v3 = '{"type":"session","version":3,"id":"a"}';
  assert.ok(claimsOpenClawFile("/h/.openclaw/agents/main/agent/openclaw-agent.sqlite#x", ""));
  assert.ok(claimsOpenClawFile("/h/.openclaw/agents/main/sessions/a.jsonl", v3));
  assert.ok(claimsOpenClawFile("/h/.clawdbot/agents/main/sessions/a.jsonl", v4));
  assert.ok(!claimsOpenClawFile("/h/.clawdbot/agents/main/sessions/a.jsonl", v3));
  assert.ok(!claimsOpenClawFile("/h/.pi/agent/sessions/--tmp--/a.jsonl", v3));
  assert.ok(claimsClawdbotFile("/h/.clawdbot/agents/main/sessions/a.jsonl", v3));
  assert.ok(!claimsClawdbotFile("/h/.clawdbot/agents/main/sessions/a.jsonl", v4));
  assert.ok(!claimsClawdbotFile("/h/.openclaw/agents/main/sessions/a.jsonl", v3));
  assert.ok(!claimsClawdbotFile("/h/.clawdbot/agents/main/sessions/a.jsonl", '{"type":"user"}'));
});

Deno.test("resumeCommand: a database session resumes directly, with its agent", () => {
  const db = "/h/.openclaw/agents/ops/agent/openclaw-agent.sqlite#s1";
  const command = openclaw.resumeCommand({ id: "s1", workspace: "/w", path: db });
  assert.deepEqual(command.argv.slice(0, 7), [
    "openclaw",
    "agent",
    "--local",
    "--agent",
    "ops",
    "--session-id",
    "s1",
  ]);
  assert.ok(!command.shell.includes("doctor"));
  assert.equal(command.cwd, "/w");
});

Deno.test("withMissingResults() answers a call with no stored result as OpenClaw does on resume", () => {
  const msg = (role: Message["role"], extra: Partial<Message> = {}): Message => ({
    index: 0,
    role,
    text: "",
    toolCalls: [],
    toolResults: [],
    ...extra,
  });
  const out = withMissingResults([
    msg("user", { text: "run it" }),
    msg("assistant", { toolCalls: [{ id: "c1", name: "exec", input: {} }] }),
    msg("user", { text: "carry on" }),
    msg("assistant", {
      toolCalls: [{ id: "c2", name: "exec", input: {} }, { id: "c3", name: "read", input: {} }],
    }),
    msg("tool", { toolResults: [{ callId: "c2", output: "ok", isError: false }] }),
  ]);
  assert.deepEqual(out.map((m) => [m.index, m.role]), [
    [0, "user"],
    [1, "assistant"],
    [2, "tool"],
    [3, "user"],
    [4, "assistant"],
    [5, "tool"],
  ]);
  assert.deepEqual(out[2]!.toolResults, [
    { callId: "c1", name: "exec", output: MISSING_RESULT_TEXT, isError: true },
  ]);
  assert.deepEqual(out[5]!.toolResults.map((r) => [r.callId, r.isError]), [
    ["c2", false],
    ["c3", true],
  ]);
  assert.match(MISSING_RESULT_TEXT, /^\[openclaw\] missing tool result in session history/);
});
