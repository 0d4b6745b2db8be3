/**
 * The Kilo CLI provider: Kilo Code's terminal agent 7.x (`kilo`, npm
 * `@kilocode/cli`), a fork of OpenCode that keeps OpenCode's SQLite session
 * store in `~/.local/share/kilo/kilo.db` (`session`, `message`, `part` tables).
 * Not the Kilo Code VS Code extension, which is the `kilo-code` provider.
 *
 * A session has the path `<kilo.db>#<ses_…>`; `read`, `claims` and `casr info`
 * also accept a bare database holding one session and a legacy
 * `storage/session/<project>/<ses_…>.json` file under Kilo's data dir.
 * Reading, writing and listing are OpenCode's store code
 * (`src/formats/opencode_store/`) with Kilo's flavor below.
 *
 * @module
 */
import * as path from "node:path";
import {
  type StoreFlavor,
  storeProvider,
  XDG_DATA_HOME_ENV,
} from "../../formats/opencode_store/mod.ts";
import { installAt } from "../detect.ts";
import type { Provider } from "../types.ts";
import { KILO_SCHEMA } from "./schema.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { providerNames } from "../names.ts";

/** Kilo's override of the database file (absolute, `:memory:`, or relative to the data dir). */
export const KILO_DB_ENV = "KILO_DB";

const CHANNEL = "[A-Za-z0-9._-]+";

/**
 * Whether a file is a Kilo database: `kilo.db`, a channel database
 * `kilo-<channel>.db`, or a legacy `opencode-<channel>.db` that Kilo 7.7.9
 * still opens from its own data dir (a dir named `kilo`) when the `kilo-…`
 * file is missing.
 *
 * @param file A path.
 * @returns `true` for Kilo's database names.
 */
export function isKiloDatabase(file: string): boolean {
  const name = path.basename(file);
  if (new RegExp(`^kilo(-${CHANNEL})?\\.db$`).test(name)) return true;
  return new RegExp(`^opencode-${CHANNEL}\\.db$`).test(name) &&
    path.basename(path.dirname(path.resolve(file))) === "kilo";
}

/** What makes the shared store Kilo CLI's (7.7.9, the pinned real CLI). */
export const KILO_FLAVOR: StoreFlavor = {
  provider: "kilo-cli",
  app: "Kilo CLI",
  binary: "kilo",
  dataDirName: "kilo",
  dbEnv: KILO_DB_ENV,
  dbFile: "kilo.db",
  isDatabaseFile: isKiloDatabase,
  ownsDataDir: (dir) => path.basename(dir) === "kilo",
  projectCacheFile: "kilo",
  idSalt: "kilo",
  writerVersion: "7.7.9",
  agent: "code",
  schema: KILO_SCHEMA,
};

const STORE = storeProvider(KILO_FLAVOR);

/** Kilo CLI (`kilo`), Kilo Code's OpenCode-based terminal agent. */
export const kiloCli: Provider = {
  ...providerNames("kilo-cli", "Kilo CLI", ["klc", "kilocode-cli"], "kilo"),
  carries: { images: true, toolName: API_TOOL_NAME, toolFamily: "opencode" },
  envVars: [XDG_DATA_HOME_ENV, KILO_DB_ENV],
  ...STORE,
  ...installAt(STORE.roots, "kilo"),
};
