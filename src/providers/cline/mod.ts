/**
 * The Cline family: Cline (`cline`, aliases `cln`), Roo Code (`roo-code`,
 * `roo`) and Kilo Code (`kilo-code`, `kilo`). They share the extension task
 * folder format; they differ in where the history index lives and where their
 * storage is, so each is its own provider (a target alias then picks the
 * format). Cline also has the CLI 3.x store (`~/.cline/data/sessions`).
 *
 * Cline's target store: `CASR_CLINE_TARGET=cli|extension` when set; else the
 * CLI store, unless the Cline extension's storage exists and `~/.cline` does
 * not (the CLI store is what `cline --id` resumes and what the 4.x extension's
 * "Next" bundle reads).
 *
 * @module
 */
import * as path from "node:path";
import { isDir } from "../../internal/fs.ts";
import { detectInstall } from "../detect.ts";
import type {
  Detection,
  PlanWriteOptions,
  Provider,
  ProviderContext,
  ResumeCommand,
  SessionSummary,
  WritePlan,
} from "../types.ts";
import type { ReadResult, Session } from "../../model/types.ts";
import { CLINE_CLI_ENV, clineCliDirs, extensionStores, taskStores } from "./paths.ts";
import { clineCliResume, editorResume } from "./resume.ts";
import { listSdkSessions, MESSAGES_SUFFIX, planSdkSession, readSdkSession } from "./sdk_store.ts";
import { API_HISTORY, listTasks, planTask, readTask } from "./task_store.ts";
import { CLINE, KILO_CODE, ROO_CODE, type Variant, variantOfPath } from "./variants.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";

/** The variable that picks Cline's target store: `cli` or `extension`. */
export const CLINE_TARGET_ENV = "CASR_CLINE_TARGET";

/**
 * Which store a Cline write goes to (see the module doc).
 *
 * @param ctx Where to look.
 * @returns `cli` or `extension`.
 */
export async function clineTargetStore(ctx: ProviderContext): Promise<"cli" | "extension"> {
  const forced = ctx.env[CLINE_TARGET_ENV]?.trim().toLowerCase();
  if (forced === "cli" || forced === "extension") return forced;
  if (await isDir(clineCliDirs(ctx).home)) return "cli";
  for (const store of extensionStores(ctx, CLINE)) {
    if (await isDir(store.dir)) return "extension";
  }
  return "cli";
}

function findIn(list: SessionSummary[], idOrPrefix: string): SessionSummary[] {
  const key = idOrPrefix.trim();
  if (key === "") return [];
  const exact = list.filter((s) => s.id === key);
  if (exact.length > 0) return exact;
  const lower = key.toLowerCase();
  return list.filter((s) => s.id.toLowerCase().startsWith(lower));
}

/**
 * Whether a file is a Cline family session of `variant`: a CLI messages file
 * (`<id>.messages.json`, Cline only) or a task's `api_conversation_history.json`
 * in that variant's storage (Cline also takes one outside any known storage).
 *
 * @param variant The family member.
 * @param file The path.
 * @param head The first bytes.
 * @returns Whether to claim it.
 */
export function claimsFor(variant: Variant, file: string, head: string): boolean {
  const name = path.basename(file);
  if (name.endsWith(MESSAGES_SUFFIX)) {
    return variant.id === "cline" && /"messages"\s*:/.test(head) && !/"projectHash"/.test(head);
  }
  if (name !== API_HISTORY) return false;
  if (!head.trimStart().startsWith("[")) return false;
  const owner = variantOfPath(file) ?? CLINE;
  return owner.id === variant.id;
}

function makeProvider(
  variant: Variant,
  aliases: readonly string[],
  binary: string,
): Provider {
  const isCline = variant.id === "cline";
  const list = async (ctx: ProviderContext): Promise<SessionSummary[]> => [
    ...(isCline ? await listSdkSessions(ctx) : []),
    ...await listTasks(ctx, variant),
  ];
  return {
    id: variant.id,
    name: variant.name,
    aliases,
    binary,
    carries: { toolName: API_TOOL_NAME, toolFamily: "cline" },
    // `cline [prompt]` (the CLI; the extensions take no prompt from a shell)
    ...(isCline ? { startPrompt: { via: "argument", flags: [] } as const } : {}),
    envVars: isCline
      ? [variant.storageEnv, CLINE_TARGET_ENV, ...CLINE_CLI_ENV]
      : [variant.storageEnv],
    roots: (ctx) => {
      const dirs = clineCliDirs(ctx);
      return [
        ...new Set([
          ...(isCline ? [dirs.data, dirs.sessions, dirs.db] : []),
          ...taskStores(ctx, variant).map((s) => s.dir),
        ]),
      ];
    },
    detect(ctx: ProviderContext, options?: { version?: boolean }): Promise<Detection> {
      const roots = [
        ...(isCline ? [clineCliDirs(ctx).home] : []),
        ...taskStores(ctx, variant).map((s) => s.dir),
      ];
      return detectInstall([...new Set(roots)], binary, ctx, options);
    },
    list,
    async find(ctx: ProviderContext, idOrPrefix: string): Promise<SessionSummary[]> {
      return findIn(await list(ctx), idOrPrefix);
    },
    claims: (file, head) => claimsFor(variant, file, head),
    sessionFolderFiles: (folder) => [
      API_HISTORY,
      ...(isCline ? [`${path.basename(folder)}${MESSAGES_SUFFIX}`] : []),
    ],
    read(file: string, ctx: ProviderContext): Promise<ReadResult> {
      if (isCline && path.basename(file).endsWith(MESSAGES_SUFFIX)) {
        return readSdkSession(file, ctx);
      }
      return readTask(file, ctx, variant);
    },
    async plan(
      session: Session,
      ctx: ProviderContext,
      options: PlanWriteOptions,
    ): Promise<WritePlan> {
      if (isCline && await clineTargetStore(ctx) === "cli") {
        return planSdkSession(session, ctx, options);
      }
      return planTask(session, ctx, options, variant);
    },
    resumeCommand(session: { id: string; workspace?: string }): ResumeCommand {
      // Extension task ids are Date.now() digits (Cline) or UUIDs (Roo, Kilo);
      // CLI ids are `<ms>_<suffix>` (or what casr wrote).
      if (isCline && !/^\d+$/.test(session.id)) return clineCliResume(session);
      return editorResume(session, variant);
    },
  };
}

/** Cline: the CLI 3.x store and the VS Code extension's task folders. */
export const cline: Provider = makeProvider(CLINE, ["cln", "cline"], "cline");

/** Roo Code: the VS Code extension's task folders (and the Roo CLI's). */
export const rooCode: Provider = makeProvider(ROO_CODE, ["roo"], "roo");

/** Kilo Code (legacy 4.x/5.x extension and 0.x CLI): task folders. */
export const kiloCode: Provider = makeProvider(KILO_CODE, ["kilo"], "kilocode");
