/**
 * Recognising Cursor databases from their path and first bytes.
 *
 * @module
 */
import * as path from "node:path";
import { parseRef } from "./paths.ts";

const SQLITE_MAGIC = "SQLite format 3";

/**
 * Whether a file is a Cursor chat store: a SQLite database whose schema (in
 * the first page) has the `cursorDiskKV` table (desktop `state.vscdb`, also as
 * `<file>#<composerId>`), or a `store.db` with `meta` and `blobs` tables
 * (the `cursor-agent` CLI).
 *
 * @param file The path.
 * @param head The first bytes of the file, as text.
 * @returns `true` when this provider reads it.
 */
export function claimsCursorFile(file: string, head: string): boolean {
  if (!head.startsWith(SQLITE_MAGIC)) return false;
  if (head.includes("cursorDiskKV")) return true;
  const name = path.basename(parseRef(file).file);
  return name === "store.db" && /CREATE TABLE\s+"?blobs"?/i.test(head) &&
    /CREATE TABLE\s+"?meta"?/i.test(head);
}
