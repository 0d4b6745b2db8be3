import assert from "node:assert/strict";
import * as path from "node:path";
import { claimsClaudeFile, claudeCode } from "./mod.ts";
import { summarizeSession, WHOLE_FILE_BYTES } from "./list.ts";
import { readClaudeSession } from "./reader.ts";
import { tempDir } from "../../../tests/fixture_home.ts";

const A = "aaaaaaaa-1111-4a2b-8c3d-000000000001";
const A2 = "aaaaaaaa-2222-4a2b-8c3d-000000000002";
const B = "bbbbbbbb-1111-4a2b-8c3d-000000000003";

const line = (r: Record<string, unknown>) => JSON.stringify(r);

function transcript(id: string, cwd: string, prompt: string, extra: string[] = []): string {
  return [
    line({
      type: "queue-operation",
      operation: "enqueue",
      timestamp: "2026-08-20T10:00:00.000Z",
      sessionId: id,
      content: prompt,
    }),
    line({
      parentUuid: null,
      isSidechain: false,
      type: "user",
      message: { role: "user", content: prompt },
      uuid: `${id}-u`,
      timestamp: "2026-08-20T10:00:01.000Z",
      cwd,
      sessionId: id,
    }),
    line({
      parentUuid: `${id}-u`,
      isSidechain: false,
      type: "assistant",
      message: { id: "m", role: "assistant", content: [{ type: "text", text: "ok" }] },
      uuid: `${id}-a`,
      timestamp: "2026-08-20T10:00:05.000Z",
      cwd,
      sessionId: id,
    }),
    ...extra,
  ].join("\n") + "\n";
}

/** A temp home shaped like ~/.claude with hand-made transcripts and the files a lister must skip. */
async function withTree(fn: (home: string) => Promise<void>): Promise<void> {
  await using homeTmp = await tempDir({ prefix: "casr-cc-list-" });
  const home = homeTmp.path;
  const p1 = path.join(home, ".claude", "projects", "-home-dev-proj");
  const p2 = path.join(home, ".claude", "projects", "-home-dev-other");
  await Deno.mkdir(path.join(p1, A, "subagents"), { recursive: true });
  await Deno.mkdir(p2, { recursive: true });
  await Deno.writeTextFile(
    path.join(p1, `${A}.jsonl`),
    transcript(A, "/home/dev/proj", "List the files", [
      line({ type: "custom-title", customTitle: "Listing", sessionId: A }),
    ]),
  );
  await Deno.writeTextFile(
    path.join(p1, `${A2}.jsonl`),
    transcript(A2, "/home/dev/proj", "Second session\nmore"),
  );
  await Deno.writeTextFile(
    path.join(p2, `${B}.jsonl`),
    transcript(B, "/home/dev/other", "Other project"),
  );
  await Deno.writeTextFile(
    path.join(p1, "agent-12ab.jsonl"),
    transcript("x", "/home/dev/proj", "sub"),
  );
  await Deno.writeTextFile(
    path.join(p1, A, "subagents", "agent-9.jsonl"),
    transcript("y", "/home/dev/proj", "sub"),
  );
  await Deno.writeTextFile(path.join(p1, "sessions-index.json"), "{}");
  await fn(home);
}

const ctxFor = (home: string) => ({ env: {}, homeDir: home, cwd: home });

Deno.test("list() summarizes main transcripts and skips subagent files", async () => {
  await withTree(async (home) => {
    const list = await claudeCode.list(ctxFor(home));
    assert.deepEqual(list.map((s) => s.id).sort(), [A, A2, B]);
    const a = list.find((s) => s.id === A);
    assert.equal(a?.provider, "claude-code");
    assert.equal(a?.title, "Listing");
    assert.equal(a?.workspace, "/home/dev/proj");
    assert.equal(a?.startedAt, Date.parse("2026-08-20T10:00:00.000Z"));
    assert.equal(a?.lastActiveAt, Date.parse("2026-08-20T10:00:05.000Z"));
    assert.equal(a?.messageCount, 2);
    assert.ok((a?.sizeBytes ?? 0) > 0);
    assert.equal(a?.path, path.join(home, ".claude", "projects", "-home-dev-proj", `${A}.jsonl`));
    assert.equal(list.find((s) => s.id === A2)?.title, "Second session");
  });
});

