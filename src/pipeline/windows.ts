/**
 * How much conversation each target agent's model can take: its context
 * window, what the agent itself needs from it, and its tokenizer family.
 *
 * These are facts about the agents' default models, kept here (not in the
 * provider folders) because only the budget step uses them.
 *
 * @module
 */
import type { TokenizerFamily } from "./tokens.ts";

/** The context facts of one target agent. */
export interface ContextWindow {
  /** The default model's context window, in tokens. */
  window: number;
  /**
   * Tokens kept free for what the agent adds around the conversation (system
   * prompt, tool definitions, the reply) and for its own auto-compaction
   * threshold. The default budget is `window - reserve`.
   */
  reserve: number;
  /** The tokenizer family of the default model. */
  family: TokenizerFamily;
  /** Where the figures come from. */
  source: string;
}

/**
 * The context facts per provider id. Agents whose model the user chooses
 * (OpenCode, Cline, Roo Code, Kilo Code, Cursor, Aider) fall back to
 * {@linkcode GENERIC_CONTEXT_WINDOW}.
 */
export const CONTEXT_WINDOWS: Readonly<Record<string, ContextWindow>> = {
  // Claude Sonnet/Opus 4.x: 200K tokens (Anthropic docs, "Context windows"; the
  // 1M window is an opt-in beta). Claude Code keeps ~20K for the reply and
  // auto-compacts ~13K before that; its system prompt and tool definitions
  // take ~20K more. 60K reserved leaves 140K for the conversation.
  "claude-code": {
    window: 200_000,
    reserve: 60_000,
    family: "claude",
    source: "Anthropic docs: Claude 4 models have a 200K-token context window",
  },
  // GPT-5-Codex: 272K input tokens (Codex CLI's model family table,
  // `context_window: 272_000`); Codex uses 95% of it and compacts near there.
  codex: {
    window: 272_000,
    reserve: 40_000,
    family: "o200k",
    source: "Codex CLI model family gpt-5-codex: context_window 272000",
  },
  // Gemini 2.5 Pro: 1,048,576 tokens (Google AI docs, model card). Gemini CLI
  // compresses its history past a fraction of that (chat compression
  // threshold); half the window is kept free so a resume does not compress.
  "gemini-cli": {
    window: 1_048_576,
    reserve: 524_288,
    family: "gemini",
    source: "Google AI docs: gemini-2.5-pro input token limit 1,048,576",
  },
  // qwen3-coder-plus: 256K native context (Qwen3-Coder model card; 1M with
  // YaRN extrapolation, not assumed here).
  "qwen-code": {
    window: 262_144,
    reserve: 40_000,
    family: "qwen",
    source: "Qwen3-Coder model card: 256K native context",
  },
  // Copilot CLI's default model is Claude Sonnet; GitHub's API caps prompts
  // for it well below Anthropic's 200K (about 128K), so 128K is assumed.
  "copilot-cli": {
    window: 128_000,
    reserve: 28_000,
    family: "claude",
    source: "GitHub Copilot model picker: prompt limit about 128K for Claude Sonnet",
  },
  // Amp runs Claude Sonnet with Anthropic's 200K window.
  amp: {
    window: 200_000,
    reserve: 60_000,
    family: "claude",
    source: "Amp uses Claude Sonnet 4.x (200K tokens)",
  },
};

/**
 * The assumption for an agent whose model is the user's choice: 128K tokens,
 * the smallest window among current frontier coding models (GPT-4o class).
 */
export const GENERIC_CONTEXT_WINDOW: ContextWindow = {
  window: 128_000,
  reserve: 28_000,
  family: "generic",
  source: "Assumed: 128K tokens, the smallest window of current frontier coding models",
};

/**
 * The context facts of a target agent.
 *
 * @param providerId The provider id, e.g. `claude-code`.
 * @returns Its window, reserve and tokenizer family.
 *
 * @example
 * ```ts
 * import { contextWindowFor } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const w = contextWindowFor("claude-code");
 * assert.equal(w.window - w.reserve, 140_000);
 * ```
 */
export function contextWindowFor(providerId: string): ContextWindow {
  return CONTEXT_WINDOWS[providerId] ?? GENERIC_CONTEXT_WINDOW;
}
