import assert from "node:assert/strict";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { CasrError } from "../../errors.ts";
import type { Session } from "../../model/types.ts";
import { compareSessions } from "../../pipeline/compare.ts";
import { repairSession } from "../../pipeline/repair.ts";
import { tempHome } from "../../../tests/fixture_home.ts";
import type { ProviderContext } from "../types.ts";
import type { CursorWriteDeps } from "./effects.ts";
import { cursor } from "./mod.ts";
import { planCursorChat } from "./writer.ts";

const NOT_RUNNING: CursorWriteDeps = { findProcesses: () => Promise.resolve([]) };
const FIXTURE_COMPOSER = "7c0d5b1e-3f2a-4c8e-9b6d-1a2b3c4d5e6f";
const T = Date.UTC(2026, 10, 3, 9, 0, 0);

type Message = Session["messages"][number];

/** A message at `T` plus `index` seconds, with no calls or results unless `more` has them. */
function m(
  index: number,
  role: Message["role"],
  text: string,
  more: Partial<Message> = {},
): Message {
  return {
    index,
    role,
    text,
    toolCalls: [],
    toolResults: [],
    timestamp: T + index * 1000,
    ...more,
  };
}

function sample(): Session {
  return repairSession({
    id: "src",
    provider: "claude-code",
    workspace: "/tmp/casr-fixture-project",
    title: "Fix the «flaky» test",
    model: "claude-4.5-sonnet",
    metadata: {},
    messages: [
      m(0, "system", "injected environment"),
      m(1, "user", "Run two things — héllo 日本語 🚀\n\n```sh\nls\n```"),
      m(2, "assistant", "Both at once.", {
        reasoning: "parallel is fine",
        toolCalls: [
          { id: "c1", name: "Bash", input: { command: "printf 'a\\nb\\n'" } },
          { id: "c2", name: "Bash", input: { command: "ls /nope" } },
        ],
      }),
      m(3, "tool", "", {
        toolResults: [
          { callId: "c1", output: "a\nb\n", isError: false },
          { callId: "c2", output: "ls: No such file or directory", isError: true },
        ],
      }),
      m(4, "assistant", "", { toolCalls: [{ id: "c3", name: "shell", input: "echo free-form" }] }),
      m(5, "tool", "", { toolResults: [{ callId: "c3", output: "free-form", isError: false }] }),
      m(6, "assistant", "First note."),
      m(7, "assistant", "Second note, same turn.\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
      m(8, "user", "# not a heading\nthanks"),
      m(9, "assistant", "Done."),
    ],
  }, T).session;
}

function globalDb(home: string): string {
  return path.join(home, ".config", "Cursor", "User", "globalStorage", "state.vscdb");
}

function dump(file: string): Record<string, unknown[]> {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const out: Record<string, unknown[]> = {};
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all();
    for (const t of tables) {
      out[String(t.name)] = db.prepare(`SELECT * FROM "${t.name}" ORDER BY 1`).all().map((r) => ({
        ...r,
      }));
    }
    return out;
  } finally {
    db.close();
  }
}

function item(file: string, key: string): unknown {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const v = db.prepare("SELECT value FROM ItemTable WHERE key = ?").all(key)[0]?.value;
    return v === undefined ? undefined : JSON.parse(String(v));
  } finally {
    db.close();
  }
}

async function backups(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir)).filter((n) => n.includes(".casr-backup-"));
}

async function write(
  ctx: ProviderContext,
  session: Session,
  sessionId: string,
  deps: CursorWriteDeps = NOT_RUNNING,
) {
  const plan = await planCursorChat(session, ctx, {
    workspace: "/tmp/casr-fixture-project",
    now: T,
    sessionId,
  }, deps);
  const undo = await plan.effects[0]!.apply();
  return { plan, undo: undo as () => Promise<void> };
}

Deno.test("cursor writer: a fresh home gets a new state.vscdb that reads back equal", async () => {
  await using home = await tempHome([]);
  const session = sample();
  const id = "0be3a287-a2d2-4f70-b3dd-321d485203bc";
  const { plan, undo } = await write(home.ctx, session, id);
  assert.equal(plan.sessionId, id);
  assert.equal(plan.primaryPath, `${globalDb(home.home)}#${id}`);
  assert.deepEqual(plan.files, []);
  assert.ok(plan.warnings.some((w) => w.code === "cursor-db-created"));
  const back = await cursor.read(plan.primaryPath, home.ctx);
  assert.deepEqual(compareSessions(session, back.session), []);
  assert.equal(back.session.title, "Fix the «flaky» test");
  assert.equal(
    back.session.messages.find((m) => m.role === "assistant")?.reasoning,
    "parallel is fine",
  );
  const headers = item(globalDb(home.home), "composer.composerHeaders") as {
    allComposers: { composerId: string }[];
  };
  assert.deepEqual(headers.allComposers.map((h) => h.composerId), [id]);
  assert.deepEqual((await cursor.find(home.ctx, id)).map((s) => s.id), [id]);
  assert.match(
    plan.resume.shell,
    /^cursor \/tmp\/casr-fixture-project {2}# then Chat sidebar → history → "Fix the «flaky» test" \(composer 0be3a287/,
  );
  assert.match(plan.resume.note ?? "", /Open \/tmp\/casr-fixture-project in Cursor → Chat sidebar/);
  await undo();
  await assert.rejects(fsp.stat(globalDb(home.home)));
});

