/**
 * The one interface every provider implements. The plain data it speaks in
 * lives in the model (`src/model/provider_data.ts`, `src/model/provider_facts.ts`)
 * so that lower layers can use it; it is re-exported here for the providers.
 *
 * @module
 */
import type { ReadResult, Session } from "../model/types.ts";
import type {
  Detection,
  PlanWriteOptions,
  ProviderContext,
  ResumeCommand,
  SessionRef,
  SessionSummary,
  UnreadStore,
  WritePlan,
} from "../model/provider_data.ts";
import type { ContextWindow, ProviderCarries, StartPrompt } from "../model/provider_facts.ts";
import type { FileStat } from "../internal/fast_fs.ts";

export type {
  Detection,
  FileData,
  FileWrite,
  PlanWriteOptions,
  ProviderContext,
  ResumeCommand,
  SessionRef,
  SessionSummary,
  UnreadStore,
  WriteEffect,
  WritePlan,
} from "../model/provider_data.ts";
export type { ContextWindow, ProviderCarries, StartPrompt } from "../model/provider_facts.ts";

/** What a caller needs of a session it reads. */
export interface ReadOptions {
  /**
   * Only the text of the messages and the tool calls are needed (the search
   * index): a reader may leave tool outputs, and records that hold nothing
   * else the reader keeps, empty instead of parsing them. The session read is
   * for its text only: never write, count or verify with it.
   */
  textOnly?: boolean;
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
   * How much conversation its default model takes, and the model's tokenizer
   * family: the default context budget of a conversion into it. Absent for an
   * agent whose model the user chooses; the pipeline then assumes
   * `GENERIC_CONTEXT_WINDOW` (`src/pipeline/windows.ts`).
   */
  readonly contextWindow?: ContextWindow;
  /**
   * How the agent starts a NEW interactive session with a first prompt, used by
   * `casr handoff` to start it with the brief. Absent means unchecked: the
   * handoff then prints `<binary> "<prompt>"` with a note that it is a guess.
   */
  readonly startPrompt?: StartPrompt;
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
   * Optional: this agent's sessions that casr finds but does not read (an
   * older release's store), for `list` to say so.
   *
   * @param ctx Where to look.
   * @returns The stores that hold any; none when there are none.
   */
  unreadStores?(ctx: ProviderContext): Promise<UnreadStore[]>;
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
   * @param options What the caller needs of the session (all of it unless told).
   * @returns The canonical session and warnings.
   * @throws {CasrError} `parse-failed` when nothing usable is in the file.
   */
  read(path: string, ctx: ProviderContext, options?: ReadOptions): Promise<ReadResult>;
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
   * The command that resumes an existing session of this provider. It depends
   * only on `session`: a {@linkcode SessionSummary} (or the same facts) is enough.
   *
   * @param session The session's id and workspace, and from its summary its
   * path and title when the caller has them (a provider that resumes by file,
   * such as Aider, needs the path; Cursor tells its two stores apart by it and
   * names the chat by its title; others ignore them).
   * @returns The command.
   */
  resumeCommand(session: SessionRef): ResumeCommand;
}
