/**
 * The OpenClaw provider (sessions in each agent's SQLite database
 * `<state>/agents/<agent>/agent/openclaw-agent.sqlite`, 2026.7+; JSONL import
 * inputs in `<state>/agents/<agent>/sessions/`) and the ClawdBot provider
 * (OpenClaw's name until January 2026: Pi JSONL files under `~/.clawdbot`).
 * Both store Pi session entries (`src/formats/pi_session.ts`).
 *
 * @module
 */
import * as nodePath from "node:path";
import { installAt } from "../detect.ts";
import type { Provider } from "../types.ts";
import {
  CLAWDBOT_ID,
  fileKind,
  findClawdbot,
  findOpenClaw,
  listClawdbot,
  listOpenClaw,
  OPENCLAW_ID,
} from "./list.ts";
import {
  AGENT_DB_NAME,
  CLAWDBOT_ENV_VARS,
  clawdbotStateDir,
  OPENCLAW_ENV_VARS,
  openClawStateDirs,
  parseSessionRef,
} from "./paths.ts";
import { readClawdbot, readOpenClaw } from "./reader.ts";
import {
  clawdbotResumeCommand,
  openClawResumeCommand,
  planClawdbot,
  planOpenClaw,
} from "./writer.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { providerNames } from "../names.ts";

function normalized(path: string): string {
  return path.replaceAll("\\", "/");
}

/** `…/agents/<id>/sessions/<file>.jsonl`. */
function inAgentSessions(path: string): boolean {
  return /\/agents\/[^/]+\/sessions\/[^/]+\.jsonl$/i.test(normalized(path));
}

/**
 * Whether a file is an OpenClaw session: an agent database (or `<db>#<id>`),
 * or a JSONL file in an agent's `sessions/` folder whose first line is a Pi
 * header of version 4 (or any Pi header outside a `.clawdbot` folder).
 *
 * @param path The file path.
 * @param head The first few kilobytes.
 * @returns `true` when the OpenClaw reader can read it.
 */
export function claimsOpenClawFile(path: string, head: string): boolean {
  const { file } = parseSessionRef(path);
  if (nodePath.basename(file) === AGENT_DB_NAME) return true;
  if (!inAgentSessions(file)) return false;
  const kind = fileKind(head.split("\n", 1)[0]);
  return kind === "pi-v4" || (kind === "pi-legacy" && !normalized(file).includes("/.clawdbot/"));
}

/**
 * Whether a file is a ClawdBot session: a JSONL file under a `.clawdbot`
 * folder (`agents/<id>/sessions/` or the older `sessions/`) whose first line
 * is a Pi header older than version 4 or a flat `{role, content}` record.
 *
 * @param path The file path.
 * @param head The first few kilobytes.
 * @returns `true` when the ClawdBot reader can read it.
 */
export function claimsClawdbotFile(path: string, head: string): boolean {
  const p = normalized(path);
  if (!/\.jsonl$/i.test(p) || !p.includes("/.clawdbot/")) return false;
  if (!inAgentSessions(p) && !/\/\.clawdbot\/sessions\/[^/]+$/.test(p)) return false;
  const kind = fileKind(head.split("\n", 1)[0]);
  return kind === "pi-legacy" || kind === "flat";
}

/** OpenClaw (`openclaw`), the multi-channel assistant with an embedded Pi coding agent. */
export const openclaw: Provider = {
  ...providerNames(OPENCLAW_ID, "OpenClaw", ["claw"], "openclaw"),
  carries: { toolName: API_TOOL_NAME, toolFamily: "openclaw" },
  envVars: OPENCLAW_ENV_VARS,
  ...installAt(openClawStateDirs, "openclaw"),
  list: listOpenClaw,
  find: findOpenClaw,
  claims: claimsOpenClawFile,
  read: readOpenClaw,
  plan: planOpenClaw,
  resumeCommand: openClawResumeCommand,
};

/** ClawdBot (`clawdbot`), OpenClaw's predecessor: Pi JSONL sessions under `~/.clawdbot`. */
export const clawdbot: Provider = {
  ...providerNames(CLAWDBOT_ID, "ClawdBot", ["clawd"], "clawdbot"),
  carries: { toolName: API_TOOL_NAME, toolFamily: "openclaw" },
  envVars: CLAWDBOT_ENV_VARS,
  ...installAt((ctx) => [clawdbotStateDir(ctx)], "clawdbot"),
  list: listClawdbot,
  find: findClawdbot,
  claims: claimsClawdbotFile,
  read: readClawdbot,
  plan: planClawdbot,
  resumeCommand: clawdbotResumeCommand,
};
