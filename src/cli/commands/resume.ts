/**
 * `casr resume <target> <session>`: convert and print the resume command.
 *
 * @module
 */
import {
  CasrError,
  type ConvertResult,
  convertSession,
  exposeCollector,
  getProvider,
  latestSession,
  listSessions,
  type ProviderContext,
  readSession,
} from "../../../mod.ts";
import type { Styles } from "../io.ts";
import { pick, type PickerItem, type PickerTerminal } from "../picker.ts";
import { formatCount, oneLine } from "../render.ts";
import { warningLines } from "../warnings.ts";

/** Flags of `resume`. */
export interface ResumeFlags {
  /** Write nothing. */
  dryRun?: boolean;
  /** Replace an earlier conversion. */
  force?: boolean;
  /** Write a new session beside an earlier conversion. */
  new?: boolean;
  /** Resume the most recent session in the current directory. */
  last?: boolean;
  /** With `last`: only this agent's sessions. */
  from?: string;
  /** Run the resume command afterwards. */
  exec?: boolean;
  /** Source provider alias or file path. */
  source?: string;
  /** Target workspace. */
  workspace?: string;
  /** Add a first message saying where the conversation came from. */
  enrich?: boolean;
  /** The conversation budget in tokens (0 = off). */
  maxContextTokens?: number;
  /** The tool-output cap in characters (0 = never). */
  maxToolOutput?: number;
  /** Keep reasoning over the budget. */
  keepReasoning?: boolean;
}

/**
 * Runs the conversion.
 *
 * @param ctx Where to look.
 * @param target Target provider alias.
 * @param id Session id, prefix or path; `undefined` with `flags.last`.
 * @param flags The flags.
 * @param progress Progress callback.
 * @returns The conversion result.
 */
export async function runResume(
  ctx: ProviderContext,
  target: string,
  id: string | undefined,
  flags: ResumeFlags,
  progress: (step: string) => void,
): Promise<ConvertResult> {
  const options: Parameters<typeof convertSession>[3] = { onProgress: progress };
  if (id === undefined) {
    progress("looking for the most recent session in this directory");
    const targetId = getProvider(target)?.id ?? target;
    const last = await latestSession(ctx, {
      except: targetId,
      ...(flags.from === undefined ? {} : { from: flags.from }),
      cache: true,
    });
    if (last === undefined) {
      const which = flags.from === undefined ? "another agent's" : `a ${flags.from}`;
      throw new CasrError(
        "session-not-found",
        `Cannot find ${which} session in ${ctx.cwd} or below (the target's own are left out): ` +
          `run casr list to see every session, then name one, or run this in its project directory`,
        { details: { workspace: ctx.cwd, except: targetId, from: flags.from ?? null } },
      );
    }
    id = last.id;
    flags = { ...flags, source: last.provider };
  }
  if (flags.dryRun) options.dryRun = true;
  if (flags.force) options.force = true;
  if (flags.new) options.newSession = true;
  if (flags.enrich) options.enrich = true;
  if (flags.source !== undefined) options.source = flags.source;
  if (flags.workspace !== undefined) options.workspace = flags.workspace;
  if (flags.maxContextTokens !== undefined) options.maxContextTokens = flags.maxContextTokens;
  if (flags.maxToolOutput !== undefined) options.maxToolOutput = flags.maxToolOutput;
  if (flags.keepReasoning) options.keepReasoning = true;
  // A conversion frees each step's copy of the session before the next (a
  // 101 MB session peaked at 466 MB without, 244-283 MB with).
  exposeCollector();
  return await convertSession(ctx, target, id, options);
}

/**
 * Renders a conversion for people.
 *
 * @param result The result.
 * @param s Styles.
 * @returns The text.
 */
