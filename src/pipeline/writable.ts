/**
 * Checking, before anything is written (and for `--dry-run`, instead of
 * writing), that every file of a plan could be created: its nearest existing
 * folder must be a folder this process may write in.
 *
 * @module
 */
import { constants } from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { CasrError } from "../errors.ts";
import { isAccessDenied, refusingPart } from "../internal/denied.ts";

/** The nearest existing path at or above `p`, and whether it could be looked at. */
async function nearestExisting(p: string): Promise<{ at: string; refused: boolean }> {
  let at = p;
  for (;;) {
    try {
      await fsp.lstat(at);
      return { at, refused: false };
    } catch (error) {
      if (isAccessDenied(error)) return { at: await refusingPart(at), refused: true };
      const parent = path.dirname(at);
      if (parent === at) return { at, refused: false };
      at = parent;
    }
  }
}

/**
 * Throws when a file of the plan could not be written: a folder on its way
 * is a file, or the folder it would be created in refuses writes.
 *
 * @param files The files the plan writes (absolute paths).
 * @param targetName The target agent's name, for the message.
 * @throws {CasrError} `permission-denied` (a folder refuses) or `write-failed`
 * (a file is in the way), naming the folder and what to do.
 *
 * @example
 * ```ts ignore
 * await assertWritable(plan.files.map((f) => f.path), "Codex CLI");
 * ```
 */
export async function assertWritable(files: readonly string[], targetName: string): Promise<void> {
  for (const file of files) {
    const { at, refused } = await nearestExisting(path.dirname(file));
    const would = `Cannot write the ${targetName} session: writing ${file} would fail`;
    if (!refused) {
      let stat: Awaited<ReturnType<typeof fsp.stat>>;
      try {
        stat = await fsp.stat(at);
      } catch {
        continue; // a dangling link or a race: the write itself reports it
      }
      if (!stat.isDirectory()) {
        throw new CasrError(
          "write-failed",
          `${would}: ${at} is a file where a folder should be (move it away)`,
          { details: { path: file, blocking: at } },
        );
      }
      try {
        await fsp.access(at, constants.W_OK | constants.X_OK);
        continue;
      } catch (error) {
        if (!isAccessDenied(error) && (error as { code?: unknown }).code !== "EROFS") continue;
      }
    }
    throw new CasrError(
      "permission-denied",
      `${would}: ${at} is not writable (permission denied); make it writable (chmod u+rwx "${at}") or run casr as its owner`,
      { details: { path: file, refused: at } },
    );
  }
}
