/**
 * The Cline CLI 3.x store (also used by the 4.x extension's "Next" bundle):
 * `<sessions>/<id>/<id>.messages.json` (+ the `<id>.json` manifest) and a row
 * in `<db>/sessions.db`.
 *
 * Confirmed with `cline@3.0.65` against a mock API: `cline --id <id>` sends
 * the stored history only when the `sessions` row exists; the manifest is not
 * needed; any `[A-Za-z0-9_-]` id works (a UUID resumed); every `tool_result`
 * needs the tool `name` (without it the CLI rejects the history).
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { parseFailed } from "../../errors.ts";
import { listDir } from "../../internal/fs.ts";
import { isoTime } from "../../internal/ids.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { parseTimestamp, reindexMessages, setTimeSpan } from "../../model/normalize.ts";
import type { ReadResult, Session, Warning } from "../../model/types.ts";
import type { PlanWriteOptions, ProviderContext, SessionSummary, WritePlan } from "../types.ts";
import {
  conversation,
  countRoles,
  fillTimestamps,
  readJsonFile,
  reasoningWarning,
  titleFromPrompt,
} from "./common.ts";
import { readLenientArrayFile } from "./lenient_json.ts";
import { canonicalToStored, storedToCanonical, withInterruptedResults } from "./messages.ts";
import {
  type ClineCliDirs,
  clineCliDirs,
  sdkManifestPath,
  sdkMessagesPath,
  sessionsDbPath,
} from "./paths.ts";
import { clineCliResume } from "./resume.ts";
import { readSessionRows, type SessionRow, sessionRowEffect } from "./sqlite_rows.ts";

/** The file name suffix of a session's messages. */
export const MESSAGES_SUFFIX = ".messages.json";
/** The CLI version written into new sessions (the one resumed in the smoke test). */
export const WRITER_VERSION = "3.0.65";

/** The session id of a messages file: its name without `.messages.json`. */
export function sdkIdFromPath(file: string): string | undefined {
  const name = path.basename(file);
  return name.endsWith(MESSAGES_SUFFIX) ? name.slice(0, -MESSAGES_SUFFIX.length) : undefined;
}

