import assert from "node:assert/strict";
import * as path from "node:path";
import { CasrError } from "../../errors.ts";
import { tempHome } from "../../../tests/fixture_home.ts";
import {
  GO_OTHER_SESSION_ID,
  GO_SESSION_ID,
  GO_T0,
  makeGoOpencodeDb,
  PNG_1X1,
} from "../../../tests/go_opencode_db.ts";
import { claimsGoStore, GO_FORMAT_WARNING, goDatabaseOf, readGoStore } from "./go_schema.ts";
import { findGoStore, goDatabases, listGoStore } from "./go_list.ts";

// Every database here is HAND-MADE by tests/go_opencode_db.ts, after the Go source.

Deno.test("readGoStore() maps texts, reasoning, paired calls and results, an image and times", async () => {
  await using home = await tempHome();
  const project = path.join(home.home, "proj");
  const db = await makeGoOpencodeDb(project);
  const { session, warnings } = await readGoStore("opencode", `${db}#${GO_SESSION_ID}`);
  assert.equal(session.id, GO_SESSION_ID);
  assert.equal(session.provider, "opencode");
  assert.equal(session.title, "Read hello.txt");
  assert.equal(session.workspace, project);
  assert.equal(session.model, "claude-3.7-sonnet");
  assert.equal(session.startedAt, GO_T0 * 1000);
  assert.equal(session.endedAt, (GO_T0 + 9) * 1000);
  assert.equal(session.metadata.app, "Go OpenCode");
  assert.equal(session.metadata.promptTokens, 1200);
  const [prompt, step, results, reply, ...rest] = session.messages;
  assert.deepEqual(rest, []);
  assert.deepEqual(session.messages.map((m) => [m.index, m.role]), [
    [0, "user"],
    [1, "assistant"],
    [2, "tool"],
    [3, "assistant"],
  ]);
  assert.equal(prompt?.text, "Read hello.txt and look at the screenshot");
  assert.deepEqual(prompt?.images, [
    { mediaType: "image/png", data: PNG_1X1, source: "/proj/shot.png" },
  ]);
  assert.equal(prompt?.timestamp, GO_T0 * 1000);
  assert.equal(step?.text, "Let me look.");
  assert.equal(step?.reasoning, "I should read the file first.");
  assert.equal(step?.author, "claude-3.7-sonnet");
  assert.deepEqual(step?.toolCalls, [
    { id: "toolu_01", name: "view", input: { file_path: "/proj/hello.txt" } },
    { id: "toolu_02", name: "bash", input: { command: "cat missing.txt" } },
  ]);
  assert.deepEqual(results?.toolResults, [
    { callId: "toolu_01", output: "hello world", isError: false, name: "view" },
    {
      callId: "toolu_02",
      output: "cat: missing.txt: No such file or directory",
      isError: true,
      name: "bash",
    },
  ]);
  assert.equal(reply?.text, "hello.txt says hello world; missing.txt does not exist.");
  assert.deepEqual(warnings.map((w) => [w.code, w.line]), [
    [GO_FORMAT_WARNING, undefined],
    ["unknown-record", 4],
    ["malformed-record", 4],
  ]);
  assert.match(warnings[0]?.message ?? "", /Go-era OpenCode/);
  assert.match(warnings[1]?.message ?? "", /unknown type "hologram"/);
});

Deno.test("readGoStore() takes a unique id prefix; a bare database needs exactly one top-level session", async () => {
  await using home = await tempHome();
  const db = await makeGoOpencodeDb(path.join(home.home, "proj"));
  const byPrefix = await readGoStore("opencode", `${db}#${GO_OTHER_SESSION_ID.slice(0, 8)}`);
  assert.equal(byPrefix.session.id, GO_OTHER_SESSION_ID);
  assert.deepEqual(byPrefix.session.messages.map((m) => m.text), ["Say hi"]);
  await assert.rejects(
    () => readGoStore("opencode", db),
    (e) => e instanceof CasrError && /several sessions/.test(e.message),
  );
  await assert.rejects(
    () => readGoStore("opencode", `${db}#nope`),
    (e) => e instanceof CasrError && e.code === "parse-failed" && /no such session/.test(e.message),
  );
});

