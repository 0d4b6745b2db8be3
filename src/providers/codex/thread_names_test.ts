import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { threadNames } from "./thread_names.ts";

const entry = (id: string, name: string) =>
  JSON.stringify({ id, thread_name: name, updated_at: "2026-12-01T10:00:00Z" }) + "\n";

Deno.test("threadNames() gives each id its newest name, and sees the file change", async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "casr-codex-names-"));
  try {
    assert.deepEqual(await threadNames(root), new Map());
    const file = path.join(root, "session_index.jsonl");
    await fs.writeFile(
      file,
      entry("a", "first") + "not json\n" + entry("b", "bee") + entry("a", "second"),
    );
    assert.deepEqual(await threadNames(root), new Map([["a", "second"], ["b", "bee"]]));
    // Kept while the file is the same: the same map comes back.
    assert.equal(await threadNames(root), await threadNames(root));
    await fs.appendFile(file, entry("b", "renamed"));
    assert.equal((await threadNames(root)).get("b"), "renamed");
    await fs.rm(file);
    assert.deepEqual(await threadNames(root), new Map());
  } finally {
    await fs.rm(root, { recursive: true });
  }
});
