import assert from "node:assert/strict";
import { decodeToolCall, encodeToolCall, mapToolCall, TOOL_FAMILIES } from "./tool_vocabulary.ts";
import type { ToolCall } from "../model/types.ts";
import { codexPatch, codexShell, SAMPLES } from "./testdata/tool_vocabulary_samples.ts";

Deno.test("every family of the table has hand-made samples", () => {
  assert.deepEqual(Object.keys(SAMPLES).sort(), Object.keys(TOOL_FAMILIES).sort());
});

for (const [family, samples] of Object.entries(SAMPLES)) {
  Deno.test(`${family}: each declared tool reads as its operation and is written back`, () => {
    for (const sample of samples) {
      const label = `${family} ${sample.name}`;
      assert.deepEqual(decodeToolCall(family, sample), sample.canonical, label);
      assert.deepEqual(
        encodeToolCall(family, sample.canonical),
        { name: sample.name, input: sample.input },
        label,
      );
    }
  });
}

const call = (name: string, input: unknown): ToolCall => ({ id: "call_1", name, input });

Deno.test("every pair of families: A -> B -> A gives the original name and input back", () => {
  const families = Object.keys(SAMPLES);
  for (const from of families) {
    for (const to of families) {
      for (const sample of SAMPLES[from] ?? []) {
        const original = call(sample.name, sample.input);
        const there = mapToolCall(original, from, to).call;
        const back = mapToolCall(there, to, from).call;
        assert.deepEqual(back, original, `${from} ${sample.name} -> ${to} (${there.name}) -> back`);
      }
    }
  }
});

Deno.test("mapping renames to the target's declared tool and arguments", () => {
  const bash = call("Bash", { command: "ls", description: "List" });
  assert.deepEqual(mapToolCall(bash, "claude", "gemini"), {
    call: call("run_shell_command", { command: "ls", description: "List" }),
    outcome: "mapped",
  });
  assert.deepEqual(mapToolCall(bash, "claude", "codex").call, {
    id: "call_1",
    name: "exec",
    input: "// List\n" + codexShell("ls"),
  });
  assert.deepEqual(
    mapToolCall(call("Write", { file_path: "/p/b.ts", content: "x\ny" }), "claude", "codex").call,
    call("exec", codexPatch("*** Begin Patch\n*** Add File: /p/b.ts\n+x\n+y\n*** End Patch")),
  );
  assert.deepEqual(
    mapToolCall(
      call("Edit", { file_path: "/p/a.ts", old_string: "a", new_string: "b" }),
      "claude",
      "cline",
    ).call,
    call("apply_patch", {
      input: "*** Begin Patch\n*** Update File: /p/a.ts\n@@\n-a\n+b\n*** End Patch",
    }),
  );
  assert.deepEqual(
    mapToolCall(call("Read", { file_path: "/p/a.ts" }), "claude", "gemini").call,
    call("read_file", { file_path: "/p/a.ts" }),
  );
  assert.deepEqual(
    mapToolCall(call("Edit", { file_path: "/a", old_string: "x", new_string: "y" }), "claude", "pi")
      .call,
    call("edit", { path: "/a", edits: [{ oldText: "x", newText: "y" }] }),
  );
  assert.deepEqual(
    mapToolCall(call("run_shell_command", { command: "ls", dir_path: "/p" }), "gemini", "droid")
      .call,
    call("Execute", { command: "ls", cwd: "/p" }),
  );
});

Deno.test("a description is a Codex script's first-line comment when it fits on one line", () => {
  const multi = call("Bash", { command: "ls", description: "List\nfiles" });
  assert.deepEqual(
    mapToolCall(multi, "claude", "codex").call,
    call("exec", codexShell("ls", ', description: "List\\nfiles"')),
  );
  const pragma = '// @exec: {"yield_time_ms": 1000}\n' + codexShell("ls");
  assert.deepEqual(decodeToolCall("codex", call("exec", pragma))?.args, {
    command: "ls",
    codex_exec_script: pragma,
  });
  for (const original of [multi, call("Bash", { command: "ls", description: "List" })]) {
    const there = mapToolCall(original, "claude", "codex").call;
    assert.deepEqual(mapToolCall(there, "codex", "claude").call, original);
  }
});

