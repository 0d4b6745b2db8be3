/**
 * The plain data that passes between the pipeline and the providers: where to
 * look, what a listing finds, how to resume, and what a writer plans to write.
 * Every layer may use these types; the `Provider` interface that speaks them
 * lives in `src/providers/types.ts`.
 *
 * @module
 */
import type { Warning } from "./types.ts";

/** Where a provider looks: the environment, the home directory and the working directory. */
export interface ProviderContext {
  /** Environment variables (storage-root overrides such as `CODEX_HOME`, `PATH`). */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory. */
  homeDir: string;
  /** The current working directory. */
  cwd: string;
}

/** One session as listed, without reading the whole conversation. */
export interface SessionSummary {
  /** The session id in its provider. */
  id: string;
  /** The provider id. */
  provider: string;
  /** Title, summary or first prompt. */
  title?: string;
  /** The working directory the session belongs to. */
  workspace?: string;
  /** First activity, epoch ms. */
  startedAt?: number;
  /** Last activity, epoch ms. */
  lastActiveAt?: number;
  /** Number of conversation messages (user, assistant and tool records). */
  messageCount?: number;
  /**
   * `true` when `messageCount` is extrapolated from the head and tail of a
   * large file rather than counted over the whole file.
   */
  messageCountEstimated?: boolean;
  /**
   * Estimated conversation tokens (a heuristic count, as `casr info` shows),
   * when the listing read the session or could scale from its file size.
   */
  tokens?: number;
  /** `true` when `tokens` is scaled from the file's size rather than counted. */
  tokensEstimated?: boolean;
  /** Size of the session file in bytes. */
  sizeBytes?: number;
  /** The session file (or database) path. */
  path: string;
}

/**
 * What a provider needs to print the command that resumes one of its sessions:
 * the facts of its {@linkcode SessionSummary} (a summary is one), so the command
 * depends only on the session, never on what the process listed or read before.
 */
export interface SessionRef {
  /** The session id in its provider. */
  id: string;
  /** The working directory to resume in, when known. */
  workspace?: string;
  /**
   * The session file (or database reference) as listed. A provider that resumes
   * by file (Aider), or whose stores resume differently (Cursor's desktop chats
   * and `cursor-agent` chats), needs it; others ignore it.
   */
  path?: string;
  /** The session's title, for notes that name the session (Cursor's chat history). */
  title?: string;
}

/**
 * Sessions of an agent that sit where casr does not read them (an older
 * release's store, say), found so that a list never leaves them out silently.
 */
export interface UnreadStore {
  /** The folder that holds them. */
  path: string;
  /** How many sessions it holds. */
  sessions: number;
  /** One sentence: what they are and how to bring them where casr reads. */
  message: string;
}

/** What a provider's `detect` found. */
export interface Detection {
  /** Whether the agent seems installed: its storage root exists or its binary is on PATH. */
  installed: boolean;
  /** The storage roots that exist. */
  roots: string[];
  /** The agent's binary, when on PATH. */
  binaryPath?: string;
  /** The agent's version from `--version`, when asked for and available. */
  version?: string;
}

/** How to resume a session in its agent. */
export interface ResumeCommand {
  /** The directory to run the command in, when the agent scopes sessions by cwd. */
  cwd?: string;
  /** The command and its arguments. */
  argv: string[];
  /** The whole command as one shell line, `cd` included. */
  shell: string;
  /**
   * What to do after running the command, when the command alone does not
   * resume (e.g. where the chat appears in an editor's UI). Absent means none.
   */
  note?: string;
}

/** Options for a provider's `plan`. */
export interface PlanWriteOptions {
  /** The target working directory; defaults to the session's workspace, else the cwd. */
  workspace: string;
  /** The time used as "now" for file names and metadata, epoch ms. */
  now: number;
  /**
   * The id the new session must have. The pipeline derives it from the source
   * session, so converting the same session twice is a detectable conflict.
   * Writers use a fresh id of their own kind when it is absent.
   */
  sessionId?: string;
}

/**
 * A file's content: its whole text, or its pieces in order. Pieces are made as
 * the file is written, so a large session never has to be one string; each
 * iteration must yield the same pieces (a dry run or a test may read them too).
 */
export type FileData = string | Iterable<string>;

/** A file to write, as one unit of a write plan. */
export interface FileWrite {
  /** Absolute destination path. */
  path: string;
  /** The content (see {@linkcode FileData}). */
  data: FileData;
  /** File mode for a new file. */
  mode?: number;
}

/** A side effect that runs after the plan's files are in place (an index row, say). */
export interface WriteEffect {
  /** A human description, shown by `--dry-run`. */
  description: string;
  /**
   * Applies the effect.
   *
   * @returns An undo function, or nothing when the effect cannot be undone.
   */
  apply(): Promise<(() => Promise<void>) | void>;
}

/** Everything a provider would write for one session, before anything is written. */
export interface WritePlan {
  /** The new session's id in the target provider. */
  sessionId: string;
  /** The file the target's reader reads back to verify the write. */
  primaryPath: string;
  /** Every file to write, each complete. */
  files: FileWrite[];
  /** Side effects to apply after the files land. */
  effects: WriteEffect[];
  /** How to resume the new session. */
  resume: ResumeCommand;
  /** What the writer had to drop or approximate. */
  warnings: Warning[];
}
