import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import type { Message, Session } from "../../model/types.ts";
import { isUuid } from "../../internal/ids.ts";
import { CasrError } from "../../errors.ts";
import { compareSessions } from "../../pipeline/compare.ts";
import { planGeminiSession } from "./writer.ts";
import { readGeminiSession } from "./reader.ts";
import { sha256Hex } from "./paths.ts";
import { geminiHome } from "./helpers_test.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import { testMessage as msg } from "../../model/testdata/sample_session.ts";

const T0 = Date.parse("2026-03-04T05:06:07.000Z");
const NOW = Date.parse("2026-11-20T10:11:12.345Z");
const WS = "/work/my App";

function sample(): Session {
  const messages: Message[] = [
    msg("system", "<environment_context>cwd=/src</environment_context>", { timestamp: T0 }),
    msg("user", "Überprüfe `main.rs` — bitte 🙏\n\n# Heading\n- item", { timestamp: T0 + 1000 }),
    msg("assistant", "Ich schaue nach.", {
      timestamp: T0 + 2000,
      author: "claude-sonnet-4-5",
      toolCalls: [
        { id: "toolu_01", name: "Bash", input: { command: "cat main.rs" } },
        { id: "toolu_02", name: "apply_patch", input: "*** Begin Patch\n*** End Patch" },
      ],
    }),
    msg("tool", "", {
      timestamp: T0 + 3000,
      toolResults: [
        { callId: "toolu_01", output: "fn main() {}", isError: false },
        { callId: "toolu_02", output: "patch failed", isError: true },
      ],
    }),
    msg("assistant", "Die Datei ist **leer**:\n```rust\nfn main() {}\n```"),
    msg("user", "Danke!", { timestamp: T0 + 9000 }),
    msg("other", "Model switched", { timestamp: T0 + 9500 }),
    msg("assistant", "Gern.", { timestamp: T0 + 10000 }),
  ].map((m, index) => ({ ...m, index }));
  return {
    id: "source-session-1",
    provider: "claude-code",
    workspace: "/elsewhere",
    title: "Check main.rs",
    messages,
    metadata: {},
  };
}

function lines(data: string): Record<string, unknown>[] {
  assert.ok(data.endsWith("\n"), "JSONL ends with a newline");
  return data.trimEnd().split("\n").map((l) => JSON.parse(l));
}

