/**
 * The one interface every provider implements.
 *
 * @module
 */
import type { ReadResult, Session, Warning } from "../model/types.ts";
import type { FileWrite } from "../internal/fs.ts";
import type { FileStat } from "../internal/fast_fs.ts";

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
  /** Size of the session file in bytes. */
  sizeBytes?: number;
  /** The session file (or database) path. */
  path: string;
}

/** What {@linkcode Provider.detect} found. */
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

/** Options for {@linkcode Provider.plan}. */
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

/**
 * What a target agent's session format, and the model API it replays it to, can
 * carry. The pipeline cleans a session up against these facts before the writer
 * sees it: what the target cannot carry is dropped with a warning, or becomes a
 * placeholder, never silently lost. Absent fields mean "no" (or "no limit" for
 * `toolName`).
 */
export interface ProviderCarries {
  /** Images as images: the writer stores `Message.images` and `ToolResult.images`. */
  readonly images?: boolean;
  /** Readable reasoning that the writer stores and the agent sends to its model again. */
  readonly reasoning?: boolean;
  /**
   * The pattern a tool name must match on the model API the agent replays its
   * history to (OpenAI's function names: `^[a-zA-Z0-9_-]{1,64}$`).
   */
  readonly toolName?: RegExp;
  /**
   * The agent's tool vocabulary family (a key of `TOOL_FAMILIES` in
   * `src/formats/tool_vocabulary.ts`): history tool calls are renamed to the
   * agent's own tools where an equivalent exists.
   */
  readonly toolFamily?: string;
}

/** One coding agent's storage: find, read, write and resume its sessions. */
export interface Provider {
  /** The kebab-case id shown to users, e.g. `claude-code`. */
  readonly id: string;
  /** The human name, e.g. `Claude Code`. */
  readonly name: string;
  /** Short names accepted on the command line, e.g. `cc`, `claude`. */
  readonly aliases: readonly string[];
  /** The agent's command name, e.g. `claude`. */
  readonly binary: string;
  /** The environment variables that move its storage root. */
  readonly envVars: readonly string[];
  /**
   * Whether it keeps sessions in the project directory (like Aider) rather
   * than under its storage roots; casr then also allows writes in the target
   * workspace. Absent means no.
   */
  readonly writesInWorkspace?: boolean;
  /**
   * Whether its format has no structured tool calls, so its writer renders them
   * as text (like Aider's chat history). The pipeline then verifies the text
   * form. Absent means tool calls are structured.
   */
  readonly toolCallsAsText?: boolean;
  /**
   * Whether casr can only read its sessions: the agent cannot import one
   * (ChatGPT's local files are a cache of server-side chats; Antigravity owns
   * an undocumented protobuf store). Such a provider is a source only: the
   * pipeline refuses it as a target with a `read-only-target` error before
   * anything is planned, and its {@linkcode Provider.plan} rejects the same
   * way. Absent means it can be a target.
   */
  readonly readOnly?: true;
  /**
   * For an agent that keeps each session as a folder (Copilot CLI, Vibe,
   * Grok, Cline…): the paths, relative to a session folder, where its session
   * file may be. casr then accepts the folder, or any file in it, where a
   * session path is asked for. Absent means sessions are single files.
   *
   * @param folder The session folder.
   * @returns Candidate relative paths, most likely first.
   */
  sessionFolderFiles?(folder: string): string[];
  /** What its sessions can carry (images, reasoning, tool names); see {@linkcode ProviderCarries}. */
  readonly carries?: ProviderCarries;
  /**
   * The storage roots, override first; the first is where new sessions are written.
   *
   * @param ctx Where to look.
   * @returns Absolute directory paths (they may not exist).
   */
  roots(ctx: ProviderContext): string[];
  /**
   * Whether the agent is installed here.
   *
   * @param ctx Where to look.
   * @param options `version` also runs the binary to ask its version.
   * @returns What was found.
   */
  detect(ctx: ProviderContext, options?: { version?: boolean }): Promise<Detection>;
  /**
   * Lists every session, cheaply (no full parse of each conversation).
   *
   * @param ctx Where to look.
   * @returns Summaries in no particular order.
   */
  list(ctx: ProviderContext): Promise<SessionSummary[]>;
  /**
   * Optional fast path for listing: every candidate session file, found from
   * directory listings only (no file is opened). With {@linkcode Provider.summarize},
   * `listSessions()` summarizes the files itself, with bounded concurrency and the
   * on-disk index cache, so a warm list reads only files that changed. Providers
   * without it are listed through {@linkcode Provider.list}.
   *
   * @param ctx Where to look.
   * @returns Absolute file paths, in no particular order.
   */
  sessionFiles?(ctx: ProviderContext): Promise<string[]>;
  /**
   * Optional: summarizes one file from {@linkcode Provider.sessionFiles} by
   * reading as little as possible (its head and tail). The result must depend
   * only on the file's bytes (it is cached by path, size and mtime); data kept
   * outside the file belongs in {@linkcode Provider.finishSummaries}.
   *
   * @param path The session file.
   * @param ctx Where to look.
   * @param stat The file's size and mtime, when the caller already has them.
   * @returns The summary, or `undefined` when the file is not a listable session.
   */
  summarize?(
    path: string,
    ctx: ProviderContext,
    stat?: FileStat,
  ): Promise<SessionSummary | undefined>;
  /**
   * Optional: completes the summaries of every file with data kept outside the
   * session files (a title index, a project registry) and drops duplicates.
   * Runs after the cache, on every list.
   *
   * @param summaries The summaries, cached or fresh.
   * @param ctx Where to look.
   * @returns The final summaries.
   */
  finishSummaries?(summaries: SessionSummary[], ctx: ProviderContext): Promise<SessionSummary[]>;
  /**
   * Optional: the version of {@linkcode Provider.summarize}'s output. Raise it
   * when summaries change shape, so cached ones are dropped.
   */
  readonly summaryVersion?: number;
  /**
   * Finds sessions whose id equals or starts with `idOrPrefix`.
   *
   * @param ctx Where to look.
   * @param idOrPrefix A full id or a prefix of one.
   * @returns The matches (an exact match alone, when there is one).
   */
  find(ctx: ProviderContext, idOrPrefix: string): Promise<SessionSummary[]>;
  /**
   * Whether a file looks like one of this provider's sessions.
   *
   * @param path The file path.
   * @param head The first few kilobytes of the file.
   * @returns `true` when this provider can read it.
   */
  claims(path: string, head: string): boolean;
  /**
   * Reads one session file leniently: a bad record is a warning, not a failure.
   *
   * @param path The session file.
   * @param ctx Where to look.
   * @returns The canonical session and warnings.
   * @throws {CasrError} `parse-failed` when nothing usable is in the file.
   */
  read(path: string, ctx: ProviderContext): Promise<ReadResult>;
  /**
   * Plans writing `session` as a new native session, without touching the disk.
   *
   * @param session The canonical session.
   * @param ctx Where to write.
   * @param options Target workspace and time.
   * @returns The files, effects and resume command.
   */
  plan(session: Session, ctx: ProviderContext, options: PlanWriteOptions): Promise<WritePlan>;
  /**
   * The command that resumes an existing session of this provider.
   *
   * @param session The session's id and workspace, and its path from the
   * session summary when the caller has it (a provider that resumes by file,
   * such as Aider, needs it; others ignore it).
   * @returns The command.
   */
  resumeCommand(session: { id: string; workspace?: string; path?: string }): ResumeCommand;
}
