/**
 * How to get back to a Cursor chat: desktop chats are opened from the Chat
 * sidebar's history of their workspace; CLI chats resume with
 * `cursor-agent --resume <id>` from their workspace.
 *
 * @module
 */
import * as path from "node:path";
import { resumeIn, shellLine } from "../../internal/shell.ts";
import type { ResumeCommand, SessionRef } from "../types.ts";
import { clipText } from "../../model/normalize.ts";

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return clipText(line, 60);
}

/**
 * Opening a desktop chat: `cursor <workspace>` opens the folder, and the note
 * says where the chat is (Cursor has no command-line flag that opens a chat).
 *
 * @param chat The composer id, its workspace and title.
 * @returns The command with its note.
 */
export function desktopResumeCommand(
  chat: { id: string; workspace?: string; title?: string },
): ResumeCommand {
  const argv = chat.workspace === undefined ? ["cursor"] : ["cursor", chat.workspace];
  const label = chat.title === undefined ? "the chat" : `"${oneLine(chat.title)}"`;
  const where = chat.workspace === undefined ? "Cursor" : `${chat.workspace} in Cursor`;
  const command: ResumeCommand = {
    argv,
    shell: `${shellLine(argv)}  # then Chat sidebar → history → ${label} (composer ${chat.id})`,
    note:
      `Open ${where} → Chat sidebar (Ctrl/Cmd+L) → chat history → ${label}; it is listed under that workspace only (restart Cursor if it was open).`,
  };
  if (chat.workspace !== undefined) command.cwd = chat.workspace;
  return command;
}

/**
 * `cursor-agent --resume <id>`, run from the chat's workspace (the CLI files
 * chats under a hash of the working directory).
 *
 * @param chat The chat id and workspace.
 * @returns The command.
 */
export function cliResumeCommand(chat: { id: string; workspace?: string }): ResumeCommand {
  const argv = ["cursor-agent", "--resume", chat.id];
  return resumeIn(argv, chat.workspace);
}

/**
 * The resume command of an existing chat: the CLI's for a chat whose path is a
 * `cursor-agent` `store.db`, the desktop's otherwise (a desktop chat's path is
 * `<state.vscdb>#<composerId>`; without a path, a desktop chat is assumed).
 *
 * @param session The chat id, workspace, path and title, as listed.
 * @returns The command.
 */
export function cursorResumeCommand(session: SessionRef): ResumeCommand {
  const isCli = session.path !== undefined && path.basename(session.path) === "store.db";
  return isCli ? cliResumeCommand(session) : desktopResumeCommand(session);
}
