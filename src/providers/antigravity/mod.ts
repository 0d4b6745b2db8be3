/**
 * The Antigravity CLI (`agy`) provider, read only: conversations under
 * `~/.gemini/antigravity-cli/` are read from `brain/<id>/.system_generated/logs/transcript.jsonl`.
 *
 * @module
 */
import * as nodePath from "node:path";
import { installAt } from "../detect.ts";
import { readOnlyPlan } from "../read_only.ts";
import { resumeIn } from "../../internal/shell.ts";
import type { Provider, ResumeCommand } from "../types.ts";
import { findAntigravitySessions, listAntigravitySessions } from "./list.ts";
import { ANTIGRAVITY_ENV_VARS, antigravityRoot, conversationOf } from "./paths.ts";
import { ANTIGRAVITY_ID, readAntigravitySession } from "./reader.ts";
import { firstJsonLine, isRecord } from "../../internal/jsonl.ts";
import { providerNames } from "../names.ts";

/**
 * Whether a file is an Antigravity conversation: a `transcript.jsonl` under
 * `brain/<id>/.system_generated/logs/`, a `conversations/<id>.db` SQLite file,
 * or a JSONL file whose first line is an agy step (`step_index`, `source`, `type`).
 *
 * @param path The file path.
 * @param head The first few kilobytes.
 * @returns `true` when the Antigravity reader can read it.
 */
export function claimsAntigravityFile(path: string, head: string): boolean {
  const where = conversationOf(path);
  if (where?.kind === "transcript") return true;
  if (where?.kind === "database") {
    return head.startsWith("SQLite format 3") &&
      nodePath.basename(nodePath.dirname(nodePath.dirname(path))) === "antigravity-cli";
  }
  if (!nodePath.basename(path).endsWith(".jsonl")) return false;
  const first = firstJsonLine(head);
  if (!first.ok) return /^\s*\{"step_index":\d+,"source":"/.test(head);
  if (!isRecord(first.value)) return false;
  const r = first.value;
  return typeof r.step_index === "number" && typeof r.source === "string" &&
    typeof r.type === "string";
}

/**
 * The command that reopens a conversation in agy.
 *
 * @param session The conversation id (agy records no workspace casr can read).
 * @returns `agy --conversation <id>`.
 */
export function antigravityResumeCommand(
  session: { id: string; workspace?: string },
): ResumeCommand {
  return resumeIn(["agy", "--conversation", session.id], session.workspace);
}

/** The Antigravity CLI provider (a source only). */
export const antigravity: Provider = {
  ...providerNames(ANTIGRAVITY_ID, "Antigravity CLI", ["agy"], "agy"),
  envVars: ANTIGRAVITY_ENV_VARS,
  readOnly: true,
  ...installAt((ctx) => [antigravityRoot(ctx)], "agy"),
  list: listAntigravitySessions,
  find: findAntigravitySessions,
  claims: claimsAntigravityFile,
  read: (path: string) => readAntigravitySession(path),
  plan: readOnlyPlan(
    "Antigravity CLI",
    "agy keeps each conversation as an undocumented protobuf trajectory and has no import",
  ),
  resumeCommand: antigravityResumeCommand,
};
