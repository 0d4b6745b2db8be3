import assert from "node:assert/strict";
import * as path from "node:path";
import {
  codexRoot,
  newRolloutPath,
  rolloutIdFromName,
  rolloutStampFromName,
  rootOfRollout,
  sqliteDirs,
} from "./paths.ts";

const ID = "019c538b-8d9d-78d1-891c-a9b09f3f47b6";

Deno.test("rolloutIdFromName() takes the UUID at the end of a rollout name", () => {
  assert.equal(rolloutIdFromName(`rollout-2026-08-20T14-03-10-${ID}.jsonl`), ID);
  assert.equal(rolloutIdFromName(`rollout-2026-08-20T14-03-10-${ID}.jsonl.zst`), ID);
  assert.equal(rolloutIdFromName(`rollout-2026-08-20T14-03-10-${ID.toUpperCase()}.jsonl`), ID);
  assert.equal(rolloutIdFromName(`rollout-x-${ID}.jsonl`), ID);
  assert.equal(rolloutIdFromName(`${ID}.jsonl`), undefined);
  assert.equal(rolloutIdFromName("rollout-2026-08-20T14-03-10-not-a-uuid.jsonl"), undefined);
  // The TypeScript CLI's single-object rollouts (date-only stamp, `.json`).
  assert.equal(rolloutIdFromName(`rollout-2025-04-16-${ID}.json`), ID);
  assert.equal(rolloutIdFromName(`rollout-2026-08-20T14-03-10-${ID}.json.bak`), undefined);
});

Deno.test("rolloutStampFromName() reads the stamp as UTC", () => {
  assert.equal(
    rolloutStampFromName(`rollout-2026-08-20T14-03-10-${ID}.jsonl`),
    Date.UTC(2026, 7, 20, 14, 3, 10),
  );
  assert.equal(rolloutStampFromName("rollout-x.jsonl"), undefined);
});

Deno.test("newRolloutPath() uses local date folders and stamp", () => {
  const now = Date.parse("2026-03-04T05:06:07.890Z");
  const t = new Date(now);
  const p2 = (n: number) => String(n).padStart(2, "0");
  const y = String(t.getFullYear());
  const expected = path.join(
    "/r/sessions",
    y,
    p2(t.getMonth() + 1),
    p2(t.getDate()),
    `rollout-${y}-${p2(t.getMonth() + 1)}-${p2(t.getDate())}T${p2(t.getHours())}-${
      p2(t.getMinutes())
    }-${p2(t.getSeconds())}-${ID}.jsonl`,
  );
  assert.equal(newRolloutPath("/r", now, ID), expected);
  assert.equal(rolloutIdFromName(path.basename(expected)), ID);
});

Deno.test("codexRoot() and sqliteDirs() honour CODEX_HOME and CODEX_SQLITE_HOME", () => {
  const ctx = { env: {}, homeDir: "/home/u", cwd: "/work" };
  assert.equal(codexRoot(ctx), path.join("/home/u", ".codex"));
  assert.deepEqual(sqliteDirs(ctx), [
    path.join("/home/u", ".codex"),
    path.join("/home/u", ".codex", "sqlite"),
  ]);
  const moved = { ...ctx, env: { CODEX_HOME: "/data/codex", CODEX_SQLITE_HOME: "rel/db" } };
  assert.equal(codexRoot(moved), "/data/codex");
  assert.deepEqual(sqliteDirs(moved), [
    path.join("/work", "rel/db"),
    path.join("/work", "rel/db", "sqlite"),
  ]);
  assert.equal(codexRoot({ ...ctx, env: { CODEX_HOME: "  " } }), path.join("/home/u", ".codex"));
});

Deno.test("rootOfRollout() finds the home above sessions/ or archived_sessions/", () => {
  assert.equal(rootOfRollout("/h/.codex/sessions/2026/08/20/rollout-a.jsonl"), "/h/.codex");
  assert.equal(rootOfRollout("/h/.codex/archived_sessions/rollout-a.jsonl"), "/h/.codex");
  assert.equal(rootOfRollout("/tmp/elsewhere/rollout-a.jsonl"), undefined);
});
