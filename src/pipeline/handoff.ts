/**
 * Handoff: a compact Markdown brief of a session (see `handoff_brief.ts`)
 * written into the workspace, and the command that starts the target agent
 * with it. This is a NEW session seeded with the
 * brief, not the old conversation: for targets that cannot import a session,
 * or when a fresh start is wanted.
 *
 * @module
 */
import * as path from "node:path";
import { CasrError } from "../errors.ts";
import type { Warning } from "../model/types.ts";
import { exists, writeFileAtomic } from "../internal/fs.ts";
import { shellQuote } from "../internal/shell.ts";
import type { Provider, ProviderContext, ResumeCommand } from "../providers/types.ts";
import { readResolved, requireProvider, resolveSession } from "./discover.ts";
import type { SessionLocation } from "./write_session.ts";
import { renderHandoffBrief, type RenderHandoffBriefOptions } from "./handoff_brief.ts";
import { sessionWorkspace } from "./workspace.ts";

export {
  decisions,
  filesTouched,
  openTasks,
  renderHandoffBrief,
  type RenderHandoffBriefOptions,
  type TouchedFile,
} from "./handoff_brief.ts";

/** Options for {@linkcode handoffSession}. */
export interface HandoffSessionOptions {
  /**
   * A provider alias to search only that provider, or a session file path.
   *
   * @default {undefined} every provider
   */
  source?: string;
  /**
   * The workspace to write the brief into and start the target in.
   *
   * @default {undefined} the session's own workspace, else the current directory
   */
  workspace?: string;
  /**
   * How many of the last user and assistant messages the brief quotes.
   *
   * @default {6}
   */
  lastTurns?: number;
  /**
   * Render the brief but write nothing.
   *
   * @default {false}
   */
  dryRun?: boolean;
}

/** What {@linkcode handoffSession} did. */
export interface HandoffResult {
  /** The session the brief describes. */
  source: SessionLocation;
  /** The target provider id. */
  target: string;
  /** The brief file (`<workspace>/.casr/handoff-<id>.md`, or `-2`, `-3`, … when taken). */
  path: string;
  /** The brief's size in bytes. */
  bytes: number;
  /** The brief itself. */
  content: string;
  /** The command that starts a new target session with the brief as its first prompt. */
  start: ResumeCommand;
  /** Always `true`: the target starts a new session. */
  newSession: true;
  /** What could not be done as asked. */
  warnings: Warning[];
  /** Whether nothing was written on purpose. */
  dryRun: boolean;
}

/**
 * The command that starts `provider` in `workspace` with the brief as its
 * first prompt, the way its `startPrompt` says: `cd <workspace> && <binary>
 * [flag] "$(cat <brief>)"`, or `<binary> < <brief>` for an agent that reads it
 * from standard input.
 *
 * @param provider The target provider.
 * @param briefPath The brief file.
 * @param workspace Where to start.
 * @returns The command (`argv` runs it through `sh -c`).
 */
export function handoffStartCommand(
  provider: Provider,
  briefPath: string,
  workspace: string,
): ResumeCommand {
  const relative = path.relative(workspace, briefPath);
  const file = relative.startsWith("..") ? briefPath : relative;
  const start = provider.startPrompt;
  if (start?.via === "stdin") {
    const command = `${shellQuote(provider.binary)} < ${shellQuote(file)}`;
    return {
      cwd: workspace,
      argv: ["sh", "-c", command],
      shell: `cd ${shellQuote(workspace)} && ${command}`,
      note: start.note,
    };
  }
  const command = [provider.binary, ...(start?.flags ?? [])].map(shellQuote).join(" ") +
    ` "$(cat ${shellQuote(file)})"`;
  const note = start === undefined
    ? `Starts a NEW ${provider.name} session; casr has not checked that "${provider.binary}" takes a first prompt this way`
    : `Starts a NEW ${provider.name} session with the brief as its first prompt`;
  return {
    cwd: workspace,
    argv: ["sh", "-c", command],
    shell: `cd ${shellQuote(workspace)} && ${command}`,
    note,
  };
}

