import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { openSqlite } from "../../internal/sqlite.ts";
import type { Session, Warning } from "../../model/types.ts";
import type { ProviderContext } from "../types.ts";
import { findStateDb, planThreadRowEffect } from "./effects.ts";
import { planRollout } from "./writer.ts";
import { codexTempDir } from "./testdata/temp.ts";

/** The `threads` table as Codex 0.169.0 has it (abridged), plus one made-up NOT NULL column. */
const THREADS_DDL = `
CREATE TABLE threads (
  id TEXT PRIMARY KEY,
  rollout_path TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  source TEXT NOT NULL,
  model_provider TEXT NOT NULL,
  cwd TEXT NOT NULL,
  title TEXT NOT NULL,
  sandbox_policy TEXT NOT NULL,
  approval_mode TEXT NOT NULL,
  tokens_used INTEGER NOT NULL DEFAULT 0,
  has_user_event INTEGER NOT NULL DEFAULT 0,
  archived INTEGER NOT NULL DEFAULT 0,
  archived_at INTEGER,
  git_sha TEXT,
  cli_version TEXT NOT NULL DEFAULT '',
  first_user_message TEXT NOT NULL DEFAULT '',
  memory_mode TEXT NOT NULL DEFAULT 'enabled',
  model TEXT,
  created_at_ms INTEGER,
  updated_at_ms INTEGER,
  thread_source TEXT,
  preview TEXT NOT NULL DEFAULT '',
  history_mode TEXT NOT NULL DEFAULT 'legacy',
  future_text TEXT NOT NULL,
  future_count INTEGER NOT NULL
);
CREATE TRIGGER threads_created_at_ms_after_insert AFTER INSERT ON threads
WHEN NEW.created_at_ms IS NULL
BEGIN UPDATE threads SET created_at_ms = NEW.created_at * 1000 WHERE id = NEW.id; END;
`;

const EXISTING_POLICY =
  '{"type":"managed","file_system":{"type":"restricted"},"network":"restricted"}';

