/**
 * The version and exit statuses: a module of its own so that `casr --version`
 * answers without loading the rest of casr.
 *
 * @module
 */

/** The version printed by `casr --version`. */
export const VERSION = "0.1.0";

/** Exit statuses. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
