/**
 * Listing and finding the sessions of an OpenCode-store agent: rows of every
 * database of its data dir (aggregate queries only), plus legacy JSON sessions
 * that are not also in a database.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import { exists } from "../../internal/fs.ts";
import { str } from "../../internal/jsonl.ts";
import type { ProviderContext, SessionSummary } from "../../model/provider_data.ts";
import type { StoreFlavor } from "./flavor.ts";
import { listSessionRows, openReadOnly, type SessionListing, type SessionRow } from "./db.ts";
import {
  legacyMessageCount,
  legacySessionFiles,
  legacySessionRow,
  readLegacySessionFile,
} from "./legacy.ts";
import { databasePaths, dataDir, sessionRef } from "./paths.ts";

function summaryOf(flavor: StoreFlavor, row: SessionRow, path: string): SessionSummary {
  const summary: SessionSummary = { id: row.id, provider: flavor.provider, path };
  if (row.title !== undefined) summary.title = row.title;
  if (row.directory !== undefined) summary.workspace = row.directory;
  if (row.timeCreated !== undefined) summary.startedAt = row.timeCreated;
  if (row.timeUpdated !== undefined) summary.lastActiveAt = row.timeUpdated;
  return summary;
}

function fromListing(flavor: StoreFlavor, listing: SessionListing, db: string): SessionSummary {
  return {
    ...summaryOf(flavor, listing.session, sessionRef(db, listing.session.id)),
    messageCount: listing.messageCount,
    sizeBytes: listing.sizeBytes,
  };
}

async function dbSummaries(
  flavor: StoreFlavor,
  ctx: ProviderContext,
  where: string,
  params: unknown[],
  children?: Set<string>,
): Promise<SessionSummary[]> {
  const out: SessionSummary[] = [];
  for (const db of await databasePaths(flavor, ctx)) {
    if (!(await exists(db))) continue;
    try {
      const handle = await openReadOnly(flavor.app, db);
      try {
        for (const listing of listSessionRows(handle, where, params)) {
          if (children !== undefined && listing.session.parentId !== undefined) {
            children.add(listing.session.id);
            continue;
          }
          out.push(fromListing(flavor, listing, db));
        }
      } finally {
        handle.close();
      }
    } catch {
      // An unreadable or foreign database lists nothing; `read` reports why.
    }
  }
  return out;
}

async function legacySummaries(
  flavor: StoreFlavor,
  ctx: ProviderContext,
  seen: ReadonlySet<string>,
  match: (id: string) => boolean,
  withChildren = true,
): Promise<SessionSummary[]> {
  const data = dataDir(flavor, ctx);
  const out: SessionSummary[] = [];
  for (const file of await legacySessionFiles(data)) {
    if (seen.has(file.id) || !match(file.id)) continue;
    let row: SessionRow = { id: file.id };
    try {
      row = legacySessionRow(await readLegacySessionFile(file.path), file.id);
    } catch {
      // listed by its file name only
    }
    if (!withChildren && row.parentId !== undefined) continue;
    const summary = summaryOf(flavor, row, file.path);
    summary.messageCount = await legacyMessageCount(data, file.id);
    try {
      summary.sizeBytes = (await fsp.stat(file.path)).size;
    } catch {
      // keep the summary without a size
    }
    out.push(summary);
  }
  return out;
}

/**
 * Lists every session the agent itself lists: sub-agent sessions (a `task`
 * call's child session, with a `parent_id`, or `parentID` in the JSON storage)
 * are left out, as OpenCode's own
 * session list leaves them out; `findStore` still finds them by id.
 *
 * @param flavor The agent.
 * @param ctx Where to look.
 * @returns One summary per session.
 */
export async function listStore(
  flavor: StoreFlavor,
  ctx: ProviderContext,
): Promise<SessionSummary[]> {
  const seen = new Set<string>();
  const rows = await dbSummaries(flavor, ctx, "", [], seen);
  for (const row of rows) seen.add(row.id);
  return [...rows, ...await legacySummaries(flavor, ctx, seen, () => true, false)];
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Finds sessions by id or id prefix.
 *
 * @param flavor The agent.
 * @param ctx Where to look.
 * @param idOrPrefix A full id or a prefix (case-sensitive, as OpenCode ids are).
 * @returns The exact match alone when there is one, else every prefix match.
 */
export async function findStore(
  flavor: StoreFlavor,
  ctx: ProviderContext,
  idOrPrefix: string,
): Promise<SessionSummary[]> {
  const key = idOrPrefix.trim();
  if (key === "" || !/^[A-Za-z0-9_-]+$/.test(key)) return [];
  const rows = await dbSummaries(flavor, ctx, "WHERE s.id LIKE ? ESCAPE '\\'", [
    `${likeEscape(key)}%`,
  ]);
  const seen = new Set(rows.map((s) => s.id));
  const all = [...rows, ...await legacySummaries(flavor, ctx, seen, (id) => id.startsWith(key))];
  const exact = all.filter((s) => s.id === key);
  return exact.length > 0 ? exact : all;
}

/**
 * The newest session's model, for writers that must name a model the user has.
 *
 * @param app The agent's name, for messages.
 * @param db The database.
 * @returns `{providerID, modelID}` of the most recently updated session that has one.
 */
export async function newestModel(
  app: string,
  db: string,
): Promise<{ providerID: string; modelID: string } | undefined> {
  try {
    const handle = await openReadOnly(app, db);
    try {
      const rows = handle.prepare(
        "SELECT model FROM session WHERE model IS NOT NULL ORDER BY time_updated DESC LIMIT 5",
      ).all();
      for (const row of rows) {
        try {
          const model: unknown = JSON.parse(String(row.model));
          const record = model as Record<string, unknown>;
          const providerID = str(record?.providerID);
          const modelID = str(record?.id);
          if (providerID !== undefined && modelID !== undefined) return { providerID, modelID };
        } catch {
          // next row
        }
      }
    } finally {
      handle.close();
    }
  } catch {
    return undefined;
  }
  return undefined;
}
