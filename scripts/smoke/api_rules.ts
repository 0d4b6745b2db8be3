/**
 * The one list of request rules the strict mock API enforces: for each rule an id, the wires
 * it applies to, a one-line description, its source (an API reference, or an issue quoting the
 * real error), the real error text where known, and a check that returns violations with a
 * JSON path. Real model APIs answer a request that breaks one of these with HTTP 400, and a
 * converted session whose resumed turn gets a 400 is lost to its user.
 *
 * The rules live in `api_rules_anthropic.ts`, `api_rules_openai.ts` (Responses and Chat
 * Completions) and `api_rules_gemini.ts`; the rules of every wire (well-formed Unicode) are
 * here.
 *
 * @module
 */

import { ANTHROPIC_RULES } from "./api_rules_anthropic.ts";
import {
  ALL_WIRES,
  type ApiRule,
  type Finding,
  type RuleRequest,
  type Violation,
} from "./api_rules_core.ts";
import { GEMINI_RULES } from "./api_rules_gemini.ts";
import { OPENAI_RULES } from "./api_rules_openai.ts";
import type { Wire } from "./history.ts";

export type { ApiRule, Finding, RuleRequest, Violation } from "./api_rules_core.ts";

/** The position of a character index as `line:column` (1-based), as JSON parsers report it. */
function lineColumn(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split("\n").length;
  return `line ${line} column ${index - before.lastIndexOf("\n")}`;
}

/** How many lone surrogates a string holds. */
function countLone(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
      else count += 1;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      count += 1;
    }
  }
  return count;
}

/** JSON paths of the parsed body's strings (keys too), once per lone surrogate, in text order. */
function lonePaths(value: unknown, path: string, out: string[]): string[] {
  if (typeof value === "string") {
    for (let n = countLone(value); n > 0; n--) out.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => lonePaths(item, `${path}[${i}]`, out));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const here = path === "" ? key : `${path}.${key}`;
      for (let n = countLone(key); n > 0; n--) out.push(here);
      lonePaths(child, here, out);
    }
  }
  return out;
}

/**
 * Finds `\uXXXX` escapes of surrogates that are not part of a high+low pair in raw JSON text,
 * each with the JSON path of its string. (A raw, unescaped lone surrogate cannot reach here:
 * it is not encodable in UTF-8.)
 */
function loneSurrogates(request: RuleRequest): Finding[] {
  const raw = request.raw;
  const found = rawLoneSurrogates(raw);
  const paths = found.length === 0 ? [] : lonePaths(request.body, "", []);
  // Paths line up with raw positions unless a parser reordered keys; then keep raw positions only.
  const aligned = paths.length === found.length;
  return found.map((finding, i) => ({ ...finding, path: aligned ? paths[i] ?? "" : "" }));
}

function rawLoneSurrogates(raw: string): Finding[] {
  const findings: Finding[] = [];
  const hex = (at: number): number | undefined => {
    if (raw[at] !== "\\" || raw[at + 1] !== "u") return undefined;
    const digits = raw.slice(at + 2, at + 6);
    return /^[0-9a-fA-F]{4}$/.test(digits) ? parseInt(digits, 16) : undefined;
  };
  for (let i = raw.indexOf("\\"); i !== -1 && i < raw.length; i = raw.indexOf("\\", i)) {
    const unit = hex(i);
    if (unit === undefined) {
      i += 2; // any other escape, including "\\\\"
      continue;
    }
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = hex(i + 6);
      if (low !== undefined && low >= 0xdc00 && low <= 0xdfff) {
        i += 12;
        continue;
      }
      findings.push({
        path: "",
        message: `lone high surrogate \\u${raw.slice(i + 2, i + 6)} at ${lineColumn(raw, i)}`,
      });
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      findings.push({
        path: "",
        message: `lone low surrogate \\u${raw.slice(i + 2, i + 6)} at ${lineColumn(raw, i)}`,
      });
    }
    i += 6;
  }
  return findings;
}

function utf8(request: RuleRequest): Finding[] {
  return request.utf8 ? [] : [{ path: "", message: "request body is not well-formed UTF-8" }];
}

