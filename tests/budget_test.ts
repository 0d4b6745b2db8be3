/**
 * Context budgets end to end: a 2-million-token Codex session converted to
 * Claude Code fits its window, and says what it dropped; normal sessions are
 * written byte for byte as without a budget.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import {
  contextWindowFor,
  convertSession,
  getProvider,
  heuristicTokens,
  messageTokens,
  PROVIDERS,
  type Session,
} from "../mod.ts";
import { GOAL_TEXT, turnMarker, writeBigSession } from "../scripts/big_session.ts";
import { fixtureFor, loadManifest, runCli, tempHome } from "./helpers.ts";

const NOW = Date.UTC(2026, 11, 1);

Deno.test("convertSession() fits a 2-million-token Codex session into Claude Code's window", async () => {
  await using home = await tempHome();
  const big = await writeBigSession(home.ctx, "codex");
  assert.ok(big.tokens >= 2_000_000, `generated ${big.tokens} tokens`);

  const result = await convertSession(home.ctx, "claude-code", big.id, { now: NOW });
  assert.equal(result.verified, true);
  const budget = result.budget!;
  const window = contextWindowFor("claude-code");
  assert.equal(budget.window, 200_000);
  assert.equal(budget.maxContextTokens, window.window - window.reserve);
  assert.ok(budget.tokensBefore >= 2_000_000, `before: ${budget.tokensBefore}`);
  assert.ok(budget.tokensAfter <= budget.maxContextTokens, `after: ${budget.tokensAfter}`);
  assert.ok(budget.toolOutputsElided > 0 && budget.exchangesDropped > 0);
  assert.equal(budget.overBudget, false);
  const codes = result.warnings.map((w) => w.code);
  assert.ok(codes.includes("budget-elided-tool-output"));
  const dropped = result.warnings.find((w) => w.code === "budget-dropped-turns");
  assert.match(
    dropped?.message ?? "",
    new RegExp(`Dropped the ${budget.exchangesDropped.toLocaleString("en-US")} oldest exchange`),
  );

  // What Claude Code will read: the goal first, the last turn last, within the window.
  const back = await getProvider("claude-code")!.read(result.target.path, home.ctx);
  const messages = back.session.messages.filter((m) => m.role !== "system");
  assert.equal(messages[0]?.role, "user");
  assert.equal(messages[0]?.text, GOAL_TEXT);
  assert.match(messages.at(-1)?.text ?? "", new RegExp(turnMarker(big.turns)));
  assert.doesNotMatch(messages.map((m) => m.text).join("\n"), new RegExp(turnMarker(1) + " "));
  const tokens = messages.reduce(
    (n, m) => n + messageTokens(m, (t) => heuristicTokens(t, "claude")),
    0,
  );
  assert.ok(tokens < window.window, `read back: ${tokens} tokens`);

  // Every tool result still follows its call.
  const calls = new Set<string>();
  for (const m of messages) {
    for (const c of m.toolCalls) calls.add(c.id);
    for (const r of m.toolResults) {
      assert.ok(calls.has(r.callId), `result ${r.callId} has its call`);
    }
  }
});

Deno.test("casr resume --json counts what the budget dropped; --max-context-tokens 0 turns it off", async () => {
  await using home = await tempHome();
  const big = await writeBigSession(home.ctx, "codex", { tokens: 60_000 });
  const run = await runCli(
    ["resume", "cc", big.id, "--dry-run", "--json", "--max-context-tokens", "20000"],
    home.ctx,
  );
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.equal(out.budget.maxContextTokens, 20_000);
  assert.ok(out.budget.tokensAfter <= 20_000);
  assert.ok(out.budget.exchangesDropped > 0);
  assert.ok(out.warnings.some((w: { code: string }) => w.code === "budget-dropped-turns"));

  const off = await runCli(
    ["resume", "cc", big.id, "--dry-run", "--json", "--max-context-tokens", "0"],
    home.ctx,
  );
  const offOut = JSON.parse(off.stdout);
  assert.equal(offOut.budget.maxContextTokens, 0);
  assert.equal(offOut.budget.tokensAfter, offOut.budget.tokensBefore);
  assert.ok(!offOut.warnings.some((w: { code: string }) => w.code.startsWith("budget-")));

  const bad = await runCli(["resume", "cc", big.id, "--max-tool-output", "-5"], home.ctx);
  assert.equal(bad.code, 2);
});

/** What a model sees of a read-back session, ids left out. */
function seen(session: Session): unknown[] {
  return session.messages.map((m) => ({
    role: m.role,
    text: m.text,
    reasoning: m.reasoning,
    timestamp: m.timestamp,
    calls: m.toolCalls.map((c) => [c.name, c.input]),
    results: m.toolResults.map((r) => [r.output, r.isError]),
  }));
}

/** A written file with the temp home, uuids and Claude message ids replaced (the core writers' random parts). */
async function normalized(home: string, file: string): Promise<string> {
  const text = new TextDecoder().decode(await Deno.readFile(file));
  return `${path.relative(home, file)}\n${text}`.replaceAll(home, "~")
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
    .replace(/msg_casr[0-9a-f]+/g, "<msg-id>");
}

Deno.test("convertSession() with the default budget writes normal sessions as with none", async () => {
  const fixtures = await loadManifest();
  const core = ["claude-code", "codex", "gemini-cli"];
  for (const source of core) {
    for (const scenario of ["basic", "multi-tool"]) {
      const fixture = fixtureFor(fixtures, source, scenario);
      const targets = PROVIDERS.filter((p) => !p.readOnly).map((p) => p.id);
      for (const target of targets.filter((p) => p !== source)) {
        const seenBack: unknown[][] = [];
        const bytes: string[][] = [];
        for (const maxContextTokens of [undefined, 0]) {
          await using home = await tempHome([source]);
          const options = maxContextTokens === undefined
            ? { now: NOW }
            : { now: NOW, maxContextTokens };
          const result = await convertSession(home.ctx, target, fixture.sessionId, options);
          assert.equal(result.budget?.tokensAfter, result.budget?.tokensBefore);
          assert.ok(!result.warnings.some((w) => w.code.startsWith("budget-")));
          const back = await getProvider(target)!.read(result.target.path, home.ctx);
          seenBack.push(seen(back.session));
          if (core.includes(target)) {
            bytes.push(await Promise.all(result.files.map((f) => normalized(home.home, f))));
          }
        }
        const what = `${source} ${scenario} → ${target}`;
        assert.deepEqual(seenBack[0], seenBack[1], what);
        assert.deepEqual(bytes[0], bytes[1], what);
      }
    }
  }
});
