/**
 * What every command's registration shares: the dependencies it is given,
 * the outcome it hands back, and small helpers for flags and help text.
 *
 * @module
 */
import type { Command } from "commander";
import { CasrError, type Provider, type ProviderContext, PROVIDERS } from "../../mod.ts";
import type { CliIo, LogLevel, Styles } from "./io.ts";

/** Any commander command (the typed builder's generics are not needed here). */
// deno-lint-ignore no-explicit-any
export type AnyCommand = Command<any, any, any>;

/** What a command's registration needs. */
export interface CommandDeps {
  /** Where to write. */
  io: CliIo;
  /** The provider context. */
  ctxFor: () => ProviderContext;
  /** Hands the command's outcome to the printer. */
  setOutcome: (o: Outcome) => void;
  /** Logs at a level. */
  log: (level: LogLevel, text: string) => void;
}

/** The flags every command takes. */
export interface GlobalFlags {
  json?: boolean;
  verbose?: boolean;
  trace?: boolean;
  color?: boolean;
}

/** What a command hands the printer. */
export interface Outcome {
  command: string;
  json: Record<string, unknown>;
  human: (s: Styles) => string | Iterable<string>;
  /** A command to run once the output is printed (`resume --exec`). */
  exec?: { argv: string[]; cwd?: string; shell: string };
  /** The exit status, when not 0 (a cancelled picker). */
  status?: number;
}

/** Every agent id and alias. */
export const PROVIDER_NAMES: string[] = PROVIDERS.flatMap((p) => [p.id, ...p.aliases]);

/** The help of every `--source`: an agent (a path as <session> is then its file), or a file. */
export const SOURCE_HELP =
  "only look in this agent (a path given as <session> is read as its file); " +
  "or read this file, and <session> must then be the id of a session in it";

/**
 * Agents named once each, as `id (alias, alias)`: the aliases that differ
 * from the id, without repeats.
 *
 * @param providers The agents to name.
 * @returns The text.
 */
export function agentList(providers: readonly Provider[]): string {
  return providers.map((p) => {
    const aliases = [...new Set(p.aliases)].filter((a) => a !== p.id);
    return aliases.length === 0 ? p.id : `${p.id} (${aliases.join(", ")})`;
  }).join(", ");
}

/**
 * A parser for a flag that takes a whole number, 0 or more.
 *
 * @param name The flag, for the error.
 * @returns The parser.
 */
export function parseNonNegativeInt(name: string): (value: string) => number {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) {
      throw new CasrError("usage", `Cannot use ${name} "${value}": expected a whole number`);
    }
    return Number(value);
  };
}
