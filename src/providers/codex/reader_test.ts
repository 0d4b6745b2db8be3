import assert from "node:assert/strict";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { CasrError } from "../../errors.ts";
import { readRollout } from "./reader.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import {
  assistantItem,
  CTX,
  event,
  handMade,
  ID,
  item,
  meta as baseMeta,
  userItem,
} from "./testdata/hand_made.ts";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../fixtures");

interface ManifestEntry {
  provider: string;
  scenario: string;
  sessionId: string;
  path: string;
  workspace: string;
  prompts: string[];
  toolCalls: number;
  expected: { role: string; text: string; toolCalls?: { name: string; command: string }[] }[];
}

async function codexFixtures(): Promise<ManifestEntry[]> {
  try {
    const raw = JSON.parse(await Deno.readTextFile(path.join(FIXTURES, "manifest.json")));
    return (raw.fixtures as ManifestEntry[]).filter((f) => f.provider === "codex");
  } catch {
    return [];
  }
}

/** The hand-made meta with the fields 0.150.0 adds (source, provider, git). */
const meta = {
  ...baseMeta,
  payload: {
    ...baseMeta.payload,
    source: "cli",
    model_provider: "openai",
    git: { branch: "main", commit_hash: "abc123" },
  },
};
function conversational<T extends { role: string }>(messages: T[]): T[] {
  return messages.filter((m) => m.role !== "system");
}

/** The expected roles, with consecutive tool results (parallel calls) as one tool message. */
function groupedRoles(expected: ManifestEntry["expected"]): string[] {
  return expected.map((e) => e.role).filter((role, i, all) =>
    role !== "tool" || all[i - 1] !== "tool"
  );
}

Deno.test("readRollout() reads the genuine 0.169.0 fixtures: prompts, exec tool calls, results", async () => {
  const all = await codexFixtures();
  assert.deepEqual(all.map((f) => f.scenario), ["basic", "multi-tool", "messy"]);
  // The clean scenarios, turn for turn; the messy one is checked by the round-trip suite.
  const fixtures = all.filter((f) => f.scenario !== "messy");
  for (const fixture of fixtures) {
    const file = path.join(FIXTURES, fixture.path);
    const { session, warnings } = await readRollout(file, CTX);
    assert.deepEqual(warnings, []);
    assert.equal(session.id, fixture.sessionId);
    assert.equal(session.provider, "codex");
    assert.equal(session.workspace, fixture.workspace);
    assert.equal(session.metadata.cliVersion, "0.169.0");
    assert.equal(session.metadata.modelProvider, "openai");
    assert.ok(typeof session.model === "string" && session.model !== "");
    // The first line of the first prompt, cut to 80 characters.
    const first = fixture.prompts[0]!.split("\n")[0]!;
    assert.equal(session.title, first.length > 80 ? `${first.slice(0, 79)}…` : first);
    // Injected developer / environment context items are system messages.
    const firstReal = session.messages.findIndex((m) => m.role === "user");
    assert.ok(firstReal > 0);
    assert.ok(session.messages.slice(0, firstReal).every((m) => m.role === "system"));
    assert.ok(
      session.messages.some((m) =>
        m.role === "system" && m.text.startsWith("<environment_context>")
      ),
    );
    const convo = conversational(session.messages);
    assert.deepEqual(convo.map((m) => m.role), groupedRoles(fixture.expected));
    assert.deepEqual(
      convo.filter((m) => m.role === "user").map((m) => m.text),
      fixture.prompts,
    );
    assert.deepEqual(
      convo.filter((m) => m.role === "assistant").map((m) => m.text),
      fixture.expected.filter((e) => e.role === "assistant").map((e) => e.text),
    );
    // Each reply's calls (two parallel ones in multi-tool) are exec calls running the commands,
    // and the tool message right after answers each of them.
    const replies = convo.filter((m) => m.toolCalls.length > 0);
    const wanted = fixture.expected.filter((e) => (e.toolCalls ?? []).length > 0);
    assert.equal(replies.length, wanted.length);
    replies.forEach((reply, r) => {
      const calls = wanted[r]!.toolCalls!;
      assert.equal(reply.toolCalls.length, calls.length);
      reply.toolCalls.forEach((call, c) => {
        assert.equal(call.name, "exec");
        assert.equal(typeof call.input, "string");
        assert.ok((call.input as string).includes(JSON.stringify(calls[c]!.command)));
      });
      const tool = convo[convo.indexOf(reply) + 1]!;
      assert.equal(tool.role, "tool");
      assert.deepEqual(
        tool.toolResults.map((t) => t.callId).sort(),
        reply.toolCalls.map((c) => c.id).sort(),
      );
      for (const result of tool.toolResults) {
        assert.equal(result.name, "exec");
        assert.equal(result.isError, false); // exec outputs carry no error flag
      }
    });
    const results = convo.flatMap((m) => m.toolResults);
    assert.equal(results.length, fixture.toolCalls);
    fixture.expected.filter((e) => e.role === "tool").forEach((e, i) => {
      assert.ok(results[i]?.output.includes(e.text), `result ${i} holds ${e.text}`);
    });
    // Timestamps come from each line and are ordered.
    const times = convo.map((m) => m.timestamp!);
    assert.ok(times.every((t) => typeof t === "number"));
    assert.deepEqual([...times].sort((a, b) => a - b), times);
    assert.equal(session.startedAt, session.messages[0]!.timestamp);
    assert.equal(session.endedAt, session.messages.at(-1)!.timestamp);
    assert.deepEqual(session.messages.map((m) => m.index), session.messages.map((_, i) => i));
  }
});

