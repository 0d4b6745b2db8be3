/**
 * Fitting a session into a target model's context window. Pure: no I/O, the
 * token counter is passed in.
 *
 * A session that already fits is returned as it is. One that does not fit
 * goes through three steps, each only while it is still over the budget:
 *
 * 1. The middle of each tool output longer than the cap is cut out, keeping
 *    its head and tail and saying how much was cut.
 * 2. Reasoning is dropped (unless `keepReasoning`).
 * 3. The oldest exchanges are dropped. An exchange is the smallest run of
 *    messages that leaves no tool call apart from its result; the first user
 *    message (and anything before it) is always kept, and so is the last
 *    exchange.
 *
 * Every change is a warning, and the report counts them.
 *
 * @module
 */
import type { Message, Session, ToolResult, Warning } from "../model/types.ts";
import { reindexMessages } from "../model/normalize.ts";
import { groupDigits, plural } from "../internal/plural.ts";

/**
 * The tool-output cap, in characters, used once a session is over its budget
 * and no `maxToolOutput` was given.
 */
export const DEFAULT_MAX_TOOL_OUTPUT = 20_000;

/**
 * With a `roughCount`, a session whose rough count is within this factor of
 * the budget is counted again with the real counter before turns are dropped.
 */
const NEAR_BUDGET = 3;

/** Options for {@linkcode budgetSession}. */
export interface BudgetSessionOptions {
  /** The conversation budget in tokens; `0` turns the budget off. */
  maxContextTokens: number;
  /**
   * Tool outputs longer than this many characters lose their middle. When
   * given (and not `0`), every output is capped, even in a session that fits.
   * When absent, {@linkcode DEFAULT_MAX_TOOL_OUTPUT} applies to a session over
   * its budget only. `0` never cuts tool outputs.
   *
   * @default {undefined}
   */
  maxToolOutput?: number;
  /**
   * Keep reasoning even when the session is over its budget.
   *
   * @default {false}
   */
  keepReasoning?: boolean;
  /**
   * Counts the tokens of a text (see `createTokenEstimator`).
   *
   * @param text The text.
   * @returns Its tokens.
   */
  count: (text: string) => number;
  /**
   * A cheaper counter for sessions far over the budget (the heuristic, when
   * `count` runs a real tokenizer): the oldest exchanges are chosen for
   * dropping with it, and `count` is run only on what may be kept, so a
   * 100 MB session is not tokenized whole.
   *
   * @default {undefined} `count` everywhere
   */
  roughCount?: (text: string) => number;
  /**
   * The target's name, for warnings.
   *
   * @default {"the target"}
   */
  targetName?: string;
}

/** What {@linkcode budgetSession} did, in numbers. */
export interface BudgetReport {
  /** The budget applied, in tokens (`0`: off). */
  maxContextTokens: number;
  /** The tool-output cap applied, in characters (`0`: none). */
  maxToolOutput: number;
  /** Estimated conversation tokens before. */
  tokensBefore: number;
  /** Estimated conversation tokens after. */
  tokensAfter: number;
  /** Tool outputs whose middle was cut. */
  toolOutputsElided: number;
  /** Characters cut from tool outputs. */
  charactersElided: number;
  /** Messages whose reasoning was dropped. */
  reasoningDropped: number;
  /** Exchanges dropped (see the module doc). */
  exchangesDropped: number;
  /** User, assistant and tool messages dropped. */
  messagesDropped: number;
  /** User prompts among them. */
  userMessagesDropped: number;
  /** Tool calls dropped, each with its result. */
  toolCallsDropped: number;
  /** Whether the result is still over the budget (its first prompt and last exchange alone are). */
  overBudget: boolean;
}

/** What {@linkcode budgetSession} returns. */
export interface BudgetOutcome {
  /** The session to write: the input itself when nothing changed, else a copy. */
  session: Session;
  /** One warning per kind of change. */
  warnings: Warning[];
  /** The counts. */
  report: BudgetReport;
}

const MESSAGE_OVERHEAD = 4;
const PART_OVERHEAD = 8;
/**
 * What one image costs, in tokens: Anthropic counts about width × height / 750,
 * so about 1,600 for an image at its default size limit (1.15 megapixels).
 */
const IMAGE_TOKENS = 1_600;

