/**
 * Whether the Cursor desktop app is running. While it runs it keeps
 * `state.vscdb` open, caches the chat index in memory and writes it back, so
 * casr refuses to write then.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import process from "node:process";

/** One running Cursor process. */
export interface CursorProcess {
  /** The process id. */
  pid: number;
  /** Its command (name or path). */
  command: string;
}

/** Finds running Cursor desktop processes that may hold a data folder. */
export type ProcessFinder = (dataDir: string) => Promise<CursorProcess[]>;

async function run(file: string, args: string[]): Promise<string | undefined> {
  const { execFile } = await import("node:child_process"); // only when processes are looked for
  return await new Promise((resolve) => {
    try {
      execFile(file, args, { timeout: 5000, windowsHide: true }, (error, stdout) => {
        resolve(error ? undefined : String(stdout));
      });
    } catch {
      resolve(undefined);
    }
  });
}

/** Linux: `/proc/<pid>/comm` is `cursor` for the app and its helpers (not `cursor-agent`). */
async function linuxProcesses(): Promise<CursorProcess[]> {
  const out: CursorProcess[] = [];
  let entries: string[];
  try {
    entries = await fsp.readdir("/proc");
  } catch {
    return out;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const comm = (await fsp.readFile(`/proc/${name}/comm`, "utf8")).trim();
      if (comm.toLowerCase() !== "cursor") continue;
      const exe = await fsp.readlink(`/proc/${name}/exe`).catch(() => comm);
      out.push({ pid, command: exe });
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** macOS: the app bundle's main executable `Cursor.app/Contents/MacOS/Cursor`. */
async function macProcesses(): Promise<CursorProcess[]> {
  const text = await run("/bin/ps", ["-axo", "pid=,comm="]);
  if (text === undefined) return [];
  const out: CursorProcess[] = [];
  for (const line of text.split("\n")) {
    const match = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const command = (match[2] ?? "").trim();
    if (/(^|\/)Cursor(\.app\/Contents\/MacOS\/Cursor)?$/.test(command) && !/Helper/.test(command)) {
      out.push({ pid: Number(match[1]), command });
    }
  }
  return out;
}

/** Windows: `tasklist` rows of `Cursor.exe`. */
async function windowsProcesses(): Promise<CursorProcess[]> {
  const text = await run("tasklist", ["/FI", "IMAGENAME eq Cursor.exe", "/FO", "CSV", "/NH"]);
  if (text === undefined) return [];
  const out: CursorProcess[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^"([^"]+)","(\d+)"/.exec(line);
    if (match && match[1]?.toLowerCase() === "cursor.exe") {
      out.push({ pid: Number(match[2]), command: match[1] });
    }
  }
  return out;
}

/**
 * Whether a Linux process has a file below `dir` open (its `/proc/<pid>/fd`
 * links). When the links cannot be read, it is assumed to.
 */
async function holdsFileBelow(pid: number, dir: string): Promise<boolean> {
  let fds: string[];
  try {
    fds = await fsp.readdir(`/proc/${pid}/fd`);
  } catch {
    return true;
  }
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  for (const fd of fds) {
    const target = await fsp.readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
    if (target.startsWith(prefix)) return true;
  }
  return false;
}

/**
 * The running Cursor desktop processes that may hold the data folder `dataDir`
 * (empty when none, or when this OS cannot be asked). On Linux only the
 * processes with a file below `dataDir` open count, so a Cursor that uses
 * another data folder does not block writes to a throwaway one; elsewhere any
 * running Cursor counts.
 *
 * @param dataDir The desktop data folder written to (the one holding `User/`).
 * @returns The processes.
 */
export async function findCursorProcesses(dataDir?: string): Promise<CursorProcess[]> {
  if (process.platform === "darwin") return await macProcesses();
  if (process.platform === "win32") return await windowsProcesses();
  const all = await linuxProcesses();
  if (dataDir === undefined) return all;
  const holding: CursorProcess[] = [];
  for (const p of all) if (await holdsFileBelow(p.pid, path.resolve(dataDir))) holding.push(p);
  return holding;
}
