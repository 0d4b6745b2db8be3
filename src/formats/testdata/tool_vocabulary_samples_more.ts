/**
 * Tool-call samples of the Kimi, Droid, OpenClaw, Cursor, Grok, Kiro and Vibe
 * families (hand-made, as those of `tool_vocabulary_samples.ts`).
 *
 * @module
 */
import type { CanonicalToolCall } from "../tool_vocabulary.ts";

/** A native call and the canonical operation it reads as. */
export type Sample = { name: string; input: unknown; canonical: CanonicalToolCall };

/** The samples of the families not in `tool_vocabulary_samples.ts`. */
export const MORE_SAMPLES: Record<string, Sample[]> = {
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
    {
      name: "Create",
      input: { file_path: "/p/b.ts", content: "x" },
      canonical: { op: "write", args: { path: "/p/b.ts", content: "x" } },
    },
    {
      name: "Edit",
      input: { file_path: "/p/a.ts", old_str: "a", new_str: "b", change_all: true },
      canonical: {
        op: "edit",
        args: { path: "/p/a.ts", old_string: "a", new_string: "b", replace_all: true },
      },
    },
    {
      name: "Task",
      input: { subagent_type: "worker", description: "Check", prompt: "Look", complexity: "low" },
      canonical: {
        op: "subagent",
        args: { subagent_type: "worker", description: "Check", prompt: "Look", complexity: "low" },
      },
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
