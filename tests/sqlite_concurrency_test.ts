/**
 * Writes into live SQLite databases (Codex's state db, OpenCode's opencode.db)
 * while another process holds the database: a short write lock is waited out
 * (busy timeout); a lock held past it fails cleanly with nothing half-written.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { CasrError, convertSession, getProvider } from "../mod.ts";
import { fixtureFor, loadManifest, ROOT, tempHome, treeHashes } from "./helpers.ts";

const fixtures = await loadManifest();
const source = fixtureFor(fixtures, "claude-code", "multi-tool");

/** Another process takes the write lock on `db` and keeps it for `ms`. */
async function holdWriteLock(db: string, ms: number): Promise<Deno.ChildProcess> {
  const code = `
    import { DatabaseSync } from "node:sqlite";
    const db = new DatabaseSync(${JSON.stringify(db)});
    db.exec("BEGIN IMMEDIATE");
    console.log("locked");
    setTimeout(() => { db.exec("COMMIT"); db.close(); }, ${ms});`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", code],
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  assert.match(new TextDecoder().decode(value), /locked/);
  reader.releaseLock();
  return child;
}

function codexDb(home: string): string {
  const file = path.join(home, ".codex", "state_5.sqlite");
  Deno.mkdirSync(path.dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec(`CREATE TABLE threads (
    id TEXT PRIMARY KEY, rollout_path TEXT NOT NULL, created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL, source TEXT NOT NULL, model_provider TEXT NOT NULL,
    cwd TEXT NOT NULL, title TEXT NOT NULL, sandbox_policy TEXT NOT NULL,
    approval_mode TEXT NOT NULL, tokens_used INTEGER NOT NULL DEFAULT 0,
    has_user_event INTEGER NOT NULL DEFAULT 0, archived INTEGER NOT NULL DEFAULT 0)`);
  db.close();
  return file;
}

const CASES: { target: string; setup: (home: string) => string }[] = [
  { target: "codex", setup: codexDb },
  {
    target: "opencode",
    setup: (home) => {
      Deno.mkdirSync(path.join(home, ".local/share/opencode"), { recursive: true });
      const file = path.join(home, ".local/share/opencode/opencode.db");
      Deno.copyFileSync(
        path.join(ROOT, "fixtures/opencode/.local/share/opencode/opencode.db"),
        file,
      );
      return file;
    },
  },
];

for (const { target, setup } of CASES) {
  Deno.test(`${target}: a short write lock held by another process is waited out`, async () => {
    await using home = await tempHome([source.provider]);
    const db = setup(home.home);
    const holder = await holdWriteLock(db, 1500);
    const started = performance.now();
    const result = await convertSession(home.ctx, target, source.sessionId);
    await holder.status;
    assert.equal(result.verified, true);
    assert.ok(performance.now() - started >= 1000, "it waited for the lock");
    const back = await getProvider(target)!.read(result.target.path, home.ctx);
    assert.equal(back.session.messages.flatMap((m) => m.toolCalls).length, source.toolCalls);
  });

  Deno.test(`${target}: a write lock held past the busy timeout fails cleanly`, async () => {
    await using home = await tempHome([source.provider]);
    const db = setup(home.home);
    const before = await treeHashes(home.home);
    const holder = await holdWriteLock(db, 8000);
    try {
      await assert.rejects(
        convertSession(home.ctx, target, source.sessionId),
        (error: unknown) => error instanceof CasrError,
      );
    } finally {
      holder.kill();
      await holder.status;
    }
    const after = await treeHashes(home.home);
    const added = [...after.keys()].filter((f) => !before.has(f) && !f.endsWith("-journal"));
    assert.deepEqual(added, [], "nothing half-written");
    for (const [file, hash] of before) {
      if (!file.endsWith(".db") && !file.endsWith(".sqlite")) assert.equal(after.get(file), hash);
    }
    const rows = new DatabaseSync(db, { readOnly: true });
    const tables = rows.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    assert.ok(tables.length > 0, "the database is intact");
    assert.equal(
      (rows.prepare("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check,
      "ok",
    );
    rows.close();
  });
}
