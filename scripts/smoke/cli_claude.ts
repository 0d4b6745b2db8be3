/**
 * Anthropic's Claude Code for the smoke harness: the Anthropic Messages wire, sessions in
 * `~/.claude/projects/<project>/<id>.jsonl`.
 *
 * @module
 */

import type { CliDefinition } from "./cli_types.ts";
import { listFiles } from "./fs_utils.ts";
import { historyFromWire } from "./history.ts";

/** Anthropic's Claude Code, `@anthropic-ai/claude-code`. */
export const claudeCode: CliDefinition = {
  provider: "claude-code",
  alias: "cc",
  npmPackage: "@anthropic-ai/claude-code",
  version: "2.1.337",
  bin: "claude",
  wire: "anthropic",
  parallelToolCalls: true,
  env: ({ home, baseUrl }) => ({
    CLAUDE_CONFIG_DIR: `${home}/.claude`,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: "sk-test",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
  }),
  prepareHome: async ({ home }) => {
    await Deno.mkdir(`${home}/.claude`, { recursive: true });
  },
  newSessionArgs: (prompt) => ["-p", prompt, "--allowedTools", "Bash,Read"],
  resumeArgs: (sessionId, prompt) =>
    Promise.resolve(["-p", "--resume", sessionId, prompt, "--allowedTools", "Bash,Read"]),
  sessionFiles: async (home) => {
    const root = `${home}/.claude/projects`;
    return (await listFiles(root, 1))
      .filter((path) =>
        path.endsWith(".jsonl") && path.split("/").length === root.split("/").length + 2
      )
      .map((path) => ({ path, sessionId: path.slice(path.lastIndexOf("/") + 1, -6) }));
  },
  historyFromRequest: (body) => historyFromWire("anthropic", body),
};
