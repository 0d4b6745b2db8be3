import assert from "node:assert/strict";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { CasrError } from "../../errors.ts";
import { convertSession } from "../../pipeline/convert.ts";
import { fixtureFor, loadManifest, ROOT, tempHome } from "../../../tests/fixture_home.ts";
import type { Session } from "../../model/types.ts";
import { AscendingIds, derivedSessionId, isSessionId } from "../../formats/opencode_store/mod.ts";
import { opencode } from "./mod.ts";
import { APPLIED_MIGRATIONS } from "./schema.ts";

const fixtures = await loadManifest();
const claudeBasic = fixtureFor(fixtures, "claude-code", "basic");
const claudeMulti = fixtureFor(fixtures, "claude-code", "multi-tool");

function dbOf(home: string): string {
  return path.join(home, ".local", "share", "opencode", "opencode.db");
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

Deno.test("ids: ascending ids strictly increase, derived session ids are stable ses_ ids", async () => {
  const ids = new AscendingIds("prt");
  const a = ids.next(1796157921296);
  const b = ids.next(1796157921296);
  const c = ids.next(1796157921000);
  assert.match(a, /^prt_2335ad810001[0-9A-Za-z]{14}$/); // the 1.18.33 id of that millisecond
  assert.ok(a < b && b < c);
  const one = await derivedSessionId("4f0c…", "opencode");
  assert.equal(one, await derivedSessionId("4f0c…", "opencode"));
  assert.notEqual(one, await derivedSessionId("other", "opencode"));
  assert.ok(isSessionId(one));
  assert.ok(!isSessionId("ses_short"));
});

Deno.test("writing into an existing database adds only the new rows; undo removes exactly them", async () => {
  await using home = await tempHome(["opencode", "claude-code"]);
  const db = dbOf(home.home);
  const before = counts(db);
  const { session } = await (await import("../claude_code/mod.ts")).claudeCode.read(
    path.join(home.home, path.relative("claude-code", claudeMulti.path)),
    home.ctx,
  );
  const plan = await opencode.plan(session, home.ctx, {
    workspace: "/tmp/casr-fixture-project",
    now: Date.now(),
    sessionId: "0b7c3c1e-6f0c-4c55-9d59-2b7d1f5b7e11",
  });
  assert.deepEqual(plan.files, []);
  assert.equal(plan.primaryPath, `${db}#${plan.sessionId}`);
  assert.deepEqual(plan.resume.argv, ["opencode", "--session", plan.sessionId]);
  assert.equal(plan.resume.cwd, "/tmp/casr-fixture-project");
  assert.equal(plan.effects.length, 1);
  assert.deepEqual(counts(db), before, "plan() writes nothing");
  const undo = await plan.effects[0]!.apply();
  const after = counts(db);
  assert.equal(after.session, before.session! + 1);
  assert.equal(after.project, before.project, "the global project row is reused");
  assert.equal(after.event, before.event, "no event rows");
  const back = await opencode.read(plan.primaryPath, home.ctx);
  assert.equal(back.session.id, plan.sessionId);
  const calls = back.session.messages.flatMap((m) => m.toolCalls);
  assert.equal(calls.length, 3);
  const results = back.session.messages.flatMap((m) => m.toolResults);
  assert.deepEqual(results.map((r) => r.isError), [false, true, false]);
  assert.ok(undo);
  await undo();
  assert.deepEqual(counts(db), before);
});

Deno.test("convertSession() to opencode with no database creates one with OpenCode 1.18.33's schema", async () => {
  await using home = await tempHome(["claude-code"]);
  const result = await convertSession(home.ctx, "opc", claudeBasic.sessionId);
  assert.equal(result.verified, true);
  assert.ok(result.warnings.some((w) => w.code === "opencode-database-created"));
  const db = dbOf(home.home);
  const handle = new DatabaseSync(db, { readOnly: true });
  try {
    const applied = handle.prepare("SELECT id FROM migration ORDER BY rowid").all().map((r) =>
      r.id
    );
    assert.deepEqual(applied, [...APPLIED_MIGRATIONS]);
    const row = handle.prepare("SELECT project_id, directory, path, version FROM session").get();
    assert.deepEqual({ ...row }, {
      project_id: "global",
      directory: "/tmp/casr-fixture-project",
      path: "tmp/casr-fixture-project",
      version: "1.18.33",
    });
  } finally {
    handle.close();
  }
  // The same conversion again finds it up to date; --force replaces the session's rows.
  const before = counts(dbOf(home.home));
  const same = await convertSession(home.ctx, "opc", claudeBasic.sessionId);
  assert.equal(same.update?.kind, "unchanged");
  assert.deepEqual(counts(dbOf(home.home)), before, "an up-to-date session is not written");
  const again = await convertSession(home.ctx, "opc", claudeBasic.sessionId, { force: true });
  assert.equal(again.verified, true);
  assert.equal(again.target.sessionId, result.target.sessionId);
  assert.deepEqual(counts(dbOf(home.home)), before, "--force replaced the rows, added none");
});

Deno.test("a failed verification removes the database casr created", async () => {
  await using home = await tempHome(["claude-code"]);
  const { claudeCode } = await import("../claude_code/mod.ts");
  const { session } = await claudeCode.read(
    path.join(home.home, path.relative("claude-code", claudeBasic.path)),
    home.ctx,
  );
  const plan = await opencode.plan(session, home.ctx, {
    workspace: "/tmp/w",
    now: Date.now(),
  });
  const undo = await plan.effects[0]!.apply();
  assert.ok(await Deno.stat(dbOf(home.home)));
  await undo!();
  await assert.rejects(Deno.stat(path.join(home.home, ".local")));
});

Deno.test("no database but a legacy storage/ tree: refuse, so OpenCode can import that tree itself", async () => {
  await using home = await tempHome();
  await Deno.mkdir(path.join(home.home, ".local", "share", "opencode", "storage", "session"), {
    recursive: true,
  });
  const session: Session = {
    id: "s",
    provider: "x",
    metadata: {},
    messages: [
      { index: 0, role: "user", text: "hi", toolCalls: [], toolResults: [], timestamp: 1 },
      { index: 1, role: "assistant", text: "yo", toolCalls: [], toolResults: [], timestamp: 2 },
    ],
  };
  await assert.rejects(
    opencode.plan(session, home.ctx, { workspace: "/tmp/w", now: 3 }),
    (e) =>
      e instanceof CasrError && e.code === "write-failed" && /run `opencode` once/.test(e.message),
  );
});

const REAL_BIN = path.join(ROOT, ".cache/clis/opencode-ai@1.18.33/node_modules/.bin");
const hasRealCli = await Deno.stat(path.join(REAL_BIN, "opencode")).then(() => true, () => false);

Deno.test({
  name:
    "with no database and opencode on PATH, the session goes in through `opencode import` (real 1.18.33)",
  ignore: !hasRealCli,
  async fn() {
    await using home = await tempHome(["claude-code"]);
    const workspace = path.join(home.home, "project");
    await Deno.mkdir(workspace);
    const env: Record<string, string> = {
      HOME: home.home,
      PATH: `${REAL_BIN}:/usr/local/bin:/usr/bin:/bin`,
      OPENCODE_DISABLE_AUTOUPDATE: "1",
      OPENCODE_DISABLE_MODELS_FETCH: "1",
    };
    const ctx = { ...home.ctx, env };
    const result = await convertSession(ctx, "opc", claudeMulti.sessionId, { workspace });
    assert.equal(result.verified, true);
    assert.match(result.effects[0] ?? "", /opencode import/);
    const listed = await opencode.find(ctx, result.target.sessionId);
    assert.equal(listed[0]?.workspace, workspace);
    assert.equal(listed[0]?.messageCount, 10);
  },
});
