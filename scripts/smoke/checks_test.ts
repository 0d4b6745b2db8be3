import assert from "node:assert/strict";
import {
  checkResumedHistory,
  type ExpectedTurn,
  lintToolPairs,
  lintWireConstraints,
  toolsNotOffered,
} from "./checks.ts";
import type { Turn } from "./history.ts";

function turn(role: Turn["role"], text: string, extra: Partial<Turn> = {}): Turn {
  return { role, text, toolCalls: [], toolResults: [], ...extra };
}

const EXPECTED: ExpectedTurn[] = [
  { role: "user", text: "run it" },
  { role: "assistant", text: "Running.", toolCalls: [{ name: "Bash", command: "echo hi" }] },
  { role: "tool", text: "hi" },
  { role: "assistant", text: "Done." },
];

const GOOD: Turn[] = [
  turn("user", "<ctx>\nrun it"),
  turn("assistant", "Running.", {
    toolCalls: [{ name: "Bash", input: { command: "echo hi" }, id: "t1" }],
  }),
  turn("tool", "", { toolResults: [{ output: "hi\n", id: "t1" }] }),
  turn("assistant", "Done."),
  turn("user", "casr smoke"),
];

Deno.test("checkResumedHistory() passes a complete, ordered history", () => {
  const result = checkResumedHistory(GOOD, EXPECTED, "casr smoke");
  assert.deepEqual(result, { ok: true, problems: [], notes: [] });
});

Deno.test("checkResumedHistory() fails when the new prompt is absent", () => {
  const result = checkResumedHistory(GOOD.slice(0, -1), EXPECTED, "casr smoke");
  assert.equal(result.ok, false);
  assert.match(result.problems[0] ?? "", /does not carry the new prompt/);
});

Deno.test("checkResumedHistory() reports a turn that lost its role", () => {
  const turns = [GOOD[0], GOOD[1], GOOD[2], turn("user", "Done."), GOOD[4]] as Turn[];
  const result = checkResumedHistory(turns, EXPECTED, "casr smoke");
  assert.equal(result.ok, false);
  assert.match(result.problems.join(), /assistant turn "Done\." found with role user/);
});

Deno.test("checkResumedHistory() reports tool calls flattened into text", () => {
  const turns = [
    turn("user", "run it"),
    turn("assistant", "Running.\n[tool: Bash echo hi]"),
    turn("user", "hi"),
    turn("assistant", "Done."),
    turn("user", "casr smoke"),
  ];
  const result = checkResumedHistory(turns, EXPECTED, "casr smoke");
  assert.equal(result.ok, false);
  assert.ok(result.problems.some((problem) => problem.includes("0 structured tool call(s)")));
});

Deno.test("checkResumedHistory() reports turns out of order", () => {
  const turns = [GOOD[3], GOOD[0], GOOD[1], GOOD[2], GOOD[4]] as Turn[];
  const result = checkResumedHistory(turns, EXPECTED, "casr smoke");
  assert.equal(result.ok, false);
  assert.match(result.problems.join(), /out of order/);
});

Deno.test("checkResumedHistory() ignores history after the new prompt", () => {
  const turns = [GOOD[4], ...GOOD.slice(0, 4)] as Turn[];
  const result = checkResumedHistory(turns, EXPECTED, "casr smoke");
  assert.equal(result.ok, false);
});

Deno.test("checkResumedHistory() notes a tool result sent twice", () => {
  const turns = GOOD.map((t) =>
    t.role === "tool" ? { ...t, toolResults: [...t.toolResults, ...t.toolResults] } : t
  );
  const result = checkResumedHistory(turns, EXPECTED, "casr smoke");
  assert.equal(result.ok, true);
  assert.deepEqual(result.notes, ["tool result for id t1 is sent 2 times"]);
});

const PARALLEL_EXPECTED: ExpectedTurn[] = [
  { role: "user", text: "run both" },
  {
    role: "assistant",
    text: "Running both.",
    toolCalls: [
      { name: "Bash", command: "printf 'line one\\nline two\\n'" },
      { name: "Bash", command: "ls /nope" },
    ],
  },
  { role: "tool", text: "No such file or directory", error: true },
  { role: "tool", text: "line one\nline two" },
  { role: "assistant", text: "Done." },
];

function parallelTurns(results: { output: string; id: string }[]): Turn[] {
  return [
    turn("user", "run both"),
    turn("assistant", "Running both.", {
      toolCalls: [
        { name: "Bash", input: { command: "printf 'line one\\nline two\\n'" }, id: "a" },
        { name: "Bash", input: { command: "ls /nope" }, id: "b" },
      ],
    }),
    turn("tool", "", { toolResults: results }),
    turn("assistant", "Done."),
    turn("user", "casr smoke"),
  ];
}

Deno.test("checkResumedHistory() matches parallel results in one tool turn, in any order", () => {
  const both = [
    { output: "line one\nline two\n", id: "a" },
    { output: "ls: cannot access '/nope': No such file or directory", id: "b" },
  ];
  assert.deepEqual(checkResumedHistory(parallelTurns(both), PARALLEL_EXPECTED, "casr smoke"), {
    ok: true,
    problems: [],
    notes: [],
  });
  const reversed = checkResumedHistory(
    parallelTurns([...both].reverse()),
    PARALLEL_EXPECTED,
    "casr smoke",
  );
  assert.equal(reversed.ok, true, reversed.problems.join("; "));
});

