/**
 * Listing and finding OpenClaw and ClawdBot sessions cheaply: database rows
 * (one query per agent database) and the head and tail of JSONL files.
 *
 * Who owns a JSONL file: under a ClawdBot state dir (`~/.clawdbot`), files
 * with a header of version 4 or more are OpenClaw import inputs (OpenClaw uses
 * `~/.clawdbot` as its state dir when `~/.openclaw` does not exist; ClawdBot's
 * Pi wrote version 3), everything else is ClawdBot's. Under an OpenClaw state
 * dir every JSONL in `agents/<id>/sessions/` is OpenClaw's (not yet imported).
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ProviderContext, SessionSummary } from "../types.ts";
import { mapLimit, readDirEntries } from "../../internal/fast_fs.ts";
import { SCAN_CONCURRENCY } from "../../internal/session_index.ts";
import { definedFields, parseRecord } from "../../internal/jsonl.ts";
import { parseTimestamp } from "../../model/normalize.ts";
import { isPiSessionHeader } from "../../formats/pi_session.ts";
import { type PiListingFacts, piListingFacts, shortLabel } from "../../formats/pi_listing.ts";
import { type DbSessionRow, listDbSessions } from "./db.ts";
import { idFromFileName, isFlatRecord } from "./files.ts";
import {
  AGENT_DB_NAME,
  clawdbotStateDir,
  OPENCLAW_HEADER_VERSION,
  openClawStateDirs,
  sessionRef,
} from "./paths.ts";
import { sampleLines, setSampledCount, summarizeEach } from "../listing.ts";

/** The provider ids. */
export const OPENCLAW_ID = "openclaw";
/** The ClawdBot provider id. */
export const CLAWDBOT_ID = "clawdbot";

/** What the first line of a JSONL session says about its owner. */
export type FileKind = "pi-v4" | "pi-legacy" | "flat" | "none";

/**
 * Classifies a session file by its first line: a Pi header of version ≥ 4
 * (OpenClaw), an older Pi header (ClawdBot / OpenClaw ≤ 2026.6), a flat
 * `{role, content}` record, or nothing usable.
 *
 * @param firstLine The file's first line.
 * @returns The kind.
 */
export function fileKind(firstLine: string | undefined): FileKind {
  const value = firstLine === undefined ? undefined : parseRecord(firstLine);
  if (isPiSessionHeader(value)) {
    return typeof value.version === "number" && value.version >= OPENCLAW_HEADER_VERSION
      ? "pi-v4"
      : "pi-legacy";
  }
  return isFlatRecord(value) ? "flat" : "none";
}

/**
 * Summarizes one JSONL session from its head and tail.
 *
 * @param path The file.
 * @param provider The provider id to report.
 * @param accept Which kinds of file this provider lists.
 * @returns The summary, or `undefined` when the file is not one of the accepted kinds.
 */
export async function summarizeSessionFile(
  path: string,
  provider: string,
  accept: (kind: FileKind) => boolean,
): Promise<SessionSummary | undefined> {
  const sampled = await sampleLines(path);
  if (sampled === undefined) return undefined;
  const { sample, head, tail } = sampled;
  const kind = fileKind(head[0]);
  if (kind === "none" || !accept(kind)) return undefined;
  const summary: SessionSummary = {
    id: idFromFileName(path),
    provider,
    path,
    sizeBytes: sample.size,
  };
  const lines = sample.whole ? head : [...head, ...tail];
  let prompt: string | undefined;
  let last: number | undefined;
  if (kind === "flat") {
    for (const line of head.slice(0, 200)) {
      const record = parseRecord(line);
      const time = parseTimestamp(record?.timestamp);
      if (summary.startedAt === undefined && time !== undefined) summary.startedAt = time;
      if (prompt === undefined && record?.role === "user") {
        prompt = shortLabel(typeof record.content === "string" ? record.content : "");
      }
    }
    for (const line of [...lines].reverse()) {
      last = parseTimestamp(parseRecord(line)?.timestamp);
      if (last !== undefined) break;
    }
    summary.messageCount = head.filter((l) => /"role":"(user|assistant)"/.test(l)).length;
  } else {
    const facts = piListingFacts(head, tail) as PiListingFacts;
    summary.id = facts.header.id;
    Object.assign(
      summary,
      definedFields({ workspace: facts.workspace, startedAt: facts.startedAt }),
    );
    prompt = facts.prompt;
    last = facts.lastMessageAt;
    setSampledCount(summary, sample, facts.headCount, facts.tailCount);
  }
  if (prompt !== undefined) summary.title = prompt;
  summary.lastActiveAt = last ?? sample.mtimeMs;
  return summary;
}

