/**
 * Quoting for the printed resume commands, and the command most providers
 * print: one run in the session's workspace.
 *
 * @module
 */
import type { ResumeCommand } from "../model/provider_data.ts";

/**
 * Quotes one POSIX shell word when it needs it.
 *
 * @param word The word.
 * @returns The word, single-quoted when it has shell-special characters.
 */
export function shellQuote(word: string): string {
  if (word !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Builds the one-line command: `cd <cwd> && <argv...>`.
 *
 * @param argv The command and arguments.
 * @param cwd The directory to run in, if any.
 * @returns The shell line.
 */
export function shellLine(argv: readonly string[], cwd?: string): string {
  const command = argv.map(shellQuote).join(" ");
  return cwd === undefined ? command : `cd ${shellQuote(cwd)} && ${command}`;
}

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
