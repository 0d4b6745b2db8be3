import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import type { Message, Session } from "../../model/types.ts";
import { compareSessions } from "../../pipeline/compare.ts";
import type { ProviderContext } from "../types.ts";
import { codex } from "./mod.ts";
import { readRollout } from "./reader.ts";
import { planRollout } from "./writer.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import { codexTempDir } from "./testdata/temp.ts";
import { writePlanFiles } from "../../../tests/fixture_home.ts";

/** A 1×1 PNG, base64 (hand-made test data). */
const PNG_1X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const T0 = Date.parse("2026-11-20T10:00:00.000Z");
const NOW = Date.parse("2026-12-01T12:34:56.789Z");
const base = { toolCalls: [], toolResults: [] };

/** A hand-built canonical session with images (as if read from Claude Code). */
function imageSession(): Session {
  const messages: Message[] = [
    {
      ...base,
      index: 0,
      role: "user",
      text: "What is in this screenshot?",
      timestamp: T0,
      images: [{ mediaType: "image/png", data: PNG_1X1, source: "/home/dev/shot.png" }],
    },
    {
      ...base,
      index: 1,
      role: "assistant",
      text: "Let me look closer.",
      timestamp: T0 + 1000,
      toolCalls: [{ id: "toolu_01", name: "Read", input: { file_path: "zoom.png" } }],
    },
    {
      ...base,
      index: 2,
      role: "tool",
      text: "",
      timestamp: T0 + 2000,
      toolResults: [{
        callId: "toolu_01",
        output: "zoom.png (1×1)",
        isError: false,
        images: [{ mediaType: "image/png", data: PNG_1X1 }],
      }],
    },
    { ...base, index: 3, role: "assistant", text: "A single red pixel.", timestamp: T0 + 3000 },
    {
      ...base,
      index: 4,
      role: "user",
      text: "",
      timestamp: T0 + 4000,
      images: [{ mediaType: "image/jpeg", data: PNG_1X1 }],
    },
    { ...base, index: 5, role: "assistant", text: "Another pixel.", timestamp: T0 + 5000 },
  ];
  return {
    id: "c05dd679-a238-474d-9df3-fc8a8e16d4b6",
    provider: "claude-code",
    messages,
    metadata: {},
  };
}

async function tempCtx(): Promise<ProviderContext> {
  const home = await codexTempDir("casr-codex-img-");
  return { env: {}, homeDir: home, cwd: home };
}

// deno-lint-ignore no-explicit-any -- test code inspects loose JSON
function items(data: string): Record<string, any>[] {
  return data.trimEnd().split("\n").map((l) => JSON.parse(l))
    .filter((l) => l.type === "response_item").map((l) => l.payload);
}

Deno.test("codex carries images", () => {
  assert.equal(codex.carries?.images, true);
});

Deno.test("planRollout() writes images as input_image data URLs and reads them back", async () => {
  const ctx = await tempCtx();
  const session = imageSession();
  const plan = await planRollout(session, ctx, { workspace: "/work/target", now: NOW });
  assert.deepEqual(plan.warnings, []);
  const written = items(fileText(plan.files[0]!.data));
  assert.deepEqual(written[0]!.content, [
    { type: "input_text", text: '<image name=[Image #1] path="/home/dev/shot.png">' },
    { type: "input_image", image_url: `data:image/png;base64,${PNG_1X1}` },
    { type: "input_text", text: "</image>" },
    { type: "input_text", text: "What is in this screenshot?" },
  ]);
  const output = written.find((i) => i.type === "function_call_output")!;
  assert.deepEqual(output.output, [
    { type: "input_text", text: "zoom.png (1×1)" },
    { type: "input_image", image_url: `data:image/png;base64,${PNG_1X1}` },
  ]);
  // The image-only prompt is written without an empty text part.
  const imageOnly = written.filter((i) => i.role === "user")[1]!;
  assert.deepEqual(imageOnly.content.map((p: { type: string }) => p.type), [
    "input_text",
    "input_image",
    "input_text",
  ]);

  await writePlanFiles(plan);
  const { session: back } = await readRollout(plan.primaryPath, ctx);
  assert.deepEqual(compareSessions(session, back), []);
  const users = back.messages.filter((m) => m.role === "user");
  assert.deepEqual(users.map((m) => m.images), [
    [{ mediaType: "image/png", data: PNG_1X1, source: "/home/dev/shot.png" }],
    [{ mediaType: "image/jpeg", data: PNG_1X1 }],
  ]);
  assert.equal(users[1]!.text, "");
  const result = back.messages.flatMap((m) => m.toolResults)[0]!;
  assert.equal(result.output, "zoom.png (1×1)");
  assert.deepEqual(result.images, [{ mediaType: "image/png", data: PNG_1X1 }]);
});

