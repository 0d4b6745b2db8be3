/**
 * Tests on the GENUINE fixture written by the real Claude Code 2.1.331
 * (fixtures/claude-code/, listed in fixtures/manifest.json).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { compareSessions } from "../../pipeline/compare.ts";
import { claudeCode } from "./mod.ts";
import { copyTree } from "../../../tests/fixture_home.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

interface Expected {
  role: string;
  text: string;
  toolCalls?: { name: string; command?: string }[];
}
interface Fixture {
  provider: string;
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
  const home = await Deno.makeTempDir({ prefix: "casr-cc-fixture-" });
  try {
    await copyTree(path.join(ROOT, "fixtures", fixture.home), home);
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

const ctxFor = (home: string) => ({ env: { PATH: "" }, homeDir: home, cwd: home });

Deno.test("read() reads the genuine 2.1.331 fixture as the mock saw the conversation", async () => {
  const list = await fixtures();
  assert.ok(list.length > 0, "no claude-code fixture in fixtures/manifest.json");
  for (const fixture of list) {
    const file = path.join(ROOT, "fixtures", fixture.path);
    const { session, warnings } = await claudeCode.read(file, ctxFor("/nonexistent"));
    assert.deepEqual(warnings, []);
    assert.equal(session.id, fixture.sessionId);
    assert.equal(session.workspace, fixture.workspace);
    assert.equal(session.metadata.version, fixture.cliVersion);
    assert.equal(session.title, fixture.prompts[0]);
    assert.ok(session.model);
    const visible = session.messages.filter((m) => m.role !== "system" && m.role !== "other");
    assert.deepEqual(
      visible.map((m) => m.role),
      fixture.expected.map((e) => e.role),
    );
    visible.forEach((m, i) => {
      const want = fixture.expected[i] as Expected;
      if (m.role === "tool") {
        assert.equal(m.toolResults.length, 1);
        assert.equal(m.toolResults[0]?.output.trim(), want.text);
        // The result answers the call of the assistant message before it.
        assert.equal(m.toolResults[0]?.callId, visible[i - 1]?.toolCalls[0]?.id);
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
      assert.deepEqual(list.map((s) => s.id), [fixture.sessionId]);
      const summary = list[0];
      assert.equal(summary?.workspace, fixture.workspace);
      assert.equal(summary?.title, fixture.prompts[0]);
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
      for (const file of plan.files) {
        await Deno.mkdir(path.dirname(file.path), { recursive: true });
        await Deno.writeTextFile(file.path, file.data);
      }
      const back = (await claudeCode.read(plan.primaryPath, ctx)).session;
      assert.deepEqual(compareSessions(source, back), []);
      assert.equal(back.workspace, ws);
      assert.equal((await claudeCode.list(ctx)).length, 2);
    });
  }
});
