/**
 * The Codex CLI provider: rollouts under `$CODEX_HOME/sessions/YYYY/MM/DD/`
 * (and `archived_sessions/`), plus the `threads` row in `state_5.sqlite`.
 *
 * @module
 */
import { installAt } from "../detect.ts";
import type { Provider } from "../types.ts";
import { claimsRollout } from "./claims.ts";
import {
  CODEX_SUMMARY_VERSION,
  findRollouts,
  finishRolloutSummaries,
  listRollouts,
  rolloutPaths,
  summarizeRolloutFile,
} from "./list.ts";
import { codexRoot } from "./paths.ts";
import { readRollout } from "./reader.ts";
import { codexResumeCommand } from "./resume.ts";
import { planRollout } from "./writer.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { providerNames } from "../names.ts";

/** Codex CLI (`codex`), OpenAI's coding agent. */
export const codex: Provider = {
  ...providerNames("codex", "Codex CLI", ["cod", "codex"], "codex"),
  carries: { images: true, toolName: API_TOOL_NAME, toolFamily: "codex" },
  // GPT-5-Codex: 272K input tokens (Codex CLI's model family table,
  // `context_window: 272_000`); Codex uses 95% of it and compacts near there.
  contextWindow: {
    window: 272_000,
    reserve: 40_000,
    family: "o200k",
    source: "Codex CLI model family gpt-5-codex: context_window 272000",
  },
  // `codex [PROMPT]`
  startPrompt: { via: "argument", flags: [] },
  envVars: ["CODEX_HOME", "CODEX_SQLITE_HOME"],
  ...installAt((ctx) => [codexRoot(ctx)], "codex"),
  list: listRollouts,
  sessionFiles: rolloutPaths,
  summarize: (path) => summarizeRolloutFile(path),
  finishSummaries: finishRolloutSummaries,
  summaryVersion: CODEX_SUMMARY_VERSION,
  find: findRollouts,
  claims: claimsRollout,
  read: readRollout,
  plan: planRollout,
  resumeCommand: codexResumeCommand,
};
