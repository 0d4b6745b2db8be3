/**
 * Tool call ids reach every target within what the model APIs accept: OpenAI's Responses and
 * Chat Completions APIs refuse a call_id over 64 characters with a 400, and Gemini CLI's own ids
 * (`<tool>-<time>-<random>`) pass that with an MCP tool's long name. The session is hand-made.
 */
import assert from "node:assert/strict";
import { CasrError, getProvider, PROVIDERS, writeSession } from "../mod.ts";
import type { Session } from "../mod.ts";
import { tempHome } from "./helpers.ts";

const tool = "mcp_github_search_repositories_with_a_long_name";
const ids = [`${tool}-1765012345678-0a1b2c3d4e5f6`, `${tool}-1765012345678-9f8e7d6c5b4a3`];

function session(): Session {
  const at = Date.UTC(2026, 10, 3, 10);
  return {
    id: "4a7c2e1b-0000-4000-8000-00000000c0de",
    provider: "gemini-cli",
    workspace: "/home/dev/app",
    metadata: {},
    messages: [
      {
        index: 0,
        role: "user",
        text: "find the repos",
        toolCalls: [],
        toolResults: [],
        timestamp: at,
      },
      {
        index: 1,
        role: "assistant",
        text: "Searching twice.",
        toolCalls: ids.map((id, i) => ({ id, name: tool, input: { query: `q${i}` } })),
        toolResults: [],
        timestamp: at + 1000,
      },
      {
        index: 2,
        role: "tool",
        text: "",
        toolCalls: [],
        toolResults: ids.map((id, i) => ({ callId: id, output: `found ${i}`, isError: false })),
        timestamp: at + 2000,
      },
      {
        index: 3,
        role: "assistant",
        text: "Two found.",
        toolCalls: [],
        toolResults: [],
        timestamp: at + 3000,
      },
    ],
  };
}

Deno.test("call ids over 64 characters are written within 64, each result still with its call, for every target", async () => {
  assert.ok(ids.every((id) => id.length > 64));
  let written = 0;
  for (const target of PROVIDERS.filter((p) => p.readOnly !== true).map((p) => p.id)) {
    await using home = await tempHome([]);
    let result;
    try {
      result = await writeSession(home.ctx, session(), target);
    } catch (error) {
      // A target that cannot be written here says why; it is not a silent pass.
      assert.ok(error instanceof CasrError, `${target}: ${String(error)}`);
      continue;
    }
    const provider = getProvider(target)!;
    const { session: back } = await provider.read(result.target.path, home.ctx);
    const calls = back.messages.flatMap((m) => m.toolCalls);
    const results = back.messages.flatMap((m) => m.toolResults);
    // Aider keeps no structured tool calls: nothing there to check.
    if (calls.length === 0) continue;
    written++;
    assert.equal(calls.length, 2, target);
    for (const call of calls) assert.ok(call.id.length <= 64, `${target}: ${call.id}`);
    assert.notEqual(calls[0]?.id, calls[1]?.id, target);
    // Each output still answers the call that made it.
    for (const [i, call] of calls.entries()) {
      const answer = results.find((r) => r.callId === call.id);
      assert.equal(answer?.output, `found ${i}`, `${target}: ${call.id}`);
    }
    assert.ok(result.warnings.some((w) => w.code === "call-ids-renamed"), target);
  }
  assert.ok(written >= 10, `only ${written} targets written with tool calls`);
});