Deno.test("planGeminiSession() writes the shape Gemini CLI 0.61 resumes", async () => {
  await using h = await geminiHome();
  await h.write("projects.json", JSON.stringify({ projects: { "/other": "other" } }));
  const plan = await planGeminiSession(sample(), h.ctx, { workspace: WS, now: NOW });
  assert.ok(isUuid(plan.sessionId));
  assert.notEqual(plan.sessionId, "source-session-1");
  assert.equal(
    plan.primaryPath,
    path.join(
      h.root,
      "tmp",
      "my-app",
      "chats",
      `session-2026-11-20T10-11-${plan.sessionId.slice(0, 8)}.jsonl`,
    ),
  );
  const byPath = new Map(plan.files.map((f) => [f.path, fileText(f.data)]));
  assert.deepEqual(
    [...byPath.keys()].sort(),
    [
      path.join(h.root, "history", "my-app", ".project_root"),
      path.join(h.root, "projects.json"),
      path.join(h.root, "tmp", "my-app", ".project_root"),
      plan.primaryPath,
    ].sort(),
  );
  assert.deepEqual(JSON.parse(byPath.get(path.join(h.root, "projects.json")) ?? ""), {
    projects: { "/other": "other", [WS]: "my-app" },
  });
  assert.equal(byPath.get(path.join(h.root, "tmp", "my-app", ".project_root")), WS);
  assert.deepEqual(plan.effects, []);
  assert.deepEqual(plan.resume, {
    cwd: WS,
    argv: ["gemini", "--resume", plan.sessionId],
    shell: `cd '${WS}' && gemini --resume ${plan.sessionId}`,
  });

  const records = lines(byPath.get(plan.primaryPath) ?? "");
  assert.deepEqual(records[0], {
    sessionId: plan.sessionId,
    projectHash: sha256Hex(WS),
    startTime: "2026-11-20T10:11:12.345Z",
    lastUpdated: "2026-11-20T10:11:12.345Z",
    kind: "main",
  });
  assert.deepEqual(records.at(-1), {
    $set: { summary: "Check main.rs", lastUpdated: "2026-11-20T10:11:12.345Z" },
  });
  const body = records.slice(1, -1);
  assert.deepEqual(body.map((r) => r.type), ["user", "gemini", "gemini", "user", "gemini"]);
  for (const r of body) {
    assert.equal(typeof r.id, "string");
    assert.equal(typeof r.timestamp, "string");
  }
  assert.equal(new Set(body.map((r) => r.id)).size, body.length);
  assert.deepEqual(body[0]?.content, [{
    text: "Überprüfe `main.rs` — bitte 🙏\n\n# Heading\n- item",
  }]);
  assert.equal(body[1]?.content, "Ich schaue nach.");
  assert.equal(body[1]?.model, "claude-sonnet-4-5");
  assert.deepEqual(body[1]?.toolCalls, [
    {
      id: "toolu_01",
      name: "Bash",
      args: { command: "cat main.rs" },
      result: [{
        functionResponse: { id: "toolu_01", name: "Bash", response: { output: "fn main() {}" } },
      }],
      status: "success",
      timestamp: "2026-03-04T05:06:10.000Z",
    },
    {
      id: "toolu_02",
      name: "apply_patch",
      args: { input: "*** Begin Patch\n*** End Patch" },
      result: [{
        functionResponse: {
          id: "toolu_02",
          name: "apply_patch",
          response: { error: "patch failed" },
        },
      }],
      status: "error",
      timestamp: "2026-03-04T05:06:10.000Z",
    },
  ]);
  // The message without a timestamp takes its neighbour's.
  assert.equal(body[2]?.timestamp, "2026-03-04T05:06:10.000Z");
  // No separate function-response user records.
  assert.ok(!body.some((r) => JSON.stringify(r.content).includes("functionResponse")));
  assert.deepEqual(plan.warnings, []);
});

Deno.test("planGeminiSession() output reads back to the same conversation", async () => {
  await using h = await geminiHome();
  const source = sample();
  const plan = await planGeminiSession(source, h.ctx, { workspace: WS, now: NOW });
  for (const f of plan.files) {
    await Deno.mkdir(path.dirname(f.path), { recursive: true });
    await Deno.writeTextFile(f.path, fileText(f.data));
  }
  const { session, warnings } = await readGeminiSession(plan.primaryPath);
  assert.deepEqual(warnings, []);
  assert.deepEqual(compareSessions(source, session), []);
  assert.equal(session.id, plan.sessionId);
  assert.equal(session.workspace, WS);
  assert.equal(session.title, "Check main.rs");
  assert.equal(rolesOf(session), "user assistant tool assistant user assistant");
  assert.deepEqual(session.messages[1]?.toolCalls.map((c) => c.input), [
    { command: "cat main.rs" },
    { input: "*** Begin Patch\n*** End Patch" },
  ]);
  assert.deepEqual(session.messages[2]?.toolResults.map((r) => [r.output, r.isError]), [
    ["fn main() {}", false],
    ["patch failed", true],
  ]);
});

Deno.test("planGeminiSession() reuses the slug of projects.json or a .project_root marker", async () => {
  await using h = await geminiHome();
  await h.write("projects.json", JSON.stringify({ projects: { [WS]: "mine" } }));
  const registered = await planGeminiSession(sample(), h.ctx, { workspace: WS, now: NOW });
  assert.deepEqual(registered.files.map((f) => f.path), [registered.primaryPath]);
  assert.equal(path.basename(path.dirname(path.dirname(registered.primaryPath))), "mine");

  await using h2 = await geminiHome();
  await h2.write("tmp/adopted/.project_root", `${WS}\n`);
  const adopted = await planGeminiSession(sample(), h2.ctx, { workspace: WS, now: NOW });
  assert.deepEqual(adopted.files.map((f) => f.path), [adopted.primaryPath]);
  assert.equal(path.basename(path.dirname(path.dirname(adopted.primaryPath))), "adopted");
});

