/**
 * Planning a new Factory Droid session from a canonical session.
 *
 * One file: `<root>/sessions/<slug(cwd)>/<uuid>.jsonl` (mode 0600), where
 * `cwd` is the workspace, so droid appends to the same file on resume.
 * Verified against droid 0.225.2 (`exec -s`), which silently replaces a file it
 * cannot load with a new session under the same id:
 * - line 1 `session_start` with string `id` (= file stem), `title` and
 *   `owner` (both required), `version: 2`, `cwd`, and the machine's `hostId`
 *   when `<root>/host.json` has one;
 * - every message `{type: "message", id, parentId, timestamp, message}` with a
 *   fresh UUID `id` and an ISO `timestamp` (both required), `parentId` chaining
 *   to the previous message;
 * - user prompts → `user` text blocks; assistant messages → `text` and
 *   `tool_use` blocks (ids in `[A-Za-z0-9_-]`, object inputs); tool results →
 *   one `user` message of `tool_result` blocks after the calls.
 * Reasoning is not written (a `thinking` block needs a signature only the
 * original model can make); system and other messages are skipped.
 * Not written: the `<id>.settings.json` sidecar (droid creates it on resume with
 * the model the user picks) and the discovery cache
 * (`cache/session-discovery-index.json`: droid rescans the session folders by
 * directory listing and fingerprints, so a new file is found without it).
 *
 * @module
 */
import * as nodePath from "node:path";
import type { Warning } from "../../model/types.ts";
import type { Provider, ResumeCommand } from "../types.ts";
import {
  type AnthropicContentBlock,
  assistantBlocks,
  toolResultBlocks,
} from "../../formats/anthropic.ts";
import { isoTime, isUuid, uuidV4 } from "../../internal/ids.ts";
import { isRecord, jsonLines, str } from "../../internal/jsonl.ts";
import { readTextIfExists } from "../../internal/fast_fs.ts";
import { fillTimestamps } from "../../internal/times.ts";
import { resumeIn } from "../../internal/shell.ts";
import {
  nothingToWrite,
  resolveWorkspace,
  uuidSessionId,
  writtenTitle,
} from "../../formats/writing.ts";
import { factoryRoot, sessionPath } from "./paths.ts";

/** The `owner` droid writes when no Factory account is logged in. */
export const DEFAULT_OWNER = "unknown";

/** Why a wanted id was replaced (the warning's rule). */
const DROID_ID_RULE = "casr writes Droid session ids as UUIDs";

/**
 * The command that resumes a Droid session. Sessions live under their cwd's
 * folder, so it runs in the workspace.
 *
 * @param session The session id and its workspace.
 * @returns `droid --resume <id>`, run in the workspace, with a note on the headless form.
 */
export function droidResumeCommand(session: { id: string; workspace?: string }): ResumeCommand {
  const command = resumeIn(["droid", "--resume", session.id], session.workspace);
  command.note =
    `The interactive TUI needs a Factory login; headless: droid exec -s ${session.id} "<prompt>"`;
  return command;
}

async function hostId(root: string): Promise<string | undefined> {
  try {
    const text = await readTextIfExists(nodePath.join(root, "host.json"));
    if (text === undefined) return undefined;
    const value: unknown = JSON.parse(text);
    const id = isRecord(value) ? str(value.hostId) : undefined;
    return id !== undefined && isUuid(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Plans a new Droid session for `session`, without writing anything.
 *
 * @param session The canonical session (repaired: every call answered, results after their calls).
 * @param ctx Where the Droid root is.
 * @param options The target workspace, "now" and the wanted session id.
 * @returns The file to write and the resume command.
 * @throws {CasrError} `invalid-session` when there is no user or assistant message.
 */
export const planDroidSession: Provider["plan"] = async (session, ctx, options) => {
  const warnings: Warning[] = [];
  const workspace = await resolveWorkspace(options.workspace);
  const sessionId = uuidSessionId(options.sessionId, uuidV4, warnings, DROID_ID_RULE);
  const root = factoryRoot(ctx);
  const filePath = sessionPath(root, workspace, sessionId);
  const header: Record<string, unknown> = {
    type: "session_start",
    id: sessionId,
    title: writtenTitle(session, { suffix: true }),
    owner: DEFAULT_OWNER,
    version: 2,
    cwd: workspace,
  };
  const host = await hostId(root);
  if (host !== undefined) header.hostId = host;
  header.isSessionTitleManuallySet = false;

  const records: Record<string, unknown>[] = [header];
  const idMap = new Map<string, string>();
  const times = fillTimestamps(session.messages, options.now);
  let parentId: string | undefined;
  let last = times[0] ?? options.now;
  let droppedReasoning = false;
  let conversation = 0;
  const add = (role: "user" | "assistant", content: AnthropicContentBlock[], time: number) => {
    last = Math.max(last, time);
    const id = uuidV4();
    const record: Record<string, unknown> = { type: "message", id };
    if (parentId !== undefined) record.parentId = parentId;
    record.timestamp = isoTime(last);
    record.message = { role, content };
    records.push(record);
    parentId = id;
    conversation++;
  };
  session.messages.forEach((message, i) => {
    const time = times[i] ?? last;
    if (message.role === "user") {
      if (message.text.trim() !== "") add("user", [{ type: "text", text: message.text }], time);
    } else if (message.role === "assistant") {
      if (message.reasoning !== undefined && message.reasoning.trim() !== "") {
        droppedReasoning = true;
      }
      const blocks = assistantBlocks(message, { idMap });
      if (blocks.length > 0) add("assistant", blocks, time);
    } else if (message.role === "tool") {
      const blocks: AnthropicContentBlock[] = toolResultBlocks(message.toolResults, { idMap });
      if (message.text.trim() !== "") blocks.push({ type: "text", text: message.text });
      if (blocks.length > 0) add("user", blocks, time);
    }
  });
  if (conversation === 0) {
    throw nothingToWrite(session);
  }
  if (droppedReasoning) {
    warnings.push({
      code: "dropped-reasoning",
      message:
        "Dropped assistant reasoning: Droid thinking blocks need a signature from the original model",
    });
  }
  return {
    sessionId,
    primaryPath: filePath,
    files: [{ path: filePath, data: jsonLines(records), mode: 0o600 }],
    effects: [],
    resume: droidResumeCommand({ id: sessionId, workspace }),
    warnings,
  };
};
