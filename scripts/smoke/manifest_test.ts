import assert from "node:assert/strict";
import { readManifest } from "./manifest.ts";
import { SCENARIO_IDS } from "./scenarios.ts";

const FIXTURES = new URL("../../fixtures/", import.meta.url).pathname;

Deno.test("fixtures/manifest.json lists files that exist and hold their session", async () => {
  const all = await readManifest(`${FIXTURES}manifest.json`);
  // Hand-made fixtures (no real CLI wrote them) are the provider tests' business.
  const manifest = { ...all, fixtures: all.fixtures.filter((e) => e.generatedBy === undefined) };
  const keys = manifest.fixtures.map((entry) => `${entry.provider} ${entry.scenario}`);
  assert.equal(new Set(keys).size, keys.length, "one fixture per provider and scenario");
  assert.deepEqual(
    [...new Set(manifest.fixtures.map((entry) => entry.scenario))].sort(),
    [...SCENARIO_IDS].sort(),
  );
  for (const entry of manifest.fixtures) {
    assert.ok(entry.files.includes(entry.path), `${entry.provider}: path not in files`);
    for (const file of entry.files) {
      assert.ok(file.startsWith(`${entry.home}/`), `${file} is outside ${entry.home}/`);
      await Deno.stat(`${FIXTURES}${file}`);
    }
    const text = await Deno.readTextFile(`${FIXTURES}${entry.path}`);
    // Kimi Code names the session by its folder only (`<id>/agents/main/wire.jsonl`).
    const named = text.includes(entry.sessionId) || entry.path.includes(`/${entry.sessionId}/`);
    assert.ok(named, `${entry.provider}: session id not in transcript or its path`);
    const messy = entry.scenario === "messy";
    for (const prompt of entry.prompts) {
      // A messy session's slash command may be stored as its expansion only (Gemini CLI).
      if (messy && prompt.startsWith("/")) continue;
      const inFile = text.includes(prompt) || text.includes(JSON.stringify(prompt).slice(1, -1));
      assert.ok(inFile, `${entry.provider}: prompt missing from transcript: ${prompt}`);
    }
    assert.ok(entry.toolCalls > 0, `${entry.provider}: no tool call`);
    assert.equal(
      entry.expected.reduce((sum, turn) => sum + (turn.toolCalls?.length ?? 0), 0),
      entry.toolCalls,
      `${entry.provider} ${entry.scenario}: toolCalls is the number of calls in expected`,
    );
    // A messy fixture's `expected` is what the CLI sent on resume (a compaction summary, an
    // expanded command), not the prompts typed.
    if (messy) continue;
    assert.deepEqual(
      entry.expected.filter((turn) => turn.role === "user").map((turn) => turn.text),
      entry.prompts,
    );
  }
});
