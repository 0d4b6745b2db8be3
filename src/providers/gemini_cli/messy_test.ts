/**
 * Messy Gemini CLI sessions: hand-made ones (shaped after Gemini CLI 0.61's
 * `convertToFunctionResponse`, `chatCompressionService` and
 * `updateMessagesFromHistory`: images, `model` records, a compression summary),
 * then two genuine ones from `testdata/` (see its README).
 */
import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import type { Session } from "../../model/types.ts";
import { compareSessions } from "../../pipeline/compare.ts";
import * as path from "node:path";
import { geminiHome, jsonl, TESTDATA } from "./helpers_test.ts";
import { geminiCli } from "./mod.ts";
import { readGeminiSession } from "./reader.ts";
import { planGeminiSession } from "./writer.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import { testMessage as msg } from "../../model/testdata/sample_session.ts";

/** A 1×1 PNG, base64 (hand-made test data). */
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const header = {
  sessionId: "6f1c2b7e-3a0d-4c1e-9b8f-2d4e5a6b7c8d",
  projectHash: "0".repeat(64),
  startTime: "2026-08-20T14:03:10.000Z",
  lastUpdated: "2026-08-20T14:04:00.000Z",
};
const at = (s: string) => `2026-08-20T14:03:${s}Z`;

Deno.test("readGeminiSession() reads inlineData images: a prompt's @file.png and read_file results", async () => {
  await using h = await geminiHome();
  const file = await h.write(
    "tmp/proj/chats/session-2026-08-20T14-03-6f1c2b7e.jsonl",
    jsonl([
      header,
      {
        id: "u1",
        timestamp: at("10.000"),
        type: "user",
        content: [
          { text: "What is in @shot.png?" },
          { text: "\n--- Content from referenced files ---" },
          { inlineData: { mimeType: "image/png", data: PNG } },
          { text: "\n--- End of content ---" },
        ],
      },
      {
        id: "g1",
        timestamp: at("11.000"),
        type: "gemini",
        content: "Reading two images.",
        toolCalls: [
          {
            id: "read-1",
            name: "read_file",
            args: { file_path: "a.png" },
            status: "success",
            timestamp: at("11.500"),
            // Models without multimodal function responses: the image follows the response.
            result: [
              { functionResponse: { id: "read-1", name: "read_file", response: { output: "" } } },
              { inlineData: { mimeType: "image/png", data: PNG } },
            ],
          },
          {
            id: "read-2",
            name: "read_file",
            args: { file_path: "b.webp" },
            status: "success",
            timestamp: at("11.600"),
            // gemini-3 models: the image rides inside the function response.
            result: [{
              functionResponse: {
                id: "read-2",
                name: "read_file",
                response: { output: "Binary content provided (1 item(s))." },
                parts: [{ inlineData: { mimeType: "image/webp", data: PNG } }],
              },
            }],
          },
        ],
      },
      // An image-only prompt.
      {
        id: "u2",
        timestamp: at("12.000"),
        type: "user",
        content: [{ inlineData: { mimeType: "image/jpeg", data: PNG } }],
      },
      { id: "g2", timestamp: at("13.000"), type: "gemini", content: "Three pixels." },
    ]),
  );
  const { session } = await readGeminiSession(file);
  assert.equal(rolesOf(session), "user assistant tool user assistant");
  assert.deepEqual(session.messages[0]!.images, [{ mediaType: "image/png", data: PNG }]);
  const [a, b] = session.messages[2]!.toolResults;
  assert.deepEqual(a!.images, [{ mediaType: "image/png", data: PNG }]);
  assert.deepEqual(b!.images, [{ mediaType: "image/webp", data: PNG }]);
  assert.equal(b!.output, "Binary content provided (1 item(s)).");
  assert.equal(session.messages[3]!.text, "");
  assert.deepEqual(session.messages[3]!.images, [{ mediaType: "image/jpeg", data: PNG }]);
});

