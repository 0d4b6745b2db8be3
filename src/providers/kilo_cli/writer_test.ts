import assert from "node:assert/strict";
import * as path from "node:path";
import { ROOT, tempHome } from "../../../tests/fixture_home.ts";
import * as store from "../../../tests/store_writer_tests.ts";
import { kiloCli } from "./mod.ts";
import { APPLIED_MIGRATIONS } from "./schema.ts";

Deno.test("writing into kilo.db adds Kilo-shaped rows only (agent code, version 7.7.9); undo removes them", async () => {
  await using home = await tempHome(["kilo-cli", "claude-code"]);
  const { db, plan, undo } = await store.planIntoStore(kiloCli, home, "kilo");
  assert.match(plan.sessionId, /^ses_[0-9a-f]{12}[0-9A-Za-z]{14}$/);
  const row = store.rowOf(
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
  const message = store.rowOf(
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
  await undo();
});

Deno.test("convertSession() to klc with no database creates kilo.db with Kilo 7.7.9's schema", async () => {
  await using home = await tempHome(["claude-code"]);
  const { result, db, applied } = await store.convertIntoNewStore(
    home,
    "klc",
    "kilo",
    APPLIED_MIGRATIONS,
  );
  assert.equal(applied.length, 42);
  const board = store.rowOf(
    db,
    "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'kilo_board'",
  );
  assert.equal(Number(board.n), 1);
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
  fn: () =>
    store.assertRealCliImport(kiloCli, "klc", REAL_BIN, {
      KILO_DISABLE_AUTOUPDATE: "1",
      KILO_DISABLE_MODELS_FETCH: "1",
      KILO_TELEMETRY_LEVEL: "off",
      KILO_NO_DAEMON: "1",
    }, /kilo import/),
});
