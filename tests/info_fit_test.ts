/**
 * `casr info` estimates a session's tokens and says, for each agent casr can
 * write, whether it fits the default budget and what a resume there would cut;
 * the prediction matches what a conversion then does.
 */
import { fileText } from "../src/internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import { convertSession, fitReport, getProvider, type Session } from "../mod.ts";
import { fixtureFor, loadManifest, runCli, tempHome } from "./helpers.ts";

/** A hand-made Codex-shaped session of `n` exchanges, each with `chars` of tool output. */
function bigSession(n: number, chars: number): Session {
  const messages: Session["messages"] = [];
  for (let i = 0; i < n; i++) {
    messages.push(
      { index: 0, role: "user", text: `Step ${i}: list the files`, toolCalls: [], toolResults: [] },
      {
        index: 0,
        role: "assistant",
        text: "",
        toolCalls: [{ id: `c${i}`, name: "shell", input: { command: ["ls"] } }],
        toolResults: [],
      },
      {
        index: 0,
        role: "tool",
        text: "",
        toolCalls: [],
        toolResults: [{ callId: `c${i}`, output: `file-${i} `.repeat(chars / 8), isError: false }],
      },
      { index: 0, role: "assistant", text: `Listed step ${i}.`, toolCalls: [], toolResults: [] },
    );
  }
  return {
    id: "big",
    provider: "codex",
    workspace: "/tmp/casr-big",
    metadata: {},
    messages: messages.map((m, index) => ({ ...m, index, timestamp: 1_700_000_000_000 + index })),
  };
}

Deno.test("fitReport: a big session fits Gemini CLI's window, not Claude Code's; the cut it predicts is the conversion's", async () => {
  const session = bigSession(40, 16_000);
  const report = fitReport(session);
  const gemini = report.targets.find((t) => t.target === "gemini-cli")!;
  const claude = report.targets.find((t) => t.target === "claude-code")!;
  assert.ok(report.tokens > 140_000, `${report.tokens}`);
  assert.equal(gemini.fits, true);
  assert.equal(gemini.cut, undefined);
  assert.equal(claude.fits, false);
  assert.ok(claude.tokens > claude.budget);
  assert.ok(claude.cut!.toolOutputsElided > 0 || claude.cut!.exchangesDropped > 0);
  assert.ok(
    !report.targets.some((t) => t.target === "codex"),
    "the session's own agent is left out",
  );
  for (const t of report.targets) assert.equal(t.fits, t.tokens <= t.budget, t.target);

  // Written as a real Codex rollout, converted to Claude Code with the default budget.
  await using home = await tempHome([]);
  const codex = getProvider("codex")!;
  const plan = await codex.plan!(session, home.ctx, {
    workspace: "/tmp/casr-big",
    now: 1_700_000_000_000,
  });
  for (const f of plan.files) {
    await Deno.mkdir(path.dirname(f.path), { recursive: true });
    await Deno.writeTextFile(f.path, fileText(f.data));
  }
  const done = await convertSession(home.ctx, "claude-code", plan.primaryPath, { dryRun: true });
  assert.equal(done.budget?.toolOutputsElided, claude.cut!.toolOutputsElided);
  assert.equal(done.budget?.exchangesDropped, claude.cut!.exchangesDropped);
});

Deno.test("casr info shows the tokens and that a small session fits every agent; --json carries fit", async () => {
  const fixtures = await loadManifest();
  const codexBasic = fixtureFor(fixtures, "codex", "basic");
  await using home = await tempHome(["codex"]);
  const human = await runCli(["info", codexBasic.sessionId], home.ctx);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /Tokens {5}~\d+ \(estimated\); fits every agent casr writes/);
  const json = await runCli(["info", codexBasic.sessionId, "--json"], home.ctx);
  assert.equal(json.code, 0, json.stderr);
  const fit =
    (json.json as { fit: { tokens: number; targets: { target: string; fits: boolean }[] } })
      .fit;
  assert.ok(fit.tokens > 0);
  assert.ok(fit.targets.length >= 15);
  assert.ok(fit.targets.every((t) => t.fits));
});

Deno.test("list --json carries each session's tokens: counted as info counts them, or scaled from a large file", async () => {
  await using home = await tempHome(["codex", "claude-code", "gemini-cli"]);
  const list = await runCli(["list", "--json"], home.ctx);
  assert.equal(list.code, 0, list.stderr);
  const sessions = (list.json as {
    sessions: { id: string; provider: string; tokens?: number; tokensEstimated?: boolean }[];
  }).sessions;
  assert.ok(sessions.length >= 9);
  for (const s of sessions) {
    assert.ok(typeof s.tokens === "number" && s.tokens > 0, `${s.provider} ${s.id}: ${s.tokens}`);
    if (s.tokensEstimated) continue;
    const info = await runCli(["info", s.id, "--source", s.provider, "--json"], home.ctx);
    assert.equal((info.json as { fit: { tokens: number } }).fit.tokens, s.tokens, s.id);
  }
  assert.ok(sessions.some((s) => s.tokensEstimated), "the messy fixtures are too large to read");
  // A warm list gives the same figures from its cache.
  const warm = await runCli(["list", "--json"], home.ctx);
  assert.deepEqual(
    (warm.json as { sessions: unknown[] }).sessions,
    sessions,
  );
});