Deno.test("older versions' tools are read and written as the current ones", () => {
  const cases: [string, string, unknown, string, unknown][] = [
    ["codex", "shell", { command: ["bash", "-lc", "ls -la"], workdir: "/p" }, "Bash", {
      command: "ls -la",
      cwd: "/p",
    }],
    ["codex", "exec_command", { cmd: "ls", yield_time_ms: 500 }, "Bash", {
      command: "ls",
      yield_time_ms: 500,
    }],
    ["codex", "shell_command", { command: "ls", workdir: "/p" }, "Bash", {
      command: "ls",
      cwd: "/p",
    }],
    ["codex", "local_shell", { type: "exec", command: ["ls", "-la"] }, "Bash", {
      command: "ls -la",
    }],
    ["codex", "web_search", { type: "search", query: "deno" }, "WebSearch", { query: "deno" }],
    ["gemini", "read_file", { absolute_path: "/p/a.ts" }, "Read", { file_path: "/p/a.ts" }],
    ["cline", "execute_command", { command: "ls", requires_approval: false }, "Bash", {
      command: "ls",
      requires_approval: false,
    }],
    ["cline", "search_files", { path: "/p", regex: "TODO", file_pattern: "*.ts" }, "Grep", {
      pattern: "TODO",
      path: "/p",
      glob: "*.ts",
    }],
    ["cursor", "Shell", { command: "ls", working_directory: "/p" }, "Bash", {
      command: "ls",
      cwd: "/p",
    }],
    ["kiro", "execute_bash", { command: "ls", summary: "List" }, "Bash", {
      command: "ls",
      description: "List",
    }],
  ];
  for (const [family, name, input, claudeName, claudeInput] of cases) {
    assert.deepEqual(
      mapToolCall(call(name, input), family, "claude").call,
      call(claudeName, claudeInput),
      `${family} ${name}`,
    );
  }
});

Deno.test("calls without an equivalent keep their names and inputs", () => {
  const outcomes: [ToolCall, string, string, string][] = [
    [call("Grep", { pattern: "x" }), "claude", "codex", "no-equivalent"],
    [
      call("Edit", { file_path: "/a", old_string: "x", new_string: "y", replace_all: true }),
      "claude",
      "codex",
      "no-equivalent",
    ],
    [
      call("apply_patch", {
        input: "*** Begin Patch\n*** Update File: a\n@@\n a\n-b\n*** End Patch",
      }),
      "cline",
      "claude",
      "unknown-tool",
    ],
    [call("list_directory", { dir_path: "/p" }), "gemini", "claude", "no-equivalent"],
    [call("Skill", { skill: "go" }), "claude", "gemini", "unknown-tool"],
    [call("Agent", { prompt: "go" }), "claude", "codex", "no-equivalent"],
    [call("run_commands", { commands: ["a", "b"] }), "cline", "claude", "unknown-tool"],
    [call("Glob", { patterns: ["*.js", "*.ts"] }), "droid", "claude", "unknown-tool"],
    [
      call(
        "exec",
        "const a = await tools.exec_command({ cmd: 'a' });\nawait tools.exec_command({ cmd: 'b' });",
      ),
      "codex",
      "claude",
      "unknown-tool",
    ],
    [call("Bash", { command: "ls" }), "claude", "claude", "same"],
  ];
  for (const [original, from, to, outcome] of outcomes) {
    const out = mapToolCall(original, from, to);
    assert.deepEqual(out, { call: original, outcome }, `${original.name} ${from} -> ${to}`);
  }
});

