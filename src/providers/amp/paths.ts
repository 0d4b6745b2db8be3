/**
 * Where Amp keeps thread files, and where casr writes converted ones.
 *
 * Amp's data dir, as the `@sourcegraph/amp` 0.0.1790142911 bundle computes it:
 * `$XDG_DATA_HOME/amp` (else `~/.local/share/amp`) on Linux, and
 * `~/.local/share/amp` on macOS and Windows too (`XDG_DATA_HOME` ignored there).
 * Local-first CLIs (2025 – early 2026) kept `threads/T-<uuid>.json` in it; the
 * VS Code extension kept `<editor User dir>/globalStorage/sourcegraph.amp/threads3/`.
 * The current CLI reads neither (it asks Amp's server), so casr writes
 * converted threads to its own folder, `<casr data dir>/amp/threads`
 * (`CASR_AMP_DIR` moves it), next to the transcript used to seed a new thread.
 *
 * @module
 */
import * as path from "node:path";
import { casrDataDir } from "../../internal/data_dir.ts";
import { currentPlatform } from "../../internal/runtime.ts";
import type { ProviderContext } from "../types.ts";

/** casr's override for Amp's data dir (the folder holding `threads/`). */
export const AMP_DATA_HOME_ENV = "AMP_DATA_HOME";
/** casr's override for its folder of converted Amp threads. */
export const CASR_AMP_DIR_ENV = "CASR_AMP_DIR";
/** The editors whose VS Code-style storage may hold the Amp extension's threads. */
export const EDITOR_FOLDERS = ["Code", "Code - Insiders", "VSCodium", "Cursor", "Windsurf"];

function envPath(ctx: ProviderContext, name: string): string | undefined {
  const value = ctx.env[name]?.trim();
  return value ? path.resolve(ctx.cwd, value) : undefined;
}

/**
 * Amp's data dir: `AMP_DATA_HOME`, else the CLI's own rule (see the module doc).
 *
 * @param ctx Where to look.
 * @param platform The OS (`process.platform` values).
 * @returns The absolute folder (it may not exist).
 */
export function ampDataDir(ctx: ProviderContext, platform: string = currentPlatform()): string {
  const own = envPath(ctx, AMP_DATA_HOME_ENV);
  if (own !== undefined) return own;
  const xdg = ctx.env.XDG_DATA_HOME?.trim();
  const base = platform !== "darwin" && platform !== "win32" && xdg && path.isAbsolute(xdg)
    ? xdg
    : path.join(ctx.homeDir, ".local", "share");
  return path.join(base, "amp");
}

/**
 * The folder where casr writes converted threads: `CASR_AMP_DIR`, else
 * `<casr data dir>/amp/threads`.
 *
 * @param ctx Where to write.
 * @returns The absolute folder (it may not exist).
 */
export function casrAmpDir(ctx: ProviderContext): string {
  return envPath(ctx, CASR_AMP_DIR_ENV) ?? path.join(casrDataDir(ctx), "amp", "threads");
}

/**
 * The VS Code extension's thread folders, one per editor.
 *
 * @param ctx Where to look.
 * @param platform The OS layout.
 * @returns Absolute folders (they may not exist).
 */
export function extensionThreadDirs(
  ctx: ProviderContext,
  platform: string = currentPlatform(),
): string[] {
  let base: string;
  if (platform === "darwin") base = path.join(ctx.homeDir, "Library", "Application Support");
  else if (platform === "win32") {
    base = ctx.env.APPDATA?.trim() || path.join(ctx.homeDir, "AppData", "Roaming");
  } else base = envPath(ctx, "XDG_CONFIG_HOME") ?? path.join(ctx.homeDir, ".config");
  return EDITOR_FOLDERS.map((folder) =>
    path.join(base, folder, "User", "globalStorage", "sourcegraph.amp", "threads3")
  );
}

/**
 * Every folder that may hold `T-*.json` threads: casr's own first (where new
 * ones are written), then Amp's `threads/`, then the extension's.
 *
 * @param ctx Where to look.
 * @returns Absolute folders.
 */
export function threadDirs(ctx: ProviderContext): string[] {
  return [
    casrAmpDir(ctx),
    path.join(ampDataDir(ctx), "threads"),
    ...extensionThreadDirs(ctx),
  ];
}

const THREAD_ID_RE = /^T-[A-Za-z0-9][A-Za-z0-9-]{7,}$/;

/** Whether `id` is an Amp thread id (`T-` and at least 8 more of `[A-Za-z0-9-]`). */
export function isThreadId(id: string): boolean {
  return THREAD_ID_RE.test(id);
}

/** The thread id in a file name `T-….json`, if it is one. */
export function threadIdFromName(name: string): string | undefined {
  if (!name.endsWith(".json")) return undefined;
  const stem = name.slice(0, -5);
  return isThreadId(stem) ? stem : undefined;
}
