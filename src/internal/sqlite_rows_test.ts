import assert from "node:assert/strict";
import { commitOrRollBack, openSqlite } from "./sqlite.ts";
import { fillRow, insertRow, tableColumns } from "./sqlite_rows.ts";

Deno.test("tableColumns() + fillRow() + insertRow() fill a table whose schema casr does not know", async () => {
  const db = await openSqlite(":memory:");
  assert.ok(db);
  try {
    db.exec(`CREATE TABLE "t x" (id TEXT PRIMARY KEY, n INTEGER NOT NULL, s TEXT NOT NULL,
      d TEXT NOT NULL DEFAULT 'dflt', o TEXT)`);
    const columns = tableColumns(db, "t x");
    assert.deepEqual(columns.map((c) => [c.name, c.notNull, c.primaryKey]), [
      ["id", false, true],
      ["n", true, false],
      ["s", true, false],
      ["d", true, false],
      ["o", false, false],
    ]);
    insertRow(db, "t x", fillRow(columns, { id: "a", o: "kept", unknown: 1 }));
    insertRow(db, "t x", { id: "a", n: 2, s: "two", d: "x", o: null }, { replace: true });
    insertRow(db, "t x", fillRow(columns, { id: "b" }));
    assert.deepEqual(db.prepare(`SELECT * FROM "t x" ORDER BY id`).all().map((r) => ({ ...r })), [
      { id: "a", n: 2, s: "two", d: "x", o: null },
      { id: "b", n: 0, s: "", d: "dflt", o: null },
    ]);
    assert.throws(() => insertRow(db, "t x", { id: "b", n: 1, s: "" }));
    assert.deepEqual(tableColumns(db, "missing"), []);
  } finally {
    db.close();
  }
});

Deno.test("commitOrRollBack() commits what the work did, and rolls it all back when the work throws", async () => {
  const db = await openSqlite(":memory:");
  assert.ok(db);
  try {
    db.exec("CREATE TABLE t (n INTEGER)");
    db.exec("BEGIN IMMEDIATE");
    const made = commitOrRollBack(db, () => {
      db.prepare("INSERT INTO t VALUES (1)").run();
      return "made";
    });
    assert.equal(made, "made");
    db.exec("BEGIN IMMEDIATE");
    assert.throws(
      () =>
        commitOrRollBack(db, () => {
          db.prepare("INSERT INTO t VALUES (2)").run();
          throw new Error("boom");
        }),
      /boom/,
    );
    assert.deepEqual(db.prepare("SELECT n FROM t").all().map((r) => r.n), [1]);
  } finally {
    db.close();
  }
});
