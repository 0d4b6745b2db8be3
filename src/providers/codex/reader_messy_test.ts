/**
 * Messy rollouts: hand-made ones (shaped after codex-rs sources and the 0.169.0
 * fixtures: images, web searches, legacy outputs and items, compaction, and the
 * TypeScript CLI's `rollout-….json`), then two genuine ones from `testdata/`
 * (see its README).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";
import { claimsRollout } from "./claims.ts";
import { COMPACT_USER_TOKENS } from "./compaction.ts";
import { findRollouts, listRollouts } from "./list.ts";
import { readRollout } from "./reader.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import { assistantItem, CTX, handMade, item, meta, userItem } from "./testdata/hand_made.ts";
import { codexTempDir } from "./testdata/temp.ts";

/** A 1×1 PNG, base64. */
const PNG_1X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
Deno.test("readRollout() reads an attached image (codex exec --image) into images, without its wrapper tags", async () => {
  const file = await handMade([
    meta,
    item("10.000", {
      type: "message",
      role: "user",
      content: [
        { type: "input_text", text: '<image name=[Image #1] path="/home/dev/shot.png">' },
        { type: "input_image", image_url: `data:image/png;base64,${PNG_1X1}` },
        { type: "input_text", text: "</image>" },
        { type: "input_text", text: "What is in this screenshot?" },
      ],
    }),
    item("10.500", {
      type: "message",
      role: "user",
      content: [{ type: "input_image", image_url: "https://example.com/a.jpg" }],
    }),
    assistantItem("11.000", "A single pixel."),
  ]);
  const { session } = await readRollout(file, CTX);
  const [first, second, reply] = session.messages;
  assert.equal(first!.role, "user");
  assert.equal(first!.text, "What is in this screenshot?");
  assert.deepEqual(first!.images, [
    { mediaType: "image/png", data: PNG_1X1, source: "/home/dev/shot.png" },
  ]);
  // An image-only prompt stays a user message.
  assert.equal(second!.role, "user");
  assert.equal(second!.text, "");
  assert.deepEqual(second!.images, [
    { mediaType: "image/jpeg", source: "https://example.com/a.jpg" },
  ]);
  assert.equal(reply!.images, undefined);
});

Deno.test("readRollout() reads images in tool outputs (view_image from exec, function_call_output arrays)", async () => {
  const file = await handMade([
    meta,
    userItem("10.000", "look at shot.png"),
    item("11.000", {
      type: "custom_tool_call",
      call_id: "c1",
      name: "exec",
      input: 'await tools.view_image({ path: "shot.png" });',
    }),
    item("11.500", {
      type: "custom_tool_call_output",
      call_id: "c1",
      output: [
        { type: "input_text", text: "Script completed" },
        { type: "input_image", image_url: `data:image/png;base64,${PNG_1X1}` },
      ],
    }),
    item("12.000", {
      type: "function_call",
      name: "view_image",
      arguments: '{"path":"b.webp"}',
      call_id: "c2",
    }),
    item("12.500", {
      type: "function_call_output",
      call_id: "c2",
      output: [{ type: "input_image", image_url: `data:image/webp;base64,${PNG_1X1}` }],
    }),
  ]);
  const { session } = await readRollout(file, CTX);
  const tools = session.messages.filter((m) => m.role === "tool").flatMap((m) => m.toolResults);
  assert.equal(tools.length, 2);
  assert.equal(tools[0]!.output, "Script completed");
  assert.deepEqual(tools[0]!.images, [{ mediaType: "image/png", data: PNG_1X1 }]);
  assert.equal(tools[1]!.output, "");
  assert.deepEqual(tools[1]!.images, [{ mediaType: "image/webp", data: PNG_1X1 }]);
});

