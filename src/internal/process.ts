/**
 * Finding agent binaries on PATH and asking their versions.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";

/**
 * Looks a command up on PATH.
 *
 * @param name The command name, e.g. `claude`.
 * @param env The environment whose `PATH` (and `PATHEXT` on Windows) is searched.
 * @returns The absolute path of the first executable match, or `undefined`.
 */
export async function which(
  name: string,
  env: Record<string, string | undefined>,
): Promise<string | undefined> {
  const pathVar = env.PATH ?? env.Path ?? "";
  const isWindows = path.sep === "\\";
  const exts = isWindows ? (env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of pathVar.split(path.delimiter)) {
    if (dir === "") continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        const stat = await fsp.stat(candidate);
        if (!stat.isFile()) continue;
        if (!isWindows) await fsp.access(candidate, 1);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/**
 * Runs `<binary> --version` and returns the first version-looking token.
 *
 * @param binary The executable path.
 * @param timeoutMs How long to wait.
 * @returns The version, or `undefined` when it could not be read in time.
 */
export async function binaryVersion(
  binary: string,
  timeoutMs = 5000,
): Promise<string | undefined> {
  const { execFile } = await import("node:child_process"); // only when a version is asked for
  return await new Promise((resolve) => {
    try {
      execFile(binary, ["--version"], { timeout: timeoutMs }, (_error, stdout) => {
        const match = /\d+\.\d+\.\d+[\w.-]*/.exec(String(stdout ?? ""));
        resolve(match?.[0]);
      });
    } catch {
      resolve(undefined);
    }
  });
}
