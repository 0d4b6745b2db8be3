/**
 * Applying a write plan: each file atomically, then the effects, all undone on
 * any failure; backups of replaced shared files kept until `commit`.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import { CasrError } from "../errors.ts";
import {
  type AtomicWriteRecord,
  sameFileContent,
  undoAtomicWrite,
  writeFileAtomic,
} from "../internal/fs.ts";
import type { WritePlan } from "../providers/types.ts";

/**
 * The error for a failed write: `conflict` when another run got there first,
 * `permission-denied` when the OS refused, else `write-failed`.
 *
 * @param error What the file system threw.
 * @param path The file being written.
 * @returns A {@linkcode CasrError}.
 */
export function writeError(error: unknown, path: string): CasrError {
  if (error instanceof CasrError) return error;
  const code = (error as { code?: string }).code;
  const reason = error instanceof Error ? error.message : String(error);
  if (code === "EEXIST") {
    return new CasrError(
      "conflict",
      `Cannot write "${path}": another casr run wrote it first (use --force to replace it)`,
      { details: { path }, cause: error },
    );
  }
  if (code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "NotCapable") {
    return new CasrError("permission-denied", `Cannot write "${path}": permission denied`, {
      details: { path },
      cause: error,
    });
  }
  return new CasrError("write-failed", `Cannot write "${path}": ${reason}`, {
    details: { path },
    cause: error,
  });
}

/**
 * Writes a plan's files and applies its effects; on any failure undoes what it did.
 * Shared files it replaces (an index such as Gemini's `projects.json`) are backed
 * up until `commit`, which removes the backups.
 *
 * @param plan The plan.
 * @param replacePrimary Whether the primary file may already exist (an update or `force`).
 * @returns `undo` for everything, and `commit` once verified.
 */
export async function applyPlan(
  plan: WritePlan,
  replacePrimary = false,
): Promise<{ undo: () => Promise<void>; commit: () => Promise<void> }> {
  const written: AtomicWriteRecord[] = [];
  const undos: (() => Promise<void>)[] = [];
  const undoAll = async (): Promise<void> => {
    for (const u of undos.reverse()) await u().catch(() => {});
    for (const w of written.reverse()) await undoAtomicWrite(w).catch(() => {});
  };
  try {
    for (const file of plan.files) {
      if (file.path !== plan.primaryPath && await sameFileContent(file.path, file.data)) continue;
      const record = await writeFileAtomic(file, {
        overwrite: replacePrimary || file.path !== plan.primaryPath,
      })
        .catch((error) => {
          throw writeError(error, file.path);
        });
      written.push(record);
    }
    for (const effect of plan.effects) {
      const undo = await effect.apply().catch((error) => {
        throw writeError(error, effect.description);
      });
      if (undo) undos.push(undo);
    }
  } catch (error) {
    await undoAll();
    throw error;
  }
  // Written: let the (possibly huge) contents go before the session is read back.
  for (const file of plan.files) file.data = "";
  return {
    undo: undoAll,
    commit: async () => {
      for (const w of written) {
        if (w.backupPath !== undefined) await fsp.rm(w.backupPath, { force: true });
      }
    },
  };
}
