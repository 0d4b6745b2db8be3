/**
 * Checks on the request a resumed CLI sends: the earlier conversation is present, in order,
 * with its roles, before the new prompt; every tool call has its result; tool calls arrive as
 * structured blocks when the source had them. Exit codes prove nothing; these checks do.
 *
 * @module
 */

import type { Turn, Wire } from "./history.ts";

/** A tool call the source session made, as the mock scripted it. */
export interface ExpectedToolCall {
  /** Tool name in the source CLI. */
  name: string;
  /** The shell command; its text must appear in the call's input. */
  command: string;
}

/** One turn of the source conversation that a resumed request must carry. */
export interface ExpectedTurn {
  /** Role. */
  role: "user" | "assistant" | "tool";
  /** Text the turn must contain (for `tool`: text the result output must contain). */
  text: string;
  /** Structured tool calls of an assistant turn. */
  toolCalls?: ExpectedToolCall[];
  /**
   * A `tool` turn the source CLI flagged as an error on the wire (Anthropic `is_error`, a
   * Gemini `error` response); wires without a flag carry the failure in the text only.
   */
  error?: boolean;
  /**
   * Images a `user` turn or a `tool` result carries (a pasted image, a file a tool read); the
   * resumed request must carry at least as many there.
   */
  images?: number;
  /**
   * The readable reasoning the source CLI sent back with this `assistant` turn when it resumed
   * its own session (see `Turn.reasoning`). A target that carries reasoning must send it too.
   */
  reasoning?: string;
}

/** Options for {@linkcode checkResumedHistory}. */
export interface CheckOptions {
  /**
   * The target cannot carry images (its provider has no `carries.images`): an
   * expected image is there when casr's placeholder naming it is in the text.
   */
  imagesAsText?: boolean;
  /**
   * The target carries reasoning (its provider has `carries.reasoning`): each expected
   * `reasoning` must reach the request, in the matching assistant turn.
   */
  carriesReasoning?: boolean;
}

/** Outcome of {@linkcode checkResumedHistory}. */
export interface CheckResult {
  /** No problems found. */
  ok: boolean;
  /** Human-readable problems, in discovery order. */
  problems: string[];
  /** Oddities that do not fail the check (e.g. a tool result sent twice). */
  notes: string[];
}

/**
 * Text as compared: CRLF as LF, blank lines collapsed (wires join a turn's parts with different
 * separators, e.g. Gemini CLI's `@file` markers are parts of their own), trimmed.
 */
/**
 * Agents' own spellings of one fact, reduced to the form casr writes, so a turn
 * compares by what it says rather than by its wrapper:
 * - Claude Code's slash-command record (`<command-message>…<command-name>/x</command-name>
 *   <command-args>a b</command-args>`) is the command line `/x a b`;
 * - Codex's label around an attached image (`<image name=[Image #1] path="…">`, `</image>`)
 *   and Claude Code's note after one (`[Image: source: …]`) are left out (the image itself
 *   carries its source; OpenClaw replaces such notes with its own text).
 */
/** A run of Claude Code's command tags (name, message, args, in any order). */
const COMMAND_TAGS =
  /<command-(name|message|args)>[^<]*<\/command-\1>(?:\s*<command-(?:name|message|args)>[^<]*<\/command-(?:name|message|args)>)+/g;

function commandLine(block: string): string {
  const tag = (name: string) =>
    new RegExp(`<command-${name}>([^<]*)</command-${name}>`).exec(block)?.[1]?.trim() ?? "";
  return [tag("name"), tag("args")].filter((part) => part !== "").join(" ");
}

const WRAPPERS: readonly [RegExp, string | ((match: string) => string)][] = [
  [COMMAND_TAGS, commandLine],
  [/<image name=[^>\n]*>|<\/image>/g, ""],
  [/\[Image: source: [^\]\n]*\]/g, ""],
];

/**
 * A turn's text as the checks compare it: line endings, blank lines and the
 * agents' wrappers (see `WRAPPERS`) normalized.
 *
 * @param text The text.
 * @returns The normalized text.
 */
export function normalize(text: string): string {
  let out = text.replaceAll("\r\n", "\n");
  for (const [pattern, replacement] of WRAPPERS) {
    out = typeof replacement === "string"
      ? out.replace(pattern, replacement)
      : out.replace(pattern, replacement);
  }
  return out.replace(/[ \t]+\n/g, "\n").replace(/\n\s*\n/g, "\n").trim();
}

