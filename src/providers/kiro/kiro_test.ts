import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";
import type { Session } from "../../model/types.ts";
import { kiro, readKiroSession } from "./mod.ts";
import { planKiroSession } from "./writer.ts";
import { sampleSession } from "../../model/testdata/sample_session.ts";
import { tempDir, writePlanFiles } from "../../../tests/fixture_home.ts";

const FIXTURES = new URL("../../../fixtures/kiro/", import.meta.url).pathname;
const G2_ID = "3f6c2a1e-8b4d-4e7a-9c5f-1d2e3a4b5c6d";
const G1_ID = "a7d3e5f1-2b4c-4d6e-8f0a-1c3e5a7b9d2f";
const G3_ID = "c4e8a2b6-1d3f-4a5c-9e7b-2f4d6a8c0e13";
const G2 = path.join(FIXTURES, ".kiro", "sessions", "cli", `${G2_ID}.jsonl`);
const G1_DB = path.join(FIXTURES, ".local", "share", "kiro-cli", "data.sqlite3");
const G3 = path.join(
  FIXTURES,
  ".kiro",
  "sessions",
  "9f2c4e6a8b0d1f3e",
  `sess_${G3_ID}`,
  "messages.jsonl",
);

function ctx(home: string): ProviderContext {
  return { env: {}, homeDir: home, cwd: home };
}

const ROLES = ["user", "assistant", "tool", "assistant", "user", "assistant"];

Deno.test("readKiroSession() reads the G2 fixture (json tool output, thinking, results map)", async () => {
  const { session, warnings } = await readKiroSession(G2);
  assert.deepEqual(warnings, []);
  assert.equal(session.id, G2_ID);
  assert.equal(session.workspace, "/tmp/casr-fixture-project");
  assert.deepEqual(session.messages.map((m) => m.role), ROLES);
  assert.equal(session.messages[1]?.toolCalls[0]?.name, "shell");
  assert.equal(session.messages[2]?.toolResults[0]?.output, "casr-fixture\n");
  assert.equal(session.messages[3]?.reasoning, "The command printed one line.");
  assert.equal(session.model, "claude-sonnet-4.5");
  assert.equal(session.messages[0]?.timestamp, Date.UTC(2026, 11, 1, 20, 41, 40));
  assert.ok(session.messages[4]?.text.includes("日本語 ✓ 🚀\nMarkdown trap:"));
});

Deno.test("readKiroSession() reads the G1 SQLite conversation, by locator or bare database", async () => {
  const { session } = await readKiroSession(`${G1_DB}#${G1_ID}`);
  assert.equal(session.id, G1_ID);
  assert.equal(session.workspace, "/tmp/casr-fixture-project");
  assert.deepEqual(session.messages.map((m) => m.role), ROLES);
  assert.deepEqual(session.messages[1]?.toolCalls[0]?.input, {
    command: "echo casr-fixture",
    summary: "Print casr-fixture",
  });
  assert.equal(session.messages[2]?.toolResults[0]?.output, "casr-fixture");
  assert.ok(session.messages.every((m) => m.timestamp !== undefined));
  assert.equal((await readKiroSession(G1_DB)).session.id, G1_ID);
  await assert.rejects(() => readKiroSession(`${G1_DB}#nope`), /no conversation "nope"/);
});

Deno.test("readKiroSession() reads the G3 session folder", async () => {
  const { session, warnings } = await readKiroSession(G3);
  assert.deepEqual(warnings, []);
  assert.equal(session.id, G3_ID);
  assert.deepEqual(session.messages.map((m) => m.role), ROLES);
  assert.equal(session.messages[1]?.text, "Running `echo casr-fixture` now.");
  assert.equal(session.messages[1]?.toolCalls[0]?.id, "tooluse_Gh7nR2cV5kYp3wQ8");
});

Deno.test("kiro list and find cover the three generations; claims tell them apart", async () => {
  await using homeTmp = await tempDir();
  const home = homeTmp.path;
  const { copyTree } = await import("../../../tests/fixture_home.ts");
  await copyTree(FIXTURES, home);
  const listed = await kiro.list(ctx(home));
  assert.deepEqual(listed.map((s) => s.id).sort(), [G2_ID, G1_ID, G3_ID].sort());
  assert.ok(listed.every((s) => s.workspace === "/tmp/casr-fixture-project"));
  assert.ok(listed.every((s) => s.title?.startsWith("Please run the shell command")));
  const g1 = await kiro.find(ctx(home), G1_ID.slice(0, 6));
  assert.deepEqual(g1.map((s) => s.path), [
    path.join(home, ".local/share/kiro-cli/data.sqlite3") + `#${G1_ID}`,
  ]);
  assert.equal(
    kiro.resumeCommand(g1[0]!).shell,
    `cd /tmp/casr-fixture-project && kiro-cli chat --resume-id ${G1_ID}`,
  );
  const g2Head = await Deno.readTextFile(G2);
  assert.ok(kiro.claims(G2, g2Head));
  assert.ok(kiro.claims(G3, await Deno.readTextFile(G3)));
  assert.ok(!kiro.claims(G2, '{"type":"session.start","data":{}}'));
  assert.ok(
    !kiro.claims("/x/messages.jsonl", g2Head.replace('"version":"v1"', '"version":"v9"')),
  );
});

