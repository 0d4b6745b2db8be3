/**
 * The conversion matrix on the fixtures (`deno task matrix`): every fixture of
 * every agent (each scenario: `basic`, `multi-tool`, `messy`, the hand-made
 * ones) converted to every other agent in a throwaway home, with the result of
 * casr's read-back verification. No real CLI is involved: that is
 * `deno task smoke`. `--scenario <s>` (repeatable) keeps only those sources,
 * e.g. `deno task matrix --scenario messy`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { CasrError, convertSession, PROVIDERS } from "../mod.ts";
import { loadManifest, tempHome } from "../tests/fixture_home.ts";

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { scenario: { type: "string", multiple: true } },
  });
  const scenarios = values.scenario ?? [];
  const fixtures = (await loadManifest()).filter((f) =>
    scenarios.length === 0 || scenarios.includes(f.scenario)
  );
  const targets = PROVIDERS.filter((p) => !p.readOnly).map((p) => p.id);
  const rows: string[][] = [];
  let pairs = 0;
  let verified = 0;
  for (const f of fixtures) {
    const row = [`${f.provider} (${f.scenario})`];
    for (const target of targets) {
      if (target === f.provider) {
        row.push("self");
        continue;
      }
      pairs++;
      await using home = await tempHome([f.provider]);
      try {
        const result = await convertSession(home.ctx, target, f.sessionId);
        if (result.verified) verified++;
        row.push(result.verified ? "ok" : "UNVERIFIED");
      } catch (error) {
        row.push(error instanceof CasrError ? `FAIL ${error.code}` : `CRASH ${String(error)}`);
      }
    }
    rows.push(row);
  }
  const header = ["source \\ target", ...targets];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(`\n${verified} of ${pairs} cross conversions verified`);
  Deno.exit(verified === pairs ? 0 : 1);
}