/**
 * Consecutive user turns without tool results as one turn: model APIs merge them
 * (Claude Code sends a slash command's records and the next prompt as one user
 * message), so where one agent has one turn another may have two.
 *
 * @param turns The turns.
 * @returns The turns with each run of user turns joined.
 */
export function mergeUserRuns(turns: readonly Turn[]): Turn[] {
  const out: Turn[] = [];
  for (const turn of turns) {
    const last = out.at(-1);
    if (
      last !== undefined && last.role === "user" && turn.role === "user" &&
      last.toolResults.length === 0 && turn.toolResults.length === 0
    ) {
      const images = (last.images ?? 0) + (turn.images ?? 0);
      out[out.length - 1] = {
        ...last,
        text: [last.text, turn.text].filter((t) => t !== "").join("\n"),
        ...(images > 0 ? { images } : {}),
      };
      continue;
    }
    out.push(turn);
  }
  return out;
}

function preview(text: string, max = 60): string {
  const flat = text.replaceAll("\n", "\\n");
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (typeof value === "object" && value !== null) {
    return Object.values(value).flatMap(stringLeaves);
  }
  return [];
}

/**
 * Whether a tool input holds `text` in one of its strings, as is or JSON-escaped (Codex's free-form
 * `exec` input is JavaScript with the command in a string literal).
 */
function inputMentions(input: unknown, text: string): boolean {
  const forms = [text, JSON.stringify(text).slice(1, -1)];
  return stringLeaves(input).some((leaf) => forms.some((form) => leaf.includes(form)));
}

/**
 * How a target that cannot carry images shows one: casr's placeholder naming it
 * (`[image: shot.png (image/png, 12 KB)]`, see `prepareForTarget`).
 */
const IMAGE_PLACEHOLDER = /\[image: [^\]\n]+\]/g;

/** The images a turn part carries: real ones, or with `asText` also casr's placeholders. */
function imageCount(images: number | undefined, text: string, asText: boolean): number {
  return (images ?? 0) + (asText ? (text.match(IMAGE_PLACEHOLDER) ?? []).length : 0);
}

/** Index of the first result of `turn`, not in `used`, whose output holds the expected text. */
function toolResultIndex(
  turn: Turn,
  expected: ExpectedTurn,
  used: ReadonlySet<number> = new Set(),
  imagesAsText = false,
): number {
  const want = normalize(expected.text);
  const images = expected.images ?? 0;
  return turn.toolResults.findIndex((result, index) =>
    !used.has(index) && normalize(result.output).includes(want) &&
    imageCount(result.images, result.output, imagesAsText) >= images
  );
}

function turnMatches(
  turn: Turn,
  expected: ExpectedTurn,
  used?: ReadonlySet<number>,
  imagesAsText = false,
): boolean {
  if (turn.role !== expected.role) return false;
  const want = normalize(expected.text);
  if (expected.role === "tool") return toolResultIndex(turn, expected, used, imagesAsText) !== -1;
  if (want !== "" && !normalize(turn.text).includes(want)) return false;
  if (imageCount(turn.images, turn.text, imagesAsText) < (expected.images ?? 0)) return false;
  for (const call of expected.toolCalls ?? []) {
    if (!turn.toolCalls.some((actual) => inputMentions(actual.input, call.command))) {
      return false;
    }
  }
  return true;
}

function textAppearsIn(turn: Turn, text: string): boolean {
  const want = normalize(text);
  if (want === "") return false;
  return normalize(turn.text).includes(want) ||
    turn.toolResults.some((result) => normalize(result.output).includes(want)) ||
    turn.toolCalls.some((call) => inputMentions(call.input, want));
}

