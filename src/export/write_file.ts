/**
 * Writing an export: one file, atomically, with the errors a user can act on.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import { CasrError } from "../errors.ts";
import { writeFileAtomic } from "../internal/fs.ts";

/**
 * Writes a transcript file atomically (mode 644) into an existing folder.
 *
 * @param file The file.
 * @param data Its text.
 * @param force Replace a file already there.
 * @param exists The message when the file is there and `force` is not given.
 * @throws {CasrError} `conflict` (the file exists), `permission-denied` or `write-failed`.
 */
export async function writeExportFile(
  file: string,
  data: string,
  force: boolean,
  exists: string,
): Promise<void> {
  try {
    const record = await writeFileAtomic({ path: file, data, mode: 0o644 }, { overwrite: force });
    if (record.backupPath !== undefined) await fsp.rm(record.backupPath, { force: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EEXIST") {
      throw new CasrError("conflict", exists, { details: { path: file }, cause: error });
    }
    throw new CasrError(
      code === "EACCES" || code === "EPERM" ? "permission-denied" : "write-failed",
      `Cannot write "${file}": ${error instanceof Error ? error.message : String(error)}`,
      { details: { path: file }, cause: error },
    );
  }
}
