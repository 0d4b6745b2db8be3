/**
 * The one error class casr throws for conditions a caller may handle.
 *
 * @module
 */

/** Stable error kinds; `--json` output carries them as `error.code`. */
export type CasrErrorCode =
  | "session-not-found"
  | "ambiguous-session"
  | "unknown-provider"
  | "provider-unavailable"
  | "parse-failed"
  | "invalid-session"
  | "write-failed"
  | "read-only-target"
  | "conflict"
  | "verify-failed"
  | "permission-denied"
  | "usage";

/** Options for {@linkcode CasrError}. */
export interface CasrErrorOptions extends ErrorOptions {
  /** Structured facts about the failure, printed under `--json`. */
  details?: Record<string, unknown>;
}

/**
 * An error with a stable `code` and structured `details`.
 *
 * @example Usage
 * ```ts
 * import { CasrError } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const error = new CasrError("session-not-found", 'Cannot find session "abc"', {
 *   details: { id: "abc" },
 * });
 * assert.equal(error.toJSON().code, "session-not-found");
 * ```
 */
export class CasrError extends Error {
  /** The stable kind of failure. */
  readonly code: CasrErrorCode;
  /** Structured facts about the failure. */
  readonly details: Record<string, unknown>;

  /**
   * Creates an error.
   *
   * @param code The stable kind of failure.
   * @param message A sentence-case message without a final period.
   * @param options Details and cause.
   */
  constructor(code: CasrErrorCode, message: string, options: CasrErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CasrError";
    this.code = code;
    this.details = options.details ?? {};
  }

  /**
   * The JSON form printed by `--json`.
   *
   * @returns The code, message and details.
   */
  toJSON(): { code: CasrErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * The `parse-failed` error for a session casr cannot read:
 * `Cannot read session "<path>": <reason>`, with `details.path`.
 *
 * @param path The file (or session reference) that failed.
 * @param reason Why, in a few words without a final period.
 * @param options The underlying error, and facts to add to `details`.
 * @returns The error, to throw.
 *
 * @example Usage
 * ```ts
 * import { parseFailed } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const error = parseFailed("/s.jsonl", "file is empty");
 * assert.equal(error.message, 'Cannot read session "/s.jsonl": file is empty');
 * assert.deepEqual(error.toJSON().details, { path: "/s.jsonl" });
 * ```
 */
export function parseFailed(
  path: string,
  reason: string,
  options: { cause?: unknown; details?: Record<string, unknown> } = {},
): CasrError {
  return new CasrError("parse-failed", `Cannot read session "${path}": ${reason}`, {
    details: { path, ...options.details },
    cause: options.cause,
  });
}

/**
 * The error to throw when reading a session threw: a {@linkcode CasrError}
 * as it is, anything else as {@linkcode parseFailed} with its message.
 *
 * @param path The file that was being read.
 * @param error What was thrown.
 * @returns The error, to throw.
 */
export function readFailed(path: string, error: unknown): CasrError {
  if (error instanceof CasrError) return error;
  const reason = osReason(error) ?? (error instanceof Error ? error.message : String(error));
  return parseFailed(path, reason, { cause: error });
}

/** What the usual OS error codes mean, worded the same under Deno, Bun and Node. */
const OS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
  ELOOP: "too many symbolic links",
  EMFILE: "too many open files",
  EIO: "input/output error",
};

/** `ENOENT: no such file or directory` for an OS error with a known code. */
function osReason(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !Object.hasOwn(OS_REASONS, code)) return undefined;
  return `${code}: ${OS_REASONS[code]}`;
}
