/**
 * Kiro CLI (AWS; `kiro-cli`): reads all three session stores — G1 SQLite
 * `conversations_v2`, G2 `~/.kiro/sessions/cli/<uuid>.{json,jsonl}`, G3
 * `~/.kiro/sessions/<workspace-hash>/sess_<uuid>/` — and writes G2.
 *
 * @module
 */
import * as nodePath from "node:path";
import { installAt } from "../detect.ts";
import type { Provider, ProviderContext } from "../types.ts";
import type { ReadResult } from "../../model/types.ts";
import { parseFailed } from "../../errors.ts";
import { KIRO_ID } from "./common.ts";
import { listG1Rows, readKiroG1 } from "./g1.ts";
import { readKiroG2 } from "./g2.ts";
import { readKiroG3 } from "./g3.ts";
import { findKiroSessions, listKiroSessions } from "./list.ts";
import {
  g1Ref,
  generationOf,
  KIRO_ENV_VARS,
  kiroG1Dirs,
  kiroG2Dir,
  kiroHome,
  parseG1Ref,
} from "./paths.ts";
import { kiroResumeCommand, planKiroSession } from "./writer.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { firstJsonLine, isRecord } from "../../internal/jsonl.ts";
import { providerNames } from "../names.ts";

const G2_KINDS = new Set([
  "Prompt",
  "AssistantMessage",
  "ToolResults",
  "Compaction",
  "ResetTo",
  "CancelledPrompt",
  "Clear",
]);

function firstRecord(head: string): Record<string, unknown> | undefined {
  const first = firstJsonLine(head);
  return first.ok && isRecord(first.value) ? first.value : undefined;
}

/**
 * Whether a file looks like a Kiro session: a G2 journal (`.jsonl` whose
 * first line is `{"version":"v1","kind":<log kind>,…}`), a G3 `messages.jsonl`
 * in a `sess_*` folder (first line has `payload.type`), or a G1
 * `kiro-cli/data.sqlite3` database.
 *
 * @param path The file path.
 * @param head The first few kilobytes.
 * @returns `true` when the Kiro reader can read it.
 */
export function claimsKiroFile(path: string, head: string): boolean {
  const base = nodePath.basename(path);
  if (base === "data.sqlite3") {
    return nodePath.basename(nodePath.dirname(path)) === "kiro-cli" &&
      head.startsWith("SQLite format 3");
  }
  if (!base.endsWith(".jsonl")) return false;
  const record = firstRecord(head);
  if (generationOf(path) === "g3") {
    const payload = record?.payload;
    return typeof payload === "object" && payload !== null &&
      typeof (payload as Record<string, unknown>).type === "string";
  }
  if (record !== undefined) {
    return record.version === "v1" && G2_KINDS.has(String(record.kind)) && "data" in record;
  }
  return /^\s*\{"version":"v1","kind":"(Prompt|AssistantMessage|ToolResults)","data":\{/.test(head);
}

/**
 * Reads a Kiro session of any generation.
 *
 * @param path A G2 `.jsonl`, a G3 `messages.jsonl`, or `<data.sqlite3>#<id>`
 * (a bare `data.sqlite3` with one conversation reads that one).
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when nothing usable is there.
 */
export async function readKiroSession(path: string): Promise<ReadResult> {
  const generation = generationOf(path);
  if (generation === "g3") return readKiroG3(path);
  if (generation === "g2") return readKiroG2(path);
  if (parseG1Ref(path) !== undefined) return readKiroG1(path);
  const rows = await listG1Rows(path);
  if (rows.length !== 1) {
    throw parseFailed(
      path,
      `the database holds ${rows.length} conversations; name one as <path>#<conversation id> (see casr list)`,
    );
  }
  return readKiroG1(g1Ref(path, rows[0]!.id));
}

function roots(ctx: ProviderContext): string[] {
  const out = [kiroHome(ctx)];
  const g2 = kiroG2Dir(ctx);
  if (!g2.startsWith(out[0]! + nodePath.sep)) out.unshift(g2);
  return [...out, ...kiroG1Dirs(ctx)];
}

/** The Kiro CLI provider. */
export const kiro: Provider = {
  ...providerNames(KIRO_ID, "Kiro CLI", ["kiro"], "kiro-cli"),
  carries: { toolName: API_TOOL_NAME, toolFamily: "kiro" },
  envVars: KIRO_ENV_VARS,
  ...installAt(roots, "kiro-cli"),
  list: listKiroSessions,
  find: findKiroSessions,
  claims: claimsKiroFile,
  read: (path: string) => readKiroSession(path),
  plan: planKiroSession,
  resumeCommand: kiroResumeCommand,
};
