import assert from "node:assert/strict";
import fc from "fast-check";
import type { Message, Session } from "../model/types.ts";
import { budgetSession, elideMiddle, exchangeStarts, messageTokens } from "./budget.ts";
import { createTokenEstimator, heuristicTokens } from "./tokens.ts";
import { contextWindowFor } from "./windows.ts";
import { testMessage as msg, testSession } from "../model/testdata/sample_session.ts";

const count = (text: string): number => Math.ceil(text.length / 4);

function call(id: string, output: string, text = ""): Message[] {
  return [
    msg("assistant", text, { toolCalls: [{ id, name: "Bash", input: { command: `run ${id}` } }] }),
    msg("tool", "", { toolResults: [{ callId: id, output, isError: false }] }),
  ];
}

function session(messages: Message[]): Session {
  return testSession(messages, { id: "s" });
}

/** Whether every tool result follows its call and every answered call keeps its result. */
function pairingProblems(s: Session, original: Session): string[] {
  const answered = new Set(original.messages.flatMap((m) => m.toolResults.map((r) => r.callId)));
  const calls = new Set<string>();
  const results = new Set<string>();
  const problems: string[] = [];
  for (const m of s.messages) {
    for (const c of m.toolCalls) calls.add(c.id);
    for (const r of m.toolResults) {
      if (!calls.has(r.callId)) problems.push(`result ${r.callId} without its call`);
      results.add(r.callId);
    }
  }
  for (const id of calls) {
    if (answered.has(id) && !results.has(id)) problems.push(`call ${id} without its result`);
  }
  return problems;
}

Deno.test("budgetSession() returns a session that fits unchanged, reasoning and long outputs included", () => {
  const s = session([
    msg("user", "goal"),
    msg("assistant", "thinking done", { reasoning: "r".repeat(1000) }),
    ...call("c1", "o".repeat(100_000)),
  ]);
  const out = budgetSession(s, { maxContextTokens: 1_000_000, count });
  assert.equal(out.session, s);
  assert.deepEqual(out.warnings, []);
  assert.equal(out.report.tokensAfter, out.report.tokensBefore);
  assert.equal(out.report.maxToolOutput, 0);
});

Deno.test("budgetSession() with an explicit maxToolOutput cuts long outputs even in a session that fits", () => {
  const output = "HEAD" + "x".repeat(5000) + "TAIL";
  const s = session([msg("user", "goal"), ...call("c1", output), ...call("c2", "short")]);
  const out = budgetSession(s, { maxContextTokens: 0, maxToolOutput: 100, count });
  const results = out.session.messages.flatMap((m) => m.toolResults);
  assert.ok(results[0]?.output.startsWith("HEAD"));
  assert.ok(results[0]?.output.endsWith("TAIL"));
  assert.match(
    results[0]?.output ?? "",
    /casr cut 4,908 characters from the middle of this 5,008-character output/,
  );
  assert.equal(results[1]?.output, "short");
  assert.equal(out.report.toolOutputsElided, 1);
  assert.equal(out.report.charactersElided, 4908);
  assert.deepEqual(out.warnings.map((w) => w.code), ["budget-elided-tool-output"]);
  assert.equal(s.messages[2]?.toolResults[0]?.output, output, "the input is not modified");
});

Deno.test("budgetSession() over budget cuts tool outputs first and stops when that is enough", () => {
  const s = session([
    msg("user", "goal"),
    msg("assistant", "plan", { reasoning: "why" }),
    ...call("c1", "x".repeat(200_000)),
    msg("assistant", "done"),
  ]);
  const out = budgetSession(s, { maxContextTokens: 10_000, count });
  assert.equal(out.report.toolOutputsElided, 1);
  assert.equal(out.report.maxToolOutput, 20_000);
  assert.equal(out.report.reasoningDropped, 0);
  assert.equal(out.report.exchangesDropped, 0);
  assert.equal(out.session.messages[1]?.reasoning, "why");
  assert.ok(out.report.tokensAfter <= 10_000);
  assert.equal(out.report.overBudget, false);
});

Deno.test("budgetSession() drops reasoning before turns, unless keepReasoning", () => {
  const s = session([
    msg("user", "goal"),
    msg("assistant", "a1", { reasoning: "r".repeat(4000) }),
    msg("user", "next"),
    msg("assistant", "a2", { reasoning: "r".repeat(4000) }),
  ]);
  const dropped = budgetSession(s, { maxContextTokens: 1500, count });
  assert.equal(dropped.report.reasoningDropped, 2);
  assert.equal(dropped.report.exchangesDropped, 0);
  assert.equal(dropped.session.messages.length, 4);
  assert.ok(dropped.session.messages.every((m) => m.reasoning === undefined));
  assert.deepEqual(dropped.warnings.map((w) => w.code), ["budget-dropped-reasoning"]);

  const kept = budgetSession(s, { maxContextTokens: 1500, count, keepReasoning: true });
  assert.equal(kept.report.reasoningDropped, 0);
  assert.deepEqual(kept.session.messages.map((m) => m.text), ["goal", "next", "a2"]);
  assert.equal(kept.session.messages[2]?.reasoning, "r".repeat(4000));
  assert.deepEqual(kept.warnings.map((w) => w.code), ["budget-dropped-turns"]);
});

