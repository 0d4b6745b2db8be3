/**
 * The tool vocabulary of each agent family, in one table. The first tool of a
 * family for an operation (not marked `decodeOnly`) is the one calls are
 * mapped to; it is the tool the agent's current CLI declares to its model.
 *
 * Evidence (the `tools` each real CLI sent to the mock model on a native
 * resume, smoke run 2026-12-06T04-44-29Z, unless a line says otherwise):
 * - claude: Claude Code 2.1.331 declares `Bash`, `Read`, `Write`, `Edit` (and
 *   lists `WebFetch`, `WebSearch` as deferred tools); `Grep` / `Glob` are
 *   older builds' tools, kept for their sessions.
 * - codex: Codex 0.169.0 declares the free-form `exec` (JavaScript calling
 *   `tools.exec_command({cmd, workdir})`, the free-form
 *   `tools.apply_patch(patch)`, `tools.view_image({path})`, ...) inside an
 *   `additional_tools` input item, and no read, grep or list tool (its model
 *   runs `cat` / `rg` through `exec_command`); `exec_command`, `shell`,
 *   `shell_command`, `local_shell` and a top-level `apply_patch` are older
 *   builds' calls, read only.
 * - gemini: Gemini CLI 0.61.0 `functionDeclarations`: `run_shell_command`,
 *   `read_file {file_path, start_line, end_line}`, `write_file`, `replace`,
 *   `grep_search`, `glob`, `list_directory`, `web_fetch {prompt}`,
 *   `google_web_search`.
 * - qwen: Qwen Code: `run_shell_command {command, description, directory}`,
 *   `read_file {file_path, offset, limit}`, `write_file`, `edit`,
 *   `grep_search {pattern, glob, path}`, `glob`.
 * - opencode (opencode, kilo-cli): `bash {command, workdir, description}`,
 *   `read`, `write`, `edit {filePath, oldString, newString, replaceAll}`,
 *   `grep {pattern, path, include}`, `glob`, `webfetch`.
 * - cline: Cline CLI 3.x: `run_commands {commands[]}`, `read_files {files[]}`,
 *   `search_codebase {queries[]}`, `fetch_web_content {requests[]}`,
 *   `apply_patch {input}` (writes and edits); the
 *   extension's (and Roo / Kilo Code's) `execute_command`, `read_file`,
 *   `write_to_file`, `search_files`, `list_files` are read.
 * - copilot: Copilot CLI: `bash`, `view {path, view_range}`,
 *   `create {path, file_text}`, `edit {path, old_str, new_str}`,
 *   `grep {pattern, paths, glob}`, `glob`, `web_fetch`.
 * - pi: `bash`, `read`, `write`, `edit {path, edits[{oldText, newText}]}`.
 * - kimi: Kimi Code: `Bash {command, cwd, description}`,
 *   `Read {path, line_offset, n_lines}`, `Write`, `Edit {path, ...}`, `Grep`,
 *   `Glob`, `FetchURL`, `ReadMediaFile`; `WebSearch` from Kimi's tool docs.
 * - droid: Factory Droid: `Execute {command, summary}`, `Read {file_path}`,
 *   `LS {directory_path}`, `Grep {glob_pattern}`, `Glob {patterns, folder}`;
 *   with write autonomy (`droid exec --auto high`, 0.225.2, probed
 *   2026-12-06) also `Create {file_path, content}`,
 *   `Edit {file_path, old_str, new_str, change_all}` and the subagent tool
 *   `Task {subagent_type, description, prompt}`. Read-only `droid exec`
 *   declares none of these three.
 * - openclaw (openclaw, clawdbot): `exec {command, workdir, title}`, `read`,
 *   `write`, `edit {path, edits[]}`, `ls`.
 * - subagents (smoke run 2026-12-06T06-13-38Z): Claude Code `Agent
 *   {description, prompt, subagent_type}` (`Task` in older builds), OpenCode
 *   and Kilo CLI `task` (same arguments), Qwen Code `agent` (same), Kimi Code
 *   `Agent` (same), Copilot CLI `task {description, prompt, agent_type}`,
 *   Gemini CLI `invoke_agent {agent_name, prompt}`, Cline CLI
 *   `spawn_agent {systemPrompt, task}`, Factory Droid `Task` (see droid);
 *   Codex, Pi and OpenClaw declare none, so their calls keep the name.
 * - cursor, grok, kiro, vibe (no CLI the smoke can run): the shell tool seen
 *   in casr's fixtures and provider notes (`run_terminal_command_v2`,
 *   `run_terminal_command`, `shell`, `bash`); vibe's file tools from
 *   mistral-vibe's `read_file.py` / `write_file.py` / `grep.py` arguments.
 *
 * @module
 */
