import assert from "node:assert/strict";
import fc from "fast-check";
import {
  compareSessions,
  type Message,
  repairSession,
  type Session,
  writeSession,
} from "../../../mod.ts";
import { tempHome } from "../../../tests/fixture_home.ts";
import { aider } from "./mod.ts";
import { aiderRestore } from "./markdown.ts";

const T0 = Date.UTC(2026, 0, 1);
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "# heading?",
      "#### h4\n> quote",
      " > x\n  # y",
      "a\u2028#### b",
      "x\r\ny\rz",
      "```sh\nls\n```",
      "# aider chat started at 2026-01-01 10:00:00",
    ),
  },
).filter((t) => t.trim() !== "" && t !== "<blank>");

Deno.test("aider: random sessions with traps read back as their flattened text and restore as user/assistant", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ user: text, reply: text, call: fc.boolean(), timed: fc.boolean() }), {
        minLength: 1,
        maxLength: 4,
      }),
      async (turns) => {
        await using home = await tempHome([]);
        const messages: Message[] = [];
        turns.forEach((t, i) => {
          const at = t.timed ? { timestamp: T0 + i * 2000 } : {};
          messages.push({
            index: 0,
            role: "user",
            text: t.user,
            toolCalls: [],
            toolResults: [],
            ...at,
          });
          messages.push({
            index: 0,
            role: "assistant",
            text: t.reply,
            toolCalls: t.call ? [{ id: `c${i}`, name: "sh", input: { cmd: t.user } }] : [],
            toolResults: [],
          });
          if (t.call) {
            messages.push({
              index: 0,
              role: "tool",
              text: "",
              toolCalls: [],
              toolResults: [{ callId: `c${i}`, output: t.reply, isError: false }],
            });
          }
        });
        const session: Session = {
          id: "p",
          provider: "test",
          workspace: "/w",
          metadata: {},
          messages,
        };
        const result = await writeSession(home.ctx, session, "aider", { now: T0 + 1e7 });
        assert.equal(result.verified, true);
        const back = await aider.read(result.target.path, home.ctx);
        const expected = repairSession(session, T0 + 1e7).session;
        assert.deepEqual(compareSessions(expected, back.session, { toolCallsAsText: true }), []);
        const restored = aiderRestore(await Deno.readTextFile(result.target.path));
        assert.deepEqual(
          restored.map((r) => r.role),
          turns.flatMap(() => ["user", "assistant"]),
        );
      },
    ),
    { numRuns: 40, seed: 0xa1de },
  );
});