/** Rules of every wire. */
const ENCODING_RULES: readonly ApiRule[] = [
  {
    id: "request/utf8",
    wires: ALL_WIRES,
    description: "The request body is well-formed UTF-8",
    source: "https://www.rfc-editor.org/rfc/rfc8259#section-8.1 (JSON exchanged between " +
      "systems MUST be UTF-8)",
    check: utf8,
  },
  {
    id: "request/lone-surrogate",
    wires: ALL_WIRES,
    description: "No \\uD800-\\uDFFF escape outside a high+low surrogate pair",
    source: "https://github.com/anthropics/claude-code/issues/1939 (Anthropic); " +
      "https://github.com/JohnnyZ93/oai-compatible-copilot/issues/206 (Chat Completions, " +
      "serde_json); https://www.rfc-editor.org/rfc/rfc7493#section-2.1 (I-JSON forbids them)",
    realError: "The request body is not valid JSON: no low surrogate in string: line 1 column " +
      "241834 (char 241833) | lone leading surrogate in hex escape",
    check: loneSurrogates,
  },
];

/** Every rule, in report order. */
export const API_RULES: readonly ApiRule[] = [
  ...ENCODING_RULES,
  ...ANTHROPIC_RULES,
  ...OPENAI_RULES,
  ...GEMINI_RULES,
];

/**
 * Checks one request against every rule of its wire.
 *
 * @param wire The wire the request was sent on.
 * @param request Parsed body, raw text and whether the bytes were UTF-8.
 * @returns The violations, in rule order; empty when the real API would accept the request.
 */
export function checkRequest(wire: Wire, request: RuleRequest): Violation[] {
  const violations: Violation[] = [];
  for (const rule of API_RULES) {
    if (!rule.wires.includes(wire)) continue;
    // The encoding rules hold for any body; the others need the JSON it parsed to.
    if (!rule.id.startsWith("request/") && typeof request.body !== "object") continue;
    for (const finding of rule.check(request)) violations.push({ rule: rule.id, ...finding });
  }
  return violations;
}

/**
 * One line per violation: `rule at path: message`.
 *
 * @param violation The violation.
 * @returns The line.
 */
export function describeViolation(violation: Violation): string {
  const where = violation.path === "" ? "" : ` at ${violation.path}`;
  return `[${violation.rule}]${where}: ${violation.message}`;
}

/**
 * The HTTP 400 body the real API of a wire sends, naming the mock's rule ids and paths.
 *
 * @param wire The wire.
 * @param violations At least one violation.
 * @returns The JSON error body in the wire's shape.
 */
export function apiErrorBody(wire: Wire, violations: readonly Violation[]): unknown {
  const message = `Mock API (strict) rejected the request: ${
    violations.map(describeViolation).join("; ")
  }`;
  switch (wire) {
    case "anthropic":
      return {
        type: "error",
        error: { type: "invalid_request_error", message },
        request_id: `req_mock_${crypto.randomUUID()}`,
      };
    case "gemini":
      return { error: { code: 400, message, status: "INVALID_ARGUMENT" } };
    default:
      return {
        error: {
          message,
          type: "invalid_request_error",
          param: violations[0]?.path ?? null,
          code: violations[0]?.rule ?? null,
        },
      };
  }
}

/**
 * A failure reason naming each broken rule once, with its count and first path and message.
 *
 * @param violations At least one violation.
 * @returns E.g. `API rule violations: [anthropic/text-not-blank] ×2, first at messages[3]...`.
 */
export function violationReason(violations: readonly Violation[]): string {
  const parts = countByRule(violations).map(([rule, n]) => {
    const first = violations.find((violation) => violation.rule === rule) as Violation;
    return `${describeViolation(first)}${n > 1 ? ` (×${n})` : ""}`;
  });
  return `API rule violation${violations.length === 1 ? "" : "s"}: ${parts.join("; ")}`;
}

/**
 * Counts violations per rule, most frequent first.
 *
 * @param violations Any violations.
 * @returns `[rule, count]` pairs.
 */
export function countByRule(violations: readonly Violation[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const { rule } of violations) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * The summary line: `0 rule violations`, or the total and the count per rule.
 *
 * @param violations Every violation of a run.
 * @returns E.g. `3 rule violations: anthropic/text-not-blank ×2, chat/call-answered ×1`.
 */
export function violationSummary(violations: readonly Violation[]): string {
  if (violations.length === 0) return "0 rule violations";
  const perRule = countByRule(violations).map(([rule, n]) => `${rule} ×${n}`).join(", ");
  return `${violations.length} rule violation${violations.length === 1 ? "" : "s"}: ${perRule}`;
}
