/**
 * Google's Gemini CLI for the smoke harness: the Gemini wire, chats in
 * `~/.gemini/tmp/<project>/chats/session-*.json(l)`, API-key auth against the mock.
 *
 * @module
 */

import type { CliDefinition, SessionFile } from "./cli_types.ts";
import { firstJsonLine, listFiles, pathExists } from "./fs_utils.ts";
import { historyFromWire } from "./history.ts";

/** Google's Gemini CLI, `@google/gemini-cli`. */
export const geminiCli: CliDefinition = {
  provider: "gemini-cli",
  alias: "gmi",
  npmPackage: "@google/gemini-cli",
  version: "0.61.0",
  bin: "gemini",
  wire: "gemini",
  parallelToolCalls: true,
  env: ({ home, baseUrl }) => ({
    GEMINI_CLI_HOME: home,
    GOOGLE_GEMINI_BASE_URL: baseUrl,
    GEMINI_API_KEY: "sk-test",
    GEMINI_CLI_TRUST_WORKSPACE: "true",
  }),
  prepareHome: async ({ home }) => {
    // Without the auth type, GOOGLE_GEMINI_BASE_URL selects "gateway" auth, which headless
    // mode rejects ("Invalid auth method selected.", exit 41). Merge into an existing file.
    const dir = `${home}/.gemini`;
    await Deno.mkdir(dir, { recursive: true });
    const path = `${dir}/settings.json`;
    let settings: Record<string, unknown> = {};
    if (await pathExists(path)) {
      try {
        settings = JSON.parse(await Deno.readTextFile(path));
      } catch {
        settings = {};
      }
    }
    const security = (settings.security ?? {}) as Record<string, unknown>;
    const auth = (security.auth ?? {}) as Record<string, unknown>;
    settings.security = { ...security, auth: { ...auth, selectedType: "gemini-api-key" } };
    await Deno.writeTextFile(path, JSON.stringify(settings, null, 2) + "\n");
  },
  newSessionArgs: (prompt) => ["-p", prompt, "--approval-mode", "yolo"],
  resumeArgs: (sessionId, prompt) =>
    Promise.resolve(["--resume", sessionId, "-p", prompt, "--approval-mode", "yolo"]),
  sessionFiles: async (home) => {
    const files: SessionFile[] = [];
    for (const path of await listFiles(`${home}/.gemini/tmp`, 2)) {
      const name = path.slice(path.lastIndexOf("/") + 1);
      if (!path.includes("/chats/") || !name.startsWith("session-")) continue;
      if (!name.endsWith(".jsonl") && !name.endsWith(".json")) continue;
      const first = await firstJsonLine(path);
      const id = typeof first?.sessionId === "string" ? first.sessionId : undefined;
      if (id !== undefined) files.push({ path, sessionId: id });
    }
    return files;
  },
  historyFromRequest: (body) => historyFromWire("gemini", body),
};