Deno.test("cursor writer: into Cursor 3.x's composer.composerHeaders, one backup, undo restores byte-equal rows", async () => {
  await using home = await tempHome(["cursor"]);
  const file = globalDb(home.home);
  const before = dump(file);
  const first = await write(home.ctx, sample(), "11111111-1111-4111-8111-111111111111");
  const headers = item(file, "composer.composerHeaders") as {
    allComposers: Record<string, unknown>[];
  };
  assert.deepEqual(headers.allComposers.map((h) => h.composerId), [
    "11111111-1111-4111-8111-111111111111",
    FIXTURE_COMPOSER,
  ]);
  const head = headers.allComposers[0]!;
  assert.deepEqual(head.workspaceIdentifier, {
    id: "5f2b8c0e9d1a4b7c8e3f6a2d1c0b9e8f",
    uri: {
      $mid: 1,
      fsPath: "/tmp/casr-fixture-project",
      external: "file:///tmp/casr-fixture-project",
      path: "/tmp/casr-fixture-project",
      scheme: "file",
    },
  });
  const dir = path.dirname(file);
  assert.equal((await backups(dir)).length, 1);
  const second = await write(home.ctx, sample(), "22222222-2222-4222-8222-222222222222");
  assert.equal((await backups(dir)).length, 1, "the backup is made once");
  const backupCopy = path.join(dir, (await backups(dir))[0]!);
  assert.deepEqual(dump(backupCopy), before, "the backup holds the database as it was");
  await second.undo();
  await first.undo();
  assert.deepEqual(dump(file), before);
});

Deno.test("cursor writer: refuses while another connection holds the write lock, and writes nothing", async () => {
  await using home = await tempHome(["cursor"]);
  const file = globalDb(home.home);
  const before = dump(file);
  const other = new DatabaseSync(file);
  other.exec("BEGIN IMMEDIATE");
  try {
    await assert.rejects(
      write(home.ctx, sample(), "33333333-3333-4333-8333-333333333333", {
        ...NOT_RUNNING,
        busyTimeoutMs: 100,
      }),
      (e) =>
        e instanceof CasrError && e.code === "conflict" &&
        /is locked by another program/.test(e.message),
    );
  } finally {
    other.exec("ROLLBACK");
    other.close();
  }
  assert.deepEqual(dump(file), before);
  assert.deepEqual(await backups(path.dirname(file)), []);
});

