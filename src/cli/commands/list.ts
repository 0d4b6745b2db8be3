/**
 * `casr list`: sessions across providers, in a table that fits the terminal.
 *
 * @module
 */
import type { SessionSummary } from "../../../mod.ts";
import type { Styles } from "../io.ts";
import { oneLine, relativeTime, table } from "../render.ts";

/** The shortest id prefix shown: like git, longer only where two ids share it. */
const MIN_ID = 8;

/**
 * The shortest prefix length (at least 8) that tells every id apart.
 *
 * @param ids The ids.
 * @returns The length.
 */
export function uniquePrefixLength(ids: readonly string[]): number {
  const sorted = [...ids].sort();
  let length = MIN_ID;
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as string;
    const b = sorted[i] as string;
    if (a === b) continue;
    let common = 0;
    while (common < a.length && a[common] === b[common]) common++;
    length = Math.max(length, common + 1);
  }
  return length;
}

/** Options for {@linkcode renderList}. */
export interface RenderListOptions {
  /** Terminal width. */
  columns: number;
  /** "Now", for relative times. */
  now: number;
}

/**
 * Renders sessions as a table that fits `columns`: short unique ids (any
 * unique prefix works as an argument), relative times, the workspace's last
 * folder and the title, cut to fit.
 *
 * @param sessions The sessions.
 * @param total How many matched before the limit.
 * @param s Styles.
 * @param options Width and time.
 * @returns The text.
 */
export function renderList(
  sessions: readonly SessionSummary[],
  total: number,
  s: Styles,
  options: RenderListOptions,
): string {
  if (sessions.length === 0) return "No sessions found.\n";
  const idLength = uniquePrefixLength(sessions.map((x) => x.id));
  const fixed = sessions.map((x) => [
    x.provider,
    x.id.slice(0, idLength),
    x.messageCount === undefined ? "-" : `${x.messageCountEstimated ? "~" : ""}${x.messageCount}`,
    relativeTime(x.lastActiveAt ?? x.startedAt, options.now),
  ]);
  const header = ["PROVIDER", "ID", "MSGS", "ACTIVE"];
  const widths = header.map((h, i) => Math.max(h.length, ...fixed.map((r) => (r[i] ?? "").length)));
  const used = widths.reduce((a, b) => a + b + 2, 0);
  const free = Math.max(17, options.columns - used);
  const wsWidth = Math.min(24, Math.max(7, Math.floor(free * 0.35)));
  const wsColumn = Math.max("WORKSPACE".length, wsWidth);
  const titleWidth = Math.max("TITLE".length, free - wsColumn - 2);
  const rows = sessions.map((x, i) => [
    ...(fixed[i] as string[]),
    oneLine(workspaceLabel(x.workspace), wsWidth),
    oneLine(x.title ?? "", titleWidth),
  ]);
  let text = table([...header, "WORKSPACE", "TITLE"], rows, s.bold);
  if (total > sessions.length) {
    text += s.dim(`… ${total - sessions.length} more (use --limit to see more)`) + "\n";
  }
  return text;
}

function workspaceLabel(workspace: string | undefined): string {
  if (workspace === undefined) return "-";
  const parts = workspace.split(/[\\/]/).filter((p) => p !== "");
  return parts.at(-1) ?? workspace;
}
