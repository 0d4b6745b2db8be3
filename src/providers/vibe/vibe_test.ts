import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";
import type { Session } from "../../model/types.ts";
import { vibe } from "./mod.ts";
import { readVibeSession } from "./reader.ts";
import { mistralToolId, planVibeSession } from "./writer.ts";
import { parseSessionLogging, vibeSessionConfig } from "./paths.ts";
import { sampleSession } from "../../model/testdata/sample_session.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import { tempDir, writePlanFiles } from "../../../tests/fixture_home.ts";

const FIXTURES = new URL("../../../fixtures/vibe/", import.meta.url).pathname;
const SESSIONS = path.join(FIXTURES, ".vibe", "logs", "session");
const BASIC = path.join(SESSIONS, "session_20261201_205000_3f9c2a71", "messages.jsonl");
const MULTI = path.join(SESSIONS, "session_20261201_205500_8a41d07e", "messages.jsonl");

function ctx(home: string, env: Record<string, string> = {}): ProviderContext {
  return { env, homeDir: home, cwd: home };
}

Deno.test("readVibeSession() reads the hand-made basic fixture with meta.json", async () => {
  const { session, warnings } = await readVibeSession(BASIC);
  assert.deepEqual(warnings, []);
  assert.equal(session.id, "3f9c2a71-5d4e-8b06-a1c3-7e52d90f4b18");
  assert.equal(session.workspace, "/tmp/casr-fixture-project");
  assert.equal(session.model, "mistral-medium-3.5");
  assert.equal(rolesOf(session), "user assistant tool assistant user assistant");
  const call = session.messages[1]?.toolCalls[0];
  assert.deepEqual(call, {
    id: "Xq7fK2pLm",
    name: "bash",
    input: { command: "echo casr-fixture" },
  });
  assert.ok(session.messages[1]?.reasoning?.includes("bash tool"));
  assert.equal(session.messages[2]?.toolResults[0]?.callId, "Xq7fK2pLm");
  assert.ok(session.messages[4]?.text.includes("日本語 ✓\nMarkdown trap:"));
  assert.equal(session.startedAt, Date.parse("2026-12-01T20:50:00.412Z"));
});

Deno.test("readVibeSession() keeps parallel calls together and reads <tool_error> as an error", async () => {
  const { session } = await readVibeSession(MULTI);
  const tool = session.messages[2];
  assert.equal(session.messages[1]?.toolCalls.length, 2);
  assert.deepEqual(tool?.toolResults.map((r) => r.isError), [false, true]);
  assert.ok(tool?.toolResults[1]?.output.startsWith("bash failed: Command failed"));
  assert.ok(!tool?.toolResults[1]?.output.includes("tool_error"));
});

Deno.test("readVibeSession() warns on bad lines, tolerates a missing meta.json, fails on empty", async () => {
  await using dirTmp = await tempDir();
  const dir = dirTmp.path;
  const file = path.join(dir, "session_20260101_000000_abcdef12", "messages.jsonl");
  await Deno.mkdir(path.dirname(file));
  const good = (await Deno.readTextFile(BASIC)).split("\n").slice(0, 2);
  await Deno.writeTextFile(file, [good[0], "{not json", "[1]", good[1], ""].join("\n"));
  const { session, warnings } = await readVibeSession(file);
  assert.deepEqual(warnings.filter((w) => w.line !== undefined).map((w) => w.line), [2, 3]);
  assert.ok(warnings.some((w) => w.code === "missing-metadata"));
  assert.equal(session.id, "session_20260101_000000_abcdef12");
  await Deno.writeTextFile(file, "");
  await assert.rejects(() => readVibeSession(file), /file is empty/);
});

const SAMPLE: Session = sampleSession({
  provider: "claude-code",
  title: "Fix it",
  system: "scaffold",
  reasoning: "think",
  calls: [
    { id: "toolu_01", name: "Bash", input: { command: "ls" } },
    { id: "call_2", name: "shell", input: "free form" },
  ],
  results: [
    { callId: "toolu_01", output: "a.txt", isError: false },
    { callId: "call_2", output: "exit 1", isError: true },
  ],
});

