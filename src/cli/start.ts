/**
 * How an entry point starts casr in a process: `cli.ts` (the module graph) and
 * `cli/casr.ts` (the bundle, see `scripts/bundle.ts`) differ only in how they
 * load the command line. This module loads nothing else, so that
 * `casr --version` answers without the rest.
 *
 * @module
 */
import type { run } from "./app.ts";
import type { processIo } from "./io.ts";
import { EXIT, VERSION } from "./version.ts";

/** How an entry point loads the command line and the process's IO. */
export interface CliModules {
  /** Loads `src/cli/app.ts`. */
  app(): Promise<{ run: typeof run }>;
  /** Loads `src/cli/io.ts`. */
  io(): Promise<{ processIo: typeof processIo }>;
}

/**
 * Runs casr with `args` against the real process and returns the exit status.
 * `--version` answers without loading the command line.
 *
 * @param args The arguments after the program name.
 * @param modules How to load the command line.
 * @returns 0 ok, 1 failure, 2 usage error.
 */
export async function runProcess(args: readonly string[], modules: CliModules): Promise<number> {
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    console.log(VERSION);
    return EXIT.ok;
  }
  const [{ processIo }, { run }] = await Promise.all([modules.io(), modules.app()]);
  return await run(args, processIo());
}

/**
 * Runs `main` with the process's arguments and sets the exit status, under
 * Deno, Node or Bun. A rejection no command awaited ends the process with one
 * line, never a stack trace.
 *
 * @param main What to run.
 * @returns When `main` is done.
 */
export async function startProcess(
  main: (args: readonly string[]) => Promise<number>,
): Promise<void> {
  globalThis.addEventListener?.("unhandledrejection", (event: Event) => {
    event.preventDefault();
    const reason = (event as Event & { reason?: unknown }).reason;
    const message = reason instanceof Error ? reason.message : String(reason);
    console.error(`error: ${message}`);
    exit(1);
  });
  // node:process loads only off Deno, so `casr --version` stays near bare Deno.
  const deno = (globalThis as { Deno?: { args: string[]; exitCode: number } }).Deno;
  if (deno) deno.exitCode = await main(deno.args);
  else {
    const { default: process } = await import("node:process");
    process.exitCode = await main(process.argv.slice(2));
  }
}

function exit(code: number): void {
  const deno = (globalThis as { Deno?: { exit(code: number): never } }).Deno;
  if (deno) deno.exit(code);
  else void import("node:process").then(({ default: process }) => process.exit(code));
}
