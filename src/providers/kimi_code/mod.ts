/**
 * The Kimi Code provider (`@moonshot-ai/kimi-code`): sessions in
 * `<root>/sessions/<workDirKey>/<id>/` (`state.json` and
 * `agents/main/wire.jsonl`), root `KIMI_CODE_HOME`, else `~/.kimi-code`.
 *
 * @module
 */
import * as nodePath from "node:path";
import { installAt } from "../detect.ts";
import { kimiLister } from "./list.ts";
import type { Provider } from "../types.ts";
import { KIMI_ENV_VARS, kimiRoot } from "./paths.ts";
import { legacyKimiStores } from "./legacy.ts";
import { KIMI_CODE_ID, readKimiSession } from "./reader.ts";
import { kimiResumeCommand, planKimiSession } from "./writer.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { firstJsonLine, isRecord } from "../../internal/jsonl.ts";
import { providerNames } from "../names.ts";

const RECORD_TYPE = /^(metadata|[a-z_]+(\.[a-z_]+)+)$/;

/**
 * Whether a file looks like a Kimi Code main wire: `.../agents/main/wire.jsonl`
 * whose first complete record is the `metadata` header (`protocol_version`)
 * or a dotted record type (`turn.prompt`, `context.append_message`, …) of the
 * main agent.
 *
 * @param path The file path.
 * @param head The first few kilobytes.
 * @returns `true` when the Kimi Code reader can read it.
 */
export function claimsKimiFile(path: string, head: string): boolean {
  const parts = path.replaceAll("\\", "/").split("/");
  if (parts.slice(-3).join("/") !== "agents/main/wire.jsonl") return false;
  const first = firstJsonLine(head);
  if (!first.ok) return /^\s*\{"type":"metadata","protocol_version":"/.test(head);
  if (!isRecord(first.value)) return false;
  const r = first.value;
  if (typeof r.type !== "string" || !RECORD_TYPE.test(r.type)) return false;
  if (r.type === "metadata") return typeof r.protocol_version === "string";
  return r.agentId === "main";
}

/** The Kimi Code provider. */
export const kimiCode: Provider = {
  ...providerNames(KIMI_CODE_ID, "Kimi Code", ["kimi"], "kimi"),
  carries: { reasoning: true, toolName: API_TOOL_NAME, toolFamily: "kimi" },
  envVars: KIMI_ENV_VARS,
  ...installAt((ctx) => [kimiRoot(ctx)], "kimi"),
  ...kimiLister,
  claims: claimsKimiFile,
  sessionFolderFiles: () => ["agents/main/wire.jsonl"],
  read: (path: string) => readKimiSession(nodePath.resolve(path)),
  plan: planKimiSession,
  resumeCommand: kimiResumeCommand,
  unreadStores: legacyKimiStores,
};
