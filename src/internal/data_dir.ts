/**
 * casr's own data directory: where casr keeps sessions it wrote for agents
 * that have no per-user store it can write to (Aider keeps history in the
 * project; current Amp keeps threads on its server).
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext } from "../model/provider_data.ts";
import { currentPlatform } from "./runtime.ts";

/** The variable that moves casr's data directory. */
export const CASR_DATA_DIR_ENV = "CASR_DATA_DIR";

/**
 * casr's data directory: `CASR_DATA_DIR` when set, else `XDG_DATA_HOME/casr`,
 * else `~/Library/Application Support/casr` on macOS,
 * `%LOCALAPPDATA%\casr\data` on Windows and `~/.local/share/casr` elsewhere.
 *
 * @param ctx The environment, home and working directory.
 * @param platform The OS (`process.platform` values).
 * @returns The absolute directory (it may not exist).
 */
export function casrDataDir(ctx: ProviderContext, platform: string = currentPlatform()): string {
  const own = ctx.env[CASR_DATA_DIR_ENV]?.trim();
  if (own) return nodePath.resolve(ctx.cwd, own);
  const xdg = ctx.env.XDG_DATA_HOME?.trim();
  if (xdg && nodePath.isAbsolute(xdg)) return nodePath.join(xdg, "casr");
  if (platform === "darwin") {
    return nodePath.join(ctx.homeDir, "Library", "Application Support", "casr");
  }
  if (platform === "win32") {
    const local = ctx.env.LOCALAPPDATA?.trim();
    return local
      ? nodePath.join(local, "casr", "data")
      : nodePath.join(ctx.homeDir, "AppData", "Local", "casr", "data");
  }
  return nodePath.join(ctx.homeDir, ".local", "share", "casr");
}
