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

/** The `roots` and `detect` members of a provider. */
export interface InstallMembers {
  /** The storage roots casr looks in. */
  roots(ctx: ProviderContext): string[];
  /** Whether the agent is installed: its roots and its binary. */
  detect(ctx: ProviderContext, options?: { version?: boolean }): Promise<Detection>;
}

/**
 * The `roots` and `detect` members of a provider whose install is its storage
 * roots and its binary on PATH.
 *
 * @param rootsOf The storage roots for a context.
 * @param binary The command name to look up on PATH.
 * @param detectRoots The roots that show an install, when they are not `rootsOf`'s.
 * @returns Both members, to spread into the provider.
 */
export function installAt(
  rootsOf: (ctx: ProviderContext) => string[],
  binary: string,
  detectRoots: (ctx: ProviderContext) => string[] = rootsOf,
): InstallMembers {
  return {
    roots: rootsOf,
    detect: (ctx, options) => detectInstall(detectRoots(ctx), binary, ctx, options),
  };
}