function isConversation(message: Message): boolean {
  return message.role === "user" || message.role === "assistant" || message.role === "tool";
}

/**
 * The estimated tokens one message costs a model: text, reasoning, tool calls
 * (name and input as JSON) and results, plus a small overhead per part.
 * System and other messages cost nothing, as writers do not carry them.
 *
 * @param message The message.
 * @param count The token counter.
 * @returns Tokens.
 */
export function messageTokens(message: Message, count: (text: string) => number): number {
  if (!isConversation(message)) return 0;
  let total = MESSAGE_OVERHEAD + count(message.text);
  if (message.reasoning) total += count(message.reasoning);
  for (const call of message.toolCalls) {
    const input = typeof call.input === "string" ? call.input : JSON.stringify(call.input) ?? "";
    total += PART_OVERHEAD + count(call.name) + count(input);
  }
  total += IMAGE_TOKENS * (message.images?.length ?? 0);
  for (const result of message.toolResults) {
    total += PART_OVERHEAD + count(result.output) + IMAGE_TOKENS * (result.images?.length ?? 0);
  }
  return total;
}

/**
 * Cuts the middle out of a long text, keeping `max` characters (half from the
 * head, half from the tail) around a marker that says how much was cut.
 *
 * @param text The text.
 * @param max The characters to keep; a text no longer than this is returned as is.
 * @returns The text and the number of characters cut.
 *
 * @example
 * ```ts
 * import { elideMiddle } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const { text, elided } = elideMiddle("a".repeat(50) + "b".repeat(50), 10);
 * assert.equal(elided, 90);
 * assert.ok(text.startsWith("aaaaa\n[… casr cut 90 characters"));
 * assert.ok(text.endsWith("…]\nbbbbb"));
 * ```
 */
export function elideMiddle(text: string, max: number): { text: string; elided: number } {
  const cut = elision(text, max);
  return cut === undefined
    ? { text, elided: 0 }
    : { text: cut.head + cut.marker + cut.tail, elided: cut.elided };
}

/** What {@linkcode elideMiddle} keeps of a text, in pieces: `undefined` when it keeps it all. */
interface Elision {
  head: string;
  marker: string;
  tail: string;
  elided: number;
}