Deno.test("planRollout() writes an image OpenAI cannot take as a text note, with a warning", async () => {
  const ctx = await tempCtx();
  const session = imageSession();
  session.messages[0]!.images = [
    { mediaType: "image/bmp", data: PNG_1X1, source: "old.bmp" },
    { mediaType: "image/png", source: "lost.png" },
    { mediaType: "image/png", source: "https://example.com/p.png" },
  ];
  const plan = await planRollout(session, ctx, { workspace: "/work/target", now: NOW });
  const written = items(fileText(plan.files[0]!.data));
  assert.deepEqual(written[0]!.content, [
    { type: "input_text", text: "[image: old.bmp (image/bmp)]" },
    { type: "input_text", text: "[image: lost.png (image/png)]" },
    { type: "input_text", text: '<image name=[Image #3] path="https://example.com/p.png">' },
    { type: "input_image", image_url: "https://example.com/p.png" },
    { type: "input_text", text: "</image>" },
    { type: "input_text", text: "What is in this screenshot?" },
  ]);
  assert.deepEqual(plan.warnings.map((w) => w.code), ["image-as-text", "image-as-text"]);
  assert.match(plan.warnings[0]!.message, /does not accept image\/bmp/);
  assert.match(plan.warnings[1]!.message, /data was not kept/);
});

Deno.test("a hand-made messy rollout (web search, legacy exit code, view_image, compaction) survives write → read", async () => {
  const ctx = await tempCtx();
  const dir = path.join(ctx.homeDir, "source", "sessions", "2026", "08", "20");
  await fs.mkdir(dir, { recursive: true });
  const source = path.join(
    dir,
    "rollout-2026-08-20T14-03-10-019a6f2e-5b1c-7d3e-8f40-1a2b3c4d5e6f.jsonl",
  );
  const at = (s: string) => `2026-08-20T14:03:${s}Z`;
  const line = (s: string, payload: object) => ({
    timestamp: at(s),
    type: "response_item",
    payload,
  });
  const lines = [
    {
      timestamp: at("10.000"),
      type: "session_meta",
      payload: {
        id: "019a6f2e-5b1c-7d3e-8f40-1a2b3c4d5e6f",
        timestamp: at("10.000"),
        cwd: "/p",
        originator: "codex_cli_rs",
        cli_version: "0.60.0",
      },
    },
    line("10.100", { role: "user", content: [{ type: "input_text", text: "old prompt" }] }),
    line("10.200", { role: "assistant", content: [{ type: "output_text", text: "old reply" }] }),
    {
      timestamp: at("10.300"),
      type: "compacted",
      payload: { message: "Another language model started to solve this problem: summary" },
    },
    line("11.000", {
      type: "web_search_call",
      id: "ws_1",
      status: "completed",
      action: { type: "search", query: "deno" },
    }),
    line("12.000", {
      type: "function_call",
      name: "shell",
      arguments: '{"command":["false"]}',
      call_id: "c1",
    }),
    line("12.500", {
      type: "function_call_output",
      call_id: "c1",
      output: '{"output":"","metadata":{"exit_code":1}}',
    }),
    line("13.000", {
      type: "custom_tool_call",
      name: "exec",
      input: 'await tools.view_image({ path: "a.png" });',
      call_id: "c2",
    }),
    line("13.500", {
      type: "custom_tool_call_output",
      call_id: "c2",
      output: [{ type: "input_image", image_url: `data:image/png;base64,${PNG_1X1}` }],
    }),
    line("14.000", {
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: "done" }],
    }),
  ];
  await fs.writeFile(source, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const { session } = await readRollout(source, ctx);
  assert.equal(
    rolesOf(session),
    "user user assistant tool assistant tool assistant tool assistant",
  );

  const plan = await planRollout(session, ctx, { workspace: "/work/target", now: NOW });
  await writePlanFiles(plan);
  const { session: back } = await readRollout(plan.primaryPath, ctx);
  assert.deepEqual(compareSessions(session, back), []);
  assert.deepEqual(
    session.messages.flatMap((m) => m.toolResults).map((r) => r.isError),
    [false, true, false],
  );
  // Codex outputs carry a failure in their text only: the exit code is what the model sees.
  const results = back.messages.flatMap((m) => m.toolResults);
  assert.match(results[0]!.output, /Searched the web for "deno"/);
  assert.match(results[1]!.output, /^Exit code: 1/);
  assert.deepEqual(results[2]!.images, [{ mediaType: "image/png", data: PNG_1X1 }]);
});

Deno.test("planRollout() warns when it drops an assistant message's images", async () => {
  const ctx = await tempCtx();
  const session = imageSession();
  session.messages[3]!.images = [{ mediaType: "image/png", data: PNG_1X1 }];
  const plan = await planRollout(session, ctx, { workspace: "/work/target", now: NOW });
  assert.deepEqual(plan.warnings.map((w) => w.code), ["images-dropped"]);
  assert.equal(fileText(plan.files[0]!.data).split(PNG_1X1).length - 1, 3);
});
