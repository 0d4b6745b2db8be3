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

/**
 * The folder a session's own workspace stands for here: itself when it is an
 * absolute path on this system; else (a Windows session's `c:/…` on Linux or
 * macOS, or a relative path another tool wrote, which resolved here would name
 * a folder under the current one) the current directory, with a
 * `foreign-workspace` warning. No workspace: the current directory.
 *
 * @param ctx The current directory.
 * @param recorded The workspace the session records.
 * @returns The workspace to write for, and the warning when it is not the recorded one.
 */
export function sessionWorkspace(
  ctx: ProviderContext,
  recorded: string | undefined,
): { workspace: string; warning?: Warning } {
  if (recorded === undefined) return { workspace: ctx.cwd };
  if (path.isAbsolute(recorded)) return { workspace: recorded };
  const what = /^([A-Za-z]:[\\/]|\\\\)/.test(recorded) ? "a Windows path" : "not an absolute path";
  return {
    workspace: ctx.cwd,
    warning: {
      code: "foreign-workspace",
      message: `The session's workspace "${recorded}" is ${what}, not a folder on this machine; ` +
        `the new session is for ${ctx.cwd} (pass --workspace to choose another)`,
    },
  };
}
