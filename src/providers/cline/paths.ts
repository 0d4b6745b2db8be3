/**
 * Where the Cline family keeps tasks: the VS Code-style extension storage of
 * every editor host (VS Code, Insiders, VSCodium, Cursor, Windsurf; Linux, macOS,
 * Windows), the older CLI task folders, and the Cline CLI 3.x SDK store.
 *
 * @module
 */
import * as path from "node:path";
import process from "node:process";
import type { ProviderContext } from "../types.ts";
import type { Variant } from "./variants.ts";

/** The OS layout used to find editor data folders. */
export type HostPlatform = "linux" | "darwin" | "win32";

/** An editor that hosts the extensions. */
export interface EditorHost {
  /** The folder name under the OS config dir, e.g. `Code`. */
  folder: string;
  /** The command that opens it, e.g. `code`. */
  command: string;
}

/** The editors searched, in this order (the first existing one is written to). */
export const EDITOR_HOSTS: readonly EditorHost[] = [
  { folder: "Code", command: "code" },
  { folder: "Code - Insiders", command: "code-insiders" },
  { folder: "VSCodium", command: "codium" },
  { folder: "Cursor", command: "cursor" },
  { folder: "Windsurf", command: "windsurf" },
];

/** One folder that holds `tasks/<id>/` (and maybe `state/taskHistory.json`). */
export interface TaskStore {
  /** The storage folder (holds `tasks/`). */
  dir: string;
  /** The editor whose storage this is, when it is one. */
  host?: EditorHost;
  /** VS Code's `state.vscdb` next to the storage folder, for extension storage. */
  vscdb?: string;
}

/** The running OS as a {@linkcode HostPlatform} (other Unixes use the Linux layout). */
export function currentPlatform(): HostPlatform {
  return process.platform === "darwin" || process.platform === "win32" ? process.platform : "linux";
}

function envPath(ctx: ProviderContext, name: string): string | undefined {
  const value = ctx.env[name]?.trim();
  return value ? path.resolve(ctx.cwd, value) : undefined;
}

/**
 * The `User` folder of an editor: `~/.config/<host>/User` (or `$XDG_CONFIG_HOME`)
 * on Linux, `~/Library/Application Support/<host>/User` on macOS,
 * `%APPDATA%\<host>\User` on Windows.
 *
 * @param ctx Where to look.
 * @param host The editor.
 * @param platform The OS layout.
 * @returns The absolute folder (it may not exist).
 */
export function editorUserDir(
  ctx: ProviderContext,
  host: EditorHost,
  platform: HostPlatform = currentPlatform(),
): string {
  if (platform === "darwin") {
    return path.join(ctx.homeDir, "Library", "Application Support", host.folder, "User");
  }
  if (platform === "win32") {
    const appData = ctx.env.APPDATA?.trim() || path.join(ctx.homeDir, "AppData", "Roaming");
    return path.join(appData, host.folder, "User");
  }
  const config = envPath(ctx, "XDG_CONFIG_HOME") ?? path.join(ctx.homeDir, ".config");
  return path.join(config, host.folder, "User");
}

/**
 * The extension storage folders of a variant, override first: the variant's
 * `CASR_*_STORAGE` variable (the storage folder itself, e.g.
 * `…/globalStorage/saoudrizwan.claude-dev`) replaces the search; otherwise every
 * editor's `<User>/globalStorage/<extension id, lower case>`, then the VS Code
 * Server folder of remote sessions (`~/.vscode-server/data/User`).
 *
 * @param ctx Where to look.
 * @param variant The family member.
 * @param platform The OS layout.
 * @returns The candidate stores (they may not exist).
 */
export function extensionStores(
  ctx: ProviderContext,
  variant: Variant,
  platform: HostPlatform = currentPlatform(),
): TaskStore[] {
  const folder = variant.extensionId.toLowerCase();
  const override = envPath(ctx, variant.storageEnv);
  if (override !== undefined) {
    return [{ dir: override, vscdb: path.join(path.dirname(override), "state.vscdb") }];
  }
  const stores: TaskStore[] = EDITOR_HOSTS.map((host) => {
    const globalStorage = path.join(editorUserDir(ctx, host, platform), "globalStorage");
    return {
      dir: path.join(globalStorage, folder),
      host,
      vscdb: path.join(globalStorage, "state.vscdb"),
    };
  });
  if (platform === "linux") {
    const remote = path.join(ctx.homeDir, ".vscode-server", "data", "User", "globalStorage");
    stores.push({
      dir: path.join(remote, folder),
      host: EDITOR_HOSTS[0]!,
      vscdb: path.join(remote, "state.vscdb"),
    });
  }
  return stores;
}