Deno.test("budgetSession() drops the oldest exchanges whole and keeps the first user message", () => {
  const s = session([
    msg("user", "the goal"),
    ...call("c1", "a".repeat(400)),
    msg("assistant", "", {
      toolCalls: [
        { id: "p1", name: "Read", input: { path: "x" } },
        { id: "p2", name: "Read", input: { path: "y" } },
      ],
    }),
    msg("tool", "", { toolResults: [{ callId: "p1", output: "b".repeat(400), isError: false }] }),
    msg("tool", "", { toolResults: [{ callId: "p2", output: "c".repeat(400), isError: false }] }),
    msg("user", "and now"),
    ...call("c3", "d".repeat(40)),
    msg("assistant", "finished"),
  ]);
  const out = budgetSession(s, { maxContextTokens: 150, count, maxToolOutput: 0 });
  assert.deepEqual(out.session.messages.map((m) => m.text), [
    "the goal",
    "and now",
    "",
    "",
    "finished",
  ]);
  assert.deepEqual(out.session.messages.map((m) => m.index), [0, 1, 2, 3, 4]);
  assert.deepEqual(pairingProblems(out.session, s), []);
  assert.equal(out.report.exchangesDropped, 2);
  assert.equal(out.report.messagesDropped, 5);
  assert.equal(out.report.toolCallsDropped, 3);
  assert.equal(out.report.userMessagesDropped, 0);
  const warning = out.warnings.find((w) => w.code === "budget-dropped-turns");
  assert.match(warning?.message ?? "", /Dropped the 2 oldest exchanges.*messages 1–5 of 10/);
  assert.ok(out.report.tokensAfter <= 150);
});

Deno.test("budgetSession() with a roughCount runs the real counter only on what may be kept", () => {
  const messages: Message[] = [msg("user", "the goal")];
  for (let i = 0; i < 200; i++) {
    messages.push(msg("user", `step ${i} ${"u".repeat(2000)}`), msg("assistant", "a".repeat(2000)));
  }
  const s = session(messages);
  let exactChars = 0;
  // The "real" counter is twice as expensive per character as the rough one says.
  const exact = (text: string): number => {
    exactChars += text.length;
    return Math.ceil(text.length / 2);
  };
  const out = budgetSession(s, { maxContextTokens: 5_000, count: exact, roughCount: count });
  const total = messages.reduce((n, m) => n + m.text.length, 0);
  assert.ok(exactChars < total / 10, `${exactChars} of ${total} characters counted exactly`);
  assert.equal(out.session.messages[0]?.text, "the goal");
  assert.equal(out.report.overBudget, false);
  // What is kept fits by the real count, not only by the rough one.
  const kept = out.session.messages.reduce((n, m) => n + messageTokens(m, exact), 0);
  assert.ok(kept <= 5_000, `${kept} tokens kept`);
  assert.equal(out.report.tokensAfter, kept);
});

Deno.test("budgetSession() near its budget counts exactly before it cuts a tool output", () => {
  // The rough count (4 characters a token) says 80,000 characters are over a 15,000-token budget;
  // the real counter (8 a token) says the session fits, so nothing may be cut.
  const s = session([
    msg("user", "look"),
    ...call("c1", "x".repeat(80_000)),
    msg("assistant", "ok"),
  ]);
  const exact = (text: string): number => Math.ceil(text.length / 8);
  const out = budgetSession(s, { maxContextTokens: 15_000, count: exact, roughCount: count });
  assert.equal(out.report.toolOutputsElided, 0);
  assert.deepEqual(out.warnings, []);
  assert.equal(out.session, s);
  // Really over the budget, the output is cut.
  const over = budgetSession(s, { maxContextTokens: 5_000, count: exact, roughCount: count });
  assert.equal(over.report.toolOutputsElided, 1);
});

Deno.test("messageTokens() counts images in messages and tool results", () => {
  const image = { mediaType: "image/png", data: "AAAA" };
  const plain = messageTokens(msg("user", "hi"), count);
  assert.ok(messageTokens(msg("user", "hi", { images: [image] }), count) >= plain + 1_000);
  const result = msg("tool", "", {
    toolResults: [{ callId: "c", output: "", isError: false, images: [image, image] }],
  });
  assert.ok(messageTokens(result, count) >= 2_000);
});

