/**
 * The listing's one-read job: a small file's summary and its exact facts come
 * from one read, and equal what summarizing and reading the file apart give;
 * a file too large to count exactly (the messy fixtures, with images) gets its
 * summary alone. The files are the real CLIs' fixtures.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { getProvider, type ReadResult } from "../mod.ts";
import { statFile } from "../src/internal/fast_fs.ts";
import { EXACT_COUNT_BYTES } from "../src/pipeline/exact_counts.ts";
import { sessionFacts } from "../src/pipeline/session_facts.ts";
import { type ReadJob, runReadJob, runReadJobInTurn } from "../src/pipeline/read_jobs.ts";
import { loadManifest, ROOT } from "./fixture_home.ts";

const ctx = { env: {}, homeDir: "/nonexistent", cwd: "/" };

for (const id of ["claude-code", "codex", "gemini-cli"]) {
  Deno.test(`a ${id} file listed in one read gives what summarizing and reading it apart give`, async () => {
    const provider = getProvider(id);
    assert.ok(provider);
    const summarize = provider.summarize?.bind(provider);
    assert.ok(summarize);
    const fixtures = (await loadManifest()).filter((f) => f.provider === id);
    assert.ok(fixtures.length >= 3, `real ${id} fixtures`);
    const sizes = new Set<boolean>();
    for (const fixture of fixtures) {
      const file = path.join(ROOT, "fixtures", fixture.path);
      const stat = await statFile(file);
      assert.ok(stat);
      const small = stat.size <= EXACT_COUNT_BYTES;
      sizes.add(small);
      const answer = await runReadJob({ kind: "list", provider: id, path: file, stat }, ctx);
      assert.ok(answer.ok, fixture.scenario);
      const summary = await summarize(file, ctx, stat);
      assert.deepEqual(answer.value.summary, summary, fixture.scenario);
      if (!small) {
        // Too large to count exactly while listing: no facts.
        assert.equal(answer.value.facts, undefined, fixture.scenario);
        continue;
      }
      const read: ReadResult = await provider.read(file, ctx);
      assert.deepEqual(answer.value.facts, {
        ...sessionFacts(read.session.messages),
        warnings: read.warnings,
      });
    }
    assert.deepEqual(sizes, new Set([true, false]), "fixtures below and above the limit");
  });
}

Deno.test("jobs run in turn answer as each run alone, a small file's and a text's after the one given before it", async () => {
  const fixtures = (await loadManifest()).filter((f) =>
    ["claude-code", "codex", "gemini-cli"].includes(f.provider)
  );
  const jobs: ReadJob[] = [];
  for (const fixture of fixtures) {
    const file = path.join(ROOT, "fixtures", fixture.path);
    const stat = await statFile(file);
    assert.ok(stat);
    jobs.push({ kind: "list", provider: fixture.provider, path: file, stat });
    jobs.push({ kind: "text", provider: fixture.provider, path: file });
    jobs.push({ kind: "facts", provider: fixture.provider, path: file });
  }
  // One that fails does not hold up the ones after it.
  jobs.splice(1, 0, { kind: "facts", provider: "codex", path: "/nonexistent/rollout.jsonl" });
  const alone = [];
  for (const job of jobs) alone.push(await runReadJob(job, ctx));
  const finished: number[] = [];
  const inTurn = await Promise.all(
    jobs.map((job, i) => runReadJobInTurn(job, ctx).finally(() => finished.push(i))),
  );
  assert.deepEqual(inTurn, alone);
  assert.equal(inTurn[1]?.ok, false);
  // Small files' jobs (read whole) finish in the order they were given, however large each is.
  const whole = jobs.map((job, i) => ({ job, i })).filter(({ job }) =>
    job.kind === "facts" || (job.kind === "list" && job.stat.size <= EXACT_COUNT_BYTES)
  ).map(({ i }) => i);
  assert.ok(whole.length >= 6);
  assert.deepEqual(finished.filter((i) => whole.includes(i)), whole);
  // Sessions read for the search index: one after another, in the order given.
  const text = jobs.map((job, i) => ({ job, i })).filter(({ job }) => job.kind === "text")
    .map(({ i }) => i);
  assert.ok(text.length >= 6);
  assert.deepEqual(finished.filter((i) => text.includes(i)), text);
});