Deno.test("cursor writer: refuses while Cursor is running", async () => {
  await using home = await tempHome(["cursor"]);
  const file = globalDb(home.home);
  const before = dump(file);
  await assert.rejects(
    write(home.ctx, sample(), "44444444-4444-4444-8444-444444444444", {
      findProcesses: () => Promise.resolve([{ pid: 4242, command: "/usr/share/cursor/cursor" }]),
    }),
    (e) =>
      e instanceof CasrError && e.code === "conflict" &&
      /Cursor is running \(pid 4242/.test(e.message),
  );
  assert.deepEqual(dump(file), before);
});

Deno.test("cursor writer: the composerHeaders table of newer 3.x builds gets a row; BLOB values stay BLOB", async () => {
  await using home = await tempHome(["cursor"]);
  const file = globalDb(home.home);
  const db = new DatabaseSync(file);
  db.exec(
    "CREATE TABLE composerHeaders (composerId TEXT PRIMARY KEY, workspaceId TEXT, createdAt INTEGER, lastUpdatedAt INTEGER, isArchived INTEGER, isSubagent INTEGER, recency INTEGER, checkpointAt INTEGER, value TEXT)",
  );
  db.prepare("INSERT INTO ItemTable VALUES ('composer.composerHeaders.migratedToTable', 'true')")
    .run();
  db.exec("UPDATE cursorDiskKV SET value = CAST(value AS BLOB)");
  db.close();
  const before = dump(file);
  const id = "55555555-5555-4555-8555-555555555555";
  const { plan, undo } = await write(home.ctx, sample(), id);
  const check = new DatabaseSync(file, { readOnly: true });
  const row = check.prepare("SELECT * FROM composerHeaders WHERE composerId = ?").all(id)[0];
  const kinds = check.prepare(
    "SELECT DISTINCT typeof(value) AS t FROM cursorDiskKV WHERE key LIKE ?",
  ).all(`%${id}%`);
  check.close();
  assert.equal(row?.workspaceId, "5f2b8c0e9d1a4b7c8e3f6a2d1c0b9e8f");
  assert.equal(JSON.parse(String(row?.value)).composerId, id);
  assert.deepEqual(kinds.map((k) => k.t), ["blob"]);
  const headers = item(file, "composer.composerHeaders") as { allComposers: unknown[] };
  assert.equal(headers.allComposers.length, 1, "a migrated blob is left alone");
  assert.deepEqual(
    compareSessions(sample(), (await cursor.read(plan.primaryPath, home.ctx)).session),
    [],
  );
  await undo();
  assert.deepEqual(dump(file), before);
});

Deno.test("cursor writer: before 3.0 the workspace database's allComposers is the index", async () => {
  await using home = await tempHome(["cursor"]);
  const file = globalDb(home.home);
  const wsDb = path.join(
    home.home,
    ".config/Cursor/User/workspaceStorage/5f2b8c0e9d1a4b7c8e3f6a2d1c0b9e8f/state.vscdb",
  );
  let db = new DatabaseSync(file);
  db.exec("DELETE FROM ItemTable WHERE key = 'composer.composerHeaders'");
  db.close();
  db = new DatabaseSync(wsDb);
  db.prepare("UPDATE ItemTable SET value = ? WHERE key = 'composer.composerData'").run(
    JSON.stringify({
      allComposers: [{ type: "head", composerId: FIXTURE_COMPOSER }],
      selectedComposerIds: [],
    }),
  );
  db.close();
  const before = [dump(file), dump(wsDb)];
  const id = "66666666-6666-4666-8666-666666666666";
  const { plan, undo } = await write(home.ctx, sample(), id);
  const data = item(wsDb, "composer.composerData") as { allComposers: { composerId: string }[] };
  assert.deepEqual(data.allComposers.map((h) => h.composerId), [id, FIXTURE_COMPOSER]);
  assert.equal(item(file, "composer.composerHeaders"), undefined);
  assert.equal((await backups(path.dirname(wsDb))).length, 1);
  const back = await cursor.read(plan.primaryPath, home.ctx);
  assert.equal(back.session.workspace, "/tmp/casr-fixture-project");
  await undo();
  assert.deepEqual([dump(file), dump(wsDb)], before);
});

Deno.test("cursor writer: rewriting the same id replaces the chat whole; its undo puts the first back", async () => {
  await using home = await tempHome(["cursor"]);
  const file = globalDb(home.home);
  const id = "77777777-7777-4777-8777-777777777777";
  await write(home.ctx, sample(), id);
  const afterFirst = dump(file);
  const shorter = { ...sample(), messages: sample().messages.slice(0, 2) };
  const second = await write(home.ctx, shorter, id);
  const back = await cursor.read(`${file}#${id}`, home.ctx);
  assert.equal(back.session.messages.length, 1);
  await second.undo();
  assert.deepEqual(dump(file), afterFirst);
});

Deno.test({
  name:
    "cursor writer: the real process check refuses while a cursor process holds the data folder",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using home = await tempHome(["cursor"]);
    const file = globalDb(home.home);
    const before = dump(file);
    await Deno.copyFile("/bin/sleep", path.join(home.home, "cursor"));
    await Deno.chmod(path.join(home.home, "cursor"), 0o755);
    const child = new Deno.Command("/bin/sh", {
      args: ["-c", `exec "${home.home}/cursor" 30 3< "${file}"`],
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      await new Promise((r) => setTimeout(r, 200));
      await assert.rejects(
        write(home.ctx, sample(), "88888888-8888-4888-8888-888888888888", {}),
        (e) =>
          e instanceof CasrError && e.code === "conflict" &&
          e.message.includes(`Cursor is running (pid ${child.pid}`),
      );
    } finally {
      child.kill("SIGTERM");
      await child.status;
    }
    assert.deepEqual(dump(file), before);
  },
});

Deno.test("cursor writer: a result after a system message still goes with its call", async () => {
  await using home = await tempHome([]);
  const session = repairSession({
    id: "s",
    provider: "kilo-code",
    metadata: {},
    messages: [
      m(0, "user", "go"),
      m(1, "assistant", "", { toolCalls: [{ id: "x", name: "read_file", input: { path: "a" } }] }),
      m(2, "system", "environment details"),
      m(3, "tool", "", { toolResults: [{ callId: "x", output: "body", isError: false }] }),
      m(4, "assistant", "ok"),
    ],
  }, T).session;
  const { plan } = await write(home.ctx, session, "99999999-9999-4999-8999-999999999999");
  const back = await cursor.read(plan.primaryPath, home.ctx);
  assert.deepEqual(compareSessions(session, back.session), []);
});
