/**
 * The casr command line, as its own package: `deno run -A jsr:@casr/cli list`.
 *
 * All the code lives in `@casr/core/cli`; this package only runs it.
 *
 * @module
 */
import { main } from "@casr/core/cli";

export { main };

if (import.meta.main) {
  const deno = (globalThis as { Deno?: { args: string[]; exitCode: number } }).Deno;
  if (deno) deno.exitCode = await main(deno.args);
}
