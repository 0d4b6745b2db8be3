/**
 * The command that resumes an OpenCode session.
 *
 * @module
 */
import type { ResumeCommand } from "../types.ts";
import { resumeIn } from "../resume.ts";

/**
 * `opencode --session <id>` (the TUI; `-s` is its short form), run from the
 * session's workspace so the TUI opens in that project.
 *
 * @param session The session id and its workspace.
 * @returns The command.
 */
export function openCodeResumeCommand(session: { id: string; workspace?: string }): ResumeCommand {
  const argv = ["opencode", "--session", session.id];
  return resumeIn(argv, session.workspace);
}
