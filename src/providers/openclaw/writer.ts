/**
 * Planning a new OpenClaw (or ClawdBot) session from a canonical session.
 *
 * OpenClaw 2026.7+ reads sessions only from its SQLite database, and writing
 * those tables directly is unsafe (a dozen coupled projections plus doctor's
 * ledger). Its supported import path is what casr writes, checked with
 * 2026.9.6:
 * - `<state>/agents/main/sessions/<id>.jsonl`: a Pi header
 *   `{type:"session", version:4, id, timestamp, cwd}` (the id equals the file
 *   name; doctor defers a mismatch), then one `message` entry per user prompt,
 *   assistant reply (`text` + `toolCall` blocks) and tool result
 *   (`toolResult`), chained by `parentId`, each with a UUID id, an ISO
 *   `timestamp` and the message's epoch-ms `timestamp`;
 * - `<state>/agents/main/sessions/sessions.json`, merged:
 *   `"agent:main:explicit:<id>": {sessionId, updatedAt}` (the key OpenClaw
 *   itself gives a `--session-id` session).
 * `openclaw doctor --session-sqlite import` then moves both into the database
 * (and archives them); the resume command runs it first.
 *
 * ClawdBot 2026.1.x read the same files directly (Pi 0.49.3 wrote header
 * version 3 and 8-hex entry ids, which is what the ClawdBot writer uses).
 *
 * @module
 */
import * as nodePath from "node:path";
import type { Session, Warning } from "../../model/types.ts";
import type { PlanWriteOptions, ProviderContext, ResumeCommand, WritePlan } from "../types.ts";
import { CasrError } from "../../errors.ts";
import { uuidV4 } from "../../internal/ids.ts";
import { jsonLines } from "../../internal/jsonl.ts";
import { readTextIfExists } from "../../internal/fast_fs.ts";
import { fillTimestamps } from "../../internal/times.ts";
import { shellLine, shellQuote } from "../../internal/shell.ts";
import {
  canonicalToPiEntries,
  newPiEntryId,
  PI_SESSION_VERSION,
  piModelInfo,
  piSessionHeader,
} from "../../formats/pi_session.ts";
import { acceptedSessionId, nothingToWrite, resolveWorkspace } from "../../formats/writing.ts";
import {
  agentIdOf,
  agentSessionsDir,
  clawdbotStateDir,
  DEFAULT_AGENT_ID,
  isSafeSessionId,
  OPENCLAW_HEADER_VERSION,
  openClawStateDir,
} from "./paths.ts";

/** The session key casr gives a written session (OpenClaw's key for `--session-id`). */
export function explicitSessionKey(agentId: string, id: string): string {
  return `agent:${agentId}:explicit:${id}`;
}

/** The prompt placeholder of the printed resume command. */
export const NEXT_PROMPT = "Continue where we left off.";

function importArgv(bin: string, agentId: string): string[] {
  return [bin, "doctor", "--session-sqlite", "import", "--session-sqlite-agent", agentId];
}

function agentArgv(bin: string, agentId: string, id: string): string[] {
  return [
    bin,
    "agent",
    "--local",
    "--agent",
    agentId,
    "--session-id",
    id,
    "--message",
    NEXT_PROMPT,
  ];
}

/**
 * The command that resumes an OpenClaw session: `openclaw agent --local
 * --agent <agent> --session-id <id> --message …` (OpenClaw has no `--resume`
 * flag), preceded by `openclaw doctor --session-sqlite import` when the
 * session is still a JSONL file waiting for import.
 *
 * @param session The id, workspace and path (a `.jsonl` path means "not imported yet").
 * @returns The command.
 */
export function openClawResumeCommand(
  session: { id: string; workspace?: string; path?: string },
): ResumeCommand {
  return resumeFor("openclaw", session);
}

/**
 * The command that resumes a ClawdBot session: `clawdbot agent --local
 * --session-id <id> --message …` (ClawdBot 2026.1.x), with a note on the
 * OpenClaw route.
 *
 * @param session The id, workspace and path.
 * @returns The command.
 */
export function clawdbotResumeCommand(
  session: { id: string; workspace?: string; path?: string },
): ResumeCommand {
  const agentId = (session.path === undefined ? undefined : agentIdOf(session.path)) ??
    DEFAULT_AGENT_ID;
  const argv = agentArgv("clawdbot", agentId, session.id);
  const command: ResumeCommand = {
    argv,
    shell: shellLine(argv, session.workspace),
    note: `ClawdBot 2026.1.x reads the file directly (not verified: its last release does not ` +
      `start). With OpenClaw, which uses ~/.clawdbot when ~/.openclaw does not exist, run ` +
      `\`${importArgv("openclaw", agentId).join(" ")}\` and then ` +
      `\`${agentArgv("openclaw", agentId, session.id).join(" ")}\`. Replace the message with ` +
      `your next prompt.`,
  };
  if (session.workspace !== undefined) command.cwd = session.workspace;
  return command;
}

