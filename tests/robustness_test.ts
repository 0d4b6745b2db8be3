/**
 * Mutated and malformed sessions: readers and the pipeline either work or fail
 * with a CasrError — never a TypeError or another crash. Seeded, so a failure
 * reproduces.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { CasrError, convertSession, getProvider, PROVIDERS } from "../mod.ts";
import { loadManifest, tempHome } from "./helpers.ts";
import { mutateValue, rng } from "./fuzz_cases.ts";

const fixtures = await loadManifest();

function mutateFile(text: string, rand: () => number): string {
  // A whole-file JSON document (pretty-printed, like Amp's thread files) is
  // mutated as one value; line-oriented formats line by line.
  if (!text.trimStart().startsWith('{"') || text.trim().split("\n").length > 1) {
    try {
      let doc = JSON.parse(text);
      const edits = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < edits; e++) doc = mutateValue(doc, rand);
      if (rand() < 0.1) {
        return JSON.stringify(doc, null, 2).slice(0, Math.floor(rand() * text.length));
      }
      return JSON.stringify(doc, null, 2);
    } catch {
      // not one JSON document: fall through to line edits
    }
  }
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const edits = 1 + Math.floor(rand() * 3);
  for (let e = 0; e < edits && lines.length > 0; e++) {
    const i = Math.floor(rand() * lines.length);
    const roll = rand();
    if (roll < 0.1) lines.splice(i, 1);
    else if (roll < 0.2) {
      lines[i] = (lines[i] ?? "").slice(0, Math.floor(rand() * (lines[i]?.length ?? 0)));
    } else if (roll < 0.25) lines.splice(i, 0, lines[i] ?? "");
    else {
      try {
        lines[i] = JSON.stringify(mutateValue(JSON.parse(lines[i] ?? ""), rand));
      } catch {
        lines[i] = "{";
      }
    }
  }
  return lines.join("\n") + (rand() < 0.8 ? "\n" : "");
}

/** Text formats are mutated line by line; SQLite fixtures get their own corruption tests. */
const textFixtures = fixtures.filter((f) => /\.(jsonl?|md)$/.test(f.path));

for (const fixture of textFixtures) {
  Deno.test(`${fixture.provider} (${fixture.scenario}) reader and pipeline survive 150 mutated copies of the genuine session`, async () => {
    const provider = getProvider(fixture.provider)!;
    const targets = PROVIDERS.filter((p) => !p.readOnly).map((p) => p.id)
      .filter((t) => t !== fixture.provider);
    // The basic fixtures keep the seeds they had before there were other scenarios.
    const rand = rng(0xca5e + fixture.provider.length + (fixture.scenario === "basic" ? 0 : 1000));
    await using home = await tempHome([fixture.provider]);
    const file = path.join(home.home, path.relative(fixture.provider, fixture.path));
    const original = await Deno.readTextFile(file);
    let converted = 0;
    for (let round = 0; round < 150; round++) {
      await Deno.writeTextFile(file, mutateFile(original, rand));
      const where = `round ${round}`;
      try {
        await provider.read(file, home.ctx);
      } catch (error) {
        assert.ok(
          error instanceof CasrError,
          `${where}: read threw ${String(error)}\n${(error as Error).stack}`,
        );
        continue;
      }
      const target = targets[round % targets.length] as string;
      try {
        const result = await convertSession(home.ctx, target, file, { force: true });
        assert.equal(result.verified, true);
        converted++;
      } catch (error) {
        assert.ok(
          error instanceof CasrError,
          `${where}: convert to ${target} threw ${String(error)}\n${(error as Error).stack}`,
        );
        assert.notEqual(
          error.code,
          "verify-failed",
          `${where}: ${error.message} ${JSON.stringify(error.details)}`,
        );
      }
    }
    assert.ok(converted > 30, `only ${converted} of 150 mutated sessions converted`);
  });
}
