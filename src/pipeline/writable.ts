/**
 * Where a write may go, checked before anything is written (and for
 * `--dry-run`, instead of writing): every file of a plan inside the target's
 * storage, symlinks included, and in a folder this process may write in; and
 * the error for a target that cannot be written at all.
 *
 * @module
 */
import { constants } from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { CasrError } from "../errors.ts";
import { isAccessDenied, refusingPart } from "../internal/denied.ts";
import { isInside } from "../internal/fs.ts";
import { PROVIDERS } from "../providers/registry.ts";
import type { Provider, ProviderContext, WritePlan } from "../providers/types.ts";

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

/**
 * Refuses a plan that would write outside the target provider's storage roots
 * (or, for providers that keep sessions in the project, outside the workspace),
 * symlinks included.
 *
 * @param plan The plan.
 * @param provider The target provider.
 * @param ctx Where to look.
 * @param workspace The target workspace.
 * @throws {CasrError} `permission-denied` naming the path.
 */
export async function assertConfined(
  plan: WritePlan,
  provider: Provider,
  ctx: ProviderContext,
  workspace: string,
): Promise<void> {
  const roots = [...provider.roots(ctx), ...(provider.writesInWorkspace ? [workspace] : [])];
  const paths = [...plan.files.map((f) => f.path), plan.primaryPath.split("#")[0] as string];
  for (const p of paths) {
    let inside = false;
    for (const root of roots) {
      if (await isInside(p, root)) {
        inside = true;
        break;
      }
    }
    if (!inside) {
      throw new CasrError(
        "permission-denied",
        `Cannot write "${p}": it is outside ${provider.name}'s storage (${roots.join(", ")})`,
        { details: { path: p, roots } },
      );
    }
  }
}

/**
 * The error for a target that cannot import sessions, naming agents that can.
 *
 * @param provider The read-only target.
 * @param id The session the user wanted to move.
 * @param sourceProvider The agent the session is in, never suggested as its target.
 * @returns A `read-only-target` error.
 */
export function readOnlyTargetError(
  provider: Provider,
  id: string,
  sourceProvider?: string,
): CasrError {
  const writable = PROVIDERS.filter((p) => !p.readOnly).map((p) => p.id);
  const example = writable.find((p) => p !== sourceProvider) ?? "claude-code";
  const article = /^[aeiou]/i.test(provider.name) ? "an" : "a";
  return new CasrError(
    "read-only-target",
    `Cannot write ${article} ${provider.name} session: ${provider.name} cannot import sessions ` +
      `(casr only reads them); resume in an agent that can, e.g. "casr ${example} resume ${id}" ` +
      `(targets: ${writable.join(", ")})`,
    { details: { provider: provider.id, id, targets: writable } },
  );
}
