/**
 * `casr resume <target> <session>`: convert and print the resume command.
 *
 * @module
 */
import { type ConvertResult, convertSession, type ProviderContext } from "../../../mod.ts";
import type { Styles } from "../io.ts";
import { warningLines } from "../warnings.ts";

/** Flags of `resume`. */
export interface ResumeFlags {
  /** Write nothing. */
  dryRun?: boolean;
  /** Replace an earlier conversion. */
  force?: boolean;
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
 * @param id Session id, prefix or path.
 * @param flags The flags.
 * @param progress Progress callback.
 * @returns The conversion result.
 */
export async function runResume(
  ctx: ProviderContext,
  target: string,
  id: string,
  flags: ResumeFlags,
  progress: (step: string) => void,
): Promise<ConvertResult> {
  const options: Parameters<typeof convertSession>[3] = { onProgress: progress };
  if (flags.dryRun) options.dryRun = true;
  if (flags.force) options.force = true;
  if (flags.enrich) options.enrich = true;
  if (flags.source !== undefined) options.source = flags.source;
  if (flags.workspace !== undefined) options.workspace = flags.workspace;
  if (flags.maxContextTokens !== undefined) options.maxContextTokens = flags.maxContextTokens;
  if (flags.maxToolOutput !== undefined) options.maxToolOutput = flags.maxToolOutput;
  if (flags.keepReasoning) options.keepReasoning = true;
  return await convertSession(ctx, target, id, options);
}

function num(n: number): string {
  return n.toLocaleString("en-US");
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
    const verb = result.dryRun ? "Would convert" : "Converted";
    lines.push(
      `${verb} ${result.source.provider} session ${s.bold(result.source.sessionId)} ` +
        `→ ${result.target.provider} session ${s.bold(result.target.sessionId)} ` +
        `(${result.target.messageCount ?? 0} messages${result.verified ? ", verified" : ""})`,
    );
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
        `  ${s.dim("fitted")} ~${num(b.tokensBefore)} → ~${num(b.tokensAfter)} tokens ` +
          `(budget ${num(b.maxContextTokens)} of a ${num(b.window)}-token window, ${b.estimator})`,
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
