/**
 * The `plan()` of a provider casr can only read (see `Provider.readOnly`).
 *
 * @module
 */
import { CasrError } from "../errors.ts";
import type { Session } from "../model/types.ts";
import type { WritePlan } from "./types.ts";

/**
 * A `plan()` that always rejects: the agent cannot import sessions. The
 * pipeline refuses read-only targets before planning; this is the same answer
 * for callers that call `plan()` directly.
 *
 * @param name The agent's human name.
 * @param why Why it cannot import, in a few words.
 * @returns The plan function.
 */
export function readOnlyPlan(name: string, why: string): (session: Session) => Promise<WritePlan> {
  return (session: Session) =>
    Promise.reject(
      new CasrError(
        "read-only-target",
        `Cannot write ${/^[aeiou]/i.test(name) ? "an" : "a"} ${name} session: ${name} cannot ` +
          `import sessions (${why}); ` +
          `resume "${session.id}" in another agent`,
        { details: { id: session.id } },
      ),
    );
}
