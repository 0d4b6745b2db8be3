/**
 * Checking a target workspace given with `--workspace` / `-w`: made absolute
 * (the resume command's `cd` must work from anywhere), refused when it is a
 * file, and flagged when it does not exist yet.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { CasrError } from "../errors.ts";
import type { Warning } from "../model/types.ts";
import type { ProviderContext } from "../providers/types.ts";

/** What {@linkcode checkWorkspace} found. */
export interface CheckedWorkspace {
  /** The workspace as an absolute path. */
  workspace: string;
  /** `missing-workspace` when the directory does not exist (yet). */
  warnings: Warning[];
}

/**
 * Resolves a workspace the user chose against the current directory and checks it.
 *
 * @param ctx The current directory.
 * @param given The workspace as typed (relative or absolute).
 * @returns The absolute workspace and a warning when it does not exist.
 * @throws {CasrError} `usage` when it names something that is not a directory.
 *
 * @example A relative workspace becomes absolute
 * ```ts ignore
 * const { workspace } = await checkWorkspace(ctx, "proj");
 * // workspace === path.join(ctx.cwd, "proj")
 * ```
 */
export async function checkWorkspace(
  ctx: ProviderContext,
  given: string,
): Promise<CheckedWorkspace> {
  const workspace = path.resolve(ctx.cwd, given);
  let isDirectory: boolean;
  try {
    isDirectory = (await fsp.stat(workspace)).isDirectory();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") return { workspace, warnings: [] };
    return {
      workspace,
      warnings: [{
        code: "missing-workspace",
        message: `The workspace ${workspace} does not exist yet: create it before you resume ` +
          `(the agent starts there)`,
      }],
    };
  }
  if (!isDirectory) {
    throw new CasrError(
      "usage",
      `Cannot use --workspace "${workspace}": it is a file, not a directory (pass the folder the agent should start in)`,
      { details: { workspace } },
    );
  }
  return { workspace, warnings: [] };
}