/** Explains where an expected turn went, for a failure message. */
function diagnoseMissing(turns: Turn[], expected: ExpectedTurn, cursor: number): string {
  const label = `${expected.role} turn "${preview(expected.text)}"`;
  const images = expected.images ?? 0;
  if (images > 0) {
    const { images: _images, ...textOnly } = expected;
    const at = turns.findIndex((turn, i) => i >= cursor && turnMatches(turn, textOnly));
    if (at !== -1) {
      const turn = turns[at] as Turn;
      const got = expected.role === "tool"
        ? Math.max(0, ...turn.toolResults.map((result) => result.images ?? 0))
        : turn.images ?? 0;
      return `${label} lost its image(s): ${got} of ${images} at history index ${at}`;
    }
  }
  const sameRole = turns.findIndex((turn) => turnMatches(turn, expected));
  if (expected.role === "tool" && sameRole !== -1 && sameRole === cursor) {
    return `${label} is missing (the tool turn at history index ${sameRole} has no other ` +
      "result holding it)";
  }
  if (sameRole !== -1 && sameRole === cursor - 1) {
    return `${label} is merged into the previous ${expected.role} turn (history index ${sameRole})`;
  }
  if (sameRole !== -1) {
    return `${label} is out of order (found at history index ${sameRole}, expected after ${
      cursor - 1
    })`;
  }
  const other = turns.findIndex((turn) => textAppearsIn(turn, expected.text));
  if (other !== -1) {
    const where = turns[other];
    if (expected.toolCalls !== undefined && expected.toolCalls.length > 0 && where !== undefined) {
      const structured = where.toolCalls.length > 0 ? "with" : "without";
      return `${label} found as ${where.role} turn ${other} ${structured} structured tool calls`;
    }
    return `${label} found with role ${where?.role} (history index ${other})`;
  }
  if (expected.toolCalls !== undefined && expected.toolCalls.length > 0) {
    const commands = expected.toolCalls.map((call) => call.command);
    const withCall = turns.findIndex((turn) =>
      turn.role === "assistant" &&
      commands.every((command) => turn.toolCalls.some((call) => inputMentions(call.input, command)))
    );
    if (withCall !== -1) return `${label} text missing (its tool call is at index ${withCall})`;
  }
  return `${label} is missing`;
}

/**
 * Lints tool pairing: every tool call is answered by a result in the following tool turn (by
 * id when both sides carry one, else by count), and every result answers a call. Codex's
 * synthetic `aborted` outputs are reported, since they hide a writer's orphaned call.
 *
 * @param turns The history to lint.
 * @returns Problems; empty when every call has its result.
 */
export function lintToolPairs(turns: Turn[]): string[] {
  const problems: string[] = [];
  const callIds = new Set<string>();
  turns.forEach((turn, index) => {
    if (turn.role !== "assistant" || turn.toolCalls.length === 0) return;
    const next = turns[index + 1];
    const results = next?.role === "tool" ? next.toolResults : [];
    const unmatched = [...results];
    for (const call of turn.toolCalls) {
      if (call.id !== undefined) callIds.add(call.id);
      let at = call.id === undefined ? -1 : unmatched.findIndex((result) => result.id === call.id);
      if (at === -1) at = unmatched.findIndex((result) => result.id === undefined);
      if (at === -1) {
        problems.push(`tool call ${call.name} (id ${call.id ?? "none"}) has no result`);
        continue;
      }
      const [result] = unmatched.splice(at, 1);
      if (result !== undefined && normalize(result.output) === "aborted") {
        problems.push(
          `tool call ${call.name} (id ${call.id ?? "none"}) has a synthetic "aborted" result`,
        );
      }
    }
  });
  for (const turn of turns) {
    for (const result of turn.toolResults) {
      if (result.id !== undefined && !callIds.has(result.id)) {
        problems.push(`tool result for id ${result.id} has no tool call`);
      }
    }
  }
  return problems;
}

/** Anthropic's documented pattern for `tool_use.id` / `tool_result.tool_use_id`. */
const ANTHROPIC_TOOL_ID = /^[a-zA-Z0-9_-]+$/;

/**
 * Checks constraints the real model API enforces on history, which the mock would accept:
 * Anthropic rejects a `tool_use.id` outside `^[a-zA-Z0-9_-]+$` (HTTP 400
 * `String should match pattern`).
 *
 * @param wire The request's wire.
 * @param turns The request's history.
 * @returns Problems.
 */
export function lintWireConstraints(wire: Wire, turns: Turn[]): string[] {
  const problems: string[] = [];
  if (wire !== "anthropic") return problems;
  for (const turn of turns) {
    const ids = [
      ...turn.toolCalls.map((call) => call.id),
      ...turn.toolResults.map((result) => result.id),
    ];
    for (const id of ids) {
      if (id !== undefined && !ANTHROPIC_TOOL_ID.test(id)) {
        problems.push(`tool id "${id}" does not match Anthropic's pattern ^[a-zA-Z0-9_-]+$`);
      }
    }
  }
  return [...new Set(problems)];
}

/**
 * Names of tools the history calls that the request does not offer (informational: a real
 * model sees calls to tools it cannot call again).
 *
 * @param turns The request's history.
 * @param offered Tool names the request offers.
 * @returns One note, or none.
 */
export function toolsNotOffered(turns: Turn[], offered: string[]): string[] {
  const missing = new Set<string>();
  for (const turn of turns) {
    for (const call of turn.toolCalls) if (!offered.includes(call.name)) missing.add(call.name);
  }
  return missing.size === 0
    ? []
    : [`history calls tool(s) the target does not offer: ${[...missing].join(", ")}`];
}

