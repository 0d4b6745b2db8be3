/**
 * GitHub Copilot CLI: sessions in `<root>/session-state/<uuid>/events.jsonl`
 * (root `COPILOT_HOME`, else `~/.copilot`).
 *
 * @module
 */
import * as nodePath from "node:path";
import { installAt } from "../detect.ts";
import { copilotLister } from "./list.ts";
import type { Provider } from "../types.ts";
import { COPILOT_ENV_VARS, copilotRoot } from "./paths.ts";
import { COPILOT_CLI_ID, readCopilotSession } from "./reader.ts";
import { copilotResumeCommand, planCopilotSession } from "./writer.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { firstJsonLine, isRecord } from "../../internal/jsonl.ts";
import { providerNames } from "../names.ts";

/**
 * Whether a file looks like a Copilot CLI event log: a `.jsonl` file whose
 * first complete line is a `session.start` envelope (`type`, `data.sessionId`,
 * `parentId`), or, when the first line is cut, that starts like one.
 *
 * @param path The file path.
 * @param head The first few kilobytes.
 * @returns `true` when the Copilot reader can read it.
 */
export function claimsCopilotFile(path: string, head: string): boolean {
  if (!nodePath.basename(path).toLowerCase().endsWith(".jsonl")) return false;
  const first = firstJsonLine(head);
  if (!first.ok) return /^\s*\{"type":"session\.start","data":\{"sessionId":/.test(head);
  if (!isRecord(first.value)) return false;
  const r = first.value;
  const data = r.data as Record<string, unknown> | undefined;
  return r.type === "session.start" && "parentId" in r && typeof data === "object" &&
    data !== null && typeof data.sessionId === "string";
}

/** The GitHub Copilot CLI provider. */
export const copilotCli: Provider = {
  ...providerNames(COPILOT_CLI_ID, "GitHub Copilot CLI", ["cop", "copilot"], "copilot"),
  carries: { toolName: API_TOOL_NAME, toolFamily: "copilot" },
  // Copilot CLI's default model is Claude Sonnet; GitHub's API caps prompts
  // for it well below Anthropic's 200K (about 128K), so 128K is assumed.
  contextWindow: {
    window: 128_000,
    reserve: 28_000,
    family: "claude",
    source: "GitHub Copilot model picker: prompt limit about 128K for Claude Sonnet",
  },
  // `copilot -i <prompt>`: interactive with a first prompt
  startPrompt: { via: "argument", flags: ["-i"] },
  envVars: COPILOT_ENV_VARS,
  ...installAt((ctx) => [copilotRoot(ctx)], "copilot"),
  ...copilotLister,
  claims: claimsCopilotFile,
  sessionFolderFiles: () => ["events.jsonl"],
  read: (path: string) => readCopilotSession(path),
  plan: planCopilotSession,
  resumeCommand: copilotResumeCommand,
};