function elision(text: string, max: number): Elision | undefined {
  if (max <= 0 || text.length <= max) return undefined;
  let headEnd = Math.ceil(max / 2);
  let tailStart = text.length - (max - headEnd);
  // Never split a surrogate pair.
  if (isLowSurrogate(text.charCodeAt(headEnd))) headEnd--;
  if (isLowSurrogate(text.charCodeAt(tailStart))) tailStart++;
  let lines = 0;
  for (
    let at = text.indexOf("\n", headEnd);
    at !== -1 && at < tailStart;
    at = text.indexOf("\n", at + 1)
  ) {
    lines++;
  }
  const cutLength = tailStart - headEnd;
  const marker = `\n[… casr cut ${groupDigits(cutLength)} characters${
    lines > 0 ? ` (${groupDigits(lines)} lines)` : ""
  } from the middle of this ${
    groupDigits(text.length)
  }-character output to fit the context window …]\n`;
  return { head: text.slice(0, headEnd), marker, tail: text.slice(tailStart), elided: cutLength };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Splits messages into exchanges: a new one starts at each user or assistant
 * message (not carrying results) at which every earlier tool call that gets a
 * result somewhere has had it. Dropping whole exchanges never separates a call
 * from its result.
 *
 * @param messages The messages.
 * @returns The index of each exchange's first message, ascending, starting at 0.
 */
export function exchangeStarts(messages: readonly Message[]): number[] {
  const answered = new Set<string>();
  for (const m of messages) for (const r of m.toolResults) answered.add(r.callId);
  const open = new Set<string>();
  const starts: number[] = [];
  messages.forEach((m, i) => {
    const opens = (m.role === "user" || m.role === "assistant") && m.toolResults.length === 0;
    if (i === 0 || (open.size === 0 && opens)) starts.push(i);
    for (const c of m.toolCalls) if (answered.has(c.id)) open.add(c.id);
    for (const r of m.toolResults) open.delete(r.callId);
  });
  return starts;
}

/**
 * Fits a session into a token budget (see the module doc for the steps).
 *
 * @param session The session (not modified).
 * @param options The budget, the tool-output cap and the token counter.
 * @returns The session to write, warnings and counts.
 *
 * @example The oldest exchange goes, the first prompt stays
 * ```ts
 * import { budgetSession } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const msg = (index: number, role: "user" | "assistant", text: string) =>
 *   ({ index, role, text, toolCalls: [], toolResults: [] });
 * const session = {
 *   id: "s", provider: "codex", metadata: {},
 *   messages: [msg(0, "user", "goal"), msg(1, "assistant", "x".repeat(400)),
 *     msg(2, "user", "next"), msg(3, "assistant", "done")],
 * };
 * const out = budgetSession(session, { maxContextTokens: 50, count: (t) => t.length / 4 });
 * assert.deepEqual(out.session.messages.map((m) => m.text), ["goal", "next", "done"]);
 * assert.equal(out.report.exchangesDropped, 1);
 * ```
 */
export function budgetSession(session: Session, options: BudgetSessionOptions): BudgetOutcome {
  const exactCount = options.count;
  // Until the session is known to be near its budget, costs come from the
  // cheap counter (when there is one); see `roughCount`.
  let count = options.roughCount ?? exactCount;
  let exact = options.roughCount === undefined;
  const name = options.targetName ?? "the target";
  const budget = Math.max(0, options.maxContextTokens);
  let costs = session.messages.map((m) => messageTokens(m, count));
  const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
  const tokensBefore = sum(costs);
  const over = (): boolean => budget > 0 && sum(costs) > budget;
  const report: BudgetReport = {
    maxContextTokens: budget,
    maxToolOutput: 0,
    tokensBefore,
    tokensAfter: tokensBefore,
    toolOutputsElided: 0,
    charactersElided: 0,
    reasoningDropped: 0,
    exchangesDropped: 0,
    messagesDropped: 0,
    userMessagesDropped: 0,
    toolCallsDropped: 0,
    overBudget: false,
  };
  const warnings: Warning[] = [];
  let messages: Message[] = session.messages;
  const budgetText = budget > 0 ? `the ${groupDigits(budget)}-token budget for ${name}` : name;
  // Near the budget, the real counter decides before anything is cut (cheap:
  // the text is small); only a session far over it is cut on the rough count.
  const exactNearBudget = (): void => {
    if (!exact && budget > 0 && sum(costs) <= NEAR_BUDGET * budget) {
      count = exactCount;
      exact = true;
      costs = messages.map((m) => messageTokens(m, count));
    }
  };
  exactNearBudget();

  // 1. Tool outputs.
  const cap = options.maxToolOutput ?? (over() ? DEFAULT_MAX_TOOL_OUTPUT : 0);
  if (cap > 0) {
    report.maxToolOutput = cap;
    messages = messages.map((m, i) => {
      if (!m.toolResults.some((r) => r.output.length > cap)) return m;
      const cuts = m.toolResults.map((r) => elision(r.output, cap));
      const joined = (): ToolResult[] =>
        m.toolResults.map((r, k) => {
          const cut = cuts[k];
          return cut === undefined ? r : { ...r, output: cut.head + cut.marker + cut.tail };
        });
      for (const cut of cuts) {
        if (cut === undefined) continue;
        report.toolOutputsElided++;
        report.charactersElided += cut.elided;
      }
      costs[i] = messageTokens({ ...m, toolResults: joined() }, count);
      // Counting made each cut output one new string (V8 flattens a joined
      // string when it is read); the message keeps fresh joins of the same
      // pieces instead, so the cut outputs of exchanges dropped below cost
      // next to nothing (about 35 MB for a 101 MB session's).
      return { ...m, toolResults: joined() };
    });
    if (report.toolOutputsElided > 0) {
      warnings.push({
        code: "budget-elided-tool-output",
        message: `Cut the middle of ${
          plural(report.toolOutputsElided, "tool output")
        } longer than ${groupDigits(cap)} characters (${
          groupDigits(report.charactersElided)
        } characters in all) for ${budgetText}`,
      });
    }
  }

  // 2. Reasoning.
  if (over() && !options.keepReasoning) {
    let tokens = 0;
    messages = messages.map((m, i) => {
      if (!m.reasoning) return m;
      const { reasoning: _dropped, ...rest } = m;
      report.reasoningDropped++;
      const cost = messageTokens(rest, count);
      tokens += (costs[i] ?? 0) - cost;
      costs[i] = cost;
      return rest;
    });
    if (report.reasoningDropped > 0) {
      warnings.push({
        code: "budget-dropped-reasoning",
        message: `Dropped the reasoning of ${plural(report.reasoningDropped, "message")} (~${
          groupDigits(tokens)
        } tokens) for ${budgetText} (--keep-reasoning keeps it)`,
      });
    }
  }

  exactNearBudget();

  // 3. The oldest exchanges.
  if (over()) {
    const starts = exchangeStarts(messages);
    const firstUser = messages.findIndex((m) =>
      m.role === "user" && m.toolResults.length === 0 && m.text.trim() !== ""
    );
    // The exchange holding the first user message and all before it are kept.
    const pinned = Math.max(0, starts.findLastIndex((s) => s <= Math.max(0, firstUser)));
    const ends = [...starts.slice(1), messages.length];
    // Far over the budget, only the exchanges that may be kept get the real count.
    const keptCost = exact ? costs : costs.map(() => -1);
    const exactCost = (from: number, to: number): number => {
      let total = 0;
      for (let j = from; j < to; j++) {
        if ((keptCost[j] as number) < 0) {
          keptCost[j] = messageTokens(messages[j] as Message, exactCount);
        }
        total += keptCost[j] as number;
      }
      return total;
    };
    const exchangeCost = (k: number): number => exactCost(starts[k] as number, ends[k] as number);
    let pinnedCost = 0;
    for (let k = 0; k <= pinned; k++) pinnedCost += exchangeCost(k);
    // Keep the newest exchanges that fit, always at least the last one.
    let keepFrom = starts.length - 1;
    let kept = exchangeCost(keepFrom);
    while (keepFrom - 1 > pinned && pinnedCost + kept + exchangeCost(keepFrom - 1) <= budget) {
      keepFrom--;
      kept += exchangeCost(keepFrom);
    }
    if (keepFrom > pinned + 1) {
      const from = starts[pinned + 1] as number;
      const to = starts[keepFrom] as number;
      const dropped = messages.slice(from, to);
      report.exchangesDropped = keepFrom - pinned - 1;
      report.messagesDropped = dropped.filter(isConversation).length;
      report.userMessagesDropped = dropped.filter((m) =>
        m.role === "user" && m.toolResults.length === 0
      ).length;
      report.toolCallsDropped = dropped.reduce((n, m) => n + m.toolCalls.length, 0);
      const tokens = sum(costs.slice(from, to));
      messages = [...messages.slice(0, from), ...messages.slice(to)];
      costs = [...keptCost.slice(0, from), ...keptCost.slice(to)];
      const span = [dropped[0]?.timestamp, dropped.at(-1)?.timestamp];
      const when = span[0] !== undefined && span[1] !== undefined
        ? `, ${new Date(span[0]).toISOString()} to ${new Date(span[1]).toISOString()}`
        : "";
      warnings.push({
        code: "budget-dropped-turns",
        message:
          `Dropped the ${plural(report.exchangesDropped, "oldest exchange")} after the first ` +
          `user message: messages ${from}–${to - 1} of ${session.messages.length}${when} ` +
          `(${groupDigits(report.messagesDropped)} messages, ${
            groupDigits(report.userMessagesDropped)
          } user ` +
          `prompts, ${groupDigits(report.toolCallsDropped)} tool calls with their results, ~${
            groupDigits(tokens)
          } tokens) for ${budgetText}; kept the first user message and the last ${
            groupDigits(messages.length - from)
          } messages`,
      });
    }
  }

  if (!exact) costs = messages.map((m) => messageTokens(m, exactCount));

  report.tokensBefore = Math.ceil(tokensBefore);
  report.tokensAfter = Math.ceil(sum(costs));
  report.overBudget = over();
  if (report.overBudget) {
    warnings.push({
      code: "budget-exceeded",
      message:
        `The session is still ~${groupDigits(report.tokensAfter)} tokens, over ${budgetText}: ` +
        `its first user message and last exchange alone do not fit`,
    });
  }
  if (messages === session.messages) return { session, warnings, report };
  return { session: { ...session, messages: reindexMessages(messages) }, warnings, report };
}
