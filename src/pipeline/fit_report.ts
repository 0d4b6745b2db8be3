/**
 * How a session would fit each agent casr can write: its estimated tokens in
 * that agent's model, whether that is within the default budget, and what
 * the default budget would cut. Estimates use the fast heuristic counts (a
 * conversion counts exactly near the budget), so they are marked as such.
 *
 * @module
 */
import type { Session } from "../model/types.ts";
import { PROVIDERS } from "../providers/registry.ts";
import type { Provider } from "../providers/types.ts";
import { type BudgetReport, budgetSession, messageTokens } from "./budget.ts";
import { prepareForTarget } from "./prepare.ts";
import { heuristicCounter } from "./tokens.ts";
import { contextWindowFor } from "./windows.ts";

/** How a session fits one target. */
export interface TargetFit {
  /** The target provider id. */
  target: string;
  /** Its model's context window, in tokens. */
  window: number;
  /** The default budget: the window minus a reserve for the next turns. */
  budget: number;
  /** The session's estimated tokens there, after what the target cannot carry is set aside. */
  tokens: number;
  /** Whether it is within the budget as it is. */
  fits: boolean;
  /** What the default budget would cut, when it does not fit. */
  cut?: Pick<
    BudgetReport,
    | "toolOutputsElided"
    | "reasoningDropped"
    | "exchangesDropped"
    | "messagesDropped"
    | "userMessagesDropped"
    | "overBudget"
  >;
}

/** What {@linkcode fitReport} returns. */
export interface FitReport {
  /** The session's estimated tokens as it is (the generic heuristic). */
  tokens: number;
  /** How the tokens were counted. */
  estimator: "heuristic";
  /** One entry per writable target (the session's own agent left out). */
  targets: TargetFit[];
}

/**
 * Estimates how a session fits every agent casr can write.
 *
 * @param session The session.
 * @param targets The targets to report on.
 * @returns The estimate for the session and for each target.
 *
 * @example A short session fits everywhere
 * ```ts
 * import { fitReport } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const report = fitReport({
 *   id: "s", provider: "codex", metadata: {},
 *   messages: [{ index: 0, role: "user", text: "hi", toolCalls: [], toolResults: [] }],
 * });
 * assert.ok(report.targets.every((t) => t.fits));
 * ```
 */
export function fitReport(
  session: Session,
  targets: readonly Provider[] = PROVIDERS.filter((p) => !p.readOnly && p.id !== session.provider),
): FitReport {
  // One session, counted for every target: each long text is scanned once.
  const counter = heuristicCounter();
  const count = (text: string): number => counter(text, "generic");
  let tokens = 0;
  for (const m of session.messages) tokens += messageTokens(m, count);
  const out: TargetFit[] = [];
  for (const target of targets) {
    const facts = contextWindowFor(target.id);
    const budget = facts.window - facts.reserve;
    const prepared = prepareForTarget(session, {
      name: target.name,
      ...(target.carries === undefined ? {} : { carries: target.carries }),
    }).session;
    const family = (text: string): number => counter(text, facts.family);
    const result = budgetSession(prepared, {
      maxContextTokens: budget,
      count: family,
      targetName: target.name,
    });
    const r = result.report;
    const fit: TargetFit = {
      target: target.id,
      window: facts.window,
      budget,
      tokens: r.tokensBefore,
      fits: r.tokensBefore <= budget,
    };
    if (!fit.fits) {
      fit.cut = {
        toolOutputsElided: r.toolOutputsElided,
        reasoningDropped: r.reasoningDropped,
        exchangesDropped: r.exchangesDropped,
        messagesDropped: r.messagesDropped,
        userMessagesDropped: r.userMessagesDropped,
        overBudget: r.overBudget,
      };
    }
    out.push(fit);
  }
  return { tokens, estimator: "heuristic", targets: out };
}
