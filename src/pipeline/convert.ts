/**
 * The conversion pipeline: resolve → read → validate → prepare → fit the budget →
 * map the tool vocabulary → write (see `write_session.ts`) → resume command.
 *
 * @module
 */
import type { Session, Warning } from "../model/types.ts";
import { conversationCount } from "../model/normalize.ts";
import { derivedUuid } from "../internal/ids.ts";
import { collectGarbage } from "../internal/runtime.ts";
import type { Provider, ProviderContext, ResumeCommand } from "../providers/types.ts";
import { readResolved, requireProvider, resolveSession } from "./discover.ts";
import { checkWorkspace, sessionWorkspace } from "./workspace.ts";
import { validateSession } from "./validate.ts";
import { prepareForTarget } from "./prepare.ts";
import { type BudgetReport, budgetSession, messageTokens } from "./budget.ts";
import { createTokenEstimator } from "./tokens.ts";
import { contextWindowFor } from "./windows.ts";
import { mapToolVocabulary } from "./vocabulary.ts";
import type { TargetUpdate } from "./existing_target.ts";
import {
  type SessionLocation,
  writeHandedOver,
  type WriteSessionOptions,
} from "./write_session.ts";
import { readOnlyTargetError } from "./writable.ts";

/** Options for {@linkcode convertSession}. */
export interface ConvertSessionOptions {
  /**
   * A provider alias to search only that provider, or a session file path.
   *
   * @default {undefined} every provider
   */
  source?: string;
  /**
   * The target working directory, relative to `ctx.cwd` or absolute. A file
   * is refused (`usage`); a directory that does not exist yet is a
   * `missing-workspace` warning.
   *
   * @default {undefined} the session's own workspace, else the current directory
   */
  workspace?: string;
  /**
   * Plan and report, write nothing.
   *
   * @default {false}
   */
  dryRun?: boolean;
  /**
   * Replace an earlier conversion of the same session even when the user went
   * on in it (the old file is kept as `.bak`). Without it, an earlier
   * conversion that still holds exactly what casr wrote is brought up to date,
   * and one with turns of its own is refused.
   *
   * @default {false}
   */
  force?: boolean;
  /**
   * Write a new target session even when an earlier conversion of the same
   * session exists, leaving that one as it is.
   *
   * @default {false}
   */
  newSession?: boolean;
  /**
   * Start the target session with a short user message saying where the
   * conversation came from (agent, session id, workspace).
   *
   * @default {false}
   */
  enrich?: boolean;
  /**
   * The conversation budget in tokens, counted with the target model's
   * tokenizer (or a heuristic, see `createTokenEstimator`). A session over it
   * loses the middle of long tool outputs, then its reasoning, then its oldest
   * exchanges (see `budgetSession`); a session within it is written unchanged.
   * `0` turns the budget off.
   *
   * @default {undefined} the target's window minus its reserve (`contextWindowFor`)
   */
  maxContextTokens?: number;
  /**
   * Cap tool outputs at this many characters (head and tail kept, the middle
   * replaced by a marker), in every session. `0` never cuts them.
   *
   * @default {undefined} 20,000 characters, for sessions over the budget only
   */
  maxToolOutput?: number;
  /**
   * Keep reasoning in a session over its budget.
   *
   * @default {false}
   */
  keepReasoning?: boolean;
  /**
   * "Now" in epoch ms, for file names and metadata.
   *
   * @default {Date.now()}
   */
  now?: number;
  /**
   * Called with a short description as each step starts.
   *
   * @default {undefined}
   */
  onProgress?: (step: string) => void;
}

/** What {@linkcode convertSession} did. */
export interface ConvertResult {
  /** The source session. */
  source: SessionLocation;
  /** The written (or, same-provider, existing) session. */
  target: SessionLocation;
  /** Every file written (or that would be, under `dryRun`). */
  files: string[];
  /** Side effects applied (or planned). */
  effects: string[];
  /** How to resume the target session. */
  resume: ResumeCommand;
  /** Everything that was skipped, repaired or approximated. */
  warnings: Warning[];
  /** Whether nothing was written on purpose. */
  dryRun: boolean;
  /** Whether source and target are the same provider (nothing converted). */
  sameProvider: boolean;
  /** Whether the written session was read back and matched. */
  verified: boolean;
  /** A previous conversion that `force` replaced, kept at this path. */
  backupPath?: string;
  /** What happened to an earlier conversion at the same target id. */
  update?: TargetUpdate;
  /** What the context budget did (absent for a same-provider request). */
  budget?: ConvertBudget;
}

/** The context budget of a conversion: the budget's counts and how tokens were counted. */
export interface ConvertBudget extends BudgetReport {
  /** The target model's context window, in tokens. */
  window: number;
  /** How tokens were counted, e.g. `o200k_base (gpt-tokenizer)` or a heuristic. */
  estimator: string;
}

