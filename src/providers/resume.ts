/**
 * The resume command most providers print: a command run in the workspace.
 *
 * @module
 */
import { shellLine } from "../internal/shell.ts";
import type { ResumeCommand } from "./types.ts";

/**
 * A resume command that runs `argv` in `workspace` (`cd <workspace> && …`).
 *
 * @param argv The command and its arguments.
 * @param workspace Where to run it; without one the command stands alone.
 * @returns The command, its cwd and the one-line shell form.
 */
export function resumeIn(argv: string[], workspace: string | undefined): ResumeCommand {
  const command: ResumeCommand = { argv, shell: shellLine(argv, workspace) };
  if (workspace !== undefined) command.cwd = workspace;
  return command;
}
