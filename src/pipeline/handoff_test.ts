import assert from "node:assert/strict";
import type { Message, Session } from "../model/types.ts";
import { getProvider } from "../providers/registry.ts";
import {
  decisions,
  filesTouched,
  handoffStartCommand,
  openTasks,
  renderHandoffBrief,
} from "./handoff.ts";
import { testMessage as msg, testSession } from "../model/testdata/sample_session.ts";

function session(messages: Message[]): Session {
  return testSession(messages, { id: "sess-1", workspace: "/work/app" });
}

const SAMPLE = session([
  msg("user", "Make the importer stream large CSV files"),
  msg("assistant", "Let me look. I decided to use a TransformStream instead of reading it all.", {
    toolCalls: [
      { id: "1", name: "Read", input: { file_path: "src/importer.ts" } },
      {
        id: "2",
        name: "Bash",
        input: { command: "rg -n parse src/csv/parse.ts tests/x_test.ts Cargo.toml r.output" },
      },
    ],
  }),
  msg("tool", "", {
    toolResults: [
      { callId: "1", output: "…", isError: false },
      { callId: "2", output: "…", isError: false },
    ],
  }),
  msg("assistant", "", {
    toolCalls: [{
      id: "3",
      name: "apply_patch",
      input:
        "*** Begin Patch\n*** Update File: src/importer.ts\n@@\n-a\n+b\n*** Add File: src/stream.ts\n+x\n*** End Patch",
    }, {
      id: "4",
      name: "update_plan",
      input: {
        plan: [
          { step: "Stream the parser", status: "completed" },
          { step: "Add a 1 GB test", status: "in_progress" },
          { step: "Update docs", status: "pending" },
        ],
      },
    }],
  }),
  msg("tool", "", {
    toolResults: [
      { callId: "3", output: "Done", isError: false },
      { callId: "4", output: "Plan updated", isError: false },
    ],
  }),
  msg("assistant", "Going with 64 KiB chunks. Next I will add the big test."),
  msg("user", "Also keep the old API working"),
]);

Deno.test("filesTouched() finds paths in arguments, patches and shell commands, edited first", () => {
  assert.deepEqual(filesTouched(SAMPLE).map((f) => [f.path, f.edited, f.calls]), [
    ["src/importer.ts", true, 2],
    ["src/stream.ts", true, 1],
    ["Cargo.toml", false, 1],
    ["src/csv/parse.ts", false, 1],
    ["tests/x_test.ts", false, 1],
  ]);
});

Deno.test("openTasks() lists the unfinished plan items and an unanswered request", () => {
  assert.deepEqual(openTasks(SAMPLE), [
    "Add a 1 GB test (in_progress)",
    "Update docs (pending)",
    "Unanswered request: Also keep the old API working",
  ]);
  const todo = session([
    msg("user", "go"),
    msg("assistant", "", {
      toolCalls: [{
        id: "t",
        name: "TodoWrite",
        input: { todos: [{ content: "Write tests", status: "pending" }] },
      }],
    }),
    msg("tool", "", { toolResults: [{ callId: "t", output: "ok", isError: false }] }),
    msg("assistant", "On it."),
  ]);
  assert.deepEqual(openTasks(todo), ["Write tests (pending)"]);
});

Deno.test("decisions() keeps the assistant's sentences that state a decision", () => {
  assert.deepEqual(decisions(SAMPLE), [
    "I decided to use a TransformStream instead of reading it all.",
    "Going with 64 KiB chunks.",
  ]);
});

Deno.test("renderHandoffBrief() has every section, says it is a new session, quotes the last turns", () => {
  const brief = renderHandoffBrief(SAMPLE, {
    sourceName: "Codex CLI",
    targetName: "Claude Code",
    lastTurns: 2,
  });
  assert.match(brief, /^Handoff brief from casr: Make the importer stream/);
  assert.match(brief, /This is a new Claude Code session\. It picks up work begun in Codex CLI/);
  assert.match(brief, /not loaded/);
  const sections = [...brief.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  assert.deepEqual(sections, ["Goal", "Decisions", "Files touched", "Open tasks", "Last 2 turns"]);
  assert.match(brief, /## Goal\n\n```text\nMake the importer stream large CSV files\n```/);
  assert.match(brief, /- `src\/importer\.ts` \(edited\)/);
  assert.match(brief, /### Assistant[^\n]*\n\n```text\nGoing with 64 KiB chunks/);
  assert.match(brief, /### User[^\n]*\n\n```text\nAlso keep the old API working\n```/);
  assert.doesNotMatch(brief, /Let me look/, "only the last 2 turns are quoted");
});

Deno.test("renderHandoffBrief() fences text holding backticks with a longer fence", () => {
  const brief = renderHandoffBrief(session([msg("user", "see ````js\nx\n````")]), {
    sourceName: "A",
    targetName: "B",
  });
  assert.match(brief, /`````text\nsee ````js\nx\n````\n`````/);
});

Deno.test("handoffStartCommand() passes the brief as the first prompt, with each agent's flag", () => {
  const claude = handoffStartCommand(
    getProvider("claude-code")!,
    "/work/app/.casr/handoff-x.md",
    "/work/app",
  );
  assert.equal(claude.shell, `cd /work/app && claude "$(cat .casr/handoff-x.md)"`);
  assert.deepEqual(claude.argv, ["sh", "-c", `claude "$(cat .casr/handoff-x.md)"`]);
  assert.match(claude.note ?? "", /NEW Claude Code session/);
  const gemini = handoffStartCommand(getProvider("gemini-cli")!, "/w s/.casr/h.md", "/w s");
  assert.equal(gemini.shell, `cd '/w s' && gemini -i "$(cat .casr/h.md)"`);
  const aider = handoffStartCommand(getProvider("aider")!, "/w/.casr/h.md", "/w");
  assert.match(aider.note ?? "", /has not checked/);
});

Deno.test("handoffStartCommand() follows each provider's startPrompt: flags, stdin, or a guess", () => {
  const opencode = handoffStartCommand(getProvider("opencode")!, "/w/.casr/h.md", "/w");
  assert.equal(opencode.shell, `cd /w && opencode --prompt "$(cat .casr/h.md)"`);
  const cline = handoffStartCommand(getProvider("cline")!, "/w/.casr/h.md", "/w");
  assert.equal(cline.shell, `cd /w && cline "$(cat .casr/h.md)"`);
  const roo = handoffStartCommand(getProvider("roo-code")!, "/w/.casr/h.md", "/w");
  assert.match(roo.note ?? "", /has not checked that "roo" takes a first prompt/);
  const amp = handoffStartCommand(getProvider("amp")!, "/w/.casr/h.md", "/w");
  assert.equal(amp.shell, "cd /w && amp < .casr/h.md");
  assert.deepEqual(amp.argv, ["sh", "-c", "amp < .casr/h.md"]);
  assert.equal(amp.note, "Starts a NEW Amp thread with the brief as its first message");
  const outside = handoffStartCommand(getProvider("codex")!, "/tmp/brief.md", "/w");
  assert.equal(outside.shell, `cd /w && codex "$(cat /tmp/brief.md)"`);
});
