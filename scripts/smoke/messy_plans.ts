/**
 * The messy plans of the CLIs that have one, and why the others have none.
 *
 * @module
 */

import type { ProviderId } from "./cli_types.ts";
import { CLAUDE_MESSY } from "./messy_claude.ts";
import { CLINE_MESSY } from "./messy_cline.ts";
import { CODEX_MESSY } from "./messy_codex.ts";
import { COPILOT_MESSY } from "./messy_copilot.ts";
import { DROID_MESSY } from "./messy_droid.ts";
import { GEMINI_MESSY } from "./messy_gemini.ts";
import { KILO_MESSY } from "./messy_kilo.ts";
import { KIMI_MESSY } from "./messy_kimi.ts";
import { OPENCLAW_MESSY } from "./messy_openclaw.ts";
import { OPENCODE_MESSY } from "./messy_opencode.ts";
import { PI_MESSY } from "./messy_pi.ts";
import { QWEN_MESSY } from "./messy_qwen.ts";
import type { MessyPlan } from "./messy_plan.ts";

/** The messy plan of each CLI that has one. */
export const MESSY_PLANS: Partial<Record<ProviderId, MessyPlan>> = {
  "claude-code": CLAUDE_MESSY,
  codex: CODEX_MESSY,
  "gemini-cli": GEMINI_MESSY,
  opencode: OPENCODE_MESSY,
  pi: PI_MESSY,
  "qwen-code": QWEN_MESSY,
  "copilot-cli": COPILOT_MESSY,
  "kilo-cli": KILO_MESSY,
  "kimi-code": KIMI_MESSY,
  "factory-droid": DROID_MESSY,
  cline: CLINE_MESSY,
  openclaw: OPENCLAW_MESSY,
};

/** Why a CLI has no messy plan (yet): every CLI has one. */
export const MESSY_NOT_MADE: Partial<Record<ProviderId, string>> = {};

/**
 * The README section on the messy fixtures: per CLI, what it made offline and what not.
 *
 * @returns Markdown lines.
 */
export function messyReadme(): string[] {
  const lines = ["## Messy features per CLI", ""];
  for (const [provider, plan] of Object.entries(MESSY_PLANS)) {
    lines.push(`- ${provider}:`, ...(plan?.notes ?? []).map((line) => `  ${line}`));
  }
  for (const [provider, why] of Object.entries(MESSY_NOT_MADE)) {
    lines.push(`- ${provider}: no messy fixture. ${why}`);
  }
  lines.push("");
  return lines;
}
