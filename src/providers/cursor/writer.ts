/**
 * Plans a Cursor desktop chat for a canonical session: bubble rows, the
 * `composerData:` row and the sidebar index entry, written by one effect
 * (see effects.ts). `plan` only reads the disk.
 *
 * @module
 */
import * as path from "node:path";
import { derivedUuid, isoTime, isUuid, uuidV4 } from "../../internal/ids.ts";
import { exists } from "../../internal/fs.ts";
import { toolInputObject } from "../../model/normalize.ts";
import type { Message, Session, ToolResult, Warning } from "../../model/types.ts";
import type { PlanWriteOptions, ProviderContext, WritePlan } from "../types.ts";
import { lexicalJson } from "./bubbles.ts";
import { asRecord, errorText, kvGet, openReadOnly, tableNames, valueJson } from "./db.ts";
import { titleFromText } from "./desktop_reader.ts";
import {
  type CursorWriteDeps,
  cursorWriteEffect,
  type IndexTargets,
  type KvRow,
} from "./effects.ts";
import { composerRef, desktopDir, fileUri, globalDbPath } from "./paths.ts";
import { desktopResumeCommand } from "./resume.ts";
import {
  computedWorkspaceId,
  HEADERS_KEY,
  HEADERS_TABLE,
  listWorkspaces,
  WORKSPACE_COMPOSERS_KEY,
  workspaceFor,
} from "./workspace.ts";

/** The `_v` written when the database has no composer to copy it from (seen on mid-2026 builds). */
const DEFAULT_COMPOSER_V = 16;

/** What plan() learned from the existing databases. */
interface Survey {
  exists: boolean;
  table: boolean;
  blob: boolean;
  migrated: boolean;
  valueAsBlob: boolean;
  composerV: number;
}

async function survey(dbPath: string, warnings: Warning[]): Promise<Survey> {
  const out: Survey = {
    exists: false,
    table: false,
    blob: false,
    migrated: false,
    valueAsBlob: false,
    composerV: DEFAULT_COMPOSER_V,
  };
  if (!(await exists(dbPath))) return out;
  out.exists = true;
  let db;
  try {
    db = await openReadOnly(dbPath, "Cursor's global state database");
  } catch (error) {
    warnings.push({ code: "cursor-db-unreadable", message: errorText(error) });
    return out;
  }
  try {
    const tables = tableNames(db);
    out.table = tables.has(HEADERS_TABLE);
    out.blob = kvGet(db, "ItemTable", HEADERS_KEY) !== undefined;
    const flag = kvGet(db, "ItemTable", `${HEADERS_KEY}.migratedToTable`) ??
      kvGet(db, "cursorDiskKV", `${HEADERS_KEY}.migratedToTable`);
    out.migrated = flag !== undefined && /^(1|true)$/i.test(String(valueJson(flag) ?? flag));
    if (tables.has("cursorDiskKV")) {
      const newest = db.prepare(
        "SELECT typeof(value) AS t, value FROM cursorDiskKV WHERE key >= 'composerData:' AND key < 'composerData;' AND value IS NOT NULL ORDER BY rowid DESC LIMIT 1",
      ).all()[0];
      if (newest) {
        out.valueAsBlob = newest.t === "blob";
        const v = asRecord(valueJson(newest.value))?._v;
        if (typeof v === "number" && Number.isInteger(v) && v > 0) out.composerV = v;
      }
    }
  } catch (error) {
    warnings.push({
      code: "cursor-db-unreadable",
      message: `Cannot survey "${dbPath}": ${errorText(error)}`,
    });
  } finally {
    db.close();
  }
  return out;
}

