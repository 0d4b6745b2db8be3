import assert from "node:assert/strict";
import type { Message, Session } from "../model/types.ts";
import { getProvider, PROVIDERS } from "../providers/registry.ts";
import { fixtureFor, loadManifest, tempHome } from "../../tests/fixture_home.ts";
import { convertSession } from "./convert.ts";
import { writeSession } from "./write_session.ts";
import { mapToolVocabulary } from "./vocabulary.ts";
import { encodeToolCall } from "../formats/tool_vocabulary.ts";

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
  assert.equal(out.mapped, 3);
  const calls = out.session.messages[1]?.toolCalls;
  assert.deepEqual(calls, [
    { id: "c1", name: "run_shell_command", input: { command: "ls", description: "List" } },
    { id: "c2", name: "invoke_agent", input: { prompt: "go" } },
    { id: "c3", name: "grep_search", input: { pattern: "x" } },
  ]);
  assert.deepEqual(out.session.messages[2]?.toolResults.map((r) => [r.callId, r.name]), [
    ["c1", "run_shell_command"],
    ["c2", "invoke_agent"],
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

/** Hand-made: a Claude session using each of Claude's mapped tools once. */
function everyTool(): Session {
  const calls = [
    { id: "t1", name: "Bash", input: { command: "ls", description: "List" } },
    { id: "t2", name: "Read", input: { file_path: "/w/a.ts", offset: 2, limit: 3 } },
    { id: "t3", name: "Write", input: { file_path: "/w/b.ts", content: "x\n" } },
    { id: "t4", name: "Edit", input: { file_path: "/w/a.ts", old_string: "a", new_string: "b" } },
    { id: "t5", name: "Grep", input: { pattern: "TODO", path: "/w" } },
    { id: "t6", name: "Glob", input: { pattern: "*.ts" } },
    { id: "t7", name: "WebFetch", input: { url: "https://example.com/", prompt: "Sum up" } },
  ];
  return {
    id: "every-tool",
    provider: "claude-code",
    workspace: "/w",
    metadata: {},
    messages: [
      message({ index: 0, role: "user", text: "go", timestamp: NOW }),
      message({ index: 1, role: "assistant", text: "", toolCalls: calls, timestamp: NOW + 1 }),
      message({
        index: 2,
        role: "tool",
        timestamp: NOW + 2,
        toolResults: calls.map((c) => ({ callId: c.id, output: `out ${c.id}`, isError: false })),
      }),
      message({ index: 3, role: "assistant", text: "done", timestamp: NOW + 3 }),
    ],
  };
}

Deno.test("every writable target with a tool family writes and reads back the mapped calls", async () => {
  for (const target of PROVIDERS.filter((p) => !p.readOnly && p.carries?.toolFamily)) {
    await using home = await tempHome();
    const mapped = mapToolVocabulary(everyTool(), "claude", target.carries?.toolFamily);
    const written = await writeSession(home.ctx, mapped.session, target.id, {
      workspace: home.home,
      now: NOW,
    });
    assert.equal(written.verified, true, target.id);
    const back = await target.read(written.target.path, home.ctx);
    const names = back.session.messages.flatMap((m) => m.toolCalls.map((c) => c.name));
    assert.deepEqual(
      names,
      mapped.session.messages.flatMap((m) => m.toolCalls.map((c) => c.name)),
      target.id,
    );
    const shell = encodeToolCall(target.carries?.toolFamily ?? "", {
      op: "shell",
      args: { command: "ls" },
    });
    assert.equal(names[0], shell?.name, `${target.id} shell tool`);
  }
});
