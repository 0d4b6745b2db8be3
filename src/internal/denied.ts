/**
 * Paths the operating system refused to read (mode, owner) while casr looked
 * for sessions. Listing and lookup skip what they cannot read instead of
 * failing; this module lets them say so afterwards instead of staying silent:
 * the low-level helpers note each refusal, and {@linkcode collectDenied}
 * gathers the notes of one operation (concurrent operations keep their own).
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { constants } from "node:fs";
import * as fsp from "node:fs/promises";
import * as nodePath from "node:path";

const notes = new AsyncLocalStorage<Set<string>>();

/**
 * Whether `error` is the operating system refusing access (`EACCES`, `EPERM`),
 * as opposed to Deno refusing for lack of a permission flag.
 *
 * @param error Anything thrown.
 * @returns Whether access was denied by the OS.
 *
 * @example
 * ```ts
 * import { isAccessDenied } from "./denied.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isAccessDenied(Object.assign(new Error("x"), { code: "EACCES" })), true);
 * assert.equal(isAccessDenied(Object.assign(new Error("x"), { code: "ENOENT" })), false);
 * ```
 */
export function isAccessDenied(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "EACCES" || code === "EPERM";
}

/**
 * Notes `path` as unreadable when `error` is an access refusal and an
 * operation is collecting; does nothing otherwise.
 *
 * @param error Anything thrown while reading `path`.
 * @param path The file or directory.
 */
export function noteDenied(error: unknown, path: string): void {
  if (isAccessDenied(error)) notes.getStore()?.add(path);
}

/**
 * Runs `fn` and returns what it returned with every path noted as unreadable meanwhile.
 *
 * @param fn The operation (a list, a lookup).
 * @returns Its value and the unreadable paths, sorted.
 *
 * @example
 * ```ts
 * import { collectDenied, noteDenied } from "./denied.ts";
 * import assert from "node:assert/strict";
 *
 * const { value, denied } = await collectDenied(async () => {
 *   noteDenied(Object.assign(new Error("no"), { code: "EACCES" }), "/s/b.jsonl");
 *   noteDenied(Object.assign(new Error("gone"), { code: "ENOENT" }), "/s/c.jsonl");
 *   return 1;
 * });
 * assert.equal(value, 1);
 * assert.deepEqual(denied, ["/s/b.jsonl"]);
 * ```
 */
export async function collectDenied<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; denied: string[] }> {
  const found = new Set<string>();
  const value = await notes.run(found, fn);
  const outer = notes.getStore();
  for (const path of found) outer?.add(path);
  return { value, denied: [...found].sort() };
}

/**
 * Runs `fn` without noting its refusals anywhere: for casr's own caches,
 * whose unreadable files cost only speed and hide no session.
 *
 * @param fn The operation.
 * @returns What it returned.
 */
export function ignoringDenied<T>(fn: () => Promise<T>): Promise<T> {
  return notes.run(new Set<string>(), fn);
}

/**
 * The part of `path` that refuses access: its first folder, from the top,
 * that cannot be entered; else `path` itself.
 *
 * @param path An unreadable file or folder.
 * @returns The folder to fix, or `path`.
 */
export async function refusingPart(path: string): Promise<string> {
  const parents: string[] = [];
  for (let at = nodePath.dirname(path); at !== nodePath.dirname(at); at = nodePath.dirname(at)) {
    parents.unshift(at);
  }
  for (const dir of parents) {
    try {
      await fsp.access(dir, constants.X_OK);
    } catch (error) {
      if (isAccessDenied(error)) return dir;
      break;
    }
  }
  return path;
}
