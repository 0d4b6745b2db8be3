/**
 * The one place that knows which runtime casr runs on.
 *
 * @module
 */
import * as os from "node:os";
import process from "node:process";

/** The environment as a plain record (a copy; never mutated by casr). */
export function currentEnv(): Record<string, string | undefined> {
  return { ...process.env };
}

/** The user's home directory, honouring `HOME` / `USERPROFILE` first. */
export function currentHomeDir(env: Record<string, string | undefined> = process.env): string {
  return env.HOME ?? env.USERPROFILE ?? os.homedir();
}

/** The process working directory. */
export function currentCwd(): string {
  return process.cwd();
}

/** The operating system, as `process.platform` names it (`linux`, `darwin`, `win32`…). */
export function currentPlatform(): string {
  return process.platform;
}
