/**
 * Hand-made messy Gemini CLI sessions converted to Codex (and back):
 *
 * - after compression (shaped after Gemini CLI 0.61's `chatCompressionService`
 *   checkpoint): the `<state_snapshot>` summary is a user turn Gemini sends its
 *   model, so the Codex read-back must keep it as one (it used to be taken for
 *   Codex's injected context, and the conversion failed its own verification);
 * - with images (a prompt's `@a.png`, a `read_file` image next to its
 *   functionResponse): both agents carry them, so they survive both ways.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { convertSession, getProvider, type Message } from "../mod.ts";
import { ROOT, tempHome } from "./helpers.ts";

const SNAPSHOT = "<state_snapshot>\n<overall_goal>fix main.rs</overall_goal>\n" +
  "<key_knowledge>main.rs is empty</key_knowledge>\n</state_snapshot>";

Deno.test("convertSession() Gemini session with a <state_snapshot> summary → Codex verifies and keeps the summary", async () => {
  await using home = await tempHome();
  const project = path.join(home.home, "proj");
  await Deno.mkdir(project, { recursive: true });
  const chats = path.join(home.home, ".gemini", "tmp", "proj", "chats");
  await Deno.mkdir(chats, { recursive: true });
  await Deno.writeTextFile(
    path.join(home.home, ".gemini", "tmp", "proj", ".project_root"),
    project,
  );
  await Deno.writeTextFile(
    path.join(home.home, ".gemini", "projects.json"),
    JSON.stringify({ projects: { [project]: "proj" } }),
  );
  const at = (s: string) => `2026-08-20T14:03:${s}Z`;
  const records = [
    {
      sessionId: "6f1c2b7e-3a0d-4c1e-9b8f-2d4e5a6b7c8d",
      projectHash: "0".repeat(64),
      startTime: at("09.000"),
      lastUpdated: at("12.000"),
    },
    { id: "u0", timestamp: at("09.000"), type: "user", content: [{ text: "old prompt" }] },
    { id: "g0", timestamp: at("09.500"), type: "gemini", content: "old reply" },
    {
      $set: {
        messages: [
          {
            id: "env",
            timestamp: at("10.000"),
            type: "user",
            content: [{ text: "<session_context>\nThis is the Gemini CLI.\n</session_context>" }],
          },
          { id: "s1", timestamp: at("10.000"), type: "user", content: [{ text: SNAPSHOT }] },
          {
            id: "s2",
            timestamp: at("10.000"),
            type: "gemini",
            content: [{ text: "Got it. Thanks for the additional context!" }],
          },
          { id: "u1", timestamp: at("11.000"), type: "user", content: [{ text: "go on" }] },
        ],
      },
    },
    { id: "g1", timestamp: at("12.000"), type: "gemini", content: "Done." },
  ];
  const file = path.join(chats, "session-2026-08-20T14-03-6f1c2b7e.jsonl");
  await Deno.writeTextFile(file, records.map((r) => JSON.stringify(r)).join("\n") + "\n");

  const result = await convertSession(home.ctx, "codex", file, { now: Date.UTC(2026, 11, 1) });
  assert.equal(result.verified, true);
  const back = await getProvider("codex")!.read(result.target.path, home.ctx);
  const conversation = back.session.messages.filter((m) => m.role !== "system");
  assert.deepEqual(conversation.map((m) => [m.role, m.text]), [
    ["user", SNAPSHOT],
    ["assistant", "Got it. Thanks for the additional context!"],
    ["user", "go on"],
    ["assistant", "Done."],
  ]);
});

const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

Deno.test("convertSession() Gemini images → Codex → Gemini keeps the prompt's and the tool result's image", async () => {
  await using home = await tempHome();
  const chats = path.join(home.home, ".gemini", "tmp", "proj", "chats");
  await Deno.mkdir(chats, { recursive: true });
  const at = (s: string) => `2026-08-20T14:03:${s}Z`;
  const records = [
    {
      sessionId: "6f1c2b7e-3a0d-4c1e-9b8f-2d4e5a6b7c8d",
      projectHash: "0".repeat(64),
      startTime: at("09.000"),
      lastUpdated: at("12.000"),
    },
    {
      id: "u0",
      timestamp: at("09.000"),
      type: "user",
      content: [{ text: "what is @a.png" }, { inlineData: { mimeType: "image/png", data: PNG } }],
    },
    {
      id: "g0",
      timestamp: at("09.500"),
      type: "gemini",
      content: "reading b.png",
      toolCalls: [{
        id: "r1",
        name: "read_file",
        args: { file_path: "b.png" },
        status: "success",
        timestamp: at("09.600"),
        result: [
          { functionResponse: { id: "r1", name: "read_file", response: { output: "" } } },
          { inlineData: { mimeType: "image/png", data: PNG } },
        ],
      }],
    },
    { id: "g1", timestamp: at("10.000"), type: "gemini", content: "two pixels" },
  ];
  const file = path.join(chats, "session-2026-08-20T14-03-6f1c2b7e.jsonl");
  await Deno.writeTextFile(file, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const images = (messages: Message[]) =>
    messages.flatMap((m) => [
      ...(m.images ?? []).map((i) => ["prompt", i]),
      ...m.toolResults.flatMap((t) => (t.images ?? []).map((i) => ["result", i])),
    ]);
  const expected = [
    ["prompt", { mediaType: "image/png", data: PNG }],
    ["result", { mediaType: "image/png", data: PNG }],
  ];

  const toCodex = await convertSession(home.ctx, "codex", file, { now: Date.UTC(2026, 11, 1) });
  assert.equal(toCodex.verified, true);
  const codexBack = await getProvider("codex")!.read(toCodex.target.path, home.ctx);
  assert.deepEqual(images(codexBack.session.messages), expected);

  const toGemini = await convertSession(home.ctx, "gemini-cli", toCodex.target.path, {
    now: Date.UTC(2026, 11, 1),
  });
  assert.equal(toGemini.verified, true);
  const geminiBack = await getProvider("gemini-cli")!.read(toGemini.target.path, home.ctx);
  assert.deepEqual(images(geminiBack.session.messages), expected);
});

Deno.test("convertSession() a genuine compressed Gemini CLI 0.61 session → Codex verifies and keeps the summary turn", async () => {
  await using home = await tempHome();
  const chats = path.join(home.home, ".gemini", "tmp", "proj", "chats");
  await Deno.mkdir(chats, { recursive: true });
  const file = path.join(chats, "session-2026-12-06T05-06-compressed.jsonl");
  await Deno.copyFile(
    path.join(ROOT, "src/providers/gemini_cli/testdata/genuine_0.61_compressed.jsonl"),
    file,
  );
  const result = await convertSession(home.ctx, "codex", file, { now: Date.UTC(2026, 11, 7) });
  assert.equal(result.verified, true);
  const back = await getProvider("codex")!.read(result.target.path, home.ctx);
  const conversation = back.session.messages.filter((m) => m.role !== "system");
  assert.deepEqual(conversation.slice(0, 3).map((m) => [m.role, m.text.slice(0, 30)]), [
    ["user", "<state_snapshot>\n<overall_goal"],
    ["assistant", "Got it. Thanks for the additio"],
    ["user", "Please run the shell command `"],
  ]);
});
