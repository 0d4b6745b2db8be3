import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import { compareSessions, convertSession, PROVIDERS } from "../../../mod.ts";
import { repairSession } from "../../pipeline/repair.ts";
import { ROOT, tempHome } from "../../../tests/fixture_home.ts";
import { amp } from "./mod.ts";
import { ampDataDir, casrAmpDir, extensionThreadDirs, threadDirs } from "./paths.ts";
import { SEED_NOTE } from "./resume.ts";
import { rolesOf } from "../../model/testdata/roles.ts";

const ID = "T-01a2335f-18c0-7a3e-9c41-5be2d08f6a17";

Deno.test("amp reads the fixture thread: tool call, its result from the next user message, times, workspace", async () => {
  await using home = await tempHome(["amp"]);
  const [summary] = await amp.list(home.ctx);
  assert.equal(summary?.id, ID);
  assert.equal(summary?.workspace, "/tmp/casr-fixture-project");
  assert.equal(summary?.messageCount, 6);
  const { session, warnings } = await amp.read(summary!.path, home.ctx);
  assert.deepEqual(warnings, []);
  assert.equal(rolesOf(session), "user assistant tool assistant user assistant");
  const call = session.messages[1]!.toolCalls[0]!;
  assert.deepEqual(call, {
    id: "toolu_01Fx7casrFixture",
    name: "Bash",
    input: { cmd: "echo casr-fixture", cwd: "/tmp/casr-fixture-project" },
  });
  assert.deepEqual(session.messages[2]!.toolResults, [
    { callId: "toolu_01Fx7casrFixture", output: "casr-fixture\n", isError: false },
  ]);
  assert.equal(
    session.messages[1]!.reasoning,
    "The user wants the output of a shell command; run it with Bash.",
  );
  assert.equal(session.messages[0]!.timestamp, 1796158201000);
  assert.equal(session.messages[1]!.timestamp, 1796158204000);
  assert.equal(session.model, "claude-sonnet-4-5");
  assert.equal(session.title, "Run echo casr-fixture");
  assert.equal(session.startedAt, 1796158200000);
});

Deno.test("amp find() accepts the id with or without T- and prefixes of both", async () => {
  await using home = await tempHome(["amp"]);
  for (const key of [ID, ID.slice(2), "t-01a2335f", "01a2335f"]) {
    assert.deepEqual((await amp.find(home.ctx, key)).map((s) => s.id), [ID], key);
  }
  assert.deepEqual(await amp.find(home.ctx, "T-ffff"), []);
});

Deno.test("amp plan() writes a thread that reads back equal and a transcript, and says it cannot resume", async () => {
  await using home = await tempHome(["amp"]);
  const source = (await amp.read(
    path.join(home.home, ".local/share/amp/threads", `${ID}.json`),
    home.ctx,
  )).session;
  const repaired = repairSession({ ...source, provider: "codex", id: "src" }, 0).session;
  const plan = await amp.plan(repaired, home.ctx, {
    workspace: "/w s",
    now: 1,
    sessionId: "6f1c2a9e-0000-4000-8000-000000000001",
  });
  assert.equal(plan.sessionId, "T-6f1c2a9e-0000-4000-8000-000000000001");
  assert.equal(path.dirname(plan.primaryPath), casrAmpDir(home.ctx));
  assert.deepEqual(plan.files.map((f) => path.basename(f.path)), [
    `${plan.sessionId}.json`,
    `${plan.sessionId}.md`,
  ]);
  assert.deepEqual(plan.warnings.map((w) => w.code), ["amp-not-resumable"]);
  assert.equal(plan.resume.shell, `cd '/w s' && amp < ${plan.files[1]!.path}`);
  assert.equal(plan.resume.note, SEED_NOTE);
  for (const f of plan.files) {
    await Deno.mkdir(path.dirname(f.path), { recursive: true });
    await Deno.writeTextFile(f.path, fileText(f.data));
  }
  const back = await amp.read(plan.primaryPath, home.ctx);
  assert.equal(back.session.id, plan.sessionId);
  assert.equal(back.session.workspace, "/w s");
  assert.deepEqual(compareSessions(repaired, back.session), []);
  const transcript = fileText(plan.files[1]!.data);
  assert.ok(transcript.includes("**Tool call** `Bash`"));
  assert.ok(transcript.includes("## User\n\nThanks! Unicode check: héllo wörld — 日本語 ✓"));
  // A thread casr wrote resumes by seeding; a native one by `amp threads continue`.
  assert.equal(
    amp.resumeCommand({ id: plan.sessionId, workspace: "/w", path: plan.primaryPath }).note,
    SEED_NOTE,
  );
  assert.deepEqual(amp.resumeCommand({ id: ID, workspace: "/w" }).argv, [
    "amp",
    "threads",
    "continue",
    ID,
  ]);
});

Deno.test("convertSession() codex → amp → gemini-cli verifies with structured tool calls", async () => {
  await using home = await tempHome(["codex"]);
  const toAmp = await convertSession(home.ctx, "amp", "01a2334f", { now: Date.UTC(2026, 11, 1) });
  assert.equal(toAmp.verified, true);
  assert.ok(toAmp.target.sessionId.startsWith("T-"));
  assert.ok(toAmp.warnings.some((w) => w.code === "amp-not-resumable"));
  const onward = await convertSession(home.ctx, "gemini-cli", toAmp.target.sessionId);
  assert.equal(onward.verified, true);
});

Deno.test("amp data dir follows the CLI: XDG_DATA_HOME on Linux only; AMP_DATA_HOME overrides", () => {
  const ctx = { env: { XDG_DATA_HOME: "/xdg" }, homeDir: "/h", cwd: "/c" };
  assert.equal(ampDataDir(ctx, "linux"), "/xdg/amp");
  assert.equal(ampDataDir(ctx, "darwin"), "/h/.local/share/amp");
  assert.equal(ampDataDir({ ...ctx, env: { AMP_DATA_HOME: "d" } }, "linux"), "/c/d");
  assert.equal(
    extensionThreadDirs(ctx, "darwin")[0],
    "/h/Library/Application Support/Code/User/globalStorage/sourcegraph.amp/threads3",
  );
  assert.equal(threadDirs(ctx)[0], casrAmpDir(ctx));
});

Deno.test("amp claims T-….json threads and no other provider claims the amp fixture", async () => {
  const file = path.join(ROOT, "fixtures/amp/.local/share/amp/threads", `${ID}.json`);
  const head = (await Deno.readTextFile(file)).slice(0, 8192);
  assert.ok(amp.claims(file, head));
  assert.deepEqual(PROVIDERS.filter((p) => p.claims(file, head)).map((p) => p.id), ["amp"]);
  assert.ok(!amp.claims("/x/api_conversation_history.json", '[{"role":"user"}]'));
  assert.ok(!amp.claims("/x/session.json", '{"id":"ses_1","messages":[]}'));
});
