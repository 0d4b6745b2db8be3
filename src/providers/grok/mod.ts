/**
 * Grok Build (xAI's `grok` CLI): sessions in
 * `<GROK_HOME or ~/.grok>/sessions/<percent-encoded cwd>/<uuid>/updates.jsonl`
 * with a `summary.json` index entry beside it.
 *
 * @module
 */
import * as nodePath from "node:path";
import { installAt } from "../detect.ts";
import type { Provider } from "../types.ts";
import { GROK_ENV_VARS, grokHome } from "./paths.ts";
import { GROK_ID, readGrokSession } from "./reader.ts";
import { grokResumeCommand, planGrokSession } from "./writer.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { grokLister } from "./list.ts";
import { firstJsonLine, isRecord } from "../../internal/jsonl.ts";
import { providerNames } from "../names.ts";

const METHOD_RE = /^\s*\{"timestamp":[0-9.]+,"method":"(_x\.ai\/)?session\/update","params":\{/;

/**
 * Whether a file looks like a Grok Build session: a file named `updates.jsonl`
 * whose first complete line is a `session/update` (or `_x.ai/session/update`)
 * envelope with `params.update.sessionUpdate`, or, when that line is cut,
 * starts like one.
 *
 * @param path The file path.
 * @param head The first few kilobytes.
 * @returns `true` when the Grok reader can read it.
 */
export function claimsGrokFile(path: string, head: string): boolean {
  if (nodePath.basename(path) !== "updates.jsonl") return false;
  const first = firstJsonLine(head);
  if (!first.ok) return METHOD_RE.test(first.raw);
  if (!isRecord(first.value)) return false;
  const r = first.value;
  const params = r.params as Record<string, unknown> | undefined;
  const update = typeof params === "object" && params !== null
    ? params.update as Record<string, unknown> | undefined
    : undefined;
  return (r.method === "session/update" || r.method === "_x.ai/session/update") &&
    typeof update === "object" && update !== null && typeof update.sessionUpdate === "string";
}

/** The Grok Build provider. */
export const grok: Provider = {
  ...providerNames(GROK_ID, "Grok Build", ["grok"], "grok"),
  carries: { reasoning: true, toolName: API_TOOL_NAME, toolFamily: "grok" },
  envVars: GROK_ENV_VARS,
  ...installAt((ctx) => [grokHome(ctx)], "grok"),
  ...grokLister,
  claims: claimsGrokFile,
  sessionFolderFiles: () => ["updates.jsonl"],
  read: (path: string) => readGrokSession(path),
  plan: planGrokSession,
  resumeCommand: grokResumeCommand,
};
