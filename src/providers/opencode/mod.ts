/**
 * The OpenCode provider: sessions in OpenCode's SQLite database
 * (`~/.local/share/opencode/opencode.db`: `session`, `message`, `part`
 * tables) and in the legacy JSON `storage/` tree of OpenCode ≤ 1.1.
 *
 * A session in a database has the path `<db>#<ses_…>`; `read`, `claims` and
 * `casr info` accept that form, a bare database holding one session, and a
 * legacy `storage/session/<project>/<ses_…>.json` file.
 *
 * @module
 */
import { detectInstall } from "../detect.ts";
import type { Detection, Provider, ProviderContext } from "../types.ts";
import { claimsOpenCode } from "./claims.ts";
import { findOpenCode, listOpenCode } from "./list.ts";
import * as path from "node:path";
import { databasePath, dataDir, OPENCODE_DB_ENV, XDG_DATA_HOME_ENV } from "./paths.ts";
import { readOpenCode } from "./reader.ts";
import { openCodeResumeCommand } from "./resume.ts";
import { planOpenCode } from "./writer.ts";

/** The data dir, plus the database's own dir when `OPENCODE_DB` puts it elsewhere. */
function roots(ctx: ProviderContext): string[] {
  const data = dataDir(ctx);
  const db = databasePath(ctx);
  const dbDir = db === undefined ? undefined : path.dirname(db);
  return dbDir === undefined || dbDir === data || dbDir.startsWith(data + path.sep)
    ? [data]
    : [dbDir, data];
}

function detect(ctx: ProviderContext, options?: { version?: boolean }): Promise<Detection> {
  return detectInstall(roots(ctx), "opencode", ctx, options);
}

/** OpenCode (`opencode`), the open-source terminal coding agent. */
export const opencode: Provider = {
  id: "opencode",
  name: "OpenCode",
  aliases: ["opc", "opencode"],
  binary: "opencode",
  envVars: [XDG_DATA_HOME_ENV, OPENCODE_DB_ENV],
  roots,
  detect,
  list: listOpenCode,
  find: findOpenCode,
  claims: claimsOpenCode,
  read: readOpenCode,
  plan: planOpenCode,
  resumeCommand: openCodeResumeCommand,
};
