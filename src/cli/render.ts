/**
 * Human rendering helpers: tables, times, sizes.
 *
 * @module
 */

/** The `--json` schema version printed by every command. */
export const SCHEMA_VERSION = 1;

/**
 * Formats epoch ms as `YYYY-MM-DD HH:MM` UTC, or `-`.
 *
 * @param ms Epoch ms.
 * @returns The text.
 */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return "-";
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

/**
 * Formats a time relative to `now`: `just now`, `5m ago`, `3h ago`, `2d ago`,
 * `4mo ago`, `2y ago` (future times read `soon`).
 *
 * @param ms Epoch ms.
 * @param now "Now", epoch ms.
 * @returns The text, or `-`.
 */
export function relativeTime(ms: number | undefined, now: number): string {
  if (ms === undefined) return "-";
  const seconds = Math.round((now - ms) / 1000);
  if (seconds < -60) return "soon";
  if (seconds < 60) return "just now";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  const days = Math.floor(hours / 24);
  if (days < 60) return `${days}d ago`;
  const months = Math.floor(days / 30.44);
  if (months < 24) return `${months}mo ago`;
  return `${Math.floor(days / 365.25)}y ago`;
}

/**
 * Formats a byte count as `12.3 KB`.
 *
 * @param bytes The size.
 * @returns The text.
 */
export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return "-";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Cuts text to one line of at most `width` characters.
 *
 * @param text The text.
 * @param width The maximum width.
 * @returns The cut text, with `…` when cut.
 */
export function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > width ? `${flat.slice(0, Math.max(0, width - 1))}…` : flat;
}

/**
 * Lays out rows as aligned columns (the last column is not padded).
 *
 * @param header Column titles.
 * @param rows Cell texts.
 * @param style Applied to the header line.
 * @returns The table, one line per row, ending with a newline.
 */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  style: (text: string) => string = (t) => t,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ")
      .trimEnd();
  return [style(line(header)), ...rows.map(line)].join("\n") + "\n";
}
