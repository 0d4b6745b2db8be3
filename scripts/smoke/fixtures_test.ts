import assert from "node:assert/strict";
import { expectedFromMockTurns, renderReadme } from "./fixtures.ts";
import { readManifest } from "./manifest.ts";
import type { RecordedRequest } from "./mock_server.ts";
import { MULTI_FAIL, MULTI_OK, MULTI_PROMPTS, MULTI_TOOL } from "./scenarios.ts";
import type { ShellToolCall } from "./wire_replies.ts";

const FIXTURES = new URL("../../fixtures/", import.meta.url).pathname;

function request(seq: number, messages: unknown[], reply: RecordedRequest["reply"]) {
  const entry: RecordedRequest = {
    seq,
    time: "2026-12-01T00:00:00.000Z",
    method: "POST",
    path: "/v1/messages",
    query: {},
    headers: {},
    body: { messages },
    wire: "anthropic",
    kind: "turn",
    status: 200,
  };
  if (reply !== undefined) entry.reply = reply;
  return entry;
}

const bash = (command: string, id: string): ShellToolCall => ({
  name: "Bash",
  kind: "function",
  input: { command },
  id,
  command,
});

Deno.test("expectedFromMockTurns() records one tool entry per parallel result, with errors", () => {
  const calls = [bash(MULTI_OK, "a"), bash(MULTI_FAIL, "b")];
  const prompt = { role: "user", content: [{ type: "text", text: MULTI_PROMPTS[0] }] };
  const reply = {
    role: "assistant",
    content: calls.map((c) => ({ type: "tool_use", id: c.id, name: c.name, input: c.input })),
  };
  const results = {
    role: "user",
    content: [
      {
        type: "tool_result",
        tool_use_id: "b",
        is_error: true,
        content: "Exit code 2\nls: cannot access '/definitely-not-here-casr': " +
          "No such file or directory",
      },
      { type: "tool_result", tool_use_id: "a", content: "line one\nline two" },
      { type: "tool_result", tool_use_id: "a", content: "line one\nline two" },
    ],
  };
  const expected = expectedFromMockTurns(
    [
      request(1, [prompt], { text: "Running.", toolCalls: calls }),
      request(2, [prompt, reply, results], { text: "Done." }),
    ],
    MULTI_PROMPTS,
    MULTI_TOOL.commands,
  );
  assert.deepEqual(expected, [
    { role: "user", text: MULTI_PROMPTS[0] },
    {
      role: "assistant",
      text: "Running.",
      toolCalls: [{ name: "Bash", command: MULTI_OK }, { name: "Bash", command: MULTI_FAIL }],
    },
    { role: "tool", text: "No such file or directory", error: true },
    { role: "tool", text: "line one\nline two" },
    { role: "assistant", text: "Done." },
  ]);
});

Deno.test("renderReadme() describes both scenarios and lists every fixture by scenario", async () => {
  const manifest = await readManifest(`${FIXTURES}manifest.json`);
  const readme = renderReadme(manifest.fixtures);
  assert.match(readme, /### `basic`: /);
  assert.match(readme, /### `multi-tool`: /);
  for (const entry of manifest.fixtures.filter((e) => e.generatedBy === undefined)) {
    assert.ok(readme.includes(`### ${entry.provider}: \`${entry.scenario}\``));
    assert.ok(readme.includes(entry.sessionId));
  }
  assert.equal(readme, await Deno.readTextFile(`${FIXTURES}README.md`), "README.md is current");
});
