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
