/**
 * Id generators for new native sessions.
 *
 * @module
 */

/** A random lowercase UUIDv4. */
export function uuidV4(): string {
  return crypto.randomUUID();
}

/**
 * A UUIDv7: 48 bits of epoch milliseconds then random bits, so ids sort by time.
 *
 * @param now Epoch milliseconds to embed.
 * @returns The UUID string.
 */
export function uuidV7(now: number = Date.now()): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let ms = Math.max(0, Math.floor(now));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID in 8-4-4-4-12 hex form. */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/**
 * An ISO-8601 UTC timestamp with milliseconds, e.g. `2026-08-20T14:03:11.482Z`.
 *
 * @param ms Epoch milliseconds.
 * @returns The ISO string.
 */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * A UUIDv4-shaped id derived from a name: the same name always gives the same id.
 *
 * @param name Any string, e.g. `casr:codex:<source id>:claude-code`.
 * @returns The UUID string.
 */
export async function derivedUuid(name: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(name)),
  );
  const bytes = digest.slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}
