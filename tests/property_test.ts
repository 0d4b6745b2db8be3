/**
 * Property-based round trips (fast-check): for random canonical sessions —
 * unicode, markdown, empty and long texts, tool calls with nested inputs or
 * free-form strings, missing timestamps, a reply's text and calls in two
 * messages — writing with provider P and reading
 * back gives the same conversation (order, roles, text, tool calls and results,
 * times), for every provider that writes sessions.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  compareSessions,
  type Message,
  prepareForTarget,
  PROVIDERS,
  repairSession,
  type Session,
  writeSession,
} from "../mod.ts";
import { tempHome } from "./helpers.ts";

const RUNS = Number(Deno.env.get("CASR_PROPERTY_RUNS") ?? 25);
const T0 = Date.UTC(2026, 0, 1);

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("# heading?", "```sh\nls\n```", "a\n\nb", '🚀 <tag> & "q"'),
  },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 500, maxLength: 3000 }) },
).filter((t) => t.trim() !== "");

const key = fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 12 }).filter((k) =>
  k !== "__proto__" && k.trim() === k
);
const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<unknown>;
const toolInput = fc.oneof(
  fc.dictionary(key, json, { maxKeys: 4 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }),
);
const toolName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/);

interface Turn {
  user: string;
  reply: string;
  calls: { name: string; input: unknown; output: string; isError: boolean }[];
  timed: boolean;
  /**
   * The reply's text and its calls as two assistant messages, as GitHub Copilot
   * CLI stores them; `"system"`: with a system message and an empty user
   * message between them (its autopilot's continuation).
   */
  split: false | true | "system";
}

const turn: fc.Arbitrary<Turn> = fc.record({
  user: text,
  reply: fc.oneof(text, fc.constant("")),
  calls: fc.array(
    fc.record({
      name: toolName,
      input: toolInput,
      output: fc.oneof(text, fc.constant("")),
      isError: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
  timed: fc.boolean(),
  split: fc.constantFrom<Turn["split"]>(false, false, true, "system"),
}).filter((t) => t.reply !== "" || t.calls.length > 0);

function sessionFrom(turns: Turn[]): Session {
  const messages: Message[] = [];
  let clock = T0;
  let callNo = 0;
  const at = (timed: boolean): { timestamp?: number } => {
    clock += 1500;
    return timed ? { timestamp: clock } : {};
  };
  for (const t of turns) {
    messages.push({
      index: 0,
      role: "user",
      text: t.user,
      toolCalls: [],
      toolResults: [],
      ...at(t.timed),
    });
    const ids = t.calls.map(() => `call_${callNo++}`);
    const toolCalls = t.calls.map((c, i) => ({ id: ids[i]!, name: c.name, input: c.input }));
    if (t.split !== false && t.reply !== "" && toolCalls.length > 0) {
      messages.push({ index: 0, role: "assistant", text: t.reply, toolCalls: [], toolResults: [] });
      if (t.split === "system") {
        messages.push({
          index: 0,
          role: "system",
          text: "Keep going.",
          toolCalls: [],
          toolResults: [],
        });
        messages.push({ index: 0, role: "user", text: "", toolCalls: [], toolResults: [] });
      }
      messages.push({ index: 0, role: "assistant", text: "", toolCalls, toolResults: [] });
    } else {
      messages.push({
        index: 0,
        role: "assistant",
        text: t.reply,
        toolCalls,
        toolResults: [],
        ...at(t.timed),
      });
    }
    if (t.calls.length > 0) {
      messages.push({
        index: 0,
        role: "tool",
        text: "",
        toolCalls: [],
        toolResults: t.calls.map((c, i) => ({
          callId: ids[i]!,
          output: c.output,
          isError: c.isError,
        })),
        ...at(t.timed),
      });
    }
  }
  return {
    id: "property-source",
    provider: "test",
    workspace: "/tmp/casr-property-project",
    metadata: {},
    messages: messages.map((m, index) => ({ ...m, index })),
  };
}

/** The session as the pipeline cleans it up for a target before writing. */
function preparedFor(session: Session, target: string): Session {
  const provider = PROVIDERS.find((p) => p.id === target)!;
  return prepareForTarget(session, {
    name: provider.name,
    ...(provider.carries === undefined ? {} : { carries: provider.carries }),
  }).session;
}

/** Providers whose writer keeps tool calls as structured calls. */
const TARGETS = PROVIDERS.filter((p) => !p.toolCallsAsText && !p.readOnly).map((p) => p.id);

for (const target of TARGETS) {
  Deno.test(`read(write(s)) equals s for random sessions: ${target}`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(turn, { minLength: 1, maxLength: 5 }), async (turns) => {
        await using home = await tempHome([]);
        const session = sessionFrom(turns);
        const result = await writeSession(home.ctx, session, target, { now: T0 + 1e7 });
        assert.equal(result.verified, true);
        const back = await PROVIDERS.find((p) => p.id === target)!.read(
          result.target.path,
          home.ctx,
        );
        // What a writer must keep is the session cleaned up for it (see prepare_test.ts).
        const expected = repairSession(preparedFor(session, target), T0 + 1e7).session;
        assert.deepEqual(compareSessions(expected, back.session), []);
      }),
      { numRuns: RUNS, seed: 0xca5e },
    );
  });
}

Deno.test("every cross pair keeps random sessions: write with A, read, write with B, read", async () => {
  const pair = fc.tuple(fc.constantFrom(...TARGETS), fc.constantFrom(...TARGETS)).filter(([a, b]) =>
    a !== b
  );
  await fc.assert(
    fc.asyncProperty(
      fc.array(turn, { minLength: 1, maxLength: 4 }),
      pair,
      async (turns, [a, b]) => {
        await using home = await tempHome([]);
        const session = sessionFrom(turns);
        const first = await writeSession(home.ctx, session, a, { now: T0 + 1e7 });
        const middle = await PROVIDERS.find((p) => p.id === a)!.read(first.target.path, home.ctx);
        const second = await writeSession(home.ctx, middle.session, b, { now: T0 + 1e7 });
        const back = await PROVIDERS.find((p) => p.id === b)!.read(second.target.path, home.ctx);
        const prepared = preparedFor(preparedFor(session, a), b);
        const expected = repairSession(prepared, T0 + 1e7).session;
        assert.deepEqual(compareSessions(expected, back.session), [], `${a} → ${b}`);
      },
    ),
    { numRuns: RUNS * 2, seed: 0xbeef },
  );
});
