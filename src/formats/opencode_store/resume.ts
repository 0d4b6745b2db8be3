/**
 * The command that resumes a session of an OpenCode-store agent.
 *
 * @module
 */
import type { ResumeCommand } from "../../model/provider_data.ts";
import { resumeIn } from "../../internal/shell.ts";
import type { StoreFlavor } from "./flavor.ts";

/**
 * `<binary> --session <id>` (the TUI; `-s` is its short form, in OpenCode and
 * Kilo CLI alike), run from the session's workspace so the TUI opens in that
 * project.
 *
 * @param flavor The agent.
 * @param session The session id and its workspace.
 * @returns The command.
 */
export function storeResumeCommand(
  flavor: StoreFlavor,
  session: { id: string; workspace?: string },
): ResumeCommand {
  return resumeIn([flavor.binary, "--session", session.id], session.workspace);
}