Deno.test("list() honours CLAUDE_CONFIG_DIR and lists nothing for a missing root", async () => {
  await withTree(async (home) => {
    const moved = {
      env: { CLAUDE_CONFIG_DIR: path.join(home, ".claude") },
      homeDir: "/nonexistent",
      cwd: home,
    };
    assert.equal((await claudeCode.list(moved)).length, 3);
    assert.deepEqual(await claudeCode.list({ env: {}, homeDir: "/nonexistent", cwd: home }), []);
  });
});

Deno.test("find() returns an exact id alone, else every prefix match", async () => {
  await withTree(async (home) => {
    const ctx = ctxFor(home);
    assert.deepEqual((await claudeCode.find(ctx, A)).map((s) => s.id), [A]);
    assert.deepEqual((await claudeCode.find(ctx, "aaaaaaaa")).map((s) => s.id).sort(), [A, A2]);
    assert.deepEqual((await claudeCode.find(ctx, "BBBB")).map((s) => s.id), [B]);
    assert.deepEqual(await claudeCode.find(ctx, "cccc"), []);
    assert.deepEqual(await claudeCode.find(ctx, ""), []);
  });
});

Deno.test("detect() reports the existing root and no binary on an empty PATH", async () => {
  await withTree(async (home) => {
    const found = await claudeCode.detect({ env: { PATH: "" }, homeDir: home, cwd: home });
    assert.deepEqual(found, { installed: true, roots: [path.join(home, ".claude")] });
    const none = await claudeCode.detect({ env: { PATH: "" }, homeDir: "/nonexistent", cwd: home });
    assert.equal(none.installed, false);
  });
});

Deno.test("summarizeSession() reads only the head and tail of a large transcript", async () => {
  await withTree(async (home) => {
    const file = path.join(home, ".claude", "projects", "-home-dev-proj", `${A}.jsonl`);
    const metadata = line({ type: "api-request-shape", sessionId: A, blob: "x".repeat(90_000) });
    const filler = Array.from({ length: 400 }, (_, i) =>
      line({
        parentUuid: "p",
        isSidechain: false,
        type: i % 2 ? "assistant" : "user",
        message: { role: "user", content: [{ type: "tool_result", content: "y".repeat(2000) }] },
        uuid: `f${i}`,
        timestamp: "2026-08-20T11:00:00.000Z",
        sessionId: A,
      }));
    // ~90 KB of metadata before the first prompt, as current Claude Code writes.
    await Deno.writeTextFile(
      file,
      metadata + "\n" + transcript(A, "/home/dev/proj", "Deep prompt") + filler.join("\n") +
        "\n" + line({ type: "ai-title", aiTitle: "Late title", sessionId: A }) + "\n",
    );
    assert.ok((await Deno.stat(file)).size > WHOLE_FILE_BYTES);
    const s = await summarizeSession(file);
    assert.equal(s?.workspace, "/home/dev/proj");
    assert.equal(s?.title, "Late title");
    assert.equal(s?.lastActiveAt, Date.parse("2026-08-20T11:00:00.000Z"));
    assert.equal(s?.messageCountEstimated, true);
    // 402 conversation lines; the estimate is close.
    assert.ok(Math.abs((s?.messageCount ?? 0) - 402) < 20, String(s?.messageCount));
  });
});

