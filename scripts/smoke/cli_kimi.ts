/**
 * Kimi Code (`@moonshot-ai/kimi-code` on npm) for the smoke harness. Facts from
 * `/work/shared/providers/kimi-code.md`, re-checked with 2.1.0:
 *
 * - a single JS bundle that needs Node ≥ 22.19 (on Node 20 it dies at import:
 *   `node:zlib` has no `createZstdDecompress`), so npm's `node@22.23.3` is installed
 *   next to it (`nodeVersion`);
 * - `KIMI_MODEL_NAME`/`KIMI_MODEL_API_KEY`/`KIMI_MODEL_PROVIDER_TYPE=openai`/
 *   `KIMI_MODEL_BASE_URL=<mock>/v1`: Chat Completions wire, model alias
 *   `__kimi_env_model__`; no config file needed;
 * - `-p` runs in "auto" permission mode (tools run without asking); it injects the
 *   date and the permission mode as separate `<system-reminder>` user messages after
 *   the prompt, which the history reading here drops;
 * - sessions: `$KIMI_CODE_HOME/sessions/<workDirKey>/<sessionId>/` (`state.json`,
 *   `agents/main/wire.jsonl`); resume with `-r <id> -p "<prompt>"` in the same
 *   directory;
 * - a session without a `profile.bind` record (casr writes none) is not bound to a
 *   model: `-p` then needs `-m <alias>` (`model.not_configured: Model not set`
 *   otherwise), so the resume adds `-m __kimi_env_model__` exactly then.
 *
 * @module
 */

import type { CliContext, CliDefinition, SessionFile } from "./cli_types.ts";
import { historyFromWire, isInjectedReminder } from "./history.ts";

/** The model name the CLI sends to the mock. */
export const KIMI_MODEL = "kimi-mock";
/** The model alias the `KIMI_MODEL_*` variables define. */
export const KIMI_ENV_MODEL_ALIAS = "__kimi_env_model__";

async function dirNames(path: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(path)))
      .filter((entry) => entry.isDirectory)
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

async function kimiSessions(home: string): Promise<SessionFile[]> {
  const root = `${home}/.kimi-code/sessions`;
  const out: SessionFile[] = [];
  for (const bucket of await dirNames(root)) {
    if (!bucket.startsWith("wd_")) continue;
    for (const id of await dirNames(`${root}/${bucket}`)) {
      const path = `${root}/${bucket}/${id}/agents/main/wire.jsonl`;
      try {
        if ((await Deno.stat(path)).isFile) out.push({ path, sessionId: id });
      } catch {
        // not a session directory
      }
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Whether the session's main wire binds a model (`profile.bind` or `config.update`). */
async function bindsModel(home: string, sessionId: string): Promise<boolean> {
  const file = (await kimiSessions(home)).find((s) => s.sessionId === sessionId);
  if (file === undefined) return false;
  const text = await Deno.readTextFile(file.path);
  return /"type":"(profile\.bind|config\.update)"[^\n]*"modelAlias":/.test(text);
}

/** Moonshot AI's Kimi Code, `@moonshot-ai/kimi-code`. */
export const kimiCli: CliDefinition = {
  provider: "kimi-code",
  alias: "kimi",
  npmPackage: "@moonshot-ai/kimi-code",
  version: "2.1.0",
  bin: "kimi",
  wire: "chat",
  parallelToolCalls: true,
  nodeVersion: "22.23.3",
  env: ({ home, baseUrl }: CliContext) => ({
    KIMI_CODE_HOME: `${home}/.kimi-code`,
    KIMI_MODEL_NAME: KIMI_MODEL,
    KIMI_MODEL_API_KEY: "sk-test",
    KIMI_MODEL_PROVIDER_TYPE: "openai",
    KIMI_MODEL_BASE_URL: `${baseUrl}/v1`,
    KIMI_DISABLE_TELEMETRY: "1",
    KIMI_CODE_NO_AUTO_UPDATE: "1",
  }),
  prepareHome: async ({ home }) => {
    await Deno.mkdir(`${home}/.kimi-code`, { recursive: true });
  },
  newSessionArgs: (prompt) => ["-p", prompt],
  resumeArgs: async (sessionId, prompt, { home }) => [
    "-r",
    sessionId,
    ...(await bindsModel(home, sessionId) ? [] : ["-m", KIMI_ENV_MODEL_ALIAS]),
    "-p",
    prompt,
  ],
  sessionFiles: kimiSessions,
  historyFromRequest: (body) =>
    historyFromWire("chat", body).filter((turn) => !isInjectedReminder(turn)),
  extraFiles: async (_home, transcript) => {
    const state = transcript.replace(/\/agents\/main\/wire\.jsonl$/, "/state.json");
    try {
      return (await Deno.stat(state)).isFile ? [state] : [];
    } catch {
      return [];
    }
  },
};