function metadataOf(row: SessionRow | undefined): Record<string, unknown> {
  if (row === undefined || typeof row.metadata_json !== "string") return {};
  try {
    const value: unknown = JSON.parse(row.metadata_json);
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

async function summarize(
  id: string,
  file: string,
  row: SessionRow | undefined,
): Promise<SessionSummary> {
  const summary: SessionSummary = { id, provider: "cline", path: file };
  const manifest = row === undefined ? await readJsonFile(sdkManifestFor(file, id)) : undefined;
  const info: Record<string, unknown> = row ?? (isRecord(manifest) ? manifest : {});
  const meta = row !== undefined ? metadataOf(row) : (isRecord(info.metadata) ? info.metadata : {});
  const title = str(meta.title) ??
    (typeof info.prompt === "string" ? titleFromPrompt(info.prompt) || undefined : undefined);
  if (title !== undefined) summary.title = title;
  const cwd = str(info.cwd) ?? str(info.workspace_root);
  if (cwd !== undefined) summary.workspace = cwd;
  const started = parseTimestamp(info.started_at);
  if (started !== undefined) summary.startedAt = started;
  try {
    const stat = await fsp.stat(file);
    summary.sizeBytes = stat.size;
    summary.lastActiveAt = parseTimestamp(info.updated_at) ?? stat.mtimeMs;
  } catch {
    // listed by its row only
  }
  const count = await countRoles(file);
  if (count !== undefined) summary.messageCount = count;
  return summary;
}

function sdkManifestFor(file: string, id: string): string {
  return path.join(path.dirname(file), `${id}.json`);
}

/**
 * Lists the CLI store: every `sessions` row of a top-level session whose
 * messages file exists, plus session folders without a row.
 *
 * @param ctx Where to look.
 * @returns The summaries.
 */
export async function listSdkSessions(ctx: ProviderContext): Promise<SessionSummary[]> {
  const dirs = clineCliDirs(ctx);
  const rows = await readSessionRows(sessionsDbPath(dirs));
  const out: SessionSummary[] = [];
  for (const entry of await listDir(dirs.sessions)) {
    if (!entry.isDir) continue;
    const id = entry.name;
    const row = rows.get(id);
    if (row !== undefined && Number(row.is_subagent) === 1) continue;
    const file = sdkMessagesPath(dirs, id);
    try {
      if (!(await fsp.stat(file)).isFile()) continue;
    } catch {
      continue;
    }
    out.push(await summarize(id, file, row));
  }
  return out;
}

async function rowFor(
  ctx: ProviderContext,
  file: string,
  id: string,
): Promise<SessionRow | undefined> {
  const dirs = clineCliDirs(ctx);
  const candidates = [sessionsDbPath(dirs)];
  // A file outside the configured store: its own `<data>/db/sessions.db`.
  const own = path.join(path.dirname(path.dirname(path.dirname(file))), "db", "sessions.db");
  if (!candidates.includes(own)) candidates.push(own);
  for (const db of candidates) {
    const row = (await readSessionRows(db)).get(id);
    if (row !== undefined) return row;
  }
  return undefined;
}

/**
 * Reads a CLI session's messages file leniently (a damaged message is a
 * warning); the workspace, title and model come from its `sessions` row or
 * manifest.
 *
 * @param file The `<id>.messages.json` file.
 * @param ctx Where to look for the row.
 * @returns The session and warnings.
 * @throws {CasrError} `parse-failed` when the file holds no messages.
 */
export async function readSdkSession(file: string, ctx: ProviderContext): Promise<ReadResult> {
  const { parsed, warnings } = await readLenientArrayFile(file, "messages");
  const messages = reindexMessages(
    withInterruptedResults(storedToCanonical(parsed.items, file, warnings)),
  );
  if (messages.length === 0) {
    throw parseFailed(file, "no usable messages");
  }
  const top = isRecord(parsed.value) ? parsed.value : {};
  const id = sdkIdFromPath(file) ?? str(top.sessionId) ?? path.basename(path.dirname(file));
  const row = await rowFor(ctx, file, id);
  const manifest = row === undefined ? await readJsonFile(sdkManifestFor(file, id)) : undefined;
  const info: Record<string, unknown> = row ?? (isRecord(manifest) ? manifest : {});
  const meta = row !== undefined ? metadataOf(row) : (isRecord(info.metadata) ? info.metadata : {});
  const session: Session = {
    id,
    provider: "cline",
    messages,
    metadata: { store: "cli" },
    sourcePath: file,
  };
  const cwd = str(info.cwd) ?? str(info.workspace_root);
  if (cwd !== undefined) session.workspace = cwd;
  const firstPrompt = messages.find((m) => m.role === "user")?.text ?? "";
  const title = str(meta.title) ?? (titleFromPrompt(firstPrompt) || undefined);
  if (title !== undefined) session.title = title;
  const model = str(info.model) ??
    messages.find((m) => m.role === "assistant" && m.author !== undefined)?.author;
  if (model !== undefined) session.model = model;
  setTimeSpan(session);
  const origin = isRecord(top.origin) ? top.origin : undefined;
  if (str(origin?.version) !== undefined) session.metadata.clineVersion = origin?.version;
  if (str(info.provider) !== undefined) session.metadata.modelProvider = info.provider;
  return { session, warnings };
}

/** The provider and model the user last configured (`settings/providers.json`), if any. */
async function configuredModel(dirs: ClineCliDirs): Promise<{ provider: string; model: string }> {
  const settings = await readJsonFile(path.join(dirs.data, "settings", "providers.json"));
  if (isRecord(settings)) {
    const provider = str(settings.lastUsedProvider);
    const providers = isRecord(settings.providers) ? settings.providers : {};
    const entry = provider !== undefined ? providers[provider] : undefined;
    const model = isRecord(entry) && isRecord(entry.settings)
      ? str(entry.settings.model)
      : undefined;
    if (provider !== undefined) return { provider, model: model ?? "" };
  }
  return { provider: "cline", model: "" };
}

const ID_RE = /^[A-Za-z0-9_-]{1,128}$/;

/** A new CLI session id in Cline's own shape: `<epoch ms>_<5 base-36 chars>`. */
export function newSdkId(now: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(5));
  return `${Math.floor(now)}_${Array.from(bytes, (b) => alphabet[b % 36]).join("")}`;
}

/**
 * Plans a new CLI session: the messages file (pretty-printed like Cline's,
 * user prompts wrapped in `<user_input mode="act">` as Cline stores them, one
 * user message per tool result), the manifest, and the `sessions` row effect.
 *
 * @param session The canonical session.
 * @param ctx Where to write.
 * @param options Workspace, time and id.
 * @returns The plan.
 */
export async function planSdkSession(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [];
  const dirs = clineCliDirs(ctx);
  let id = options.sessionId;
  if (id === undefined || !ID_RE.test(id)) {
    if (id !== undefined) {
      warnings.push({
        code: "session-id-replaced",
        message: `Used a new id: Cline session ids are letters, digits, "_" and "-", not "${id}"`,
      });
    }
    id = newSdkId(options.now);
  }
  const messages = conversation(session.messages);
  warnings.push(...reasoningWarning(messages, "Cline"));
  const times = fillTimestamps(messages, options.now);
  const { provider, model } = await configuredModel(dirs);
  const stored = canonicalToStored(messages, times, {
    wrapPrompt: (text) => `<user_input mode="act">${text}</user_input>`,
    resultPerMessage: true,
    decorate: (message, record, position) => {
      record.id = message.role === "assistant" ? `msg_casr${position}` : crypto.randomUUID();
      if (message.role === "assistant") {
        record.modelInfo = { id: model || message.author || "unknown", provider };
      }
    },
  });
  const file = sdkMessagesPath(dirs, id);
  const started = times[0] ?? options.now;
  const ended = times.at(-1) ?? options.now;
  const firstPrompt = messages.find((m) => m.role === "user")?.text ?? "";
  const title = session.title?.trim() || titleFromPrompt(firstPrompt);
  const origin = { source: "cli", mode: "user", sessionId: id, version: WRITER_VERSION };
  const data = JSON.stringify(
    {
      version: 1,
      updated_at: isoTime(options.now),
      agent: "lead",
      sessionId: id,
      origin,
      messages: stored,
    },
    null,
    2,
  );
  const metadata = { sessionHistoryOrigin: { mode: "user", version: WRITER_VERSION }, title };
  const common = {
    source: "cli",
    pid: 0,
    started_at: isoTime(started),
    ended_at: isoTime(ended),
    exit_code: 0,
    status: "completed",
    provider,
    model,
    cwd: options.workspace,
    workspace_root: options.workspace,
    enable_tools: true,
    enable_spawn: true,
    enable_teams: true,
    prompt: firstPrompt,
  };
  const manifest = JSON.stringify(
    {
      version: 1,
      session_id: id,
      ...common,
      interactive: true,
      metadata,
      messages_path: file,
    },
    null,
    2,
  );
  const row = {
    session_id: id,
    ...common,
    interactive: 1,
    enable_tools: 1,
    enable_spawn: 1,
    enable_teams: 1,
    is_subagent: 0,
    metadata_json: JSON.stringify(metadata),
    transcript_path: "",
    hook_path: "",
    messages_path: file,
    updated_at: isoTime(options.now),
  };
  return {
    sessionId: id,
    primaryPath: file,
    files: [
      { path: file, data, mode: 0o600 },
      { path: sdkManifestPath(dirs, id), data: manifest, mode: 0o600 },
    ],
    effects: [sessionRowEffect(sessionsDbPath(dirs), row)],
    resume: clineCliResume({ id, workspace: options.workspace }),
    warnings,
  };
}
