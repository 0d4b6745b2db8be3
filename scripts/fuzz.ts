/**
 * The full bad-input fuzz run (`deno task fuzz [--seeds N] [--huge-mb M]`):
 * every mutation operator on every fixture with N seeds, a 50 MB single line by
 * default, and a table of the outcomes. Exits 1 on any crash or hang.
 *
 * @module
 */
import { loadManifest } from "../tests/fixture_home.ts";
import { mutationsFor, newCounts, runCase } from "../tests/fuzz_cases.ts";

if (import.meta.main) {
  let seeds = 20;
  let hugeMb = 50;
  for (let i = 0; i < Deno.args.length; i++) {
    const arg = Deno.args[i];
    if (arg === "--seeds") seeds = Number(Deno.args[++i]);
    else if (arg === "--huge-mb") hugeMb = Number(Deno.args[++i]);
    else {
      console.error(`error: unknown argument "${arg}" (expected --seeds N or --huge-mb M)`);
      Deno.exit(2);
    }
  }
  const counts = newCounts();
  const started = Date.now();
  for (const fixture of await loadManifest()) {
    for (const mutation of mutationsFor(fixture, hugeMb * 1024 * 1024)) {
      const runs = mutation.name === "huge-line" ? 1 : seeds;
      for (let seed = 1; seed <= runs; seed++) await runCase(fixture, mutation, seed, counts);
    }
    console.error(
      `fuzz: ${fixture.provider} (${fixture.scenario}) done, ${counts.cases} cases so far`,
    );
  }
  const errors = Object.entries(counts.errors).sort().map(([code, n]) => `${code} ${n}`).join(", ");
  console.log(`cases run        ${counts.cases}`);
  console.log(`sessions read    ${counts.sessions} (with ${counts.warnings} warnings)`);
  console.log(`CasrErrors       ${errors || "none"}`);
  console.log(`crashes or hangs ${counts.crashes.length}`);
  console.log(`seconds          ${Math.round((Date.now() - started) / 1000)}`);
  for (const crash of counts.crashes) console.log(`\n${crash}`);
  Deno.exit(counts.crashes.length === 0 ? 0 : 1);
}
