/**
 * Shared types and helpers of the mock API's request rules (`api_rules*.ts`): what a rule is,
 * what it reports, and small JSON helpers the per-wire rule files use.
 *
 * @module
 */

import type { Wire } from "./history.ts";

/** The request a rule checks: the parsed body and the raw text it came from. */
export interface RuleRequest {
  /** Parsed JSON body (or `null` / the raw text when it was not JSON). */
  body: unknown;
  /** The request body as text, before JSON parsing (lone-surrogate escapes live here). */
  raw: string;
  /** Whether the body bytes were well-formed UTF-8. */
  utf8: boolean;
}

/** One problem a rule found: where, and what. */
export interface Finding {
  /** JSON path into the body, e.g. `messages[3].content[0].text`; `""` for the whole body. */
  path: string;
  /** What is wrong, in the mock's words. */
  message: string;
}

/** A finding tagged with its rule, as recorded on a request. */
export interface Violation extends Finding {
  /** The rule id, e.g. `anthropic/text-not-blank`. */
  rule: string;
}

/** One rule a real model API enforces on requests. */
export interface ApiRule {
  /** Stable id `<wire>/<name>` (`request/...` for rules of every wire). */
  id: string;
  /** The wires the rule applies to. */
  wires: readonly Wire[];
  /** One line: what the rule demands. */
  description: string;
  /** Where the rule is written down: an API reference, or an issue quoting the real error. */
  source: string;
  /** The real API's error text, where known. */
  realError?: string;
  /** Finds the rule's violations in a request. */
  check(request: RuleRequest): Finding[];
}

/** Every wire the mock speaks. */
export const ALL_WIRES: readonly Wire[] = ["anthropic", "responses", "chat", "gemini"];

/** A JSON object. */
export type Json = Record<string, unknown>;

/**
 * Whether a value is a plain JSON object.
 *
 * @param value Any value.
 * @returns `true` for a non-null, non-array object.
 */
export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The value as an array, or an empty one.
 *
 * @param value Any value.
 * @returns The array, or `[]`.
 */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * The value when it is a string.
 *
 * @param value Any value.
 * @returns The string, or `undefined`.
 */
export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * Whether text is empty or only whitespace.
 *
 * @param text The text.
 * @returns `true` when nothing but whitespace.
 */
export function isBlank(text: string): boolean {
  return text.trim() === "";
}

/**
 * Shortens a value for a message.
 *
 * @param text The text.
 * @param max Longest result.
 * @returns The text, cut with an ellipsis when longer than `max`.
 */
export function preview(text: string, max = 40): string {
  const flat = JSON.stringify(text);
  return flat.length > max ? `${flat.slice(0, max)}…"` : flat;
}

/** Objects of a JSON array with their indices. */
export function objectsOf(value: unknown): Array<[number, Json]> {
  const out: Array<[number, Json]> = [];
  asArray(value).forEach((item, index) => {
    if (isObject(item)) out.push([index, item]);
  });
  return out;
}