async function makeDb(file: string, withRow: boolean): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const db = await openSqlite(file);
  assert.ok(db, "this runtime has SQLite");
  try {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(THREADS_DDL);
    if (withRow) {
      db.prepare(
        `INSERT INTO threads (id, rollout_path, created_at, updated_at, source, model_provider, cwd,
          title, sandbox_policy, approval_mode, history_mode, future_text, future_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        "old-thread",
        "/x/rollout-old.jsonl",
        1700000000,
        1700000001,
        "exec",
        "mock",
        "/x",
        "old",
        EXISTING_POLICY,
        "never",
        "paginated",
        "keep",
        7,
      );
    }
  } finally {
    db.close();
  }
}

async function rows(file: string): Promise<Record<string, unknown>[]> {
  const db = await openSqlite(file, { readOnly: true });
  assert.ok(db);
  try {
    return db.prepare("SELECT * FROM threads ORDER BY id").all();
  } finally {
    db.close();
  }
}

const base = { toolCalls: [], toolResults: [] };
const T0 = Date.parse("2026-11-20T10:00:00.000Z");
const NOW = Date.parse("2026-12-01T12:00:00.000Z");
const session: Session = {
  id: "src",
  provider: "claude-code",
  title: "Refactor the parser",
  metadata: {},
  messages: [
    { ...base, index: 0, role: "user", text: "Refactor the parser please", timestamp: T0 },
    { ...base, index: 1, role: "assistant", text: "Done.", timestamp: T0 + 1000 },
  ],
};

async function tempHome(): Promise<{ home: string; root: string; ctx: ProviderContext }> {
  const home = await codexTempDir("casr-codex-db-");
  const root = path.join(home, ".codex");
  await fs.mkdir(root);
  return { home, root, ctx: { env: {}, homeDir: home, cwd: home } };
}

Deno.test("planThreadRowEffect() plans nothing when there is no state database", async () => {
  const { ctx } = await tempHome();
  const warnings: Warning[] = [];
  assert.equal(await planThreadRowEffect(ctx, warnings), undefined);
  assert.deepEqual(warnings, []);
  const plan = await planRollout(session, ctx, { workspace: "/w", now: NOW });
  assert.deepEqual(plan.effects, []);
});

Deno.test("planRollout() registers the thread row in an existing state_5.sqlite and undoes it", async () => {
  const { root, ctx } = await tempHome();
  const dbFile = path.join(root, "state_5.sqlite");
  await makeDb(dbFile, true);
  const plan = await planRollout(session, ctx, { workspace: "/work/target", now: NOW });
  assert.equal(plan.effects.length, 1);
  assert.match(plan.effects[0]!.description, /state_5\.sqlite/);
  assert.equal((await rows(dbFile)).length, 1, "plan() does not write");
  // No config.toml: the newest row's provider is used, in the file and the row alike.
  const meta = JSON.parse(fileText(plan.files[0]!.data).split("\n")[0]!);
  assert.equal(meta.payload.model_provider, "mock");

  const undo = await plan.effects[0]!.apply();
  const all = await rows(dbFile);
  assert.equal(all.length, 2);
  const row = all.find((r) => r.id === plan.sessionId)!;
  assert.equal(row.rollout_path, plan.primaryPath);
  assert.ok(path.isAbsolute(String(row.rollout_path)));
  assert.equal(row.created_at, Math.floor(T0 / 1000));
  assert.equal(row.updated_at, Math.floor(NOW / 1000));
  assert.equal(row.created_at_ms, T0);
  assert.equal(row.updated_at_ms, NOW);
  assert.equal(row.source, "cli");
  assert.equal(row.model_provider, "mock");
  assert.equal(row.cwd, "/work/target");
  assert.equal(row.title, "Refactor the parser");
  assert.equal(row.sandbox_policy, EXISTING_POLICY);
  assert.equal(row.approval_mode, "never");
  assert.equal(row.has_user_event, 1);
  assert.equal(row.first_user_message, "Refactor the parser please");
  assert.equal(row.preview, "Refactor the parser please");
  assert.equal(row.cli_version, "0.169.0");
  assert.equal(row.thread_source, "user");
  assert.equal(row.history_mode, "legacy");
  assert.equal(row.memory_mode, "enabled");
  assert.equal(row.future_text, "");
  assert.equal(row.future_count, 0);

  assert.ok(undo);
  await undo();
  assert.deepEqual((await rows(dbFile)).map((r) => r.id), ["old-thread"]);
});

Deno.test("planRollout() fills defaults when the threads table is empty", async () => {
  const { root, ctx } = await tempHome();
  const dbFile = path.join(root, "state_5.sqlite");
  await makeDb(dbFile, false);
  const plan = await planRollout(session, ctx, { workspace: "/w", now: NOW });
  await plan.effects[0]!.apply();
  const [row] = await rows(dbFile);
  assert.equal(row!.model_provider, "openai");
  assert.equal(row!.sandbox_policy, '{"type":"read-only"}');
  assert.equal(row!.approval_mode, "on-request");
  assert.equal(row!.source, "cli");
});

Deno.test("findStateDb() looks in CODEX_SQLITE_HOME and its sqlite/ folder and picks the newest version", async () => {
  const { home, root, ctx } = await tempHome();
  assert.equal(await findStateDb(ctx), undefined);
  await makeDb(path.join(root, "sqlite", "state_5.sqlite"), false);
  assert.equal(await findStateDb(ctx), path.join(root, "sqlite", "state_5.sqlite"));
  await makeDb(path.join(root, "state_4.sqlite"), false);
  await fs.writeFile(path.join(root, "state_9.sqlite-wal"), "");
  assert.equal(await findStateDb(ctx), path.join(root, "sqlite", "state_5.sqlite"));
  await makeDb(path.join(root, "state_6.sqlite"), false);
  assert.equal(await findStateDb(ctx), path.join(root, "state_6.sqlite"));

  const elsewhere = path.join(home, "dbs");
  await makeDb(path.join(elsewhere, "state_5.sqlite"), false);
  const moved = { ...ctx, env: { CODEX_SQLITE_HOME: elsewhere } };
  assert.equal(await findStateDb(moved), path.join(elsewhere, "state_5.sqlite"));
});

Deno.test("planThreadRowEffect() warns and skips an unreadable database", async () => {
  const { root, ctx } = await tempHome();
  await fs.writeFile(
    path.join(root, "state_5.sqlite"),
    "this is not a database, just text padding".repeat(40),
  );
  const warnings: Warning[] = [];
  assert.equal(await planThreadRowEffect(ctx, warnings), undefined);
  assert.equal(warnings[0]?.code, "sqlite-unreadable");
});

Deno.test("planRollout() replaces the row of a thread converted again and the undo restores it", async () => {
  const { root, ctx } = await tempHome();
  const dbFile = path.join(root, "state_5.sqlite");
  await makeDb(dbFile, true);
  const id = "5f0c8a52-3d4e-4b6f-9a1b-2c3d4e5f6a7b";
  const first = await planRollout(session, ctx, { workspace: "/w", now: NOW, sessionId: id });
  assert.equal(first.sessionId, id);
  await first.effects[0]!.apply();
  const before = (await rows(dbFile)).find((r) => r.id === id)!;

  const again = await planRollout(session, ctx, {
    workspace: "/w2",
    now: NOW + 60_000,
    sessionId: id,
  });
  const undo = await again.effects[0]!.apply();
  const replaced = (await rows(dbFile)).find((r) => r.id === id)!;
  assert.equal(replaced.cwd, "/w2");
  assert.equal(replaced.rollout_path, again.primaryPath);
  assert.equal((await rows(dbFile)).length, 2);

  assert.ok(undo);
  await undo();
  assert.deepEqual((await rows(dbFile)).find((r) => r.id === id), before);
});