async function legacyWorkspaceDb(wsDir: string | undefined): Promise<string | undefined> {
  if (wsDir === undefined) return undefined;
  const file = path.join(wsDir, "state.vscdb");
  if (!(await exists(file))) return undefined;
  try {
    const db = await openReadOnly(file, "a Cursor workspace database");
    try {
      const data = asRecord(valueJson(kvGet(db, "ItemTable", WORKSPACE_COMPOSERS_KEY)));
      return Array.isArray(data?.allComposers) ? file : undefined;
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

const USER_DEFAULTS = {
  codeBlocks: [],
  toolResults: [],
  lints: [],
  attachedCodeChunks: [],
  attachedFolders: [],
  attachedFoldersNew: [],
  relevantFiles: [],
  suggestedCodeBlocks: [],
  diffsForCompressingFiles: [],
  gitDiffs: [],
  images: [],
  cursorRules: [],
  context: { fileSelections: [], folderSelections: [], selectedDocs: [], selectedCommits: [] },
};

const ASSISTANT_DEFAULTS = {
  codeBlocks: [],
  toolResults: [],
  lints: [],
  attachedCodeChunks: [],
  relevantFiles: [],
  suggestedCodeBlocks: [],
  gitDiffs: [],
  images: [],
};

/** A stored tool result: Cursor keeps `result` as a JSON string. */
function resultJson(result: ToolResult): string {
  return JSON.stringify({ output: result.output });
}

/** The bubbles of a conversation. */
interface BubblePlan {
  bubbles: Record<string, unknown>[];
  warnings: Warning[];
}

async function buildBubbles(session: Session, composerId: string): Promise<BubblePlan> {
  const warnings: Warning[] = [];
  const bubbles: Record<string, unknown>[] = [];
  const messages = session.messages;
  const resultsOf = (i: number): Map<string, { result: ToolResult; at: number | undefined }> => {
    const map = new Map<string, { result: ToolResult; at: number | undefined }>();
    // The tool messages that follow, up to the next user or assistant message
    // (system and other messages between them are not written).
    for (let j = i + 1; j < messages.length; j++) {
      const m = messages[j] as Message;
      if (m.role === "user" || m.role === "assistant") break;
      if (m.role !== "tool") continue;
      for (const r of m.toolResults) map.set(r.callId, { result: r, at: m.timestamp });
    }
    return map;
  };
  let skipped = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Message;
    const at = m.timestamp;
    const createdAt = at === undefined ? undefined : isoTime(at);
    const id = async (k: number) => await derivedUuid(`casr:cursor:${composerId}:${i}:${k}`);
    if (m.role === "system" || m.role === "other") {
      if (m.text.trim() !== "") skipped++;
      continue;
    }
    if (m.role === "user") {
      if (m.text.trim() === "") continue;
      bubbles.push({
        _v: 3,
        type: 1,
        bubbleId: await id(0),
        text: m.text,
        richText: lexicalJson(m.text),
        ...(createdAt === undefined ? {} : { createdAt }),
        ...structuredClone(USER_DEFAULTS),
        isAgentic: true,
      });
      continue;
    }
    if (m.role === "tool") continue; // written with the calls they answer
    const modelCallId = await id(999);
    const base = (bubbleId: string): Record<string, unknown> => ({
      _v: 3,
      type: 2,
      bubbleId,
      ...(createdAt === undefined ? {} : { createdAt }),
      ...structuredClone(ASSISTANT_DEFAULTS),
      ...(m.author === undefined && session.model === undefined
        ? {}
        : { modelInfo: { modelName: m.author ?? session.model } }),
      modelCallId,
      isAgentic: true,
    });
    if (m.text.trim() !== "" || (m.reasoning ?? "").trim() !== "") {
      const bubble: Record<string, unknown> = { ...base(await id(0)), text: m.text };
      if (m.reasoning !== undefined && m.reasoning.trim() !== "") {
        bubble.thinking = { text: m.reasoning, signature: "" };
      }
      bubbles.push(bubble);
    }
    const results = resultsOf(i);
    for (let k = 0; k < m.toolCalls.length; k++) {
      const call = m.toolCalls[k]!;
      const params = JSON.stringify(toolInputObject(call.input));
      const answer = results.get(call.id);
      const data: Record<string, unknown> = {
        toolCallId: call.id,
        toolIndex: k,
        modelCallId,
        ...(answer === undefined ? {} : { status: answer.result.isError ? "error" : "completed" }),
        name: call.name,
        rawArgs: params,
        params,
      };
      if (answer !== undefined) {
        data.result = resultJson(answer.result);
        if (answer.result.isError) data.additionalData = { status: "error" };
      }
      const bubble: Record<string, unknown> = {
        ...base(await id(k + 1)),
        text: "",
        toolFormerData: data,
      };
      const end = answer?.at;
      if (at !== undefined || end !== undefined) {
        bubble.timingInfo = {
          ...(at === undefined ? {} : { clientStartTime: at }),
          ...(end === undefined ? {} : { clientEndTime: end }),
        };
      }
      bubbles.push(bubble);
    }
  }
  if (skipped > 0) {
    warnings.push({
      code: "skipped-messages",
      message: `Cursor has no place for system or injected messages; left out ${skipped}`,
    });
  }
  return { bubbles, warnings };
}

/**
 * Plans a desktop chat for `session`.
 *
 * @param session The canonical session (repaired).
 * @param ctx Where to write.
 * @param options Workspace, time, and the id to use.
 * @param deps Hooks for tests (process finder, busy timeout).
 * @returns The plan: no files, one effect that writes the database rows.
 */
export async function planCursorChat(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
  deps: CursorWriteDeps = {},
): Promise<WritePlan> {
  const warnings: Warning[] = [];
  const composerId = options.sessionId !== undefined && isUuid(options.sessionId)
    ? options.sessionId.toLowerCase()
    : uuidV4();
  const dataDir = desktopDir(ctx);
  const dbPath = globalDbPath(dataDir);
  const workspace = path.resolve(ctx.cwd, options.workspace);
  const found = await survey(dbPath, warnings);
  if (!found.exists) {
    warnings.push({
      code: "cursor-db-created",
      message:
        `Cursor has no global state database at "${dbPath}" yet; casr creates one (Cursor adopts it when it starts)`,
    });
  }

  const workspaces = await listWorkspaces(dataDir);
  const known = await workspaceFor(workspaces, workspace);
  let workspaceId: string;
  if (known) workspaceId = known.id;
  else {
    const computed = await computedWorkspaceId(workspace);
    workspaceId = computed.id;
    warnings.push({
      code: "cursor-workspace-unknown",
      message: computed.exists
        ? `Cursor has not opened "${workspace}" yet; filed the chat under the workspace id VS Code derives for that folder (${workspaceId})`
        : `"${workspace}" does not exist here; filed the chat under workspace id ${workspaceId}, open that folder in Cursor to see it`,
    });
  }

  const { bubbles, warnings: bubbleWarnings } = await buildBubbles(session, composerId);
  warnings.push(...bubbleWarnings);
  const times = session.messages.map((m) => m.timestamp).filter((t): t is number =>
    t !== undefined
  );
  const createdAt = times[0] ?? session.startedAt ?? options.now;
  const lastUpdatedAt = Math.max(createdAt, times.at(-1) ?? session.endedAt ?? createdAt);
  const name = session.title?.trim() ||
    titleFromText(session.messages.find((m) => m.role === "user")?.text ?? "") || "Imported chat";
  const uri = fileUri(workspace);
  const workspaceIdentifier = {
    id: workspaceId,
    uri: {
      $mid: 1,
      fsPath: workspace,
      external: uri,
      path: uri.slice("file://".length),
      scheme: "file",
    },
  };
  const composer: Record<string, unknown> = {
    _v: found.composerV,
    composerId,
    name,
    richText: "",
    text: "",
    hasLoaded: true,
    createdAt,
    lastUpdatedAt,
    conversationCheckpointLastUpdatedAt: lastUpdatedAt,
    status: "completed",
    unifiedMode: "agent",
    forceMode: "edit",
    isAgentic: true,
    isArchived: false,
    isDraft: false,
    fullConversationHeadersOnly: bubbles.map((b) => ({
      bubbleId: b.bubbleId,
      type: b.type,
      ...(b.createdAt === undefined ? {} : { createdAt: b.createdAt }),
    })),
    conversationMap: {},
    context: {
      composers: [],
      selectedCommits: [],
      selectedPullRequests: [],
      selectedImages: [],
      folderSelections: [],
      fileSelections: [],
      selections: [],
      terminalSelections: [],
      selectedDocs: [],
      externalLinks: [],
      cursorRules: [],
      cursorCommands: [],
      mentions: {},
    },
    codeBlockData: {},
    originalFileStates: {},
    usageData: {},
    capabilities: [],
    todos: [],
    subComposerIds: [],
    trackedGitRepos: [],
    ...(session.model === undefined
      ? {}
      : { modelConfig: { modelName: session.model, maxMode: false } }),
    createdFrom: "casr",
  };
  const head: Record<string, unknown> = {
    type: "head",
    composerId,
    name,
    subtitle: "",
    createdAt,
    lastUpdatedAt,
    conversationCheckpointLastUpdatedAt: lastUpdatedAt,
    unifiedMode: "agent",
    forceMode: "edit",
    hasUnreadMessages: false,
    contextUsagePercent: 0,
    totalLinesAdded: 0,
    totalLinesRemoved: 0,
    filesChangedCount: 0,
    hasBlockingPendingActions: false,
    hasPendingPlan: false,
    isArchived: false,
    isDraft: false,
    isWorktree: false,
    worktreeStartedReadOnly: false,
    isSpec: false,
    isProject: false,
    isBestOfNSubcomposer: false,
    numSubComposers: 0,
    referencedPlans: [],
    trackedGitRepos: [],
    workspaceIdentifier,
  };
  const rows: KvRow[] = [
    ...bubbles.map((b) => ({
      key: `bubbleId:${composerId}:${b.bubbleId}`,
      value: JSON.stringify(b),
    })),
    { key: `composerData:${composerId}`, value: JSON.stringify(composer) },
  ];
  // The sidebar index: the composerHeaders table (newer 3.x), the global
  // ItemTable blob (3.0+, also when nothing exists yet), or, before 3.0, the
  // workspace database's allComposers.
  const index: IndexTargets = { table: found.table, blob: false };
  if (found.blob && !(found.table && found.migrated)) index.blob = true;
  if (!found.table && !found.blob) {
    const legacy = found.exists ? await legacyWorkspaceDb(known?.dir) : undefined;
    if (legacy !== undefined) index.workspaceDb = legacy;
    else index.blob = true;
  }
  const effect = cursorWriteEffect({
    dbPath,
    composerId,
    rows,
    head,
    headerRow: {
      composerId,
      workspaceId,
      createdAt,
      lastUpdatedAt,
      isArchived: 0,
      isSubagent: 0,
      recency: lastUpdatedAt,
      checkpointAt: lastUpdatedAt,
      value: JSON.stringify(head),
    },
    index,
    valueAsBlob: found.valueAsBlob,
    createDb: !found.exists,
  }, deps);
  warnings.push({
    code: "cursor-history-only",
    message:
      "Cursor shows the converted turns in the chat; whether its agent takes them as context when you continue is not confirmed (no agent checkpoint is written)",
  });
  return {
    sessionId: composerId,
    primaryPath: composerRef(dbPath, composerId),
    files: [],
    effects: [effect],
    resume: desktopResumeCommand({ id: composerId, workspace, title: name }),
    warnings,
  };
}
