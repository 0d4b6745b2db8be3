/**
 * Thread names from a Codex home's `session_index.jsonl`: an append-only list
 * of `{id, thread_name, updated_at}` where the newest entry for an id wins.
 *
 * Listing and reading both need them, and reading thousands of sessions (a
 * cold list, the search index) would otherwise parse the whole file once per
 * session. The names are read once and kept while the file keeps its size and
 * modification time.
 *
 * @module
 */
import { statFile } from "../../internal/fast_fs.ts";
import { isRecord, readJsonLines, str } from "../../internal/jsonl.ts";
import { sessionIndexPath } from "./paths.ts";

interface Kept {
  size: number;
  mtimeMs: number;
  names: Promise<Map<string, string>>;
}

/** The names read so far, by index file. */
const kept = new Map<string, Kept>();

/**
 * The thread names of a Codex home, by session id; empty when it has no
 * `session_index.jsonl`.
 *
 * @param root The Codex home (`~/.codex`).
 * @returns Each named session's newest name.
 */
export async function threadNames(root: string): Promise<ReadonlyMap<string, string>> {
  const file = sessionIndexPath(root);
  const stat = await statFile(file);
  if (stat === undefined || !stat.isFile) {
    kept.delete(file);
    return new Map();
  }
  const known = kept.get(file);
  if (known !== undefined && known.size === stat.size && known.mtimeMs === stat.mtimeMs) {
    return await known.names;
  }
  const names = readNames(file);
  kept.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, names });
  try {
    return await names;
  } catch (error) {
    kept.delete(file);
    throw error;
  }
}

async function readNames(file: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for await (const line of readJsonLines(file)) {
    if (!line.ok || !isRecord(line.value)) continue;
    const id = str(line.value.id);
    const name = str(line.value.thread_name);
    if (id !== undefined && name !== undefined) names.set(id, name);
  }
  return names;
}