/**
 * Converts a session to another provider and returns the command to resume it.
 *
 * The source is only read. Files are written atomically; the result is read
 * back through the target's reader and compared with what was written; any
 * mismatch rolls every write back and throws `verify-failed`.
 *
 * @param ctx Where to look and write.
 * @param target The target provider id or alias.
 * @param id The source session id, unique prefix or file path.
 * @param options Source restriction, workspace, dry run, force.
 * @returns What was done.
 * @throws {CasrError} `session-not-found`, `ambiguous-session`, `unknown-provider`,
 * `read-only-target` (a target that cannot import sessions, unless the source is
 * its own session), `invalid-session`, `conflict`, `write-failed`,
 * `permission-denied`, `verify-failed`.
 *
 * @example Convert a Codex thread to Claude Code
 * ```ts
 * import { convertSession, createContext, type Session, writeSession } from "@casr/core";
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
 * const result = await convertSession(ctx, "claude-code", target.sessionId);
 * assert.equal(result.verified, true);
 * assert.equal(result.source.provider, "codex");
 * assert.equal(result.target.messageCount, 2);
 * assert.equal(result.resume.argv[0], "claude");
 *
 * await rm(home, { recursive: true });
 * ```
 */
export async function convertSession(
  ctx: ProviderContext,
  target: string,
  id: string,
  options: ConvertSessionOptions = {},
): Promise<ConvertResult> {
  const ready = await prepareConversion(ctx, target, id, options);
  if ("sameProvider" in ready) return ready;
  // The session is handed over: from here only the writer holds it, and lets
  // go of it before it reads the written one back (a 100 MB session is never
  // in memory twice). What reading and fitting let go of is freed first,
  // unless fitting did and then cut the session (the session read is then
  // freed before the read-back).
  if (!ready.collected) collectGarbage();
  const written = await writeHandedOver(ctx, ready.handed, ready.target, ready.writeOptions);
  const result: ConvertResult = {
    source: ready.source,
    target: written.target,
    files: written.files,
    effects: written.effects,
    resume: written.resume,
    warnings: [...ready.warnings, ...written.warnings],
    dryRun: written.dryRun,
    sameProvider: false,
    verified: written.verified,
    budget: ready.budget,
  };
  if (written.backupPath !== undefined) result.backupPath = written.backupPath;
  if (written.update !== undefined) result.update = written.update;
  return result;
}

/** A conversion up to the write: the session to write, and what the result reports. */
interface ReadyToWrite {
  /** Whether fitting collected garbage after the read, then cut the session. */
  collected: boolean;
  handed: { session?: Session | undefined };
  target: string;
  writeOptions: WriteSessionOptions;
  source: SessionLocation;
  warnings: Warning[];
  budget: ConvertBudget;
}

/**
 * Resolves, reads, validates, prepares and fits the session; a same-provider
 * request is answered here. Its own frame (which held every stage of the
 * session) is gone once it returns.
 */
async function prepareConversion(
  ctx: ProviderContext,
  target: string,
  id: string,
  options: ConvertSessionOptions,
): Promise<ReadyToWrite | ConvertResult> {
  const progress = options.onProgress ?? (() => {});
  const targetProvider = requireProvider(target);
  const chosen = options.workspace === undefined
    ? undefined
    : await checkWorkspace(ctx, options.workspace);
  progress("resolving the source session");
  const resolved = await resolveSession(
    ctx,
    id,
    options.source === undefined ? {} : { source: options.source },
  );
  const sourceProvider = resolved.provider;
  progress(`reading ${sourceProvider.id} session ${resolved.summary.id}`);
  const read = await readResolved(ctx, resolved);
  const session = read.session;
  const source: SessionLocation = {
    provider: sourceProvider.id,
    sessionId: session.id,
    path: resolved.summary.path,
    messageCount: conversationCount(session.messages),
  };
  if (session.workspace !== undefined) source.workspace = session.workspace;

  if (targetProvider.readOnly && sourceProvider.id !== targetProvider.id) {
    throw readOnlyTargetError(targetProvider, resolved.summary.id, sourceProvider.id);
  }
  if (sourceProvider.id === targetProvider.id) {
    const resumeFor: { id: string; workspace?: string; path?: string; title?: string } = {
      id: session.id,
      path: resolved.summary.path,
    };
    const ws = chosen?.workspace ?? session.workspace;
    if (ws !== undefined) resumeFor.workspace = ws;
    const title = session.title ?? resolved.summary.title;
    if (title !== undefined) resumeFor.title = title;
    return {
      source,
      target: { ...source },
      files: [],
      effects: [],
      resume: sourceProvider.resumeCommand(resumeFor),
      warnings: read.warnings,
      dryRun: options.dryRun ?? false,
      sameProvider: true,
      verified: false,
    };
  }

  progress("validating");
  const warnings: Warning[] = [
    ...read.warnings,
    ...await validateSession(session, read.warnings),
    ...chosen?.warnings ?? [],
  ];
  const prepared = prepareForTarget(session, {
    name: targetProvider.name,
    ...(targetProvider.carries === undefined ? {} : { carries: targetProvider.carries }),
  });
  warnings.push(...prepared.warnings);
  if (options.keepReasoning && !targetProvider.carries?.reasoning) {
    warnings.push({
      code: "keep-reasoning-ignored",
      message: `--keep-reasoning has no effect: ${targetProvider.name} does not send earlier ` +
        `reasoning to its model, so casr does not write it (and it costs no budget)`,
    });
  }
  progress("fitting the session into the target's context window");
  const fitted = await fitSession(prepared.session, targetProvider, options);
  warnings.push(...fitted.warnings);
  const named = mapToolVocabulary(
    fitted.session,
    sourceProvider.carries?.toolFamily,
    targetProvider.carries?.toolFamily,
  );
  warnings.push(...named.warnings);
  const own = sessionWorkspace(ctx, session.workspace);
  if (chosen === undefined && own.warning !== undefined) warnings.push(own.warning);
  const workspace = chosen?.workspace ?? own.workspace;
  const writeOptions: WriteSessionOptions = {
    workspace,
    sessionId: options.newSession ? crypto.randomUUID() : await derivedUuid(
      `casr:${sourceProvider.id}:${session.id}:${targetProvider.id}:${workspace}`,
    ),
    onProgress: progress,
    origin: { provider: sourceProvider.id, sessionId: session.id, path: resolved.summary.path },
  };
  if (options.now !== undefined) writeOptions.now = options.now;
  if (options.force) writeOptions.force = true;
  if (options.dryRun) writeOptions.dryRun = true;
  return {
    handed: {
      session: options.enrich ? withOrigin(named.session, sourceProvider.name) : named.session,
    },
    target: targetProvider.id,
    writeOptions,
    source,
    warnings,
    budget: fitted.budget,
    collected: fitted.collected,
  };
}

