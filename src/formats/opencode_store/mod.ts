/**
 * OpenCode's SQLite session store (`session`, `message`, `part` tables, plus
 * the legacy JSON `storage/` tree), shared by the providers of the agents that
 * keep it: OpenCode and its fork Kilo CLI. Each provider passes its
 * {@linkcode StoreFlavor} (data dir, database name, variables, version, agent,
 * schema); nothing here knows which agent it serves.
 *
 * @module
 */
export type { StoreFlavor, StoreSchema } from "./flavor.ts";
export { claimsStore } from "./claims.ts";
export { findStore, listStore } from "./list.ts";
export {
  databasePath,
  dataDir,
  parseSessionRef,
  sessionRef,
  storeRoots,
  XDG_DATA_HOME_ENV,
} from "./paths.ts";
export { readStore } from "./reader.ts";
export { storeResumeCommand } from "./resume.ts";
export { planStore } from "./writer.ts";
export { type StoreMembers, storeProvider } from "./provider.ts";
export { AscendingIds, derivedSessionId, isSessionId } from "./ids.ts";
export { claimsGoStore, GO_FORMAT_WARNING, goDatabaseOf, readGoStore } from "./go_schema.ts";
export { findGoStore, listGoStore } from "./go_list.ts";