export function renderResume(result: ConvertResult, s: Styles): string {
  const lines: string[] = [];
  if (result.sameProvider) {
    lines.push(
      `${
        s.bold(result.source.sessionId)
      } is already a ${result.source.provider} session; nothing to convert.`,
    );
  } else {
    const u = result.update;
    const count = `${result.target.messageCount ?? 0} messages${
      result.verified ? ", verified" : ""
    }`;
    const from = `${result.source.provider} session ${s.bold(result.source.sessionId)}`;
    const to = `${result.target.provider} session ${s.bold(result.target.sessionId)}`;
    if (u?.kind === "unchanged") {
      lines.push(`${to} is up to date with ${from} (${count}); nothing to write.`);
    } else if (u?.kind === "updated") {
      const added = (result.target.messageCount ?? 0) - u.previousMessages;
      const verb = result.dryRun ? "Would bring" : "Brought";
      lines.push(
        `${verb} ${to} up to date with ${from}: ${
          added > 0 ? `${formatCount(added, "new message")}` : "its new content"
        } (${u.previousMessages} → ${count})`,
      );
    } else {
      const verb = result.dryRun ? "Would convert" : "Converted";
      lines.push(`${verb} ${from} → ${to} (${count})`);
    }
    const label = result.dryRun ? "would write" : "wrote";
    for (const file of result.files) lines.push(`  ${s.dim(label)} ${file}`);
    for (const effect of result.effects) {
      lines.push(`  ${s.dim(result.dryRun ? "would" : "did")} ${effect}`);
    }
    if (result.backupPath !== undefined) {
      lines.push(`  ${s.dim("kept the old one as")} ${result.backupPath}`);
    }
    const b = result.budget;
    if (b && b.tokensAfter !== b.tokensBefore) {
      lines.push(
        `  ${s.dim("fitted")} ~${formatCount(b.tokensBefore)} → ~${
          formatCount(b.tokensAfter)
        } tokens ` +
          `(budget ${formatCount(b.maxContextTokens)} of a ${
            formatCount(b.window)
          }-token window, ${b.estimator})`,
      );
    }
  }
  for (const line of warningLines(result.warnings, result.source.path)) {
    lines.push(`${s.yellow("warning:")} ${line}`);
  }
  lines.push("");
  lines.push(result.dryRun ? "Resume it with (after a real run):" : "Resume it with:");
  lines.push(`  ${s.green(result.resume.shell)}`);
  if (result.resume.note !== undefined) lines.push(`  ${s.dim(result.resume.note)}`);
  return lines.join("\n") + "\n";
}

/**
 * Lets the user choose the session to resume on a terminal: every agent's
 * sessions but the target's, newest first, those of the current directory
 * first.
 *
 * @param ctx Where to look.
 * @param target The target agent alias.
 * @param terminal The terminal.
 * @param s Styles.
 * @param flags `from` narrows the agents.
 * @returns The chosen session, or `undefined` when the user cancelled.
 * @throws {CasrError} `session-not-found` when there is nothing to choose.
 */
export async function pickSession(
  ctx: ProviderContext,
  target: string,
  terminal: PickerTerminal,
  s: Styles,
  flags: ResumeFlags,
): Promise<PickerItem | undefined> {
  const targetProvider = getProvider(target);
  const { sessions } = await listSessions(ctx, {
    cache: true,
    ...(flags.from === undefined ? {} : { provider: flags.from }),
  });
  const here = (w: string | undefined): boolean =>
    w !== undefined && (w === ctx.cwd || ctx.cwd.startsWith(w.endsWith("/") ? w : `${w}/`));
  const others = sessions.filter((x) => x.provider !== targetProvider?.id);
  const items: PickerItem[] = [
    ...others.filter((x) => here(x.workspace)),
    ...others.filter((x) => !here(x.workspace)),
  ].map((x) => ({
    id: x.id,
    provider: x.provider,
    title: x.title,
    workspace: x.workspace,
    lastActiveAt: x.lastActiveAt ?? x.startedAt,
  }));
  if (items.length === 0) {
    throw new CasrError(
      "session-not-found",
      `Cannot find a session to resume in ${
        targetProvider?.name ?? target
      }: no other agent's sessions here (casr list shows what casr sees)`,
    );
  }
  return await pick(items, terminal, {
    heading: `Resume in ${targetProvider?.name ?? target}`,
    inverse: (t) => s.bold(s.cyan(t)),
    dim: s.dim,
    preview: async (item) => {
      const { session } = await readSession(ctx, item.id, { source: item.provider });
      return session.messages
        .filter((m) => (m.role === "user" || m.role === "assistant") && m.text.trim() !== "")
        .slice(-6)
        .map((m) => `${m.role === "user" ? "you" : "agent"}: ${oneLine(m.text, 400)}`);
    },
  });
}