Deno.test("a Codex exec script written otherwise is kept, and comes back as it was", () => {
  // From fixtures/codex (Codex 0.169.0, multi-tool): the call carries an exit-code check too.
  const script =
    "const r = await tools.exec_command({ cmd: \"printf 'line one\\\\nline two\\\\n'\" });\n" +
    'text(typeof r === "string" ? r : r.output);\n' +
    'if (typeof r !== "string" && r.exit_code) throw new Error(`exit code ${r.exit_code}`);';
  assert.deepEqual(decodeToolCall("codex", { name: "exec", input: script }), {
    op: "shell",
    args: { command: "printf 'line one\\nline two\\n'", codex_exec_script: script },
  });
  const claude = mapToolCall(call("exec", script), "codex", "claude").call;
  assert.equal(claude.name, "Bash");
  assert.deepEqual(mapToolCall(claude, "claude", "codex").call, call("exec", script));
  // A call changed since (another command) is written afresh, not as the stale script.
  const changed = call("Bash", { ...(claude.input as object), command: "ls" });
  assert.deepEqual(mapToolCall(changed, "claude", "codex").call, call("exec", codexShell("ls")));
});

Deno.test("Codex exec scripts are read only when they make one call with literal arguments", () => {
  const read = (script: string) => decodeToolCall("codex", { name: "exec", input: script });
  assert.deepEqual(
    read("await tools.exec_command({'cmd': 'it\\'s', login: false, n: -1.5})")?.args,
    {
      command: "it's",
      login: false,
      n: -1.5,
      codex_exec_script: "await tools.exec_command({'cmd': 'it\\'s', login: false, n: -1.5})",
    },
  );
  assert.equal(read("await tools.exec_command({ cmd: `ls ${dir}` })"), undefined);
  assert.equal(read("await tools.exec_command({ cmd: command })"), undefined);
  assert.equal(read("text('no nested call')"), undefined);
});

Deno.test("an unknown family is refused", () => {
  assert.throws(() => mapToolCall(call("Bash", {}), "claude", "nope"), RangeError);
  assert.throws(() => decodeToolCall("nope", call("Bash", {})), RangeError);
});

Deno.test("a subagent call becomes the target's own subagent tool and comes back", () => {
  const original = call("Agent", {
    description: "Check the workspace",
    prompt: "List the files",
    subagent_type: "general-purpose",
  });
  const gemini = mapToolCall(original, "claude", "gemini");
  assert.equal(gemini.outcome, "mapped");
  assert.deepEqual(gemini.call, {
    id: "call_1",
    name: "invoke_agent",
    input: {
      description: "Check the workspace",
      prompt: "List the files",
      agent_name: "general-purpose",
    },
  });
  const copilot = mapToolCall(gemini.call, "gemini", "copilot");
  assert.equal(copilot.call.name, "task");
  assert.equal((copilot.call.input as Record<string, unknown>).agent_type, "general-purpose");
  const cline = mapToolCall(original, "claude", "cline");
  assert.deepEqual(cline.call.input, {
    description: "Check the workspace",
    task: "List the files",
    subagent_type: "general-purpose",
  });
  assert.deepEqual(mapToolCall(cline.call, "cline", "claude").call, original);
  assert.deepEqual(mapToolCall(copilot.call, "copilot", "claude").call, original);
});

Deno.test("Factory Droid's Task, Create and Edit map to and from the other families", () => {
  // The subagent call of the Droid messy fixture (hand-copied from it).
  const task = call("Task", {
    subagent_type: "workspace-checker",
    description: "Check the workspace",
    prompt: "Subagent task: report on the workspace in one line.",
  });
  const claude = mapToolCall(task, "droid", "claude");
  assert.deepEqual(claude, { call: { ...task, name: "Agent" }, outcome: "mapped" });
  assert.equal(mapToolCall(task, "droid", "opencode").call.name, "task");
  assert.deepEqual(mapToolCall(claude.call, "claude", "droid").call, task);
  assert.equal(mapToolCall(task, "droid", "codex").outcome, "no-equivalent");
  assert.deepEqual(
    mapToolCall(call("Write", { file_path: "/p/b.ts", content: "x" }), "claude", "droid").call,
    call("Create", { file_path: "/p/b.ts", content: "x" }),
  );
  assert.deepEqual(
    mapToolCall(
      call("edit", { filePath: "/p/a.ts", oldString: "a", newString: "b", replaceAll: true }),
      "opencode",
      "droid",
    ).call,
    call("Edit", { file_path: "/p/a.ts", old_str: "a", new_str: "b", change_all: true }),
  );
});
