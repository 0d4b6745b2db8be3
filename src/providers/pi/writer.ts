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
import * as fsp from "node:fs/promises";
import * as nodePath from "node:path";
import type { Session, Warning } from "../../model/types.ts";
import type { PlanWriteOptions, ProviderContext, ResumeCommand, WritePlan } from "../types.ts";
import { CasrError } from "../../errors.ts";
import { uuidV7 } from "../../internal/ids.ts";
import { toJsonLines } from "../../internal/jsonl.ts";
import { canonicalToPiEntries, piModelInfo, piSessionHeader } from "../../formats/pi_session.ts";
import { resumeIn } from "../../internal/shell.ts";
import { isValidSessionId, piSessionDirFor, sessionFileName } from "./paths.ts";

/** Appended to the name of every written session (once). */
export const TITLE_SUFFIX = " (via casr)";

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

async function resolveWorkspace(workspace: string): Promise<{ path: string; exists: boolean }> {
  const absolute = nodePath.resolve(workspace);
  try {
    return { path: await fsp.realpath(absolute), exists: true };
  } catch {
    return { path: absolute, exists: false };
  }
}

function titleFor(session: Session): string {
  const base = (session.title ?? session.messages.find((m) => m.role === "user")?.text ?? "")
    .trim().split("\n")[0]?.trim() ?? "";
  const short = base.length > 80 ? `${base.slice(0, 79)}…` : base;
  const title = short === "" ? `Session ${session.id}` : short;
  return title.endsWith(TITLE_SUFFIX) ? title : title + TITLE_SUFFIX;
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
export async function planPiSession(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [];
  const workspace = await resolveWorkspace(options.workspace);
  if (!workspace.exists) {
    warnings.push({
      code: "missing-workspace",
      message: `The workspace "${workspace.path}" does not exist: pi refuses to resume a session ` +
        "whose working directory is missing",
    });
  }
  let sessionId = uuidV7(options.now);
  if (options.sessionId !== undefined) {
    if (isValidSessionId(options.sessionId)) sessionId = options.sessionId;
    else {
      warnings.push({
        code: "session-id-replaced",
        message: `Used a new id: Pi session ids are letters, digits, ".", "_" and "-", ` +
          `not "${options.sessionId}"`,
      });
    }
  }
  const { entries, warnings: entryWarnings } = canonicalToPiEntries(session.messages, {
    now: options.now,
    model: piModelInfo(session.model),
    title: titleFor(session),
  });
  warnings.push(...entryWarnings);
  if (!entries.some((e) => e.type === "message")) {
    throw new CasrError(
      "invalid-session",
      `Cannot write session "${session.id}": it has no user or assistant message`,
      { details: { id: session.id } },
    );
  }
  const created = Date.parse(entries[0]?.timestamp ?? "") || options.now;
  const filePath = nodePath.join(
    piSessionDirFor(ctx, workspace.path),
    sessionFileName(created, sessionId),
  );
  const header = piSessionHeader(sessionId, workspace.path, created);
  return {
    sessionId,
    primaryPath: filePath,
    files: [{ path: filePath, data: toJsonLines([header, ...entries]), mode: 0o600 }],
    effects: [],
    resume: piResumeCommand({ id: sessionId, workspace: options.workspace }),
    warnings,
  };
}