import {
  argvScript,
  codexObject,
  codexPatch,
  editsList,
  geminiFetch,
  isLine,
  linesToRange,
  oneOf,
  onlyKeys,
  patchObject,
  rangeToLines,
  single,
} from "./tool_vocabulary_shapes.ts";
import { readEditPatch, readWritePatch } from "./tool_vocabulary_patch.ts";
import type { ToolSpec } from "./tool_vocabulary_spec.ts";

const FILE = { path: "file_path" };

/** Every family's tools; keys are the `carries.toolFamily` values of providers. */
export const TOOL_FAMILIES: Readonly<Record<string, readonly ToolSpec[]>> = {
  claude: [
    { name: "Bash", op: "shell" },
    { name: "Read", op: "read", keys: FILE },
    { name: "Write", op: "write", keys: FILE },
    { name: "Edit", op: "edit", keys: FILE },
    { name: "Grep", op: "grep" },
    { name: "Glob", op: "glob" },
    { name: "WebFetch", op: "fetch" },
    { name: "WebSearch", op: "search" },
    { name: "LS", op: "list", decodeOnly: true },
    { name: "Agent", op: "subagent" },
    { name: "Task", op: "subagent", decodeOnly: true },
  ],
  codex: [
    codexObject("shell", "exec_command", { command: "cmd", cwd: "workdir" }),
    codexPatch("write"),
    codexPatch("edit"),
    codexObject("image", "view_image", {}),
    {
      name: "exec_command",
      op: "shell",
      keys: { command: "cmd", cwd: "workdir" },
      decodeOnly: true,
    },
    { name: "shell_command", op: "shell", keys: { cwd: "workdir" }, decodeOnly: true },
    {
      name: "shell",
      op: "shell",
      keys: { cwd: "workdir" },
      decodeOnly: true,
      ...argvScript("command"),
    },
    {
      name: "local_shell",
      op: "shell",
      keys: { cwd: "working_directory" },
      decodeOnly: true,
      unwrap: ({ type: _type, ...rest }) => argvScript("command").unwrap?.(rest),
    },
    { name: "view_image", op: "image", decodeOnly: true },
    { name: "apply_patch", op: "write", decodeText: readWritePatch, decodeOnly: true },
    { name: "apply_patch", op: "edit", decodeText: readEditPatch, decodeOnly: true },
    { name: "apply_patch", op: "write", ...patchObject("write"), decodeOnly: true },
    { name: "apply_patch", op: "edit", ...patchObject("edit"), decodeOnly: true },
    {
      name: "web_search",
      op: "search",
      decodeOnly: true,
      unwrap: ({ type, ...rest }) => type === undefined || type === "search" ? rest : undefined,
    },
  ],
  gemini: [
    { name: "run_shell_command", op: "shell", keys: { cwd: "dir_path" } },
    {
      name: "read_file",
      op: "read",
      keys: FILE,
      unwrap: (input) => linesToRange(input, "start_line", "end_line"),
      wrap: (input) => rangeToLines(input, "start_line", "end_line"),
    },
    { name: "read_file", op: "read", keys: { path: "absolute_path" }, decodeOnly: true },
    { name: "write_file", op: "write", keys: FILE },
    { name: "replace", op: "edit", keys: { ...FILE, replace_all: "allow_multiple" } },
    { name: "grep_search", op: "grep", keys: { path: "dir_path", glob: "include_pattern" } },
    { name: "search_file_content", op: "grep", keys: { glob: "include" }, decodeOnly: true },
    { name: "glob", op: "glob", keys: { path: "dir_path" } },
    { name: "list_directory", op: "list", keys: { path: "dir_path" } },
    { name: "list_directory", op: "list", decodeOnly: true },
    { name: "web_fetch", op: "fetch", ...geminiFetch },
    { name: "google_web_search", op: "search" },
    { name: "invoke_agent", op: "subagent", keys: { subagent_type: "agent_name" } },
  ],
  qwen: [
    { name: "run_shell_command", op: "shell", keys: { cwd: "directory" } },
    { name: "read_file", op: "read", keys: FILE },
    { name: "write_file", op: "write", keys: FILE },
    { name: "edit", op: "edit", keys: FILE },
    { name: "replace", op: "edit", keys: FILE, decodeOnly: true },
    { name: "grep_search", op: "grep" },
    { name: "glob", op: "glob" },
    { name: "list_directory", op: "list", decodeOnly: true },
    { name: "web_fetch", op: "fetch", decodeOnly: true },
    { name: "agent", op: "subagent" },
    { name: "task", op: "subagent", decodeOnly: true },
  ],
  opencode: [
    { name: "bash", op: "shell", keys: { cwd: "workdir" } },
    { name: "read", op: "read", keys: { path: "filePath" } },
    { name: "write", op: "write", keys: { path: "filePath" } },
    {
      name: "edit",
      op: "edit",
      keys: {
        path: "filePath",
        old_string: "oldString",
        new_string: "newString",
        replace_all: "replaceAll",
      },
    },
    { name: "grep", op: "grep", keys: { glob: "include" } },
    { name: "glob", op: "glob" },
    { name: "webfetch", op: "fetch" },
    { name: "list", op: "list", decodeOnly: true },
    { name: "task", op: "subagent" },
  ],
  cline: [
    { name: "run_commands", op: "shell", ...oneOf("commands", "command") },
    {
      name: "read_files",
      op: "read",
      unwrap: (input) => {
        const one = single(input, "files");
        if (!one || !onlyKeys(one.item, ["path", "start_line", "end_line"])) return undefined;
        const range = linesToRange(one.item, "start_line", "end_line");
        return "start_line" in range || "end_line" in range ? undefined : { ...one.rest, ...range };
      },
      wrap: ({ path, offset, limit, ...rest }) => {
        const file = rangeToLines({ path, offset, limit }, "start_line", "end_line");
        for (const key of Object.keys(file)) if (file[key] === undefined) delete file[key];
        return "offset" in file || "limit" in file ? undefined : { ...rest, files: [file] };
      },
    },
    { name: "search_codebase", op: "grep", ...oneOf("queries", "pattern") },
    { name: "apply_patch", op: "write", ...patchObject("write") },
    { name: "apply_patch", op: "edit", ...patchObject("edit") },
    {
      name: "fetch_web_content",
      op: "fetch",
      unwrap: (input) => {
        const one = single(input, "requests");
        return one && onlyKeys(one.item, ["url", "prompt"])
          ? { ...one.rest, ...one.item }
          : undefined;
      },
      wrap: ({ url, prompt, ...rest }) => ({
        ...rest,
        requests: [prompt === undefined ? { url } : { url, prompt }],
      }),
    },
    { name: "execute_command", op: "shell", decodeOnly: true },
    { name: "read_file", op: "read", decodeOnly: true },
    { name: "write_to_file", op: "write", decodeOnly: true },
    {
      name: "search_files",
      op: "grep",
      keys: { pattern: "regex", glob: "file_pattern" },
      decodeOnly: true,
    },
    { name: "list_files", op: "list", decodeOnly: true },
    { name: "web_fetch", op: "fetch", decodeOnly: true },
    { name: "spawn_agent", op: "subagent", keys: { prompt: "task" } },
  ],
  copilot: [
    { name: "bash", op: "shell" },
    {
      name: "view",
      op: "read",
      unwrap: (input) => {
        const { view_range: range, ...rest } = input;
        if (range === undefined) return rest;
        if (!Array.isArray(range) || range.length !== 2 || !isLine(range[0])) return undefined;
        if (range[1] === -1) return { ...rest, offset: range[0] };
        return isLine(range[1]) && range[1] >= range[0]
          ? { ...rest, offset: range[0], limit: range[1] - range[0] + 1 }
          : undefined;
      },
      wrap: (input) => {
        const { offset, limit, ...rest } = input;
        if (offset === undefined && limit === undefined) return rest;
        if (!isLine(offset) || (limit !== undefined && !isLine(limit))) return input;
        return { ...rest, view_range: [offset, limit === undefined ? -1 : offset + limit - 1] };
      },
    },
    { name: "create", op: "write", keys: { content: "file_text" } },
    { name: "edit", op: "edit", keys: { old_string: "old_str", new_string: "new_str" } },
    { name: "grep", op: "grep", keys: { path: "paths" } },
    { name: "glob", op: "glob", keys: { path: "paths" } },
    { name: "web_fetch", op: "fetch" },
    { name: "task", op: "subagent", keys: { subagent_type: "agent_type" } },
  ],
  pi: [
    { name: "bash", op: "shell" },
    { name: "read", op: "read" },
    { name: "write", op: "write" },
    { name: "edit", op: "edit", ...editsList },
  ],
  kimi: [
    { name: "Bash", op: "shell" },
    { name: "Read", op: "read", keys: { offset: "line_offset", limit: "n_lines" } },
    { name: "Write", op: "write" },
    { name: "Edit", op: "edit" },
    { name: "Grep", op: "grep" },
    { name: "Glob", op: "glob" },
    { name: "FetchURL", op: "fetch" },
    { name: "WebSearch", op: "search" },
    { name: "ReadMediaFile", op: "image" },
    { name: "Agent", op: "subagent" },
  ],
  droid: [
    { name: "Execute", op: "shell", keys: { description: "summary" } },
    { name: "Read", op: "read", keys: FILE },
    { name: "Create", op: "write", keys: FILE },
    {
      name: "Edit",
      op: "edit",
      keys: { ...FILE, old_string: "old_str", new_string: "new_str", replace_all: "change_all" },
    },
    { name: "Grep", op: "grep", keys: { glob: "glob_pattern" } },
    { name: "Glob", op: "glob", keys: { pattern: "patterns", path: "folder" } },
    { name: "LS", op: "list", keys: { path: "directory_path" } },
    { name: "Task", op: "subagent" },
  ],
  openclaw: [
    { name: "exec", op: "shell", keys: { cwd: "workdir", description: "title" } },
    { name: "read", op: "read" },
    { name: "write", op: "write" },
    { name: "edit", op: "edit", ...editsList },
    { name: "ls", op: "list" },
  ],
  cursor: [
    { name: "run_terminal_command_v2", op: "shell" },
    { name: "Shell", op: "shell", keys: { cwd: "working_directory" }, decodeOnly: true },
    { name: "run_terminal_cmd", op: "shell", decodeOnly: true },
    { name: "run_terminal_command", op: "shell", decodeOnly: true },
  ],
  grok: [
    { name: "run_terminal_command", op: "shell" },
  ],
  kiro: [
    { name: "shell", op: "shell", keys: { description: "__tool_use_purpose" } },
    { name: "execute_bash", op: "shell", keys: { description: "summary" }, decodeOnly: true },
  ],
  vibe: [
    { name: "bash", op: "shell" },
    { name: "read_file", op: "read" },
    { name: "write_file", op: "write" },
    { name: "grep", op: "grep" },
  ],
};
