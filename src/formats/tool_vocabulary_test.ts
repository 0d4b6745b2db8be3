import assert from "node:assert/strict";
import {
  type CanonicalToolCall,
  decodeToolCall,
  encodeToolCall,
  mapToolCall,
  TOOL_FAMILIES,
} from "./tool_vocabulary.ts";
import type { ToolCall } from "../model/types.ts";

type Sample = { name: string; input: unknown; canonical: CanonicalToolCall };

const codexShell = (cmd: string, more = ""): string =>
  `const r = await tools.exec_command({ cmd: ${JSON.stringify(cmd)}${more} });\n` +
  'text(typeof r === "string" ? r : r.output);';

/**
 * Hand-made calls, one per tool a family maps to, in the shape each agent's
 * declared schema gives (see tool_vocabulary_families.ts for the evidence),
 * with the canonical operation each must read as.
 */
const SAMPLES: Record<string, Sample[]> = {
  claude: [
    {
      name: "Bash",
      input: { command: "ls -la", description: "List files", timeout: 5000 },
      canonical: {
        op: "shell",
        args: { command: "ls -la", description: "List files", timeout: 5000 },
      },
    },
    {
      name: "Read",
      input: { file_path: "/p/a.ts", offset: 10, limit: 5 },
      canonical: { op: "read", args: { path: "/p/a.ts", offset: 10, limit: 5 } },
    },
    {
      name: "Write",
      input: { file_path: "/p/b.ts", content: "x\n" },
      canonical: { op: "write", args: { path: "/p/b.ts", content: "x\n" } },
    },
    {
      name: "Edit",
      input: { file_path: "/p/a.ts", old_string: "a", new_string: "b", replace_all: true },
      canonical: {
        op: "edit",
        args: { path: "/p/a.ts", old_string: "a", new_string: "b", replace_all: true },
      },
    },
    {
      name: "Grep",
      input: { pattern: "TODO", path: "/p", glob: "*.ts", output_mode: "content" },
      canonical: {
        op: "grep",
        args: { pattern: "TODO", path: "/p", glob: "*.ts", output_mode: "content" },
      },
    },
    {
      name: "Glob",
      input: { pattern: "**/*.md", path: "/p" },
      canonical: { op: "glob", args: { pattern: "**/*.md", path: "/p" } },
    },
    {
      name: "WebFetch",
      input: { url: "https://example.com/a", prompt: "Summarize it" },
      canonical: { op: "fetch", args: { url: "https://example.com/a", prompt: "Summarize it" } },
    },
    {
      name: "WebSearch",
      input: { query: "deno fmt" },
      canonical: { op: "search", args: { query: "deno fmt" } },
    },
  ],
  codex: [
    {
      name: "exec",
      input: codexShell("ls -la", ', workdir: "/p", yield_time_ms: 1000'),
      canonical: { op: "shell", args: { command: "ls -la", cwd: "/p", yield_time_ms: 1000 } },
    },
    {
      name: "exec",
      input: 'const r = await tools.view_image({ path: "/p/shot.png" });\n' +
        'text(typeof r === "string" ? r : r.output);',
      canonical: { op: "image", args: { path: "/p/shot.png" } },
    },
  ],
  gemini: [
    {
      name: "run_shell_command",
      input: { command: "ls -la", description: "List files", dir_path: "/p" },
      canonical: { op: "shell", args: { command: "ls -la", description: "List files", cwd: "/p" } },
    },
    {
      name: "read_file",
      input: { file_path: "/p/a.ts", start_line: 10, end_line: 14 },
      canonical: { op: "read", args: { path: "/p/a.ts", offset: 10, limit: 5 } },
    },
    {
      name: "write_file",
      input: { file_path: "/p/b.ts", content: "x\n" },
      canonical: { op: "write", args: { path: "/p/b.ts", content: "x\n" } },
    },
    {
      name: "replace",
      input: {
        file_path: "/p/a.ts",
        instruction: "Rename a",
        old_string: "a",
        new_string: "b",
        allow_multiple: true,
      },
      canonical: {
        op: "edit",
        args: {
          path: "/p/a.ts",
          instruction: "Rename a",
          old_string: "a",
          new_string: "b",
          replace_all: true,
        },
      },
    },
    {
      name: "grep_search",
      input: { pattern: "TODO", dir_path: "/p", include_pattern: "*.ts" },
      canonical: { op: "grep", args: { pattern: "TODO", path: "/p", glob: "*.ts" } },
    },
    {
      name: "glob",
      input: { pattern: "**/*.md", dir_path: "/p" },
      canonical: { op: "glob", args: { pattern: "**/*.md", path: "/p" } },
    },
    {
      name: "list_directory",
      input: { dir_path: "/p" },
      canonical: { op: "list", args: { path: "/p" } },
    },
    {
      name: "web_fetch",
      input: { prompt: "https://example.com/a\nSummarize it" },
      canonical: { op: "fetch", args: { url: "https://example.com/a", prompt: "Summarize it" } },
    },
    {
      name: "google_web_search",
      input: { query: "deno fmt" },
      canonical: { op: "search", args: { query: "deno fmt" } },
    },
  ],
  qwen: [
    {
      name: "run_shell_command",
      input: { command: "ls", description: "List", directory: "/p", is_background: false },
      canonical: {
        op: "shell",
        args: { command: "ls", description: "List", cwd: "/p", is_background: false },
      },
    },
    {
      name: "read_file",
      input: { file_path: "/p/a.ts", offset: 3, limit: 2 },
      canonical: { op: "read", args: { path: "/p/a.ts", offset: 3, limit: 2 } },
    },
    {
      name: "write_file",
      input: { file_path: "/p/b.ts", content: "x" },
      canonical: { op: "write", args: { path: "/p/b.ts", content: "x" } },
    },
    {
      name: "edit",
      input: { file_path: "/p/a.ts", old_string: "a", new_string: "b" },
      canonical: { op: "edit", args: { path: "/p/a.ts", old_string: "a", new_string: "b" } },
    },
    {
      name: "grep_search",
      input: { pattern: "TODO", path: "/p", glob: "*.ts", limit: 20 },
      canonical: { op: "grep", args: { pattern: "TODO", path: "/p", glob: "*.ts", limit: 20 } },
    },
    {
      name: "glob",
      input: { pattern: "*.md" },
      canonical: { op: "glob", args: { pattern: "*.md" } },
    },
  ],
  opencode: [
    {
      name: "bash",
      input: { command: "ls", workdir: "/p", description: "List" },
      canonical: { op: "shell", args: { command: "ls", cwd: "/p", description: "List" } },
    },
    {
      name: "read",
      input: { filePath: "/p/a.ts", offset: 1, limit: 50 },
      canonical: { op: "read", args: { path: "/p/a.ts", offset: 1, limit: 50 } },
    },
    {
      name: "write",
      input: { filePath: "/p/b.ts", content: "x" },
      canonical: { op: "write", args: { path: "/p/b.ts", content: "x" } },
    },
    {
      name: "edit",
      input: { filePath: "/p/a.ts", oldString: "a", newString: "b", replaceAll: false },
      canonical: {
        op: "edit",
        args: { path: "/p/a.ts", old_string: "a", new_string: "b", replace_all: false },
      },
    },
    {
      name: "grep",
      input: { pattern: "TODO", path: "/p", include: "*.ts" },
      canonical: { op: "grep", args: { pattern: "TODO", path: "/p", glob: "*.ts" } },
    },
    {
      name: "glob",
      input: { pattern: "*.md", path: "/p" },
      canonical: { op: "glob", args: { pattern: "*.md", path: "/p" } },
    },
    {
      name: "webfetch",
      input: { url: "https://example.com/a", format: "markdown" },
      canonical: { op: "fetch", args: { url: "https://example.com/a", format: "markdown" } },
    },
  ],
  cline: [
    {
      name: "run_commands",
      input: { commands: ["ls -la"] },
      canonical: { op: "shell", args: { command: "ls -la" } },
    },
    {
      name: "read_files",
      input: { files: [{ path: "/p/a.ts", start_line: 2, end_line: 3 }] },
      canonical: { op: "read", args: { path: "/p/a.ts", offset: 2, limit: 2 } },
    },
    {
      name: "search_codebase",
      input: { queries: ["TODO"] },
      canonical: { op: "grep", args: { pattern: "TODO" } },
    },
    {
      name: "fetch_web_content",
      input: { requests: [{ url: "https://example.com/a", prompt: "Summarize it" }] },
      canonical: { op: "fetch", args: { url: "https://example.com/a", prompt: "Summarize it" } },
    },
  ],
  copilot: [
    {
      name: "bash",
      input: { command: "ls", description: "List", mode: "sync" },
      canonical: { op: "shell", args: { command: "ls", description: "List", mode: "sync" } },
    },
    {
      name: "view",
      input: { path: "/p/a.ts", view_range: [10, 14] },
      canonical: { op: "read", args: { path: "/p/a.ts", offset: 10, limit: 5 } },
    },
    {
      name: "create",
      input: { path: "/p/b.ts", file_text: "x" },
      canonical: { op: "write", args: { path: "/p/b.ts", content: "x" } },
    },
    {
      name: "edit",
      input: { path: "/p/a.ts", old_str: "a", new_str: "b" },
      canonical: { op: "edit", args: { path: "/p/a.ts", old_string: "a", new_string: "b" } },
    },
    {
      name: "grep",
      input: { pattern: "TODO", paths: "/p", glob: "*.ts", "-i": true },
      canonical: { op: "grep", args: { pattern: "TODO", path: "/p", glob: "*.ts", "-i": true } },
    },
    {
      name: "glob",
      input: { pattern: "*.md", paths: "/p" },
      canonical: { op: "glob", args: { pattern: "*.md", path: "/p" } },
    },
    {
      name: "web_fetch",
      input: { url: "https://example.com/a", max_length: 5000 },
      canonical: { op: "fetch", args: { url: "https://example.com/a", max_length: 5000 } },
    },
  ],
  pi: [
    {
      name: "bash",
      input: { command: "ls", timeout: 30 },
      canonical: { op: "shell", args: { command: "ls", timeout: 30 } },
    },
    {
      name: "read",
      input: { path: "/p/a.ts", offset: 1, limit: 20 },
      canonical: { op: "read", args: { path: "/p/a.ts", offset: 1, limit: 20 } },
    },
    {
      name: "write",
      input: { path: "/p/b.ts", content: "x" },
      canonical: { op: "write", args: { path: "/p/b.ts", content: "x" } },
    },
    {
      name: "edit",
      input: { path: "/p/a.ts", edits: [{ oldText: "a", newText: "b" }] },
      canonical: { op: "edit", args: { path: "/p/a.ts", old_string: "a", new_string: "b" } },
    },
  ],
  kimi: [
    {
      name: "Bash",
      input: { command: "ls", cwd: "/p", description: "List" },
      canonical: { op: "shell", args: { command: "ls", cwd: "/p", description: "List" } },
    },
    {
      name: "Read",
      input: { path: "/p/a.ts", line_offset: 4, n_lines: 2 },
      canonical: { op: "read", args: { path: "/p/a.ts", offset: 4, limit: 2 } },
    },
    {
      name: "Write",
      input: { path: "/p/b.ts", content: "x", mode: "overwrite" },
      canonical: { op: "write", args: { path: "/p/b.ts", content: "x", mode: "overwrite" } },
    },
    {
      name: "Edit",
      input: { path: "/p/a.ts", old_string: "a", new_string: "b", replace_all: true },
      canonical: {
        op: "edit",
        args: { path: "/p/a.ts", old_string: "a", new_string: "b", replace_all: true },
      },
    },
    {
      name: "Grep",
      input: { pattern: "TODO", path: "/p", glob: "*.ts" },
      canonical: { op: "grep", args: { pattern: "TODO", path: "/p", glob: "*.ts" } },
    },
    {
      name: "Glob",
      input: { pattern: "*.md", path: "/p" },
      canonical: { op: "glob", args: { pattern: "*.md", path: "/p" } },
    },
    {
      name: "FetchURL",
      input: { url: "https://example.com/a" },
      canonical: { op: "fetch", args: { url: "https://example.com/a" } },
    },
    {
      name: "WebSearch",
      input: { query: "deno fmt" },
      canonical: { op: "search", args: { query: "deno fmt" } },
    },
    {
      name: "ReadMediaFile",
      input: { path: "/p/shot.png" },
      canonical: { op: "image", args: { path: "/p/shot.png" } },
    },
  ],
  droid: [
    {
      name: "Execute",
      input: { command: "ls", summary: "List", riskLevel: "low", riskLevelReason: "Read-only" },
      canonical: {
        op: "shell",
        args: {
          command: "ls",
          description: "List",
          riskLevel: "low",
          riskLevelReason: "Read-only",
        },
      },
    },
    {
      name: "Read",
      input: { file_path: "/p/a.ts", offset: 1, limit: 2 },
      canonical: { op: "read", args: { path: "/p/a.ts", offset: 1, limit: 2 } },
    },
    {
      name: "Grep",
      input: { pattern: "TODO", path: "/p", glob_pattern: "*.ts" },
      canonical: { op: "grep", args: { pattern: "TODO", path: "/p", glob: "*.ts" } },
    },
    {
      name: "Glob",
      input: { patterns: "*.md", folder: "/p" },
      canonical: { op: "glob", args: { pattern: "*.md", path: "/p" } },
    },
    {
      name: "LS",
      input: { directory_path: "/p" },
      canonical: { op: "list", args: { path: "/p" } },
    },
  ],
  openclaw: [
    {
      name: "exec",
      input: { command: "ls", workdir: "/p", title: "List", yieldMs: 100 },
      canonical: {
        op: "shell",
        args: { command: "ls", cwd: "/p", description: "List", yieldMs: 100 },
      },
    },
    {
      name: "read",
      input: { path: "/p/a.ts", offset: 1, limit: 2 },
      canonical: { op: "read", args: { path: "/p/a.ts", offset: 1, limit: 2 } },
    },
    {
      name: "write",
      input: { path: "/p/b.ts", content: "x" },
      canonical: { op: "write", args: { path: "/p/b.ts", content: "x" } },
    },
    {
      name: "edit",
      input: { path: "/p/a.ts", edits: [{ oldText: "a", newText: "b" }] },
      canonical: { op: "edit", args: { path: "/p/a.ts", old_string: "a", new_string: "b" } },
    },
    {
      name: "ls",
      input: { path: "/p" },
      canonical: { op: "list", args: { path: "/p" } },
    },
  ],
  cursor: [{
    name: "run_terminal_command_v2",
    input: { command: "ls", isBackground: false },
    canonical: { op: "shell", args: { command: "ls", isBackground: false } },
  }],
  grok: [{
    name: "run_terminal_command",
    input: { command: "ls" },
    canonical: { op: "shell", args: { command: "ls" } },
  }],
  kiro: [{
    name: "shell",
    input: { command: "ls", __tool_use_purpose: "List" },
    canonical: { op: "shell", args: { command: "ls", description: "List" } },
  }],
  vibe: [
    {
      name: "bash",
      input: { command: "ls" },
      canonical: { op: "shell", args: { command: "ls" } },
    },
    {
      name: "read_file",
      input: { path: "/p/a.ts", offset: 0, limit: 10 },
      canonical: { op: "read", args: { path: "/p/a.ts", offset: 0, limit: 10 } },
    },
    {
      name: "write_file",
      input: { path: "/p/b.ts", content: "x", overwrite: true },
      canonical: { op: "write", args: { path: "/p/b.ts", content: "x", overwrite: true } },
    },
    {
      name: "grep",
      input: { pattern: "TODO", path: "/p" },
      canonical: { op: "grep", args: { pattern: "TODO", path: "/p" } },
    },
  ],
};

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
    input: codexShell("ls", ', description: "List"'),
  });
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
    [call("list_directory", { dir_path: "/p" }), "gemini", "claude", "no-equivalent"],
    [call("Agent", { prompt: "go" }), "claude", "gemini", "unknown-tool"],
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
