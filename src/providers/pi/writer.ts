/**
 * Planning a new Pi session from a canonical session.
 *
 * The file is `<agent dir>/sessions/--<encoded workspace>--/<stamp>_<id>.jsonl`
 * (or directly in `PI_CODING_AGENT_SESSION_DIR`): a version 3 header with the
 * workspace as `cwd` (Pi refuses to resume when it does not exist), then one
 * chain of entries built by `canonicalToPiEntries` (a `model_change`, the
 * messages, a `session_info` naming the session). The id is the wanted id
 * when Pi accepts it, else a new UUIDv7 (as Pi makes them).
 *
 * @module
 */
import * as nodePath from "node:path";
import type { Warning } from "../../model/types.ts";
import type { Provider, ResumeCommand } from "../types.ts";
import { exists } from "../../internal/fs.ts";
import { uuidV7 } from "../../internal/ids.ts";
import { jsonLines } from "../../internal/jsonl.ts";
import { canonicalToPiEntries, piModelInfo, piSessionHeader } from "../../formats/pi_session.ts";
import { resumeIn } from "../../internal/shell.ts";
import {
  acceptedSessionId,
  nothingToWrite,
  resolveWorkspace,
  writtenTitle,
} from "../../formats/writing.ts";
import { isValidSessionId, piSessionDirFor, sessionFileName } from "./paths.ts";

/**
 * The command that resumes a Pi session: `pi --session <id>` in the
 * workspace (an id is looked up in the current project's sessions first; a
 * match in another project asks to fork it).
 *
 * @param session The session id and its workspace.
 * @returns The command.
 */
export function piResumeCommand(session: { id: string; workspace?: string }): ResumeCommand {
  return resumeIn(["pi", "--session", session.id], session.workspace);
}

/**
 * Plans a new Pi session for `session`, without writing anything.
 *
 * @param session The canonical session (repaired: every call answered, results after their calls).
 * @param ctx Where Pi's agent dir is.
 * @param options The target workspace, "now" and the wanted session id.
 * @returns The file to write and the resume command.
 * @throws {CasrError} `invalid-session` when there is no user or assistant message.
 */
export const planPiSession: Provider["plan"] = async (session, ctx, options) => {
  const warnings: Warning[] = [];
  const workspace = await resolveWorkspace(options.workspace);
  if (!(await exists(workspace))) {
    warnings.push({
      code: "missing-workspace",
      message: `The workspace "${workspace}" does not exist: pi refuses to resume a session ` +
        "whose working directory is missing",
    });
  }
  const sessionId = acceptedSessionId(
    options.sessionId,
    () => uuidV7(options.now),
    warnings,
    'Pi session ids are letters, digits, ".", "_" and "-"',
    isValidSessionId,
  );
  const { entries, warnings: entryWarnings } = canonicalToPiEntries(session.messages, {
    now: options.now,
    model: piModelInfo(session.model),
    title: writtenTitle(session, { suffix: true }),
  });
  warnings.push(...entryWarnings);
  if (!entries.some((e) => e.type === "message")) {
    throw nothingToWrite(session);
  }
  const created = Date.parse(entries[0]?.timestamp ?? "") || options.now;
  const filePath = nodePath.join(
    piSessionDirFor(ctx, workspace),
    sessionFileName(created, sessionId),
  );
  const header = piSessionHeader(sessionId, workspace, created);
  return {
    sessionId,
    primaryPath: filePath,
    files: [{ path: filePath, data: jsonLines([header, ...entries]), mode: 0o600 }],
    effects: [],
    resume: piResumeCommand({ id: sessionId, workspace: options.workspace }),
    warnings,
  };
};
