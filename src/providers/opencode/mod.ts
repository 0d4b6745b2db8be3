/**
 * The OpenCode provider: sessions in OpenCode's SQLite database
 * (`~/.local/share/opencode/opencode.db`: `session`, `message`, `part`
 * tables) and in the legacy JSON `storage/` tree of OpenCode ≤ 1.1.
 *
 * A session in a database has the path `<db>#<ses_…>`; `read`, `claims` and
 * `casr info` accept that form, a bare database holding one session, and a
 * legacy `storage/session/<project>/<ses_…>.json` file.
 *
 * The store itself (reading, rows, effects) is shared with Kilo CLI in
 * `src/formats/opencode_store/`; this folder holds what is OpenCode's own.
 *
 * @module
 */
import * as path from "node:path";
import {
  claimsStore,
  findStore,
  listStore,
  planStore,
  readStore,
  type StoreFlavor,
  storeResumeCommand,
  storeRoots,
  XDG_DATA_HOME_ENV,
} from "../../formats/opencode_store/mod.ts";
import { detectInstall } from "../detect.ts";
import type { Detection, Provider, ProviderContext } from "../types.ts";
import { OPENCODE_SCHEMA } from "./schema.ts";

/** OpenCode's own override of the database file. */
export const OPENCODE_DB_ENV = "OPENCODE_DB";

function inKiloDataDir(file: string): boolean {
  return path.basename(path.dirname(path.resolve(file))) === "kilo";
}

/** What makes the shared store OpenCode's (1.18.33, the pinned real CLI). */
export const OPENCODE_FLAVOR: StoreFlavor = {
  provider: "opencode",
  app: "OpenCode",
  binary: "opencode",
  dataDirName: "opencode",
  dbEnv: OPENCODE_DB_ENV,
  dbFile: "opencode.db",
  // Kilo CLI, a fork, may keep a legacy `opencode-<channel>.db` and a `storage/` tree in its
  // own data dir (`…/kilo`): those are Kilo's.
  isDatabaseFile: (file) =>
    path.basename(file) === "opencode.db" ||
    (/^opencode-[A-Za-z0-9._-]+\.db$/.test(path.basename(file)) && !inKiloDataDir(file)),
  ownsDataDir: (dir) => path.basename(dir) !== "kilo",
  projectCacheFile: "opencode",
  idSalt: "opencode",
  writerVersion: "1.18.33",
  agent: "build",
  schema: OPENCODE_SCHEMA,
};

function roots(ctx: ProviderContext): string[] {
  return storeRoots(OPENCODE_FLAVOR, ctx);
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
  carries: { toolFamily: "opencode" },
  envVars: [XDG_DATA_HOME_ENV, OPENCODE_DB_ENV],
  roots,
  detect,
  list: (ctx) => listStore(OPENCODE_FLAVOR, ctx),
  find: (ctx, idOrPrefix) => findStore(OPENCODE_FLAVOR, ctx, idOrPrefix),
  claims: (file, head) => claimsStore(OPENCODE_FLAVOR, file, head),
  read: (file) => readStore(OPENCODE_FLAVOR, file),
  plan: (session, ctx, options) => planStore(OPENCODE_FLAVOR, session, ctx, options),
  resumeCommand: (session) => storeResumeCommand(OPENCODE_FLAVOR, session),
};
