/**
 * A bounded slice of the fuzz suite (`deno task fuzz` runs the full one): every
 * mutation operator on every fixture, a few seeds each. No crash, no hang.
 */
import assert from "node:assert/strict";
import { loadManifest } from "./fixture_home.ts";
import { mutationsFor, newCounts, runCase } from "./fuzz_cases.ts";

const fixtures = await loadManifest();

for (const fixture of fixtures) {
  Deno.test(`fuzz slice: ${fixture.provider} (${fixture.scenario}) never crashes on bad input`, async () => {
    const counts = newCounts();
    for (const mutation of mutationsFor(fixture, 2_000_000)) {
      for (const seed of [1, 2]) await runCase(fixture, mutation, seed, counts);
    }
    assert.deepEqual(counts.crashes, [], counts.crashes.join("\n\n"));
    assert.ok(counts.cases > 0);
  });
}