Deno.test("planGeminiSession() numbers a new slug past taken ones", async () => {
  await using h = await geminiHome();
  await h.write("projects.json", JSON.stringify({ projects: { "/a/my-app": "my-app" } }));
  await h.write("history/my-app-1/.project_root", "/b/my_app");
  const plan = await planGeminiSession(sample(), h.ctx, { workspace: WS, now: NOW });
  assert.equal(path.basename(path.dirname(path.dirname(plan.primaryPath))), "my-app-2");
  const registry = plan.files.find((f) => f.path.endsWith("projects.json"));
  assert.deepEqual(JSON.parse(fileText(registry?.data ?? "")), {
    projects: { "/a/my-app": "my-app", [WS]: "my-app-2" },
  });
});

Deno.test("planGeminiSession() refuses a session without a user prompt", async () => {
  await using h = await geminiHome();
  const session: Session = {
    id: "s",
    provider: "codex",
    metadata: {},
    messages: [msg("system", "<user_instructions>x</user_instructions>"), msg("assistant", "Hi")],
  };
  await assert.rejects(
    planGeminiSession(session, h.ctx, { workspace: WS, now: NOW }),
    (e: unknown) => e instanceof CasrError && e.code === "invalid-session",
  );
});

Deno.test("planGeminiSession() guards prompts Gemini would take for commands", async () => {
  await using h = await geminiHome();
  const session: Session = {
    id: "s",
    provider: "codex",
    metadata: {},
    messages: [
      msg("user", "/tmp/x is missing, why?", { timestamp: T0 }),
      msg("assistant", "It was deleted.", { timestamp: T0 + 1 }),
      msg("user", "? what now", { timestamp: T0 + 2 }),
      msg("assistant", "Recreate it.", { timestamp: T0 + 3 }),
    ],
  };
  const plan = await planGeminiSession(session, h.ctx, { workspace: WS, now: NOW });
  const records = lines(fileText(plan.files.find((f) => f.path === plan.primaryPath)?.data ?? ""));
  assert.deepEqual(records[1]?.content, [{ text: "\u200B/tmp/x is missing, why?" }]);
  assert.deepEqual(plan.warnings.map((w) => w.code), ["prompt-guarded", "prompt-guarded"]);
  for (const f of plan.files) {
    await Deno.mkdir(path.dirname(f.path), { recursive: true });
    await Deno.writeTextFile(f.path, fileText(f.data));
  }
  const back = await readGeminiSession(plan.primaryPath);
  assert.deepEqual(compareSessions(session, back.session), []);
  assert.equal(back.session.messages[0]?.text, "/tmp/x is missing, why?");
  assert.equal(back.session.title, "/tmp/x is missing, why?");
});

Deno.test("planGeminiSession() does not touch the disk", async () => {
  await using h = await geminiHome();
  await planGeminiSession(sample(), h.ctx, { workspace: WS, now: NOW });
  await assert.rejects(Deno.stat(h.root), Deno.errors.NotFound);
});

Deno.test("planGeminiSession() registers the physical path of a symlinked workspace", async () => {
  await using h = await geminiHome();
  const real = path.join(h.home, "real-proj");
  const link = path.join(h.home, "link-proj");
  await Deno.mkdir(real);
  await Deno.symlink(real, link);
  const plan = await planGeminiSession(sample(), h.ctx, { workspace: link, now: NOW });
  const registry = plan.files.find((f) => f.path.endsWith("projects.json"));
  assert.deepEqual(JSON.parse(fileText(registry?.data ?? "")), {
    projects: { [real]: "real-proj" },
  });
  const header =
    lines(fileText(plan.files.find((f) => f.path === plan.primaryPath)?.data ?? ""))[0];
  assert.equal(header?.projectHash, sha256Hex(real));
  assert.equal(plan.resume.cwd, link);
});
