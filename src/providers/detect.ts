/**
 * The detection every provider shares: which storage roots exist, whether the
 * binary is on PATH, and (on request) its version.
 *
 * @module
 */
import { isDir } from "../internal/fs.ts";
import { binaryVersion, which } from "../internal/process.ts";
import type { Detection, ProviderContext } from "./types.ts";

/**
 * Detects an agent from its storage roots and binary name.
 *
 * @param roots The storage roots to check.
 * @param binary The command name to look up on PATH.
 * @param ctx Where to look (PATH comes from `ctx.env`).
 * @param options `version` also runs `<binary> --version`.
 * @returns What was found.
 */
export async function detectInstall(
  roots: readonly string[],
  binary: string,
  ctx: ProviderContext,
  options: { version?: boolean } = {},
): Promise<Detection> {
  const present: string[] = [];
  for (const root of roots) if (await isDir(root)) present.push(root);
  const binaryPath = await which(binary, ctx.env);
  const detection: Detection = {
    installed: present.length > 0 || binaryPath !== undefined,
    roots: present,
  };
  if (binaryPath !== undefined) {
    detection.binaryPath = binaryPath;
    if (options.version) {
      const version = await binaryVersion(binaryPath);
      if (version !== undefined) detection.version = version;
    }
  }
  return detection;
}
