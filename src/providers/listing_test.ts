import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ProviderContext, SessionSummary } from "./types.ts";
import { installAt } from "./detect.ts";
import { fileSessionLister, sampleLines } from "./listing.ts";

const CTX: ProviderContext = { env: { PATH: "" }, homeDir: "/nonexistent", cwd: "/" };

Deno.test("fileSessionLister() lists every file's summary and finds by the id in the path", async () => {
  const files = ["/s/abc.jsonl", "/s/abd.jsonl", "/s/session_xyz.jsonl", "/s/broken.jsonl"];
  const lister = fileSessionLister({
    files: () => Promise.resolve(files),
    summarize: (file) =>
      Promise.resolve(
        file.includes("broken")
          ? undefined
          : { id: path.basename(file, ".jsonl"), provider: "x", path: file } as SessionSummary,
      ),
    idLead: "session_",
  });
  assert.deepEqual((await lister.list(CTX)).map((s) => s.id), ["abc", "abd", "session_xyz"]);
  assert.deepEqual((await lister.find(CTX, "ABC")).map((s) => s.id), ["abc"]);
  assert.deepEqual((await lister.find(CTX, "ab")).map((s) => s.id), ["abc", "abd"]);
  assert.deepEqual((await lister.find(CTX, "xy")).map((s) => s.id), ["session_xyz"]);
  assert.deepEqual(await lister.find(CTX, "  "), []);
});

Deno.test("sampleLines() cuts a sample into non-blank lines, and is undefined for a missing file", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "casr-sample-"));
  try {
    const file = path.join(dir, "s.jsonl");
    fs.writeFileSync(file, '{"a":1}\n\n{"b":2}\n');
    const sampled = await sampleLines(file);
    assert.deepEqual(sampled?.head, ['{"a":1}', '{"b":2}']);
    assert.deepEqual(sampled?.tail, []);
    assert.equal(sampled?.sample.whole, true);
    assert.equal(await sampleLines(path.join(dir, "none.jsonl")), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

Deno.test("installAt() gives roots and a detect over the same roots, or the ones told", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "casr-install-"));
  try {
    const members = installAt(() => [dir, path.join(dir, "none")], "casr-no-such-binary");
    assert.deepEqual(members.roots(CTX), [dir, path.join(dir, "none")]);
    assert.deepEqual(await members.detect(CTX), { installed: true, roots: [dir] });
    const other = installAt(() => [dir], "casr-no-such-binary", () => [path.join(dir, "none")]);
    assert.deepEqual(await other.detect(CTX), { installed: false, roots: [] });
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});
