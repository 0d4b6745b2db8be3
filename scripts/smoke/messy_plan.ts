/**
 * The types of a messy fixture plan (how one real CLI makes a messy session offline) and the
 * parts plans share: the two pictures, the shell commands, the prompts' keys.
 *
 * @module
 */

import type { CliContext, ProviderId } from "./cli_types.ts";
import type { MessyTurn } from "./messy.ts";
import type { ScriptContext } from "./mock_server.ts";
import { makePng } from "./png.ts";

/** One run of the CLI while the session is made. */
export interface MessyStep {
  /** What the step does (artifact names, the README). */
  label: string;
  /** What the user types in this run, in order (recorded as the manifest's `prompts`). */
  prompts: string[];
  /**
   * argv without the binary.
   *
   * @param sessionId The session made by the first step (`undefined` for the first step).
   * @param context Home and mock URL.
   */
  args(sessionId: string | undefined, context: CliContext): Promise<string[]> | string[];
  /** Text piped into the CLI's standard input (absent: none). */
  stdin?: string;
  /** Cut the run off after this many milliseconds: an interrupted turn. */
  interruptAfterMs?: number;
}

/** How one CLI makes the messy session, and what it could not make. */
export interface MessyPlan {
  /** The CLI. */
  provider: ProviderId;
  /** The mock's steps (keys and replies). */
  turns: MessyTurn[];
  /** The runs, in order. */
  steps: MessyStep[];
  /** Writes what the runs need (pictures, custom command files) into the home and workspace. */
  setup(context: CliContext, workspace: string): Promise<void>;
  /** Tool-result texts worth keeping in `expected`, most specific first. */
  tokens: string[];
  /** Text in the transcript after the first run, and text only the last run writes. */
  markers: [string, string];
  /** The reply to a side request (a compaction summary), when the CLI asks in one. */
  sideText?: (context: ScriptContext) => string | undefined;
  /** Files besides the transcript (subagent transcripts, persisted tool output). */
  extraFiles?(home: string, transcript: string): Promise<string[]>;
  /** README lines: the features made, and those not made offline (and why). */
  notes: string[];
}

/** The picture a tool reads (16 × 16, blue with a yellow diagonal). */
export const TOOL_PNG: Uint8Array = makePng(24, 24, [30, 90, 200], [250, 220, 40]);

/** The picture the user attaches (16 × 16, green with a red diagonal). */
export const ATTACHED_PNG: Uint8Array = makePng(24, 24, [40, 160, 60], [220, 40, 40]);

/** File name of the picture a tool reads, in the workspace. */
export const TOOL_PNG_NAME = "pixel.png";

/** File name of the picture the user attaches, in the workspace. */
export const ATTACHED_PNG_NAME = "attached.png";

/** The failing command with no output. */
export const FAIL_COMMAND = "false";

/** The command whose output is over 50 KB. */
export const BIG_COMMAND = "seq -f 'BIG-%05g' 1 5000";

/** The command run before the compaction (its output is only in the summary afterwards). */
export const BEFORE_COMPACT_COMMAND = "echo before-compact";

/** The command that is cut off (Claude Code refuses a standalone `sleep`). */
export const SLOW_COMMAND = "tail -f /dev/null";

/** Writes both pictures into the workspace. */
export async function writePictures(workspace: string): Promise<void> {
  await Deno.writeFile(`${workspace}/${TOOL_PNG_NAME}`, TOOL_PNG);
  await Deno.writeFile(`${workspace}/${ATTACHED_PNG_NAME}`, ATTACHED_PNG);
}

/**
 * Base64 of bytes.
 *
 * @param bytes The bytes.
 * @returns Standard base64 with padding.
 */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The mock's reply to the custom slash command's expanded prompt. */
export const COMMAND_EXPANSION_TURN: MessyTurn = {
  key: "Messy command expansion",
  replies: [],
  final: { text: "The custom command ran with its arguments." },
};

/** The subagent's own turn (its prompt names the "Subagent task"). */
export const SUBAGENT_TASK_TURN: MessyTurn = {
  key: "Subagent task",
  replies: [],
  final: { text: "Subagent report: the workspace holds two pictures." },
};

/** The last turn: the reply after the interrupted one, with reasoning. */
export const CARRY_ON_TURN: MessyTurn = {
  key: "carry on after the interruption",
  replies: [],
  final: {
    text: "Carrying on after the interruption.",
    reasoning: "The last turn was cut off.",
  },
};