/**
 * Writes a handoff brief of a session into the workspace (never replacing a
 * file: `handoff-<id>.md`, then `-2`, `-3`, …) and returns the command that
 * starts the target agent with it, as a new session.
 *
 * @param ctx Where to look.
 * @param target The target provider id or alias.
 * @param id The source session id, unique prefix or file path.
 * @param options Source restriction, workspace, last turns, dry run.
 * @returns The brief and the start command.
 * @throws {CasrError} `session-not-found`, `ambiguous-session`, `unknown-provider`,
 * `permission-denied`, `write-failed`.
 *
 * @example A brief for Claude Code, without writing it
 * ```ts
 * import { createContext, handoffSession, type Session, writeSession } from "@casr/core";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const home = await mkdtemp(join(tmpdir(), "casr-example-"));
 * const ctx = createContext({ homeDir: home, env: { HOME: home }, cwd: home });
 * // A hand-made two-message session.
 * const session: Session = {
 *   id: "hand-made",
 *   provider: "claude-code",
 *   workspace: home,
 *   metadata: {},
 *   messages: [
 *     { index: 0, role: "user", text: "Name a prime number", toolCalls: [], toolResults: [] },
 *     { index: 1, role: "assistant", text: "7 is prime", toolCalls: [], toolResults: [] },
 *   ],
 * };
 * const { target } = await writeSession(ctx, session, "codex");
 * const brief = await handoffSession(ctx, "claude-code", target.sessionId, { dryRun: true });
 * assert.equal(brief.newSession, true);
 * assert.match(brief.content ?? "", /Name a prime number/);
 * assert.match(brief.start.shell, /claude/);
 *
 * await rm(home, { recursive: true });
 * ```
 */
export async function handoffSession(
  ctx: ProviderContext,
  target: string,
  id: string,
  options: HandoffSessionOptions = {},
): Promise<HandoffResult> {
  const targetProvider = requireProvider(target);
  const resolved = await resolveSession(
    ctx,
    id,
    options.source === undefined ? {} : { source: options.source },
  );
  const read = await readResolved(ctx, resolved);
  const session = read.session;
  const own = sessionWorkspace(ctx, session.workspace);
  const workspace = options.workspace === undefined
    ? own.workspace
    : path.resolve(ctx.cwd, options.workspace);
  const briefOptions: RenderHandoffBriefOptions = {
    sourceName: resolved.provider.name,
    targetName: targetProvider.name,
  };
  if (options.lastTurns !== undefined) briefOptions.lastTurns = options.lastTurns;
  const content = renderHandoffBrief(session, briefOptions);
  const source: SessionLocation = {
    provider: resolved.provider.id,
    sessionId: session.id,
    path: resolved.summary.path,
    messageCount:
      session.messages.filter((m) =>
        m.role === "user" || m.role === "assistant" || m.role === "tool"
      ).length,
  };
  if (session.workspace !== undefined) source.workspace = session.workspace;
  const stem = `handoff-${session.id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64)}`;
  const dir = path.join(workspace, ".casr");
  let file = path.join(dir, `${stem}.md`);
  const warnings: Warning[] = [...read.warnings];
  if (options.workspace === undefined && own.warning !== undefined) warnings.push(own.warning);
  for (let n = 2;; n++) {
    if (options.dryRun) {
      if (!(await exists(file))) break;
    } else {
      try {
        await writeFileAtomic({ path: file, data: content, mode: 0o644 });
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== "EEXIST") throw briefError(error, file);
      }
    }
    if (n > 999) throw new CasrError("conflict", `Cannot write "${file}": too many handoffs`);
    file = path.join(dir, `${stem}-${n}.md`);
  }
  return {
    source,
    target: targetProvider.id,
    path: file,
    bytes: new TextEncoder().encode(content).length,
    content,
    start: handoffStartCommand(targetProvider, file, workspace),
    newSession: true,
    warnings,
    dryRun: options.dryRun ?? false,
  };
}

function briefError(error: unknown, file: string): CasrError {
  const code = (error as { code?: string; name?: string }).code ??
    (error as { name?: string }).name;
  const reason = error instanceof Error ? error.message : String(error);
  if (code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "NotCapable") {
    return new CasrError("permission-denied", `Cannot write "${file}": permission denied`, {
      details: { path: file },
      cause: error,
    });
  }
  return new CasrError("write-failed", `Cannot write "${file}": ${reason}`, {
    details: { path: file },
    cause: error,
  });
}
