/**
 * Tests on the GENUINE fixtures written by the real Claude Code 2.1.331
 * (fixtures/claude-code/, listed in fixtures/manifest.json): one per scenario,
 * all in one home tree.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { compareSessions } from "../../pipeline/compare.ts";
import { claudeCode } from "./mod.ts";
import { copyTree, tempDir, writePlanFiles } from "../../../tests/fixture_home.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

interface Expected {
  role: string;
  text: string;
  toolCalls?: { name: string; command?: string }[];
  error?: boolean;
}
interface Fixture {
  provider: string;
  scenario: string;
  sessionId: string;
  path: string;
  home: string;
  workspace: string;
  cliVersion: string;
  prompts: string[];
  expected: Expected[];
}

async function fixtures(): Promise<Fixture[]> {
  const raw = JSON.parse(await Deno.readTextFile(path.join(ROOT, "fixtures", "manifest.json")));
  const list = (Array.isArray(raw) ? raw : raw.fixtures) as Fixture[];
  return list.filter((f) => f.provider === "claude-code");
}

async function withFixtureHome(
  fixture: Fixture,
  fn: (home: string) => Promise<void>,
): Promise<void> {
  await using homeTmp = await tempDir({ prefix: "casr-cc-fixture-" });
  const home = homeTmp.path;
  await copyTree(path.join(ROOT, "fixtures", fixture.home), home);
  await fn(home);
}

const ctxFor = (home: string) => ({ env: { PATH: "" }, homeDir: home, cwd: home });

/** The title the reader makes of a first prompt: its first line, cut to 80 characters. */
function titleOf(prompt: string | undefined): string {
  const line = (prompt ?? "").trim().split("\n")[0]?.trim() ?? "";
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** The expected turns with consecutive tool results (parallel calls) grouped as one message. */
function grouped(expected: Expected[]): { role: string; turns: Expected[] }[] {
  const out: { role: string; turns: Expected[] }[] = [];
  for (const turn of expected) {
    const last = out.at(-1);
    if (turn.role === "tool" && last?.role === "tool") last.turns.push(turn);
    else out.push({ role: turn.role, turns: [turn] });
  }
  return out;
}

Deno.test("read() reads the genuine 2.1.331 fixtures as the mock saw the conversation", async () => {
  const all = await fixtures();
  assert.deepEqual(all.map((f) => f.scenario), ["basic", "multi-tool", "messy"]);
  // The clean scenarios, turn for turn; the messy one is checked by the round-trip suite
  // and messages_test.ts against what Claude Code sends on resume.
  const list = all.filter((f) => f.scenario !== "messy");
  for (const fixture of list) {
    const file = path.join(ROOT, "fixtures", fixture.path);
    const { session, warnings } = await claudeCode.read(file, ctxFor("/nonexistent"));
    assert.deepEqual(warnings, []);
    assert.equal(session.id, fixture.sessionId);
    assert.equal(session.workspace, fixture.workspace);
    assert.equal(session.metadata.version, fixture.cliVersion);
    assert.equal(session.title, titleOf(fixture.prompts[0]));
    assert.ok(session.model);
    const visible = session.messages.filter((m) => m.role !== "system" && m.role !== "other");
    const groups = grouped(fixture.expected);
    assert.deepEqual(visible.map((m) => m.role), groups.map((g) => g.role), fixture.scenario);
    visible.forEach((m, i) => {
      const group = groups[i]!;
      const want = group.turns[0] as Expected;
      if (m.role === "tool") {
        // One tool message answers every call of the assistant message before it, in the
        // order the CLI wrote the results (parallel results: completion order).
        assert.equal(m.toolResults.length, group.turns.length);
        group.turns.forEach((t, j) => {
          const result = m.toolResults[j];
          assert.ok(result?.output.includes(t.text), `result ${j} holds ${JSON.stringify(t.text)}`);
          assert.equal(result?.isError, t.error === true, `result ${j} error flag`);
        });
        assert.deepEqual(
          m.toolResults.map((r) => r.callId).sort(),
          (visible[i - 1]?.toolCalls.map((c) => c.id) ?? []).sort(),
        );
      } else {
        assert.equal(m.text.trim(), want.text);
      }
      assert.deepEqual(
        m.toolCalls.map((c) => [c.name, (c.input as { command?: string }).command]),
        (want.toolCalls ?? []).map((c) => [c.name, c.command]),
      );
      assert.ok(m.timestamp !== undefined);
    });
    assert.ok((session.startedAt ?? 0) <= (session.endedAt ?? 0));
  }
});

Deno.test("list() and find() see the fixture session in a copied home", async () => {
  for (const fixture of await fixtures()) {
    await withFixtureHome(fixture, async (home) => {
      const ctx = ctxFor(home);
      const list = await claudeCode.list(ctx);
      assert.deepEqual(
        list.map((s) => s.id).sort(),
        (await fixtures()).map((f) => f.sessionId).sort(),
      );
      const summary = list.find((s) => s.id === fixture.sessionId);
      assert.equal(summary?.workspace, fixture.workspace);
      assert.equal(summary?.title, titleOf(fixture.prompts[0]));
      assert.ok((summary?.messageCount ?? 0) >= fixture.expected.length);
      assert.ok((summary?.startedAt ?? 0) <= (summary?.lastActiveAt ?? 0));
      assert.deepEqual(
        (await claudeCode.find(ctx, fixture.sessionId.slice(0, 8))).map((s) => s.id),
        [fixture.sessionId],
      );
      const head = (await Deno.readTextFile(path.join(home, fixture.path.replace(/^[^/]+\//, ""))))
        .slice(0, 4096);
      assert.equal(claudeCode.claims(summary?.path ?? "", head), true);
    });
  }
});

Deno.test("plan() rewrites the fixture as a new session that reads back equal", async () => {
  for (const fixture of await fixtures()) {
    await withFixtureHome(fixture, async (home) => {
      const ctx = ctxFor(home);
      const source =
        (await claudeCode.read(path.join(ROOT, "fixtures", fixture.path), ctx)).session;
      const ws = path.join(home, "target");
      await Deno.mkdir(ws);
      const plan = await claudeCode.plan(source, ctx, { workspace: ws, now: Date.now() });
      assert.notEqual(plan.sessionId, source.id);
      await writePlanFiles(plan);
      const back = (await claudeCode.read(plan.primaryPath, ctx)).session;
      assert.deepEqual(compareSessions(source, back), []);
      assert.equal(back.workspace, ws);
      assert.equal((await claudeCode.list(ctx)).length, (await fixtures()).length + 1);
    });
  }
});
