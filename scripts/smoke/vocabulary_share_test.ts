import assert from "node:assert/strict";
import type { ToolCall, Turn } from "./history.ts";
import {
  callOperations,
  formatShare,
  isBelow,
  mappedShare,
  totalShare,
  vocabularyShare,
} from "./vocabulary_share.ts";

/** Hand-made history: a Gemini request replaying one foreign and one own call. */
const turns: Turn[] = [
  { role: "user", text: "run it", toolCalls: [], toolResults: [] },
  {
    role: "assistant",
    text: "",
    toolCalls: [
      { name: "Bash", input: { command: "ls" }, id: "a" },
      { name: "run_shell_command", input: { command: "pwd" }, id: "b" },
    ],
    toolResults: [],
  },
  { role: "tool", text: "", toolCalls: [], toolResults: [{ output: "x", id: "a" }] },
];

Deno.test("vocabularyShare() counts history calls named like a declared tool", () => {
  const share = vocabularyShare(turns, ["run_shell_command", "read_file"]);
  assert.deepEqual(share, { calls: 2, declared: 1 });
  assert.equal(formatShare(share), "1/2 (50%)");
  assert.deepEqual(vocabularyShare(turns, []), { calls: 2, declared: 0 });
  assert.equal(formatShare({ calls: 0, declared: 0 }), "0/0");
});

Deno.test("totalShare() adds cells up and skips cells without a share", () => {
  assert.deepEqual(
    totalShare([{ calls: 3, declared: 3 }, undefined, { calls: 2, declared: 0 }]),
    { calls: 5, declared: 3, cells: 2 },
  );
});

function assistant(...toolCalls: ToolCall[]): Turn {
  return { role: "assistant", text: "", toolCalls, toolResults: [] };
}

Deno.test("callOperations() reads a mapped call, a kept call and a wrapped Codex script", () => {
  // Mapped to the target's name: decodes in the target's family.
  assert.deepEqual(
    callOperations({ name: "read_file", input: { file_path: "/p/a" } }, "claude", "gemini"),
    ["read"],
  );
  // Kept with the source's name: decodes in the source's family.
  assert.deepEqual(
    callOperations({ name: "Read", input: { file_path: "/p/a" } }, "claude", "codex"),
    ["read"],
  );
  // A Codex `exec` script as an object-only wire carries it: `{ input }`.
  const script = 'const r = await tools.view_image({ path: "/p/a.png" });\nimage(r.image_url);';
  assert.deepEqual(callOperations({ name: "exec", input: { input: script } }, "codex", "claude"), [
    "image",
  ]);
  // Arguments the table cannot read: every operation of that name.
  assert.deepEqual(callOperations({ name: "Read", input: { file_path: 7 } }, "claude", "gemini"), [
    "read",
  ]);
  assert.deepEqual(callOperations({ name: "TodoWrite", input: {} }, "claude", "gemini"), []);
});

Deno.test("mappedShare() counts only calls whose operation both families have", () => {
  // Hand-made Claude Code history as a resumed Gemini CLI would send it.
  const history: Turn[] = [
    assistant(
      { name: "run_shell_command", input: { command: "ls" } }, // mapped, declared
      { name: "Read", input: { file_path: 7 } }, // read exists in both, kept: not declared
      { name: "TodoWrite", input: { todos: [] } }, // no operation: not counted
    ),
    assistant({ name: "invoke_agent", input: { agent_name: "x", prompt: "go" } }),
  ];
  const offered = ["run_shell_command", "read_file", "invoke_agent"];
  assert.deepEqual(mappedShare(history, offered, "claude", "gemini"), {
    calls: 3,
    declared: 2,
    undeclared: ["Read (read)"],
  });
  // Codex has no read and no subagent tool: only the shell call has an equivalent.
  const kept: Turn[] = [
    assistant(
      { name: "Bash", input: { command: "ls" } },
      { name: "Read", input: { file_path: "/p/a" } },
      { name: "Agent", input: { prompt: "go", description: "d", subagent_type: "x" } },
    ),
  ];
  assert.deepEqual(mappedShare(kept, ["exec"], "claude", "codex"), {
    calls: 1,
    declared: 0,
    undeclared: ["Bash (shell)"],
  });
  // A source family's read-only name still counts as having the operation.
  const old: Turn[] = [assistant({ name: "list_directory", input: { dir_path: "/p" } })];
  assert.deepEqual(mappedShare(old, ["list_directory"], "qwen", "gemini"), {
    calls: 1,
    declared: 1,
    undeclared: [],
  });
  // ... but a target's read-only name is nothing to map to.
  const list: Turn[] = [assistant({ name: "list_directory", input: { dir_path: "/p" } })];
  assert.equal(mappedShare(list, [], "gemini", "claude").calls, 0);
});

Deno.test("isBelow() compares the declared fraction", () => {
  assert.equal(isBelow({ calls: 10, declared: 9 }, 0.9), false);
  assert.equal(isBelow({ calls: 4, declared: 3 }, 0.9), true);
  assert.equal(isBelow({ calls: 0, declared: 0 }, 0.9), false);
});
