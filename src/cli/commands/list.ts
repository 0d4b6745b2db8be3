/**
 * `casr list`: sessions across providers, in a table that fits the terminal.
 *
 * @module
 */
import { Option } from "commander";
import { CasrError, listSessions, type SessionSort, type SessionSummary } from "../../../mod.ts";
import { type Styles, stylesFor } from "../io.ts";
import { formatCount, oneLine, relativeTime, SCHEMA_VERSION, table } from "../render.ts";
import { progressLine } from "../progress.ts";
import {
  type AnyCommand,
  type CommandDeps,
  type GlobalFlags,
  parseNonNegativeInt,
} from "../command_kit.ts";

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
    return `${formatCount(total, "session")} found, none shown (--limit 0 counts only).\n`;
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
  const widths = header.map((h) => h.length);
  for (const row of fixed) {
    for (let i = 0; i < row.length; i++) {
      widths[i] = Math.max(widths[i] ?? 0, (row[i] as string).length);
    }
  }
  const used = widths.reduce((a, b) => a + b + 2, 0);
  const free = Math.max(17, options.columns - used);
  const wsWidth = Math.min(24, Math.max(7, Math.floor(free * 0.35)));
  const wsColumn = Math.max("WORKSPACE".length, wsWidth);
  const titleWidth = Math.max("TITLE".length, free - wsColumn - 2);
  // Many sessions share a workspace: label each one once.
  const labels = new Map<string | undefined, string>();
  const label = (workspace: string | undefined): string => {
    let text = labels.get(workspace);
    if (text === undefined) {
      labels.set(workspace, text = oneLine(workspaceLabel(workspace), wsWidth));
    }
    return text;
  };
  const rows = sessions.map((x, i) => [
    ...(fixed[i] as string[]),
    label(x.workspace),
    oneLine(x.title ?? "", titleWidth),
  ]);
  let text = table([...header, "WORKSPACE", "TITLE"], rows, s.bold);
  if (total > sessions.length) {
    text += s.dim(`… ${total - sessions.length} more (use --limit to see more)`) + "\n";
  }
  return text;
}

/** `--jsonl`: one line per session, made and written 500 lines at a time. */
function* jsonLines(sessions: readonly SessionSummary[]): Generator<string> {
  for (let start = 0; start < sessions.length; start += 500) {
    let chunk = "";
    for (const x of sessions.slice(start, start + 500)) {
      chunk += JSON.stringify({ schema_version: SCHEMA_VERSION, ...x }) + "\n";
    }
    yield chunk;
  }
}

function workspaceLabel(workspace: string | undefined): string {
  if (workspace === undefined) return "-";
  const parts = workspace.split(/[\\/]/).filter((p) => p !== "");
  return parts.at(-1) ?? workspace;
}

/**
 * Adds `list` to the program.
 *
 * @param program The program.
 * @param deps IO, context, outcome and log.
 */
export function registerList(program: AnyCommand, deps: CommandDeps): void {
  const { io, ctxFor, setOutcome, log } = deps;
  program
    .command("list")
    .description("list sessions of every installed agent, newest first")
    .option("-p, --provider <name>", "only this agent")
    .option("-w, --workspace <dir>", "only sessions in this directory or below")
    .option(
      "-l, --limit <n>",
      "show at most n sessions (0: only say how many there are)",
      parseNonNegativeInt("--limit"),
    )
    .addOption(
      new Option("--sort <order>", "sort order").choices(["date", "messages", "provider"] as const)
        .default("date" as const),
    )
    .option("--jsonl", "print one JSON object per session per line (for scripts and jq)")
    .option("--no-cache", "read every session file again instead of using the index cache")
    .action(async (flags, cmd) => {
      if (flags.jsonl && (cmd.optsWithGlobals() as GlobalFlags).json) {
        throw new CasrError(
          "usage",
          "Cannot use --json and --jsonl together: --json prints one document, --jsonl one line per session; pick one",
        );
      }
      const progress = progressLine(io.err, { isTty: io.errIsTty ?? false });
      const options: Parameters<typeof listSessions>[1] = {
        sort: flags.sort as SessionSort,
        cache: flags.cache,
        progress,
        log,
      };
      if (flags.provider !== undefined) options.provider = flags.provider;
      if (flags.workspace !== undefined) options.workspace = flags.workspace;
      if (flags.limit !== undefined) options.limit = flags.limit;
      log("info", "scanning session stores");
      const { sessions, total, problems } = await listSessions(ctxFor(), options)
        .finally(progress.stop);
      const styles = stylesFor(io, (cmd.optsWithGlobals() as GlobalFlags).color === false);
      for (const p of problems) io.err(`${styles.yellow("warning:")} ${p.message}\n`);
      setOutcome({
        command: "list",
        json: { total, count: sessions.length, sessions, problems },
        human: (s) =>
          flags.jsonl
            ? jsonLines(sessions)
            : renderList(sessions, total, s, { columns: io.columns ?? 80, now: Date.now() }),
      });
    });
}