/**
 * Applies the context budget for the target: a heuristic count first, and the
 * target's real tokenizer (loaded lazily) only for a session within a factor of
 * two of its budget.
 */
async function fitSession(
  session: Session,
  target: Provider,
  options: ConvertSessionOptions,
): Promise<{ session: Session; warnings: Warning[]; budget: ConvertBudget; collected: boolean }> {
  const facts = contextWindowFor(target.id);
  const maxContextTokens = options.maxContextTokens ?? facts.window - facts.reserve;
  for (
    const [flag, value] of [["maxContextTokens", maxContextTokens], [
      "maxToolOutput",
      options.maxToolOutput,
    ]] as const
  ) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new RangeError(`Cannot use ${flag} ${value}: expected a whole number, 0 or more`);
    }
  }
  const heuristic = await createTokenEstimator(facts.family, { exact: false });
  let estimator = heuristic;
  let collected = false;
  if (maxContextTokens > 0 && facts.family === "o200k") {
    let rough = 0;
    for (const m of session.messages) rough += messageTokens(m, heuristic.count);
    if (rough > maxContextTokens / 2) {
      // The tokenizer's tables (some 50 MB) come on top of the session: free
      // what reading it left behind first.
      collectGarbage();
      collected = true;
      estimator = await createTokenEstimator(facts.family);
    }
  }
  const budgetOptions: Parameters<typeof budgetSession>[1] = {
    maxContextTokens,
    count: estimator.count,
    targetName: target.name,
  };
  // Far over the budget, the real tokenizer runs only on what may be kept.
  if (estimator.exact) budgetOptions.roughCount = heuristic.count;
  if (options.maxToolOutput !== undefined) budgetOptions.maxToolOutput = options.maxToolOutput;
  if (options.keepReasoning) budgetOptions.keepReasoning = true;
  const out = budgetSession(session, budgetOptions);
  return {
    session: out.session,
    warnings: out.warnings,
    budget: { ...out.report, window: facts.window, estimator: estimator.name },
    // The session was cut: what is left of the one read goes before the read-back.
    collected: collected &&
      out.report.toolOutputsElided + out.report.reasoningDropped + out.report.messagesDropped > 0,
  };
}

/**
 * Prepends the `--enrich` message.
 *
 * @param session The source session.
 * @param sourceName The source agent's name.
 * @returns A copy with the extra first message.
 */
function withOrigin(session: Session, sourceName: string): Session {
  const where = session.workspace === undefined ? "" : ` in ${session.workspace}`;
  const first = session.messages.find((m) => m.timestamp !== undefined)?.timestamp;
  const note: Session["messages"][number] = {
    index: 0,
    role: "user",
    text: `[casr] This conversation started in ${sourceName} (session ${session.id}${where}) ` +
      `and was moved here with casr. The earlier turns follow; continue from the last one.`,
    toolCalls: [],
    toolResults: [],
  };
  if (first !== undefined) note.timestamp = first;
  return { ...session, messages: [note, ...session.messages] };
}
