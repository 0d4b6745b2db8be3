import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { ProviderContext } from "../types.ts";
import { findRollouts, listRollouts, mapLimit, summarizeRolloutFile } from "./list.ts";
import { codexTempDir } from "./testdata/temp.ts";

const FIXTURE_HOME = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../fixtures/codex",
);
const GENUINE_ID = "01a2333f-8e5e-70a0-a12b-079a032961ae";
const ARCHIVED_ID = "019a6f2e-5b1c-7d3e-8f40-1a2b3c4d5e6f";
const ZST_ID = "019a6f2e-0000-7000-8000-000000000001";
const SIBLING_ID = "01a2333f-8e5e-70a0-a12b-079a03296fff";
/** The genuine multi-tool fixture (parallel calls), in the same fixture tree. */
const MULTI_TOOL_ID = "01a2334f-96bf-7892-98bc-5e6ce3f25d35";
/** The genuine messy fixture (Codex 0.169.0 through the mock). */
const MESSY_ID = "01a249c4-a64a-7ae0-b4f6-ae5ca65ed7a4";

/** A temp HOME holding a copy of the genuine fixture tree plus hand-made extras. */
async function fixtureHome(): Promise<{ home: string; ctx: ProviderContext }> {
  const home = await codexTempDir("casr-codex-list-");
  await fs.cp(FIXTURE_HOME, home, { recursive: true });
  const root = path.join(home, ".codex");
  const archived = path.join(root, "archived_sessions");
  await fs.mkdir(archived, { recursive: true });
  const lines = [
    {
      timestamp: "2026-08-20T14:03:10.120Z",
      type: "session_meta",
      payload: {
        id: ARCHIVED_ID,
        timestamp: "2026-08-20T14:03:10.118Z",
        cwd: "/home/dev/old",
        originator: "codex_cli_rs",
        cli_version: "0.150.0",
      },
    },
    {
      timestamp: "2026-08-20T14:03:10.140Z",
      type: "response_item",
      payload: {
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: "<environment_context>x</environment_context>" }],
      },
    },
    {
      timestamp: "2026-08-20T14:03:10.150Z",
      type: "response_item",
      payload: {
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: "Archived prompt\nmore" }],
      },
    },
    {
      timestamp: "2026-08-20T14:03:11.000Z",
      type: "response_item",
      payload: { type: "function_call", name: "shell", arguments: "{}", call_id: "c" },
    },
    {
      timestamp: "2026-08-20T14:03:12.000Z",
      type: "response_item",
      payload: { type: "function_call_output", call_id: "c", output: "ok" },
    },
    {
      timestamp: "2026-08-20T14:03:13.000Z",
      type: "response_item",
      payload: {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: "done" }],
      },
    },
  ];
  await fs.writeFile(
    path.join(archived, `rollout-2026-08-20T14-03-10-${ARCHIVED_ID}.jsonl`),
    lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
  );
  const day = path.join(root, "sessions", "2026", "08", "21");
  await fs.mkdir(day, { recursive: true });
  await fs.writeFile(
    path.join(day, `rollout-2026-08-21T09-00-00-${ZST_ID}.jsonl.zst`),
    new Uint8Array([0x28, 0xb5, 0x2f, 0xfd]),
  );
  await fs.writeFile(path.join(day, "notes.txt"), "not a rollout");
  await fs.writeFile(
    path.join(day, `rollout-2026-08-21T09-00-01-${SIBLING_ID}.jsonl`),
    lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
  );
  await fs.writeFile(
    path.join(root, "session_index.jsonl"),
    JSON.stringify({
      id: GENUINE_ID,
      thread_name: "casr fixture thread",
      updated_at: "2026-12-01T20:16:00Z",
    }) + "\n",
  );
  return { home, ctx: { env: {}, homeDir: home, cwd: home } };
}

Deno.test("listRollouts() lists sessions/, archived_sessions/ and compressed rollouts", async () => {
  const { home, ctx } = await fixtureHome();
  const list = await listRollouts(ctx);
  const byId = new Map(list.map((s) => [s.id, s]));
  assert.deepEqual(
    [...byId.keys()].sort(),
    [ARCHIVED_ID, ZST_ID, GENUINE_ID, SIBLING_ID, MULTI_TOOL_ID, MESSY_ID].sort(),
  );

  const genuine = byId.get(GENUINE_ID)!;
  assert.equal(genuine.provider, "codex");
  assert.equal(genuine.workspace, "/tmp/casr-fixture-project");
  assert.equal(genuine.title, "casr fixture thread");
  assert.ok(genuine.path.startsWith(path.join(home, ".codex", "sessions")));
  assert.ok(genuine.sizeBytes! > 1000);
  assert.equal(typeof genuine.lastActiveAt, "number");
  assert.equal(genuine.startedAt, Date.parse("2026-12-01T20:15:32.961Z"));
  // 2 prompts, 3 replies, 1 tool output (developer and environment-context items are not counted).
  assert.equal(genuine.messageCount, 6);

  // 3 prompts, 5 replies, 2 tool messages (the outputs of two parallel calls are one), as
  // the reader counts it.
  const multi = byId.get(MULTI_TOOL_ID)!;
  assert.equal(multi.workspace, "/tmp/casr-fixture-project");
  assert.equal(multi.messageCount, 10);
  assert.equal(multi.startedAt, Date.parse("2026-12-01T20:33:03.683Z"));

  const archived = byId.get(ARCHIVED_ID)!;
  assert.equal(archived.workspace, "/home/dev/old");
  assert.equal(archived.title, "Archived prompt");
  // The prompt, the call, its output and the reply; the context item is skipped.
  assert.equal(archived.messageCount, 4);
  assert.ok(archived.path.includes("archived_sessions"));

  // Not zstd after its magic number: listed bare, from its name.
  const zst = byId.get(ZST_ID)!;
  assert.equal(zst.startedAt, Date.UTC(2026, 7, 21, 9, 0, 0));
  assert.equal(zst.messageCount, undefined);
  assert.equal(zst.title, undefined);
});