Deno.test("readRollout() merges function calls into the preceding assistant message and groups outputs", async () => {
  const file = await handMade([
    meta,
    {
      timestamp: "2026-08-20T14:03:10.130Z",
      type: "turn_context",
      payload: { model: "gpt-5-codex", cwd: "/home/dev/proj" },
    },
    userItem("10.140", "List the files in src"),
    event("10.141", { type: "user_message", message: "List the files in src" }),
    item("11.000", {
      type: "reasoning",
      summary: [{ type: "summary_text", text: "Plan: ls" }],
      encrypted_content: "gAAAA-secret",
    }),
    assistantItem("11.500", "Listing."),
    item("12.500", {
      type: "function_call",
      name: "shell",
      arguments: '{"command":["bash","-lc","ls src"],"workdir":"/home/dev/proj"}',
      call_id: "call_01AAA",
    }),
    item("12.600", {
      type: "local_shell_call",
      call_id: "call_02",
      status: "completed",
      action: { type: "exec", command: ["pwd"] },
    }),
    item("12.900", {
      type: "function_call_output",
      call_id: "call_01AAA",
      output: "main.rs\nlib.rs",
    }),
    item("12.950", {
      type: "function_call_output",
      call_id: "call_02",
      output: { content: "permission denied", success: false },
    }),
    assistantItem("14.000", "src contains main.rs and lib.rs."),
    event("14.001", { type: "agent_message", message: "src contains main.rs and lib.rs." }),
  ]);
  const { session, warnings } = await readRollout(file, CTX);
  assert.deepEqual(warnings, []);
  assert.equal(session.id, ID);
  assert.equal(session.workspace, "/home/dev/proj");
  assert.equal(session.model, "gpt-5-codex");
  assert.equal(session.title, "List the files in src");
  assert.equal(session.metadata.gitBranch, "main");
  assert.equal(session.metadata.gitCommit, "abc123");
  assert.deepEqual(session.messages.map((m) => m.role), ["user", "assistant", "tool", "assistant"]);
  const [, reply, tool, final] = session.messages;
  assert.equal(reply!.text, "Listing.");
  assert.equal(reply!.reasoning, "Plan: ls");
  assert.equal(reply!.author, "gpt-5-codex");
  assert.ok(!JSON.stringify(session.messages.map((m) => m.reasoning)).includes("secret"));
  assert.deepEqual(reply!.toolCalls, [
    {
      id: "call_01AAA",
      name: "shell",
      input: { command: ["bash", "-lc", "ls src"], workdir: "/home/dev/proj" },
    },
    { id: "call_02", name: "local_shell", input: { type: "exec", command: ["pwd"] } },
  ]);
  assert.deepEqual(tool!.toolResults, [
    { callId: "call_01AAA", output: "main.rs\nlib.rs", isError: false, name: "shell" },
    { callId: "call_02", output: "permission denied", isError: true, name: "local_shell" },
  ]);
  assert.equal(tool!.timestamp, Date.parse("2026-08-20T14:03:12.900Z"));
  assert.equal(final!.text, "src contains main.rs and lib.rs.");
});

