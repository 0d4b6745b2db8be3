/**
 * Plans a new session of an OpenCode-store agent for a canonical session.
 *
 * The session goes into the database the agent uses (`OPENCODE_DB` /
 * `KILO_DB`, else `<data>/opencode.db` / `<data>/kilo.db`), never into the
 * project: as rows when the database exists, through `<binary> import` when it
 * does not and the CLI is on PATH, else into a new database with the flavor's
 * schema (see effects.ts). When the data dir still holds a legacy JSON
 * `storage/` tree and no database, nothing is created (the agent imports that
 * tree when it creates its database itself) and the user is asked to start the
 * agent once.
 *
 * The primary path is `<db>#<ses_…>`, which the reader reads back.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import { CasrError } from "../../errors.ts";
import { exists } from "../../internal/fs.ts";
import { which } from "../../internal/process.ts";
import type { Session, Warning } from "../../model/types.ts";
import type {
  PlanWriteOptions,
  ProviderContext,
  WriteEffect,
  WritePlan,
} from "../../model/provider_data.ts";
import { openReadOnly } from "./db.ts";
import { createEffect, importEffect, rowsEffect } from "./effects.ts";
import type { StoreFlavor } from "./flavor.ts";
import { derivedSessionId, isSessionId } from "./ids.ts";
import { newestModel } from "./list.ts";
import { databasePath, dataDir, sessionRef, storageDir } from "./paths.ts";
import { chooseProject, type ProjectChoice } from "./project.ts";
import { storeResumeCommand } from "./resume.ts";
import { buildRows, DEFAULT_MODEL } from "./rows.ts";

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fsp.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Plans the session.
 *
 * @param flavor The agent.
 * @param session The canonical (repaired) session.
 * @param ctx Where to write.
 * @param options Target workspace, time and the id to use.
 * @returns The plan; nothing is written.
 * @throws {CasrError} `provider-unavailable` when the agent keeps its database in memory,
 * `write-failed` when a legacy storage tree must be imported by the agent first.
 */
export async function planStore(
  flavor: StoreFlavor,
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [];
  const { app, binary: bin } = flavor;
  const dbPath = databasePath(flavor, ctx);
  if (dbPath === undefined) {
    throw new CasrError(
      "provider-unavailable",
      `Cannot write a ${app} session: ${flavor.dbEnv}=:memory: keeps ${app}'s database in memory`,
    );
  }
  const id = options.sessionId === undefined
    ? await derivedSessionId(crypto.randomUUID(), flavor.idSalt)
    : isSessionId(options.sessionId)
    ? options.sessionId
    : await derivedSessionId(options.sessionId, flavor.idSalt);
  const workspace = options.workspace;
  const dbExists = await exists(dbPath);

  let project: ProjectChoice;
  let model: { providerID: string; modelID: string } = { ...DEFAULT_MODEL };
  if (dbExists) {
    try {
      const db = await openReadOnly(app, dbPath, id);
      try {
        project = await chooseProject(flavor, workspace, db);
      } finally {
        db.close();
      }
    } catch (error) {
      throw new CasrError(
        "write-failed",
        `Cannot write ${app} session "${id}": cannot read "${dbPath}" (${
          error instanceof Error ? error.message : error
        })`,
        { details: { path: dbPath }, cause: error },
      );
    }
    model = (await newestModel(app, dbPath)) ?? model;
  } else {
    project = await chooseProject(flavor, workspace, undefined);
  }
  if (project.caveat !== undefined) {
    warnings.push({ code: `${flavor.provider}-project`, message: project.caveat });
  }
  const rows = buildRows(
    session,
    { flavor, id, workspace, project, model, now: options.now },
    warnings,
  );

  let effect: WriteEffect;
  if (dbExists) {
    effect = rowsEffect(flavor, dbPath, rows);
  } else {
    const binary = await which(bin, ctx.env);
    const storage = storageDir(dataDir(flavor, ctx));
    if (binary !== undefined && await isDirectory(workspace)) {
      effect = importEffect(flavor, binary, dbPath, rows, workspace, { ...ctx.env });
    } else if (await exists(storage)) {
      throw new CasrError(
        "write-failed",
        `Cannot write ${app} session "${id}": "${dbPath}" does not exist yet and ${storage} holds sessions ${app} imports when it creates its database; run \`${bin}\` once, then retry`,
        { details: { path: dbPath } },
      );
    } else {
      effect = createEffect(flavor, dbPath, rows, options.now);
      warnings.push({
        code: `${flavor.provider}-database-created`,
        message:
          `Created ${dbPath} with ${app} ${flavor.schema.version}'s schema: ${app} had not run here yet (no database, \`${bin}\` not on PATH)`,
      });
    }
  }
  return {
    sessionId: id,
    primaryPath: sessionRef(dbPath, id),
    files: [],
    effects: [effect],
    resume: storeResumeCommand(flavor, { id, workspace }),
    warnings,
  };
}
