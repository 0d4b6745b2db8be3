import assert from "node:assert/strict";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { convertSession } from "../../pipeline/convert.ts";
import { fixtureFor, loadManifest, ROOT, tempHome } from "../../../tests/fixture_home.ts";
import { claudeCode } from "../claude_code/mod.ts";
import { kiloCli } from "./mod.ts";
import { APPLIED_MIGRATIONS } from "./schema.ts";

const fixtures = await loadManifest();
const claudeBasic = fixtureFor(fixtures, "claude-code", "basic");
const claudeMulti = fixtureFor(fixtures, "claude-code", "multi-tool");

function dbOf(home: string): string {
  return path.join(home, ".local", "share", "kilo", "kilo.db");
}

function counts(db: string): Record<string, number> {
  const handle = new DatabaseSync(db, { readOnly: true });
  try {
    const out: Record<string, number> = {};
    for (const table of ["project", "session", "message", "part", "event"]) {
      out[table] = Number(handle.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n);
    }
    return out;
  } finally {
    handle.close();
  }
}

function rowOf(db: string, sql: string, ...params: string[]): Record<string, unknown> {
  const handle = new DatabaseSync(db, { readOnly: true });
  try {
    return { ...handle.prepare(sql).get(...params) };
  } finally {
    handle.close();
  }
}

Deno.test("writing into kilo.db adds Kilo-shaped rows only (agent code, version 7.7.9); undo removes them", async () => {
  await using home = await tempHome(["kilo-cli", "claude-code"]);
  const db = dbOf(home.home);
  const before = counts(db);
  const { session } = await claudeCode.read(
    path.join(home.home, path.relative("claude-code", claudeMulti.path)),
    home.ctx,
  );
  const plan = await kiloCli.plan(session, home.ctx, {
    workspace: "/tmp/casr-fixture-project",
    now: Date.now(),
    sessionId: "0b7c3c1e-6f0c-4c55-9d59-2b7d1f5b7e11",
  });
  assert.match(plan.sessionId, /^ses_[0-9a-f]{12}[0-9A-Za-z]{14}$/);
  assert.deepEqual(plan.files, []);
  assert.equal(plan.primaryPath, `${db}#${plan.sessionId}`);
  assert.deepEqual(plan.resume.argv, ["kilo", "--session", plan.sessionId]);
  assert.equal(plan.resume.cwd, "/tmp/casr-fixture-project");
  assert.deepEqual(counts(db), before, "plan() writes nothing");
  const undo = await plan.effects[0]!.apply();
  const after = counts(db);
  assert.equal(after.session, before.session! + 1);
  assert.equal(after.project, before.project, "the global project row is reused");
  assert.equal(after.event, before.event, "no event rows");
  const row = rowOf(
    db,
    "SELECT project_id, version, agent, directory FROM session WHERE id = ?",
    plan.sessionId,
  );
  assert.deepEqual(row, {
    project_id: "global",
    version: "7.7.9",
    agent: "code",
    directory: "/tmp/casr-fixture-project",
  });
  const message = rowOf(
    db,
    "SELECT data FROM message WHERE session_id = ? AND data LIKE '%assistant%'",
    plan.sessionId,
  );
  const data = JSON.parse(String(message.data));
  assert.equal(data.agent, "code");
  assert.equal(data.mode, "code");
  const back = await kiloCli.read(plan.primaryPath, home.ctx);
  assert.equal(back.session.provider, "kilo-cli");
  assert.equal(back.session.messages.flatMap((m) => m.toolCalls).length, 3);
  await undo!();
  assert.deepEqual(counts(db), before);
});

Deno.test("convertSession() to klc with no database creates kilo.db with Kilo 7.7.9's schema", async () => {
  await using home = await tempHome(["claude-code"]);
  const result = await convertSession(home.ctx, "klc", claudeBasic.sessionId);
  assert.equal(result.verified, true);
  assert.ok(result.warnings.some((w) => w.code === "kilo-cli-database-created"));
  const db = dbOf(home.home);
  const handle = new DatabaseSync(db, { readOnly: true });
  try {
    const applied = handle.prepare("SELECT id FROM migration ORDER BY rowid").all().map((r) =>
      r.id
    );
    assert.deepEqual(applied, [...APPLIED_MIGRATIONS]);
    assert.equal(applied.length, 42);
    const board = handle.prepare(
      "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'kilo_board'",
    ).get();
    assert.equal(Number(board?.n), 1);
  } finally {
    handle.close();
  }
  assert.equal(
    (await kiloCli.find(home.ctx, result.target.sessionId))[0]?.id,
    result.target.sessionId,
  );
});

const REAL_BIN = path.join(
  ROOT,
  ".cache/clis/@kilocode+cli-linux-x64@7.7.9/node_modules/@kilocode/cli-linux-x64/bin",
);
const hasRealCli = await Deno.stat(path.join(REAL_BIN, "kilo")).then(() => true, () => false);

Deno.test({
  name: "with no database and kilo on PATH, the session goes in through `kilo import` (real 7.7.9)",
  ignore: !hasRealCli,
  async fn() {
    await using home = await tempHome(["claude-code"]);
    const workspace = path.join(home.home, "project");
    await Deno.mkdir(workspace);
    const env: Record<string, string> = {
      HOME: home.home,
      PATH: `${REAL_BIN}:/usr/local/bin:/usr/bin:/bin`,
      KILO_DISABLE_AUTOUPDATE: "1",
      KILO_DISABLE_MODELS_FETCH: "1",
      KILO_TELEMETRY_LEVEL: "off",
      KILO_NO_DAEMON: "1",
    };
    const ctx = { ...home.ctx, env };
    const result = await convertSession(ctx, "klc", claudeMulti.sessionId, { workspace });
    assert.equal(result.verified, true);
    assert.match(result.effects[0] ?? "", /kilo import/);
    const listed = await kiloCli.find(ctx, result.target.sessionId);
    assert.equal(listed[0]?.workspace, workspace);
    assert.equal(listed[0]?.messageCount, 10);
  },
});
