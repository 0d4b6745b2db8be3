import assert from "node:assert/strict";
import type { Message, Session } from "../model/types.ts";
import { getProvider } from "../providers/registry.ts";
import { fixtureFor, loadManifest, tempHome } from "../../tests/fixture_home.ts";
import { convertSession } from "./convert.ts";
import { mapToolVocabulary } from "./vocabulary.ts";

const NOW = Date.UTC(2026, 11, 6);

function message(partial: Partial<Message> & Pick<Message, "index" | "role">): Message {
  return { text: "", toolCalls: [], toolResults: [], ...partial };
}

/** Hand-made: a Claude exchange with a shell call, an unknown tool and a named result. */
function handMade(): Session {
  return {
    id: "s1",
    provider: "claude-code",
    metadata: {},
    messages: [
      message({ index: 0, role: "user", text: "list" }),
      message({
        index: 1,
        role: "assistant",
        toolCalls: [
          { id: "c1", name: "Bash", input: { command: "ls", description: "List" } },
          { id: "c2", name: "Agent", input: { prompt: "go" } },
          { id: "c3", name: "Grep", input: { pattern: "x" } },
        ],
      }),
      message({
        index: 2,
        role: "tool",
        toolResults: [
          { callId: "c1", output: "a\nb", isError: false, name: "Bash" },
          { callId: "c2", output: "done", isError: false, name: "Agent" },
          { callId: "c3", output: "none", isError: false },
        ],
      }),
    ],
  };
}

Deno.test("mapToolVocabulary() renames calls and named results, keeps ids and the input", () => {
  const session = handMade();
  const before = structuredClone(session);
  const out = mapToolVocabulary(session, "claude", "gemini");
  assert.deepEqual(session, before, "the input session is not modified");
  assert.equal(out.mapped, 2);
  const calls = out.session.messages[1]?.toolCalls;
  assert.deepEqual(calls, [
    { id: "c1", name: "run_shell_command", input: { command: "ls", description: "List" } },
    { id: "c2", name: "Agent", input: { prompt: "go" } },
    { id: "c3", name: "grep_search", input: { pattern: "x" } },
  ]);
  assert.deepEqual(out.session.messages[2]?.toolResults.map((r) => [r.callId, r.name]), [
    ["c1", "run_shell_command"],
    ["c2", "Agent"],
    ["c3", undefined],
  ]);
  assert.deepEqual(out.warnings, []);
});

Deno.test("mapToolVocabulary() warns about calls the target has no tool for", () => {
  const out = mapToolVocabulary(handMade(), "claude", "codex");
  assert.equal(out.mapped, 1);
  assert.deepEqual(out.session.messages[1]?.toolCalls.map((c) => c.name), [
    "exec",
    "Agent",
    "Grep",
  ]);
  assert.deepEqual(out.warnings.map((w) => w.code), ["tool-names-kept"]);
  assert.match(out.warnings[0]?.message ?? "", /Grep/);
});

Deno.test("mapToolVocabulary() leaves a session alone without two known families", () => {
  const session = handMade();
  assert.equal(mapToolVocabulary(session, undefined, "gemini").session, session);
  assert.equal(mapToolVocabulary(session, "claude", "claude").session, session);
  const unknown = mapToolVocabulary(session, "claude", "aider");
  assert.equal(unknown.session, session);
  assert.deepEqual(unknown.warnings.map((w) => w.code), ["tool-family-unknown"]);
});

Deno.test("convertSession() writes the genuine Claude multi-tool session with Gemini's shell tool", async () => {
  const fixture = fixtureFor(await loadManifest(), "claude-code", "multi-tool");
  await using home = await tempHome(["claude-code"]);
  const result = await convertSession(home.ctx, "gemini-cli", fixture.sessionId, { now: NOW });
  assert.equal(result.verified, true);
  const back = await getProvider("gemini-cli")!.read(result.target.path, home.ctx);
  const calls = back.session.messages.flatMap((m) => m.toolCalls);
  assert.deepEqual(calls.map((c) => c.name), [
    "run_shell_command",
    "run_shell_command",
    "run_shell_command",
  ]);
  assert.deepEqual(calls.map((c) => (c.input as { command?: unknown }).command), [
    "printf 'line one\\nline two\\n'",
    "ls /definitely-not-here-casr",
    "echo second-turn",
  ]);
  const results = back.session.messages.flatMap((m) => m.toolResults);
  assert.deepEqual(results.map((r) => r.callId), calls.map((c) => c.id));
});

Deno.test("convertSession() writes the genuine Gemini session as Codex exec calls, and back", async () => {
  const fixture = fixtureFor(await loadManifest(), "gemini-cli", "multi-tool");
  await using home = await tempHome(["gemini-cli"]);
  const toCodex = await convertSession(home.ctx, "codex", fixture.sessionId, { now: NOW });
  assert.equal(toCodex.verified, true);
  const codex = await getProvider("codex")!.read(toCodex.target.path, home.ctx);
  const calls = codex.session.messages.flatMap((m) => m.toolCalls);
  assert.deepEqual(calls.map((c) => c.name), ["exec", "exec", "exec"]);
  assert.ok(String(calls[2]?.input).includes('tools.exec_command({ cmd: "echo second-turn" })'));

  const toGemini = await convertSession(home.ctx, "gemini-cli", toCodex.target.path, {
    now: NOW + 60_000,
  });
  assert.equal(toGemini.verified, true);
  const gemini = await getProvider("gemini-cli")!.read(toGemini.target.path, home.ctx);
  assert.deepEqual(
    gemini.session.messages.flatMap((m) => m.toolCalls).map((c) => [c.name, c.input]),
    [
      ["run_shell_command", { command: "printf 'line one\\nline two\\n'" }],
      ["run_shell_command", { command: "ls /definitely-not-here-casr" }],
      ["run_shell_command", { command: "echo second-turn" }],
    ],
  );
});
