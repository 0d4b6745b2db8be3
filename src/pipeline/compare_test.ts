import assert from "node:assert/strict";
import type { Session } from "../model/types.ts";
import { compareSessions, deepEqual, projectSession } from "./compare.ts";
import { testMessage as msg } from "../model/testdata/sample_session.ts";

const source: Session = {
  id: "a",
  provider: "codex",
  metadata: {},
  messages: [
    msg("system", "<environment_context>…"),
    msg("user", "list files ✓", { timestamp: 1000 }),
    msg("assistant", "", { toolCalls: [{ id: "call_1", name: "shell", input: "ls" }] }),
    msg("tool", "", { toolResults: [{ callId: "call_1", output: "a.txt\n", isError: false }] }),
    msg("assistant", "Done.", { timestamp: 4000 }),
  ],
};

Deno.test("compareSessions() ignores ids, system messages and string-vs-wrapped inputs", () => {
  const target: Session = {
    ...source,
    id: "b",
    messages: [
      msg("user", "list files ✓ ", { timestamp: 1400 }),
      msg("assistant", "", {
        toolCalls: [{ id: "toolu_x", name: "shell", input: { input: "ls" } }],
      }),
      msg("tool", "", { toolResults: [{ callId: "toolu_x", output: "a.txt", isError: true }] }),
      msg("assistant", "Done.", { timestamp: 4000 }),
    ],
  };
  assert.deepEqual(compareSessions(source, target), []);
});

Deno.test("compareSessions() reports lost messages, changed text, bad pairing and time drift", () => {
  const target: Session = {
    ...source,
    messages: [
      msg("user", "list files", { timestamp: 9000 }),
      msg("assistant", "", { toolCalls: [{ id: "k", name: "shell", input: "ls" }] }),
      msg("tool", "", { toolResults: [{ callId: "other", output: "a.txt", isError: false }] }),
    ],
  };
  const fields = compareSessions(source, target).map((d) => `${d.index}:${d.field}`);
  assert.deepEqual(fields, ["-1:count", "0:text", "0:timestamp", "2:tool-results"]);
});

Deno.test("projectSession() numbers calls across the conversation", () => {
  const projected = projectSession(source);
  assert.equal(projected.length, 4);
  assert.deepEqual(projected[2]?.toolResults, [{ output: "a.txt", callIndex: 0 }]);
});

Deno.test("deepEqual() ignores key order and undefined members", () => {
  assert.ok(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }));
  assert.ok(deepEqual({ a: 1, u: undefined }, { a: 1 }));
  assert.ok(!deepEqual({ a: 1 }, { a: "1" }));
  assert.ok(!deepEqual([1], { 0: 1 }));
});

Deno.test("compareSessions() notices a lost or changed image, in a prompt or a tool result", () => {
  const png = { mediaType: "image/png", data: "iVBORw0KGgo=" };
  const withImages: Session = {
    ...source,
    messages: [
      msg("user", "", { images: [png] }),
      msg("assistant", "", {
        toolCalls: [{ id: "c1", name: "Read", input: { file_path: "a.png" } }],
      }),
      msg("tool", "", {
        toolResults: [{ callId: "c1", output: "", isError: false, images: [png] }],
      }),
    ],
  };
  assert.deepEqual(compareSessions(withImages, withImages), []);
  // An image-only prompt is a message: losing it is a count difference.
  const noPrompt = { ...withImages, messages: withImages.messages.slice(1) };
  assert.equal(compareSessions(withImages, noPrompt)[0]?.field, "count");
  const lostResultImage: Session = {
    ...withImages,
    messages: [
      withImages.messages[0]!,
      withImages.messages[1]!,
      msg("tool", "", { toolResults: [{ callId: "c1", output: "", isError: false }] }),
    ],
  };
  assert.deepEqual(compareSessions(withImages, lostResultImage), [
    { index: 2, field: "images", expected: ["image/png"], actual: [] },
  ]);
});

Deno.test("compareSessions({ reasoning }) notices reasoning lost or changed, not reasoning added", () => {
  const withReasoning: Session = {
    ...source,
    messages: source.messages.map((m) =>
      m.text === "Done." ? { ...m, reasoning: " Both ran. " } : m
    ),
  };
  const kept: Session = {
    ...withReasoning,
    messages: withReasoning.messages.map((m) =>
      m.text === "Done." ? { ...m, reasoning: "Both ran." } : m
    ),
  };
  const carrying = { reasoning: true };
  assert.deepEqual(compareSessions(withReasoning, kept, carrying), []);
  assert.deepEqual(compareSessions(withReasoning, source, carrying), [
    { index: 3, field: "reasoning", expected: "Both ran.", actual: undefined },
  ]);
  // A target that does not carry reasoning drops it on purpose.
  assert.deepEqual(compareSessions(withReasoning, source), []);
  const changed: Session = {
    ...withReasoning,
    messages: withReasoning.messages.map((m) =>
      m.text === "Done." ? { ...m, reasoning: "Something else." } : m
    ),
  };
  assert.equal(compareSessions(withReasoning, changed, carrying)[0]?.field, "reasoning");
  // A writer may fold a reasoning-only message into the next: more reasoning is no loss.
  assert.deepEqual(compareSessions(source, withReasoning, carrying), []);
});