Deno.test("planVibeSession() writes a session directory Vibe's loader accepts", async () => {
  const id = "6d0c1f7e-2b4a-4c55-9a1e-0c3f5d9e8b21";
  const now = Date.UTC(2026, 11, 1, 8, 9, 10);
  const plan = await planVibeSession(SAMPLE, ctx("/home/u"), {
    workspace: "/tmp/ws",
    now,
    sessionId: id,
  });
  assert.equal(plan.sessionId, id);
  const dir = "/home/u/.vibe/logs/session/session_20261201_080910_6d0c1f7e";
  assert.equal(plan.primaryPath, `${dir}/messages.jsonl`);
  assert.deepEqual(plan.files.map((f) => f.path), [`${dir}/messages.jsonl`, `${dir}/meta.json`]);
  assert.equal(plan.resume.shell, `cd /tmp/ws && vibe --resume ${id}`);
  const data = fileText(plan.files[0]?.data ?? "");
  assert.ok(data.endsWith("\n"));
  const lines = data.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.role), ["user", "assistant", "tool", "tool", "assistant"]);
  const calls = lines[1].tool_calls;
  for (const call of calls) assert.match(call.id, /^[A-Za-z0-9]{9}$/);
  assert.equal(calls[0].function.arguments, '{"command":"ls"}');
  assert.equal(calls[1].function.arguments, '{"input":"free form"}');
  assert.equal(lines[1].reasoning_content, "think");
  assert.equal(lines[2].tool_call_id, calls[0].id);
  assert.equal(lines[2].name, "Bash");
  assert.equal(lines[3].content, "<tool_error>exit 1</tool_error>");
  const meta = JSON.parse(fileText(plan.files[1]?.data ?? ""));
  assert.equal(meta.session_id, id);
  assert.equal(meta.total_messages, 5);
  assert.equal(meta.environment.working_directory, "/tmp/ws");
  assert.equal(meta.title, "Fix it (via casr)");
  for (const key of ["start_time", "end_time", "git_commit", "git_branch", "username"]) {
    assert.ok(key in meta, key);
  }
  assert.match(meta.start_time, /\+00:00$/);
});

Deno.test("vibe round trip: plan → read → list → find gives the same conversation", async () => {
  await using homeTmp = await tempDir();
  const home = homeTmp.path;
  const plan = await planVibeSession(SAMPLE, ctx(home), { workspace: "/tmp/ws", now: 5_000 });
  await writePlanFiles(plan);
  const { session } = await vibe.read(plan.primaryPath, ctx(home));
  assert.equal(session.id, plan.sessionId);
  assert.deepEqual(
    session.messages.map((m) => [m.role, m.text, m.timestamp]),
    [
      ["user", "Fix it ✓", 1_000],
      ["assistant", "Running.", 2_000],
      ["tool", "", 3_000],
      ["assistant", "Done.", 4_000],
    ],
  );
  assert.deepEqual(session.messages[1]?.toolCalls.map((c) => c.input), [{ command: "ls" }, {
    input: "free form",
  }]);
  assert.deepEqual(session.messages[2]?.toolResults.map((r) => [r.output, r.isError]), [
    ["a.txt", false],
    ["exit 1", true],
  ]);
  const listed = await vibe.list(ctx(home));
  assert.deepEqual(listed.map((s) => [s.id, s.workspace, s.messageCount]), [
    [plan.sessionId, "/tmp/ws", 5],
  ]);
  const found = await vibe.find(ctx(home), plan.sessionId.slice(0, 10));
  assert.deepEqual(found.map((s) => s.id), [plan.sessionId]);
  const head = await Deno.readTextFile(plan.primaryPath);
  assert.ok(vibe.claims(plan.primaryPath, head.slice(0, 4096)));
  assert.ok(!vibe.claims("/x/events.jsonl", head));
  assert.ok(!vibe.claims("/x/messages.jsonl", '{"type":"user","uuid":"u","role":"user"}'));
  // The same session again reuses its directory (what --force replaces).
  const again = await planVibeSession(SAMPLE, ctx(home), {
    workspace: "/tmp/ws",
    now: 9_000_000,
    sessionId: plan.sessionId,
  });
  assert.equal(again.primaryPath, plan.primaryPath);
  // Another id with the same first 8 characters gets a fresh id.
  const twin = plan.sessionId.slice(0, 9) + "ffff-4fff-8fff-ffffffffffff";
  const other = await planVibeSession(SAMPLE, ctx(home), {
    workspace: "/tmp/ws",
    now: 5_000,
    sessionId: twin,
  });
  assert.notEqual(other.sessionId.slice(0, 8), plan.sessionId.slice(0, 8));
  assert.ok(other.warnings.some((w) => w.code === "session-id-replaced"));
});

