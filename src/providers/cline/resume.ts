/**
 * Resume commands for the Cline family.
 *
 * @module
 */
import { resumeIn, shellLine } from "../../internal/shell.ts";
import type { ResumeCommand } from "../types.ts";
import type { EditorHost } from "./paths.ts";
import type { Variant } from "./variants.ts";
import { clipText } from "../../model/normalize.ts";

/**
 * `cline --id <id>`, run in the workspace (the Cline CLI 3.x resumes a
 * session of its store by id; interactive only).
 *
 * @param session The id and workspace.
 * @returns The command.
 */
export function clineCliResume(session: { id: string; workspace?: string }): ResumeCommand {
  const argv = ["cline", "--id", session.id];
  return resumeIn(argv, session.workspace);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return clipText(line, 60);
}

/**
 * Opening the editor on the workspace (`cd <ws> && code .`): no command opens
 * an extension task, so the shell line ends with a comment naming the task and
 * `note` says where it is listed.
 *
 * @param session The id, workspace and (when known) title.
 * @param variant The extension.
 * @param host The editor that holds the task (VS Code when unknown).
 * @returns The command with its note.
 */
export function editorResume(
  session: { id: string; workspace?: string; title?: string },
  variant: Variant,
  host?: EditorHost,
): ResumeCommand {
  const argv = [host?.command ?? "code", "."];
  const editor = host === undefined || host.folder === "Code" ? "VS Code" : host.folder;
  const label = session.title === undefined || session.title === ""
    ? `task ${session.id}`
    : `"${oneLine(session.title)}" (task ${session.id})`;
  const filter = variant.id === "roo-code"
    ? ' (it lists the open folder\'s tasks unless "all workspaces" is on)'
    : "";
  const command: ResumeCommand = {
    argv,
    shell: `${
      shellLine(argv, session.workspace)
    }  # then ${variant.name} side bar → History → ${label}`,
    note:
      `Open ${editor} in the workspace → ${variant.name} side bar → History${filter} → ${label}, ` +
      `then resume it; no command opens a ${variant.name} task directly. Convert with ${editor} ` +
      "closed: a running extension may write its own history index over the new entry.",
  };
  if (session.workspace !== undefined) command.cwd = session.workspace;
  return command;
}
