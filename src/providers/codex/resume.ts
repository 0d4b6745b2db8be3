/**
 * The command that resumes a Codex thread.
 *
 * @module
 */
import { shellLine } from "../../internal/shell.ts";
import type { ResumeCommand } from "../types.ts";

/**
 * `codex resume <id>`, run from the session's workspace (Codex lists only the
 * threads of the current directory by default).
 *
 * @param session The thread id and its workspace.
 * @returns The command.
 */
export function codexResumeCommand(session: { id: string; workspace?: string }): ResumeCommand {
  const argv = ["codex", "resume", session.id];
  const command: ResumeCommand = { argv, shell: shellLine(argv, session.workspace) };
  if (session.workspace !== undefined) command.cwd = session.workspace;
  return command;
}
