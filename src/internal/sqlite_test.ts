import assert from "node:assert/strict";
import { allArrays, openSqlite, type SqliteStatement } from "./sqlite.ts";

Deno.test("allArrays() gives each row's values in the order selected, from the driver and without its help", async () => {
  const db = await openSqlite(":memory:");
  assert.ok(db);
  try {
    db.exec("CREATE TABLE t(a TEXT, b INTEGER, c TEXT)");
    db.exec("INSERT INTO t VALUES ('x', 1, NULL), ('é 文', 2, 'z')");
    const sql = "SELECT c, b, a FROM t WHERE b >= ? ORDER BY b";
    const expected = [[null, 1, "x"], ["z", 2, "é 文"]];
    const rows = allArrays(db.prepare(sql), 1).map((r) =>
      r.map((v) => typeof v === "bigint" ? Number(v) : v)
    );
    assert.deepEqual(rows, expected);
    // A driver with neither `setReturnArrays` nor `values`: its objects, as arrays.
    const real = db.prepare(sql);
    const plain: SqliteStatement = { all: (...p) => real.all(...p), run: (...p) => real.run(...p) };
    assert.deepEqual(allArrays(plain, 2), [expected[1]]);
  } finally {
    db.close();
  }
});
