/**
 * The store of kimi-cli, the Python CLI Kimi Code replaced: `~/.kimi` (or
 * `KIMI_SHARE_DIR`) with `sessions/<md5 of the work dir>/<uuid>/context.jsonl`.
 * casr does not read it; Kimi Code's `kimi migrate --run` brings its sessions
 * into Kimi Code's store, where casr does. `list` says so when it finds any.
 *
 * @module
 */
import * as path from "node:path";
import type { ProviderContext, UnreadStore } from "../types.ts";
import { listDir } from "../../internal/fs.ts";
import { statFile } from "../../internal/fast_fs.ts";
import { plural } from "../../internal/plural.ts";

/** The variable that moves kimi-cli's share directory. */
const LEGACY_ENV = "KIMI_SHARE_DIR";

/**
 * kimi-cli's share directory: `KIMI_SHARE_DIR` if set, else `<home>/.kimi`.
 *
 * @param ctx Where to look.
 * @returns The absolute directory.
 */
export function legacyKimiRoot(ctx: ProviderContext): string {
  const value = ctx.env[LEGACY_ENV]?.trim();
  return value ? path.resolve(ctx.cwd, value) : path.join(ctx.homeDir, ".kimi");
}

/**
 * kimi-cli sessions left in its store (a session folder holding
 * `context.jsonl`), as one store to mention, or none.
 *
 * @param ctx Where to look.
 * @returns The store with its session count, when it holds any.
 */
export async function legacyKimiStores(ctx: ProviderContext): Promise<UnreadStore[]> {
  const sessions = path.join(legacyKimiRoot(ctx), "sessions");
  let count = 0;
  for (const bucket of await listDir(sessions)) {
    if (!bucket.isDir) continue;
    for (const session of await listDir(bucket.path)) {
      if (!session.isDir) continue;
      if ((await statFile(path.join(session.path, "context.jsonl")))?.isFile) count++;
    }
  }
  if (count === 0) return [];
  return [{
    path: sessions,
    sessions: count,
    message:
      `${plural(count, "kimi-cli session")} in ${sessions} ${
        count === 1 ? "is" : "are"
      } in the store of the older Python CLI, which casr does not read: run \`kimi migrate --run\` ` +
      `(Kimi Code) to bring ${count === 1 ? "it" : "them"} into Kimi Code, then list again`,
  }];
}