// Hand-made, shaped after claude-code-viewer's sample project (Claude Code 1.x
// and 2.0 transcripts): list and info must agree on these.
Deno.test("summarizeSession() and read() title a session as Claude Code files it, not by another session's summary or a subagent's prompt", async () => {
  await withTree(async (home) => {
    const dir = path.join(home, ".claude", "projects", "-home-dev-proj");
    const record = (r: Record<string, unknown>) =>
      line({ isSidechain: false, timestamp: "2026-08-20T10:00:01.000Z", sessionId: B, ...r });
    const summaryOf = (leaf: string, text: string) =>
      line({ type: "summary", summary: text, leafUuid: leaf });
    const title = async (name: string, lines: string[]) => {
      const file = path.join(dir, `${name}.jsonl`);
      await Deno.writeTextFile(file, lines.join("\n") + "\n");
      const listed = await summarizeSession(file);
      const read = (await readClaudeSession(file)).session;
      assert.equal(listed?.title, read.title, `list and info agree for ${name}`);
      return { title: listed?.title, count: listed?.messageCount, read: read.messages.length };
    };
    const reply = (
      uuid: string,
      parent: string,
      text: string,
      more: Record<string, unknown> = {},
    ) =>
      record({
        type: "assistant",
        uuid,
        parentUuid: parent,
        message: { id: uuid, role: "assistant", content: [{ type: "text", text }] },
        ...more,
      });
    const prompt = (uuid: string, parent: string | null, content: string, more = {}) =>
      record({
        type: "user",
        uuid,
        parentUuid: parent,
        message: { role: "user", content },
        ...more,
      });

    // A summary of another session (its leaf is not here) names nothing here;
    // this session's own summary does.
    const foreign = await title("cccccccc-1111-4a2b-8c3d-000000000004", [
      summaryOf("99999999-0000-4000-8000-000000000000", "Another session's work"),
      prompt("u1", null, "Fix the parser"),
      reply("a1", "u1", "Fixed."),
    ]);
    assert.equal(foreign.title, "Fix the parser");
    const own = await title("cccccccc-1111-4a2b-8c3d-000000000005", [
      summaryOf("99999999-0000-4000-8000-000000000000", "Another session's work"),
      summaryOf("a1", "Parser fixed"),
      prompt("u1", null, "Fix the parser"),
      reply("a1", "u1", "Fixed."),
    ]);
    assert.equal(own.title, "Parser fixed");

    // A session that starts with a slash command and its expansion is titled
    // by the command; a subagent's prompt, inline, is neither title nor counted.
    const command = await title("cccccccc-1111-4a2b-8c3d-000000000006", [
      prompt(
        "u1",
        null,
        "<command-message>init is analyzing your codebase…</command-message>\n" +
          "<command-name>/init</command-name>",
      ),
      prompt("u2", "u1", "Please analyze this codebase and create a CLAUDE.md file", {
        isMeta: true,
      }),
      prompt("s1", "u2", "Examine the package.json and list the scripts", { isSidechain: true }),
      reply("s2", "s1", "The scripts are dev and build.", { isSidechain: true }),
      reply("a1", "u2", "Created CLAUDE.md."),
    ]);
    assert.equal(command.title, "/init");
    // The listing counts the session's own user and assistant lines (the
    // expansion is one), not the subagent's two.
    assert.equal(command.count, 3);
  });
});

Deno.test("claims() takes Claude transcripts and leaves other agents' files alone", () => {
  const cc = transcript(A, "/w", "hi");
  assert.equal(claimsClaudeFile(`/x/${A}.jsonl`, cc), true);
  assert.equal(claudeCode.claims(`/x/${A}.jsonl`, cc), true);
  assert.equal(
    claimsClaudeFile("/x/copy.jsonl", line({ type: "summary", summary: "S", leafUuid: "u" })),
    true,
  );
  assert.equal(claimsClaudeFile(`/x/${A}.json`, cc), false);
  // A first line cut by the head limit still counts.
  assert.equal(claimsClaudeFile("/x/a.jsonl", cc.slice(0, 60)), true);
  // Codex rollout.
  assert.equal(
    claimsClaudeFile(
      "/h/.codex/sessions/rollout-2026-01-01T00-00-00-x.jsonl",
      line({
        timestamp: "2026-01-01T00:00:00Z",
        type: "session_meta",
        payload: { id: "x", cwd: "/w" },
      }) + "\n" +
        line({
          timestamp: "2026-01-01T00:00:00Z",
          type: "response_item",
          payload: { type: "message", role: "user" },
        }),
    ),
    false,
  );
  // Gemini JSONL.
  assert.equal(
    claimsClaudeFile(
      "/h/.gemini/tmp/p/chats/session-2026-01-01T00-00-abcd.jsonl",
      line({ sessionId: "s", projectHash: "h", startTime: "t", lastUpdated: "t", kind: "main" }) +
        "\n" +
        line({ id: "m1", timestamp: "t", type: "user", content: [{ text: "hi" }] }),
    ),
    false,
  );
  // Qwen Code (Claude-like records with Gemini parts).
  assert.equal(
    claimsClaudeFile(
      "/h/.qwen/projects/-w/chats/s.jsonl",
      line({
        uuid: "u",
        parentUuid: null,
        sessionId: "s",
        type: "user",
        cwd: "/w",
        message: { role: "user", parts: [{ text: "hi" }] },
      }),
    ),
    false,
  );
  assert.equal(claimsClaudeFile("/x/a.jsonl", ""), false);
  assert.equal(claimsClaudeFile("/x/a.jsonl", "[1,2]\n"), false);
});
