/**
 * The OpenCode provider: sessions in OpenCode's SQLite database
 * (`~/.local/share/opencode/opencode.db`: `session`, `message`, `part`
 * tables) and in the legacy JSON `storage/` tree of OpenCode ≤ 1.1.
 *
 * A session in a database has the path `<db>#<ses_…>`; `read`, `claims` and
 * `casr info` accept that form, a bare database holding one session, and a
 * legacy `storage/session/<project>/<ses_…>.json` file.
 *
 * The older Go-era OpenCode (opencode-ai/opencode 0.0.x) and its continuation
 * Crush kept other tables (`sessions`, `messages` with JSON parts) in a
 * project's `.opencode/opencode.db` or `.crush/crush.db`: `read` takes such a
 * database (or `<db>#<id>`) when its tables say so, and `list`/`find` look for
 * them from the current directory (see README.md).
 *
 * The store itself (reading, rows, effects) is shared with Kilo CLI in
 * `src/formats/opencode_store/`; this folder holds what is OpenCode's own.
 *
 * @module
 */
import * as path from "node:path";
import {
  claimsGoStore,
  findGoStore,
  goDatabaseOf,
  listGoStore,
  readGoStore,
  type StoreFlavor,
  storeProvider,
  XDG_DATA_HOME_ENV,
} from "../../formats/opencode_store/mod.ts";
import { installAt } from "../detect.ts";
import { resumeIn } from "../../internal/shell.ts";
import type { Provider, ProviderContext, ResumeCommand, SessionSummary } from "../types.ts";
import { OPENCODE_SCHEMA } from "./schema.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { providerNames } from "../names.ts";

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

const STORE = storeProvider(OPENCODE_FLAVOR);

async function find(ctx: ProviderContext, idOrPrefix: string): Promise<SessionSummary[]> {
  const all = [
    ...await STORE.find(ctx, idOrPrefix),
    ...await findGoStore("opencode", ctx, idOrPrefix),
  ];
  const exact = all.filter((s) => s.id === idOrPrefix.trim());
  return exact.length > 0 ? exact : all;
}

/**
 * The resume command: a Crush database's session resumes with `crush --session`;
 * Go OpenCode had no such flag, so its TUI opens in the project (pick the
 * session with its sessions dialog).
 */
function resumeCommand(session: { id: string; workspace?: string; path?: string }): ResumeCommand {
  const db = session.path?.split("#")[0] ?? "";
  if (path.basename(db) === "crush.db") {
    return resumeIn(["crush", "--session", session.id], session.workspace);
  }
  if (path.basename(path.dirname(db)) === ".opencode" && session.path?.includes("#") === true) {
    return {
      ...resumeIn(["opencode"], session.workspace),
      note: `Go-era OpenCode has no --session flag: open the sessions dialog (Ctrl+S) and pick ` +
        `session ${session.id}`,
    };
  }
  return STORE.resumeCommand(session);
}

/** OpenCode (`opencode`), the open-source terminal coding agent. */
export const opencode: Provider = {
  ...providerNames("opencode", "OpenCode", ["opc", "opencode"], "opencode"),
  carries: { images: true, toolName: API_TOOL_NAME, toolFamily: "opencode" },
  // `opencode --prompt <prompt>`: the TUI with a first prompt
  startPrompt: { via: "argument", flags: ["--prompt"] },
  envVars: [XDG_DATA_HOME_ENV, OPENCODE_DB_ENV],
  ...STORE,
  ...installAt(STORE.roots, "opencode"),
  list: async (ctx) => [...await STORE.list(ctx), ...await listGoStore("opencode", ctx)],
  find,
  claims: (file, head) => STORE.claims(file, head) || claimsGoStore(file, head),
  read: async (file) =>
    (await goDatabaseOf(file)) === undefined
      ? await STORE.read(file)
      : await readGoStore("opencode", file),
  resumeCommand,
};
