/**
 * The Factory Droid provider: `~/.factory/sessions/<cwd-slug>/<uuid>.jsonl`
 * transcripts (root moved by `FACTORY_HOME_OVERRIDE`), resumed with
 * `droid --resume <id>`.
 *
 * @module
 */
import * as nodePath from "node:path";
import { installAt } from "../detect.ts";
import type { Provider } from "../types.ts";
import {
  DROID_SUMMARY_VERSION,
  droidLister,
  droidSessionFiles,
  summarizeDroidSession,
} from "./list.ts";
import { FACTORY_ENV_VARS, factoryRoot } from "./paths.ts";
import { FACTORY_DROID_ID, readDroidSession } from "./reader.ts";
import { droidResumeCommand, planDroidSession } from "./writer.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { firstJsonLine, isRecord } from "../../internal/jsonl.ts";
import { providerNames } from "../names.ts";

/**
 * Whether a file looks like a Droid transcript: a `.jsonl` file whose first
 * line is a `session_start` record with a string `id` and a `title`, `owner`
 * or `cwd` (or, when the first line is cut, starts like one).
 *
 * @param path The file path.
 * @param head The first few kilobytes.
 * @returns `true` when the Droid reader can read it.
 */
export function claimsDroidFile(path: string, head: string): boolean {
  if (!nodePath.basename(path).toLowerCase().endsWith(".jsonl")) return false;
  const first = firstJsonLine(head);
  if (!first.ok) return /^\s*\{"type":"session_start","id":"[^"]+","title":/.test(head);
  if (!isRecord(first.value)) return false;
  const r = first.value;
  return r.type === "session_start" && typeof r.id === "string" &&
    (typeof r.title === "string" || typeof r.owner === "string" || typeof r.cwd === "string");
}

/** The Factory Droid provider. */
export const factoryDroid: Provider = {
  ...providerNames(FACTORY_DROID_ID, "Factory Droid", ["droid"], "droid"),
  carries: { toolName: API_TOOL_NAME, toolFamily: "droid" },
  envVars: FACTORY_ENV_VARS,
  ...installAt((ctx) => [factoryRoot(ctx)], "droid"),
  ...droidLister,
  sessionFiles: droidSessionFiles,
  summarize: (path: string) => summarizeDroidSession(path),
  summaryVersion: DROID_SUMMARY_VERSION,
  claims: claimsDroidFile,
  read: (path: string) => readDroidSession(path),
  plan: planDroidSession,
  resumeCommand: droidResumeCommand,
};
