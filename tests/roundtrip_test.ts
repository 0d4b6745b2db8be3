/**
 * The 3×3 matrix on genuine fixtures: every source converts to every other
 * provider, verifies, reads back equal, and leaves the source byte-identical.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { compareSessions, convertSession, getProvider, repairSession } from "../mod.ts";
import { type FixtureEntry, loadManifest, ROOT, tempHome, treeHashes } from "./helpers.ts";

const fixtures = await loadManifest();
const PROVIDER_IDS = ["claude-code", "codex", "gemini-cli"];

function fixtureFile(home: string, f: FixtureEntry): string {
  return path.join(home, path.relative(f.provider, f.path));
}

/** The user and assistant texts the real CLI's model saw, in order (from the manifest). */
function expectedTexts(f: FixtureEntry): string[] {
  return f.expected.filter((e) => e.role !== "tool").map((e) => `${e.role}: ${e.text.trim()}`);
}

for (const source of fixtures) {
  for (const target of PROVIDER_IDS) {
    if (target === source.provider) continue;
    Deno.test(`convertSession() ${source.provider} → ${target} keeps the whole genuine conversation`, async () => {
      await using home = await tempHome([source.provider]);
      const before = await treeHashes(home.home);
      const result = await convertSession(home.ctx, target, source.sessionId, {
        now: Date.UTC(2026, 11, 1),
      });
      assert.equal(result.verified, true);
      assert.equal(result.target.provider, target);
      assert.notEqual(result.target.sessionId, source.sessionId);

      const targetProvider = getProvider(target)!;
      const back = await targetProvider.read(result.target.path, home.ctx);
      const texts = back.session.messages
        .filter((m) => (m.role === "user" || m.role === "assistant") && m.text.trim() !== "")
        .map((m) => `${m.role}: ${m.text.trim()}`);
      assert.deepEqual(texts, expectedTexts(source));
      const calls = back.session.messages.flatMap((m) => m.toolCalls);
      const results = back.session.messages.flatMap((m) => m.toolResults);
      assert.equal(calls.length, source.toolCalls);
      assert.deepEqual(results.map((r) => r.callId), calls.map((c) => c.id));
      assert.ok(results.every((r) => r.output.includes("casr-fixture")));

      const after = await treeHashes(home.home);
      for (const [file, hash] of before) assert.equal(after.get(file), hash, `${file} changed`);
      const found = await targetProvider.find(home.ctx, result.target.sessionId);
      assert.deepEqual(found.map((s) => s.id), [result.target.sessionId]);
    });
  }

  Deno.test(`convertSession() ${source.provider} → itself returns the existing resume command`, async () => {
    await using home = await tempHome([source.provider]);
    const before = await treeHashes(home.home);
    const result = await convertSession(home.ctx, source.provider, source.sessionId);
    assert.equal(result.sameProvider, true);
    assert.equal(result.target.sessionId, source.sessionId);
    assert.deepEqual(result.files, []);
    assert.ok(result.resume.shell.includes(source.sessionId));
    assert.equal(result.resume.cwd, source.workspace);
    assert.deepEqual(await treeHashes(home.home), before);
  });
}

Deno.test("convertSession() codex → claude-code → gemini-cli → codex comes back equal", async () => {
  const source = fixtures.find((f) => f.provider === "codex")!;
  await using home = await tempHome(["codex"]);
  const codex = getProvider("codex")!;
  const original = await codex.read(fixtureFile(home.home, source), home.ctx);
  let id = source.sessionId;
  for (const target of ["claude-code", "gemini-cli", "codex"]) {
    const result = await convertSession(home.ctx, target, id, { now: Date.UTC(2026, 11, 1) });
    assert.equal(result.verified, true, `${target} verified`);
    id = result.target.sessionId;
  }
  const [last] = await codex.find(home.ctx, id);
  const back = await codex.read(last!.path, home.ctx);
  const expected = repairSession(original.session, 0).session;
  assert.deepEqual(compareSessions(expected, back.session), []);
});

Deno.test("fixtures/manifest.json lists one genuine session per provider", () => {
  assert.deepEqual(fixtures.map((f) => f.provider).sort(), PROVIDER_IDS);
  for (const f of fixtures) {
    assert.ok(Deno.statSync(path.join(ROOT, "fixtures", f.path)).isFile);
    assert.ok(f.toolCalls >= 1, `${f.provider} fixture has a tool call`);
  }
});
