/**
 * The casr command line.
 *
 * ```sh
 * deno run -A jsr:@casr/cli list
 * ```
 *
 * @module
 */
import process from "node:process";
import { run } from "./src/cli/app.ts";
import { processIo } from "./src/cli/io.ts";

export { EXIT, normalizeArgs, run, VERSION } from "./src/cli/app.ts";
export type { CliIo } from "./src/cli/io.ts";

/**
 * Runs casr with the given arguments against the real process and returns the
 * exit status (it does not exit).
 *
 * @param args The arguments after the program name.
 * @returns 0 ok, 1 failure, 2 usage error.
 */
export async function main(args: readonly string[]): Promise<number> {
  return await run(args, processIo());
}

if (import.meta.main) {
  // A last net for a rejection no command awaited: one line, no stack trace.
  globalThis.addEventListener?.("unhandledrejection", (event: Event) => {
    event.preventDefault();
    const reason = (event as Event & { reason?: unknown }).reason;
    const message = reason instanceof Error ? reason.message : String(reason);
    process.stderr.write(`error: ${message}\n`);
    process.exit(1);
  });
  const deno = (globalThis as { Deno?: { args: string[] } }).Deno;
  process.exitCode = await main(deno ? deno.args : process.argv.slice(2));
}
