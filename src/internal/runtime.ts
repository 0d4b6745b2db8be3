/**
 * The one place that knows which runtime casr runs on.
 *
 * @module
 */
import * as os from "node:os";
import process from "node:process";

/** Variables casr reads besides the providers' own (which callers pass in). */
const BASE_ENV_NAMES = [
  "HOME",
  "USERPROFILE",
  "APPDATA",
  "LOCALAPPDATA",
  "XDG_DATA_HOME",
  "XDG_CONFIG_HOME",
  "XDG_CACHE_HOME",
  "PATH",
  "Path",
  "PATHEXT",
  "NO_COLOR",
  "CASR_LOG",
  "CASR_READ_THREADS",
  "COLUMNS",
];

/**
 * The environment as a plain record (a copy; never mutated by casr). Where the
 * runtime refuses to list the whole environment (Deno with `--allow-env=NAMES`),
 * it reads the known names one by one and leaves out what it may not read.
 *
 * @param names Extra variable names to read in that case (the providers' overrides).
 * @returns The variables.
 */
export function currentEnv(names: readonly string[] = []): Record<string, string | undefined> {
  try {
    return { ...process.env };
  } catch {
    const env: Record<string, string | undefined> = {};
    for (const name of new Set([...BASE_ENV_NAMES, ...names])) {
      try {
        const value = process.env[name];
        if (value !== undefined) env[name] = value;
      } catch {
        // not allowed: treated as unset
      }
    }
    return env;
  }
}

/** The user's home directory, honouring `HOME` / `USERPROFILE` first (an empty one counts as unset). */
export function currentHomeDir(env: Record<string, string | undefined> = currentEnv()): string {
  return env.HOME || env.USERPROFILE || os.homedir();
}

/** The process working directory. */
export function currentCwd(): string {
  return process.cwd();
}

/** The operating system, as `process.platform` names it (`linux`, `darwin`, `win32`…). */
export function currentPlatform(): string {
  return process.platform;
}

/**
 * A Node built-in module loaded on first use rather than at start-up (under
 * Deno each `node:` module costs milliseconds to load): for modules only a
 * rare path needs, such as `node:zlib` for compressed rows. Deno, Bun and
 * Node ≥ 20.16 all have `process.getBuiltinModule`.
 *
 * @param name The module, e.g. `node:zlib`.
 * @returns The module, or `undefined` where the runtime cannot load it so.
 *
 * @example
 * ```ts
 * import { builtinModule } from "./runtime.ts";
 * import assert from "node:assert/strict";
 *
 * const url = builtinModule<typeof import("node:url")>("node:url");
 * assert.equal(url?.pathToFileURL("/tmp/a b").href, "file:///tmp/a%20b");
 * ```
 */
export function builtinModule<T>(name: string): T | undefined {
  const get = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  return typeof get === "function" ? get.call(process, name) as T | undefined : undefined;
}
