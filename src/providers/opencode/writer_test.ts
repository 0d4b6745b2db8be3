import assert from "node:assert/strict";
import * as path from "node:path";
import { CasrError } from "../../errors.ts";
import { convertSession } from "../../pipeline/convert.ts";
import { fixtureFor, loadManifest, ROOT, tempHome } from "../../../tests/fixture_home.ts";
import * as store from "../../../tests/store_writer_tests.ts";
import type { Session } from "../../model/types.ts";
import { AscendingIds, derivedSessionId, isSessionId } from "../../formats/opencode_store/mod.ts";
import { opencode } from "./mod.ts";
import { APPLIED_MIGRATIONS } from "./schema.ts";

const fixtures = await loadManifest();
const claudeBasic = fixtureFor(fixtures, "claude-code", "basic");

function dbOf(home: string): string {
  return store.storeDbOf(home, "opencode");
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
  const { plan, undo } = await store.planIntoStore(opencode, home, "opencode");
  const back = await opencode.read(plan.primaryPath, home.ctx);
  assert.equal(back.session.id, plan.sessionId);
  const calls = back.session.messages.flatMap((m) => m.toolCalls);
  assert.equal(calls.length, 3);
  const results = back.session.messages.flatMap((m) => m.toolResults);
  assert.deepEqual(results.map((r) => r.isError), [false, true, false]);
  await undo();
});

Deno.test("convertSession() to opencode with no database creates one with OpenCode 1.18.33's schema", async () => {
  await using home = await tempHome(["claude-code"]);
  const { result, db } = await store.convertIntoNewStore(
    home,
    "opc",
    "opencode",
    APPLIED_MIGRATIONS,
  );
  assert.deepEqual(store.rowOf(db, "SELECT project_id, directory, path, version FROM session"), {
    project_id: "global",
    directory: "/tmp/casr-fixture-project",
    path: "tmp/casr-fixture-project",
    version: "1.18.33",
  });
  // The same conversion again finds it up to date; --force replaces the session's rows.
  const before = store.tableCounts(dbOf(home.home));
  const same = await convertSession(home.ctx, "opc", claudeBasic.sessionId);
  assert.equal(same.update?.kind, "unchanged");
  assert.deepEqual(
    store.tableCounts(dbOf(home.home)),
    before,
    "an up-to-date session is not written",
  );
  const again = await convertSession(home.ctx, "opc", claudeBasic.sessionId, { force: true });
  assert.equal(again.verified, true);
  assert.equal(again.target.sessionId, result.target.sessionId);
  assert.deepEqual(
    store.tableCounts(dbOf(home.home)),
    before,
    "--force replaced the rows, added none",
  );
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
  fn: () =>
    store.assertRealCliImport(opencode, "opc", REAL_BIN, {
      OPENCODE_DISABLE_AUTOUPDATE: "1",
      OPENCODE_DISABLE_MODELS_FETCH: "1",
    }, /opencode import/),
});
