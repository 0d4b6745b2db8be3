import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { Session } from "../model/types.ts";
import {
  COMPACT_ABOVE,
  compareSessions,
  compareViews,
  deepEqual,
  projectSession,
  sessionView,
} from "./compare.ts";
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

/** Every string in a value, however deep. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

Deno.test("a compact view compares as the session does, and holds none of its long strings", () => {
  // 🚀 straddles the first 64 Ki-character slice the digest is taken in.
  const long = (fill: string) => `${fill.repeat(65_535)}🚀${"é".repeat(70_000)}`;
  const session = (output: string, input: string, text: string): Session => ({
    id: "a",
    provider: "codex",
    metadata: {},
    messages: [
      msg("user", text),
      msg("assistant", long("r"), {
        toolCalls: [{ id: "c1", name: "write", input: { path: "a.txt", content: input } }],
      }),
      msg("tool", "", { toolResults: [{ callId: "c1", output, isError: false }] }),
    ],
  });
  const written = session(long("o"), long("i"), "short prompt");
  const compact = (s: Session) => sessionView(s, { compact: true });
  const expected = compact(written);
  assert.ok(strings(expected).every((s) => s.length < COMPACT_ABOVE), "no long string kept");
  // The same session read back, as new strings: no difference.
  assert.deepEqual(compareViews(expected, compact(structuredClone(written))), []);
  // One character changed at the end of an output, of a tool input, of a text.
  const changed = (s: string) => s.slice(0, -1) + "x";
  const fields = (a: Session) => compareViews(expected, compact(a)).map((d) => d.field);
  assert.deepEqual(fields(session(changed(long("o")), long("i"), "short prompt")), [
    "tool-results",
  ]);
  assert.deepEqual(fields(session(long("o"), changed(long("i")), "short prompt")), ["tool-calls"]);
  assert.deepEqual(fields(session(long("o"), long("i"), "short prompt!")), ["text"]);
  // Each agrees with comparing the sessions themselves.
  const other = session(long("o"), changed(long("i")), "short prompt");
  assert.deepEqual(
    compareSessions(written, other).map((d) => d.field),
    fields(other),
  );
  // The stand-in says what it stands for.
  const stand = compact(written)[1]?.text ?? "";
  const digest = createHash("sha256").update(new TextEncoder().encode(long("r"))).digest("hex");
  assert.equal(stand, `sha256:${digest} 135537 chars: ${"r".repeat(60)}…`);
});

Deno.test("compareSessions() takes an assistant message that only calls tools as part of the reply before it", () => {
  const call = { id: "c1", name: "shell", input: { command: "ls" } };
  const result = { callId: "c1", output: "a.txt", isError: false };
  // GitHub Copilot CLI's way: the reply's text, then its calls in a message of their own.
  const split: Session = {
    id: "a",
    provider: "copilot-cli",
    metadata: {},
    messages: [
      msg("user", "list files"),
      msg("assistant", "Let me look."),
      msg("system", "autopilot"),
      msg("user", ""),
      msg("assistant", "", { toolCalls: [call] }),
      msg("tool", "", { toolResults: [result] }),
    ],
  };
  // Claude Code's reader joins them.
  const joined: Session = {
    ...split,
    messages: [
      msg("user", "list files"),
      msg("assistant", "Let me look.", { toolCalls: [call] }),
      msg("tool", "", { toolResults: [result] }),
    ],
  };
  assert.deepEqual(compareSessions(split, joined), []);
  assert.equal(projectSession(split).length, 3);
  // A second reply with text of its own stays a message of its own.
  const twoReplies: Session = {
    ...split,
    messages: [
      msg("user", "list files"),
      msg("assistant", "Let me look."),
      msg("assistant", "Looking now.", { toolCalls: [call] }),
      msg("tool", "", { toolResults: [result] }),
    ],
  };
  const fields = compareSessions(twoReplies, joined).map((d) => `${d.index}:${d.field}`);
  assert.deepEqual(
    fields.slice(0, 2),
    ["-1:count", "1:tool-calls"],
    "a lost reply is a difference",
  );
});