Deno.test("vibeSessionConfig() honours VIBE_HOME, config.toml and the VIBE_SESSION_LOGGING__ variables", async () => {
  await using homeTmp = await tempDir();
  const home = homeTmp.path;
  assert.deepEqual(vibeSessionConfig(ctx(home)), {
    saveDir: path.join(home, ".vibe/logs/session"),
    prefix: "session",
  });
  const vh = path.join(home, "vh");
  await Deno.mkdir(vh);
  await Deno.writeTextFile(
    path.join(vh, "config.toml"),
    '# mine\n[session_logging]\nsave_dir = "~/logs" # comment\nsession_prefix = \'chat\'\n[other]\nsave_dir = "no"\n',
  );
  assert.deepEqual(vibeSessionConfig(ctx(home, { VIBE_HOME: vh })), {
    saveDir: path.join(home, "logs"),
    prefix: "chat",
  });
  assert.deepEqual(
    vibeSessionConfig(ctx(home, { VIBE_HOME: vh, VIBE_SESSION_LOGGING__SAVE_DIR: "/s" })),
    { saveDir: "/s", prefix: "chat" },
  );
  assert.deepEqual(parseSessionLogging('session_logging.save_dir = "/d"'), { saveDir: "/d" });
});

Deno.test("mistralToolId() gives distinct 9-character alphanumeric ids", () => {
  const used = new Set<string>();
  for (let i = 0; i < 200; i++) assert.match(mistralToolId(used), /^[A-Za-z0-9]{9}$/);
  assert.equal(used.size, 200);
});

Deno.test("vibe.find() finds a session whose id does not name its folder (another tool wrote it)", async () => {
  // Hand-made, as a public fixture (supermaciz/sessions-chronicle) lays it out: the id is the
  // folder's whole name, not a UUID whose first 8 characters end it.
  await using homeTmp = await tempDir();
  const home = homeTmp.path;
  const dir = path.join(home, ".vibe", "logs", "session", "session_20260203_191451_b9383361");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.copyFile(BASIC, path.join(dir, "messages.jsonl"));
  await Deno.writeTextFile(
    path.join(dir, "meta.json"),
    JSON.stringify({
      session_id: "session_20260203_191451_b9383361",
      start_time: "2026-02-03T19:14:51Z",
      environment: { working_directory: "/tmp/ws" },
    }),
  );
  const found = await vibe.find(ctx(home), "session_20260203_191451_b9383361");
  assert.deepEqual(found.map((s) => s.id), ["session_20260203_191451_b9383361"]);
});

Deno.test("vibe list titles a session whose meta.json has no title by its first typed prompt, as read does", async () => {
  // Hand-made, after mistral-vibe's session loader tests: a meta.json with the id only.
  await using homeTmp = await tempDir();
  const home = homeTmp.path;
  const dir = path.join(home, ".vibe", "logs", "session", "session_20230102_120000_b1b2c3d4");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(
    path.join(dir, "messages.jsonl"),
    [
      { role: "user", content: "Context Vibe added", injected: true },
      { role: "user", content: "Complex message\nwith a second line", injected: false },
      { role: "assistant", content: "Response" },
    ].map((r) => JSON.stringify(r)).join("\n") + "\n",
  );
  await Deno.writeTextFile(
    path.join(dir, "meta.json"),
    JSON.stringify({ session_id: "b1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d" }),
  );
  const [listed] = await vibe.list(ctx(home));
  const { session } = await vibe.read(listed!.path, ctx(home));
  assert.equal(listed?.title, "Complex message");
  assert.equal(session.title, listed?.title);
});
