// Messy Claude Code sessions: slash commands, queued prompts, compaction with a preserved
// reply, images, persisted output. Every session here is HAND-MADE, in the record shapes
// claude 2.1.331 wrote when driven against a mock model (2026-12), and the expectations are
// what that CLI sent to the mock when it resumed such a session.
import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import type { Message, Session } from "../../model/types.ts";
import { compareSessions } from "../../pipeline/compare.ts";
import { readClaudeSession } from "./reader.ts";
import { planClaudeSession } from "./writer.ts";
import { commandLine } from "./messages.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import { testMessage as msg } from "../../model/testdata/sample_session.ts";
import { tempDir } from "../../../tests/fixture_home.ts";

const SID = "5356bb88-2f41-4027-9f96-54918bd6f0fe";
// A 4×4 red PNG, base64.
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg==";

async function withFile(
  records: Record<string, unknown>[],
  fn: (file: string) => Promise<void>,
): Promise<void> {
  await using dirTmp = await tempDir({ prefix: "casr-cc-messy-" });
  const dir = dirTmp.path;
  const file = path.join(dir, `${SID}.jsonl`);
  await Deno.writeTextFile(file, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  await fn(file);
}

let clock = 0;
/** One chain record (hand-made). */
function rec(uuid: string, parentUuid: string | null, extra: Record<string, unknown>) {
  clock++;
  return {
    parentUuid,
    isSidechain: false,
    userType: "external",
    cwd: "/tmp/proj",
    sessionId: SID,
    version: "2.1.331",
    uuid,
    timestamp: new Date(Date.UTC(2026, 11, 6, 4, 0, clock)).toISOString(),
    ...extra,
  };
}
const user = (uuid: string, parent: string | null, content: unknown, extra = {}) =>
  rec(uuid, parent, { type: "user", message: { role: "user", content }, ...extra });
const reply = (uuid: string, parent: string | null, id: string, block: unknown) =>
  rec(uuid, parent, {
    type: "assistant",
    message: { id, type: "message", role: "assistant", model: "claude-opus-5-5", content: [block] },
  });
const text = (t: string) => ({ type: "text", text: t });
const env = (uuid: string, parent: string) =>
  rec(uuid, parent, { type: "attachment", attachment: { type: "environment", snapshot: {} } });

const shape = (messages: readonly Message[]) =>
  messages.map((m) => [m.role, m.text, m.toolCalls.length, m.toolResults.length]);

Deno.test("commandLine() rebuilds the typed command from the wrapper tags", () => {
  assert.equal(
    commandLine(
      "<command-message>greet</command-message>\n<command-name>/greet</command-name>\n<command-args>Alice</command-args>",
    ),
    "/greet Alice",
  );
  assert.equal(
    commandLine("<command-name>/compact</command-name>\n <command-args></command-args>"),
    "/compact",
  );
  assert.equal(commandLine("<local-command-stdout>x</local-command-stdout>"), undefined);
});

Deno.test("readClaudeSession() reads a custom slash command as its command line then its expanded prompt", async () => {
  await withFile([
    user(
      "u1",
      null,
      "<command-message>greet</command-message>\n<command-name>/greet</command-name>\n<command-args>Alice</command-args>",
    ),
    user("m1", "u1", [text("Greet the user named Alice warmly and list three facts.\n")], {
      isMeta: true,
    }),
    env("at1", "m1"),
    reply("a1", "at1", "msg_1", text("Hello Alice! Three facts…")),
  ], async (file) => {
    const { session } = await readClaudeSession(file);
    assert.deepEqual(shape(session.messages), [
      ["user", "/greet Alice\n\nGreet the user named Alice warmly and list three facts.\n", 0, 0],
      ["assistant", "Hello Alice! Three facts…", 0, 0],
    ]);
  });
});

Deno.test("readClaudeSession() reads a queued_command attachment as a user turn at its place", async () => {
  await withFile([
    user("u1", null, "Run the tests"),
    reply("a1", "u1", "msg_1", {
      type: "tool_use",
      id: "toolu_1",
      name: "Bash",
      input: { command: "npm test" },
    }),
    user("r1", "a1", [{ type: "tool_result", tool_use_id: "toolu_1", content: "ok" }]),
    rec("q1", "r1", {
      type: "attachment",
      attachment: {
        type: "queued_command",
        prompt: "Also fix the lint",
        commandMode: "prompt",
        origin: { kind: "human" },
        humanTurn: true,
      },
    }),
    reply("a2", "q1", "msg_2", text("Tests pass; fixing lint next.")),
  ], async (file) => {
    const { session } = await readClaudeSession(file);
    assert.deepEqual(shape(session.messages), [
      ["user", "Run the tests", 0, 0],
      ["assistant", "", 1, 0],
      ["tool", "", 0, 1],
      ["user", "Also fix the lint", 0, 0],
      ["assistant", "Tests pass; fixing lint next.", 0, 0],
    ]);
  });
});

/** Hand-made: the file after `/compact` and one more prompt, as 2.1.331 left it. */
function compactedSession(segment: "segment" | "messages") {
  const kept = segment === "segment"
    ? { preservedSegment: { headUuid: "a2", anchorUuid: "s1", tailUuid: "i1" } }
    : { preservedMessages: { anchorUuid: "s1", uuids: ["a2", "i1"] } };
  return [
    user("u1", null, "First question"),
    reply("a1", "u1", "msg_1", text("First answer")),
    user("u2", "a1", "Second question"),
    reply("a2", "u2", "msg_2", text("Second answer, kept by the compaction")),
    rec("i1", "a2", { type: "system", subtype: "informational", content: "Model restored" }),
    rec("b1", null, {
      type: "system",
      subtype: "compact_boundary",
      content: "Conversation compacted",
      logicalParentUuid: "i1",
      compactMetadata: { trigger: "manual", preTokens: 15, ...kept },
    }),
    user(
      "s1",
      "b1",
      "This session is being continued from a previous conversation. Summary: two questions.",
      { isCompactSummary: true, isVisibleInTranscriptOnly: true },
    ),
    user("c1", "i1", "<local-command-caveat>Caveat: not a request.</local-command-caveat>", {
      isMeta: true,
    }),
    user(
      "c2",
      "c1",
      "<command-name>/compact</command-name>\n            <command-message>compact</command-message>\n            <command-args></command-args>",
    ),
    user("c3", "c2", "<local-command-stdout>Compacted</local-command-stdout>"),
    user("u3", "c3", "After compaction question"),
    reply("a3", "u3", "msg_3", text("Third answer")),
  ];
}

for (const variant of ["segment", "messages"] as const) {
  Deno.test(
    `readClaudeSession() reads a compaction as Claude resumes it: summary, preserved reply, later turns (preserved${
      variant === "segment" ? "Segment" : "Messages"
    })`,
    async () => {
      await withFile(compactedSession(variant), async (file) => {
        const { session } = await readClaudeSession(file);
        assert.deepEqual(shape(session.messages), [
          ["system", "Conversation compacted", 0, 0],
          [
            "user",
            "This session is being continued from a previous conversation. Summary: two questions.",
            0,
            0,
          ],
          ["assistant", "Second answer, kept by the compaction", 0, 0],
          ["system", "Model restored", 0, 0],
          [
            "user",
            // The prompt after the command's records joins them: Claude Code's model gets one
            // user message (the API merges consecutive user turns).
            "<local-command-caveat>Caveat: not a request.</local-command-caveat>\n\n/compact\n\n" +
            "<local-command-stdout>Compacted</local-command-stdout>\n\nAfter compaction question",
            0,
            0,
          ],
          ["assistant", "Third answer", 0, 0],
        ]);
        assert.equal(session.metadata.preservedRecords, 2);
        // The preserved reply is older than the summary it follows: its time is not kept.
        assert.equal(session.messages[2]?.timestamp, undefined);
        assert.ok(session.messages[1]?.timestamp !== undefined);
        assert.deepEqual(session.metadata.compaction, {
          boundaries: 1,
          summaryMessageIndexes: [1],
        });
        // Titled by the file's first prompt, as Claude Code's picker labels it (and `list`
        // does), though the compaction took it out of the conversation.
        assert.equal(session.title, "First question");
      });
    },
  );
}

Deno.test("readClaudeSession() keeps user and tool-result images as images, named by their file", async () => {
  await withFile([
    user("u1", null, [
      text("Look at this picture"),
      { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
    ]),
    env("at1", "u1"),
    user("m1", "at1", [text("[Image: source: /tmp/claude-0/proj/images/1.png]")], {
      isMeta: true,
    }),
    reply("a1", "m1", "msg_1", text("A red square.")),
    user("u2", "a1", "Now read red.png"),
    reply("a2", "u2", "msg_2", {
      type: "tool_use",
      id: "toolu_1",
      name: "Read",
      input: { file_path: "/tmp/proj/red.png" },
    }),
    user("r1", "a2", [{
      type: "tool_result",
      tool_use_id: "toolu_1",
      content: [{ type: "image", source: { type: "base64", data: PNG, media_type: "image/png" } }],
    }]),
    reply("a3", "r1", "msg_3", text("Still red.")),
  ], async (file) => {
    const { session } = await readClaudeSession(file);
    const [first, , , , tool] = session.messages;
    assert.equal(
      first?.text,
      "Look at this picture\n\n[Image: source: /tmp/claude-0/proj/images/1.png]",
    );
    assert.deepEqual(first?.images, [
      { mediaType: "image/png", data: PNG, source: "/tmp/claude-0/proj/images/1.png" },
    ]);
    assert.deepEqual(tool?.toolResults, [{
      callId: "toolu_1",
      output: "",
      isError: false,
      images: [{ mediaType: "image/png", data: PNG, source: "/tmp/proj/red.png" }],
    }]);
    assert.ok(session.messages.every((m) => !m.text.includes("[image]")));
  });
});

Deno.test("readClaudeSession() keeps the <persisted-output> preview Claude sends for a large output", async () => {
  const preview = "<persisted-output>\nOutput too large (65.0KB). Full output saved to: " +
    "/home/u/.claude/projects/p/s/tool-results/toolu_1.txt\n\nPreview (first 2KB):\nBIG-00001\n" +
    "</persisted-output>";
  await withFile([
    user("u1", null, "Print a lot"),
    reply("a1", "u1", "msg_1", {
      type: "tool_use",
      id: "toolu_1",
      name: "Bash",
      input: { command: "seq -f 'BIG-%05g' 1 5000" },
    }),
    user("r1", "a1", [{ type: "tool_result", tool_use_id: "toolu_1", content: preview }]),
  ], async (file) => {
    const { session } = await readClaudeSession(file);
    assert.equal(session.messages[2]?.toolResults[0]?.output, preview);
  });
});

const T0 = Date.parse("2026-12-06T04:00:00.000Z");
/** Hand-made canonical session with a user image and a tool-result image. */
function imageSession(): Session {
  const messages = [
    msg("user", "What is in this screenshot?", {
      timestamp: T0,
      images: [{ mediaType: "image/png", data: PNG, source: "/tmp/shot.png" }],
    }),
    msg("assistant", "Let me read the other one.", {
      timestamp: T0 + 1000,
      toolCalls: [{ id: "call_1", name: "Read", input: { file_path: "/tmp/red.png" } }],
    }),
    msg("tool", "", {
      timestamp: T0 + 2000,
      toolResults: [{
        callId: "call_1",
        output: "Read image (73 bytes)",
        isError: false,
        images: [{ mediaType: "image/png", data: PNG }],
      }],
    }),
    msg("user", "", {
      timestamp: T0 + 3000,
      images: [
        { mediaType: "image/gif", data: "R0lGODlhAQABAAAAACw=" },
        { mediaType: "image/tiff", data: "SUkqAA==", source: "/tmp/scan.tiff" },
      ],
    }),
    msg("assistant", "Both are red.", { timestamp: T0 + 4000 }),
  ];
  return {
    id: "s-img",
    provider: "codex",
    workspace: "/tmp",
    messages: messages.map((m, index) => ({ ...m, index })),
    metadata: {},
  };
}

Deno.test("planClaudeSession() writes images as image blocks that read back as the same images", async () => {
  await using homeTmp = await tempDir({ prefix: "casr-cc-img-" });
  const home = homeTmp.path;
  const ctx = {
    env: { CLAUDE_CONFIG_DIR: path.join(home, ".claude") },
    homeDir: home,
    cwd: home,
  };
  const source = imageSession();
  const plan = await planClaudeSession(source, ctx, { workspace: home, now: T0 });
  const records = (fileText(plan.files[0]?.data ?? "")).trimEnd().split("\n").map((l) =>
    JSON.parse(l)
  );
  const users = records.filter((r) => r.type === "user").map((r) => r.message.content);
  assert.deepEqual(users[0], [
    { type: "text", text: "What is in this screenshot?" },
    { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
  ]);
  assert.deepEqual(users[1][0].content, [
    { type: "text", text: "Read image (73 bytes)" },
    { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
  ]);
  // The TIFF is outside the Messages API's media types: dropped, with a warning naming it.
  assert.deepEqual(users[2], [
    {
      type: "image",
      source: { type: "base64", media_type: "image/gif", data: "R0lGODlhAQABAAAAACw=" },
    },
  ]);
  assert.deepEqual(plan.warnings.map((w) => w.code), ["dropped-image"]);
  assert.match(plan.warnings[0]?.message ?? "", /"\/tmp\/scan\.tiff".*image\/tiff/);

  const file = plan.files[0]!;
  await Deno.mkdir(path.dirname(file.path), { recursive: true });
  await Deno.writeTextFile(file.path, fileText(file.data));
  const { session: back } = await readClaudeSession(file.path);
  // The one difference is the TIFF the writer dropped (the pipeline makes it a placeholder first).
  assert.deepEqual(compareSessions(source, back), [
    { index: 3, field: "images", expected: ["image/gif", "image/tiff"], actual: ["image/gif"] },
  ]);
  assert.deepEqual(back.messages.map((m) => m.images), [
    [{ mediaType: "image/png", data: PNG }],
    undefined,
    undefined,
    [{ mediaType: "image/gif", data: "R0lGODlhAQABAAAAACw=" }],
    undefined,
  ]);
  assert.deepEqual(back.messages[2]?.toolResults[0]?.images, [
    { mediaType: "image/png", data: PNG, source: "/tmp/red.png" },
  ]);
});

Deno.test("planClaudeSession() round-trips a slash command and a compaction summary as user turns", async () => {
  await withFile(compactedSession("segment"), async (file) => {
    const { session: source } = await readClaudeSession(file);
    await using homeTmp = await tempDir({ prefix: "casr-cc-rt-" });
    const home = homeTmp.path;
    const ctx = {
      env: { CLAUDE_CONFIG_DIR: path.join(home, ".claude") },
      homeDir: home,
      cwd: home,
    };
    const plan = await planClaudeSession(source, ctx, { workspace: home, now: T0 });
    const out = plan.files[0]!;
    await Deno.mkdir(path.dirname(out.path), { recursive: true });
    await Deno.writeTextFile(out.path, fileText(out.data));
    const { session: back } = await readClaudeSession(out.path);
    assert.deepEqual(compareSessions(source, back), []);
    assert.equal(rolesOf(back), "user assistant user assistant");
  });
});
