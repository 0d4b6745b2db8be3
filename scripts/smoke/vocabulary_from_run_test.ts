import assert from "node:assert/strict";
import { sharesFromRequests } from "./vocabulary_from_run.ts";

/** Hand-made Anthropic Messages request carrying a Gemini CLI history resumed in Claude Code. */
function turnRequest(seq: number, prompt: string): string {
  return JSON.stringify({
    seq,
    kind: "turn",
    wire: "anthropic",
    body: {
      tools: [{ name: "Bash" }, { name: "Read" }],
      messages: [
        { role: "user", content: "look around" },
        {
          role: "assistant",
          content: [
            { type: "tool_use", id: "a", name: "Bash", input: { command: "ls" } },
            { type: "tool_use", id: "b", name: "google_web_search", input: { query: "x" } },
            { type: "tool_use", id: "c", name: "save_memory", input: { fact: "y" } },
          ],
        },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "a", content: "f" },
            { type: "tool_result", tool_use_id: "b", content: "r" },
            { type: "tool_result", tool_use_id: "c", content: "ok" },
          ],
        },
        { role: "user", content: prompt },
      ],
    },
  });
}

Deno.test("sharesFromRequests() reads the request that carries the matrix prompt", () => {
  const log = [
    JSON.stringify({ seq: 1, kind: "side", body: { messages: [] } }),
    turnRequest(2, "an earlier turn"),
    turnRequest(3, "casr smoke: reply OK"),
    "",
  ].join("\n");
  // Three calls, one declared; the search call has an equivalent (Claude's WebSearch) that
  // this request does not declare; `save_memory` has none.
  assert.deepEqual(sharesFromRequests(log, "gemini-cli", "claude-code"), {
    all: { calls: 3, declared: 1 },
    mapped: { calls: 2, declared: 1, undeclared: ["google_web_search (search)"] },
  });
  assert.equal(
    sharesFromRequests(turnRequest(1, "no prompt"), "gemini-cli", "claude-code"),
    undefined,
  );
});
