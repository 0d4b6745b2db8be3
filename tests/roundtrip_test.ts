/**
 * The matrix on genuine fixtures: every source fixture (each provider × scenario)
 * converts to every other provider, verifies, reads back equal, and leaves the
 * source byte-identical.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import {
  checkResumedHistory,
  type ExpectedTurn,
  mergeUserRuns,
  normalize,
} from "../scripts/smoke/checks.ts";
import type { Turn } from "../scripts/smoke/history.ts";
import {
  compareSessions,
  convertSession,
  getProvider,
  type Message,
  PROVIDERS,
  repairSession,
} from "../mod.ts";
import {
  type FixtureEntry,
  fixtureFor,
  loadManifest,
  ROOT,
  tempHome,
  treeHashes,
} from "./helpers.ts";

const fixtures = await loadManifest();
/** Every registered provider is a target for every fixture of every other provider. */
const PROVIDER_IDS = PROVIDERS.map((p) => p.id);
/** The providers whose real CLIs generated fixtures in both harness scenarios. */
const GENUINE_IDS = ["claude-code", "codex", "gemini-cli"];
const SCENARIO_IDS = ["basic", "multi-tool"];
/** Targets whose format keeps a tool result's error flag (Codex outputs have none). */
const KEEPS_ERROR_FLAG = new Set(["claude-code", "gemini-cli"]);

function fixtureFile(home: string, f: FixtureEntry): string {
  return path.join(home, path.relative(f.provider, f.path));
}

/** The user and assistant texts the real CLI's model saw, in order (from the manifest). */
function expectedTexts(f: FixtureEntry): string[] {
  return f.expected.filter((e) => e.role !== "tool").map((e) => `${e.role}: ${e.text.trim()}`);
}

/**
 * Consecutive `user: …` entries as one (a model sees a run of user turns as one
 * message, and some agents store it as one, e.g. Claude Code).
 */
function joinUserRuns(texts: string[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    const last = out.at(-1);
    if (last?.startsWith("user: ") && text.startsWith("user: ")) {
      out[out.length - 1] = `${last}\n\n${text.slice("user: ".length)}`;
    } else out.push(text);
  }
  return out;
}

/** String values inside a tool input (Codex's free-form input is one string). */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/** Whether a tool input holds `command`, as is or JSON-escaped inside Codex's JavaScript. */
function mentions(input: unknown, command: string): boolean {
  const forms = [command, JSON.stringify(command).slice(1, -1)];
  return strings(input).some((text) => forms.some((form) => text.includes(form)));
}

/**
 * Asserts that each expected tool result is in its own read-back result (the
 * results of parallel calls may come back in call order or in the CLI's order),
 * with the error flag where the source had one and the target can keep it.
 */
function assertToolResults(
  results: { output: string; isError: boolean }[],
  f: FixtureEntry,
  target: string,
): void {
  const wanted = f.expected.filter((e) => e.role === "tool");
  assert.equal(results.length, wanted.length);
  const free = [...results];
  for (const want of wanted) {
    const at = free.findIndex((r) => r.output.includes(want.text));
    assert.notEqual(at, -1, `a tool result holds ${JSON.stringify(want.text)}`);
    const [result] = free.splice(at, 1);
    if (want.error === true && KEEPS_ERROR_FLAG.has(target)) {
      assert.equal(result?.isError, true, `${JSON.stringify(want.text)} is an error result`);
    }
  }
}

type ReadBack = Message[];

/** The read-back conversation as the smoke's checks see a request's history. */
function asTurns(messages: ReadBack): Turn[] {
  return messages.flatMap((m): Turn[] => {
    if (m.role !== "user" && m.role !== "assistant" && m.role !== "tool") return [];
    const turn: Turn = {
      role: m.role,
      text: m.text,
      toolCalls: m.toolCalls.map((c) => ({ name: c.name, input: c.input, id: c.id })),
      toolResults: m.toolResults.map((r) => ({
        output: r.output,
        id: r.callId,
        isError: r.isError,
        images: r.images?.length ?? 0,
      })),
    };
    if ((m.images?.length ?? 0) > 0) turn.images = m.images!.length;
    return [turn];
  });
}

/**
 * For a messy fixture into a target without structured tool calls (Aider):
 * every prompt the source CLI sends on resume is in a user turn, in order.
 */
function assertUserTurnsInOrder(messages: ReadBack, source: FixtureEntry): void {
  const users = mergeUserRuns(asTurns(messages)).filter((t) => t.role === "user")
    .map((t) => normalize(t.text));
  let at = 0;
  for (const want of source.expected.filter((e) => e.role === "user")) {
    const text = normalize(want.text);
    const found = users.findIndex((u, i) => i >= at && u.includes(text));
    assert.notEqual(found, -1, `user turn ${JSON.stringify(text.slice(0, 80))} in order`);
    at = found;
  }
}

