/**
 * OpenAI's Codex CLI for the smoke harness: the Responses wire, rollouts in
 * `~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`, and a resume that keeps the model provider
 * the session was written with.
 *
 * @module
 */

import type { CliDefinition, SessionFile } from "./cli_types.ts";
import { firstJsonLine, listFiles } from "./fs_utils.ts";
import { historyFromWire } from "./history.ts";

/** Reads `session_meta.payload.model_provider` of the rollout for `sessionId`, if any. */
async function codexModelProvider(home: string, sessionId: string): Promise<string | undefined> {
  for (const file of await codex.sessionFiles(home)) {
    if (file.sessionId !== sessionId) continue;
    const first = await firstJsonLine(file.path);
    const payload = first?.payload as Record<string, unknown> | undefined;
    return typeof payload?.model_provider === "string" ? payload.model_provider : undefined;
  }
  return undefined;
}

function codexProviderArgs(provider: string | undefined, baseUrl: string): string[] {
  if (provider === undefined || provider === "openai") {
    return ["-c", `openai_base_url="${baseUrl}/v1"`];
  }
  const key = `model_providers.${provider}`;
  return [
    "-c",
    `${key}.name="${provider}"`,
    "-c",
    `${key}.base_url="${baseUrl}/v1"`,
    "-c",
    `${key}.env_key="OPENAI_API_KEY"`,
    "-c",
    `${key}.wire_api="responses"`,
  ];
}

const CODEX_COMMON = ["--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox"];

/** OpenAI's Codex CLI, `@openai/codex`. */
export const codex: CliDefinition = {
  provider: "codex",
  alias: "cod",
  npmPackage: "@openai/codex",
  version: "0.171.0",
  bin: "codex",
  wire: "responses",
  parallelToolCalls: true,
  env: ({ home }) => ({ CODEX_HOME: `${home}/.codex`, OPENAI_API_KEY: "sk-test" }),
  prepareHome: async ({ home }) => {
    await Deno.mkdir(`${home}/.codex`, { recursive: true });
  },
  newSessionArgs: (prompt, { baseUrl }) => [
    "exec",
    ...CODEX_COMMON,
    ...codexProviderArgs("openai", baseUrl),
    prompt,
  ],
  resumeArgs: async (sessionId, prompt, { home, baseUrl }) => [
    "exec",
    ...CODEX_COMMON,
    ...codexProviderArgs(await codexModelProvider(home, sessionId), baseUrl),
    "resume",
    sessionId,
    prompt,
  ],
  sessionFiles: async (home) => {
    const files: SessionFile[] = [];
    for (const path of await listFiles(`${home}/.codex/sessions`, 4)) {
      const name = path.slice(path.lastIndexOf("/") + 1);
      if (!name.startsWith("rollout-") || !name.endsWith(".jsonl")) continue;
      const payload = (await firstJsonLine(path))?.payload as Record<string, unknown> | undefined;
      const id = typeof payload?.id === "string" ? payload.id : name.slice(-42, -6);
      files.push({ path, sessionId: id });
    }
    return files;
  },
  historyFromRequest: (body) => historyFromWire("responses", body),
};