/**
 * Finds tool results sent more than once for the same call id. Gemini CLI 0.61.0 does this on
 * resume (the result lives both in `toolCalls[].result` and in a following user message); the
 * Gemini API rejects a function-response count that differs from the call count.
 *
 * @param turns The history.
 * @returns One note per duplicated id.
 */
export function duplicateToolResults(turns: Turn[]): string[] {
  const notes: string[] = [];
  for (const turn of turns) {
    const counts = new Map<string, number>();
    for (const result of turn.toolResults) {
      if (result.id !== undefined) counts.set(result.id, (counts.get(result.id) ?? 0) + 1);
    }
    for (const [id, count] of counts) {
      if (count > 1) notes.push(`tool result for id ${id} is sent ${count} times`);
    }
  }
  return notes;
}

/**
 * Checks the history of the request that carries `newPrompt`: each expected turn appears, in
 * order and with its role, before the new prompt; tool calls are structured and paired.
 * Consecutive expected `tool` turns (the results of parallel calls) may match one tool turn,
 * each claiming a different result.
 *
 * @param turns The normalized history of the request.
 * @param expected The source session's turns.
 * @param newPrompt The prompt sent on resume.
 * @param options What the target can carry (see {@linkcode CheckOptions}).
 * @returns The problems found.
 */
export function checkResumedHistory(
  turns: Turn[],
  expected: ExpectedTurn[],
  newPrompt: string,
  options: CheckOptions = {},
): CheckResult {
  const asText = options.imagesAsText === true;
  const problems: string[] = [];
  let promptAt = -1;
  turns.forEach((turn, index) => {
    if (turn.role === "user" && normalize(turn.text).includes(normalize(newPrompt))) {
      promptAt = index;
    }
  });
  if (promptAt === -1) {
    return {
      ok: false,
      problems: [`request does not carry the new prompt "${newPrompt}"`],
      notes: [],
    };
  }
  const history = mergeUserRuns(turns.slice(0, promptAt));
  // Gemini merges consecutive user turns, so the prompt's own turn may also hold the last
  // earlier user text: allow matching it for user turns only.
  const searchable = [...history, turns[promptAt] as Turn];
  const promptIndex = history.length;
  let cursor = 0;
  const claimed = new Map<number, Set<number>>();
  for (const want of expected) {
    let found = -1;
    for (let i = cursor; i < searchable.length; i++) {
      const turn = searchable[i] as Turn;
      if (i === promptIndex && want.role !== "user") break;
      if (turnMatches(turn, want, claimed.get(i), asText)) {
        found = i;
        break;
      }
    }
    if (found === -1) {
      problems.push(diagnoseMissing(history, want, cursor));
      continue;
    }
    const reasoning = normalize(want.reasoning ?? "");
    if (options.carriesReasoning === true && want.role === "assistant" && reasoning !== "") {
      const got = normalize((searchable[found] as Turn).reasoning ?? "");
      if (!got.includes(reasoning)) {
        problems.push(
          `assistant turn "${preview(want.text)}" lost its reasoning "${preview(reasoning)}"` +
            (got === "" ? "" : ` (sent: "${preview(got)}")`),
        );
      }
    }
    if (want.role === "tool") {
      const used = claimed.get(found) ?? new Set<number>();
      used.add(toolResultIndex(searchable[found] as Turn, want, used, asText));
      claimed.set(found, used);
    }
    // A user turn may absorb the next user text too (Gemini merges them), and one tool turn
    // may carry the next result too (parallel calls), so stay on those.
    cursor = want.role === "assistant" ? found + 1 : found;
  }
  const wantCalls = expected.reduce((sum, turn) => sum + (turn.toolCalls?.length ?? 0), 0);
  const gotCalls = history.reduce((sum, turn) => sum + turn.toolCalls.length, 0);
  if (gotCalls < wantCalls) {
    problems.push(
      `source had ${wantCalls} tool call(s); request carries ${gotCalls} structured tool call(s)`,
    );
  }
  // A call the source session itself left unanswered (a turn cut off) comes back with a
  // synthetic "aborted" result: as many of those as the source had are not a problem.
  let abortedInSource =
    expected.filter((turn) => turn.role === "tool" && normalize(turn.text) === "aborted").length;
  for (const problem of lintToolPairs(history)) {
    if (abortedInSource > 0 && problem.endsWith('has a synthetic "aborted" result')) {
      abortedInSource--;
      continue;
    }
    problems.push(problem);
  }
  return { ok: problems.length === 0, problems, notes: duplicateToolResults(history) };
}