Deno.test("summarizeRolloutFile() lists a compressed rollout as its plain copy", async () => {
  const { zstdCompressSync } = await import("node:zlib");
  const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../fixtures");
  const days = path.join(fixtures, "codex", ".codex", "sessions", "2026", "12");
  const day = (await fs.readdir(days))[0]!;
  const name = (await fs.readdir(path.join(days, day))).find((n) => n.endsWith(".jsonl"))!;
  const plain = path.join(days, day, name);
  const zst = path.join(await codexTempDir(), `${name}.zst`);
  await fs.writeFile(zst, zstdCompressSync(await fs.readFile(plain)));
  const [a, b] = [await summarizeRolloutFile(plain), await summarizeRolloutFile(zst)];
  assert.equal(b?.title, a?.title);
  assert.equal(b?.workspace, a?.workspace);
  assert.equal(b?.messageCount, a?.messageCount);
  assert.ok(b?.title !== undefined && b.messageCount !== undefined);
});

Deno.test("listRollouts() returns nothing for a missing Codex home", async () => {
  const home = await codexTempDir();
  assert.deepEqual(await listRollouts({ env: {}, homeDir: home, cwd: home }), []);
  assert.deepEqual(await findRollouts({ env: {}, homeDir: home, cwd: home }, "01"), []);
});

Deno.test("findRollouts() returns an exact id alone, else every prefix match", async () => {
  const { ctx } = await fixtureHome();
  const exact = await findRollouts(ctx, GENUINE_ID);
  assert.deepEqual(exact.map((s) => s.id), [GENUINE_ID]);
  assert.equal(exact[0]!.title, "casr fixture thread");

  const prefix = await findRollouts(ctx, "01A2333F-8E5E");
  assert.deepEqual(prefix.map((s) => s.id).sort(), [GENUINE_ID, SIBLING_ID].sort());
  const shorter = await findRollouts(ctx, "01a233");
  assert.deepEqual(shorter.map((s) => s.id).sort(), [GENUINE_ID, SIBLING_ID, MULTI_TOOL_ID].sort());
  assert.deepEqual((await findRollouts(ctx, "019a6f2e-5b1c")).map((s) => s.id), [ARCHIVED_ID]);
  assert.deepEqual(await findRollouts(ctx, "ffff"), []);
  assert.deepEqual(await findRollouts(ctx, ""), []);
});

Deno.test("findRollouts() prefers a plain rollout over its .zst sibling", async () => {
  const { home, ctx } = await fixtureHome();
  const day = path.join(home, ".codex", "sessions", "2026", "08", "21");
  await fs.writeFile(
    path.join(day, `rollout-2026-08-21T09-00-00-${ZST_ID}.jsonl`),
    JSON.stringify({
      timestamp: "2026-08-21T09:00:00.000Z",
      type: "session_meta",
      payload: { id: ZST_ID, cwd: "/z" },
    }) + "\n",
  );
  const [found] = await findRollouts(ctx, ZST_ID);
  assert.ok(found!.path.endsWith(".jsonl"));
  assert.equal(found!.workspace, "/z");
});

Deno.test("mapLimit() keeps order and bounds concurrency", async () => {
  let running = 0;
  let peak = 0;
  const out = await mapLimit([5, 1, 3, 2, 4], 2, async (n) => {
    running++;
    peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, n));
    running--;
    return n * 10;
  });
  assert.deepEqual(out, [50, 10, 30, 20, 40]);
  assert.equal(peak, 2);
});

Deno.test("summarizeRolloutFile() counts a user message wrapped in a foreign tag, not Codex's injected context", async () => {
  // Hand-made: a rollout casr wrote from a compressed Gemini session.
  const dir = await codexTempDir("casr-codex-count-");
  const file = path.join(dir, `rollout-2026-08-20T14-03-10-${ARCHIVED_ID}.jsonl`);
  const user = (text: string) => ({
    timestamp: "2026-08-20T14:03:10.150Z",
    type: "response_item",
    payload: { type: "message", role: "user", content: [{ type: "input_text", text }] },
  });
  const lines = [
    {
      timestamp: "2026-08-20T14:03:10.120Z",
      type: "session_meta",
      payload: { id: ARCHIVED_ID, timestamp: "2026-08-20T14:03:10.118Z", cwd: "/p" },
    },
    user("<ENVIRONMENT_CONTEXT>cwd=/p</ENVIRONMENT_CONTEXT>"),
    user("<state_snapshot>\n<overall_goal>x</overall_goal>\n</state_snapshot>"),
    {
      timestamp: "2026-08-20T14:03:11.000Z",
      type: "response_item",
      payload: {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: "ok" }],
      },
    },
  ];
  await fs.writeFile(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const summary = await summarizeRolloutFile(file);
  assert.equal(summary?.messageCount, 2);
  assert.equal(summary?.title, "<state_snapshot>");
});
