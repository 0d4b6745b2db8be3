/**
 * Where the ChatGPT desktop app (macOS) caches conversations:
 * `~/Library/Application Support/com.openai.chat/`, with plaintext v1
 * `conversations-<uuid>/<id>.json` files and encrypted
 * `conversations-v2-<uuid>/` / `conversations-v3-<uuid>/` `.data` files.
 *
 * @module
 */
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";

/** casr's override for the app's data directory (the app has none). */
export const CHATGPT_HOME_ENV = "CHATGPT_HOME";
/** The variables that move the ChatGPT root. */
export const CHATGPT_ENV_VARS = [CHATGPT_HOME_ENV] as const;

/**
 * The app's data directory: `CHATGPT_HOME`, else
 * `<home>/Library/Application Support/com.openai.chat`.
 *
 * @param ctx Environment and home directory.
 * @returns The absolute directory (it may not exist).
 */
export function chatgptRoot(ctx: ProviderContext): string {
  const env = ctx.env[CHATGPT_HOME_ENV];
  if (env !== undefined && env.trim() !== "") return path.resolve(ctx.cwd, env.trim());
  return path.join(ctx.homeDir, "Library", "Application Support", "com.openai.chat");
}

/**
 * What a `conversations-…` directory name says.
 *
 * @param name A directory name.
 * @returns `plain` (v1), `encrypted` (v2, v3 and later), or `undefined` for other names.
 */
export function conversationDirKind(name: string): "plain" | "encrypted" | undefined {
  if (!name.startsWith("conversations-")) return undefined;
  return /^conversations-v\d+-/.test(name) ? "encrypted" : "plain";
}