Deno.test("readKiroSession() replays CancelledPrompt, ResetTo and Clear as Kiro does", async () => {
  await using dirTmp = await tempDir();
  const dir = dirTmp.path;
  const file = path.join(dir, "s.jsonl");
  const e = (kind: string, data: unknown = {}) => JSON.stringify({ version: "v1", kind, data });
  const prompt = (t: string) =>
    e("Prompt", { message_id: t, content: [{ kind: "text", data: t }] });
  const reply = (t: string) =>
    e("AssistantMessage", { message_id: t, content: [{ kind: "text", data: t }] });
  await Deno.writeTextFile(
    file,
    [
      prompt("a"),
      reply("b"),
      prompt("dropped"),
      e("CancelledPrompt"),
      "{bad",
      prompt("c"),
      reply("d"),
      e("ResetTo", { target_index: 2 }),
      prompt("e"),
      reply("f"),
    ].join("\n"),
  );
  const { session, warnings } = await readKiroSession(file);
  assert.deepEqual(session.messages.map((m) => m.text), ["a", "b", "e", "f"]);
  assert.ok(warnings.some((w) => w.line === 5));
  await Deno.writeTextFile(
    file,
    [prompt("a"), reply("b"), e("Clear"), prompt("c"), reply("d")].join("\n"),
  );
  assert.deepEqual((await readKiroSession(file)).session.messages.map((m) => m.text), ["c", "d"]);
  await Deno.writeTextFile(file, "");
  await assert.rejects(() => readKiroSession(file), /file is empty/);
});

const SAMPLE: Session = sampleSession({
  reasoning: "hmm",
  calls: [{ id: "call.1", name: "shell", input: "ls" }],
  results: [{ callId: "call.1", output: "a.txt", isError: true }],
  followUp: "and now?",
  start: 1_000_000,
  step: 1_000_000,
});

Deno.test("planKiroSession() writes G2 files Kiro's serde accepts; round trip", async () => {
  await using homeTmp = await tempDir();
  const home = homeTmp.path;
  const id = "6d0c1f7e-2b4a-4c55-9a1e-0c3f5d9e8b21";
  const plan = await planKiroSession(SAMPLE, ctx(home), {
    workspace: "/tmp/ws",
    now: 9_000_000,
    sessionId: id,
  });
  assert.equal(plan.primaryPath, path.join(home, ".kiro/sessions/cli", `${id}.jsonl`));
  assert.equal(plan.resume.shell, `cd /tmp/ws && kiro-cli chat --resume-id ${id}`);
  assert.ok(plan.warnings.some((w) => w.code === "reasoning-dropped"));
  const lines = fileText(plan.files[0]!.data).trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.kind), [
    "Prompt",
    "AssistantMessage",
    "ToolResults",
    "Prompt",
    "AssistantMessage",
  ]);
  assert.ok(lines.every((l) => l.version === "v1"));
  assert.equal(lines[0].data.meta.timestamp, 1000);
  assert.deepEqual(lines[1].data.content[1], {
    kind: "toolUse",
    data: { toolUseId: "call_1", name: "shell", input: { input: "ls" } },
  });
  assert.deepEqual(lines[2].data.results, {});
  assert.equal(lines[2].data.content[0].data.status, "error");
  assert.deepEqual(lines.map((l) => l.data.meta.timestamp), [1000, 2000, 3000, 4000, 5000]);
  const meta = JSON.parse(fileText(plan.files[1]!.data));
  assert.equal(meta.session_id, id);
  assert.equal(meta.cwd, "/tmp/ws");
  assert.equal(meta.session_state.version, "v1");
  assert.match(meta.created_at, /\.\d{6}Z$/);
  await writePlanFiles(plan);
  const { session } = await kiro.read(plan.primaryPath, ctx(home));
  assert.deepEqual(session.messages.map((m) => [m.role, m.text, m.timestamp]), [
    ["user", "Fix it ✓", 1_000_000],
    ["assistant", "Running.", 2_000_000],
    ["tool", "", 3_000_000],
    ["user", "and now?", 4_000_000],
    ["assistant", "Done.", 5_000_000],
  ]);
  assert.equal(session.messages[2]?.toolResults[0]?.isError, true);
  assert.deepEqual((await kiro.find(ctx(home), id)).map((s) => s.id), [id]);
});

Deno.test("readKiroSession() says a .json without its journal is no Kiro CLI session", async () => {
  // Hand-made: a Kiro IDE workspace-session file, which has no `.jsonl` journal beside it.
  await using dir = await tempDir();
  const file = path.join(dir.path, "test-session-1.json");
  await Deno.writeTextFile(file, JSON.stringify({ history: [] }));
  await assert.rejects(
    readKiroSession(file),
    /no Kiro CLI journal test-session-1\.jsonl beside it/,
  );
});