Deno.test("readRollout() keeps custom tool input strings, flattens array outputs and unwraps legacy JSON output", async () => {
  const file = await handMade([
    meta,
    userItem("10.000", "patch it"),
    item("11.000", {
      type: "custom_tool_call",
      call_id: "c1",
      name: "apply_patch",
      input: "*** Begin Patch\n*** End Patch",
    }),
    item("11.500", {
      type: "custom_tool_call_output",
      call_id: "c1",
      output: [{ type: "input_text", text: "Done" }, { type: "input_image", image_url: "data:x" }, {
        type: "input_text",
        text: "ok",
      }],
    }),
    item("12.000", {
      type: "function_call",
      name: "bad_json",
      arguments: "{not json",
      call_id: "c2",
    }),
    item("12.500", {
      type: "function_call_output",
      call_id: "c2",
      output: '{"output":"hello\\n","metadata":{"exit_code":0,"duration_seconds":0.1}}',
    }),
    item("13.000", {
      type: "web_search_call",
      status: "completed",
      action: { type: "search", query: "deno" },
    }),
  ]);
  const { session } = await readRollout(file, CTX);
  assert.equal(rolesOf(session), "user assistant tool assistant tool assistant tool");
  assert.deepEqual(session.messages[1]!.toolCalls[0], {
    id: "c1",
    name: "apply_patch",
    input: "*** Begin Patch\n*** End Patch",
  });
  assert.equal(session.messages[2]!.toolResults[0]!.output, "Done\nok");
  assert.equal(session.messages[3]!.toolCalls[0]!.input, "{not json");
  assert.equal(session.messages[4]!.toolResults[0]!.output, "hello\n");
  assert.deepEqual(session.messages[5]!.toolCalls[0], {
    id: "line-7",
    name: "web_search",
    input: { type: "search", query: "deno" },
  });
});

Deno.test("readRollout() marks injected context as system and developer messages as system", async () => {
  const file = await handMade([
    meta,
    item("10.000", {
      type: "message",
      role: "developer",
      content: [{
        type: "input_text",
        text: "<permissions instructions>x</permissions instructions>",
      }],
    }),
    userItem(
      "10.001",
      "# AGENTS.md instructions for /home/dev/proj\n\n<INSTRUCTIONS>be nice</INSTRUCTIONS>",
    ),
    userItem(
      "10.002",
      "<environment_context>\n  <cwd>/home/dev/proj</cwd>\n</environment_context>",
    ),
    userItem("10.003", "<user_instructions>\nuse tabs\n</user_instructions>"),
    userItem("10.004", "<turn_aborted>\nThe user interrupted.\n</turn_aborted>"),
    userItem("10.005", "<b>bold</b> is html, typed by a human"),
    assistantItem("11.000", "Sure."),
  ]);
  const { session } = await readRollout(file, CTX);
  assert.equal(rolesOf(session), "system system system system system user assistant");
  assert.equal(session.title, "<b>bold</b> is html, typed by a human");
});

