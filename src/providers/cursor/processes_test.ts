import assert from "node:assert/strict";
import process from "node:process";
import { findCursorProcesses } from "./processes.ts";
import { tempDir } from "../../../tests/fixture_home.ts";

Deno.test("findCursorProcesses() finds no Cursor holding a throwaway data folder", async () => {
  await using dirTmp = await tempDir({ prefix: "casr-cursor-data-" });
  const dir = dirTmp.path;
  const found = await findCursorProcesses(dir);
  assert.ok(found.every((p) => p.pid !== process.pid));
  if (process.platform === "linux") assert.deepEqual(found, []);
});

Deno.test({
  name: "findCursorProcesses() finds a process named cursor that holds a file of the data folder",
  ignore: process.platform !== "linux",
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "casr-cursor-proc-" });
    const data = `${tmp}/data`;
    await Deno.mkdir(`${data}/User/globalStorage`, { recursive: true });
    await Deno.writeTextFile(`${data}/User/globalStorage/state.vscdb`, "");
    await Deno.copyFile("/bin/sleep", `${tmp}/cursor`);
    await Deno.chmod(`${tmp}/cursor`, 0o755);
    const child = new Deno.Command("/bin/sh", {
      args: ["-c", `exec "${tmp}/cursor" 30 3< "${data}/User/globalStorage/state.vscdb"`],
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      let found: { pid: number }[] = [];
      for (let i = 0; i < 50 && found.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        found = await findCursorProcesses(data);
      }
      assert.deepEqual(found.map((p) => p.pid), [child.pid]);
      assert.deepEqual(await findCursorProcesses(`${tmp}/elsewhere`), []);
    } finally {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
