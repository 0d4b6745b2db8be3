/**
 * The commands that continue an Amp thread, or start one from a transcript.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { shellQuote } from "../../internal/shell.ts";
import type { ResumeCommand } from "../types.ts";

/** The note every seeded (not resumed) Amp session carries. */
export const SEED_NOTE =
  "Amp keeps threads on its server and has no local import: this starts a NEW Amp thread whose first message is the transcript casr wrote (it needs network and an Amp login, and costs tokens; Amp reads at most 1 MiB from stdin). It is not a restore of the original thread.";

/**
 * The transcript next to a casr-written thread file (`T-….json` → `T-….md`).
 *
 * @param threadFile The thread file.
 * @returns The transcript path.
 */
export function transcriptPathOf(threadFile: string): string {
  return threadFile.replace(/\.json$/i, ".md");
}

/**
 * `amp < <transcript>` in the workspace: Amp's documented way to start an
 * interactive thread with a first message from stdin (`echo "…" | amp`; the
 * TUI then reads the keyboard from /dev/tty).
 *
 * @param transcript The Markdown transcript.
 * @param workspace The directory to start in.
 * @returns The command, with {@linkcode SEED_NOTE}.
 */
export function seedCommand(transcript: string, workspace?: string): ResumeCommand {
  const line = `amp < ${shellQuote(transcript)}`;
  const command: ResumeCommand = {
    argv: ["sh", "-c", line],
    shell: workspace === undefined ? line : `cd ${shellQuote(workspace)} && ${line}`,
    note: SEED_NOTE,
  };
  if (workspace !== undefined) command.cwd = workspace;
  return command;
}

/**
 * `amp threads continue <id>` for a thread Amp's server knows (threads of the
 * local-first era were synced to it); for a thread casr wrote (its transcript
 * sits next to the file) the seed command instead.
 *
 * @param session The thread id, workspace and file.
 * @returns The command.
 */
export function ampResumeCommand(
  session: { id: string; workspace?: string; path?: string },
): ResumeCommand {
  if (session.path !== undefined && /\.json$/i.test(session.path)) {
    const transcript = transcriptPathOf(session.path);
    if (existsSync(transcript)) return seedCommand(transcript, session.workspace);
  }
  const argv = ["amp", "threads", "continue", session.id];
  const line = argv.map(shellQuote).join(" ");
  const command: ResumeCommand = {
    argv,
    shell: session.workspace === undefined
      ? line
      : `cd ${shellQuote(session.workspace)} && ${line}`,
  };
  if (session.workspace !== undefined) command.cwd = session.workspace;
  return command;
}
