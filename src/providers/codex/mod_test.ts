import assert from "node:assert/strict";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { codex } from "./mod.ts";
import { codexTempDir } from "./testdata/temp.ts";

const ID = "019c538b-8d9d-78d1-891c-a9b09f3f47b6";

Deno.test("codex provider has its id, names and variables", () => {
  assert.equal(codex.id, "codex");
  assert.equal(codex.name, "Codex CLI");
  assert.deepEqual(codex.aliases, ["cod", "codex"]);
  assert.equal(codex.binary, "codex");
  assert.deepEqual(codex.envVars, ["CODEX_HOME", "CODEX_SQLITE_HOME"]);
  assert.deepEqual(codex.roots({ env: { CODEX_HOME: "/c" }, homeDir: "/h", cwd: "/" }), ["/c"]);
  assert.deepEqual(codex.roots({ env: {}, homeDir: "/h", cwd: "/" }), [path.join("/h", ".codex")]);
});

Deno.test("codex.resumeCommand() runs codex resume in the workspace", () => {
  assert.deepEqual(codex.resumeCommand({ id: ID, workspace: "/my proj" }), {
    argv: ["codex", "resume", ID],
    cwd: "/my proj",
    shell: `cd '/my proj' && codex resume ${ID}`,
  });
  assert.deepEqual(codex.resumeCommand({ id: ID }), {
    argv: ["codex", "resume", ID],
    shell: `codex resume ${ID}`,
  });
});

Deno.test("codex.claims() accepts rollouts and rejects Claude and Gemini sessions", () => {
  const meta =
    `{"timestamp":"2026-08-20T14:03:10.120Z","type":"session_meta","payload":{"id":"${ID}","base_instructions":{"text":"long`;
  assert.equal(codex.claims("/any/file.jsonl", meta), true);
  assert.equal(codex.claims(`/x/rollout-2026-08-20T14-03-10-${ID}.jsonl`, meta), true);
  assert.equal(
    codex.claims(
      "/x/a.jsonl",
      '{"timestamp":"2026-08-20T14:03:10Z","ordinal":0,"type":"response_item","payload":{"type":"message"}}\n',
    ),
    true,
  );
  assert.equal(
    codex.claims(`/x/rollout-2026-08-20T14-03-10-${ID}.jsonl.zst`, "\u0028\u00b5/\u00fd"),
    true,
  );
  assert.equal(
    codex.claims(
      `/x/rollout-2025-05-01T10-00-00-${ID}.jsonl`,
      `{"id":"${ID}","timestamp":"2025-05-01T10:00:00Z"}`,
    ),
    true,
  );
  // Claude Code
  assert.equal(
    codex.claims(
      `/p/${ID}.jsonl`,
      '{"type":"user","uuid":"u1","parentUuid":null,"timestamp":"2026-01-01T00:00:00Z","message":{"role":"user","content":"hi"}}\n',
    ),
    false,
  );
  // Gemini CLI
  assert.equal(
    codex.claims(
      "/g/session-2026-01-01T00-00-abcd1234.jsonl",
      '{"sessionId":"abcd","projectHash":"x","startTime":"2026-01-01T00:00:00Z","kind":"main"}\n',
    ),
    false,
  );
  assert.equal(codex.claims("/x/file.jsonl.zst", "\u0028\u00b5/\u00fd"), false);
  assert.equal(codex.claims("/x/empty.jsonl", ""), false);
});

Deno.test("codex.detect() finds the root and the binary on PATH", async () => {
  const home = await codexTempDir("casr-codex-detect-");
  const ctx = { env: { PATH: path.join(home, "bin") }, homeDir: home, cwd: home };
  assert.deepEqual(await codex.detect(ctx), { installed: false, roots: [] });
  await fs.mkdir(path.join(home, ".codex"));
  await fs.mkdir(path.join(home, "bin"));
  const bin = path.join(home, "bin", "codex");
  await fs.writeFile(bin, "#!/bin/sh\necho 'codex-cli 0.169.0'\n", { mode: 0o755 });
  const found = await codex.detect(ctx, { version: true });
  assert.equal(found.installed, true);
  assert.deepEqual(found.roots, [path.join(home, ".codex")]);
  assert.equal(found.binaryPath, bin);
  assert.equal(found.version, "0.169.0");
});
