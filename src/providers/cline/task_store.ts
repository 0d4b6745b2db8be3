/**
 * Extension task folders of the Cline family:
 * `<storage>/tasks/<id>/api_conversation_history.json` (the resume source),
 * `ui_messages.json` (the chat view), `task_metadata.json`, plus the history
 * index (see `history_index.ts`).
 *
 * Not confirmed against a running editor (no VS Code here): the writer follows
 * the documented format (shared/providers/cline.md §2.2–2.9, §3, §4).
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { CasrError, parseFailed } from "../../errors.ts";
import type { FileWrite } from "../../model/provider_data.ts";
import { isDir, listDir } from "../../internal/fs.ts";
import { isUuid, uuidV7 } from "../../internal/ids.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { parseTimestamp, reindexMessages, setTimeSpan } from "../../model/normalize.ts";
import type { ReadResult, Session, Warning } from "../../model/types.ts";
import type {
  PlanWriteOptions,
  ProviderContext,
  SessionSummary,
  WriteEffect,
  WritePlan,
} from "../types.ts";
import {
  conversation,
  countRoles,
  fillTimestamps,
  readJsonFile,
  reasoningWarning,
  titleFromPrompt,
  workspaceFromEnvironment,
} from "./common.ts";
import {
  globalStateEffect,
  type HistoryItem,
  itemWorkspace,
  readHistoryItem,
  readIndex,
} from "./history_index.ts";
import { readLenientArrayFile } from "./lenient_json.ts";
import { canonicalToStored, storedToCanonical } from "./messages.ts";
import {
  apiHistoryPath,
  editorUserDir,
  extensionStores,
  storeOfTaskFile,
  taskDir,
  taskHistoryJsonPath,
  type TaskStore,
  taskStores,
} from "./paths.ts";
import { editorResume } from "./resume.ts";
import type { Variant } from "./variants.ts";

/** The file name of the resume source. */
export const API_HISTORY = "api_conversation_history.json";

/** One task folder found on disk. */
interface TaskRef {
  id: string;
  store: TaskStore;
  file: string;
}

async function taskRefs(ctx: ProviderContext, variant: Variant): Promise<TaskRef[]> {
  const refs: TaskRef[] = [];
  const seen = new Set<string>();
  for (const store of taskStores(ctx, variant)) {
    for (const entry of await listDir(path.join(store.dir, "tasks"))) {
      if (!entry.isDir || seen.has(entry.name)) continue;
      const file = apiHistoryPath(store.dir, entry.name);
      try {
        if (!(await fsp.stat(file)).isFile()) continue;
      } catch {
        continue;
      }
      seen.add(entry.name);
      refs.push({ id: entry.name, store, file });
    }
  }
  return refs;
}

async function summarize(
  ref: TaskRef,
  variant: Variant,
  index: Map<string, HistoryItem>,
): Promise<SessionSummary> {
  const summary: SessionSummary = { id: ref.id, provider: variant.id, path: ref.file };
  const item = index.get(ref.id) ?? await readHistoryItem(ref.store.dir, ref.id);
  const task = str(item?.task);
  if (task !== undefined) summary.title = titleFromPrompt(task);
  const workspace = itemWorkspace(item);
  if (workspace !== undefined) summary.workspace = workspace;
  if (/^\d{13}$/.test(ref.id)) summary.startedAt = Number(ref.id);
  try {
    const stat = await fsp.stat(ref.file);
    summary.sizeBytes = stat.size;
    summary.lastActiveAt = parseTimestamp(item?.ts) ?? stat.mtimeMs;
  } catch {
    // listed anyway
  }
  const count = await countRoles(ref.file);
  if (count !== undefined) summary.messageCount = count;
  return summary;
}

/**
 * Lists the variant's extension tasks (every folder with an API history).
 *
 * @param ctx Where to look.
 * @param variant The extension.
 * @returns The summaries.
 */
export async function listTasks(ctx: ProviderContext, variant: Variant): Promise<SessionSummary[]> {
  const refs = await taskRefs(ctx, variant);
  const indexes = new Map<string, Map<string, HistoryItem>>();
  const out: SessionSummary[] = [];
  for (const ref of refs) {
    let index = indexes.get(ref.store.dir);
    if (index === undefined) {
      index = await readIndex(ref.store, variant);
      indexes.set(ref.store.dir, index);
    }
    out.push(await summarize(ref, variant, index));
  }
  return out;
}

/**
 * Reads a task's `api_conversation_history.json` leniently; title and
 * workspace come from the history index, else from the first prompt and the
 * `<environment_details>` block.
 *
 * @param file The API history file.
 * @param ctx Where to look for the index.
 * @param variant The extension.
 * @returns The session and warnings.
 * @throws {CasrError} `parse-failed` when nothing usable is in the file.
 */
