/**
 * Planning a new Mistral Vibe session from a canonical session.
 *
 * Files, in `<save_dir>/<prefix>_<UTC YYYYMMDD_HHMMSS>_<id[:8]>/`:
 * - `messages.jsonl`: one `LLMMessage` dump per line (`exclude_none`), user,
 *   assistant and tool messages in order, no system lines, ending with `\n`.
 *   Assistant tool calls use the OpenAI shape with `arguments` as a JSON
 *   string; each result is a `role:"tool"` line with `tool_call_id` and
 *   `name`; a failed result is wrapped in `<tool_error>…</tool_error>` as Vibe
 *   does. Call ids are rewritten to 9 alphanumerics, the only shape Mistral's
 *   API accepts when the history is replayed.
 * - `meta.json`: the required `SessionMetadata` keys plus `title` and
 *   `total_messages` = the number of lines (Vibe appends after that offset).
 * Reasoning goes in `reasoning_content`; a foreign signature is dropped.
 * Vibe records no per-message time, so each line also carries
 * `casr_timestamp` (ISO-8601), a key casr alone reads: `LLMMessage` ignores
 * unknown keys (`extra="ignore"`) and Vibe only appends to the file.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { Message, Session, Warning } from "../../model/types.ts";
import type { PlanWriteOptions, ProviderContext, ResumeCommand, WritePlan } from "../types.ts";
import { toolInputObject } from "../../model/normalize.ts";
import { isoTime, uuidV4 } from "../../internal/ids.ts";
import { listDir } from "../../internal/fs.ts";
import { jsonLines } from "../../internal/jsonl.ts";
import { readTextIfExists } from "../../internal/fast_fs.ts";
import { resumeIn } from "../../internal/shell.ts";
import {
  isSessionDirName,
  MESSAGES_FILE,
  META_FILE,
  sessionDirName,
  vibeSessionConfig,
} from "./paths.ts";
import { CASR_TIMESTAMP_KEY, TOOL_ERROR_TAG } from "./reader.ts";
import { nothingToWrite, uuidSessionId, writtenTitle } from "../../formats/writing.ts";

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A fresh tool call id in the shape Mistral's API requires: 9 characters of
 * `[A-Za-z0-9]`.
 *
 * @param used Ids already taken in this session (the new one is added).
 * @returns The id.
 */