Deno.test("readRollout() restarts from a compaction's replacement history", async () => {
  const file = await handMade([
    meta,
    userItem("10.000", "old prompt"),
    assistantItem("11.000", "old answer"),
    {
      timestamp: "2026-08-20T14:03:20.000Z",
      type: "compacted",
      payload: {
        message: "Summary of earlier work",
        replacement_history: [
          { type: "message", role: "user", content: [{ type: "input_text", text: "old prompt" }] },
          {
            type: "message",
            role: "user",
            content: [{ type: "input_text", text: "Summary of earlier work" }],
          },
          { type: "compaction", encrypted_content: "opaque" },
        ],
      },
    },
    event("20.001", { type: "context_compacted" }),
    userItem("21.000", "new prompt"),
    assistantItem("22.000", "new answer"),
  ]);
  const { session } = await readRollout(file, CTX);
  assert.deepEqual(session.messages.map((m) => m.text), [
    "old prompt",
    "Summary of earlier work",
    "new prompt",
    "new answer",
  ]);
  // The kept prompt keeps the time it was first read with; the summary has none.
  assert.equal(session.messages[0]!.timestamp, Date.parse("2026-08-20T14:03:10.000Z"));
  assert.equal(session.messages[1]!.timestamp, undefined);
  assert.equal(session.metadata.compactions, 1);
});

Deno.test("readRollout() drops rolled-back turns", async () => {
  const file = await handMade([
    meta,
    userItem("10.000", "first"),
    assistantItem("11.000", "one"),
    userItem("12.000", "second"),
    assistantItem("13.000", "two"),
    event("14.000", { type: "thread_rolled_back", num_turns: 1 }),
    userItem("15.000", "third"),
  ]);
  const { session } = await readRollout(file, CTX);
  assert.deepEqual(session.messages.map((m) => m.text), ["first", "one", "third"]);
});

Deno.test("readRollout() falls back to user_message events when no user item exists", async () => {
  const file = await handMade([
    meta,
    event("10.000", { type: "user_message", message: "only as an event" }),
    assistantItem("11.000", "answer"),
    event("12.000", {
      type: "item_completed",
      item: { type: "UserMessage", content: [{ type: "text", text: "paginated prompt" }] },
    }),
    assistantItem("13.000", "answer 2"),
  ]);
  const { session } = await readRollout(file, CTX);
  assert.deepEqual(session.messages.map((m) => [m.role, m.text]), [
    ["user", "only as an event"],
    ["assistant", "answer"],
    ["user", "paginated prompt"],
    ["assistant", "answer 2"],
  ]);
  assert.equal(session.messages[2]!.timestamp, Date.parse("2026-08-20T14:03:12.000Z"));
});

Deno.test("readRollout() ignores event messages when response items exist", async () => {
  const file = await handMade([
    meta,
    userItem("10.000", "hello"),
    event("10.001", { type: "user_message", message: "hello" }),
    assistantItem("11.000", "hi"),
    event("11.001", { type: "agent_message", message: "hi" }),
  ]);
  const { session } = await readRollout(file, CTX);
  assert.deepEqual(session.messages.map((m) => m.text), ["hello", "hi"]);
});

Deno.test("readRollout() takes the title from thread_name_updated, then session_index.jsonl", async () => {
  const named = await handMade([
    meta,
    userItem("10.000", "hello"),
    event("10.500", { type: "thread_name_updated", thread_id: ID, thread_name: "Named thread" }),
  ]);
  assert.equal((await readRollout(named, CTX)).session.title, "Named thread");

  const file = await handMade([meta, userItem("10.000", "hello")]);
  const root = path.resolve(path.dirname(file), "../../../..");
  await Deno.writeTextFile(
    path.join(root, "session_index.jsonl"),
    [
      JSON.stringify({ id: ID, thread_name: "old name", updated_at: "2026-08-20T14:05:00Z" }),
      JSON.stringify({ id: "other", thread_name: "x", updated_at: "2026-08-20T14:05:00Z" }),
      JSON.stringify({ id: ID, thread_name: "new name", updated_at: "2026-08-20T14:06:00Z" }),
    ].join("\n") + "\n",
  );
  assert.equal((await readRollout(file, CTX)).session.title, "new name");
});

