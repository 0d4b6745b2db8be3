/**
 * Plans a new OpenCode session for a canonical session.
 *
 * The session goes into the database OpenCode uses (`OPENCODE_DB`, else
 * `<data>/opencode.db`), never into the project: as rows when the database
 * exists, through `opencode import` when it does not and the CLI is on PATH,
 * else into a new database with OpenCode 1.18.33's schema (see effects.ts).
 * When the data dir still holds a legacy JSON `storage/` tree and no database,
 * nothing is created (OpenCode imports that tree when it creates its database
 * itself) and the user is asked to start OpenCode once.
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
import type { PlanWriteOptions, ProviderContext, WriteEffect, WritePlan } from "../types.ts";
import { openReadOnly } from "./db.ts";
import { createEffect, importEffect, rowsEffect } from "./effects.ts";
import { derivedSessionId, isSessionId } from "./ids.ts";
import { newestModel } from "./list.ts";
import { databasePath, dataDir, sessionRef, storageDir } from "./paths.ts";
import { chooseProject, type ProjectChoice } from "./project.ts";
import { openCodeResumeCommand } from "./resume.ts";
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
 * @param session The canonical (repaired) session.
 * @param ctx Where to write.
 * @param options Target workspace, time and the id to use.
 * @returns The plan; nothing is written.
 * @throws {CasrError} `provider-unavailable` when OpenCode keeps its database in memory,
 * `write-failed` when a legacy storage tree must be imported by OpenCode first.
 */
export async function planOpenCode(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [];
  const dbPath = databasePath(ctx);
  if (dbPath === undefined) {
    throw new CasrError(
      "provider-unavailable",
      "Cannot write an OpenCode session: OPENCODE_DB=:memory: keeps OpenCode's database in memory",
    );
  }
  const id = options.sessionId === undefined
    ? await derivedSessionId(crypto.randomUUID())
    : isSessionId(options.sessionId)
    ? options.sessionId
    : await derivedSessionId(options.sessionId);
  const workspace = options.workspace;
  const dbExists = await exists(dbPath);

  let project: ProjectChoice;
  let model: { providerID: string; modelID: string } = { ...DEFAULT_MODEL };
  if (dbExists) {
    try {
      const db = await openReadOnly(dbPath, id);
      try {
        project = await chooseProject(workspace, db);
      } finally {
        db.close();
      }
    } catch (error) {
      throw new CasrError(
        "write-failed",
        `Cannot write OpenCode session "${id}": cannot read "${dbPath}" (${
          error instanceof Error ? error.message : error
        })`,
        { details: { path: dbPath }, cause: error },
      );
    }
    model = (await newestModel(dbPath)) ?? model;
  } else {
    project = await chooseProject(workspace, undefined);
  }
  if (project.caveat !== undefined) {
    warnings.push({ code: "opencode-project", message: project.caveat });
  }
  const rows = buildRows(session, { id, workspace, project, model, now: options.now }, warnings);

  let effect: WriteEffect;
  if (dbExists) {
    effect = rowsEffect(dbPath, rows);
  } else {
    const binary = await which("opencode", ctx.env);
    if (binary !== undefined && await isDirectory(workspace)) {
      effect = importEffect(binary, dbPath, rows, workspace, { ...ctx.env });
    } else if (await exists(storageDir(dataDir(ctx)))) {
      throw new CasrError(
        "write-failed",
        `Cannot write OpenCode session "${id}": "${dbPath}" does not exist yet and ${
          storageDir(dataDir(ctx))
        } holds sessions OpenCode imports when it creates its database; run \`opencode\` once, then retry`,
        { details: { path: dbPath } },
      );
    } else {
      effect = createEffect(dbPath, rows, options.now);
      warnings.push({
        code: "opencode-database-created",
        message:
          `Created ${dbPath} with OpenCode 1.18.33's schema: OpenCode had not run here yet (no database, \`opencode\` not on PATH)`,
      });
    }
  }
  return {
    sessionId: id,
    primaryPath: sessionRef(dbPath, id),
    files: [],
    effects: [effect],
    resume: openCodeResumeCommand({ id, workspace }),
    warnings,
  };
}
