/**
 * How much conversation each target agent's model can take: its context
 * window, what the agent itself needs from it, and its tokenizer family.
 *
 * Each provider states its own figures (`contextWindow` in its folder's
 * `mod.ts`, with their source); this module reads them for the budget step and
 * holds the assumption for agents whose model the user chooses.
 *
 * @module
 */
import type { ContextWindow } from "../model/provider_facts.ts";
import { PROVIDERS } from "../providers/registry.ts";

export type { ContextWindow } from "../model/provider_facts.ts";

/**
 * The context facts per provider id, as the providers state them. Agents whose
 * model the user chooses (OpenCode, Cline, Roo Code, Kilo Code, Cursor, Aider)
 * have none and fall back to {@linkcode GENERIC_CONTEXT_WINDOW}.
 */
export const CONTEXT_WINDOWS: Readonly<Record<string, ContextWindow>> = Object.fromEntries(
  PROVIDERS.flatMap((p) => p.contextWindow === undefined ? [] : [[p.id, p.contextWindow]]),
);

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
