import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import type { Message, Session } from "../../model/types.ts";
import { compareSessions } from "../../pipeline/compare.ts";
import { isUuid } from "../../internal/ids.ts";
import type { WritePlan } from "../types.ts";
import { readClaudeSession } from "./reader.ts";
import { claudeResumeCommand, planClaudeSession, WRITER_VERSION } from "./writer.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import { testMessage as msg } from "../../model/testdata/sample_session.ts";
import { tempDir, writePlanFiles } from "../../../tests/fixture_home.ts";

const T0 = Date.parse("2026-08-20T14:03:11.482Z");

/** A hand-built canonical session: unicode, markdown, a system message, reasoning, odd tool ids. */
function sampleSession(): Session {
  const messages: Message[] = [
    msg("system", "<environment_context>cwd=/src</environment_context>", { timestamp: T0 }),
    msg("user", "Fix the **bug** in `main.rs` — ünïcode ✓ 😀\n\n```rust\nfn main() {}\n```", {
      timestamp: T0 + 1000,
    }),
    msg("assistant", "I'll look first.", {
      timestamp: T0 + 2000,
      reasoning: "The user wants a fix.",
      author: "gpt-5-codex",
      toolCalls: [
        { id: "call.1/x", name: "shell", input: { command: ["cat", "main.rs"] } },
        { id: "call:1:x", name: "apply_patch", input: "*** Begin Patch\n*** End Patch" },
      ],
    }),
    msg("tool", "", {
      timestamp: T0 + 3000,
      toolResults: [
        { callId: "call.1/x", output: "fn main() {}", isError: false },
        { callId: "call:1:x", output: "patch failed", isError: true },
      ],
    }),
    msg("assistant", "Done: `main.rs` now compiles.", { timestamp: T0 + 4000 }),
    msg("other", "info: model switched"),
    msg("user", "Thanks! 🎉"),
    msg("assistant", "You're welcome.", { timestamp: T0 + 6000 }),
  ];
  return {
    id: "019a0000-0000-7000-8000-000000000001",
    provider: "codex",
    workspace: "/src",
    title: "Fix the bug",
    model: "gpt-5-codex",
    messages: messages.map((m, index) => ({ ...m, index })),
    metadata: {},
  };
}

async function withHome(fn: (home: string, ws: string) => Promise<void>): Promise<void> {
  await using homeTmp = await tempDir({ prefix: "casr-cc-writer-" });
  const home = homeTmp.path;
  const ws = path.join(home, "work", "my_proj.v2");
  await Deno.mkdir(ws, { recursive: true });
  await fn(home, ws);
}

const ctxFor = (home: string) => ({
  env: { CLAUDE_CONFIG_DIR: path.join(home, ".claude") },
  homeDir: home,
  cwd: home,
});

function recordsOf(plan: WritePlan): Record<string, unknown>[] {
  const data = fileText(plan.files[0]?.data ?? "");
  return data.trimEnd().split("\n").map((l) => JSON.parse(l));
}