/** The Cline CLI 3.x directories (`CLINE_DIR`, `CLINE_DATA_DIR`, …). */
export interface ClineCliDirs {
  /** `CLINE_DIR`, default `~/.cline`. */
  home: string;
  /** `CLINE_DATA_DIR`, default `<home>/data`. */
  data: string;
  /** `CLINE_SESSION_DATA_DIR`, default `<data>/sessions`. */
  sessions: string;
  /** `CLINE_DB_DATA_DIR`, default `<data>/db` (holds `sessions.db`). */
  db: string;
}

/** The variables that move the Cline CLI store, outermost first. */
export const CLINE_CLI_ENV = [
  "CLINE_DIR",
  "CLINE_DATA_DIR",
  "CLINE_SESSION_DATA_DIR",
  "CLINE_DB_DATA_DIR",
] as const;

/**
 * The Cline CLI store folders.
 *
 * @param ctx Where to look.
 * @returns The folders (they may not exist).
 */
export function clineCliDirs(ctx: ProviderContext): ClineCliDirs {
  const home = envPath(ctx, "CLINE_DIR") ?? path.join(ctx.homeDir, ".cline");
  const data = envPath(ctx, "CLINE_DATA_DIR") ?? path.join(home, "data");
  return {
    home,
    data,
    sessions: envPath(ctx, "CLINE_SESSION_DATA_DIR") ?? path.join(data, "sessions"),
    db: envPath(ctx, "CLINE_DB_DATA_DIR") ?? path.join(data, "db"),
  };
}

/** `sessions.db` of the Cline CLI store. */
export function sessionsDbPath(dirs: ClineCliDirs): string {
  return path.join(dirs.db, "sessions.db");
}

/** The messages file of a CLI session: `<sessions>/<id>/<id>.messages.json`. */
export function sdkMessagesPath(dirs: ClineCliDirs, id: string): string {
  return path.join(dirs.sessions, id, `${id}.messages.json`);
}

/** The manifest of a CLI session: `<sessions>/<id>/<id>.json`. */
export function sdkManifestPath(dirs: ClineCliDirs, id: string): string {
  return path.join(dirs.sessions, id, `${id}.json`);
}

/**
 * Every task store of a variant, most specific first: the extension storage of
 * each editor, then the CLI-era task folders (Cline: the pre-SDK CLI's
 * `~/.cline/data`; Kilo Code: the 0.x CLI's `~/.kilocode/cli/global`; Roo Code:
 * the Roo CLI's `~/.vscode-mock/global-storage`).
 *
 * @param ctx Where to look.
 * @param variant The family member.
 * @param platform The OS layout.
 * @returns The candidate stores (they may not exist).
 */
export function taskStores(
  ctx: ProviderContext,
  variant: Variant,
  platform: HostPlatform = currentPlatform(),
): TaskStore[] {
  const stores = extensionStores(ctx, variant, platform);
  if (variant.id === "cline") stores.push({ dir: clineCliDirs(ctx).data });
  if (variant.id === "kilo-code") {
    stores.push({ dir: path.join(ctx.homeDir, ".kilocode", "cli", "global") });
  }
  if (variant.id === "roo-code") {
    stores.push({ dir: path.join(ctx.homeDir, ".vscode-mock", "global-storage") });
  }
  return stores;
}

/** `tasks/<id>/` of a store. */
export function taskDir(store: string, id: string): string {
  return path.join(store, "tasks", id);
}

/** The resume source of a task: `tasks/<id>/api_conversation_history.json`. */
export function apiHistoryPath(store: string, id: string): string {
  return path.join(taskDir(store, id), "api_conversation_history.json");
}

/** Cline's history index (≥ 3.28): `<store>/state/taskHistory.json`. */
export function taskHistoryJsonPath(store: string): string {
  return path.join(store, "state", "taskHistory.json");
}

/** The store folder of a task file (`<store>/tasks/<id>/<file>`), or `undefined`. */
export function storeOfTaskFile(file: string): string | undefined {
  const dir = path.dirname(path.resolve(file));
  const tasks = path.dirname(dir);
  return path.basename(tasks) === "tasks" ? path.dirname(tasks) : undefined;
}