/** `*.jsonl` files directly in `<state>/agents/<id>/sessions/` of every agent. */
async function agentJsonlFiles(stateDir: string): Promise<string[]> {
  const agents = (await readDirEntries(nodePath.join(stateDir, "agents"))).filter((e) => e.isDir);
  const lists = await mapLimit(
    agents,
    SCAN_CONCURRENCY,
    (a) => readDirEntries(nodePath.join(a.path, "sessions")),
  );
  return lists.flat().filter((e) => e.isFile && /\.jsonl$/i.test(e.name)).map((e) => e.path);
}

/** Every `openclaw-agent.sqlite` of a state dir. */
async function agentDatabases(stateDir: string): Promise<string[]> {
  const agents = (await readDirEntries(nodePath.join(stateDir, "agents"))).filter((e) => e.isDir);
  const out: string[] = [];
  for (const agent of agents) {
    const files = await readDirEntries(nodePath.join(agent.path, "agent"));
    if (files.some((f) => f.isFile && f.name === AGENT_DB_NAME)) {
      out.push(nodePath.join(agent.path, "agent", AGENT_DB_NAME));
    }
  }
  return out;
}

function dbSummary(db: string, row: DbSessionRow): SessionSummary {
  const summary: SessionSummary = {
    id: row.id,
    provider: OPENCLAW_ID,
    path: sessionRef(db, row.id),
    messageCount: row.messageCount,
  };
  if (row.workspace !== undefined) summary.workspace = row.workspace;
  const title = row.title ?? row.firstPrompt;
  if (title !== undefined) summary.title = title;
  if (row.startedAt !== undefined) summary.startedAt = row.startedAt;
  if (row.updatedAt !== undefined) summary.lastActiveAt = row.updatedAt;
  return summary;
}

/**
 * Every JSONL file in an OpenClaw state dir's agent session folders (in a
 * ClawdBot state dir, {@linkcode acceptsForOpenClaw} keeps only version-4 files).
 */
async function openClawFiles(ctx: ProviderContext): Promise<string[]> {
  const out: string[] = [];
  for (const dir of openClawStateDirs(ctx)) out.push(...await agentJsonlFiles(dir));
  return [...new Set(out)].sort();
}

function acceptsForOpenClaw(path: string, ctx: ProviderContext): (kind: FileKind) => boolean {
  const clawdbot = clawdbotStateDir(ctx) + nodePath.sep;
  const legacyDir = path.startsWith(clawdbot);
  return (kind) => kind === "pi-v4" || (kind === "pi-legacy" && !legacyDir);
}

function summarizeOpenClawFiles(
  files: readonly string[],
  ctx: ProviderContext,
): Promise<SessionSummary[]> {
  return summarizeEach(
    files,
    (p) => summarizeSessionFile(p, OPENCLAW_ID, acceptsForOpenClaw(p, ctx)),
  );
}

/**
 * The sessions an id or id prefix names: the ones with exactly that id when
 * there are any, else the ones whose id starts with it (case-insensitive).
 * `search` looks for candidates: `only` for the database query, `matches`
 * for the ids in file names; what it returns is filtered again by id.
 */
