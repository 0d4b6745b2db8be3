/**
 * `casr providers`: which agents are installed and where they keep sessions.
 *
 * @module
 */
import type { ProviderStatus } from "../../../mod.ts";
import type { Styles } from "../io.ts";
import { table } from "../render.ts";

/**
 * Renders provider statuses.
 *
 * @param statuses The statuses.
 * @param s Styles.
 * @returns The text.
 */
export function renderProviders(statuses: readonly ProviderStatus[], s: Styles): string {
  const rows = statuses.map((p) => [
    p.id,
    p.aliases.join(","),
    p.canWrite ? "yes" : "no",
    p.detection.installed ? "yes" : "no",
    p.detection.binaryPath === undefined
      ? "-"
      : `${p.binary}${p.detection.version === undefined ? "" : ` ${p.detection.version}`}`,
    p.detection.roots[0] ?? `${p.roots[0] ?? "-"} (missing)`,
  ]);
  return table(["PROVIDER", "ALIASES", "TARGET", "FOUND", "BINARY", "SESSIONS ROOT"], rows, s.bold);
}
