/**
 * Recognising the session paths of an OpenCode-store agent.
 *
 * @module
 */
import type { StoreFlavor } from "./flavor.ts";
import { legacySessionFile, parseSessionRef } from "./paths.ts";

const SQLITE_MAGIC = "SQLite format 3";

/**
 * Whether a path is a session of the agent: `<db>#ses_…` or a SQLite file
 * whose name the flavor owns (`opencode*.db`), or a legacy
 * `storage/session/<project>/ses_….json` whose content is a JSON object naming
 * a `ses` id. Other providers' `.db` files (Cursor's `state.vscdb`, Cline's
 * `sessions.db`, Codex's `state_5.sqlite`) do not match the name.
 *
 * @param flavor The agent.
 * @param file The path.
 * @param head The first bytes of the file ("" for `<db>#<id>`, which is no file).
 * @returns `true` when the agent's reader can read it.
 */
export function claimsStore(flavor: StoreFlavor, file: string, head: string): boolean {
  const ref = parseSessionRef(file);
  const dbFile = ref?.db ?? file;
  if (flavor.isDatabaseFile(dbFile)) {
    return ref !== undefined || head === "" || head.startsWith(SQLITE_MAGIC);
  }
  if (ref !== undefined) return false;
  const legacy = legacySessionFile(file);
  if (legacy === undefined || !flavor.ownsDataDir(legacy.data)) return false;
  const text = head.trimStart();
  return text.startsWith("{") && /"id"\s*:\s*"ses/.test(text);
}
