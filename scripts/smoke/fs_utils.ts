/**
 * Small file-system and formatting helpers shared by the smoke modes.
 *
 * @module
 */

/**
 * Whether a path exists (without following a final symlink).
 *
 * @param path The path.
 * @returns `true` when something is there.
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes a path recursively; a missing path is fine.
 *
 * @param path The path.
 */
export async function removeIfExists(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/**
 * Copies one file, creating the destination's parent directories.
 *
 * @param from Source file.
 * @param to Destination file.
 */
export async function copyFileWithParents(from: string, to: string): Promise<void> {
  await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
  await Deno.copyFile(from, to);
}

/**
 * Quotes one argument for a POSIX shell when it needs it.
 *
 * @param arg The argument.
 * @returns The argument, single-quoted if it holds anything but safe characters.
 */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'"'"'`)}'`;
}

/**
 * Renders a command line for logs and docs.
 *
 * @param argv Program and arguments.
 * @returns One shell-quoted line.
 */
export function renderCommand(argv: string[]): string {
  return argv.map(shellQuote).join(" ");
}

/**
 * Last lines of a text, for error messages.
 *
 * @param text The text.
 * @param lines How many lines to keep.
 * @returns The tail, trimmed.
 */
export function tailLines(text: string, lines = 8): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/**
 * A timestamp usable as a directory name, e.g. `2026-12-01T20-13-49Z`.
 *
 * @param date The time.
 * @returns The formatted time.
 */
export function runStamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z").replaceAll(":", "-");
}

/**
 * The files under `root`, down to `maxDepth` directory levels below it; a missing or unreadable
 * directory is empty.
 *
 * @param root The directory.
 * @param maxDepth How many levels of subdirectories to enter.
 * @returns Absolute paths, sorted.
 */
export async function listFiles(root: string, maxDepth: number): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory && depth < maxDepth) await walk(path, depth + 1);
      else if (entry.isFile) out.push(path);
    }
  };
  await walk(root, 0);
  return out.sort();
}

/**
 * The first line of a file parsed as a JSON object.
 *
 * @param path The file.
 * @returns The object, or `undefined` when the line is not one.
 */
export async function firstJsonLine(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await Deno.readTextFile(path);
  const line = text.split("\n", 1)[0] ?? "";
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}
