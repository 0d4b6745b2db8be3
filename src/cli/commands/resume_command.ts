/**
 * Registers `casr resume` (and `casr <target> resume`) and checks the flags the parser cannot.
 *
 * @module
 */
import { CasrError, PROVIDERS } from "../../../mod.ts";
import { stylesFor } from "../io.ts";
import { logConvert, stepLogger } from "../logging.ts";
import {
  agentList,
  type AnyCommand,
  type CommandDeps,
  type GlobalFlags,
  type Outcome,
  parseNonNegativeInt,
  SOURCE_HELP,
} from "../command_kit.ts";
import { pickSession, renderResume, type ResumeFlags, runResume } from "./resume.ts";

/** Usage errors of `resume` that the parser cannot see. */
function checkResumeFlags(
  session: string | undefined,
  flags: ResumeFlags,
  globals: GlobalFlags,
  picker: boolean,
): void {
  if (session === undefined && !flags.last && (!picker || globals.json)) {
    throw new CasrError(
      "usage",
      "Name the session to resume: an id, a unique id prefix or a session file (casr list shows them), or --last for the most recent one in this directory (on a terminal, casr offers a picker)",
    );
  }
  if (session !== undefined && flags.last) {
    throw new CasrError(
      "usage",
      `Cannot use --last with a session ("${session}"): give one or the other`,
    );
  }
  if (flags.from !== undefined && !flags.last) {
    throw new CasrError(
      "usage",
      "--from goes with --last (to name a session's agent, use --source)",
    );
  }
  if (flags.exec && globals.json) {
    throw new CasrError(
      "usage",
      "Cannot use --exec with --json: --json is for scripts, which run the printed resume.argv themselves",
    );
  }
  if (flags.exec && flags.dryRun) {
    throw new CasrError(
      "usage",
      "Cannot use --exec with --dry-run: a dry run writes no session to resume",
    );
  }
}

/**
 * Adds `resume` to the program.
 *
 * @param program The program.
 * @param deps IO, context, outcome and log.
 */
export function registerResume(program: AnyCommand, deps: CommandDeps): void {
  const { io, ctxFor, setOutcome, log } = deps;
  program
    .command("resume")
    .description("convert a session to the target agent and print the command that resumes it")
    .argument(
      "<target>",
      `target agent (one casr can write): ${agentList(PROVIDERS.filter((p) => !p.readOnly))}`,
    )
    .argument(
      "[session]",
      "session id, unique id prefix, or path to a session file (or --last, or a picker on a terminal)",
    )
    .option(
      "--last",
      "the most recent session in this directory, from any agent but the target",
    )
    .option("--from <agent>", "with --last or the picker: only this agent's sessions")
    .option(
      "--exec",
      "after a verified conversion, run the resume command (arguments after -- are added to it)",
    )
    .option("-n, --dry-run", "show what would be written; write nothing")
    .option(
      "-f, --force",
      "replace an earlier conversion of the same session even if you went on in it (keeps a .bak)",
    )
    .option(
      "--new",
      "write a new session even if an earlier conversion exists, leaving it as it is",
    )
    .option("-s, --source <agent|file>", SOURCE_HELP)
    .option(
      "-w, --workspace <dir>",
      "resume in this directory instead of the session's own (a file is refused; a missing directory is a warning)",
    )
    .option(
      "--enrich",
      "add a first message telling the target agent where the conversation came from",
    )
    .option(
      "--max-context-tokens <n>",
      "fit the conversation into n tokens: cut long tool outputs, drop reasoning, then the oldest exchanges (default: the target model's window minus a reserve; 0 = off)",
      parseNonNegativeInt("--max-context-tokens"),
    )
    .option(
      "--max-tool-output <chars>",
      "cut the middle of tool outputs longer than this many characters, even in a session that fits (0 = never; default: 20000, only when over the budget)",
      parseNonNegativeInt("--max-tool-output"),
    )
    .option("--keep-reasoning", "keep reasoning even when the session is over its budget")
    .action(async (target, session, flags, cmd) => {
      const globals = cmd.optsWithGlobals() as GlobalFlags;
      const resumeFlags = flags as ResumeFlags;
      checkResumeFlags(session, resumeFlags, globals, io.terminal !== undefined);
      if (session === undefined && !resumeFlags.last && io.terminal !== undefined) {
        const styles = stylesFor(io, globals.color === false);
        const chosen = await pickSession(ctxFor(), target, io.terminal, styles, resumeFlags);
        if (chosen === undefined) {
          setOutcome({ command: "resume", json: {}, human: () => "", status: 130 });
          return;
        }
        session = chosen.id;
        resumeFlags.source = chosen.provider;
      }
      const result = await runResume(ctxFor(), target, session, resumeFlags, stepLogger(log));
      logConvert(log, result);
      const outcome: Outcome = {
        command: "resume",
        json: { ...result } as unknown as Record<string, unknown>,
        human: (s) => renderResume(result, s),
      };
      if (resumeFlags.exec) {
        outcome.exec = { argv: result.resume.argv, shell: result.resume.shell };
        if (result.resume.cwd !== undefined) outcome.exec.cwd = result.resume.cwd;
      }
      setOutcome(outcome);
    });
}