export function mistralToolId(used: Set<string>): string {
  for (;;) {
    const bytes = new Uint8Array(9);
    crypto.getRandomValues(bytes);
    const id = Array.from(bytes, (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("");
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

/**
 * The command that resumes a Vibe session. `--resume` finds the session in
 * any directory; the tools work in the current one, hence the `cd`.
 *
 * @param session The session id and its workspace.
 * @returns `vibe --resume <id>`, run in the workspace.
 */
export function vibeResumeCommand(session: { id: string; workspace?: string }): ResumeCommand {
  return resumeIn(["vibe", "--resume", session.id], session.workspace);
}

/** ISO-8601 with a `+00:00` offset, as Python's `datetime.isoformat()` writes UTC. */
function pythonIso(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00");
}

/** The existing session directories whose name ends in `_<short id>`, with their ids. */
async function dirsWithShortId(
  saveDir: string,
  prefix: string,
  id: string,
): Promise<{ path: string; sessionId: string | undefined }[]> {
  const out: { path: string; sessionId: string | undefined }[] = [];
  const short = id.slice(0, 8);
  for (const entry of await listDir(saveDir)) {
    if (!entry.isDir || !isSessionDirName(entry.name, prefix)) continue;
    if (!entry.name.endsWith(`_${short}`)) continue;
    let sessionId: string | undefined;
    try {
      const meta = JSON.parse(await readTextIfExists(nodePath.join(entry.path, META_FILE)) ?? "");
      sessionId = typeof meta?.session_id === "string" ? meta.session_id : undefined;
    } catch {
      sessionId = undefined;
    }
    out.push({ path: entry.path, sessionId });
  }
  return out;
}

function username(ctx: ProviderContext): string {
  return ctx.env.USER || ctx.env.LOGNAME || ctx.env.USERNAME || nodePath.basename(ctx.homeDir) ||
    "unknown";
}

/**
 * Plans a new Vibe session for `session`, without writing anything.
 *
 * @param session The canonical session (repaired: every call answered).
 * @param ctx Where the Vibe home is.
 * @param options The target workspace, "now" and the wanted session id.
 * @returns The files to write and the resume command.
 * @throws {CasrError} `invalid-session` when there is no user or assistant message.
 */
export async function planVibeSession(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [{
    code: "unverified-target",
    message: "Mistral Vibe could not be run here: this session follows Vibe 2.18.4's source " +
      "(meta.json + messages.jsonl), but no real Vibe has resumed one yet",
  }];
  const workspace = nodePath.resolve(options.workspace);
  const { saveDir, prefix } = vibeSessionConfig(ctx);
  let sessionId = uuidSessionId(
    options.sessionId,
    uuidV4,
    warnings,
    "Vibe session ids are UUID-shaped",
  );
  // `vibe --resume` matches only the first 8 characters of the id against the
  // directory names and takes the newest: the short id must be this session's.
  let dir: string | undefined;
  for (let attempt = 0; attempt < 20; attempt++) {
    const clashes = await dirsWithShortId(saveDir, prefix, sessionId);
    const same = clashes.find((c) => c.sessionId === sessionId);
    if (same !== undefined) {
      dir = same.path; // the same session again (--force): replace it in place
      break;
    }
    if (clashes.length === 0) break;
    const previous = sessionId;
    sessionId = uuidV4();
    warnings.push({
      code: "session-id-replaced",
      message: `Used a new id: another Vibe session already starts with "${
        previous.slice(0, 8)
      }", and vibe --resume matches only those 8 characters`,
    });
  }
  dir ??= nodePath.join(saveDir, sessionDirName(prefix, options.now, sessionId));

  const usedIds = new Set<string>();
  const idMap = new Map<string, string>();
  const mapId = (id: string): string => {
    let mapped = idMap.get(id);
    if (mapped === undefined) {
      mapped = mistralToolId(usedIds);
      idMap.set(id, mapped);
    }
    return mapped;
  };
  const callNames = new Map<string, string>();
  const lines: Record<string, unknown>[] = [];
  const stamp = (line: Record<string, unknown>, message: Message): Record<string, unknown> => {
    if (message.timestamp !== undefined) line[CASR_TIMESTAMP_KEY] = isoTime(message.timestamp);
    return line;
  };
  for (const message of session.messages as Message[]) {
    if (message.role === "user") {
      if (message.text.trim() === "") continue;
      lines.push(
        stamp(
          { role: "user", content: message.text, injected: false, message_id: uuidV4() },
          message,
        ),
      );
    } else if (message.role === "assistant") {
      if (message.text === "" && message.toolCalls.length === 0) continue;
      const line: Record<string, unknown> = {
        role: "assistant",
        content: message.text,
        injected: false,
      };
      if (message.reasoning !== undefined && message.reasoning.trim() !== "") {
        line.reasoning_content = message.reasoning;
        line.reasoning_message_id = uuidV4();
      }
      if (message.toolCalls.length > 0) {
        line.tool_calls = message.toolCalls.map((call, index) => {
          callNames.set(call.id, call.name);
          return {
            id: mapId(call.id),
            index,
            function: { name: call.name, arguments: JSON.stringify(toolInputObject(call.input)) },
            type: "function",
          };
        });
      }
      line.message_id = uuidV4();
      lines.push(stamp(line, message));
    } else if (message.role === "tool") {
      for (const result of message.toolResults) {
        lines.push(stamp({
          role: "tool",
          content: result.isError
            ? `<${TOOL_ERROR_TAG}>${result.output}</${TOOL_ERROR_TAG}>`
            : result.output,
          injected: false,
          name: result.name ?? callNames.get(result.callId) ?? "unknown",
          tool_call_id: mapId(result.callId),
        }, message));
      }
    }
  }
  if (!lines.some((l) => l.role === "user" || l.role === "assistant")) {
    throw nothingToWrite(session);
  }
  const times = session.messages.map((m) => m.timestamp).filter((t): t is number =>
    t !== undefined
  );
  const start = session.startedAt ?? times[0] ?? options.now;
  const end = Math.max(start, session.endedAt ?? times.at(-1) ?? start);
  const meta = {
    session_id: sessionId,
    parent_session_id: null,
    start_time: pythonIso(start),
    end_time: pythonIso(end),
    git_commit: null,
    git_branch: null,
    environment: { working_directory: workspace },
    username: username(ctx),
    loops: [],
    title: writtenTitle(session, { suffix: true }),
    title_source: "auto",
    experiments: null,
    total_messages: lines.length,
  };
  const messagesPath = nodePath.join(dir, MESSAGES_FILE);
  return {
    sessionId,
    primaryPath: messagesPath,
    files: [
      { path: messagesPath, data: jsonLines(lines), mode: 0o600 },
      { path: nodePath.join(dir, META_FILE), data: JSON.stringify(meta, null, 2), mode: 0o600 },
    ],
    effects: [],
    resume: vibeResumeCommand({ id: sessionId, workspace }),
    warnings,
  };
}
