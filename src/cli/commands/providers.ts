/**
 * `casr providers`: which agents are installed and where they keep sessions.
 *
 * @module
 */
import { detectProviders, type ProviderStatus } from "../../../mod.ts";
import type { AnyCommand, CommandDeps } from "../command_kit.ts";
import type { Styles } from "../io.ts";
import { table } from "../render.ts";

/** Options for {@linkcode renderProviders}. */
export interface RenderProvidersOptions {
  /** The user's home directory, shown as `~` at the start of a path. */
  home?: string;
  /** Fit every line into this many columns (a terminal's width); absent means no limit. */
  columns?: number;
}

/**
 * `path` with the home directory written `~`.
 *
 * @param path An absolute path.
 * @param home The home directory.
 * @returns The shorter form.
 */
export function tildePath(path: string, home: string | undefined): string {
  if (home === undefined || home === "" || home === "/") return path;
  const base = home.replace(/[\\/]+$/, "");
  if (path === base) return "~";
  if (path.startsWith(base) && (path[base.length] === "/" || path[base.length] === "\\")) {
    return `~${path.slice(base.length)}`;
  }
  return path;
}

/** Cuts the middle out of `text` (marked `…`) so it is at most `width` characters. */
function cutMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width <= 1) return "…".slice(0, width);
  const keep = width - 1;
  const head = Math.ceil(keep / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

/**
 * Renders provider statuses: one line per agent, paths under the home written
 * `~`, and, with `columns`, the sessions root cut in the middle so each line fits.
 *
 * @param statuses The statuses.
 * @param s Styles.
 * @param options The home directory and the width to fit.
 * @returns The text.
 */
export function renderProviders(
  statuses: readonly ProviderStatus[],
  s: Styles,
  options: RenderProvidersOptions = {},
): string {
  const header = ["PROVIDER", "ALIASES", "TARGET", "FOUND", "BINARY", "SESSIONS ROOT"];
  const fixed = statuses.map((p) => [
    p.id,
    p.aliases.join(","),
    p.canWrite ? "yes" : "no",
    p.detection.installed ? "yes" : "no",
    p.detection.binaryPath === undefined
      ? "-"
      : `${p.binary}${p.detection.version === undefined ? "" : ` ${p.detection.version}`}`,
  ]);
  const used = header.slice(0, -1).reduce(
    (sum, h, i) => sum + Math.max(h.length, ...fixed.map((r) => (r[i] ?? "").length)) + 2,
    0,
  );
  const room = options.columns === undefined
    ? Infinity
    : Math.max("SESSIONS ROOT".length, options.columns - used);
  const rows = statuses.map((p, i) => {
    const found = p.detection.roots[0];
    const path = tildePath(found ?? p.roots[0] ?? "-", options.home);
    // FOUND "no" already says the root is missing; only a binary without a root needs saying.
    const suffix = found === undefined && p.detection.installed ? " (missing)" : "";
    const root = path.length + suffix.length <= room
      ? path + suffix
      : cutMiddle(path, Math.max(1, room - suffix.length)) + suffix;
    return [...(fixed[i] as string[]), root];
  });
  return table(header, rows, s.bold);
}

/**
 * Adds `providers` to the program.
 *
 * @param program The program.
 * @param deps IO, context, outcome and log.
 */
export function registerProviders(program: AnyCommand, deps: CommandDeps): void {
  const { io, ctxFor, setOutcome } = deps;
  program
    .command("providers")
    .description("show which agents are installed and where their sessions live")
    .option("--no-version", "do not run the agents' binaries to ask their versions")
    .action(async (flags) => {
      const statuses = await detectProviders(ctxFor(), { version: flags.version !== false });
      setOutcome({
        command: "providers",
        json: { providers: statuses },
        human: (s) =>
          renderProviders(statuses, s, {
            home: ctxFor().homeDir,
            // Fit a terminal (or a width the user set); a pipe gets whole lines.
            ...(io.isTty || io.env.COLUMNS ? { columns: io.columns ?? 80 } : {}),
          }),
      });
    });
}
