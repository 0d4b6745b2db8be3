/**
 * Whether the Cursor desktop app is running. While it runs it keeps
 * `state.vscdb` open, caches the chat index in memory and writes it back, so
 * casr refuses to write then.
 *
 * @module
 */
import { execFile } from "node:child_process";
import * as fsp from "node:fs/promises";
import process from "node:process";

/** One running Cursor process. */
export interface CursorProcess {
  /** The process id. */
  pid: number;
  /** Its command (name or path). */
  command: string;
}

/** Finds running Cursor desktop processes. */
export type ProcessFinder = () => Promise<CursorProcess[]>;

function run(file: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
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
 * The running Cursor desktop processes (empty when none, or when this OS
 * cannot be asked).
 *
 * @returns The processes.
 */
export function findCursorProcesses(): Promise<CursorProcess[]> {
  if (process.platform === "darwin") return macProcesses();
  if (process.platform === "win32") return windowsProcesses();
  return linuxProcesses();
}
