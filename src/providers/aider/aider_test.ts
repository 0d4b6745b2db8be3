import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import { compareSessions, convertSession } from "../../../mod.ts";
import { repairSession } from "../../pipeline/repair.ts";
import { tempHome } from "../../../tests/fixture_home.ts";
import type { Session } from "../../model/types.ts";
import { aider } from "./mod.ts";
import { splitReasoning } from "./reader.ts";
import { aiderRestore } from "./markdown.ts";
import { aiderStoreDir, historyFiles, splitLocator } from "./paths.ts";
import { testMessage as m } from "../../model/testdata/sample_session.ts";

const FIRST = "b563c410-cde5-49b0-be6a-5b42577394ff";
const SECOND = "a0350549-678c-4175-a7f0-779ba550e572";

Deno.test("aider reads both sessions of the fixture history, with ids stable across homes", async () => {
  for (let round = 0; round < 2; round++) {
    await using home = await tempHome(["aider"]);
    const list = await aider.list(home.ctx);
    assert.deepEqual(list.map((s) => s.id), [FIRST, SECOND]);
    const file = path.join(home.home, ".aider.chat.history.md");
    assert.deepEqual(list.map((s) => s.path), [`${file}#${FIRST}`, `${file}#${SECOND}`]);
    assert.deepEqual(list.map((s) => s.workspace), [
      "/tmp/casr-fixture-project",
      "/tmp/casr-fixture-project",
    ]);
    assert.deepEqual(list.map((s) => s.messageCount), [5, 5]);
    const { session, warnings } = await aider.read(list[1]!.path, home.ctx);
    assert.equal(session.id, SECOND);
    assert.equal(session.model, "openai/gpt-4o");
    const talk = session.messages.filter((m) => m.role !== "other");
    assert.deepEqual(talk.map((m) => m.role), ["user", "user", "assistant", "user", "assistant"]);
    assert.equal(
      talk[1]!.text,
      'Please add a "Usage" section to README.md with:\n\n- one example: `casr-fixture --help`\n- a table of the two flags\n\nKeep it short — no emoji in the file, just 🚀 here.',
    );
    // Aider's restore drops the two "# casr fixture project" lines of the SEARCH/REPLACE block.
    assert.ok(!talk[2]!.text.includes("# casr fixture project"));
    assert.deepEqual(warnings.map((w) => w.code), ["aider-line-skipped", "aider-line-skipped"]);
    assert.ok(
      session.messages.some((m) => m.role === "other" && m.text.includes("Commit 3f9a1c2")),
    );
    assert.equal(session.messages[0]!.timestamp, session.startedAt);
  }
});

Deno.test("aider find() matches ids and prefixes; a bare multi-session file reads its last session", async () => {
  await using home = await tempHome(["aider"]);
  assert.deepEqual((await aider.find(home.ctx, FIRST)).map((s) => s.id), [FIRST]);
  assert.deepEqual((await aider.find(home.ctx, "A035")).map((s) => s.id), [SECOND]);
  assert.deepEqual(await aider.find(home.ctx, "ffff"), []);
  const bare = await aider.read(path.join(home.home, ".aider.chat.history.md"), home.ctx);
  assert.equal(bare.session.id, SECOND);
  assert.ok(bare.warnings.some((w) => w.code === "aider-several-sessions"));
  await assert.rejects(
    aider.read(`${path.join(home.home, ".aider.chat.history.md")}#nope`, home.ctx),
    /holds no session with that id/,
  );
  assert.deepEqual(splitLocator("/a/b.md#x-1"), { file: "/a/b.md", id: "x-1" });
  assert.deepEqual(splitLocator("/a/b.md"), { file: "/a/b.md" });
});

