/**
 * The Qwen Code provider: `~/.qwen/projects/<projectId>/chats/<uuid>.jsonl`
 * sessions (uuid/parentUuid records with Gemini `Content` bodies).
 *
 * @module
 */
import * as nodePath from "node:path";
import { installAt } from "../detect.ts";
import type { Provider } from "../types.ts";
import {
  QWEN_SUMMARY_VERSION,
  qwenLister,
  qwenSessionFiles,
  summarizeQwenSession,
} from "./list.ts";
import { QWEN_ENV_VARS, qwenRoots } from "./paths.ts";
import { QWEN_CODE_ID, readQwenSession } from "./reader.ts";
import { planQwenSession, qwenResumeCommand } from "./writer.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { headValues, isRecord } from "../../internal/jsonl.ts";
import { providerNames } from "../names.ts";

/**
 * Whether a file looks like a Qwen Code session: a `.jsonl` file whose first
 * complete record has `uuid`, a `parentUuid` key, `sessionId`, a Qwen record
 * type and, when it has a `message`, a Gemini `parts` body.
 *
 * @param path The file path.
 * @param head The first few kilobytes.
 * @returns `true` when the Qwen reader can read it.
 */
export function claimsQwenFile(path: string, head: string): boolean {
  if (!nodePath.basename(path).toLowerCase().endsWith(".jsonl")) return false;
  for (const r of headValues(head, 20)) {
    if (!isRecord(r)) return false;
    if (typeof r.uuid !== "string" || !("parentUuid" in r) || typeof r.sessionId !== "string") {
      return false;
    }
    if (!["user", "assistant", "tool_result", "system"].includes(String(r.type))) return false;
    const message = r.message as Record<string, unknown> | undefined;
    if (message !== undefined) {
      return typeof message === "object" && message !== null && Array.isArray(message.parts);
    }
  }
  return false;
}

/** The Qwen Code provider. */
export const qwenCode: Provider = {
  ...providerNames(QWEN_CODE_ID, "Qwen Code", ["qwen"], "qwen"),
  carries: { reasoning: true, toolName: API_TOOL_NAME, toolFamily: "qwen" },
  // qwen3-coder-plus: 256K native context (Qwen3-Coder model card; 1M with
  // YaRN extrapolation, not assumed here).
  contextWindow: {
    window: 262_144,
    reserve: 40_000,
    family: "qwen",
    source: "Qwen3-Coder model card: 256K native context",
  },
  // `qwen -i <prompt>`: interactive with a first prompt
  startPrompt: { via: "argument", flags: ["-i"] },
  envVars: QWEN_ENV_VARS,
  ...installAt(qwenRoots, "qwen"),
  ...qwenLister,
  sessionFiles: qwenSessionFiles,
  summarize: (path: string) => summarizeQwenSession(path),
  summaryVersion: QWEN_SUMMARY_VERSION,
  claims: claimsQwenFile,
  read(path: string) {
    return readQwenSession(path);
  },
  plan: planQwenSession,
  resumeCommand: qwenResumeCommand,
};
