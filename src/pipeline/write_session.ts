/**
 * The write transaction: prepare → repair → plan → confinement and conflict
 * checks → lock → atomic writes and effects → read back and compare → commit,
 * or roll everything back.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { CasrError } from "../errors.ts";
import type { Session, Warning } from "../model/types.ts";
import { conversationCount } from "../model/normalize.ts";
import { derivedUuid } from "../internal/ids.ts";
import { collectGarbage } from "../internal/runtime.ts";
import { exists, nextBackupPath, tryLock } from "../internal/fs.ts";
import type { Provider, ProviderContext, ResumeCommand, WritePlan } from "../providers/types.ts";
import { requireProvider } from "./discover.ts";
import { repairSession } from "./repair.ts";
import { prepareForTarget } from "./prepare.ts";
import { compareViews, formatDifferences, sessionView } from "./compare.ts";
import { sessionWorkspace } from "./workspace.ts";
import { applyPlan, writeError } from "./apply_plan.ts";
import { assertConfined, assertWritable, readOnlyTargetError } from "./writable.ts";
import { earlierWrite, rememberWrite, type TargetUpdate } from "./existing_target.ts";
import { plural } from "../internal/plural.ts";

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
   * Replace a session with the same id even when it is no longer what casr
   * wrote there (kept as `.bak`, `.bak.1`, …). Without it, a session casr
   * wrote that still holds exactly that is brought up to date, and any other
   * is refused with a `conflict` naming its own turns.
   *
   * @default {false}
   */
  force?: boolean;
  /**
   * The session this one was converted from, kept in casr's ledger with what
   * was written.
   *
   * @default {undefined}
   */
  origin?: { provider: string; sessionId: string; path: string };
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
  /** What happened to an earlier session at the same id. */
  update?: TargetUpdate;
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
 *
 * @example Write a hand-made session as a Codex thread
 * ```ts
 * import { createContext, type Session, writeSession } from "@casr/core";
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
 * const written = await writeSession(ctx, session, "codex");
 * assert.equal(written.verified, true);
 * assert.equal(written.target.provider, "codex");
 * assert.deepEqual(written.resume.argv, ["codex", "resume", written.target.sessionId]);
 *
 * await rm(home, { recursive: true });
 * ```
 */
export function writeSession(
  ctx: ProviderContext,
  session: Session,
  target: string,
  options: WriteSessionOptions = {},
): Promise<WriteResult> {
  // Not async: this frame is gone once the write starts, so it keeps nothing.
  return writeHandedOver(ctx, { session }, target, options);
}

/**
 * {@linkcode writeSession} of a session handed over: the write takes it out of
 * `handed` and lets go of it (keeping only a compact view of it, see
 * `sessionView`) before it reads the written session back, so a 100 MB
 * session is not in memory twice. The caller must hold the session nowhere
 * else: an async function keeps every variable it has until it returns.
 *
 * @param ctx Where to write.
 * @param handed Holds the session; emptied.
 * @param target The target provider id or alias.
 * @param options Workspace, id, time, force, dry run.
 * @returns What was written.
 * @throws {CasrError} As {@linkcode writeSession}.
 */
export async function writeHandedOver(
  ctx: ProviderContext,
  handed: { session?: Session | undefined },
  target: string,
  options: WriteSessionOptions = {},
): Promise<WriteResult> {
  const progress = options.onProgress ?? (() => {});
  const targetProvider = requireProvider(target);
  const now = options.now ?? Date.now();
  const input = takeForTarget(handed, targetProvider, now, options.workspace, ctx);
  progress(`planning the ${targetProvider.id} session`);
  const planOptions: Parameters<Provider["plan"]>[2] = { workspace: input.workspace, now };
  if (options.sessionId !== undefined) planOptions.sessionId = options.sessionId;
  const plan = await targetProvider.plan(input.session as Session, ctx, planOptions);
  input.warnings.push(...plan.warnings);
  await assertConfined(plan, targetProvider, ctx, input.workspace);
  await assertWritable(plan.files.map((f) => f.path), targetProvider.name);
  const job: WriteJob = {
    plan,
    provider: targetProvider,
    ctx,
    workspace: input.workspace,
    session: input.session,
    warnings: input.warnings,
    options,
  };
  input.session = undefined;

  if (options.dryRun) {
    return await describePlan(job);
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
    return await writeLocked(job);
  } finally {
    await release();
  }
}

/**
 * Takes the session out of `handed`, prepared and repaired for the target (a
 * function of its own: its variables go when it returns).
 */
function takeForTarget(
  handed: { session?: Session | undefined },
  targetProvider: Provider,
  now: number,
  workspaceOption: string | undefined,
  ctx: ProviderContext,
): { session: Session | undefined; warnings: Warning[]; workspace: string } {
  const session = handed.session;
  if (session === undefined) throw new Error("writeHandedOver: no session handed over");
  handed.session = undefined;
  if (targetProvider.readOnly) throw readOnlyTargetError(targetProvider, session.id);
  const prepared = prepareForTarget(session, {
    name: targetProvider.name,
    ...(targetProvider.carries === undefined ? {} : { carries: targetProvider.carries }),
  });
  const repaired = repairSession(prepared.session, now);
  const warnings = [...prepared.warnings, ...repaired.warnings];
  let workspace: string;
  if (workspaceOption === undefined) {
    const own = sessionWorkspace(ctx, session.workspace);
    workspace = own.workspace;
    if (own.warning !== undefined) warnings.push(own.warning);
  } else workspace = path.resolve(ctx.cwd, workspaceOption);
  return { session: repaired.session, warnings, workspace };
}

