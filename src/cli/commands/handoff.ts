/**
 * `casr handoff <target> <session>`: write a brief into the workspace and print
 * the command that starts the target with it (a new session).
 *
 * @module
 */
import {
  type HandoffResult,
  handoffSession,
  type ProviderContext,
  PROVIDERS,
} from "../../../mod.ts";
import {
  agentList,
  type AnyCommand,
  type CommandDeps,
  parseNonNegativeInt,
  SOURCE_HELP,
} from "../command_kit.ts";
import type { Styles } from "../io.ts";
import { warningLines } from "../warnings.ts";
import { formatCount } from "../render.ts";

/** Flags of `handoff`. */
export interface HandoffFlags {
  /** Source provider alias or file path. */
  source?: string;
  /** Workspace to write the brief into and start in. */
  workspace?: string;
  /** How many last turns to quote. */
  last?: number;
  /** Write nothing; print the brief. */
  dryRun?: boolean;
}

/**
 * Runs the handoff.
 *
 * @param ctx Where to look.
 * @param target Target provider alias.
 * @param id Session id, prefix or path.
 * @param flags The flags.
 * @returns The handoff result.
 */
export async function runHandoff(
  ctx: ProviderContext,
  target: string,
  id: string,
  flags: HandoffFlags,
): Promise<HandoffResult> {
  const options: Parameters<typeof handoffSession>[3] = {};
  if (flags.source !== undefined) options.source = flags.source;
  if (flags.workspace !== undefined) options.workspace = flags.workspace;
  if (flags.last !== undefined) options.lastTurns = flags.last;
  if (flags.dryRun) options.dryRun = true;
  return await handoffSession(ctx, target, id, options);
}

/**
 * Renders a handoff for people.
 *
 * @param result The result.
 * @param s Styles.
 * @returns The text.
 */
export function renderHandoff(result: HandoffResult, s: Styles): string {
  const lines: string[] = [];
  if (result.dryRun) {
    lines.push(result.content.trimEnd(), "", s.dim("─".repeat(40)));
    lines.push(`Would write this brief (${formatCount(result.bytes)} bytes) to ${result.path}`);
  } else {
    lines.push(
      `Wrote a handoff brief of ${result.source.provider} session ${
        s.bold(result.source.sessionId)
      } for ${result.target} (${formatCount(result.bytes)} bytes)`,
    );
    lines.push(`  ${s.dim("wrote")} ${result.path}`);
  }
  for (const line of warningLines(result.warnings)) lines.push(`${s.yellow("warning:")} ${line}`);
  lines.push("");
  lines.push(
    `Start a NEW ${result.target} session with it${result.dryRun ? " (after a real run)" : ""}:`,
  );
  lines.push(`  ${s.green(result.start.shell)}`);
  lines.push(
    `  ${
      s.dim(
        "The earlier conversation is not loaded, only the brief. To carry the whole conversation, use casr resume where the target supports it.",
      )
    }`,
  );
  return lines.join("\n") + "\n";
}

/**
 * Adds `handoff` to the program.
 *
 * @param program The program.
 * @param deps IO, context, outcome and log.
 */
export function registerHandoff(program: AnyCommand, deps: CommandDeps): void {
  const { ctxFor, setOutcome } = deps;
  program
    .command("handoff")
    .description(
      "write a markdown brief of a session into the workspace and print the command that starts a NEW session of the target with it",
    )
    .argument("<target>", `target agent: ${agentList(PROVIDERS)}`)
    .argument("<session>", "session id, unique id prefix, or path to a session file")
    .option("-s, --source <agent|file>", SOURCE_HELP)
    .option("-w, --workspace <dir>", "write the brief into and start in this directory")
    .option(
      "--last <n>",
      "quote the last n user and assistant messages (default 6)",
      parseNonNegativeInt("--last"),
    )
    .option("-n, --dry-run", "print the brief; write nothing")
    .action(async (target, session, flags) => {
      const result = await runHandoff(ctxFor(), target, session, flags as HandoffFlags);
      const { content, ...facts } = result;
      setOutcome({
        command: "handoff",
        json: result.dryRun ? { ...facts, content } : facts,
        human: (s) => renderHandoff(result, s),
      });
    });
}