Deno.test("goDatabaseOf() tells Go-era tables from OpenCode 1.x; claimsGoStore() takes only its names", async () => {
  await using home = await tempHome(["opencode"]);
  const db = await makeGoOpencodeDb(path.join(home.home, "proj"));
  assert.deepEqual(await goDatabaseOf(`${db}#${GO_SESSION_ID}`), { db, id: GO_SESSION_ID });
  const v1 = path.join(home.home, ".local", "share", "opencode", "opencode.db");
  assert.equal(await goDatabaseOf(v1), undefined);
  assert.equal(await goDatabaseOf(path.join(home.home, "missing.db")), undefined);
  await assert.rejects(() => readGoStore("opencode", v1), /no sessions and messages tables/);
  assert.ok(claimsGoStore(db, "SQLite format 3\0"));
  assert.ok(claimsGoStore("/p/.crush/crush.db#abc-1", ""));
  assert.ok(!claimsGoStore("/p/.crush/crush.db", "{}"));
  assert.ok(!claimsGoStore("/p/kilo.db#abc", ""));
});

Deno.test("listGoStore() and findGoStore() find the project's database from a subdirectory", async () => {
  await using home = await tempHome();
  const project = path.join(home.home, "proj");
  const db = await makeGoOpencodeDb(project);
  const ctx = { ...home.ctx, cwd: path.join(project, "src", "deep") };
  assert.deepEqual(await goDatabases(ctx), [{ db, workspace: project }]);
  const listed = await listGoStore("opencode", ctx);
  assert.deepEqual(listed.map((s) => s.id).sort(), [GO_SESSION_ID, GO_OTHER_SESSION_ID].sort());
  const main = listed.find((s) => s.id === GO_SESSION_ID);
  assert.equal(main?.path, `${db}#${GO_SESSION_ID}`);
  assert.equal(main?.messageCount, 4);
  assert.equal(main?.workspace, project);
  assert.equal(main?.lastActiveAt, (GO_T0 + 9) * 1000);
  assert.deepEqual((await findGoStore("opencode", ctx, "4b0c")).map((s) => s.id), [GO_SESSION_ID]);
  assert.deepEqual(
    (await findGoStore("opencode", ctx, `title-${GO_SESSION_ID}`)).map((s) => s.id),
    [`title-${GO_SESSION_ID}`],
  );
  assert.deepEqual(await findGoStore("opencode", ctx, "%"), []);
  assert.deepEqual(await listGoStore("opencode", home.ctx), []);
});

Deno.test("goDatabases() follows data.directory of the project's .opencode.json", async () => {
  await using home = await tempHome();
  const project = path.join(home.home, "proj");
  const db = await makeGoOpencodeDb(path.join(project, "state-parent"));
  await Deno.rename(path.join(project, "state-parent", ".opencode"), path.join(project, "state"));
  await Deno.writeTextFile(
    path.join(project, ".opencode.json"),
    JSON.stringify({ data: { directory: "state" } }),
  );
  const ctx = { ...home.ctx, cwd: project };
  const moved = path.join(project, "state", "opencode.db");
  assert.notEqual(moved, db);
  assert.deepEqual(await goDatabases(ctx), [{ db: moved, workspace: project }]);
  assert.equal((await listGoStore("opencode", ctx)).length, 2);
});

Deno.test("a Crush database (.crush/crush.db, Crush's extra columns) reads through the same reader", async () => {
  await using home = await tempHome();
  const project = path.join(home.home, "crushproj");
  const made = await makeGoOpencodeDb(path.join(home.home, "tmp"));
  await Deno.mkdir(path.join(project, ".crush"), { recursive: true });
  const db = path.join(project, ".crush", "crush.db");
  await Deno.rename(made, db);
  const { DatabaseSync } = await import("node:sqlite");
  const handle = new DatabaseSync(db);
  // Crush's later migrations (hand-applied here): provider, is_summary_message, todos.
  handle.exec("ALTER TABLE messages ADD COLUMN provider TEXT");
  handle.exec("ALTER TABLE messages ADD COLUMN is_summary_message INTEGER DEFAULT 0 NOT NULL");
  handle.exec("ALTER TABLE sessions ADD COLUMN todos TEXT");
  handle.prepare(
    "INSERT INTO messages (id, session_id, role, parts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
  ).run(
    "m5",
    GO_SESSION_ID,
    "user",
    JSON.stringify([{ type: "shell_command", data: { command: "ls", output: "a", exit_code: 1 } }]),
    GO_T0 + 20,
    GO_T0 + 20,
  );
  handle.close();
  const { session, warnings } = await readGoStore("opencode", `${db}#${GO_SESSION_ID}`);
  assert.equal(session.metadata.app, "Crush");
  assert.equal(session.workspace, project);
  assert.match(warnings[0]?.message ?? "", /\(Crush; /);
  assert.equal(session.messages.at(-1)?.text, "$ ls\na\n(exit code 1)");
  const listed = await listGoStore("opencode", { ...home.ctx, cwd: project });
  assert.equal(listed.find((s) => s.id === GO_SESSION_ID)?.path, `${db}#${GO_SESSION_ID}`);
});
