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
import { runProcess, startProcess } from "./src/cli/start.ts";

export { EXIT, VERSION };
export type { CliIo, ExecOptions, PickerTerminal, ProviderContext };

// Held in constants, not written into import(): Deno loads a literal dynamic
// import's whole graph at start-up, which would make `casr --version` pay for
// everything. (The bundle and the binaries start from cli/casr.ts instead.)
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
export function main(args: readonly string[]): Promise<number> {
  return runProcess(args, { app: () => import(APP), io: () => import(IO) });
}

if (import.meta.main) await startProcess(main);