export async function readTask(
  file: string,
  ctx: ProviderContext,
  variant: Variant,
): Promise<ReadResult> {
  const { parsed, warnings } = await readLenientArrayFile(file);
  const messages = reindexMessages(storedToCanonical(parsed.items, file, warnings));
  if (messages.length === 0) {
    throw parseFailed(file, "no usable messages");
  }
  const id = path.basename(path.dirname(path.resolve(file)));
  const storeDir = storeOfTaskFile(file);
  let item: HistoryItem | undefined;
  if (storeDir !== undefined) {
    const known = taskStores(ctx, variant).find((s) => path.resolve(s.dir) === storeDir);
    const store: TaskStore = known ??
      { dir: storeDir, vscdb: path.join(path.dirname(storeDir), "state.vscdb") };
    item = (await readIndex(store, variant)).get(id) ?? await readHistoryItem(storeDir, id);
  }
  const session: Session = {
    id,
    provider: variant.id,
    messages,
    metadata: { store: "extension" },
    sourcePath: file,
  };
  const workspace = itemWorkspace(item) ??
    messages.filter((m) => m.role === "system").map((m) => workspaceFromEnvironment(m.text))
      .find((w) => w !== undefined);
  if (workspace !== undefined) session.workspace = workspace;
  const firstPrompt = messages.find((m) => m.role === "user")?.text ?? "";
  const title = titleFromPrompt(str(item?.task) ?? firstPrompt);
  if (title !== "") session.title = title;
  const model = str(item?.modelId) ?? str(item?.apiConfigName) ??
    messages.find((m) => m.role === "assistant" && m.author !== undefined)?.author;
  if (model !== undefined) session.model = model;
  setTimeSpan(session);
  return { session, warnings };
}

/**
 * The store a new task goes to: the override, else the first editor whose
 * extension storage exists, else the first editor that is installed (its
 * `User` folder exists), else VS Code.
 *
 * @param ctx Where to look.
 * @param variant The extension.
 * @returns The store.
 */
export async function targetStore(ctx: ProviderContext, variant: Variant): Promise<TaskStore> {
  const stores = extensionStores(ctx, variant);
  for (const store of stores) if (await isDir(store.dir)) return store;
  for (const store of stores) {
    if (store.host && await isDir(editorUserDir(ctx, store.host))) return store;
  }
  return stores[0]!;
}

/** A 13-digit, `Date.now()`-like task id derived from `seed` (so a redo finds it again). */
export function digitsId(seed: string): string {
  let hash = 0n;
  for (const ch of seed) hash = (hash * 131n + BigInt(ch.codePointAt(0) ?? 0)) % 100_000_000_000n;
  return String(1_700_000_000_000n + hash);
}

/** The task id: Cline uses `Date.now()` digits, Roo and Kilo UUIDs. */
function taskId(variant: Variant, options: PlanWriteOptions): string {
  if (variant.id === "cline") {
    if (options.sessionId !== undefined && /^\d{13}$/.test(options.sessionId)) {
      return options.sessionId;
    }
    return options.sessionId === undefined
      ? String(Math.floor(options.now))
      : digitsId(options.sessionId);
  }
  if (options.sessionId !== undefined && isUuid(options.sessionId)) {
    return options.sessionId.toLowerCase();
  }
  return uuidV7(options.now);
}

function uiMessages(
  variant: Variant,
  stored: readonly Record<string, unknown>[],
  prompts: readonly { text: string; ts: number; position: number }[],
  replies: readonly { text: string; ts: number; position: number }[],
): Record<string, unknown>[] {
  const rows: { row: Record<string, unknown>; order: number }[] = [];
  prompts.forEach((p, i) => {
    rows.push({
      order: p.position,
      row: {
        ts: p.ts,
        type: "say",
        say: i === 0 ? variant.firstSay : "user_feedback",
        text: p.text,
        conversationHistoryIndex: p.position,
      },
    });
  });
  replies.forEach((r, i) => {
    const last = i === replies.length - 1 && r.position === stored.length - 1;
    rows.push({
      order: r.position,
      row: {
        ts: r.ts,
        type: "say",
        say: last ? "completion_result" : "text",
        text: r.text,
        conversationHistoryIndex: r.position,
      },
    });
  });
  rows.sort((a, b) => a.order - b.order);
  // ui rows use `ts` as their id: keep them unique and increasing.
  let previous = 0;
  return rows.map(({ row }) => {
    const ts = Math.max(Number(row.ts), previous + 1);
    previous = ts;
    return { ...row, ts };
  });
}

