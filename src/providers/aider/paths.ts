/**
 * Where Aider chat histories are found, and where casr writes converted ones.
 *
 * Aider keeps one append-only `.aider.chat.history.md` per project (at the git
 * root, else the current directory; `--chat-history-file` or
 * `AIDER_CHAT_HISTORY_FILE` move it). There is no per-user store, so casr looks
 * in:
 *
 * 1. the current directory and each of its parents (`.aider.chat.history.md`);
 * 2. `AIDER_CHAT_HISTORY_FILE` (resolved against the current directory), as Aider does;
 * 3. `CASR_AIDER_PATHS`: a list of history files or project directories,
 *    separated like `PATH` (`:`, or `;` on Windows);
 * 4. casr's own folder of converted sessions, `<casr data dir>/aider`
 *    (`CASR_AIDER_DIR` moves it), where the writer puts each converted session
 *    in its own `<id>.aider.chat.history.md`, leaving the project untouched.
 *
 * A file may hold several sessions; one of them is addressed as `<file>#<id>`.
 *
 * @module
 */
import * as path from "node:path";
import { casrDataDir } from "../../internal/data_dir.ts";
import { listDir } from "../../internal/fs.ts";
import type { ProviderContext } from "../types.ts";

/** Aider's own variable for the chat history file. */
export const AIDER_CHAT_HISTORY_FILE_ENV = "AIDER_CHAT_HISTORY_FILE";
/** casr's list of extra history files or project directories. */
export const CASR_AIDER_PATHS_ENV = "CASR_AIDER_PATHS";
/** casr's variable for the folder of converted sessions. */
export const CASR_AIDER_DIR_ENV = "CASR_AIDER_DIR";
/** Aider's default history file name. */
export const HISTORY_FILE_NAME = ".aider.chat.history.md";
/** The suffix of the files casr writes (`<id>.aider.chat.history.md`). */
export const STORE_SUFFIX = ".aider.chat.history.md";

/**
 * The folder where casr writes converted Aider sessions: `CASR_AIDER_DIR`,
 * else `<casr data dir>/aider`.
 *
 * @param ctx Where to look.
 * @returns The absolute folder (it may not exist).
 */
export function aiderStoreDir(ctx: ProviderContext): string {
  const own = ctx.env[CASR_AIDER_DIR_ENV]?.trim();
  if (own) return path.resolve(ctx.cwd, own);
  return path.join(casrDataDir(ctx), "aider");
}

/**
 * The file casr writes for a converted session.
 *
 * @param ctx Where to write.
 * @param id The session id.
 * @returns `<store>/<id>.aider.chat.history.md`.
 */
export function storeFilePath(ctx: ProviderContext, id: string): string {
  return path.join(aiderStoreDir(ctx), `${id}${STORE_SUFFIX}`);
}

function historyFileOf(entry: string, cwd: string): string {
  const full = path.resolve(cwd, entry);
  return full.toLowerCase().endsWith(".md") ? full : path.join(full, HISTORY_FILE_NAME);
}

/**
 * Every history file casr looks at, most specific first, without duplicates
 * (they may not exist): the current directory and its parents, then
 * `AIDER_CHAT_HISTORY_FILE`, then `CASR_AIDER_PATHS`, then casr's own folder.
 *
 * @param ctx Where to look.
 * @returns Absolute file paths.
 */
export async function historyFiles(ctx: ProviderContext): Promise<string[]> {
  const out: string[] = [];
  for (let dir = path.resolve(ctx.cwd);; dir = path.dirname(dir)) {
    out.push(path.join(dir, HISTORY_FILE_NAME));
    if (path.dirname(dir) === dir) break;
  }
  const own = ctx.env[AIDER_CHAT_HISTORY_FILE_ENV]?.trim();
  if (own) out.push(path.resolve(ctx.cwd, own));
  const list = ctx.env[CASR_AIDER_PATHS_ENV];
  if (list) {
    for (const entry of list.split(path.delimiter)) {
      if (entry.trim() !== "") out.push(historyFileOf(entry.trim(), ctx.cwd));
    }
  }
  for (const entry of await listDir(aiderStoreDir(ctx))) {
    if (entry.isFile && entry.name.endsWith(STORE_SUFFIX)) out.push(entry.path);
  }
  return [...new Set(out)];
}

/**
 * Splits a session path into its file and the session id after `#`, when the
 * path names one session of a file (`<file>#<id>`).
 *
 * @param p A file path or `<file>#<id>`.
 * @returns The file and the id, if any.
 */
export function splitLocator(p: string): { file: string; id?: string } {
  const match = /^(.+)#([A-Za-z0-9][A-Za-z0-9_-]{0,127})$/.exec(p);
  if (!match) return { file: p };
  return { file: match[1] as string, id: match[2] as string };
}
