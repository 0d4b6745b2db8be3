/**
 * The tool-name alphabets of the model APIs the agents replay their history to.
 * A provider names its own in `carries.toolName`; the pipeline renames history
 * tool calls outside it (the same way for calls and their results).
 *
 * @module
 */

/**
 * OpenAI (Responses and Chat Completions) and Anthropic Messages: letters,
 * digits, `_` and `-`, at most 64 characters (the pipeline caps the length).
 * The Responses API refuses a replayed `function_call.name` outside it.
 */
export const API_TOOL_NAME: RegExp = /^[a-zA-Z0-9_-]+$/;

/**
 * Gemini `functionDeclarations` and replayed `functionCall` names: a letter or
 * `_` first, then letters, digits, `_`, `.`, `:` or `-`, at most 64 characters.
 */
export const GEMINI_TOOL_NAME: RegExp = /^[a-zA-Z_][a-zA-Z0-9_.:-]*$/;
