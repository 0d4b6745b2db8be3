/**
 * Building the {@linkcode ProviderContext} from the running process.
 *
 * @module
 */
import type { ProviderContext } from "../providers/types.ts";
import { currentCwd, currentEnv, currentHomeDir } from "../internal/runtime.ts";
import { PROVIDERS } from "../providers/registry.ts";

/**
 * A context for the current process, with optional overrides (tests pass a temp home).
 *
 * @param overrides Values to use instead of the process's.
 * @returns The context.
 *
 * @example A temp home
 * ```ts
 * import { createContext } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const ctx = createContext({ homeDir: "/tmp/h", env: { HOME: "/tmp/h" } });
 * assert.equal(ctx.homeDir, "/tmp/h");
 * ```
 */
export function createContext(overrides: Partial<ProviderContext> = {}): ProviderContext {
  const env = overrides.env ?? currentEnv(PROVIDERS.flatMap((p) => [...p.envVars]));
  return {
    env,
    homeDir: overrides.homeDir ?? currentHomeDir(env),
    cwd: overrides.cwd ?? currentCwd(),
  };
}
