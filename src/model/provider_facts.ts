/**
 * The facts a provider declares about its agent, as plain data: what its
 * sessions can carry, how much conversation its default model takes, and how
 * the agent starts a new session with a first prompt. Each provider states its
 * own in its `mod.ts`; the pipeline reads them from the provider.
 *
 * @module
 */

/**
 * What a target agent's session format, and the model API it replays it to, can
 * carry. The pipeline cleans a session up against these facts before the writer
 * sees it: what the target cannot carry is dropped with a warning, or becomes a
 * placeholder, never silently lost. Absent fields mean "no" (or "no limit" for
 * `toolName`).
 */
export interface ProviderCarries {
  /** Images as images: the writer stores `Message.images` and `ToolResult.images`. */
  readonly images?: boolean;
  /** Readable reasoning that the writer stores and the agent sends to its model again. */
  readonly reasoning?: boolean;
  /**
   * The pattern a tool name must match on the model API the agent replays its
   * history to (OpenAI's function names: `^[a-zA-Z0-9_-]{1,64}$`).
   */
  readonly toolName?: RegExp;
  /**
   * The agent's tool vocabulary family (a key of `TOOL_FAMILIES` in
   * `src/formats/tool_vocabulary.ts`): history tool calls are renamed to the
   * agent's own tools where an equivalent exists.
   */
  readonly toolFamily?: string;
}

/** The tokenizer families casr knows. */
export const TOKENIZER_FAMILIES = ["o200k", "claude", "gemini", "qwen", "generic"] as const;

/** A tokenizer family. */
export type TokenizerFamily = typeof TOKENIZER_FAMILIES[number];

/** The context facts of one target agent's default model. */
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
 * How an agent starts a NEW interactive session with a first prompt (a handoff
 * brief), as its pinned version's `--help` says.
 *
 * - `argument`: `<binary> [...flags] "<prompt>"`, e.g. `gemini -i "<prompt>"`.
 * - `stdin`: `<binary> < <file>`; `note` says what starts (Amp starts a new thread).
 */
export type StartPrompt =
  | { readonly via: "argument"; readonly flags: readonly string[] }
  | { readonly via: "stdin"; readonly note: string };
