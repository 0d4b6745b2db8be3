/**
 * Test helpers shared by the writer tests of the two agents that keep
 * sessions in an OpenCode-style SQLite store (OpenCode and Kilo CLI): where
 * the database is, how many rows each table has, one row, and the two
 * scenarios both run (a plan applied to an existing database, and an import
 * through the real CLI).
 *
 * @module
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type ConvertResult, convertSession } from "../src/pipeline/convert.ts";
import { claudeCode } from "../src/providers/claude_code/mod.ts";
import type { Provider, WritePlan } from "../src/providers/types.ts";
import { fixtureFor, loadManifest, type TempHome, tempHome } from "./fixture_home.ts";

const fixtures = await loadManifest();
const claudeMulti = fixtureFor(fixtures, "claude-code", "multi-tool");
const claudeBasic = fixtureFor(fixtures, "claude-code", "basic");

/**
 * The database an agent keeps in `~/.local/share/<app>/<app>.db`.
 *
 * @param home The home folder.
 * @param app `opencode` or `kilo`.
 * @returns The path.
 */
export function storeDbOf(home: string, app: string): string {
  return path.join(home, ".local", "share", app, `${app}.db`);
}

function withDb<T>(db: string, use: (handle: DatabaseSync) => T): T {
  const handle = new DatabaseSync(db, { readOnly: true });
  try {
    return use(handle);
  } finally {
    handle.close();
  }
}

/**
 * How many rows the project, session, message, part and event tables have.
 *
 * @param db The database.
 * @returns The counts by table.
 */
export function tableCounts(db: string): Record<string, number> {
  return withDb(db, (handle) => {
    const out: Record<string, number> = {};
    for (const table of ["project", "session", "message", "part", "event"]) {
      out[table] = Number(handle.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n);
    }
    return out;
  });
}

/**
 * The first row a query returns, as a plain object.
 *
 * @param db The database.
 * @param sql The query.
 * @param params Its parameters.
 * @returns The row (empty when there is none).
 */
export function rowOf(db: string, sql: string, ...params: string[]): Record<string, unknown> {
  return withDb(db, (handle) => ({ ...handle.prepare(sql).get(...params) }));
}

/**
 * The ids of the migrations a database records, in order.
 *
 * @param db The database.
 * @returns The ids.
 */
export function appliedMigrations(db: string): unknown[] {
  return withDb(
    db,
    (handle) => handle.prepare("SELECT id FROM migration ORDER BY rowid").all().map((r) => r.id),
  );
}

/** What {@linkcode planIntoStore} leaves for the test to check further. */
export interface AppliedPlan {
  /** The database. */
  db: string;
  /** The row counts before the plan was applied. */
  before: Record<string, number>;
  /** The plan. */
  plan: WritePlan;
  /** Undoes the applied effect and checks that the counts are back to `before`. */
  undo: () => Promise<void>;
}

/**
 * Plans the genuine Claude Code multi-tool session into an existing store
 * (asking for a UUID id, which the store replaces), checks that planning
 * writes nothing and the resume command, applies it and checks that it adds
 * one session and no project or event row.
 *
 * @param provider The store's provider.
 * @param home A home holding the store's and Claude Code's fixtures.
 * @param app `opencode` or `kilo` (the database and the binary).
 * @returns The plan, the counts before and the undo.
 */
export async function planIntoStore(
  provider: Provider,
  home: TempHome,
  app: string,
): Promise<AppliedPlan> {
  const db = storeDbOf(home.home, app);
  const before = tableCounts(db);
  const { session } = await claudeCode.read(
    path.join(home.home, path.relative("claude-code", claudeMulti.path)),
    home.ctx,
  );
  const plan = await provider.plan(session, home.ctx, {
    workspace: "/tmp/casr-fixture-project",
    now: Date.now(),
    sessionId: "0b7c3c1e-6f0c-4c55-9d59-2b7d1f5b7e11",
  });
  assert.deepEqual(plan.files, []);
  assert.equal(plan.primaryPath, `${db}#${plan.sessionId}`);
  assert.deepEqual(plan.resume.argv, [app, "--session", plan.sessionId]);
  assert.equal(plan.resume.cwd, "/tmp/casr-fixture-project");
  assert.equal(plan.effects.length, 1);
  assert.deepEqual(tableCounts(db), before, "plan() writes nothing");
  const applied = await plan.effects[0]!.apply();
  assert.ok(applied);
  const undo = async () => {
    await applied();
    assert.deepEqual(tableCounts(db), before, "undo removes exactly the new rows");
  };
  const after = tableCounts(db);
  assert.equal(after.session, before.session! + 1);
  assert.equal(after.project, before.project, "the global project row is reused");
  assert.equal(after.event, before.event, "no event rows");
  return { db, before, plan, undo };
}

/**
 * Converts the genuine Claude Code basic session into a home with no store:
 * the conversion must verify, warn that it created the database, and record
 * the store's migrations.
 *
 * @param home A home with Claude Code's fixtures only.
 * @param to The `--to` name.
 * @param app `opencode` or `kilo` (the database and the warning).
 * @param migrations The migrations the new database must record.
 * @returns The conversion's result, the database and its migrations.
 */
export async function convertIntoNewStore(
  home: TempHome,
  to: string,
  app: string,
  migrations: readonly string[],
): Promise<{ result: ConvertResult; db: string; applied: unknown[] }> {
  const result = await convertSession(home.ctx, to, claudeBasic.sessionId);
  assert.equal(result.verified, true);
  const created = `${app === "kilo" ? "kilo-cli" : app}-database-created`;
  assert.ok(result.warnings.some((w) => w.code === created));
  const db = storeDbOf(home.home, app);
  const applied = appliedMigrations(db);
  assert.deepEqual(applied, [...migrations]);
  return { result, db, applied };
}

/**
 * Converts the Claude Code multi-tool session with no database, the real CLI
 * on PATH: the session must go in through the CLI's `import` and be found
 * with its workspace and ten messages.
 *
 * @param provider The store's provider.
 * @param to The `--to` name.
 * @param binDir The folder of the real CLI.
 * @param env The CLI's offline settings.
 * @param effect What the import effect's description matches.
 */
export async function assertRealCliImport(
  provider: Provider,
  to: string,
  binDir: string,
  env: Record<string, string>,
  effect: RegExp,
): Promise<void> {
  await using home = await tempHome(["claude-code"]);
  const workspace = path.join(home.home, "project");
  await Deno.mkdir(workspace);
  const ctx = {
    ...home.ctx,
    env: { HOME: home.home, PATH: `${binDir}:/usr/local/bin:/usr/bin:/bin`, ...env },
  };
  const result = await convertSession(ctx, to, claudeMulti.sessionId, { workspace });
  assert.equal(result.verified, true);
  assert.match(result.effects[0] ?? "", effect);
  const listed = await provider.find(ctx, result.target.sessionId);
  assert.equal(listed[0]?.workspace, workspace);
  assert.equal(listed[0]?.messageCount, 10);
}
