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
  return Math.max(MIN_ID, ...uniquePrefixLengths(ids).values());
}

/**
 * For each id, the shortest prefix (at least 8 characters) no other id shares.
 *
 * @param ids The ids.
 * @returns Each id's prefix length.
 */
export function uniquePrefixLengths(ids: readonly string[]): Map<string, number> {
  const sorted = [...new Set(ids)].sort();
  const lengths = new Map<string, number>();
  const common = (a: string, b: string): number => {
    let n = 0;
    while (n < a.length && a[n] === b[n]) n++;
    return n;
  };
  sorted.forEach((id, i) => {
    const before = i > 0 ? common(sorted[i - 1] as string, id) : 0;
    const after = i + 1 < sorted.length ? common(id, sorted[i + 1] as string) : 0;
    lengths.set(id, Math.min(id.length, Math.max(MIN_ID, before + 1, after + 1)));
  });
  return lengths;
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
  if (sessions.length === 0 && total > 0) {
    return `${total} session${total === 1 ? "" : "s"} found, none shown (--limit 0 counts only).\n`;
  }
  if (sessions.length === 0) return "No sessions found.\n";
  const idLengths = uniquePrefixLengths(sessions.map((x) => x.id));
  const fixed = sessions.map((x) => [
    x.provider,
    x.id.slice(0, idLengths.get(x.id) ?? x.id.length),
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
