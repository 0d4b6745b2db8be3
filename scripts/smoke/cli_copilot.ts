/**
 * GitHub Copilot CLI (`@github/copilot` on npm) for the smoke harness. Facts from
 * `/work/shared/realcli.md` and `/work/shared/providers/copilot-cli.md`, re-checked with 1.0.102:
 *
 * - a loader plus a native single executable from `@github/copilot-linux-x64`; on its first
 *   run it unpacks its JavaScript into `~/.cache/copilot/pkg/…` — HOME is the throwaway home,
 *   so that cache stays inside it;
 * - BYOK without GitHub auth: `COPILOT_PROVIDER_TYPE=anthropic` with the mock's base URL
 *   (no `/v1`: it posts to `<base>/v1/messages`), `COPILOT_OFFLINE=1`;
 * - `-p` needs `--allow-all-tools`; resume is `--resume=<id>`;
 * - sessions: `~/.copilot/session-state/<uuid>/events.jsonl` (+ `workspace.yaml`, copied into
 *   fixtures too; `checkpoints/`, `files/` and `session-store.db` are not).
 *
 * @module
 */

import type { CliContext, CliDefinition, SessionFile } from "./cli_types.ts";
import { historyFromWire } from "./history.ts";

/** The model the harness runs Copilot with. */
export const COPILOT_MODEL = "claude-sonnet-4-5";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Every `session-state/<id>/events.jsonl` of a home. */
async function copilotSessions(home: string): Promise<SessionFile[]> {
  const root = `${home}/.copilot/session-state`;
  const out: SessionFile[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(root));
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!entry.isDirectory || entry.name.startsWith(".")) continue;
    const path = `${root}/${entry.name}/events.jsonl`;
    if (await exists(path)) out.push({ path, sessionId: entry.name });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** GitHub's Copilot CLI, `@github/copilot`. */
export const copilotCli: CliDefinition = {
  provider: "copilot-cli",
  alias: "cop",
  npmPackage: "@github/copilot",
  version: "1.0.102",
  bin: "copilot",
  wire: "anthropic",
  parallelToolCalls: true,
  env: ({ home, baseUrl }: CliContext) => ({
    COPILOT_HOME: `${home}/.copilot`,
    COPILOT_PROVIDER_BASE_URL: baseUrl,
    COPILOT_PROVIDER_TYPE: "anthropic",
    COPILOT_PROVIDER_API_KEY: "sk-test",
    COPILOT_MODEL,
    COPILOT_OFFLINE: "1",
    COPILOT_AUTO_UPDATE: "false",
  }),
  prepareHome: async ({ home }) => {
    await Deno.mkdir(`${home}/.copilot`, { recursive: true });
  },
  newSessionArgs: (prompt) => ["-p", prompt, "--allow-all-tools"],
  resumeArgs: (sessionId, prompt) =>
    Promise.resolve([`--resume=${sessionId}`, "-p", prompt, "--allow-all-tools"]),
  sessionFiles: copilotSessions,
  historyFromRequest: (body) => historyFromWire("anthropic", body),
  extraFiles: async (_home, transcript) => {
    const yaml = `${transcript.slice(0, transcript.lastIndexOf("/"))}/workspace.yaml`;
    return await exists(yaml) ? [yaml] : [];
  },
};