function resumeFor(
  bin: string,
  session: { id: string; workspace?: string; path?: string },
): ResumeCommand {
  const agentId = (session.path === undefined ? undefined : agentIdOf(session.path)) ??
    DEFAULT_AGENT_ID;
  const pending = session.path !== undefined && /\.jsonl$/i.test(session.path);
  const argv = agentArgv(bin, agentId, session.id);
  const steps = pending ? [importArgv(bin, agentId), argv] : [argv];
  const line = steps.map((s) => shellLine(s)).join(" && ");
  const cwd = session.workspace;
  const notes = [
    "Replace the message with your next prompt (or open the session in the terminal UI: " +
    `\`${bin} tui --local --session ${explicitSessionKey(agentId, session.id)}\`, not verified).`,
  ];
  if (pending) {
    notes.unshift(
      `OpenClaw reads sessions from its database: \`${importArgv(bin, agentId).join(" ")}\` ` +
        "imports the file casr wrote first (stop a running Gateway before that).",
    );
  }
  const command: ResumeCommand = {
    argv,
    shell: cwd === undefined ? line : `cd ${shellQuote(cwd)} && ${line}`,
    note: notes.join(" "),
  };
  if (cwd !== undefined) command.cwd = cwd;
  return command;
}

/** The flavour of file a writer produces. */
interface Flavor {
  provider: "openclaw" | "clawdbot";
  stateDir(ctx: ProviderContext): Promise<string>;
  version: number;
  newEntryId(used: Set<string>): string;
  resume(session: { id: string; workspace?: string; path?: string }): ResumeCommand;
}

const OPENCLAW_FLAVOR: Flavor = {
  provider: "openclaw",
  stateDir: openClawStateDir,
  version: OPENCLAW_HEADER_VERSION,
  newEntryId: (used) => {
    const id = uuidV4();
    used.add(id);
    return id;
  },
  resume: openClawResumeCommand,
};

const CLAWDBOT_FLAVOR: Flavor = {
  provider: "clawdbot",
  stateDir: (ctx) => Promise.resolve(clawdbotStateDir(ctx)),
  version: PI_SESSION_VERSION,
  newEntryId: newPiEntryId,
  resume: clawdbotResumeCommand,
};

/** Reads `sessions.json` to merge into; a file that is not a JSON object is refused. */
async function readStore(path: string): Promise<Record<string, unknown>> {
  const text = await readTextIfExists(path);
  if (text === undefined || text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CasrError(
      "write-failed",
      `Cannot add a session to "${path}": it is not valid JSON (${String(error)})`,
      { details: { path }, cause: error },
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CasrError(
      "write-failed",
      `Cannot add a session to "${path}": it is not a JSON object`,
      { details: { path } },
    );
  }
  return value as Record<string, unknown>;
}

async function plan(
  flavor: Flavor,
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [];
  const workspace = await resolveWorkspace(options.workspace);
  const id = acceptedSessionId(
    options.sessionId,
    uuidV4,
    warnings,
    "the id names the session file",
    isSafeSessionId,
  );
  const agentId = DEFAULT_AGENT_ID;
  const dir = agentSessionsDir(await flavor.stateDir(ctx), agentId);
  const filePath = nodePath.join(dir, `${id}.jsonl`);
  const storePath = nodePath.join(dir, "sessions.json");

  const { entries, warnings: entryWarnings } = canonicalToPiEntries(session.messages, {
    now: options.now,
    model: piModelInfo(session.model),
    modelChange: false,
    newEntryId: flavor.newEntryId,
  });
  warnings.push(...entryWarnings);
  if (!entries.some((e) => e.type === "message")) {
    throw nothingToWrite(session);
  }
  const times = fillTimestamps(session.messages, options.now);
  const started = times[0] ?? options.now;
  const updated = Math.max(started, ...times);
  const header = piSessionHeader(id, workspace, started, flavor.version);

  const store = await readStore(storePath);
  store[explicitSessionKey(agentId, id)] = { sessionId: id, updatedAt: updated };

  return {
    sessionId: id,
    primaryPath: filePath,
    files: [
      { path: filePath, data: jsonLines([header, ...entries]), mode: 0o600 },
      { path: storePath, data: JSON.stringify(store, null, 2) + "\n", mode: 0o600 },
    ],
    effects: [],
    resume: flavor.resume({ id, workspace: options.workspace, path: filePath }),
    warnings,
  };
}

/**
 * Plans a new OpenClaw session: the import input and its `sessions.json`
 * entry, without touching the disk.
 *
 * @param session The canonical session (repaired: every call answered).
 * @param ctx Where OpenClaw's state dir is.
 * @param options Workspace, now and the wanted id.
 * @returns The files and the resume command (import, then resume).
 * @throws {CasrError} `invalid-session` without user or assistant messages;
 * `write-failed` when `sessions.json` is not a JSON object.
 */
export function planOpenClaw(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  return plan(OPENCLAW_FLAVOR, session, ctx, options);
}

/**
 * Plans a new ClawdBot session (Pi JSONL, header version 3, under ClawdBot's state dir).
 *
 * @param session The canonical session.
 * @param ctx Where ClawdBot's state dir is.
 * @param options Workspace, now and the wanted id.
 * @returns The files and the resume command.
 * @throws {CasrError} Like {@linkcode planOpenClaw}.
 */
export function planClawdbot(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  return plan(CLAWDBOT_FLAVOR, session, ctx, options);
}