Deno.test("readGeminiSession() reads images next to a functionResponse in a separate user record", async () => {
  await using h = await geminiHome();
  const file = await h.write(
    "tmp/proj/chats/session-2026-08-20T14-03-6f1c2b7e.jsonl",
    jsonl([
      header,
      { id: "u1", timestamp: at("10.000"), type: "user", content: [{ text: "look at a.png" }] },
      {
        id: "g1",
        timestamp: at("11.000"),
        type: "gemini",
        content: [{ functionCall: { id: "r1", name: "read_file", args: { file_path: "a.png" } } }],
      },
      {
        id: "g1_response",
        timestamp: at("11.500"),
        type: "user",
        content: [
          { functionResponse: { id: "r1", name: "read_file", response: { output: "" } } },
          { inlineData: { mimeType: "image/png", data: PNG } },
        ],
      },
      { id: "g2", timestamp: at("12.000"), type: "gemini", content: "A pixel." },
    ]),
  );
  const { session } = await readGeminiSession(file);
  assert.deepEqual(session.messages.map((m) => m.role), ["user", "assistant", "tool", "assistant"]);
  assert.deepEqual(session.messages[2]!.toolResults[0]!.images, [
    { mediaType: "image/png", data: PNG },
  ]);
  // The function-response record is not also read as an (empty) user prompt.
  assert.equal(session.messages.filter((m) => m.role === "user").length, 1);
});

Deno.test("readGeminiSession() reads `model` records of older files as assistant turns", async () => {
  await using h = await geminiHome();
  const file = await h.write(
    "tmp/proj/chats/session-2026-08-20T14-03-6f1c2b7e.json",
    JSON.stringify({
      ...header,
      messages: [
        { id: "u1", timestamp: at("10.000"), type: "user", content: "hello" },
        { id: "m1", timestamp: at("11.000"), type: "model", content: "hi there" },
      ],
    }),
  );
  const { session } = await readGeminiSession(file);
  assert.deepEqual(session.messages.map((m) => [m.role, m.text]), [
    ["user", "hello"],
    ["assistant", "hi there"],
  ]);
});

