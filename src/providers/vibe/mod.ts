/**
 * The Mistral Vibe provider: `~/.vibe/logs/session/session_<time>_<id[:8]>/`
 * directories holding `meta.json` and `messages.jsonl` (OpenAI-shaped messages).
 *
 * @module
 */
import * as nodePath from "node:path";
import { installAt } from "../detect.ts";
import type { Provider } from "../types.ts";
import { findVibeSessions, listVibeSessions } from "./list.ts";
import {
  isSessionDirName,
  MESSAGES_FILE,
  META_FILE,
  VIBE_ENV_VARS,
  vibeHome,
  vibeSessionConfig,
} from "./paths.ts";
import { readVibeSession, VIBE_ID } from "./reader.ts";
import { planVibeSession, vibeResumeCommand } from "./writer.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { firstJsonLine, isRecord } from "../../internal/jsonl.ts";
import { providerNames } from "../names.ts";

const ROLES = new Set(["user", "assistant", "tool", "system"]);

/**
 * Whether a file looks like part of a Vibe session: `messages.jsonl` or
 * `meta.json` in a `<prefix>_YYYYMMDD_HHMMSS_<id>` directory, or a
 * `messages.jsonl` whose first line is an `LLMMessage` (`role` plus
 * `content`, no envelope keys of other agents).
 *
 * @param path The file path.
 * @param head The first few kilobytes.
 * @returns `true` when the Vibe reader can read it.
 */
export function claimsVibeFile(path: string, head: string): boolean {
  const base = nodePath.basename(path);
  if (base !== MESSAGES_FILE && base !== META_FILE) return false;
  if (isSessionDirName(nodePath.basename(nodePath.dirname(path)))) return true;
  if (base !== MESSAGES_FILE) return false;
  const first = firstJsonLine(head);
  if (!first.ok) return false;
  if (!isRecord(first.value)) return false;
  const r = first.value;
  return typeof r.role === "string" && ROLES.has(r.role) && "content" in r &&
    !("type" in r) && !("uuid" in r) && !("sessionId" in r);
}

/** The Mistral Vibe provider. */
export const vibe: Provider = {
  ...providerNames(VIBE_ID, "Mistral Vibe", ["vibe"], "vibe"),
  carries: { reasoning: true, toolName: API_TOOL_NAME, toolFamily: "vibe" },
  envVars: VIBE_ENV_VARS,
  ...installAt((ctx) => [vibeSessionConfig(ctx).saveDir], "vibe", (ctx) => [vibeHome(ctx)]),
  list: listVibeSessions,
  find: findVibeSessions,
  claims: claimsVibeFile,
  sessionFolderFiles: () => [MESSAGES_FILE, META_FILE],
  read: (path: string) => readVibeSession(path),
  plan: planVibeSession,
  resumeCommand: vibeResumeCommand,
};