Deno.test("readRollout() cuts a long first prompt to an 80-character title", async () => {
  const long = "x".repeat(120);
  const file = await handMade([meta, userItem("10.000", `\n${long}\nsecond line`)]);
  const { session } = await readRollout(file, CTX);
  assert.equal(session.title!.length, 80);
  assert.ok(session.title!.startsWith("xxx"));
});

Deno.test("readRollout() warns on a malformed line and reads the rest", async () => {
  const file = await handMade([
    meta,
    userItem("10.000", "before"),
    '{"timestamp":"2026-08-20T14:03:11Z","type":"response_item","payload":{',
    assistantItem("12.000", "after"),
  ]);
  const { session, warnings } = await readRollout(file, CTX);
  assert.deepEqual(session.messages.map((m) => m.text), ["before", "after"]);
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]!.code, "malformed-line");
  assert.equal(warnings[0]!.line, 3);
});

Deno.test("readRollout() reads early-2025 rollouts without the type/payload envelope", async () => {
  const file = await handMade([
    { id: ID, timestamp: "2025-05-01T10:00:00.000Z", instructions: null },
    { record_type: "state" },
    { type: "message", role: "user", content: [{ type: "input_text", text: "old style" }] },
    { type: "message", role: "assistant", content: [{ type: "output_text", text: "still read" }] },
  ]);
  const { session } = await readRollout(file, CTX);
  assert.equal(session.id, ID);
  assert.deepEqual(session.messages.map((m) => m.text), ["old style", "still read"]);
});

Deno.test("readRollout() takes the id from the file name when session_meta is missing", async () => {
  const file = await handMade([userItem("10.000", "no meta")]);
  const { session, warnings } = await readRollout(file, CTX);
  assert.equal(session.id, ID);
  assert.equal(warnings[0]!.code, "missing-session-meta");
});

Deno.test("readRollout() fails with parse-failed on empty, foreign and compressed files", async () => {
  const empty = await handMade([]);
  await Deno.writeTextFile(empty, "");
  await assert.rejects(readRollout(empty, CTX), (error: unknown) => {
    assert.ok(error instanceof CasrError);
    assert.equal(error.code, "parse-failed");
    assert.match(error.message, /^Cannot read session ".*": file is empty$/);
    return true;
  });
  const foreign = await handMade([{
    type: "user",
    uuid: "u1",
    message: { role: "user", content: "hi" },
  }]);
  await assert.rejects(readRollout(foreign, CTX), (error: unknown) => {
    assert.ok(error instanceof CasrError && error.code === "parse-failed");
    return true;
  });
  const zst = path.join(path.dirname(empty), `rollout-2026-08-20T14-03-10-${ID}.jsonl.zst`);
  await Deno.writeFile(zst, new Uint8Array([0x28, 0xb5, 0x2f, 0xfd]));
  await assert.rejects(readRollout(zst, CTX), (error: unknown) => {
    assert.ok(error instanceof CasrError && error.code === "parse-failed");
    // Only zstd's magic number: a cut-off file, which decompresses to nothing.
    assert.match(error.message, /it decompresses to nothing \(is it cut off or damaged\?\)/);
    return true;
  });
});

Deno.test("readRollout() reads a compressed rollout (.jsonl.zst, as Codex keeps old ones) as the plain one", async () => {
  const { zstdCompressSync } = await import("node:zlib");
  const fixture = (await codexFixtures()).find((f) => f.scenario === "multi-tool")!;
  const plain = path.join(FIXTURES, fixture.path);
  const dir = await Deno.makeTempDir();
  try {
    const zst = path.join(dir, `${path.basename(plain)}.zst`);
    await Deno.writeFile(zst, zstdCompressSync(await Deno.readFile(plain)));
    const compressed = await readRollout(zst, CTX);
    const original = await readRollout(plain, CTX);
    assert.deepEqual(compressed.session.messages, original.session.messages);
    assert.equal(compressed.session.title, original.session.title);
    assert.deepEqual(compressed.warnings, original.warnings);
    assert.ok(compressed.session.messages.length > 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
