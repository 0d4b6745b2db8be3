/**
 * The casr command line.
 *
 * ```sh
 * deno run -A jsr:@casr/cli list
 * ```
 *
 * @module
 */
import type { CliIo, ExecOptions } from "./src/cli/io.ts";
import type { PickerTerminal } from "./src/cli/picker.ts";
import type { ProviderContext } from "./mod.ts";
import { EXIT, VERSION } from "./src/cli/version.ts";

export { EXIT, VERSION };
export type { CliIo, ExecOptions, PickerTerminal, ProviderContext };

// Held in constants, not written into import(): Deno loads a literal dynamic
// import's whole graph at start-up, which would make `casr --version` pay for
// everything. `deno compile` is told to include them (scripts/compile.ts).
const APP = "./src/cli/app.ts";
const IO = "./src/cli/io.ts";

/**
 * Runs casr with `args` (without the program name) and returns the exit
 * status; it never exits the process. The command line loads on first use.
 *
 * @param args The arguments.
 * @param io Where to write.
 * @param ctx The provider context; the process's by default.
 * @returns 0 on success, 1 on failure, 2 on a usage error.
 */
export async function run(
  args: readonly string[],
  io: CliIo,
  ctx?: ProviderContext,
): Promise<number> {
  const app: typeof import("./src/cli/app.ts") = await import(APP);
  return await app.run(args, io, ctx);
}

/**
 * Runs casr with the given arguments against the real process and returns the
 * exit status (it does not exit). `--version` answers without loading the rest.
 *
 * @param args The arguments after the program name.
 * @returns 0 ok, 1 failure, 2 usage error.
 */
export async function main(args: readonly string[]): Promise<number> {
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    console.log(VERSION);
    return EXIT.ok;
  }
  const { processIo }: typeof import("./src/cli/io.ts") = await import(IO);
  return await run(args, processIo());
}

if (import.meta.main) {
  // A last net for a rejection no command awaited: one line, no stack trace.
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