Deno.test("planClaudeSession() writes one chained transcript in the workspace's project folder", async () => {
  await withHome(async (home, ws) => {
    const plan = await planClaudeSession(sampleSession(), ctxFor(home), { workspace: ws, now: T0 });
    assert.ok(isUuid(plan.sessionId));
    assert.notEqual(plan.sessionId, "019a0000-0000-7000-8000-000000000001");
    const key = ws.replace(/[^A-Za-z0-9]/g, "-");
    assert.equal(
      plan.primaryPath,
      path.join(home, ".claude", "projects", key, `${plan.sessionId}.jsonl`),
    );
    assert.equal(plan.files.length, 1);
    assert.equal(plan.files[0]?.path, plan.primaryPath);
    assert.equal(plan.files[0]?.mode, 0o600);
    assert.ok(fileText(plan.files[0]?.data ?? "").endsWith("}\n"));
    assert.deepEqual(plan.effects, []);
    // plan() must not touch the disk.
    await assert.rejects(Deno.stat(path.join(home, ".claude")));

    const records = recordsOf(plan);
    const chain = records.filter((r) => r.type === "user" || r.type === "assistant");
    assert.deepEqual(chain.map((r) => r.type), [
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
    let parent: unknown = null;
    let lastTime = 0;
    for (const r of chain) {
      assert.equal(r.parentUuid, parent);
      assert.equal(typeof r.uuid, "string");
      assert.equal(r.sessionId, plan.sessionId);
      assert.equal(r.cwd, ws);
      assert.equal(r.isSidechain, false);
      assert.equal(r.userType, "external");
      assert.equal(r.version, WRITER_VERSION);
      assert.equal(r.gitBranch, "");
      assert.match(String(r.timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const time = Date.parse(String(r.timestamp));
      assert.ok(time >= lastTime);
      lastTime = time;
      parent = r.uuid;
    }
    assert.equal(new Set(chain.map((r) => r.uuid)).size, chain.length);
    // The last line names the session.
    assert.deepEqual(records.at(-1), {
      type: "custom-title",
      customTitle: "Fix the bug (via casr)",
      sessionId: plan.sessionId,
    });
  });
});

Deno.test("planClaudeSession() writes API envelopes, string prompts and answered tool calls", async () => {
  await withHome(async (home, ws) => {
    const plan = await planClaudeSession(sampleSession(), ctxFor(home), { workspace: ws, now: T0 });
    const chain = recordsOf(plan).filter((r) => r.type === "user" || r.type === "assistant");
    const messages = chain.map((r) => r.message as Record<string, unknown>);
    assert.equal(messages[0]?.content, sampleSession().messages[1]?.text);
    assert.equal(messages[4]?.content, "Thanks! 🎉");

    const reply = messages[1] as Record<string, unknown>;
    assert.match(String(reply.id), /^msg_/);
    assert.equal(reply.type, "message");
    assert.equal(reply.role, "assistant");
    assert.equal(reply.model, "gpt-5-codex");
    assert.equal(reply.stop_reason, "tool_use");
    assert.equal(reply.stop_sequence, null);
    assert.deepEqual(reply.usage, {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    const blocks = reply.content as Record<string, unknown>[];
    assert.deepEqual(blocks.map((b) => b.type), ["text", "tool_use", "tool_use"]);
    assert.ok(!JSON.stringify(chain).includes('"thinking"'));
    assert.deepEqual(blocks[2]?.input, { input: "*** Begin Patch\n*** End Patch" });
    const callIds = blocks.slice(1).map((b) => String(b.id));
    for (const id of callIds) assert.match(id, /^[A-Za-z0-9_-]+$/);
    assert.equal(new Set(callIds).size, 2);
    // Claude Code 2.1.331 reads "<id>_<digits>" as a part of batched call <id> and drops its result.
    for (const id of callIds) assert.ok(!callIds.includes(/^(.*)_\d+$/.exec(id)?.[1] ?? ""), id);

    // The very next record answers both calls, with the same ids.
    const results = messages[2]?.content as Record<string, unknown>[];
    assert.deepEqual(results, [
      { type: "tool_result", tool_use_id: callIds[0], content: "fn main() {}", is_error: false },
      { type: "tool_result", tool_use_id: callIds[1], content: "patch failed", is_error: true },
    ]);
    assert.equal((messages[3] as Record<string, unknown>).stop_reason, "end_turn");
    assert.deepEqual(plan.warnings.map((w) => w.code), ["dropped-reasoning"]);
  });
});

Deno.test("planClaudeSession() output reads back to the same conversation", async () => {
  await withHome(async (home, ws) => {
    const source = sampleSession();
    const plan = await planClaudeSession(source, ctxFor(home), { workspace: ws, now: T0 + 9000 });
    await writePlanFiles(plan);
    const { session, warnings } = await readClaudeSession(plan.primaryPath);
    assert.deepEqual(warnings, []);
    assert.deepEqual(compareSessions(source, session), []);
    assert.equal(session.id, plan.sessionId);
    assert.equal(session.workspace, ws);
    assert.equal(session.title, "Fix the bug (via casr)");
    // Converting the conversion does not stack the suffix.
    const again = await planClaudeSession(session, ctxFor(home), { workspace: ws, now: T0 });
    assert.equal(recordsOf(again).at(-1)?.customTitle, "Fix the bug (via casr)");
    // The user message without a time got its neighbour's time.
    assert.equal(session.messages[4]?.timestamp, T0 + 4000);
    assert.equal(rolesOf(session), "user assistant tool assistant user assistant");
  });
});

Deno.test("planClaudeSession() uses the pipeline's session id and the resume command", async () => {
  await withHome(async (home, ws) => {
    const id = "3b0c7a52-6a4e-4f8e-9d1c-5e2f4a6b8c0d";
    const plan = await planClaudeSession(sampleSession(), ctxFor(home), {
      workspace: ws,
      now: T0,
      sessionId: id,
    });
    assert.equal(plan.sessionId, id);
    assert.ok(plan.primaryPath.endsWith(`${id}.jsonl`));
    assert.deepEqual(plan.resume, {
      argv: ["claude", "--resume", id],
      cwd: ws,
      shell: `cd ${ws} && claude --resume ${id}`,
    });
  });
  assert.equal(
    claudeResumeCommand({ id: "x", workspace: "/a b" }).shell,
    "cd '/a b' && claude --resume x",
  );
});

Deno.test("planClaudeSession() moves late tool results up so every tool_use is answered next", async () => {
  await withHome(async (home, ws) => {
    const source: Session = {
      id: "s",
      provider: "gemini-cli",
      metadata: {},
      messages: [
        msg("user", "go", { timestamp: T0 }),
        msg("assistant", "", { timestamp: T0, toolCalls: [{ id: "a", name: "ls", input: {} }] }),
        msg("assistant", "Still working", { timestamp: T0 }),
        msg("tool", "", {
          timestamp: T0,
          toolResults: [{ callId: "a", output: "x", isError: false }],
        }),
      ].map((m, index) => ({ ...m, index })),
    };
    const plan = await planClaudeSession(source, ctxFor(home), { workspace: ws, now: T0 });
    const chain = recordsOf(plan).filter((r) => r.type !== "custom-title");
    const kinds = chain.map((r) => {
      const content = (r.message as { content: unknown }).content;
      return Array.isArray(content)
        ? `${r.type}:${content.map((b) => b.type).join("+")}`
        : `${r.type}:string`;
    });
    assert.deepEqual(kinds, [
      "user:string",
      "assistant:tool_use",
      "user:tool_result",
      "assistant:text",
    ]);
    assert.ok(plan.warnings.some((w) => w.code === "reordered-tool-results"));
  });
});

Deno.test("planClaudeSession() reuses a long-path project folder and resolves symlinks", async () => {
  await withHome(async (home) => {
    const long = path.join(home, "d".repeat(120), "e".repeat(120));
    await Deno.mkdir(long, { recursive: true });
    const prefix = long.replace(/[^A-Za-z0-9]/g, "-").slice(0, 200) + "-";
    await Deno.mkdir(path.join(home, ".claude", "projects", prefix + "bunhash"), {
      recursive: true,
    });
    const plan = await planClaudeSession(sampleSession(), ctxFor(home), {
      workspace: long,
      now: T0,
    });
    assert.equal(path.basename(path.dirname(plan.primaryPath)), prefix + "bunhash");

    const link = path.join(home, "link");
    await Deno.symlink(long, link);
    const viaLink = await planClaudeSession(sampleSession(), ctxFor(home), {
      workspace: link,
      now: T0,
    });
    assert.equal(path.dirname(viaLink.primaryPath), path.dirname(plan.primaryPath));
    assert.equal(recordsOf(viaLink)[0]?.cwd, long);
    assert.equal(viaLink.resume.cwd, link);
  });
});

Deno.test("planClaudeSession() refuses a session with nothing to write", async () => {
  await withHome(async (home, ws) => {
    const source: Session = {
      id: "s",
      provider: "x",
      metadata: {},
      messages: [msg("system", "only rules")],
    };
    await assert.rejects(
      planClaudeSession(source, ctxFor(home), { workspace: ws, now: T0 }),
      /Cannot write session "s": it has no user or assistant message/,
    );
  });
});
