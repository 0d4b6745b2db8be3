/**
 * Small pieces every session writer needs alike: the title it gives a written
 * session, the workspace's real path, and the session id it may use.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as nodePath from "node:path";
import { CasrError } from "../errors.ts";
import { isUuid } from "../internal/ids.ts";
import type { Session, Warning } from "../model/types.ts";
import { clipText } from "../model/normalize.ts";

/** Appended (once) to the title of a written session, where the target shows titles. */
export const TITLE_SUFFIX = " (via casr)";

/** The longest title a writer gives, in characters (a longer one ends in `…`). */
export const TITLE_MAX = 80;

const SUFFIXES = /(\s*\(via casr\))+$/;

function firstLine(text: string | undefined): string {
  return text?.trim().split("\n")[0]?.trim() ?? "";
}

/**
 * The title a writer gives a session: the first line of its title, else of
 * its first user message with text, else `Session <id>`; shortened to
 * {@linkcode TITLE_MAX} characters.
 *
 * @param session The session.
 * @param options `suffix`: end in {@linkcode TITLE_SUFFIX} (a suffix the title
 * already has is not doubled); `userFirst`: prefer the first user message to
 * the title.
 * @returns The title.
 *
 * @example Usage
 * ```ts
 * import { writtenTitle } from "./writing.ts";
 * import assert from "node:assert/strict";
 *
 * const session = { id: "s1", provider: "x", title: "Fix it (via casr)\nmore", metadata: {}, messages: [] };
 * assert.equal(writtenTitle(session, { suffix: true }), "Fix it (via casr)");
 * assert.equal(writtenTitle({ ...session, title: " " }), "Session s1");
 * ```
 */
export function writtenTitle(
  session: Session,
  options: { suffix?: boolean; userFirst?: boolean } = {},
): string {
  const title = firstLine(session.title);
  const user = firstLine(
    session.messages.find((m) => m.role === "user" && m.text.trim() !== "")?.text,
  );
  const base = (options.userFirst ? user || title : title || user) || `Session ${session.id}`;
  if (!options.suffix) return shorten(base);
  const bare = base.replace(SUFFIXES, "") || base;
  return shorten(bare) + TITLE_SUFFIX;
}

function shorten(text: string): string {
  return clipText(text, TITLE_MAX);
}

/**
 * The workspace as the agents key it: absolute, and its real path when it
 * exists (symbolic links resolved).
 *
 * @param workspace The workspace asked for.
 * @param options `nfc`: Unicode-normalise the result to NFC.
 * @returns The path.
 */
export async function resolveWorkspace(
  workspace: string,
  options: { nfc?: boolean } = {},
): Promise<string> {
  const absolute = nodePath.resolve(workspace);
  let resolved = absolute;
  try {
    resolved = await fsp.realpath(absolute);
  } catch {
    // a workspace that does not exist yet stays as asked
  }
  return options.nfc ? resolved.normalize("NFC") : resolved;
}

/**
 * The session id a writer uses when its target wants UUIDs: the one asked
 * for, lower-cased, when it is a UUID; else a new one, with a
 * `session-id-replaced` warning when one was asked for.
 *
 * @param wanted The id the pipeline asked for, if any.
 * @param fresh Makes a new id.
 * @param warnings Where the warning goes.
 * @param rule The rule, for the warning: `Used a new id: <rule>, not "<wanted>"`.
 * @param accepts Which ids the target takes; any UUID unless told.
 * @returns The id.
 *
 * @example Usage
 * ```ts
 * import { uuidSessionId } from "./writing.ts";
 * import type { Warning } from "../model/types.ts";
 * import assert from "node:assert/strict";
 *
 * const warnings: Warning[] = [];
 * const id = uuidSessionId("abc", () => "new", warnings, "ids are UUIDs");
 * assert.equal(id, "new");
 * assert.equal(warnings[0]?.message, 'Used a new id: ids are UUIDs, not "abc"');
 * ```
 */
export function uuidSessionId(
  wanted: string | undefined,
  fresh: () => string,
  warnings: Warning[],
  rule: string,
  accepts: (id: string) => boolean = isUuid,
): string {
  const id = acceptedSessionId(wanted, fresh, warnings, rule, accepts);
  return id === wanted ? id.toLowerCase() : id;
}

/**
 * The session id a writer uses: the one asked for, as it is, when the target
 * accepts it; else a new one, with a `session-id-replaced` warning when one
 * was asked for (`Used a new id: <rule>, not "<wanted>"`).
 *
 * @param wanted The id the pipeline asked for, if any.
 * @param fresh Makes a new id.
 * @param warnings Where the warning goes.
 * @param rule The rule, for the warning.
 * @param accepts Which ids the target takes.
 * @returns The id.
 */
export function acceptedSessionId(
  wanted: string | undefined,
  fresh: () => string,
  warnings: Warning[],
  rule: string,
  accepts: (id: string) => boolean,
): string {
  if (wanted === undefined) return fresh();
  if (accepts(wanted)) return wanted;
  warnings.push({
    code: "session-id-replaced",
    message: `Used a new id: ${rule}, not "${wanted}"`,
  });
  return fresh();
}

/**
 * The `invalid-session` error for a session with nothing a target can hold:
 * `Cannot write session "<id>": it has no user or assistant message`.
 *
 * @param session The session.
 * @returns The error, to throw (or reject with).
 */
export function nothingToWrite(session: Session): CasrError {
  return new CasrError(
    "invalid-session",
    `Cannot write session "${session.id}": it has no user or assistant message`,
    { details: { id: session.id } },
  );
}
