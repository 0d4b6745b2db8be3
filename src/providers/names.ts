/**
 * The names a provider goes by, in one call, so that each provider object
 * opens with one line instead of four.
 *
 * @module
 */
import type { Provider } from "./types.ts";

/** The naming members of a {@linkcode Provider}. */
export type ProviderNames = Pick<Provider, "id" | "name" | "aliases" | "binary">;

/**
 * A provider's names.
 *
 * @param id The provider id (`--from`/`--to`, file names, cache keys).
 * @param name The name shown to users.
 * @param aliases Other names the command line accepts.
 * @param binary The agent's executable.
 * @returns The members, to spread into the provider object.
 *
 * @example
 * ```ts
 * import { providerNames } from "./names.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(providerNames("pi", "Pi", ["pi-coding-agent"], "pi"), {
 *   id: "pi",
 *   name: "Pi",
 *   aliases: ["pi-coding-agent"],
 *   binary: "pi",
 * });
 * ```
 */
export function providerNames(
  id: string,
  name: string,
  aliases: readonly string[],
  binary: string,
): ProviderNames {
  return { id, name, aliases, binary };
}
