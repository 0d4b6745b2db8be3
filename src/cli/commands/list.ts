/**
 * `casr list`: sessions across providers.
 *
 * @module
 */
import type { SessionSummary } from "../../../mod.ts";
import type { Styles } from "../io.ts";
import { formatTime, oneLine, table } from "../render.ts";

/**
 * Renders sessions as a table.
 *
 * @param sessions The sessions.
 * @param total How many matched before the limit.
 * @param s Styles.
 * @returns The text.
 */
export function renderList(sessions: readonly SessionSummary[], total: number, s: Styles): string {
  if (sessions.length === 0) return "No sessions found.\n";
  const rows = sessions.map((x) => [
    x.provider,
    x.id,
    x.messageCount === undefined ? "-" : String(x.messageCount),
    formatTime(x.lastActiveAt ?? x.startedAt),
    x.workspace ?? "-",
    oneLine(x.title ?? "", 60),
  ]);
  let text = table(
    ["PROVIDER", "ID", "MSGS", "LAST ACTIVE (UTC)", "WORKSPACE", "TITLE"],
    rows,
    s.bold,
  );
  if (total > sessions.length) {
    text += s.dim(`… ${total - sessions.length} more (use --limit to see more)`) + "\n";
  }
  return text;
}
