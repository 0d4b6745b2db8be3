/**
 * The conversion pipeline: resolve → read → validate → repair → plan → write →
 * verify (roll back on mismatch) → resume command.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { CasrError } from "../errors.ts";
import type { Session, Warning } from "../model/types.ts";
import { derivedUuid } from "../internal/ids.ts";
import {
  type AtomicWriteRecord,
  exists,
  isInside,
  nextBackupPath,
  tryLock,
  undoAtomicWrite,
  writeFileAtomic,
} from "../internal/fs.ts";
import type { Provider, ProviderContext, ResumeCommand, WritePlan } from "../providers/types.ts";
import { readResolved, requireProvider, resolveSession } from "./discover.ts";
import { checkWorkspace } from "./workspace.ts";
import { assertWritable } from "./writable.ts";
import { PROVIDERS } from "../providers/registry.ts";
import { validateSession } from "./validate.ts";
import { repairSession } from "./repair.ts";
import { prepareForTarget } from "./prepare.ts";
import { compareSessions, formatDifferences } from "./compare.ts";
import { type BudgetReport, budgetSession, messageTokens } from "./budget.ts";
import { createTokenEstimator } from "./tokens.ts";
import { contextWindowFor } from "./windows.ts";
import { mapToolVocabulary } from "./vocabulary.ts";

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
   * `workspace-missing` warning.
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
   * Replace an earlier conversion of the same session (the old file is kept as `.bak`).
   *
   * @default {false}
   */
  force?: boolean;
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

/** Where a session came from or went to. */
export interface SessionLocation {
  /** The provider id. */
  provider: string;
  /** The session id. */
  sessionId: string;
  /** The session file. */
  path: string;
  /** The working directory. */
  workspace?: string;
  /** Conversation messages (user, assistant, tool). */
  messageCount?: number;
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
 */
export async function convertSession(
  ctx: ProviderContext,
  target: string,
  id: string,
  options: ConvertSessionOptions = {},
): Promise<ConvertResult> {
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
    messageCount: countConversation(session),
  };
  if (session.workspace !== undefined) source.workspace = session.workspace;

