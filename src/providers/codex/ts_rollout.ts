/**
 * The TypeScript Codex CLI's rollouts (spring 2025): one pretty-printed JSON
 * object per session, `~/.codex/sessions/rollout-<YYYY-MM-DD>-<uuid>.json`,
 * holding `session` (`{timestamp, id, instructions}`) and `items` (the
 * Responses API items of the conversation, without timestamps). Current Codex
 * no longer reads these files; casr reads them leniently.
 *
 * @module
 */
import * as nodePath from "node:path";
import { isRecord } from "../../internal/jsonl.ts";
import type { Warning } from "../../model/types.ts";
import type { HistoryBuilder } from "./history.ts";

/** A parsed TypeScript-era rollout. */
export interface TsRollout {
  /** `session_meta`-like facts: `id`, `timestamp`, `instructions`. */
  meta: Record<string, unknown>;
  /** The response items, in order. */
  items: Record<string, unknown>[];
}

/**
 * Parses a TypeScript-era rollout's text.
 *
 * @param text The file's text.
 * @returns The rollout, or `undefined` when the text is not one JSON object with an `items` array.
 */
export function parseTsRollout(text: string): TsRollout | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || !Array.isArray(value.items)) return undefined;
  const session = isRecord(value.session) ? value.session : {};
  const meta: Record<string, unknown> = {};
  for (const key of ["id", "timestamp", "instructions"]) {
    if (session[key] !== undefined && session[key] !== null) meta[key] = session[key];
  }
  return { meta, items: value.items.filter(isRecord) };
}

/**
 * Feeds a TypeScript-era rollout's items to a history builder.
 *
 * @param rollout The parsed rollout.
 * @param builder The builder.
 */
export function replayTsRollout(rollout: TsRollout, builder: HistoryBuilder): void {
  rollout.items.forEach((item, i) => builder.addItem(item, undefined, item, `item-${i}`));
}

/** The warning every TypeScript-era rollout read gets. */
export function tsRolloutWarning(file: string): Warning {
  return {
    code: "legacy-rollout-format",
    message: `Read "${
      nodePath.basename(file)
    }" as a TypeScript-era Codex rollout (one JSON object, no timestamps); Codex itself no longer reads this format`,
  };
}
