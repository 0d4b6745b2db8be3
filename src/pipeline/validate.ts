/**
 * Checking that a session is worth converting.
 *
 * @module
 */
import { CasrError } from "../errors.ts";
import type { Session, Warning } from "../model/types.ts";
import { plural } from "../internal/plural.ts";
import { compactionSummaryIndexes } from "../model/normalize.ts";

/**
 * Checks a session before conversion.
 *
 * Errors (thrown): not a well-formed canonical session (a reader bug); no
 * messages; no user prompt with an assistant reply (or a compaction summary
 * of the earlier replies).
 * Warnings: no workspace, no timestamps, fewer than 3 messages, many malformed lines.
 *
 * @param session The session read.
 * @param readWarnings The reader's warnings (malformed lines are counted).
 * @returns Warnings.
 * @throws {CasrError} `invalid-session` when the session cannot be converted.
 */
export async function validateSession(
  session: Session,
  readWarnings: readonly Warning[],
): Promise<Warning[]> {
  // The zod schema loads on first use, so listing never pays for it.
  const { sessionProblems } = await import("../model/schema.ts");
  const problems = sessionProblems(session);
  if (problems.length > 0) {
    throw new CasrError(
      "invalid-session",
      `Cannot convert session "${session.id}": the reader produced an invalid session (${
        problems[0]
      })`,
      { details: { id: session.id, path: session.sourcePath, problems: problems.slice(0, 20) } },
    );
  }
  const conversation = session.messages.filter((m) =>
    m.role === "user" || m.role === "assistant" || m.role === "tool"
  );
  if (conversation.length === 0) {
    throw new CasrError(
      "invalid-session",
      `Cannot convert session "${session.id}": it has no messages`,
      { details: { id: session.id, path: session.sourcePath } },
    );
  }
  const hasUser = conversation.some((m) => m.role === "user" && m.text.trim() !== "");
  const hasAssistant = conversation.some((m) =>
    m.role === "assistant" && (m.text.trim() !== "" || m.toolCalls.length > 0)
  );
  // A session its agent compacted after the last reply holds the earlier work
  // as a summary, which is what the agent itself would send on: enough to go on.
  const summarized = compactionSummaryIndexes(session).some((i) =>
    session.messages[i]?.text.trim() !== ""
  );
  if (!hasUser || !(hasAssistant || summarized)) {
    throw new CasrError(
      "invalid-session",
      `Cannot convert session "${session.id}": it needs a user prompt and an assistant reply`,
      { details: { id: session.id, path: session.sourcePath, hasUser, hasAssistant } },
    );
  }
  const warnings: Warning[] = [];
  if (session.workspace === undefined) {
    warnings.push({
      code: "no-workspace",
      message: "The session records no working directory; using the target workspace",
    });
  }
  if (!session.messages.some((m) => m.timestamp !== undefined)) {
    warnings.push({ code: "no-timestamps", message: "The session records no timestamps" });
  }
  if (conversation.length < 3) {
    warnings.push({
      code: "short-session",
      message: `The session has only ${plural(conversation.length, "message")}`,
    });
  }
  const malformed = readWarnings.filter((w) => w.code === "malformed-line").length;
  if (malformed > 0) {
    const ratio = malformed / (malformed + session.messages.length);
    warnings.push({
      code: "malformed-lines",
      message: `Skipped ${plural(malformed, "malformed line")} (${
        Math.round(ratio * 100)
      }% of records) while reading`,
    });
  }
  return warnings;
}
