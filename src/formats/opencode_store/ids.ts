/**
 * OpenCode identifiers (Kilo CLI 7.x uses the same): `<prefix>_` + 12 hex digits + 14 base62 characters.
 * The hex part is the low 48 bits of `epoch ms × 4096 + counter` (confirmed on
 * ids written by 1.18.33), bitwise inverted for sessions so newer sessions
 * sort first; messages and parts sort ascending, and OpenCode orders a
 * message's parts by id.
 *
 * @module
 */

const MASK = (1n << 48n) - 1n;
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Whether `id` looks like an OpenCode session id (`ses_…`). */
export function isSessionId(id: string): boolean {
  return /^ses_[0-9a-f]{12}[0-9A-Za-z]{14}$/.test(id);
}

function base62(bytes: Uint8Array, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE62[(bytes[i % bytes.length] ?? 0) % 62];
  return out;
}

function hex12(value: bigint): string {
  return (value & MASK).toString(16).padStart(12, "0");
}

/** Generates ascending ids of one kind, strictly increasing across calls. */
export class AscendingIds {
  private last = -1n;

  /**
   * Creates a generator.
   *
   * @param prefix `msg` or `prt`.
   */
  constructor(private readonly prefix: string) {}

  /**
   * The next id, for a record created at `ms`.
   *
   * @param ms Epoch milliseconds.
   * @returns A new id greater than every earlier one.
   */
  next(ms: number): string {
    let value = BigInt(Math.max(0, Math.floor(ms))) * 4096n + 1n;
    if (value <= this.last) value = this.last + 1n;
    this.last = value;
    const random = crypto.getRandomValues(new Uint8Array(14));
    return `${this.prefix}_${hex12(value)}${base62(random, 14)}`;
  }
}

/**
 * A session id derived from a name (the pipeline's derived session UUID) and
 * the flavor's salt, so
 * converting the same session twice gives the same id, which the pipeline
 * detects as a conflict. Every character comes from the name's SHA-256 (a
 * time-based hex part would change when a source without timestamps gets
 * them filled with "now"); OpenCode lists sessions by update time, not by id.
 *
 * @param name The pipeline's session id (any string).
 * @param salt The flavor's salt (`opencode`, `kilo`).
 * @returns A `ses_…` id.
 */
export async function derivedSessionId(name: string, salt: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${salt}:${name}`)),
  );
  const hex = Array.from(digest.subarray(0, 6), (b) => b.toString(16).padStart(2, "0")).join("");
  return `ses_${hex}${base62(digest.subarray(6), 14)}`;
}

/**
 * A short readable slug (`calm-canyon` style) derived from an id.
 *
 * @param id Any id.
 * @returns Two words joined by a hyphen.
 */
export function slugFor(id: string): string {
  const adjectives = ["calm", "bright", "quiet", "swift", "gentle", "bold", "clever", "lucky"];
  const nouns = ["canyon", "harbor", "meadow", "river", "forest", "comet", "garden", "island"];
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `${adjectives[h % adjectives.length]}-${nouns[(h >>> 8) % nouns.length]}`;
}