/**
 * For a messy fixture, whose expected turns are what the source CLI itself sends
 * on resume: every one is in the read-back session, in order and with its role,
 * its tool calls structured and answered, its images as images (or, for a target
 * without images, as casr's placeholders naming them) — the smoke's own check.
 */
function assertCarriesExpected(messages: ReadBack, source: FixtureEntry, target: string): void {
  const prompt = "casr roundtrip probe";
  const turns = [...asTurns(messages), {
    role: "user" as const,
    text: prompt,
    toolCalls: [],
    toolResults: [],
  }];
  const imagesAsText = getProvider(target)?.carries?.images !== true;
  const check = checkResumedHistory(turns, source.expected as ExpectedTurn[], prompt, {
    imagesAsText,
  });
  assert.deepEqual(check.problems, []);
}

/** The whole conversation, with tool calls as structured calls paired with results. */
function assertStructuredConversation(
  messages: ReadBack,
  source: FixtureEntry,
  target: string,
): void {
  const texts = messages
    .filter((m) => (m.role === "user" || m.role === "assistant") && m.text.trim() !== "")
    .map((m) => `${m.role}: ${m.text.trim()}`);
  assert.deepEqual(joinUserRuns(texts), joinUserRuns(expectedTexts(source)));
  const calls = messages.flatMap((m) => m.toolCalls);
  const results = messages.flatMap((m) => m.toolResults);
  assert.equal(calls.length, source.toolCalls);
  source.expected.flatMap((e) => e.toolCalls ?? []).forEach((want, i) => {
    assert.ok(mentions(calls[i]?.input, want.command), `call ${i} runs ${want.command}`);
  });
  assert.deepEqual(
    results.map((r) => r.callId).sort(),
    calls.map((c) => c.id).sort(),
    "every call has exactly one result",
  );
  // Parallel calls stay in one assistant message, answered by one tool message.
  const replies = messages.filter((m) => m.toolCalls.length > 0);
  assert.deepEqual(
    replies.map((m) => m.toolCalls.length),
    source.expected.filter((e) => (e.toolCalls ?? []).length > 0).map((e) => e.toolCalls!.length),
  );
  assertToolResults(results, source, target);
}

/**
 * For targets without structured tool calls (Aider): the user prompts come back
 * exactly and in order, and every assistant text, tool command and tool output
 * of the source is in the assistant text, in order.
 */
function assertTextualConversation(messages: ReadBack, source: FixtureEntry): void {
  assert.equal(messages.flatMap((m) => m.toolCalls).length, 0);
  const users = messages.filter((m) => m.role === "user").map((m) => m.text.trim());
  assert.deepEqual(
    users,
    source.expected.filter((e) => e.role === "user").map((e) => e.text.trim()),
  );
  const assistant = messages.filter((m) => m.role === "assistant").map((m) => m.text).join("\n");
  let at = 0;
  for (const e of source.expected.filter((e) => e.role !== "user")) {
    const pieces = [
      ...(e.text.trim() === "" ? [] : [e.text.trim().split("\n")[0]!]),
      ...(e.toolCalls ?? []).map((c) => c.command),
    ];
    for (const piece of pieces) {
      const plain = assistant.indexOf(piece, at);
      const found = plain >= 0 ? plain : assistant.indexOf(JSON.stringify(piece).slice(1, -1), at);
      assert.ok(found >= 0, `${JSON.stringify(piece)} appears in order in the assistant text`);
      // Results of parallel calls may come in either order: only calls and
      // replies move the cursor.
      if (e.role !== "tool") at = found;
    }
  }
}