Deno.test("budgetSession() keeps the last exchange and says so when even that does not fit", () => {
  const s = session([msg("user", "goal"), msg("assistant", "a"), msg("user", "x".repeat(4000))]);
  const out = budgetSession(s, { maxContextTokens: 100, count });
  assert.deepEqual(out.session.messages.map((m) => m.text.length), [4, 4000]);
  assert.equal(out.report.overBudget, true);
  assert.ok(out.warnings.some((w) => w.code === "budget-exceeded"));
});

Deno.test("exchangeStarts() never starts an exchange between a call and its result", () => {
  const messages = session([
    msg("user", "u"),
    msg("assistant", "", { toolCalls: [{ id: "a", name: "t", input: {} }] }),
    msg("assistant", "still waiting"),
    msg("tool", "", { toolResults: [{ callId: "a", output: "", isError: false }] }),
    msg("assistant", "", { toolCalls: [{ id: "never-answered", name: "t", input: {} }] }),
    msg("user", "u2"),
  ]).messages;
  assert.deepEqual(exchangeStarts(messages), [0, 1, 4, 5]);
});

const roleArb = fc.constantFrom<"user" | "assistant" | "exchange">("user", "assistant", "exchange");

Deno.test("budgetSession() on random sessions: first prompt kept, pairs intact, within budget or flagged", () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(roleArb, fc.nat(3000), fc.boolean()), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 10, max: 20_000 }),
      (plan, budget) => {
        const messages: Message[] = [msg("user", "first prompt")];
        plan.forEach(([kind, size, reasoning], i) => {
          if (kind === "user") messages.push(msg("user", "u".repeat(size)));
          else if (kind === "assistant") {
            messages.push(msg("assistant", "a".repeat(size), reasoning ? { reasoning: "r" } : {}));
          } else messages.push(...call(`c${i}`, "o".repeat(size * 10)));
        });
        const s = session(messages);
        const out = budgetSession(s, { maxContextTokens: budget, count });
        assert.equal(out.session.messages[0]?.text, "first prompt");
        assert.deepEqual(pairingProblems(out.session, s), []);
        const total = out.session.messages.reduce((n, m) => n + messageTokens(m, count), 0);
        assert.equal(total, out.report.tokensAfter);
        if (!out.report.overBudget) assert.ok(total <= budget);
        assert.equal(
          out.report.messagesDropped,
          s.messages.length - out.session.messages.length,
        );
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("elideMiddle() keeps head and tail and never splits a surrogate pair", () => {
  const text = "😀".repeat(100);
  const { text: out, elided } = elideMiddle(text, 11);
  assert.ok(elided > 0);
  assert.doesNotMatch(
    out,
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
  );
  assert.equal(elideMiddle("short", 10).elided, 0);
});

Deno.test("heuristicTokens() counts ASCII by the family's ratio and other characters one each", () => {
  assert.equal(heuristicTokens("", "claude"), 0);
  assert.equal(heuristicTokens("a".repeat(36), "gemini"), 10);
  assert.equal(heuristicTokens("😀é", "generic"), 2);
  // Non-ASCII after a long ASCII start, and a lone surrogate, each count once.
  assert.equal(heuristicTokens(`${"a".repeat(40)}日本😀\ud800`, "generic"), 13 + 4);
  // Against a count by code points, over seeded random texts.
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  // (A lone high surrogate counts as a character; a low one is taken as the end of a pair.)
  const pieces = ["word ", "é", "日本語", "😀", "\ud83d", "x".repeat(50)];
  for (let n = 0; n < 200; n++) {
    let text = "";
    for (let k = Math.floor(next() * 12); k > 0; k--) {
      text += pieces[Math.floor(next() * pieces.length)];
    }
    const other = [...text].filter((c) => c.charCodeAt(0) >= 0x80);
    const ascii = text.length - other.reduce((sum, c) => sum + c.length, 0);
    assert.equal(heuristicTokens(text, "generic"), Math.ceil(ascii / 3.2) + other.length, text);
  }
});

Deno.test("createTokenEstimator() loads o200k_base for Codex and counts real tokens", async () => {
  const estimator = await createTokenEstimator(contextWindowFor("codex").family);
  assert.equal(estimator.exact, true);
  assert.equal(estimator.count("hello world"), 2);
  const heuristic = await createTokenEstimator("o200k", { exact: false });
  assert.equal(heuristic.exact, false);
});

Deno.test("elideMiddle() counts the lines it cuts and writes big numbers with commas", () => {
  // 1,200,009 characters; the cut is [5, 1,200,004): the 599,999 newlines at 6, 8, …, 1,200,002.
  const text = "head\n" + "x\n".repeat(600_000) + "tail";
  const { text: out, elided } = elideMiddle(text, 10);
  assert.equal(elided, text.length - 10);
  assert.match(
    out,
    /\[… casr cut 1,199,999 characters \(599,999 lines\) from the middle of this 1,200,009-character output/,
  );
  assert.equal(elideMiddle("a\nb".repeat(10), 4).text.includes("(8 lines)"), true);
});
