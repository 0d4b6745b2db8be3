/**
 * Google Gemini CLI: sessions in `<root>/tmp/<project slug>/chats/session-*.jsonl`.
 *
 * The root is `<GEMINI_CLI_HOME>/.gemini` when `GEMINI_CLI_HOME` is set (as in
 * the CLI), else `GEMINI_HOME` taken as the `.gemini` directory itself (a
 * casr-only override), else `<home>/.gemini`.
 *
 * @module
 */
import { installAt } from "../detect.ts";
import * as path from "node:path";
import type { Provider } from "../types.ts";
import { GEMINI_CLI_HOME_ENV, GEMINI_HOME_ENV, geminiRoot } from "./paths.ts";
import { GEMINI_CLI_ID, readGeminiSession } from "./reader.ts";
import { geminiResumeCommand, planGeminiSession } from "./writer.ts";
import {
  dedupeSummaries,
  findGeminiSessions,
  GEMINI_SUMMARY_VERSION,
  geminiSessionFiles,
  listGeminiSessions,
  summarizeForScan,
} from "./list.ts";
import { GEMINI_TOOL_NAME } from "../../formats/tool_names.ts";
import { providerNames } from "../names.ts";

/**
 * Whether a file looks like a Gemini CLI session: a `.json`/`.jsonl` file whose
 * first bytes carry both `sessionId` and `projectHash` (the header, or a legacy
 * whole-session object).
 *
 * @param file The file path.
 * @param head The first bytes of the file.
 * @returns `true` when the Gemini reader should read it.
 */
export function claimsGeminiFile(file: string, head: string): boolean {
  if (!/\.jsonl?$/.test(path.basename(file))) return false;
  return /"sessionId"\s*:/.test(head) && /"projectHash"\s*:/.test(head);
}

/** The Gemini CLI provider. */
export const geminiCli: Provider = {
  ...providerNames(GEMINI_CLI_ID, "Gemini CLI", ["gmi", "gemini"], "gemini"),
  carries: { images: true, toolName: GEMINI_TOOL_NAME, toolFamily: "gemini" },
  // Gemini 2.5 Pro: 1,048,576 tokens (Google AI docs, model card). Gemini CLI
  // compresses its history past a fraction of that (chat compression
  // threshold); half the window is kept free so a resume does not compress.
  contextWindow: {
    window: 1_048_576,
    reserve: 524_288,
    family: "gemini",
    source: "Google AI docs: gemini-2.5-pro input token limit 1,048,576",
  },
  // `gemini -i <prompt>`: interactive with a first prompt
  startPrompt: { via: "argument", flags: ["-i"] },
  envVars: [GEMINI_CLI_HOME_ENV, GEMINI_HOME_ENV],
  ...installAt((ctx) => [geminiRoot(ctx)], "gemini"),
  list: listGeminiSessions,
  sessionFiles: geminiSessionFiles,
  summarize: (file) => summarizeForScan(file),
  finishSummaries: dedupeSummaries,
  summaryVersion: GEMINI_SUMMARY_VERSION,
  find: findGeminiSessions,
  claims: claimsGeminiFile,
  read: (file, _ctx, options) => readGeminiSession(file, options),
  plan: planGeminiSession,
  resumeCommand: geminiResumeCommand,
};
