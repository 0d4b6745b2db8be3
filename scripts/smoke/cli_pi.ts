/**
 * The Pi coding agent (`@earendil-works/pi-coding-agent` on npm) for the smoke
 * harness. Facts from `/work/shared/providers/pi.md`, re-checked with 1.6.0:
 *
 * - a JS bundle that needs Node ≥ 22.19 (on Node 20 it dies at import:
 *   `node:module` has no `enableCompileCache`; 0.87.1 too), so npm's
 *   `node@22.23.3` is installed next to it (`nodeVersion`);
 * - `<agent dir>/models.json` defines a `mock` provider with
 *   `api:"openai-completions"` and `baseUrl: <mock>/v1` (Chat Completions wire,
 *   SSE); `PI_CODING_AGENT_DIR` isolates the agent dir, `PI_OFFLINE=1` stops
 *   update and package checks; `--provider mock --model mock-model` on every run
 *   (a session written by casr names another model);
 * - `-p` runs tools without asking (`read`, `bash`, `edit`, `write` are sent);
 * - sessions: `<agent dir>/sessions/--<cwd, '/' → '-'>--/<stamp>_<id>.jsonl`, the
 *   id in the header; resume with `--session <id> -p "<prompt>"` in the same
 *   directory (an id found only in another project's folder asks to fork).
 *
 * @module
 */

import type { CliContext, CliDefinition, SessionFile } from "./cli_types.ts";
import { historyFromWire } from "./history.ts";

/** The provider and model names defined in `models.json`. */
export const PI_MOCK_PROVIDER = "mock";
/** The model id the CLI sends to the mock. */
export const PI_MODEL = "mock-model";

async function piSessions(home: string): Promise<SessionFile[]> {
  const root = `${home}/.pi/agent/sessions`;
  const out: SessionFile[] = [];
  let projects: Deno.DirEntry[];
  try {
    projects = await Array.fromAsync(Deno.readDir(root));
  } catch {
    return out;
  }
  for (const project of projects) {
    if (!project.isDirectory) continue;
    const dir = `${root}/${project.name}`;
    for (const file of await Array.fromAsync(Deno.readDir(dir))) {
      if (!file.isFile || !file.name.endsWith(".jsonl")) continue;
      const path = `${dir}/${file.name}`;
      const first = (await Deno.readTextFile(path)).split("\n", 1)[0] ?? "";
      try {
        const header = JSON.parse(first);
        if (header?.type === "session" && typeof header.id === "string") {
          out.push({ path, sessionId: header.id });
        }
      } catch {
        continue;
      }
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

const COMMON = ["--provider", PI_MOCK_PROVIDER, "--model", PI_MODEL];

/** The Pi coding agent, `@earendil-works/pi-coding-agent`. */
export const piCli: CliDefinition = {
  provider: "pi",
  alias: "pi",
  npmPackage: "@earendil-works/pi-coding-agent",
  version: "1.6.0",
  bin: "pi",
  wire: "chat",
  parallelToolCalls: true,
  nodeVersion: "22.23.3",
  env: ({ home }: CliContext) => ({
    PI_CODING_AGENT_DIR: `${home}/.pi/agent`,
    PI_OFFLINE: "1",
  }),
  prepareHome: async ({ home, baseUrl }) => {
    const dir = `${home}/.pi/agent`;
    await Deno.mkdir(dir, { recursive: true });
    const models = {
      providers: {
        [PI_MOCK_PROVIDER]: {
          baseUrl: `${baseUrl}/v1`,
          api: "openai-completions",
          apiKey: "sk-test",
          compat: { supportsDeveloperRole: false, supportsReasoningEffort: false },
          // Image input declared: else Pi replaces every image with a note, as source and target.
          models: [{ id: PI_MODEL, input: ["text", "image"] }],
        },
      },
    };
    await Deno.writeTextFile(`${dir}/models.json`, JSON.stringify(models, null, 2) + "\n");
  },
  newSessionArgs: (prompt) => [...COMMON, "-p", prompt],
  resumeArgs: (sessionId, prompt) =>
    Promise.resolve([...COMMON, "--session", sessionId, "-p", prompt]),
  sessionFiles: piSessions,
  historyFromRequest: (body) => historyFromWire("chat", body),
};
