import assert from "node:assert/strict";
import { undoAtomicWrite, writeFileAtomic } from "./fs.ts";

Deno.test("writeFileAtomic() creates directories and leaves no temp file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/a/b/c.jsonl`;
    const record = await writeFileAtomic({ path: file, data: "x\n" });
    assert.equal(await Deno.readTextFile(file), "x\n");
    assert.deepEqual(record.createdDirs, [`${dir}/a`, `${dir}/a/b`]);
    assert.deepEqual([...Deno.readDirSync(`${dir}/a/b`)].map((e) => e.name), ["c.jsonl"]);
    await undoAtomicWrite(record);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic() refuses to replace unless told, then keeps a backup", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/f.json`;
    await Deno.writeTextFile(file, "old");
    await assert.rejects(writeFileAtomic({ path: file, data: "new" }), /exists/);
    assert.equal(await Deno.readTextFile(file), "old");
    const record = await writeFileAtomic({ path: file, data: "new" }, { overwrite: true });
    assert.equal(await Deno.readTextFile(file), "new");
    assert.equal(await Deno.readTextFile(`${file}.bak`), "old");
    await undoAtomicWrite(record);
    assert.equal(await Deno.readTextFile(file), "old");
    assert.equal(await Deno.stat(`${file}.bak`).catch(() => null), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
