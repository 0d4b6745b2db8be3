/**
 * The command that resumes a Codex thread.
 *
 * @module
 */
import type { ResumeCommand } from "../types.ts";
import { resumeIn } from "../../internal/shell.ts";

/**
 * `codex resume <id>`, run from the session's workspace (Codex lists only the
 * threads of the current directory by default).
 *
 * @param session The thread id and its workspace.
 * @returns The command.
 */
export function codexResumeCommand(session: { id: string; workspace?: string }): ResumeCommand {
  const argv = ["codex", "resume", session.id];
  return resumeIn(argv, session.workspace);
}
