/**
 * `casr search <text…>`: full-text search over every agent's sessions.
 *
 * @module
 */
import { type Command, Option } from "commander";
import {
  CasrError,
  type ProviderContext,
  SEARCH_ROLES,
  type SearchHit,
  type SearchResult,
  type SearchRole,
  searchSessions,
} from "../../../mod.ts";
import type { CliIo, LogLevel, Styles } from "../io.ts";
import { formatCount, formatTime, oneLine, SCHEMA_VERSION } from "../render.ts";
import { progressLine } from "../progress.ts";
import { uniquePrefixLengths } from "./list.ts";

const UNITS: Record<string, number> = {
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/**
 * Reads a `--since`/`--until` value: a duration back from now (`30m`, `12h`,
 * `7d`, `2w`) or an ISO date or date-time. A bare date given to `--until`
 * means the end of that day (UTC).
 *
 * @param flag The flag's name, for the error.
 * @param value The value.
 * @param now "Now", epoch ms.
 * @returns Epoch ms.
 * @throws {CasrError} `usage` when it is neither.
 */
export function parseTimeBound(flag: "--since" | "--until", value: string, now: number): number {
  const trimmed = value.trim();
  const ago = /^(\d+)\s*(min|m|h|d|w)$/i.exec(trimmed);
  if (ago) return now - Number(ago[1]) * (UNITS[(ago[2] as string).toLowerCase()] ?? 0);
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    const day = Date.parse(`${trimmed}T00:00:00Z`);
    if (!Number.isNaN(day)) return flag === "--until" ? day + 86_400_000 - 1 : day;
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    const time = Date.parse(trimmed);
    if (!Number.isNaN(time)) return time;
  }
  throw new CasrError(
    "usage",
    `Cannot use ${flag} "${value}": expected a time back from now such as 30m, 12h, 7d or 2w, or a date such as 2026-12-01`,
    { details: { flag, value } },
  );
}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) === 0) {
    throw new CasrError("usage", `Cannot use --limit "${value}": expected a whole number above 0`);
  }
  return Number(value);
}

function collectAgents(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(",").map((v) => v.trim()).filter((v) => v !== "")];
}

/**
 * A snippet cut to `width` characters around its first match, with the
 * matched stretches bold and coloured.
 */
function highlight(hit: SearchHit, s: Styles, width: number): string {
  let text = hit.snippet;
  let shift = 0;
  if (text.length > width) {
    const first = hit.highlights[0]?.[0] ?? 0;
    const start = Math.max(0, Math.min(first - Math.floor(width / 3), text.length - width));
    const end = start + width;
    text = `${start > 0 ? "…" : ""}${text.slice(start, end)}${end < hit.snippet.length ? "…" : ""}`;
    shift = start > 0 ? start - 1 : 0;
  }
  let out = "";
  let at = 0;
  for (const [a, b] of hit.highlights) {
    const start = Math.max(at, a - shift);
    const end = Math.min(text.length, b - shift);
    if (end <= start) continue;
    out += text.slice(at, start) + s.bold(s.yellow(text.slice(start, end)));
    at = end;
  }
  return out + text.slice(at);
}

/**
 * Renders results: a line per session (agent, short id, last activity, title)
 * and its snippet below, matches in bold on a terminal.
 *
 * @param result The search result.
 * @param s Styles.
 * @param columns Terminal width.
 * @returns The text.
 */
export function renderSearch(result: SearchResult, s: Styles, columns: number): string {
  if (result.results.length === 0) {
    return `No session matches ${JSON.stringify(result.query)}` +
      ` (${formatCount(result.index.sessions, "session")} searched).\n`;
  }
  const lengths = uniquePrefixLengths(result.results.map((r) => r.id));
  const agentWidth = Math.max(...result.results.map((r) => r.provider.length));
  const lines = result.results.map((r) => {
    const id = r.id.slice(0, lengths.get(r.id) ?? r.id.length);
    const head = `${r.provider.padEnd(agentWidth)}  ${id}  ${
      formatTime(r.lastActiveAt ?? r.startedAt)
    }  `;
    const title = oneLine(r.title ?? "", Math.max(10, columns - head.length));
    return `${s.cyan(r.provider.padEnd(agentWidth))}  ${s.bold(id)}  ${
      formatTime(r.lastActiveAt ?? r.startedAt)
    }  ${title}\n    ${s.dim(`${r.field}:`)} ${
      highlight(r, s, Math.max(20, columns - 8 - r.field.length))
    }\n`;
  });
  const more = result.total > result.results.length
    ? `, ${result.results.length} shown (use --limit to see more)`
    : "";
  return lines.join("") +
    s.dim(
      `${formatCount(result.total, "matching session")}${more}. ` +
        `Resume one with: casr <target> resume <id>\n`,
    );
}

