/**
 * A Gemini CLI session after compression (hand-made, shaped after Gemini CLI
 * 0.61's `chatCompressionService` checkpoint) converts to Codex and back: the
 * `<state_snapshot>` summary is a user turn Gemini sends its model, so the Codex
 * read-back must keep it as one (it used to be taken for Codex's injected
 * context, and the conversion failed its own verification).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { convertSession, getProvider } from "../mod.ts";
import { tempHome } from "./helpers.ts";

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
