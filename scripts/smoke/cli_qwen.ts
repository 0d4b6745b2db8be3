/**
 * The Qwen Code CLI (`@qwen-code/qwen-code` on npm) for the smoke harness. Facts
 * from `/work/shared/realcli.md`, re-checked with 0.24.4:
 *
 * - a JS bundle (engines Node ≥ 22; runs on Node 20); its bundled ripgrep is not
 *   executable after npm install (a warning, it falls back to a built-in grep);
 * - `OPENAI_BASE_URL=<mock>/v1 OPENAI_API_KEY OPENAI_MODEL` and `--auth-type openai`:
 *   Chat Completions wire (SSE);
 * - headless tool runs need `--approval-mode yolo`;
 * - sessions: `~/.qwen/projects/<cwd, non-alnum → '-'>/chats/<sessionId>.jsonl`;
 *   resume with `--resume <id> -p "<prompt>"` in the same directory;
 * - a "managed memory" side request may follow a turn and replays the
 *   conversation; the checks pick the request that carries the new prompt.
 *
 * @module
 */

import type { CliContext, CliDefinition, SessionFile } from "./cli_types.ts";
import { historyFromWire } from "./history.ts";

/** The model name the mock is configured with. */
export const QWEN_MODEL = "qwen-mock";

async function qwenSessions(home: string): Promise<SessionFile[]> {
  const root = `${home}/.qwen/projects`;
  const out: SessionFile[] = [];
  let projects: Deno.DirEntry[];
  try {
    projects = await Array.fromAsync(Deno.readDir(root));
  } catch {
    return out;
  }
  for (const project of projects) {
    if (!project.isDirectory) continue;
    const chats = `${root}/${project.name}/chats`;
    let files: Deno.DirEntry[];
    try {
      files = await Array.fromAsync(Deno.readDir(chats));
    } catch {
      continue;
    }
    for (const file of files) {
      if (!file.isFile || !/^[0-9a-fA-F-]{32,36}\.jsonl$/.test(file.name)) continue;
      out.push({ path: `${chats}/${file.name}`, sessionId: file.name.slice(0, -6) });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

const COMMON = ["--auth-type", "openai", "--approval-mode", "yolo"];

/** Alibaba's Qwen Code, `@qwen-code/qwen-code`. */
export const qwenCli: CliDefinition = {
  provider: "qwen-code",
  alias: "qwen",
  npmPackage: "@qwen-code/qwen-code",
  version: "0.24.4",
  bin: "qwen",
  wire: "chat",
  parallelToolCalls: true,
  env: ({ home, baseUrl }: CliContext) => ({
    QWEN_HOME: `${home}/.qwen`,
    OPENAI_BASE_URL: `${baseUrl}/v1`,
    OPENAI_API_KEY: "sk-test",
    OPENAI_MODEL: QWEN_MODEL,
    QWEN_CODE_SUPPRESS_YOLO_WARNING: "1",
  }),
  prepareHome: async ({ home }) => {
    await Deno.mkdir(`${home}/.qwen`, { recursive: true });
  },
  newSessionArgs: (prompt) => [...COMMON, "-p", prompt],
  resumeArgs: (sessionId, prompt) =>
    Promise.resolve([...COMMON, "--resume", sessionId, "-p", prompt]),
  sessionFiles: qwenSessions,
  historyFromRequest: (body) => historyFromWire("chat", body),
};