/**
 * Plans a new extension task: the task folder's three files, and the index
 * entry (Cline: `state/taskHistory.json` rewritten with the other entries
 * kept; Roo Code: `history_item.json` in the task folder; Kilo Code: the
 * `taskHistory` array in `state.vscdb`, as an effect, when that database exists).
 *
 * @param session The canonical session.
 * @param ctx Where to write.
 * @param options Workspace, time, id.
 * @param variant The extension.
 * @returns The plan.
 */
export async function planTask(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
  variant: Variant,
): Promise<WritePlan> {
  const warnings: Warning[] = [];
  const store = await targetStore(ctx, variant);
  const storeExisted = await isDir(store.dir);
  const id = taskId(variant, options);
  const messages = conversation(session.messages);
  warnings.push(...reasoningWarning(messages, variant.name));
  const times = fillTimestamps(messages, options.now);
  const prompts: { text: string; ts: number; position: number }[] = [];
  const replies: { text: string; ts: number; position: number }[] = [];
  const stored = canonicalToStored(messages, times, {
    wrapPrompt: (text, first) =>
      first ? `<${variant.promptTag}>\n${text}\n</${variant.promptTag}>` : text,
    resultPerMessage: false,
    decorate: (message, record, position) => {
      const ts = Number(record.ts);
      if (message.role === "user") prompts.push({ text: message.text, ts, position });
      if (message.role === "assistant" && message.text !== "") {
        replies.push({ text: message.text, ts, position });
      }
    },
  });
  const dir = taskDir(store.dir, id);
  const file = apiHistoryPath(store.dir, id);
  const data = JSON.stringify(stored);
  const firstPrompt = messages.find((m) => m.role === "user")?.text ?? "";
  const title = session.title?.trim() || titleFromPrompt(firstPrompt) || "Imported task";
  const lastTs = times.at(-1) ?? options.now;
  const files: FileWrite[] = [
    { path: file, data, mode: 0o600 },
    {
      path: path.join(dir, "ui_messages.json"),
      data: JSON.stringify(uiMessages(variant, stored, prompts, replies)),
      mode: 0o600,
    },
    {
      path: path.join(dir, "task_metadata.json"),
      data: JSON.stringify({ files_in_context: [], model_usage: [], environment_history: [] }),
      mode: 0o600,
    },
  ];
  const item: HistoryItem = {
    id,
    ts: lastTs,
    task: firstPrompt || title,
    tokensIn: 0,
    tokensOut: 0,
    cacheWrites: 0,
    cacheReads: 0,
    totalCost: 0,
    size: new TextEncoder().encode(data).length,
  };
  const effects: WriteEffect[] = [];
  if (variant.index === "task-history-json") {
    item.cwdOnTaskInitialization = options.workspace;
    if (session.model) item.modelId = session.model;
    const indexPath = taskHistoryJsonPath(store.dir);
    const existing = await readJsonFile(indexPath);
    if (existing !== undefined && !Array.isArray(existing)) {
      throw new CasrError(
        "write-failed",
        `Cannot add the task to "${indexPath}": it is not a JSON array; fix or move it first`,
        { details: { path: indexPath } },
      );
    }
    const others = (existing ?? []).filter((e) => !(isRecord(e) && e.id === id));
    files.push({ path: indexPath, data: JSON.stringify([...others, item]), mode: 0o600 });
  } else {
    item.workspace = options.workspace;
    item.number = (await listDir(path.join(store.dir, "tasks"))).filter((e) => e.isDir).length + 1;
    item.mode = "code";
    item.status = "completed";
    // Roo Code ≥ 3.49 indexes from it; for Kilo Code it is casr's own record of
    // the title and workspace (Kilo, a Roo fork from before 3.49, ignores it).
    files.push({
      path: path.join(dir, "history_item.json"),
      data: JSON.stringify(item),
      mode: 0o600,
    });
    if (variant.index === "history-item") {
      // indexed by the file above
    } else if (store.vscdb !== undefined && storeExisted && await isFile(store.vscdb)) {
      effects.push(globalStateEffect(store.vscdb, variant, item));
    } else {
      // No extension storage yet: the extension has never run in this editor, so
      // its state.vscdb row (if the file exists at all) is not touched.
      warnings.push({
        code: "index-missing",
        message:
          `Wrote the task folder only: ${variant.name} lists tasks from the editor's state.vscdb, ` +
          `and it has no ${variant.name} storage at "${store.dir}" yet`,
      });
    }
  }
  return {
    sessionId: id,
    primaryPath: file,
    files,
    effects,
    resume: editorResume({ id, workspace: options.workspace, title }, variant, store.host),
    warnings,
  };
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fsp.stat(p)).isFile();
  } catch {
    return false;
  }
}
