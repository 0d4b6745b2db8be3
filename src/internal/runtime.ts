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

/** A host's full garbage collection, where it offers one. */
type Collector = () => void;

function hostCollector(): Collector | undefined {
  const g = globalThis as { gc?: unknown; Bun?: { gc?: (force: boolean) => void } };
  if (typeof g.gc === "function") return g.gc as Collector;
  const bun = g.Bun?.gc;
  return typeof bun === "function" ? () => bun(true) : undefined;
}

/**
 * A full garbage collection, where the host offers one: `globalThis.gc` (Node
 * with `--expose-gc`, Deno with `--v8-flags=--expose-gc`, or after
 * {@linkcode exposeCollector}) or Bun's `Bun.gc`; nothing otherwise. A
 * conversion calls it between steps, so that a 100 MB session the last step
 * let go of is freed before the next step builds another: V8 collects its old
 * generation rarely, and would otherwise hold both.
 *
 * @example
 * ```ts
 * import { collectGarbage } from "./runtime.ts";
 *
 * collectGarbage(); // a no-op where the host exposes no collector
 * ```
 */
export function collectGarbage(): void {
  hostCollector()?.();
}

/**
 * Makes {@linkcode collectGarbage} work under Deno and Node without a flag on
 * the command line: V8's `--expose-gc`, set now, gives each new context a
 * `gc` function, which becomes `globalThis.gc`. For the command line, not
 * the library: it changes the process. Does nothing where `gc` is already
 * there, or where the runtime refuses (Bun has `Bun.gc` instead).
 *
 * @returns Whether {@linkcode collectGarbage} now collects.
 */
export function exposeCollector(): boolean {
  if (hostCollector() !== undefined) return true;
  try {
    const v8 = builtinModule<typeof import("node:v8")>("node:v8");
    const vm = builtinModule<typeof import("node:vm")>("node:vm");
    if (v8 === undefined || vm === undefined) return false;
    v8.setFlagsFromString("--expose-gc");
    const gc: unknown = vm.runInNewContext("typeof gc === 'function' ? gc : undefined");
    if (typeof gc !== "function") return false;
    (globalThis as { gc?: unknown }).gc = gc;
    return true;
  } catch {
    return false;
  }
}

/**
 * A counter for a loop that makes many large short-lived strings (reading a
 * 100 MB session line by line, hashing it message by message): told how many
 * characters each step made, it calls {@linkcode collectGarbage} once they add
 * up to `every`. V8 puts strings over about 128 KB straight into its old
 * generation, which it collects rarely, so without it they pile up until the
 * loop ends.
 *
 * @param every Characters between two collections.
 * @returns The counter.
 *
 * @example
 * ```ts
 * import { collectEvery } from "./runtime.ts";
 *
 * const made = collectEvery();
 * for (const line of ["a", "b"]) made(line.length);
 * ```
 */
export function collectEvery(every: number = 32 * 1024 * 1024): (chars: number) => void {
  let since = 0;
  return (chars) => {
    since += chars;
    if (since < every) return;
    since = 0;
    collectGarbage();
  };
}
