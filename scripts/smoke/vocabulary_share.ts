/**
 * How many of the history tool calls a resumed CLI sent carry the name of a tool that CLI
 * declared in the same request: a model sees calls to tools it knows only when the converted
 * session speaks the target's tool vocabulary.
 *
 * @module
 */

import { getProvider } from "../../mod.ts";
import {
  decodeToolCall,
  TOOL_FAMILIES,
  type ToolOperation,
} from "../../src/formats/tool_vocabulary.ts";
import { isRecord } from "../../src/formats/tool_vocabulary_spec.ts";
import type { ToolCall, Turn } from "./history.ts";

/** Tool calls in a request's history, and how many name a tool the request declares. */
export interface VocabularyShare {
  /** Tool calls in the history. */
  calls: number;
  /** Of those, calls whose name is among the declared tools. */
  declared: number;
}

/**
 * Counts the history's tool calls whose name the request declares.
 *
 * @param turns The request's history.
 * @param offered The tool names the request declares.
 * @returns The counts.
 */
export function vocabularyShare(
  turns: readonly Turn[],
  offered: readonly string[],
): VocabularyShare {
  const names = new Set(offered);
  let calls = 0;
  let declared = 0;
  for (const turn of turns) {
    for (const call of turn.toolCalls) {
      calls++;
      if (names.has(call.name)) declared++;
    }
  }
  return { calls, declared };
}

/** A share restricted to the calls whose operation both tool families have. */
export interface MappedShare extends VocabularyShare {
  /** The counted calls that name no declared tool, as `name (op)`, each once. */
  undeclared: string[];
}

function familyHas(family: string, op: ToolOperation, asTarget: boolean): boolean {
  return (TOOL_FAMILIES[family] ?? []).some((spec) =>
    spec.op === op && !(asTarget && spec.decodeOnly === true)
  );
}

/**
 * The operations a history call may be, by casr's vocabulary table: the one its input decodes
 * to in the target's family (a mapped call) or else the source's (a call kept as written);
 * when neither decodes, every operation a tool of that name has in either family, so a call
 * the table failed to read for its arguments still counts.
 *
 * @param call The call as the target sent it.
 * @param from The source's tool family.
 * @param to The target's tool family.
 * @returns The operations, empty when neither family has a tool of that name.
 */
export function callOperations(
  call: Pick<ToolCall, "name" | "input">,
  from: string,
  to: string,
): ToolOperation[] {
  // A target whose wire takes only objects carries a free-form input (a Codex `exec` script)
  // as `{ input }` (`toolInputObject`).
  const { input } = call;
  const inputs = isRecord(input) && Object.keys(input).length === 1 &&
      typeof input.input === "string"
    ? [input, input.input]
    : [input];
  for (const family of [to, from]) {
    if (!(family in TOOL_FAMILIES)) continue;
    for (const candidate of inputs) {
      const decoded = decodeToolCall(family, { name: call.name, input: candidate });
      if (decoded !== undefined) return [decoded.op];
    }
  }
  const ops = new Set<ToolOperation>();
  for (const family of [to, from]) {
    for (const spec of TOOL_FAMILIES[family] ?? []) if (spec.name === call.name) ops.add(spec.op);
  }
  return [...ops];
}

/**
 * Like {@linkcode vocabularyShare}, counting only the calls that have an equivalent: their
 * operation is one the source's family has a tool for and the target's family has a tool to
 * map to (not a read-only name).
 *
 * @param turns The request's history.
 * @param offered The tool names the request declares.
 * @param from The source's tool family (`carries.toolFamily`).
 * @param to The target's tool family.
 * @returns The counts and the counted calls that name no declared tool.
 */
export function mappedShare(
  turns: readonly Turn[],
  offered: readonly string[],
  from: string,
  to: string,
): MappedShare {
  const names = new Set(offered);
  const undeclared = new Set<string>();
  let calls = 0;
  let declared = 0;
  for (const turn of turns) {
    for (const call of turn.toolCalls) {
      const op = callOperations(call, from, to).find((candidate) =>
        familyHas(from, candidate, false) && familyHas(to, candidate, true)
      );
      if (op === undefined) continue;
      calls++;
      if (names.has(call.name)) declared++;
      else undeclared.add(`${call.name} (${op})`);
    }
  }
  return { calls, declared, undeclared: [...undeclared] };
}

/**
 * {@linkcode mappedShare} for a source and a target provider, through their tool families.
 *
 * @param turns The request's history.
 * @param offered The tool names the request declares.
 * @param source The source provider id.
 * @param target The target provider id.
 * @returns The share, or `undefined` when either provider has no tool family.
 */
export function mappedShareOf(
  turns: readonly Turn[],
  offered: readonly string[],
  source: string,
  target: string,
): MappedShare | undefined {
  const from = getProvider(source)?.carries?.toolFamily;
  const to = getProvider(target)?.carries?.toolFamily;
  if (from === undefined || to === undefined) return undefined;
  return mappedShare(turns, offered, from, to);
}

/**
 * Whether a share is below a fraction (a share without calls is not).
 *
 * @param share The counts.
 * @param fraction E.g. `0.9`.
 * @returns `true` when fewer than `fraction` of the calls are declared.
 */
export function isBelow(share: VocabularyShare, fraction: number): boolean {
  return share.calls > 0 && share.declared < fraction * share.calls;
}

/**
 * Renders a share, e.g. `3/3 (100%)`.
 *
 * @param share The counts.
 * @returns The text; `0/0` when the history has no tool call.
 */
export function formatShare(share: VocabularyShare): string {
  if (share.calls === 0) return "0/0";
  return `${share.declared}/${share.calls} (${Math.round((100 * share.declared) / share.calls)}%)`;
}

/**
 * Adds up the shares of several cells (cells without one are skipped).
 *
 * @param shares Per-cell shares.
 * @returns The total counts and how many cells had a share.
 */
export function totalShare(
  shares: readonly (VocabularyShare | undefined)[],
): VocabularyShare & { cells: number } {
  const total = { calls: 0, declared: 0, cells: 0 };
  for (const share of shares) {
    if (share === undefined) continue;
    total.calls += share.calls;
    total.declared += share.declared;
    total.cells++;
  }
  return total;
}
