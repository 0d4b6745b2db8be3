/**
 * Grok Build storage locations: `<GROK_HOME or ~/.grok>/sessions/<encoded cwd>/<session id>/`.
 *
 * @module
 */
import * as nodePath from "node:path";
import { createHash } from "node:crypto";
import type { ProviderContext } from "../types.ts";

/** The environment variable that moves the Grok home (documented in the user guide). */
export const GROK_ENV_VARS = ["GROK_HOME"] as const;

/** The longest group folder name Grok writes before switching to a slug and hash. */
export const MAX_GROUP_BYTES = 255;

/**
 * The Grok home: `GROK_HOME` if set, else `<home>/.grok`.
 *
 * @param ctx Where to look.
 * @returns The absolute home directory.
 */
export function grokHome(ctx: ProviderContext): string {
  const value = ctx.env.GROK_HOME;
  if (value !== undefined && value.trim() !== "") return nodePath.resolve(value);
  return nodePath.join(ctx.homeDir, ".grok");
}

/**
 * The folder holding one group folder per working directory.
 *
 * @param ctx Where to look.
 * @returns `<home>/sessions`.
 */
export function grokSessionsDir(ctx: ProviderContext): string {
  return nodePath.join(grokHome(ctx), "sessions");
}

/**
 * Percent-encodes a working directory the way Grok names its group folders:
 * every byte outside the RFC 3986 unreserved set (`A-Z a-z 0-9 - . _ ~`)
 * becomes `%XX` (upper-case hex), so `/home/dev/proj` gives `%2Fhome%2Fdev%2Fproj`.
 *
 * @param cwd The absolute working directory.
 * @returns The encoded name.
 *
 * @example A Unix path
 * ```ts
 * import { encodeCwd } from "./paths.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(encodeCwd("/tmp/my proj"), "%2Ftmp%2Fmy%20proj");
 * ```
 */
export function encodeCwd(cwd: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(cwd)) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch)
      ? ch
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * Decodes a group folder name back to the working directory, when it is a
 * plain percent-encoded one (not a long-path slug).
 *
 * @param name The group folder name.
 * @returns The directory, or `undefined`.
 */
export function decodeGroupName(name: string): string | undefined {
  if (!name.startsWith("%2F") && !/^[A-Za-z]%3A/.test(name)) return undefined;
  try {
    return decodeURIComponent(name);
  } catch {
    return undefined;
  }
}

/**
 * The group folder name for a working directory: the encoded path, or, when
 * that is longer than 255 bytes, the first 200 encoded characters, `-` and 16
 * hex digits of its SHA-256 (casr's scheme; Grok's own slug is undocumented,
 * so the `.cwd` file in the group carries the real path).
 *
 * @param cwd The absolute working directory.
 * @returns The name and whether it is a slug that needs a `.cwd` file.
 */
export function groupNameFor(cwd: string): { name: string; hashed: boolean } {
  const encoded = encodeCwd(cwd);
  if (encoded.length <= MAX_GROUP_BYTES) return { name: encoded, hashed: false };
  const hash = createHash("sha256").update(cwd).digest("hex").slice(0, 16);
  return { name: `${encoded.slice(0, 200)}-${hash}`, hashed: true };
}
