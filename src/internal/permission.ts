/**
 * Turning a Deno permission refusal into a clear `permission-denied` error that
 * names the flag to add, instead of a silent "nothing found".
 *
 * @module
 */
import { CasrError } from "../errors.ts";

/**
 * Whether `error` is Deno refusing an operation for lack of a permission flag.
 *
 * @param error Anything thrown.
 * @returns Whether it is a permission refusal (`NotCapable`, or the older `PermissionDenied`).
 */
export function isNotCapable(error: unknown): boolean {
  const e = error as { name?: string; code?: unknown } | null;
  // Deno names an OS refusal (EACCES) PermissionDenied too, but gives it a code.
  return e?.name === "NotCapable" || (e?.name === "PermissionDenied" && e.code === undefined);
}

/**
 * Rethrows a Deno permission refusal as a `permission-denied` CasrError naming
 * the path and the flag; anything else is left to the caller.
 *
 * @param error Anything thrown.
 * @param path The path being accessed.
 * @param access `read` or `write`.
 * @throws {CasrError} `permission-denied` when `error` is a permission refusal.
 */
export function rethrowIfNotCapable(error: unknown, path: string, access: "read" | "write"): void {
  if (!isNotCapable(error)) return;
  throw new CasrError(
    "permission-denied",
    `Cannot ${access} "${path}": Deno was not given ${access} access there (run with --allow-${access}, or -A)`,
    { details: { path, flag: `--allow-${access}` }, cause: error },
  );
}