/** One write: the plan and everything the steps after planning need. */
interface WriteJob {
  plan: WritePlan;
  provider: Provider;
  ctx: ProviderContext;
  workspace: string;
  /**
   * The session as planned (prepared and repaired); `undefined` once the write
   * has let go of it.
   */
  session: Session | undefined;
  /** Warnings so far; the result carries them. */
  warnings: Warning[];
  options: WriteSessionOptions;
}

/** A dry run: what would be written, after the same checks on what is there. */
async function describePlan(job: WriteJob): Promise<WriteResult> {
  const { plan, provider, ctx, options } = job;
  const before = await earlierWrite(plan, provider, ctx, job.session as Session, options);
  const result = planResult(job, true);
  if (before !== undefined) {
    result.update = before.update;
    if (before.update.kind === "unchanged") {
      result.files = [];
      result.effects = [];
    }
    if (before.warning !== undefined) result.warnings.push(before.warning);
  }
  return result;
}

function planResult(job: WriteJob, dryRun: boolean): WriteResult {
  const { plan, provider: targetProvider, workspace, warnings } = job;
  return {
    target: {
      provider: targetProvider.id,
      sessionId: plan.sessionId,
      path: plan.primaryPath,
      workspace,
      messageCount: conversationCount((job.session as Session).messages),
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
async function writeLocked(job: WriteJob): Promise<WriteResult> {
  const { plan, provider: targetProvider, ctx, options } = job;
  const progress = options.onProgress ?? (() => {});
  let before = await earlierWrite(plan, targetProvider, ctx, job.session as Session, options);
  const result = planResult(job, false);
  if (before !== undefined) {
    result.update = before.update;
    if (before.warning !== undefined) result.warnings.push(before.warning);
    if (before.update.kind === "unchanged") {
      // It already holds the whole conversation: nothing to write, and the
      // ledger learns it (a session an older casr wrote).
      result.files = [];
      result.effects = [];
      result.verified = true;
      result.target.path = before.existing.path;
      const unrecorded = await rememberWrite(
        ctx,
        targetProvider,
        plan.sessionId,
        before.existing.path,
        before.existing.session,
        options.origin,
      );
      if (unrecorded !== undefined) result.warnings.push(unrecorded);
      return result;
    }
  }
  const existing = (before?.paths ?? []).map((p) => ({ path: p }));
  const updated = before?.update.kind === "updated";
  // The existing session read for the comparison is not needed any more.
  const readEarlier = before !== undefined;
  before = undefined;
  if (readEarlier) collectGarbage();

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

  // What the written session must read back as, projected now, small: the
  // session itself can go before the written one is read back.
  const compareOptions = {
    ...(targetProvider.toolCallsAsText ? { toolCallsAsText: true } : {}),
    reasoning: targetProvider.carries?.reasoning === true,
  };
  const expected = sessionView(job.session as Session, { ...compareOptions, compact: true });
  const asides = asideCount(job.session as Session);
  // Let go: from here on the plan's files (until written) and this view stand
  // for the session.
  job.session = undefined;
  progress(`writing ${plural(plan.files.length, "file")}`);
  let applied: Awaited<ReturnType<typeof applyPlan>>;
  try {
    applied = await applyPlan(plan, backups.some((b) => b.from === plan.primaryPath));
  } catch (error) {
    await dropCopies();
    throw error;
  }
  let back: Session;
  try {
    progress("verifying by reading the new session back");
    // The written session and its file contents are gone: free them before
    // the session read back takes their place.
    collectGarbage();
    const readBack = await targetProvider.read(plan.primaryPath, ctx);
    back = readBack.session;
    const diffs = compareViews(
      expected,
      sessionView(back, { ...compareOptions, compact: true }),
      compareOptions,
    );
    if (diffs.length > 0) {
      throw new CasrError(
        "verify-failed",
        `Cannot verify the ${targetProvider.id} session: reading it back differs from the source (${
          plural(diffs.length, "difference")
        }); nothing was kept. Please report this with the --json output`,
        { details: { differences: diffs, summary: formatDifferences(diffs) } },
      );
    }
    if (back.id !== plan.sessionId) {
      throw new CasrError(
        "verify-failed",
        `Cannot verify the ${targetProvider.id} session: it reads back with id "${back.id}", not "${plan.sessionId}"; nothing was kept`,
      );
    }
  } catch (error) {
    await applied.undo();
    await dropCopies();
    throw error;
  }
  await applied.commit();
  const kept = asideCount(back);
  const left: string[] = [];
  if (asides.system > kept.system) left.push(plural(asides.system - kept.system, "system message"));
  if (asides.other > kept.other) left.push(plural(asides.other - kept.other, "notice"));
  if (left.length > 0 && !result.warnings.some((w) => w.code === "skipped-messages")) {
    result.warnings.push({
      code: "skipped-messages",
      message: `Left out the source's ${left.join(" and ")} (its agent's own instructions, ` +
        `context and notices): ${targetProvider.name} does not read them from a session`,
    });
  }
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
  // Brought up to date: the old file held nothing the new one lacks.
  if (updated) {
    await dropCopies();
    delete result.backupPath;
  }
  result.verified = true;
  // The two views compared are garbage; the ledger's digest makes more.
  collectGarbage();
  const unrecorded = await rememberWrite(
    ctx,
    targetProvider,
    plan.sessionId,
    plan.primaryPath,
    back,
    options.origin,
  );
  if (unrecorded !== undefined) result.warnings.push(unrecorded);
  return result;
}

/** Messages outside the conversation that hold text: system prompts and context, and notices. */
function asideCount(session: Session): { system: number; other: number } {
  let system = 0;
  let other = 0;
  for (const m of session.messages) {
    if (m.text.trim() === "") continue;
    if (m.role === "system") system++;
    else if (m.role === "other") other++;
  }
  return { system, other };
}
