/**
 * The task history index of the Cline family ("what the History view lists"):
 * Cline's `state/taskHistory.json`, Roo Code's per-task `history_item.json` and
 * `tasks/_index.json`, the Kilo 0.x CLI's `global-state.json`, and VS Code's
 * `state.vscdb` (`ItemTable` row of the extension id → `taskHistory`).
 *
 * @module
 */
import * as path from "node:path";
import { exists } from "../../internal/fs.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { commitOrRollBack, openSqlite, type SqliteDatabase } from "../../internal/sqlite.ts";
import type { WriteEffect } from "../types.ts";
import { readJsonFile } from "./common.ts";
import { taskDir, taskHistoryJsonPath, type TaskStore } from "./paths.ts";
import type { Variant } from "./variants.ts";

/** One `HistoryItem` (only the fields casr uses are typed). */
export type HistoryItem = Record<string, unknown> & { id: string };

function items(value: unknown): HistoryItem[] {
  const list = Array.isArray(value)
    ? value
    : isRecord(value) && Array.isArray(value.entries)
    ? value.entries
    : isRecord(value) && Array.isArray(value.taskHistory)
    ? value.taskHistory
    : [];
  return list.filter((item): item is HistoryItem => isRecord(item) && typeof item.id === "string");
}

function decode(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return undefined;
}

/**
 * The extension's globalState object from `state.vscdb` (key matched
 * case-insensitively), read-only.
 *
 * @param vscdb The database.
 * @param variant The extension.
 * @returns The stored key and object, or `undefined`.
 */
export async function readGlobalState(
  vscdb: string,
  variant: Variant,
): Promise<{ key: string; state: Record<string, unknown> } | undefined> {
  if (!(await exists(vscdb))) return undefined;
  let db: SqliteDatabase | undefined;
  try {
    db = await openSqlite(vscdb, { readOnly: true });
    if (db === undefined) return undefined;
    const rows = db.prepare("SELECT key, value FROM ItemTable WHERE lower(key) = lower(?)")
      .all(variant.extensionId);
    for (const row of rows) {
      const text = decode(row.value);
      if (text === undefined) continue;
      const state: unknown = JSON.parse(text);
      if (isRecord(state)) return { key: String(row.key), state };
    }
  } catch {
    // not a VS Code state database, or locked
  } finally {
    try {
      db?.close();
    } catch {
      // already closed
    }
  }
  return undefined;
}

/**
 * Every history entry of a store, by task id. Later sources win: `state.vscdb`,
 * `global-state.json`, `_index.json`, `taskHistory.json`.
 *
 * @param store The store.
 * @param variant The extension.
 * @returns The entries.
 */
export async function readIndex(
  store: TaskStore,
  variant: Variant,
): Promise<Map<string, HistoryItem>> {
  const out = new Map<string, HistoryItem>();
  const add = (list: HistoryItem[]) => {
    for (const item of list) out.set(item.id, item);
  };
  if (store.vscdb !== undefined) {
    const global = await readGlobalState(store.vscdb, variant);
    if (global) add(items(global.state.taskHistory));
  }
  add(items(await readJsonFile(path.join(store.dir, "global-state.json"))));
  add(items(await readJsonFile(path.join(store.dir, "tasks", "_index.json"))));
  add(items(await readJsonFile(taskHistoryJsonPath(store.dir))));
  return out;
}

/**
 * Roo Code's per-task `history_item.json`, when present.
 *
 * @param store The store folder.
 * @param id The task id.
 * @returns The entry, or `undefined`.
 */
export async function readHistoryItem(store: string, id: string): Promise<HistoryItem | undefined> {
  const value = await readJsonFile(path.join(taskDir(store, id), "history_item.json"));
  return isRecord(value) && typeof value.id === "string" ? value as HistoryItem : undefined;
}

/** The workspace an entry records (`cwdOnTaskInitialization` or Roo's `workspace`). */
export function itemWorkspace(item: HistoryItem | undefined): string | undefined {
  return str(item?.cwdOnTaskInitialization) ?? str(item?.workspace);
}

/**
 * The effect that adds (or replaces) the task's entry in the extension's
 * `taskHistory` inside `state.vscdb`, keeping every other key and entry; in a
 * transaction with a busy timeout. The undo puts the old value back.
 *
 * @param vscdb The database (it must exist).
 * @param variant The extension.
 * @param item The entry.
 * @returns The effect.
 */
export function globalStateEffect(vscdb: string, variant: Variant, item: HistoryItem): WriteEffect {
  return {
    description: `Add task ${item.id} to ${variant.name}'s history in ${vscdb}`,
    async apply() {
      const db = await openSqlite(vscdb);
      if (db === undefined) {
        throw new Error(`Cannot update "${vscdb}": this runtime has no SQLite`);
      }
      let key = variant.extensionId;
      let old: unknown;
      try {
        db.exec("PRAGMA busy_timeout = 5000");
        db.exec("BEGIN IMMEDIATE");
        commitOrRollBack(db, () => {
          const rows = db.prepare("SELECT key, value FROM ItemTable WHERE lower(key) = lower(?)")
            .all(variant.extensionId);
          let state: Record<string, unknown> = {};
          if (rows[0] !== undefined) {
            key = String(rows[0].key);
            old = rows[0].value;
            const parsed: unknown = JSON.parse(decode(old) ?? "{}");
            if (isRecord(parsed)) state = parsed;
          }
          const history = Array.isArray(state.taskHistory)
            ? state.taskHistory.filter((e) => !(isRecord(e) && e.id === item.id))
            : [];
          state = { ...state, taskHistory: [...history, item] };
          db.prepare("INSERT OR REPLACE INTO ItemTable (key, value) VALUES (?, ?)")
            .run(key, JSON.stringify(state));
        });
      } finally {
        db.close();
      }
      return async () => {
        const undo = await openSqlite(vscdb);
        if (undo === undefined) return;
        try {
          undo.exec("PRAGMA busy_timeout = 5000");
          if (old === undefined) undo.prepare("DELETE FROM ItemTable WHERE key = ?").run(key);
          else {undo.prepare("INSERT OR REPLACE INTO ItemTable (key, value) VALUES (?, ?)").run(
              key,
              old,
            );}
        } finally {
          undo.close();
        }
      };
    },
  };
}
