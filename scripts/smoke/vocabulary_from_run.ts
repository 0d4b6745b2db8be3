/**
 * Recomputes the tool-vocabulary shares of a saved smoke run without running anything: for each
 * cell of `<run>/matrix.json`, the request in the cell's `requests.jsonl` that carries the
 * matrix prompt gives the history and the declared tools, as in the live matrix.
 *
 * Usage: `deno run -A scripts/smoke/vocabulary_from_run.ts <run dir>` prints one line per cell
 * (`--below` only the cells under 90% on the mapped share) and the totals.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { cliByName } from "./clis.ts";
import { MATRIX_PROMPT } from "./matrix.ts";
import type { RecordedRequest } from "./mock_server.ts";
import {
  formatShare,
  isBelow,
  type MappedShare,
  mappedShareOf,
  totalShare,
  type VocabularyShare,
  vocabularyShare,
} from "./vocabulary_share.ts";
import { offeredToolNames } from "./wire_replies.ts";

/** One cell's shares, recomputed. */
export interface CellShares {
  /** `source.scenario__target`. */
  cell: string;
  /** The cell's verdict in the run. */
  status: string;
  /** All history calls. */
  all: VocabularyShare;
  /** Calls with an equivalent in both families; absent when a family is unknown. */
  mapped?: MappedShare;
}

/**
 * Recomputes one cell's shares from its saved requests.
 *
 * @param requestsJsonl The cell's `requests.jsonl` text.
 * @param source The source provider.
 * @param target The target provider.
 * @returns The shares, or `undefined` when no request carried the prompt.
 */
export function sharesFromRequests(
  requestsJsonl: string,
  source: string,
  target: string,
): Omit<CellShares, "cell" | "status"> | undefined {
  const cli = cliByName(target);
  for (const line of requestsJsonl.split("\n")) {
    if (line.trim() === "") continue;
    const request = JSON.parse(line) as RecordedRequest;
    if (request.kind !== "turn") continue;
    const history = cli.historyFromRequest(request.body);
    if (!history.some((turn) => turn.role === "user" && turn.text.includes(MATRIX_PROMPT))) {
      continue;
    }
    const offered = offeredToolNames(cli.wire, request.body);
    const mapped = mappedShareOf(history, offered, source, target);
    return {
      all: vocabularyShare(history, offered),
      ...(mapped === undefined ? {} : { mapped }),
    };
  }
  return undefined;
}

interface SavedCell {
  source: string;
  scenario: string;
  target: string;
  status: string;
}

/**
 * Recomputes every cell of a saved run.
 *
 * @param runDir The run folder (holds `matrix.json` and one folder per cell).
 * @returns One entry per cell that has a carrying request, in the run's order.
 */
export async function sharesOfRun(runDir: string): Promise<CellShares[]> {
  const matrix = JSON.parse(await Deno.readTextFile(`${runDir}/matrix.json`)) as {
    cells: SavedCell[];
  };
  const out: CellShares[] = [];
  for (const saved of matrix.cells) {
    const cell = `${saved.source}.${saved.scenario}__${saved.target}`;
    let text: string;
    try {
      text = await Deno.readTextFile(`${runDir}/${cell}/requests.jsonl`);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    const shares = sharesFromRequests(text, saved.source, saved.target);
    if (shares !== undefined) out.push({ cell, status: saved.status, ...shares });
  }
  return out;
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { below: { type: "boolean", default: false } },
    allowPositionals: true,
  });
  const runDir = positionals[0];
  if (runDir === undefined) {
    console.error("Usage: vocabulary_from_run.ts [--below] <run dir>");
    return 2;
  }
  const cells = await sharesOfRun(runDir);
  const below = cells.filter((cell) => cell.mapped !== undefined && isBelow(cell.mapped, 0.9));
  for (const cell of values.below ? below : cells) {
    const mapped = cell.mapped === undefined ? "-" : formatShare(cell.mapped);
    const missing = cell.mapped?.undeclared.length ? ` undeclared: ${cell.mapped.undeclared}` : "";
    console.log(
      `${cell.status.padEnd(4)} ${cell.cell}: all ${
        formatShare(cell.all)
      }, mapped ${mapped}${missing}`,
    );
  }
  const all = totalShare(cells.map((cell) => cell.all));
  const mapped = totalShare(cells.map((cell) => cell.mapped));
  console.log(`all calls: ${formatShare(all)} over ${all.cells} cell(s)`);
  console.log(
    `calls with an equivalent: ${formatShare(mapped)} over ${mapped.cells} cell(s); ` +
      `${below.length} cell(s) below 90%`,
  );
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