async function findExactOrPrefix(
  idOrPrefix: string,
  search: (
    only: { id: string; prefix: boolean },
    matches: (id: string) => boolean,
  ) => Promise<SessionSummary[]>,
): Promise<SessionSummary[]> {
  const wanted = idOrPrefix.trim();
  if (wanted === "") return [];
  const exact = (id: string) => id === wanted;
  const found = (await search({ id: wanted, prefix: false }, exact)).filter((s) => exact(s.id));
  if (found.length > 0) return found;
  const lower = wanted.toLowerCase();
  const prefix = (id: string) => id.toLowerCase().startsWith(lower);
  return (await search({ id: wanted, prefix: true }, prefix)).filter((s) => prefix(s.id));
}

/** Database sessions first; a file whose id is already in a database is dropped. */
function merge(fromDb: SessionSummary[], fromFiles: SessionSummary[]): SessionSummary[] {
  const ids = new Set(fromDb.map((s) => s.id));
  return [...fromDb, ...fromFiles.filter((s) => !ids.has(s.id))];
}

async function openClawDbSummaries(
  ctx: ProviderContext,
  only?: { id: string; prefix: boolean },
): Promise<SessionSummary[]> {
  const out: SessionSummary[] = [];
  for (const dir of openClawStateDirs(ctx)) {
    for (const db of await agentDatabases(dir)) {
      for (const row of await listDbSessions(db, only)) out.push(dbSummary(db, row));
    }
  }
  return out;
}

/**
 * Lists every OpenClaw session: rows of each agent database, then JSONL files
 * waiting for `openclaw doctor --session-sqlite import`.
 *
 * @param ctx Where to look.
 * @returns The summaries.
 */
export async function listOpenClaw(ctx: ProviderContext): Promise<SessionSummary[]> {
  return merge(
    await openClawDbSummaries(ctx),
    await summarizeOpenClawFiles(await openClawFiles(ctx), ctx),
  );
}

/**
 * Finds OpenClaw sessions by id or id prefix.
 *
 * @param ctx Where to look.
 * @param idOrPrefix A full id or its start.
 * @returns The exact match alone when there is one, else every prefix match.
 */
export function findOpenClaw(
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  let files: Promise<string[]> | undefined;
  return findExactOrPrefix(idOrPrefix, async (only, matches) => {
    files ??= openClawFiles(ctx);
    const named = (await files).filter((f) => matches(idFromFileName(f)));
    return merge(await openClawDbSummaries(ctx, only), await summarizeOpenClawFiles(named, ctx));
  });
}

/** ClawdBot's files: `agents/<id>/sessions/*.jsonl` and the older `sessions/*.jsonl`. */
async function clawdbotFiles(ctx: ProviderContext): Promise<string[]> {
  const root = clawdbotStateDir(ctx);
  const old = (await readDirEntries(nodePath.join(root, "sessions")))
    .filter((e) => e.isFile && /\.jsonl$/i.test(e.name)).map((e) => e.path);
  return [...new Set([...(await agentJsonlFiles(root)), ...old])].sort();
}

function summarizeClawdbotFiles(files: readonly string[]): Promise<SessionSummary[]> {
  return summarizeEach(
    files,
    (p) => summarizeSessionFile(p, CLAWDBOT_ID, (kind) => kind === "pi-legacy" || kind === "flat"),
  );
}

/**
 * Lists every ClawdBot session (JSONL files under its state dir that are not
 * OpenClaw import inputs).
 *
 * @param ctx Where to look.
 * @returns The summaries.
 */
export async function listClawdbot(ctx: ProviderContext): Promise<SessionSummary[]> {
  return summarizeClawdbotFiles(await clawdbotFiles(ctx));
}

/**
 * Finds ClawdBot sessions by id or id prefix.
 *
 * @param ctx Where to look.
 * @param idOrPrefix A full id or its start.
 * @returns The exact match alone when there is one, else every prefix match.
 */
export function findClawdbot(
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  let files: Promise<string[]> | undefined;
  return findExactOrPrefix(idOrPrefix, async (_only, matches) => {
    files ??= clawdbotFiles(ctx);
    return summarizeClawdbotFiles((await files).filter((f) => matches(idFromFileName(f))));
  });
}
