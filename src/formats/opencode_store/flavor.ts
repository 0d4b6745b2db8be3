/**
 * What differs between the agents that keep OpenCode's SQLite session store
 * (`session`, `message`, `part` tables): OpenCode itself and its fork Kilo CLI.
 * Every function of this module takes the flavor of the agent it works for.
 *
 * @module
 */

/** The SQLite schema a flavor creates when casr must create the database itself. */
export interface StoreSchema {
  /** The agent version this schema was copied from. */
  version: string;
  /** The DDL statements, in creation order. */
  statements: readonly string[];
  /** The migration names that version records as applied, in order. */
  migrations: readonly string[];
}

/** One agent that uses OpenCode's session store. */
export interface StoreFlavor {
  /** casr's provider id (`opencode`), also the prefix of warning codes. */
  provider: "opencode" | "kilo-cli";
  /** The agent's name in messages (`OpenCode`). */
  app: string;
  /** Its executable (`opencode`). */
  binary: string;
  /** The name of its dir under the XDG data dir (`opencode`). */
  dataDirName: string;
  /** The variable that overrides the database file (`OPENCODE_DB`). */
  dbEnv: string;
  /** The database file the npm release uses in the data dir (`opencode.db`). */
  dbFile: string;
  /**
   * Whether a database file belongs to this agent: checked on the path's file
   * name and, where names overlap between flavors, its directory.
   */
  isDatabaseFile(file: string): boolean;
  /** Whether a data dir holding a legacy `storage/` tree belongs to this agent. */
  ownsDataDir(dir: string): boolean;
  /** The file in the git common dir that caches the project id (`opencode`). */
  projectCacheFile: string;
  /** Salt of the session ids derived from the pipeline's ids. */
  idSalt: string;
  /** The version written into `session.version`. */
  writerVersion: string;
  /** The default agent written into sessions and messages (`build`). */
  agent: string;
  /** The schema used when no database exists and the binary is not on PATH. */
  schema: StoreSchema;
}
