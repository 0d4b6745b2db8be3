import assert from "node:assert/strict";
import type { Message, Session } from "../model/types.ts";
import { MISSING_RESULT_TEXT, repairSession } from "./repair.ts";
import { testMessage as msg } from "../model/testdata/sample_session.ts";

function session(messages: Message[]): Session {
  return { id: "s", provider: "codex", metadata: {}, messages };
}

Deno.test("repairSession() answers a call left open before the next prompt", () => {
  const { session: out, warnings } = repairSession(
    session([
      msg("user", "go", { timestamp: 1000 }),
      msg("assistant", "", {
        toolCalls: [{ id: "c1", name: "shell", input: {} }],
        timestamp: 2000,
      }),
      msg("user", "next", { timestamp: 3000 }),
    ]),
    0,
  );
  assert.deepEqual(out.messages.map((m) => m.role), ["user", "assistant", "tool", "user"]);
  assert.deepEqual(out.messages[2]?.toolResults, [
    { callId: "c1", output: MISSING_RESULT_TEXT, isError: true },
  ]);
  assert.equal(out.messages[2]?.timestamp, 3000);
  assert.deepEqual(out.messages.map((m) => m.index), [0, 1, 2, 3]);
  assert.deepEqual(warnings.map((w) => w.code), ["missing-tool-result"]);
});

Deno.test("repairSession() gives an orphan result a call on an assistant message", () => {
  const { session: out, warnings } = repairSession(
    session([
      msg("user", "go"),
      msg("tool", "", {
        toolResults: [{ callId: "x", output: "ok", isError: false, name: "Read" }],
      }),
    ]),
    5000,
  );
  assert.deepEqual(out.messages.map((m) => m.role), ["user", "assistant", "tool"]);
  assert.deepEqual(out.messages[1]?.toolCalls, [{ id: "x", name: "Read", input: {} }]);
  assert.ok(warnings.some((w) => w.code === "orphan-tool-result"));
  assert.ok(out.messages.every((m) => m.timestamp === 5000));
});

Deno.test("repairSession() renames a repeated call id and its result together", () => {
  const call = (id: string) => msg("assistant", "", { toolCalls: [{ id, name: "t", input: {} }] });
  const result = (id: string, output: string) =>
    msg("tool", "", { toolResults: [{ callId: id, output, isError: false }] });
  const { session: out } = repairSession(
    session([msg("user", "go"), call("a"), result("a", "1"), call("a"), result("a", "2")]),
    0,
  );
  assert.equal(out.messages[3]?.toolCalls[0]?.id, "a-2");
  assert.equal(out.messages[4]?.toolResults[0]?.callId, "a-2");
  assert.equal(out.messages[4]?.toolResults[0]?.output, "2");
});

Deno.test("repairSession() keeps a renamed id within 64 characters", () => {
  const call = (id: string) => msg("assistant", "", { toolCalls: [{ id, name: "t", input: {} }] });
  const result = (id: string, output: string) =>
    msg("tool", "", { toolResults: [{ callId: id, output, isError: false }] });
  const long = "x".repeat(64);
  const { session: out } = repairSession(
    session([msg("user", "go"), call(long), result(long, "1"), call(long), result(long, "2")]),
    0,
  );
  const renamed = out.messages[3]?.toolCalls[0]?.id ?? "";
  assert.ok(renamed.length <= 64 && renamed !== long, renamed);
  assert.equal(out.messages[4]?.toolResults[0]?.callId, renamed);
  assert.equal(out.messages[2]?.toolResults[0]?.callId, long);
});

Deno.test("repairSession() keeps timestamps non-decreasing when filling gaps", () => {
  const { session: out } = repairSession(
    session([msg("user", "a"), msg("assistant", "b", { timestamp: 10_000 }), msg("user", "c")]),
    99,
  );
  assert.deepEqual(out.messages.map((m) => m.timestamp), [10_000, 10_000, 10_000]);
});

Deno.test("repairSession() does not modify its input", () => {
  const input = session([
    msg("user", "go"),
    msg("assistant", "", { toolCalls: [{ id: "c", name: "t", input: {} }] }),
  ]);
  const before = structuredClone(input);
  repairSession(input, 0);
  assert.deepEqual(input, before);
});

Deno.test("repairSession() raises a timestamp that goes back in time", () => {
  const { session: out, warnings } = repairSession(
    session([
      msg("user", "a", { timestamp: 5000 }),
      msg("assistant", "b", { timestamp: 3000 }),
      msg("user", "c", { timestamp: 6000 }),
    ]),
    0,
  );
  assert.deepEqual(out.messages.map((m) => m.timestamp), [5000, 5000, 6000]);
  assert.ok(warnings.some((w) => w.code === "raised-timestamps"));
});

Deno.test("repairSession() joins split results in call order and completes them", () => {
  const calls = [
    { id: "c1", name: "t", input: {} },
    { id: "c2", name: "t", input: {} },
    { id: "c3", name: "t", input: {} },
  ];
  const { session: out } = repairSession(
    session([
      msg("user", "go"),
      msg("assistant", "", { toolCalls: calls }),
      msg("tool", "", { toolResults: [{ callId: "c3", output: "3", isError: false }] }),
      msg("tool", "", { toolResults: [{ callId: "c1", output: "1", isError: false }] }),
      msg("user", "next"),
    ]),
    0,
  );
  assert.deepEqual(out.messages.map((m) => m.role), ["user", "assistant", "tool", "user"]);
  assert.deepEqual(out.messages[2]?.toolResults.map((r) => [r.callId, r.output]), [
    ["c1", "1"],
    ["c2", MISSING_RESULT_TEXT],
    ["c3", "3"],
  ]);
});

Deno.test("repairSession() joins tool messages separated only by scaffolding", () => {
  const { session: out } = repairSession(
    session([
      msg("user", "go"),
      msg("assistant", "", {
        toolCalls: [{ id: "a", name: "t", input: {} }, { id: "b", name: "t", input: {} }],
      }),
      msg("tool", "", { toolResults: [{ callId: "b", output: "B", isError: false }] }),
      msg("system", "<environment_context>"),
      msg("tool", "", { toolResults: [{ callId: "a", output: "A", isError: false }] }),
      msg("assistant", "done"),
    ]),
    0,
  );
  const conversation = out.messages.filter((m) => m.role !== "system");
  assert.deepEqual(conversation.map((m) => m.role), ["user", "assistant", "tool", "assistant"]);
  assert.deepEqual(conversation[2]?.toolResults.map((r) => r.output), ["A", "B"]);
});
