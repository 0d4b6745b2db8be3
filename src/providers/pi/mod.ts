/**
 * The Pi coding agent provider: `~/.pi/agent/sessions/--<cwd>--/<stamp>_<id>.jsonl`
 * sessions (a header, then a tree of entries with `id`/`parentId`). The entry
 * format itself lives in `src/formats/pi_session.ts` (shared with OpenClaw).
 *
 * @module
 */
import * as nodePath from "node:path";
import { installAt } from "../detect.ts";
import type { Provider } from "../types.ts";
import { parseRecord } from "../../internal/jsonl.ts";
import { isPiSessionHeader, PI_SESSION_VERSION } from "../../formats/pi_session.ts";
import {
  findPiSessions,
  listPiSessions,
  PI_SUMMARY_VERSION,
  piSessionFiles,
  summarizePiSession,
} from "./list.ts";
import { PI_ENV_VARS, piRoots } from "./paths.ts";
import { PI_ID, readPiSession } from "./reader.ts";
import { piResumeCommand, planPiSession } from "./writer.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { providerNames } from "../names.ts";

/**
 * Whether a file looks like a Pi session: a `.jsonl` file whose first line is
 * a Pi header (`type:"session"`, string `id`, version 1 to 3) and whose next
 * complete line, if any, is an entry with a string `type`. OpenClaw keeps the
 * same entries (header version 4, or `agents/<id>/sessions/<id>.jsonl`): those
 * are not claimed.
 *
 * @param path The file path.
 * @param head The first few kilobytes.
 * @returns `true` when the Pi reader can read it.
 */
export function claimsPiFile(path: string, head: string): boolean {
  if (!nodePath.basename(path).toLowerCase().endsWith(".jsonl")) return false;
  const normalized = path.replaceAll("\\", "/");
  if (/\/agents\/[^/]+\/sessions\/[^/]+$/.test(normalized) || normalized.includes("/.openclaw/")) {
    return false;
  }
  const lines = head.split("\n");
  const first = lines[0]?.trim() ?? "";
  const header = parseRecord(first);
  if (!isPiSessionHeader(header)) return false;
  const version = header.version;
  if (version !== undefined && (typeof version !== "number" || version > PI_SESSION_VERSION)) {
    return false;
  }
  const second = lines.length > 2 ? lines[1]?.trim() : undefined;
  if (second === undefined || second === "") return true;
  const entry = parseRecord(second);
  return entry !== undefined && typeof entry.type === "string" && entry.type !== "session";
}

/** The Pi coding agent provider. */
export const pi: Provider = {
  ...providerNames(PI_ID, "Pi", ["pi-coding-agent"], "pi"),
  carries: { images: true, toolName: API_TOOL_NAME, toolFamily: "pi" },
  envVars: PI_ENV_VARS,
  ...installAt(piRoots, "pi"),
  list: listPiSessions,
  sessionFiles: piSessionFiles,
  summarize: (path: string) => summarizePiSession(path),
  summaryVersion: PI_SUMMARY_VERSION,
  find: findPiSessions,
  claims: claimsPiFile,
  read: readPiSession,
  plan: planPiSession,
  resumeCommand: piResumeCommand,
};