Deno.test("readRollout() reads a web_search_call as a search that ran, not as a failed call", async () => {
  const file = await handMade([
    meta,
    userItem("10.000", "what is new in deno?"),
    item("11.000", {
      type: "web_search_call",
      id: "ws_1",
      status: "completed",
      action: {
        type: "search",
        query: "deno release notes",
        sources: [{ type: "url", url: "https://deno.com/blog" }],
      },
    }),
    item("11.500", { type: "web_search_call", id: "ws_2", status: "failed", action: {} }),
    assistantItem("12.000", "Deno 3 is out."),
  ]);
  const { session } = await readRollout(file, CTX);
  assert.equal(rolesOf(session), "user assistant tool assistant tool assistant");
  assert.deepEqual(session.messages[1]!.toolCalls, [{
    id: "ws_1",
    name: "web_search",
    input: {
      type: "search",
      query: "deno release notes",
      sources: [{ type: "url", url: "https://deno.com/blog" }],
    },
  }]);
  const ran = session.messages[2]!.toolResults[0]!;
  assert.equal(ran.callId, "ws_1");
  assert.equal(ran.isError, false);
  assert.match(ran.output, /Searched the web for "deno release notes" \(status: completed\)/);
  assert.match(ran.output, /https:\/\/deno\.com\/blog/);
  const failed = session.messages[4]!.toolResults[0]!;
  assert.equal(failed.callId, "ws_2");
  assert.equal(failed.isError, true);
  assert.match(failed.output, /status: failed/);
});

Deno.test("readRollout() keeps a legacy output's non-zero exit code as an error and in the text", async () => {
  const file = await handMade([
    meta,
    userItem("10.000", "run false"),
    item("11.000", {
      type: "function_call",
      name: "shell",
      arguments: '{"command":["bash","-lc","false"]}',
      call_id: "c1",
    }),
    item("11.500", {
      type: "function_call_output",
      call_id: "c1",
      output: '{"output":"","metadata":{"exit_code":1,"duration_seconds":0.0}}',
    }),
    item("12.000", {
      type: "function_call",
      name: "shell",
      arguments: '{"command":["bash","-lc","echo ok"]}',
      call_id: "c2",
    }),
    item("12.500", {
      type: "function_call_output",
      call_id: "c2",
      output: '{"output":"ok\\n","metadata":{"exit_code":0,"duration_seconds":0.0}}',
    }),
  ]);
  const { session } = await readRollout(file, CTX);
  const results = session.messages.flatMap((m) => m.toolResults);
  assert.equal(results[0]!.isError, true);
  assert.equal(results[0]!.output, "Exit code: 1\nOutput:\n");
  assert.equal(results[1]!.isError, false);
  assert.equal(results[1]!.output, "ok\n");
});

Deno.test("readRollout() reads response_item messages without a type (older rollouts)", async () => {
  const file = await handMade([
    meta,
    item("10.000", { role: "user", content: [{ type: "input_text", text: "typeless prompt" }] }),
    item("11.000", {
      role: "assistant",
      content: [{ type: "output_text", text: "typeless reply" }],
    }),
  ]);
  const { session } = await readRollout(file, CTX);
  assert.deepEqual(
    session.messages.map((m) => [m.role, m.text]),
    [["user", "typeless prompt"], ["assistant", "typeless reply"]],
  );
});

Deno.test("readRollout() reads a user message wholly wrapped in a foreign tag as a user message", async () => {
  const snapshot = "<state_snapshot>\n<overall_goal>fix it</overall_goal>\n</state_snapshot>";
  const file = await handMade([
    meta,
    userItem("10.000", snapshot),
    assistantItem("10.500", "Got it. Thanks for the additional context!"),
    userItem("11.000", "<ENVIRONMENT_CONTEXT>cwd=/tmp</ENVIRONMENT_CONTEXT>"),
    userItem("11.500", "<skill>\n<name>x</name>\n</skill>"),
  ]);
  const { session } = await readRollout(file, CTX);
  assert.deepEqual(session.messages.map((m) => m.role), ["user", "assistant", "system", "system"]);
  assert.equal(session.messages[0]!.text, snapshot);
});