for (const source of fixtures) {
  const label = `${source.provider} (${source.scenario})`;
  for (const target of PROVIDER_IDS) {
    if (target === source.provider || getProvider(target)?.readOnly) continue;
    Deno.test(`convertSession() ${label} → ${target} keeps the whole genuine conversation`, async () => {
      await using home = await tempHome([source.provider]);
      const before = await treeHashes(home.home);
      const result = await convertSession(home.ctx, target, source.sessionId, {
        now: Date.UTC(2026, 11, 1),
      });
      assert.equal(result.verified, true);
      assert.equal(result.target.provider, target);
      assert.notEqual(result.target.sessionId, source.sessionId);

      const targetProvider = getProvider(target)!;
      const back = await targetProvider.read(result.target.path, home.ctx);
      if (targetProvider.toolCallsAsText && source.scenario === "messy") {
        assertUserTurnsInOrder(back.session.messages, source);
      } else if (targetProvider.toolCallsAsText) {
        assertTextualConversation(back.session.messages, source);
      } else if (source.scenario === "messy") {
        assertCarriesExpected(back.session.messages, source, target);
      } else {
        assertStructuredConversation(back.session.messages, source, target);
      }

      // The source is never touched. The one exception is a shared index the
      // target adds its entry to (OpenClaw's sessions.json, when OpenClaw keeps
      // its state in ClawdBot's folder); the source must still read the same.
      const after = await treeHashes(home.home);
      const sharedIndexes = new Set(result.files.map((f) => path.relative(home.home, f)));
      for (const [file, hash] of before) {
        if (!sharedIndexes.has(file)) assert.equal(after.get(file), hash, `${file} changed`);
      }
      if ([...before.keys()].some((file) => sharedIndexes.has(file))) {
        const sourceProvider = getProvider(source.provider)!;
        const again = await sourceProvider.read(result.source.path, home.ctx);
        if (sourceProvider.toolCallsAsText) {
          assertTextualConversation(again.session.messages, source);
        } else assertStructuredConversation(again.session.messages, source, source.provider);
      }
      const found = await targetProvider.find(home.ctx, result.target.sessionId);
      assert.deepEqual(found.map((s) => s.id), [result.target.sessionId]);
    });
  }

  Deno.test(`convertSession() ${label} → itself returns the existing resume command`, async () => {
    await using home = await tempHome([source.provider]);
    const before = await treeHashes(home.home);
    const result = await convertSession(home.ctx, source.provider, source.sessionId);
    assert.equal(result.sameProvider, true);
    assert.equal(result.target.sessionId, source.sessionId);
    assert.deepEqual(result.files, []);
    // Aider has no session ids: its resume line names the history file instead.
    assert.ok(
      result.resume.shell.includes(source.sessionId) ||
        result.resume.shell.includes(path.basename(source.path.split("#")[0]!)),
      result.resume.shell,
    );
    assert.equal(result.resume.cwd, source.workspace);
    assert.deepEqual(await treeHashes(home.home), before);
  });
}

for (const scenario of SCENARIO_IDS) {
  Deno.test(`convertSession() codex (${scenario}) → claude-code → gemini-cli → codex comes back equal`, async () => {
    const source = fixtureFor(fixtures, "codex", scenario);
    await using home = await tempHome(["codex"]);
    const codex = getProvider("codex")!;
    const original = await codex.read(fixtureFile(home.home, source), home.ctx);
    let id = source.sessionId;
    for (const target of ["claude-code", "gemini-cli", "codex"]) {
      const result = await convertSession(home.ctx, target, id, { now: Date.UTC(2026, 11, 1) });
      assert.equal(result.verified, true, `${target} verified`);
      id = result.target.sessionId;
    }
    const [last] = await codex.find(home.ctx, id);
    const back = await codex.read(last!.path, home.ctx);
    const expected = repairSession(original.session, 0).session;
    assert.deepEqual(compareSessions(expected, back.session), []);
  });
}

Deno.test("fixtures/manifest.json lists a session for every provider, genuine ones per scenario", () => {
  const listed = new Set(fixtures.map((f) => `${f.provider} ${f.scenario}`));
  for (const p of GENUINE_IDS) {
    for (const s of SCENARIO_IDS) assert.ok(listed.has(`${p} ${s}`), `${p} ${s} fixture`);
  }
  for (const p of PROVIDER_IDS) {
    assert.ok(fixtures.some((f) => f.provider === p), `a fixture for ${p}`);
  }
  assert.equal(new Set(fixtures.map((f) => f.sessionId)).size, fixtures.length);
  for (const f of fixtures) {
    assert.ok(Deno.statSync(path.join(ROOT, "fixtures", f.path)).isFile);
    if (!getProvider(f.provider)?.toolCallsAsText) {
      assert.ok(f.toolCalls >= 1, `${f.provider} fixture has a tool call`);
    }
    const calls = f.expected.reduce((n, e) => n + (e.toolCalls?.length ?? 0), 0);
    assert.equal(calls, f.toolCalls, `${f.provider} ${f.scenario}: toolCalls matches expected`);
    assert.equal(f.expected.filter((e) => e.role === "tool").length, f.toolCalls);
  }
  // The multi-tool scenario made two calls in one reply, and one of them failed.
  for (const f of fixtures.filter((f) => f.scenario === "multi-tool" && f.cliVersion)) {
    assert.ok(f.expected.some((e) => e.toolCalls?.length === 2), `${f.provider}: parallel calls`);
    assert.ok(f.expected.some((e) => e.role === "tool" && e.text.includes("No such file")));
  }
});
