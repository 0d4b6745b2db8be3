/**
 * The command that resumes an Aider session.
 *
 * @module
 */
import * as path from "node:path";
import type { ResumeCommand } from "../types.ts";
import { HISTORY_FILE_NAME, splitLocator } from "./paths.ts";
import { resumeIn } from "../../internal/shell.ts";

/**
 * `aider --chat-history-file <file> --restore-chat-history`, run from the
 * session's workspace. Aider has no session ids: it restores every session in
 * the file, so a session that shares its file with others gets a note saying
 * so. Without a path, the project's default `.aider.chat.history.md` is used.
 *
 * @param session The session id, workspace and path (`<file>` or `<file>#<id>`).
 * @returns The command.
 */
export function aiderResumeCommand(
  session: { id: string; workspace?: string; path?: string },
): ResumeCommand {
  const located = session.path === undefined ? undefined : splitLocator(session.path);
  const file = located?.file ??
    (session.workspace === undefined
      ? HISTORY_FILE_NAME
      : path.join(session.workspace, HISTORY_FILE_NAME));
  const argv = ["aider", "--chat-history-file", file, "--restore-chat-history"];
  const command = resumeIn(argv, session.workspace);
  if (located?.id !== undefined) {
    command.note =
      `This file also holds other Aider sessions; --restore-chat-history loads all of them (Aider cannot pick session ${session.id} alone).`;
  }
  return command;
}