  if (targetProvider.readOnly && sourceProvider.id !== targetProvider.id) {
    throw readOnlyTargetError(targetProvider, resolved.summary.id, sourceProvider.id);
  }
  if (sourceProvider.id === targetProvider.id) {
    const resumeFor: { id: string; workspace?: string; path?: string } = {
      id: session.id,
      path: resolved.summary.path,
    };
    const ws = chosen?.workspace ?? session.workspace;
    if (ws !== undefined) resumeFor.workspace = ws;
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
  const workspace = chosen?.workspace ?? session.workspace ?? ctx.cwd;
  const writeOptions: WriteSessionOptions = {
    workspace,
    sessionId: await derivedUuid(
      `casr:${sourceProvider.id}:${session.id}:${targetProvider.id}:${workspace}`,
    ),
    onProgress: progress,
  };
  if (options.now !== undefined) writeOptions.now = options.now;
  if (options.force) writeOptions.force = true;
  if (options.dryRun) writeOptions.dryRun = true;
  const written = await writeSession(
    ctx,
    options.enrich ? withOrigin(named.session, sourceProvider.name) : named.session,
    targetProvider.id,
    writeOptions,
  );
  const result: ConvertResult = {
    source,
    target: written.target,
    files: written.files,
    effects: written.effects,
    resume: written.resume,
    warnings: [...warnings, ...written.warnings],
    dryRun: written.dryRun,
    sameProvider: false,
    verified: written.verified,
    budget: fitted.budget,
  };
  if (written.backupPath !== undefined) result.backupPath = written.backupPath;
  return result;
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
): Promise<{ session: Session; warnings: Warning[]; budget: ConvertBudget }> {
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
  if (maxContextTokens > 0 && facts.family === "o200k") {
    let rough = 0;
    for (const m of session.messages) rough += messageTokens(m, heuristic.count);
    if (rough > maxContextTokens / 2) estimator = await createTokenEstimator(facts.family);
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
  };
}

/** Options for {@linkcode writeSession}. */
export interface WriteSessionOptions {
  /**
   * The target working directory.
   *
   * @default {undefined} the session's workspace, else the current directory
   */
  workspace?: string;
  /**
   * The new session's id.
   *
   * @default {undefined} a fresh id chosen by the target's writer
   */
  sessionId?: string;
  /**
   * "Now" in epoch ms.
   *
   * @default {Date.now()}
   */
  now?: number;
  /**
   * Replace a session with the same id (kept as `.bak`, `.bak.1`, …).
   *
   * @default {false}
   */
  force?: boolean;
  /**
   * Plan and report; write nothing.
   *
   * @default {false}
   */
  dryRun?: boolean;
  /**
   * Called with a short description as each step starts.
   *
   * @default {undefined}
   */
  onProgress?: (step: string) => void;
}

/** What {@linkcode writeSession} did. */
export interface WriteResult {
  /** The written session. */
  target: SessionLocation;
  /** Every file written (or that would be). */
  files: string[];
  /** Side effects applied (or planned). */
  effects: string[];
  /** How to resume it. */
  resume: ResumeCommand;
  /** What was repaired, dropped or approximated. */
  warnings: Warning[];
  /** Whether nothing was written on purpose. */
  dryRun: boolean;
  /** Whether it was read back and matched. */
  verified: boolean;
  /** The replaced session's backup, with `force`. */
  backupPath?: string;
}

/**
 * Writes a canonical session as a new native session of `target`: repair →
 * plan → confinement and conflict checks → atomic writes and effects → read
 * back and compare → roll everything back on any difference.
 *
 * @param ctx Where to write.
 * @param session The canonical session (not modified).
 * @param target The target provider id or alias.
 * @param options Workspace, id, time, force, dry run.
 * @returns What was written.
 * @throws {CasrError} `unknown-provider`, `read-only-target`, `conflict`,
 * `permission-denied`, `write-failed`, `verify-failed`.
 */
export async function writeSession(
  ctx: ProviderContext,
  session: Session,
  target: string,
  options: WriteSessionOptions = {},
): Promise<WriteResult> {
  const progress = options.onProgress ?? (() => {});
  const targetProvider = requireProvider(target);
  if (targetProvider.readOnly) throw readOnlyTargetError(targetProvider, session.id);
  const now = options.now ?? Date.now();
  const prepared = prepareForTarget(session, {
    name: targetProvider.name,
    ...(targetProvider.carries === undefined ? {} : { carries: targetProvider.carries }),
  });
  const repaired = repairSession(prepared.session, now);
  const warnings: Warning[] = [...prepared.warnings, ...repaired.warnings];
  const workspace = options.workspace === undefined
    ? session.workspace ?? ctx.cwd
    : path.resolve(ctx.cwd, options.workspace);
  progress(`planning the ${targetProvider.id} session`);
  const planOptions: Parameters<Provider["plan"]>[2] = { workspace, now };
  if (options.sessionId !== undefined) planOptions.sessionId = options.sessionId;
  const plan = await targetProvider.plan(repaired.session, ctx, planOptions);
  warnings.push(...plan.warnings);
  await assertConfined(plan, targetProvider, ctx, workspace);
  await assertWritable(plan.files.map((f) => f.path), targetProvider.name);

  if (options.dryRun) {
    return await describePlan(
      plan,
      targetProvider,
      ctx,
      workspace,
      repaired.session,
      warnings,
      options,
    );
  }
  const lockName = await derivedUuid(
    `${targetProvider.id}:${targetProvider.roots(ctx)[0]}:${plan.sessionId}`,
  );
  const release = await tryLock(path.join(os.tmpdir(), `casr-${lockName}.lock`));
  if (!release) {
    throw new CasrError(
      "conflict",
      `Cannot write ${targetProvider.id} session "${plan.sessionId}": another casr run is writing it right now`,
      { details: { sessionId: plan.sessionId } },
    );
  }
  try {
    return await writeLocked(
      plan,
      targetProvider,
      ctx,
      workspace,
      repaired.session,
      warnings,
      options,
    );
  } finally {
    await release();
  }
}

async function describePlan(
  plan: WritePlan,
  targetProvider: Provider,
  ctx: ProviderContext,
  workspace: string,
  session: Session,
  warnings: Warning[],
  options: WriteSessionOptions,
): Promise<WriteResult> {
  const existing = (await targetProvider.find(ctx, plan.sessionId)).filter((s) =>
    s.id === plan.sessionId
  );
  if (existing.length > 0 && !options.force) throw conflictError(targetProvider, plan, existing);
  return planResult(plan, targetProvider, workspace, session, warnings, true);
}

function conflictError(
  targetProvider: Provider,
  plan: WritePlan,
  existing: { path: string }[],
): CasrError {
  return new CasrError(
    "conflict",
    `Cannot write ${targetProvider.id} session "${plan.sessionId}": this session was already converted there (use --force to replace it)`,
    { details: { existing: existing.map((s) => s.path), sessionId: plan.sessionId } },
  );
}

function planResult(
  plan: WritePlan,
  targetProvider: Provider,
  workspace: string,
  session: Session,
  warnings: Warning[],
  dryRun: boolean,
): WriteResult {
  return {
    target: {
      provider: targetProvider.id,
      sessionId: plan.sessionId,
      path: plan.primaryPath,
      workspace,
      messageCount: countConversation(session),
    },
    files: plan.files.map((f) => f.path),
    effects: plan.effects.map((e) => e.description),
    resume: plan.resume,
    warnings,
    dryRun,
    verified: false,
  };
}

/** The write, verify and rollback steps, run while holding the target's lock. */
async function writeLocked(
  plan: WritePlan,
  targetProvider: Provider,
  ctx: ProviderContext,
  workspace: string,
  session: Session,
  warnings: Warning[],
  options: WriteSessionOptions,
): Promise<WriteResult> {
  const progress = options.onProgress ?? (() => {});
  const existing = (await targetProvider.find(ctx, plan.sessionId)).filter((s) =>
    s.id === plan.sessionId
  );
  if (existing.length > 0 && !options.force) throw conflictError(targetProvider, plan, existing);
  const result = planResult(plan, targetProvider, workspace, session, warnings, false);

  // A session of its own file is copied to .bak, .bak.1, … and replaced only
  // once the new one is verified, so a crash at any point leaves the old one or
  // the new one in place. One stored in a shared database (a path with
  // "#<id>") is replaced by the provider's own effects.
  const backups: { from: string; to: string }[] = [];
  const dropCopies = async (): Promise<void> => {
    for (const b of backups) await fsp.rm(b.to, { force: true }).catch(() => {});
  };
  for (const old of existing.filter((s) => !s.path.includes("#"))) {
    const to = await nextBackupPath(old.path);
    await fsp.copyFile(old.path, to).catch(async (error) => {
      await dropCopies();
      throw writeError(error, old.path);
    });
    backups.push({ from: old.path, to });
  }
  // With --force, a file already at the new path (say, left by a killed run,
  // or a second copy a provider's find() folded into one) is replaced too.
  if (
    options.force && !plan.primaryPath.includes("#") &&
    !backups.some((b) => b.from === plan.primaryPath) && await exists(plan.primaryPath)
  ) {
    const to = await nextBackupPath(plan.primaryPath);
    await fsp.copyFile(plan.primaryPath, to).catch(async (error) => {
      await dropCopies();
      throw writeError(error, plan.primaryPath);
    });
    backups.push({ from: plan.primaryPath, to });
  }
  if (backups[0]) result.backupPath = backups[0].to;

  progress(`writing ${plan.files.length} file(s)`);
  let applied: Awaited<ReturnType<typeof applyPlan>>;
  try {
    applied = await applyPlan(plan, backups.some((b) => b.from === plan.primaryPath));
  } catch (error) {
    await dropCopies();
    throw error;
  }
  try {
    progress("verifying by reading the new session back");
    const back = await targetProvider.read(plan.primaryPath, ctx);
    const diffs = compareSessions(
      session,
      back.session,
      targetProvider.toolCallsAsText ? { toolCallsAsText: true } : {},
    );
    if (diffs.length > 0) {
      throw new CasrError(
        "verify-failed",
        `Cannot verify the ${targetProvider.id} session: reading it back differs from the source (${diffs.length} difference(s)); nothing was kept. Please report this with the --json output`,
        { details: { differences: diffs, summary: formatDifferences(diffs) } },
      );
    }
    if (back.session.id !== plan.sessionId) {
      throw new CasrError(
        "verify-failed",
        `Cannot verify the ${targetProvider.id} session: it reads back with id "${back.session.id}", not "${plan.sessionId}"; nothing was kept`,
      );
    }
  } catch (error) {
    await applied.undo();
    await dropCopies();
    throw error;
  }
  await applied.commit();
  const installed = await targetProvider.detect(ctx).catch(() => undefined);
  if (installed && installed.binaryPath === undefined) {
    result.warnings.push({
      code: "target-not-installed",
      message:
        `${targetProvider.name} does not seem to be installed here (no "${targetProvider.binary}" on PATH); the session is in place for when it is`,
    });
  }
  for (const b of backups) {
    if (b.from !== plan.primaryPath) await fsp.rm(b.from, { force: true }).catch(() => {});
  }
  result.verified = true;
  return result;
}

/**
 * Refuses a plan that would write outside the target provider's storage roots
 * (or, for providers that keep sessions in the project, outside the workspace),
 * symlinks included.
 *
 * @param plan The plan.
 * @param provider The target provider.
 * @param ctx Where to look.
 * @param workspace The target workspace.
 * @throws {CasrError} `permission-denied` naming the path.
 */
async function assertConfined(
  plan: WritePlan,
  provider: Provider,
  ctx: ProviderContext,
  workspace: string,
): Promise<void> {
  const roots = [...provider.roots(ctx), ...(provider.writesInWorkspace ? [workspace] : [])];
  const paths = [...plan.files.map((f) => f.path), plan.primaryPath.split("#")[0] as string];
  for (const p of paths) {
    let inside = false;
    for (const root of roots) {
      if (await isInside(p, root)) {
        inside = true;
        break;
      }
    }
    if (!inside) {
      throw new CasrError(
        "permission-denied",
        `Cannot write "${p}": it is outside ${provider.name}'s storage (${roots.join(", ")})`,
        { details: { path: p, roots } },
      );
    }
  }
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

/**
 * The error for a target that cannot import sessions, naming agents that can.
 *
 * @param provider The read-only target.
 * @param id The session the user wanted to move.
 * @param sourceProvider The agent the session is in, never suggested as its target.
 * @returns A `read-only-target` error.
 */
export function readOnlyTargetError(
  provider: Provider,
  id: string,
  sourceProvider?: string,
): CasrError {
  const writable = PROVIDERS.filter((p) => !p.readOnly).map((p) => p.id);
  const example = writable.find((p) => p !== sourceProvider) ?? "claude-code";
  const article = /^[aeiou]/i.test(provider.name) ? "an" : "a";
  return new CasrError(
    "read-only-target",
    `Cannot write ${article} ${provider.name} session: ${provider.name} cannot import sessions ` +
      `(casr only reads them); resume in an agent that can, e.g. "casr ${example} resume ${id}" ` +
      `(targets: ${writable.join(", ")})`,
    { details: { provider: provider.id, id, targets: writable } },
  );
}

function countConversation(session: Session): number {
  return session.messages.filter((m) =>
    m.role === "user" || m.role === "assistant" || m.role === "tool"
  ).length;
}

function writeError(error: unknown, path: string): CasrError {
  if (error instanceof CasrError) return error;
  const code = (error as { code?: string }).code;
  const reason = error instanceof Error ? error.message : String(error);
  if (code === "EEXIST") {
    return new CasrError(
      "conflict",
      `Cannot write "${path}": another casr run wrote it first (use --force to replace it)`,
      { details: { path }, cause: error },
    );
  }
  if (code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "NotCapable") {
    return new CasrError("permission-denied", `Cannot write "${path}": permission denied`, {
      details: { path },
      cause: error,
    });
  }
  return new CasrError("write-failed", `Cannot write "${path}": ${reason}`, {
    details: { path },
    cause: error,
  });
}

/**
 * Writes a plan's files and applies its effects; on any failure undoes what it did.
 * Shared files it replaces (an index such as Gemini's `projects.json`) are backed
 * up until `commit`, which removes the backups.
 *
 * @param plan The plan.
 * @returns `undo` for everything, and `commit` once verified.
 */
async function applyPlan(
  plan: WritePlan,
  replacePrimary = false,
): Promise<{ undo: () => Promise<void>; commit: () => Promise<void> }> {
  const written: AtomicWriteRecord[] = [];
  const undos: (() => Promise<void>)[] = [];
  const undoAll = async (): Promise<void> => {
    for (const u of undos.reverse()) await u().catch(() => {});
    for (const w of written.reverse()) await undoAtomicWrite(w).catch(() => {});
  };
  try {
    for (const file of plan.files) {
      if (file.path !== plan.primaryPath && await sameContent(file.path, file.data)) continue;
      const record = await writeFileAtomic(file, {
        overwrite: replacePrimary || file.path !== plan.primaryPath,
      })
        .catch((error) => {
          throw writeError(error, file.path);
        });
      written.push(record);
    }
    for (const effect of plan.effects) {
      const undo = await effect.apply().catch((error) => {
        throw writeError(error, effect.description);
      });
      if (undo) undos.push(undo);
    }
  } catch (error) {
    await undoAll();
    throw error;
  }
  // Written: let the (possibly huge) contents go before the session is read back.
  for (const file of plan.files) file.data = "";
  return {
    undo: undoAll,
    commit: async () => {
      for (const w of written) {
        if (w.backupPath !== undefined) await fsp.rm(w.backupPath, { force: true });
      }
    },
  };
}

async function sameContent(path: string, data: string): Promise<boolean> {
  if (!(await exists(path))) return false;
  try {
    return (await fsp.readFile(path, "utf8")) === data;
  } catch {
    return false;
  }
}
