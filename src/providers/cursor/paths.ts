/**
 * Where Cursor keeps its chats: the desktop app's `state.vscdb` databases under
 * its user-data folder, and the `cursor-agent` CLI's per-chat `store.db` files
 * under `~/.cursor/chats/`.
 *
 * @module
 */
import * as path from "node:path";
import process from "node:process";
import type { ProviderContext } from "../types.ts";

/** casr's own override of the desktop data folder (the folder that holds `User/`). */
export const CASR_CURSOR_HOME_ENV = "CASR_CURSOR_HOME";
/** The CLI's own override of its config root (chats live in `<dir>/chats`), observed on 2026.01+ builds. */
export const CURSOR_CONFIG_DIR_ENV = "CURSOR_CONFIG_DIR";

/** The operating systems whose layouts differ. */
export type CursorPlatform = "linux" | "darwin" | "win32";

function currentPlatform(): CursorPlatform {
  const p = process.platform;
  return p === "darwin" || p === "win32" ? p : "linux";
}

/**
 * The desktop app's data folder for one OS layout: Linux
 * `$XDG_CONFIG_HOME/Cursor` (else `~/.config/Cursor`, as Electron's appData),
 * macOS `~/Library/Application Support/Cursor`, Windows `%APPDATA%\Cursor`.
 *
 * @param ctx Where to look.
 * @param platform The layout.
 * @returns The absolute folder (it may not exist).
 */
export function desktopDirFor(ctx: ProviderContext, platform: CursorPlatform): string {
  if (platform === "darwin") {
    return path.join(ctx.homeDir, "Library", "Application Support", "Cursor");
  }
  if (platform === "win32") {
    const appData = ctx.env.APPDATA?.trim();
    return path.join(appData ? appData : path.join(ctx.homeDir, "AppData", "Roaming"), "Cursor");
  }
  const xdg = ctx.env.XDG_CONFIG_HOME?.trim();
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(ctx.homeDir, ".config"), "Cursor");
}

/**
 * The desktop data folder new chats are written to: `CASR_CURSOR_HOME` when
 * set, else this OS's layout.
 *
 * @param ctx Where to look.
 * @param platform The OS layout (defaults to the running one).
 * @returns The absolute folder (it may not exist).
 */
export function desktopDir(ctx: ProviderContext, platform = currentPlatform()): string {
  const override = ctx.env[CASR_CURSOR_HOME_ENV]?.trim();
  if (override) return path.resolve(ctx.cwd, override);
  return desktopDirFor(ctx, platform);
}

/**
 * Every desktop data folder worth reading: the override alone when set, else
 * this OS's layout first, then the other two layouts under the same home (a
 * copied home from another OS still lists).
 *
 * @param ctx Where to look.
 * @returns Absolute folders, deduplicated.
 */
export function desktopDirs(ctx: ProviderContext): string[] {
  const first = desktopDir(ctx);
  if (ctx.env[CASR_CURSOR_HOME_ENV]?.trim()) return [first];
  const all = [first, ...(["linux", "darwin", "win32"] as const).map((p) => desktopDirFor(ctx, p))];
  return [...new Set(all)];
}

/** The global database of a desktop data folder: `User/globalStorage/state.vscdb`. */
export function globalDbPath(dataDir: string): string {
  return path.join(dataDir, "User", "globalStorage", "state.vscdb");
}

/** The per-workspace databases folder of a desktop data folder: `User/workspaceStorage`. */
export function workspaceStorageDir(dataDir: string): string {
  return path.join(dataDir, "User", "workspaceStorage");
}

/**
 * The `cursor-agent` config root: `CURSOR_CONFIG_DIR` when set, else `~/.cursor`.
 *
 * @param ctx Where to look.
 * @returns The absolute folder (it may not exist).
 */
export function cliRoot(ctx: ProviderContext): string {
  const override = ctx.env[CURSOR_CONFIG_DIR_ENV]?.trim();
  if (override) return path.resolve(ctx.cwd, override);
  return path.join(ctx.homeDir, ".cursor");
}

/** A session inside a database file: `<file>#<id>`. */
export interface DbRef {
  /** The database file. */
  file: string;
  /** The composer id, when the reference names one. */
  id?: string;
}

/**
 * The path casr uses for a desktop chat: `<state.vscdb>#<composerId>`. The
 * reader and `find` accept it.
 *
 * @param file The global `state.vscdb`.
 * @param composerId The composer id.
 * @returns The reference string.
 */
export function composerRef(file: string, composerId: string): string {
  return `${file}#${composerId}`;
}

/**
 * Splits `<file>#<id>` at the last `#` when what follows looks like an id (no
 * path separator); anything else is a plain file path.
 *
 * @param ref A path or a `<file>#<id>` reference.
 * @returns The file and the id, if any.
 */
export function parseRef(ref: string): DbRef {
  const at = ref.lastIndexOf("#");
  if (at > 0) {
    const id = ref.slice(at + 1);
    if (/^[A-Za-z0-9_.:-]+$/.test(id)) return { file: ref.slice(0, at), id };
  }
  return { file: ref };
}

/**
 * A `file://` URI for an absolute path, spelled the way VS Code's `URI.file`
 * does for plain paths (`/` separators, each segment percent-encoded).
 *
 * @param fsPath An absolute path.
 * @returns The URI.
 */
export function fileUri(fsPath: string): string {
  let p = fsPath.replaceAll("\\", "/");
  if (/^[A-Za-z]:/.test(p)) p = `/${p[0]!.toLowerCase()}${p.slice(1)}`;
  if (!p.startsWith("/")) p = `/${p}`;
  return `file://${p.split("/").map(encodeURIComponent).join("/")}`;
}

/**
 * The local path of a `file://` (or `vscode-remote://…`) URI.
 *
 * @param uri The URI.
 * @returns The path, or `undefined` when it is not a URI of a path.
 */
export function uriPath(uri: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*):\/\/[^/]*(\/.*)?$/i.exec(uri.trim());
  if (!match) return undefined;
  let p: string;
  try {
    p = decodeURIComponent(match[2] ?? "/");
  } catch {
    return undefined;
  }
  if (/^\/[A-Za-z]:/.test(p)) p = p.slice(1);
  return p;
}