Deno.test("readGeminiSession() reads a <state_snapshot> compression summary as a user turn and its ack", async () => {
  await using h = await geminiHome();
  const snapshot = "<state_snapshot>\n<overall_goal>fix main.rs</overall_goal>\n</state_snapshot>";
  const file = await h.write(
    "tmp/proj/chats/session-2026-08-20T14-03-6f1c2b7e.jsonl",
    jsonl([
      header,
      { id: "u0", timestamp: at("09.000"), type: "user", content: [{ text: "old prompt" }] },
      { id: "g0", timestamp: at("09.500"), type: "gemini", content: "old reply" },
      // The checkpoint Gemini CLI writes after compressing (updateMessagesFromHistory).
      {
        $set: {
          messages: [
            {
              id: "env",
              timestamp: at("10.000"),
              type: "user",
              content: [{ text: "<session_context>\nThis is the Gemini CLI.\n</session_context>" }],
            },
            { id: "s1", timestamp: at("10.000"), type: "user", content: [{ text: snapshot }] },
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
    ]),
  );
  const { session } = await readGeminiSession(file);
  assert.deepEqual(session.messages.map((m) => [m.role, m.text.slice(0, 16)]), [
    ["system", "<session_context"],
    ["user", "<state_snapshot>"],
    ["assistant", "Got it. Thanks f"],
    ["user", "go on"],
    ["assistant", "Done."],
  ]);
});

Deno.test("gemini-cli carries images", () => {
  assert.equal(geminiCli.carries?.images, true);
});

Deno.test("planGeminiSession() writes images as inlineData (prompt, next to the functionResponse) and reads them back", async () => {
  await using h = await geminiHome();
  const session: Session = {
    id: "src",
    provider: "claude-code",
    metadata: {},
    messages: [
      msg("user", "What is this?", {
        timestamp: 1000,
        images: [{ mediaType: "image/png", data: PNG, source: "shot.png" }],
      }),
      msg("assistant", "Reading.", {
        timestamp: 2000,
        toolCalls: [{ id: "t1", name: "Read", input: { file_path: "zoom.png" } }],
      }),
      msg("tool", "", {
        timestamp: 3000,
        toolResults: [{
          callId: "t1",
          output: "zoom.png",
          isError: false,
          images: [{ mediaType: "image/jpg", data: PNG }, { mediaType: "image/gif", data: PNG }],
        }],
      }),
      msg("assistant", "A pixel.", { timestamp: 4000 }),
      msg("user", "", { timestamp: 5000, images: [{ mediaType: "image/png", data: PNG }] }),
      msg("assistant", "Another.", { timestamp: 6000 }),
    ].map((m, index) => ({ ...m, index })),
  };
  const plan = await planGeminiSession(session, h.ctx, { workspace: h.home, now: 10_000 });
  const file = plan.files.find((f) => f.path === plan.primaryPath)!;
  const records = fileText(file.data).trimEnd().split("\n").map((l) => JSON.parse(l));
  const users = records.filter((r) => r.type === "user");
  assert.deepEqual(users[0].content, [
    { text: "What is this?" },
    { inlineData: { mimeType: "image/png", data: PNG } },
  ]);
  // The image-only prompt does not disappear.
  assert.deepEqual(users[1].content, [{ inlineData: { mimeType: "image/png", data: PNG } }]);
  const call = records.find((r) => r.toolCalls)!.toolCalls[0];
  assert.deepEqual(call.result, [
    {
      functionResponse: {
        id: "t1",
        name: "Read",
        response: { output: "zoom.png\n[image (image/gif)]" },
      },
    },
    { inlineData: { mimeType: "image/jpeg", data: PNG } },
  ]);
  assert.deepEqual(plan.warnings.map((w) => w.code), ["image-as-text"]);
  assert.match(plan.warnings[0]!.message, /does not accept image\/gif/);

  for (const f of plan.files) {
    await Deno.mkdir(f.path.slice(0, f.path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(f.path, fileText(f.data));
  }
  const { session: back } = await readGeminiSession(plan.primaryPath);
  assert.equal(rolesOf(back), "user assistant tool assistant user assistant");
  assert.deepEqual(back.messages[0]!.images, [{ mediaType: "image/png", data: PNG }]);
  assert.deepEqual(back.messages[2]!.toolResults[0]!.images, [
    { mediaType: "image/jpeg", data: PNG },
  ]);
  assert.equal(back.messages[4]!.text, "");
  assert.deepEqual(back.messages[4]!.images, [{ mediaType: "image/png", data: PNG }]);
  // Only the tool result differs: the gif became a note in its text (its output and images).
  assert.deepEqual(
    compareSessions(session, back).map((d) => d.field),
    ["tool-results", "images"],
  );
});

Deno.test("readGeminiSession() reads a genuine Gemini CLI 0.61 @file.png prompt's image", async () => {
  const file = path.join(TESTDATA, "genuine_0.61_at_image.jsonl");
  const { session } = await readGeminiSession(file);
  const users = session.messages.filter((m) => m.role === "user");
  assert.equal(users.length, 1);
  assert.match(users[0]!.text, /^What is in @shot\.png \?/);
  assert.deepEqual(users[0]!.images, [{ mediaType: "image/png", data: PNG }]);
});

Deno.test("readGeminiSession() reads a genuine Gemini CLI 0.61 compression as the CLI replays it", async () => {
  const file = path.join(TESTDATA, "genuine_0.61_compressed.jsonl");
  const { session } = await readGeminiSession(file);
  assert.deepEqual(session.messages.map((m) => [m.role, m.text.slice(0, 30)]), [
    ["system", "<session_context>\nThis is the "],
    ["user", "<state_snapshot>\n<overall_goal"],
    ["assistant", "Got it. Thanks for the additio"],
    ["user", "Please run the shell command `"],
    ["assistant", "Mock #2: running `echo compres"],
    ["tool", ""],
    ["assistant", "OK from mock #3: the command f"],
    ["user", "third prompt"],
    ["assistant", "OK from mock #4"],
  ]);
});

Deno.test("planGeminiSession() warns when it drops an assistant message's images", async () => {
  await using h = await geminiHome();
  const session: Session = {
    id: "src",
    provider: "claude-code",
    metadata: {},
    messages: [
      msg("user", "draw a pixel", { timestamp: 1000 }),
      msg("assistant", "Here it is.", {
        timestamp: 2000,
        images: [{ mediaType: "image/png", data: PNG }],
      }),
    ].map((m, index) => ({ ...m, index })),
  };
  const plan = await planGeminiSession(session, h.ctx, { workspace: h.home, now: 10_000 });
  assert.deepEqual(plan.warnings.map((w) => w.code), ["images-dropped"]);
});

Deno.test("readGeminiSession() reads a genuine Gemini CLI 0.61 read_file image next to its functionResponse", async () => {
  const file = path.join(TESTDATA, "genuine_0.61_read_file_image.jsonl");
  const { session } = await readGeminiSession(file);
  assert.deepEqual(session.messages.filter((m) => m.role !== "system").map((m) => m.role), [
    "user",
    "assistant",
    "tool",
    "assistant",
    "user",
    "assistant",
  ]);
  const results = session.messages.flatMap((m) => m.toolResults);
  assert.equal(results.length, 1);
  assert.equal(results[0]!.name, "read_file");
  assert.equal(results[0]!.output, "Binary content provided (1 item(s)).");
  assert.deepEqual(results[0]!.images, [{ mediaType: "image/png", data: PNG }]);
});
