/**
 * Recognising OpenCode session paths.
 *
 * @module
 */
import * as path from "node:path";
import { legacySessionFile, parseSessionRef } from "./paths.ts";

const SQLITE_MAGIC = "SQLite format 3";

/**
 * Whether a path is an OpenCode session: `<…/opencode*.db>#ses_…`, an
 * `opencode*.db` SQLite file, or a legacy `storage/session/<project>/ses_….json`
 * whose content is a JSON object naming a `ses` id. Other providers' `.db` files
 * (Cursor's `state.vscdb`, Cline's `sessions.db`, Codex's `state_5.sqlite`) do
 * not match the name.
 *
 * @param file The path.
 * @param head The first bytes of the file ("" for `<db>#<id>`, which is no file).
 * @returns `true` when the OpenCode reader can read it.
 */
export function claimsOpenCode(file: string, head: string): boolean {
  const ref = parseSessionRef(file);
  const dbFile = ref?.db ?? file;
  const name = path.basename(dbFile);
  if (/^opencode(-[A-Za-z0-9._-]+)?\.db$/.test(name)) {
    return ref !== undefined || head === "" || head.startsWith(SQLITE_MAGIC);
  }
  if (ref !== undefined) return false;
  if (legacySessionFile(file) === undefined) return false;
  const text = head.trimStart();
  return text.startsWith("{") && /"id"\s*:\s*"ses/.test(text);
}
