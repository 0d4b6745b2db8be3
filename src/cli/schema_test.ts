import assert from "node:assert/strict";
import { outputProblems } from "./schema.ts";

const row = { id: "a1", provider: "codex", path: "/h/a1.jsonl", messageCount: 4, tokens: 120 };
const list = (sessions: unknown[], extra: Record<string, unknown> = {}) => ({
  schema_version: 1,
  ok: true,
  command: "list",
  total: sessions.length,
  count: sessions.length,
  sessions,
  problems: [],
  ...extra,
});

Deno.test("outputProblems passes what the list prints and names each broken field with what it expected", () => {
  assert.deepEqual(outputProblems(list([row, { ...row, id: "b2", title: "t" }])), []);
  assert.deepEqual(
    outputProblems(list([row, { ...row, id: 7, tokens: -1 }], { count: 1.5 })),
    [
      "count: Invalid input: expected int, received number",
      "sessions.1.id: Invalid input: expected string, received number",
      "sessions.1.tokens: Too small: expected number to be >=0",
    ],
  );
  // What JSON cannot hold is refused too: NaN would print as null.
  assert.match(
    outputProblems(list([{ ...row, lastActiveAt: NaN }]))[0] ?? "",
    /lastActiveAt: .*NaN/,
  );
});

Deno.test("outputProblems accepts fields it does not name where the contract leaves them open, and checks errors", () => {
  const info = {
    schema_version: 1,
    ok: true,
    command: "info",
    session: { id: "a", provider: "codex", messageCount: 2, roles: { user: 1 }, title: "kept" },
    warnings: [],
    resume: { argv: ["codex", "resume", "a"], shell: "codex resume a" },
  };
  assert.deepEqual(outputProblems(info), []);
  assert.deepEqual(outputProblems({ ...info, resume: { argv: [], shell: "" } }), [
    "resume.argv: Too small: expected array to have >=1 items",
  ]);
  assert.deepEqual(outputProblems({ ...info, command: "nope" }), ['unknown command "nope"']);
  const error = {
    schema_version: 1,
    ok: false,
    error: { code: "usage", message: "m", details: {} },
  };
  assert.deepEqual(outputProblems(error), []);
  assert.equal(outputProblems({ ...error, error: { code: "usage" } }).length, 2);
});