Deno.test("aider looks in the cwd's parents, AIDER_CHAT_HISTORY_FILE, CASR_AIDER_PATHS and its own folder", async () => {
  await using home = await tempHome([]);
  const sub = path.join(home.home, "proj", "src");
  await Deno.mkdir(sub, { recursive: true });
  const text = "\n# aider chat started at 2026-01-01 10:00:00\n\n#### hi  \n\nhello\n\n";
  await Deno.writeTextFile(path.join(home.home, "proj", ".aider.chat.history.md"), text);
  await Deno.writeTextFile(path.join(home.home, "custom.md"), text.replace("10:00", "11:00"));
  await Deno.mkdir(path.join(home.home, "other"));
  await Deno.writeTextFile(
    path.join(home.home, "other", ".aider.chat.history.md"),
    text.replace("10:00", "12:00"),
  );
  const ctx = {
    ...home.ctx,
    cwd: sub,
    env: {
      ...home.ctx.env,
      AIDER_CHAT_HISTORY_FILE: "../../custom.md",
      CASR_AIDER_PATHS: [path.join(home.home, "other"), "/nonexistent/x.md"].join(path.delimiter),
    },
  };
  const files = await historyFiles(ctx);
  assert.ok(files.includes(path.join(home.home, "proj", ".aider.chat.history.md")));
  const list = await aider.list(ctx);
  assert.deepEqual(list.map((s) => s.workspace).sort(), [
    home.home,
    path.join(home.home, "other"),
    path.join(home.home, "proj"),
  ]);
  assert.ok(list.every((s) => !s.path.includes("#")), "one session per file: bare paths");
  assert.equal((await aider.detect(ctx)).installed, true);
  assert.equal((await aider.detect(home.ctx)).installed, false);
});

const TRICKY: Session = {
  id: "src-1",
  provider: "codex",
  metadata: {},
  workspace: "/w",
  messages: [
    m("system", "<environment_context/>"),
    m("user", "Run `ls` — and\n#### this is not a new turn\n> nor a quote\n\n日本語 ✓", {
      timestamp: 1767261600000,
    }),
    m("assistant", "# Plan\n#### Step\n> quoted\nRunning it.", {
      timestamp: 1767261601000,
      toolCalls: [{ id: "c1", name: "shell", input: { cmd: "ls\n# not a header" } }],
    }),
    m("tool", "", {
      toolResults: [{ callId: "c1", output: "> a.txt\n#### b.txt", isError: true }],
    }),
    m("assistant", "Done.\n\n# aider chat started at 2026-01-01 10:00:00"),
    m("user", ""),
    m("user", "second prompt"),
    m("assistant", "ok", { reasoning: "thinking" }),
  ],
};

Deno.test("aider plan() writes a file that reads back as the flattened session and restores in Aider", async () => {
  await using home = await tempHome([]);
  const repaired = repairSession(TRICKY, 1767261700000).session;
  const plan = await aider.plan(repaired, home.ctx, {
    workspace: "/w",
    now: 1767261700000,
    sessionId: "6f1c2a9e-0000-4000-8000-000000000001",
  });
  assert.equal(plan.sessionId, "6f1c2a9e-0000-4000-8000-000000000001");
  assert.equal(
    plan.primaryPath,
    path.join(aiderStoreDir(home.ctx), `${plan.sessionId}.aider.chat.history.md`),
  );
  assert.deepEqual(plan.warnings.map((w) => w.code), ["tool-calls-as-text", "reasoning-dropped"]);
  assert.deepEqual(plan.resume.argv, [
    "aider",
    "--chat-history-file",
    plan.primaryPath,
    "--restore-chat-history",
  ]);
  assert.equal(plan.resume.cwd, "/w");
  const data = fileText(plan.files[0]!.data);
  await Deno.mkdir(path.dirname(plan.primaryPath), { recursive: true });
  await Deno.writeTextFile(plan.primaryPath, data);
  const back = await aider.read(plan.primaryPath, home.ctx);
  assert.equal(back.session.id, plan.sessionId);
  assert.equal(back.session.workspace, "/w");
  assert.equal(back.session.messages[0]!.timestamp, 1767261600000);
  assert.deepEqual(compareSessions(repaired, back.session, { toolCallsAsText: true }), []);
  // Aider's own restore sees the same turns: user, assistant (with the call as text), user, user, assistant.
  assert.deepEqual(aiderRestore(data).map((r) => r.role), [
    "user",
    "assistant",
    "user",
    "user",
    "assistant",
  ]);
  assert.ok(aiderRestore(data)[1]!.content.includes("**Tool result (error)** of `shell`"));
  assert.deepEqual((await aider.find(home.ctx, "6f1c2a9e")).map((s) => s.path), [plan.primaryPath]);
});

