/**
 * Agents that keep each session as a folder (Copilot CLI, Vibe, Grok, Cline,
 * Kimi Code): finding the session file when a user passes the folder, or
 * another file of it, where a session path is asked for.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { readHead } from "../internal/fs.ts";
import type { Provider } from "../providers/types.ts";

/** A session file found for a folder, and the agent whose it is. */
export interface FolderSession {
  /** The session file. */
  file: string;
  /** The agent that keeps sessions as folders and claims the file. */
  provider: Provider;
}

/** How many folders above a file may be its session folder (Kimi's is two above). */
const MAX_DEPTH = 3;

async function claimedFile(file: string, provider: Provider): Promise<boolean> {
  try {
    if (!(await fsp.stat(file)).isFile()) return false;
    return provider.claims(file, await readHead(file, 8192));
  } catch {
    return false;
  }
}

/**
 * The session file of a session folder: the first file named by a provider's
 * `sessionFolderFiles` that exists in `folder` and that the provider claims.
 *
 * @param folder The folder given.
 * @param providers The providers to ask (those without `sessionFolderFiles` are skipped).
 * @returns The file and its provider, or `undefined` when `folder` is no session folder.
 */
export async function sessionInFolder(
  folder: string,
  providers: readonly Provider[],
): Promise<FolderSession | undefined> {
  for (const provider of providers) {
    for (const name of provider.sessionFolderFiles?.(folder) ?? []) {
      const file = path.join(folder, name);
      if (await claimedFile(file, provider)) return { file, provider };
    }
  }
  return undefined;
}

/**
 * The session file of the session folder a file belongs to (`workspace.yaml`
 * of a Copilot session, `ui_messages.json` of a Cline task…): the nearest of
 * its parent folders, up to three up, that is a session folder.
 *
 * @param file A file no agent claims.
 * @param providers The providers to ask.
 * @returns The session file and its provider, or `undefined`.
 */
export async function sessionOfFolderFile(
  file: string,
  providers: readonly Provider[],
): Promise<FolderSession | undefined> {
  let folder = path.dirname(file);
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const found = await sessionInFolder(folder, providers);
    if (found !== undefined && found.file !== file) return found;
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return undefined;
}

/**
 * What to pass instead of a folder: the session files of the agents that keep
 * sessions as folders, e.g. `events.jsonl (Copilot CLI)`.
 *
 * @param providers The providers.
 * @returns One phrase per agent, joined by commas.
 */
export function folderFileHint(providers: readonly Provider[]): string {
  const byFile = new Map<string, string[]>();
  for (const p of providers) {
    const file = p.sessionFolderFiles?.("<id>")[0];
    if (file !== undefined) byFile.set(file, [...byFile.get(file) ?? [], p.name]);
  }
  return [...byFile].map(([file, names]) => `${file} (${names.join(", ")})`).join(", ");
}