Deno.test("readRollout() replays a compacted line without replacement history as Codex does", async () => {
  const summary =
    "Another language model started to solve this problem and produced a summary of its thinking process.\nWe fixed main.rs.";
  const file = await handMade([
    meta,
    userItem("10.000", "<environment_context>x</environment_context>"),
    userItem("10.500", "first prompt"),
    assistantItem("11.000", "first answer"),
    userItem("12.000", "x".repeat(COMPACT_USER_TOKENS * 4 + 400)),
    assistantItem("13.000", "second answer"),
    { timestamp: "2026-08-20T14:03:20.000Z", type: "compacted", payload: { message: summary } },
    userItem("21.000", "after the compaction"),
    assistantItem("22.000", "new answer"),
  ]);
  const { session } = await readRollout(file, CTX);
  const texts = session.messages.map((m) => m.text);
  // The earlier replies are gone; the long prompt alone passes the 20k-token
  // budget, so it is cut in the middle and the prompt before it is left out.
  assert.equal(texts.length, 4);
  assert.match(texts[0]!, /^x+…100 tokens truncated…x+$/);
  assert.equal(texts[0]!.length < COMPACT_USER_TOKENS * 4 + 40, true);
  assert.deepEqual(texts.slice(1), [summary, "after the compaction", "new answer"]);
  assert.deepEqual(session.messages.map((m) => m.role), ["user", "user", "user", "assistant"]);
  assert.equal(session.messages[0]!.timestamp, Date.parse("2026-08-20T14:03:12.000Z"));
  assert.equal(session.messages[1]!.timestamp, Date.parse("2026-08-20T14:03:20.000Z"));
});

Deno.test("readRollout() keeps the user messages of a remote compaction and warns about its encrypted summary", async () => {
  const file = await handMade([
    meta,
    userItem("10.000", "first prompt"),
    assistantItem("11.000", "first answer"),
    {
      timestamp: "2026-08-20T14:03:20.000Z",
      type: "compacted",
      payload: {
        message: "",
        replacement_history: [
          {
            type: "message",
            role: "user",
            content: [{ type: "input_text", text: "first prompt" }],
          },
          { type: "compaction", encrypted_content: "gAAAAB-opaque" },
        ],
      },
    },
    userItem("21.000", "second prompt"),
    assistantItem("22.000", "second answer"),
  ]);
  const { session, warnings } = await readRollout(file, CTX);
  assert.deepEqual(session.messages.map((m) => m.text), [
    "first prompt",
    "second prompt",
    "second answer",
  ]);
  assert.ok(warnings.some((w) => w.code === "compaction-summary-encrypted"));
});

/** A hand-made TypeScript-era rollout (`codex-cli/src/utils/storage/save-rollout.ts` shape). */
function tsRollout(id: string): string {
  return JSON.stringify(
    {
      session: { timestamp: "2025-04-16T10:00:00.000Z", id, instructions: "be brief" },
      items: [
        {
          id: "msg_1",
          type: "message",
          role: "user",
          content: [{ type: "input_text", text: "list the files" }],
        },
        {
          id: "fc_1",
          type: "function_call",
          status: "completed",
          name: "shell",
          call_id: "call_1",
          arguments: '{"command":["ls"]}',
        },
        {
          type: "function_call_output",
          call_id: "call_1",
          output: '{"output":"a.txt\\n","metadata":{"exit_code":0,"duration_seconds":0.1}}',
        },
        { role: "assistant", content: [{ type: "output_text", text: "One file: a.txt" }] },
      ],
    },
    null,
    2,
  );
}