Deno.test("checkResumedHistory() does not let one result stand for two parallel results", () => {
  const expected = PARALLEL_EXPECTED.map((t) => t.role === "tool" ? { ...t, text: "line" } : t);
  const one = parallelTurns([
    { output: "line one\nline two\n", id: "a" },
    { output: "ls: cannot access '/nope': No such file or directory", id: "b" },
  ]);
  const result = checkResumedHistory(one, expected, "casr smoke");
  assert.equal(result.ok, false);
  assert.match(result.problems.join(), /tool turn "line" is missing/);
});

Deno.test("checkResumedHistory() reports the lost result of a parallel call", () => {
  const result = checkResumedHistory(
    parallelTurns([{ output: "line one\nline two\n", id: "a" }]),
    PARALLEL_EXPECTED,
    "casr smoke",
  );
  assert.equal(result.ok, false);
  assert.ok(result.problems.includes('tool turn "No such file or directory" is missing'));
  assert.ok(result.problems.includes("tool call Bash (id b) has no result"));
});

Deno.test("checkResumedHistory() finds a command with backslashes in a Codex exec input", () => {
  const turns = parallelTurns([
    { output: "line one\nline two\n", id: "a" },
    { output: "No such file or directory", id: "b" },
  ]);
  const js = (command: string) => `await tools.exec_command({ cmd: ${JSON.stringify(command)} })`;
  turns[1] = turn("assistant", "Running both.", {
    toolCalls: [
      { name: "exec", input: js("printf 'line one\\nline two\\n'"), id: "a" },
      { name: "exec", input: js("ls /nope"), id: "b" },
    ],
  });
  const result = checkResumedHistory(turns, PARALLEL_EXPECTED, "casr smoke");
  assert.equal(result.ok, true, result.problems.join("; "));
});

Deno.test("lintToolPairs() finds orphan calls, orphan results and aborted outputs", () => {
  assert.deepEqual(
    lintToolPairs([
      turn("assistant", "", { toolCalls: [{ name: "Bash", input: {}, id: "a" }] }),
      turn("user", "next"),
    ]),
    ["tool call Bash (id a) has no result"],
  );
  assert.deepEqual(
    lintToolPairs([turn("tool", "", { toolResults: [{ output: "x", id: "zz" }] })]),
    ["tool result for id zz has no tool call"],
  );
  assert.deepEqual(
    lintToolPairs([
      turn("assistant", "", { toolCalls: [{ name: "exec", input: "", id: "c" }] }),
      turn("tool", "", { toolResults: [{ output: "aborted", id: "c" }] }),
    ]),
    ['tool call exec (id c) has a synthetic "aborted" result'],
  );
});

Deno.test("lintWireConstraints() rejects Anthropic tool ids outside the API pattern", () => {
  const turns = [
    turn("assistant", "", { toolCalls: [{ name: "Bash", input: {}, id: "call:1" }] }),
    turn("tool", "", { toolResults: [{ output: "x", id: "call:1" }] }),
  ];
  assert.deepEqual(lintWireConstraints("anthropic", turns), [
    'tool id "call:1" does not match Anthropic\'s pattern ^[a-zA-Z0-9_-]+$',
  ]);
  assert.deepEqual(lintWireConstraints("gemini", turns), []);
});

Deno.test("toolsNotOffered() names history tools the request does not offer", () => {
  const turns = [turn("assistant", "", { toolCalls: [{ name: "exec", input: "" }] })];
  assert.deepEqual(toolsNotOffered(turns, ["Bash"]), [
    "history calls tool(s) the target does not offer: exec",
  ]);
  assert.deepEqual(toolsNotOffered(turns, ["exec"]), []);
});

Deno.test("checkResumedHistory() counts casr's image placeholders only for a target without images", () => {
  const expected: ExpectedTurn[] = [
    { role: "user", text: "look", images: 1 },
    { role: "assistant", text: "Reading.", toolCalls: [{ name: "Read", command: "a.png" }] },
    { role: "tool", text: "Read image", images: 1 },
    { role: "assistant", text: "A red dot." },
  ];
  const history = (userImages: number, placeholder: string): Turn[] => [
    turn("user", `look\n${placeholder}`, { images: userImages }),
    turn("assistant", "Reading.", {
      toolCalls: [{ name: "Read", input: { file_path: "a.png" }, id: "t1" }],
    }),
    turn("tool", "", {
      toolResults: [{ output: `Read image\n${placeholder}`, id: "t1", images: userImages }],
    }),
    turn("assistant", "A red dot."),
    turn("user", "casr smoke"),
  ];
  const named = "[image: /tmp/a.png (image/png, 70 bytes)]";
  // Real images pass either way.
  assert.deepEqual(checkResumedHistory(history(1, ""), expected, "casr smoke").problems, []);
  // A named placeholder stands for the image only where the target has no form for images.
  assert.deepEqual(
    checkResumedHistory(history(0, named), expected, "casr smoke", { imagesAsText: true }).problems,
    [],
  );
  const strict = checkResumedHistory(history(0, named), expected, "casr smoke");
  assert.match(strict.problems[0] ?? "", /lost its image\(s\): 0 of 1/);
  // An image dropped without a placeholder fails in both modes.
  const dropped = checkResumedHistory(history(0, ""), expected, "casr smoke", {
    imagesAsText: true,
  });
  assert.match(dropped.problems[0] ?? "", /lost its image\(s\)/);
});
