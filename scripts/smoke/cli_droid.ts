/**
 * Factory Droid (`droid`) for the smoke harness. Facts from
 * `/work/shared/providers/factory-droid.md`, re-checked with 0.225.2:
 *
 * - the wrapper `@factory/cli@0.225.1` pins platform packages 0.225.1 that were never
 *   published, so the Linux x64 platform package `@factory/cli-linux-x64@0.225.2` is
 *   installed directly; npm links its `bin/droid` nowhere (`packageBin`);
 * - `FACTORY_HOME_OVERRIDE=<home>` moves the whole `~/.factory` tree;
 * - BYOK: a custom model in `~/.factory/settings.json` (`provider:
 *   "generic-chat-completion-api"`, `baseUrl: <mock>/v1`), chosen with
 *   `--model custom:<model>`: Chat Completions wire (SSE);
 * - droid talks to Factory's API besides the model (`/api/feature-flags`,
 *   `/api/sessions/create`, and on `exec -s` `GET /api/sessions/<id>`): `FACTORY_API_BASE_URL`
 *   points it at the mock, whose `{}` / 404 answers let it run offline on the local files;
 * - the shell tool is `Execute` (`{command, riskLevelReason, riskLevel}`); read-only
 *   commands run in exec's default autonomy;
 * - sessions: `~/.factory/sessions/<cwd with '/' → '-'>/<uuid>.jsonl` plus a
 *   `<uuid>.settings.json` sidecar (copied into fixtures too; its `.bak` is not);
 *   resume with `exec -s <id> "<prompt>"` in the same directory.
 *
 * @module
 */

import type { CliContext, CliDefinition, SessionFile } from "./cli_types.ts";
import { historyFromWire } from "./history.ts";

/** The custom model's name in `settings.json`; droid selects it as `custom:<name>`. */
export const DROID_MODEL = "mock-model";

const MODEL_ARGS = ["exec", "--model", `custom:${DROID_MODEL}`];

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Every `sessions/<slug>/<uuid>.jsonl` of a home. */
async function droidSessions(home: string): Promise<SessionFile[]> {
  const root = `${home}/.factory/sessions`;
  const out: SessionFile[] = [];
  let dirs: Deno.DirEntry[];
  try {
    dirs = await Array.fromAsync(Deno.readDir(root));
  } catch {
    return out;
  }
  for (const dir of dirs) {
    if (!dir.isDirectory) continue;
    for await (const file of Deno.readDir(`${root}/${dir.name}`)) {
      if (!file.isFile || !/^[0-9a-f-]{36}\.jsonl$/.test(file.name)) continue;
      out.push({ path: `${root}/${dir.name}/${file.name}`, sessionId: file.name.slice(0, -6) });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Factory's Droid, `@factory/cli` (its Linux x64 platform package). */
export const droidCli: CliDefinition = {
  provider: "factory-droid",
  alias: "droid",
  npmPackage: "@factory/cli-linux-x64",
  version: "0.225.2",
  bin: "droid",
  packageBin: "bin/droid",
  wire: "chat",
  parallelToolCalls: true,
  env: ({ home, baseUrl }: CliContext) => ({
    FACTORY_HOME_OVERRIDE: home,
    FACTORY_API_BASE_URL: baseUrl,
  }),
  prepareHome: async ({ home, baseUrl }) => {
    const dir = `${home}/.factory`;
    await Deno.mkdir(dir, { recursive: true });
    const path = `${dir}/settings.json`;
    let settings: Record<string, unknown> = {};
    if (await exists(path)) {
      try {
        settings = JSON.parse(await Deno.readTextFile(path));
      } catch {
        settings = {};
      }
    }
    settings.customModels = [{
      model: DROID_MODEL,
      displayName: "Mock Model",
      provider: "generic-chat-completion-api",
      baseUrl: `${baseUrl}/v1`,
      apiKey: "sk-test",
      maxOutputTokens: 4096,
    }];
    await Deno.writeTextFile(path, JSON.stringify(settings, null, 2) + "\n");
  },
  newSessionArgs: (prompt) => [...MODEL_ARGS, prompt],
  // `--auto high`: read-only `exec` declares neither `Create` / `Edit` nor the subagent `Task`,
  // which the tool vocabulary maps other agents' calls to.
  resumeArgs: (sessionId, prompt) =>
    Promise.resolve(["exec", "--auto", "high", ...MODEL_ARGS.slice(1), "-s", sessionId, prompt]),
  sessionFiles: droidSessions,
  historyFromRequest: (body) => historyFromWire("chat", body),
  extraFiles: async (_home, transcript) => {
    const settings = transcript.replace(/\.jsonl$/, ".settings.json");
    return await exists(settings) ? [settings] : [];
  },
};