Deno.test("the TypeScript CLI's rollout-….json is read with a warning, listed, found and claimed", async () => {
  const home = await codexTempDir("casr-codex-ts-");
  const sessions = path.join(home, ".codex", "sessions");
  await fs.mkdir(sessions, { recursive: true });
  const tsId = "6a1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  const file = path.join(sessions, `rollout-2025-04-16-${tsId}.json`);
  const text = tsRollout(tsId);
  await fs.writeFile(file, text);
  const ctx: ProviderContext = { env: {}, homeDir: home, cwd: home };

  const { session, warnings } = await readRollout(file, ctx);
  assert.equal(session.id, tsId);
  assert.equal(session.startedAt, Date.parse("2025-04-16T10:00:00.000Z"));
  assert.deepEqual(session.messages.map((m) => [m.role, m.text]), [
    ["user", "list the files"],
    ["assistant", ""],
    ["tool", ""],
    ["assistant", "One file: a.txt"],
  ]);
  assert.equal(session.messages[2]!.toolResults[0]!.output, "a.txt\n");
  assert.ok(warnings.some((w) => w.code === "legacy-rollout-format"));

  const listed = await listRollouts(ctx);
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!.id, tsId);
  assert.equal(listed[0]!.title, "list the files");
  assert.equal(listed[0]!.messageCount, 4);
  assert.equal((await findRollouts(ctx, tsId.slice(0, 8)))[0]?.path, file);

  assert.equal(claimsRollout(file, text.slice(0, 200)), true);
  assert.equal(claimsRollout(file, '{"sessionId":"x","projectHash":"y"}'), false);
});

const TESTDATA = path.join(path.dirname(new URL(import.meta.url).pathname), "testdata");
const conversation = (messages: { role: string; text: string }[]) =>
  messages.filter((m) => m.role !== "system").map((m) => [m.role, m.text]);

Deno.test("readRollout() reads a genuine Codex 0.169 `exec --image` rollout's image", async () => {
  const file = path.join(TESTDATA, "genuine_0.169_image.jsonl");
  const { session, warnings } = await readRollout(file, CTX);
  assert.deepEqual(warnings, []);
  assert.deepEqual(conversation(session.messages), [
    ["user", "What is in this image?"],
    ["assistant", "OK from mock #1"],
  ]);
  const user = session.messages.find((m) => m.role === "user")!;
  assert.deepEqual(user.images, [{ mediaType: "image/png", data: PNG_1X1, source: "shot.png" }]);
});

Deno.test("readRollout() reads a genuine Codex 0.169 remote compaction as Codex replays it", async () => {
  const file = path.join(TESTDATA, "genuine_0.169_remote_compaction.jsonl");
  const { session, warnings } = await readRollout(file, CTX);
  // What Codex sent on turn 3: the earlier prompts and the opaque compaction, no earlier replies.
  assert.deepEqual(conversation(session.messages), [
    ["user", "first prompt: say hi"],
    ["user", "second prompt: say hi again"],
    ["user", "third prompt"],
    ["assistant", "OK from mock #3"],
  ]);
  assert.deepEqual(warnings.map((w) => w.code), ["compaction-summary-encrypted"]);
  assert.equal(session.metadata.compactions, 2);
});

Deno.test("readRollout() reads a genuine Codex 0.169 view_image (from exec) result's image", async () => {
  const file = path.join(TESTDATA, "genuine_0.169_view_image.jsonl");
  const { session } = await readRollout(file, CTX);
  assert.deepEqual(conversation(session.messages), [
    ["user", "look at shot.png"],
    ["assistant", "Looking at the image."],
    ["tool", ""],
    ["assistant", "OK from mock #1: the command finished."],
    ["user", "second prompt"],
    ["assistant", "OK from mock #2"],
  ]);
  const result = session.messages.find((m) => m.role === "tool")!.toolResults[0]!;
  assert.equal(result.name, "exec");
  assert.match(result.output, /^Script completed\n[\s\S]*viewed$/);
  assert.deepEqual(result.images, [{ mediaType: "image/png", data: PNG_1X1 }]);
});