Deno.test("aider plan() replaces an id that cannot name a file", async () => {
  await using home = await tempHome([]);
  const plan = await aider.plan(TRICKY, home.ctx, { workspace: "/w", now: 0, sessionId: "../x" });
  assert.notEqual(plan.sessionId, "../x");
  assert.ok(plan.warnings.some((w) => w.code === "session-id-replaced"));
});

Deno.test("convertSession() codex → aider → claude-code keeps the text; aider → codex keeps the fixture turns", async () => {
  await using home = await tempHome(["codex", "aider"]);
  const toAider = await convertSession(home.ctx, "aider", "01a2334f", {
    now: Date.UTC(2026, 11, 1),
  });
  assert.equal(toAider.verified, true);
  assert.ok(toAider.warnings.some((w) => w.code === "tool-calls-as-text"));
  assert.ok(toAider.files[0]!.startsWith(aiderStoreDir(home.ctx)));
  const again = await convertSession(home.ctx, "claude-code", toAider.target.sessionId);
  assert.equal(again.verified, true);
  const fromAider = await convertSession(home.ctx, "codex", FIRST, { now: Date.UTC(2026, 11, 1) });
  assert.equal(fromAider.verified, true);
  assert.equal(fromAider.source.workspace, "/tmp/casr-fixture-project");
  assert.equal(fromAider.target.messageCount, 5);
  const same = await convertSession(home.ctx, "aider", SECOND);
  assert.equal(same.sameProvider, true);
  assert.equal(same.resume.argv[2], path.join(home.home, ".aider.chat.history.md"));
  assert.match(same.resume.note ?? "", /loads all of them/);
});

Deno.test("aider claims its history files and nothing of the JSON providers", () => {
  assert.ok(aider.claims("/p/.aider.chat.history.md", ""));
  assert.ok(aider.claims("/x/y.aider.chat.history.md#abc", ""));
  assert.ok(aider.claims("/p/notes.md", "\n# aider chat started at 2026-01-01 10:00:00\n"));
  assert.ok(!aider.claims("/p/notes.md", "# Notes\n"));
  assert.ok(!aider.claims("/p/s.jsonl", "\n# aider chat started at 2026-01-01 10:00:00\n"));
  assert.ok(!aider.claims("/p/T-1.json", '{"id":"T-1"}'));
});

Deno.test("splitReasoning() takes what Aider wrote between its reasoning tags out of the reply", () => {
  const tag = "thinking-content-7bbeb8e1441453ad999a0bbba8a46d4b";
  // Hand-made, in the shape of a public history (AlexShchuka/mozgoslav's .aider.chat.history.md).
  assert.deepEqual(
    splitReasoning(`<${tag}>\n\nLook at the types first.\n\n</${tag}>\n\nEdit a.ts.`),
    {
      text: "Edit a.ts.",
      reasoning: "Look at the types first.",
    },
  );
  assert.deepEqual(splitReasoning("No tags <here>."), { text: "No tags <here>.", reasoning: "" });
  // A reply interrupted while the model thought: the tag is never closed
  // (seen in the same history), and what follows it is still thinking.
  assert.deepEqual(splitReasoning(`<${tag}>\n\nLoop over the files again…`), {
    text: "",
    reasoning: "Loop over the files again…",
  });
});

Deno.test("aider reads each session of one file from one parse, and a changed file again", async () => {
  await using home = await tempHome(["aider"]);
  const file = path.join(home.home, ".aider.chat.history.md");
  for (let round = 0; round < 2; round++) {
    // The parse is shared between reads: what one read adds is not seen by the next.
    const bare = await aider.read(file, home.ctx);
    assert.equal(bare.warnings.filter((w) => w.code === "aider-several-sessions").length, 1);
    assert.equal((await aider.read(`${file}#${FIRST}`, home.ctx)).session.id, FIRST);
  }
  const before = (await aider.list(home.ctx)).length;
  await Deno.writeTextFile(
    file,
    "\n# aider chat started at 2026-08-21 09:00:00\n\n#### One more question\n\nAn answer.\n",
    { append: true },
  );
  const after = await aider.list(home.ctx);
  assert.equal(after.length, before + 1);
  const added = await aider.read(after.at(-1)!.path, home.ctx);
  assert.equal(added.session.title, "One more question");
});
