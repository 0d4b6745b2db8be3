/**
 * The registry of the real agent CLIs the smoke harness drives, in matrix order. Each CLI's
 * definition (pinned npm package, environment
 * pointing it at the mock, argv for a new session and a non-interactive resume, where sessions
 * land, how to read the conversation back out of a recorded request) lives in its own
 * `cli_<agent>.ts`; their shape is `cli_types.ts`; installing them and the environment they
 * run in is `cli_install.ts`.
 *
 * Facts come from `/work/shared/realcli.md`.
 *
 * @module
 */

import { claudeCode } from "./cli_claude.ts";
import { clineCli } from "./cli_cline.ts";
import { codex } from "./cli_codex.ts";
import { copilotCli } from "./cli_copilot.ts";
import { droidCli } from "./cli_droid.ts";
import { geminiCli } from "./cli_gemini.ts";
import { kiloCli } from "./cli_kilo.ts";
import { kimiCli } from "./cli_kimi.ts";
import { openClawCli } from "./cli_openclaw.ts";
import { opencodeCli } from "./cli_opencode.ts";
import { piCli } from "./cli_pi.ts";
import { qwenCli } from "./cli_qwen.ts";
import type { CliDefinition } from "./cli_types.ts";

/** All CLI definitions, in matrix order. */
export const CLIS: readonly CliDefinition[] = [
  claudeCode,
  codex,
  geminiCli,
  opencodeCli,
  clineCli,
  qwenCli,
  copilotCli,
  kimiCli,
  piCli,
  droidCli,
  kiloCli,
  openClawCli,
];

/**
 * Looks a CLI definition up by provider id or casr alias.
 *
 * @param name Provider id (`codex`) or alias (`cod`).
 * @returns The definition.
 * @throws {RangeError} When no CLI has that name.
 */
export function cliByName(name: string): CliDefinition {
  const found = CLIS.find((cli) => cli.provider === name || cli.alias === name);
  if (found === undefined) {
    throw new RangeError(
      `Cannot find CLI "${name}": expected one of ${CLIS.map((cli) => cli.provider).join(", ")}`,
    );
  }
  return found;
}