/** What the command needs from the program that registers it. */
export interface SearchCommandDeps {
  /** Where to write. */
  io: CliIo;
  /** The provider context. */
  ctxFor: () => ProviderContext;
  /** Hands the outcome to the printer. */
  setOutcome: (o: {
    command: string;
    json: Record<string, unknown>;
    human: (s: Styles) => string;
  }) => void;
  /** Logs at a level. */
  log: (level: LogLevel, text: string) => void;
}

/**
 * Adds `search` to the program.
 *
 * @param program The program.
 * @param deps IO, context and outcome.
 */
export function addSearchCommand(
  // deno-lint-ignore no-explicit-any
  program: Command<any, any, any>,
  deps: SearchCommandDeps,
): void {
  const { io } = deps;
  program
    .command("search")
    .description("search the text of every agent's sessions, best matches first")
    .argument("<text...>", 'words (each matches as a prefix) and "exact phrases"; all must match')
    .option(
      "-a, --agent <alias>",
      "only this agent (repeat, or a comma list)",
      collectAgents,
    )
    .option("-w, --workspace <dir>", "only sessions in this directory or below")
    .option("--since <when>", "only sessions active since: 30m, 12h, 7d, 2w or a date")
    .option("--until <when>", "only sessions active until: 30m, 12h, 7d, 2w or a date")
    .addOption(
      new Option("--role <role>", "only text of this role (tool: tool names and inputs)")
        .choices(SEARCH_ROLES),
    )
    .option("-l, --limit <n>", "show at most n sessions (default 20)", positiveInt)
    .option("--jsonl", "print one JSON object per result per line (for scripts and jq)")
    .addHelpText(
      "after",
      `
A bare word matches words that start with it (conv finds conversation); quote
a phrase to match it exactly. Case and accents do not matter (resume finds
résumé); Chinese, Japanese and Korean text matches inside sentences.
The index lives beside the list cache and is updated from new and changed
session files on every search.

Examples:
  casr search flaky test               sessions that mention both words
  casr search '"exact phrase"'         the words in this order
  casr search docker --agent cc,codex  only Claude Code and Codex sessions
  casr search migration --since 7d     sessions active in the last week
  casr search rm --role tool           tool calls whose input mentions rm
  casr search 部署 --jsonl | jq .id    one JSON result per line`,
    )
    .action(async (words: string[], flags) => {
      const now = Date.now();
      const isTty = io.errIsTty ?? false;
      // One line while listing, another while indexing; each shows once the search has run 1 s.
      let progress = progressLine(io.err, { isTty });
      const options: Parameters<typeof searchSessions>[2] = {
        progress,
        indexProgress: () => {
          progress.stop();
          progress = progressLine(io.err, {
            isTty,
            label: "indexing sessions",
            delayMs: Math.max(0, 1000 - (Date.now() - now)),
          });
          return progress;
        },
        notice: (line) => io.err(`${line}\n`),
      };
      if (flags.agent !== undefined) options.agents = flags.agent;
      if (flags.workspace !== undefined) options.workspace = flags.workspace;
      if (flags.since !== undefined) options.since = parseTimeBound("--since", flags.since, now);
      if (flags.until !== undefined) options.until = parseTimeBound("--until", flags.until, now);
      if (flags.role !== undefined) options.role = flags.role as SearchRole;
      if (flags.limit !== undefined) options.limit = flags.limit;
      deps.log("info", "updating the search index");
      const result = await searchSessions(deps.ctxFor(), words.join(" "), options)
        .finally(() => progress.stop());
      deps.log(
        "info",
        `index: ${result.index.sessions} sessions, ${result.index.read} read, ${result.index.removed} removed`,
      );
      deps.setOutcome({
        command: "search",
        json: { ...result } as unknown as Record<string, unknown>,
        human: (s) =>
          flags.jsonl
            ? result.results.map((r) =>
              JSON.stringify({ schema_version: SCHEMA_VERSION, ...r }) + "\n"
            ).join("")
            : renderSearch(result, s, io.columns ?? 80),
      });
    });
}
