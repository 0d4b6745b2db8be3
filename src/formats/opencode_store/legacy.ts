/**
 * The legacy JSON storage tree of OpenCode ≤ 1.1 (still left on disk after
 * the one-time import into `opencode.db`; Kilo CLI 7.x imports the same tree
 * from its own data dir into `kilo.db`):
 * `storage/session/<project>/<ses>.json`, `storage/message/<ses>/<msg>.json`,
 * `storage/part/<msg>/<prt>.json`, each file the full object with its ids.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { listDir } from "../../internal/fs.ts";
import { definedFields, isRecord, str } from "../../internal/jsonl.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import type { Warning } from "../../model/types.ts";
import type { SessionRow } from "./db.ts";
import type { NativeMessage, NativePart } from "./history.ts";
import { storageDir } from "./paths.ts";

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await fsp.readFile(file, "utf8"));
}

/**
 * The facts of a legacy session file.
 *
 * @param value The parsed file.
 * @param fallbackId The id from the file name.
 * @returns The session facts.
 */
export function legacySessionRow(value: unknown, fallbackId: string): SessionRow {
  const info = isRecord(value) ? value : {};
  const time = isRecord(info.time) ? info.time : {};
  return definedFields<SessionRow>({
    id: str(info.id) ?? fallbackId,
    projectId: str(info.projectID),
    parentId: str(info.parentID),
    slug: str(info.slug),
    directory: str(info.directory),
    title: str(info.title),
    version: str(info.version),
    timeCreated: parseTimestamp(time.created),
    timeUpdated: parseTimestamp(time.updated),
  });
}

/**
 * Reads the messages and parts of one legacy session, ordered by id.
 *
 * @param data The agent's data dir.
 * @param id The session id.
 * @param warnings Receives files that could not be read.
 * @returns The messages.
 */
export async function readLegacyMessages(
  data: string,
  id: string,
  warnings: Warning[],
): Promise<NativeMessage[]> {
  const storage = storageDir(data);
  const files = (await listDir(path.join(storage, "message", id))).filter((e) =>
    e.isFile && e.name.endsWith(".json")
  );
  const out: NativeMessage[] = [];
  let record = 0;
  for (const file of files) {
    record++;
    let value: unknown;
    try {
      value = await readJson(file.path);
    } catch (error) {
      warnings.push({
        code: "malformed-record",
        message: `Skipped "${file.path}": ${error instanceof Error ? error.message : error}`,
        line: record,
      });
      continue;
    }
    if (!isRecord(value)) {
      warnings.push({
        code: "malformed-record",
        message: `Skipped "${file.path}": not a JSON object`,
        line: record,
      });
      continue;
    }
    const messageId = str(value.id) ?? file.name.slice(0, -5);
    const parts: NativePart[] = [];
    for (const entry of await listDir(path.join(storage, "part", messageId))) {
      if (!entry.isFile || !entry.name.endsWith(".json")) continue;
      try {
        const part = await readJson(entry.path);
        if (isRecord(part)) parts.push({ id: str(part.id) ?? entry.name.slice(0, -5), data: part });
        else throw new Error("not a JSON object");
      } catch (error) {
        warnings.push({
          code: "malformed-record",
          message: `Skipped "${entry.path}": ${error instanceof Error ? error.message : error}`,
          line: record,
        });
      }
    }
    parts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    out.push({ id: messageId, info: value, parts, record });
  }
  const created = (m: NativeMessage): number =>
    isRecord(m.info.time) ? parseTimestamp(m.info.time.created) ?? 0 : 0;
  return out.sort((a, b) => created(a) - created(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One legacy session file. */
export interface LegacyFile {
  /** The session id (file name). */
  id: string;
  /** The file path. */
  path: string;
}

/**
 * Every legacy session file of a data dir.
 *
 * @param data The agent's data dir.
 * @returns The files.
 */
export async function legacySessionFiles(data: string): Promise<LegacyFile[]> {
  const out: LegacyFile[] = [];
  for (const project of await listDir(path.join(storageDir(data), "session"))) {
    if (!project.isDir) continue;
    for (const entry of await listDir(project.path)) {
      if (entry.isFile && /^ses.*\.json$/.test(entry.name)) {
        out.push({ id: entry.name.slice(0, -5), path: entry.path });
      }
    }
  }
  return out;
}

/**
 * Reads a legacy session file.
 *
 * @param file The session file.
 * @returns The parsed value.
 */
export async function readLegacySessionFile(file: string): Promise<unknown> {
  return await readJson(file);
}

/**
 * Counts a legacy session's message files (a cheap stand-in for the message count).
 *
 * @param data The data dir.
 * @param id The session id.
 * @returns The number of message files.
 */
export async function legacyMessageCount(data: string, id: string): Promise<number> {
  return (await listDir(path.join(storageDir(data), "message", id))).filter((e) => e.isFile)
    .length;
}
