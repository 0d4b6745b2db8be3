/**
 * Hand-made tool calls for the vocabulary tests: one per tool a family maps
 * to, in the shape each agent's declared schema gives (see
 * `../tool_vocabulary_families.ts` for the evidence), with the canonical
 * operation each must read as.
 *
 * @module
 */
import { MORE_SAMPLES, type Sample } from "./tool_vocabulary_samples_more.ts";

export type { Sample };

/** A Codex `exec` script applying a patch, as the mapping writes it. */
export const codexPatch = (patch: string): string =>
  `const r = await tools.apply_patch(${JSON.stringify(patch)});\n` +
  'text(typeof r === "string" ? r : r.output);';

/** A Codex `exec` script running a command, as the mapping writes it. */
export const codexShell = (cmd: string, more = ""): string =>
  `const r = await tools.exec_command({ cmd: ${JSON.stringify(cmd)}${more} });\n` +
  'text(typeof r === "string" ? r : r.output);';

/** Hand-made calls by family. */

/** Calls per tool family, with their canonical forms (hand-made; see each family's source). */
export const SAMPLES: Record<string, Sample[]> = {
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
      input: "// List files\n" + codexShell("ls -la", ', workdir: "/p", yield_time_ms: 1000'),
      canonical: {
        op: "shell",
        args: { command: "ls -la", cwd: "/p", yield_time_ms: 1000, description: "List files" },
      },
    },
    {
      name: "exec",
      input: codexPatch("*** Begin Patch\n*** Add File: /p/b.ts\n+x\n+\n*** End Patch"),
      canonical: { op: "write", args: { path: "/p/b.ts", content: "x\n" } },
    },
    {
      name: "exec",
      input: codexPatch("*** Begin Patch\n*** Update File: /p/a.ts\n@@\n-a\n-b\n+c\n*** End Patch"),
      canonical: { op: "edit", args: { path: "/p/a.ts", old_string: "a\nb", new_string: "c" } },
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
      name: "apply_patch",
      input: { input: "*** Begin Patch\n*** Add File: /p/b.ts\n+x\n*** End Patch" },
      canonical: { op: "write", args: { path: "/p/b.ts", content: "x" } },
    },
    {
      name: "apply_patch",
      input: { input: "*** Begin Patch\n*** Update File: /p/a.ts\n@@\n-a\n+\n*** End Patch" },
      canonical: { op: "edit", args: { path: "/p/a.ts", old_string: "a", new_string: "" } },
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
  ...MORE_SAMPLES,
};
