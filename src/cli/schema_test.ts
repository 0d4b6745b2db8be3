import assert from "node:assert/strict";
import fc from "fast-check";
import * as z from "zod/mini";
import { outputProblems, plainCheck, SUMMARY_SCHEMA } from "./schema.ts";

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

Deno.test("plainCheck() of a listed session accepts exactly what its zod schema accepts", () => {
  const check = plainCheck(SUMMARY_SCHEMA);
  assert.ok(check);
  const anything = fc.oneof(
    fc.string(),
    fc.boolean(),
    fc.double(),
    fc.integer({ min: -5, max: 2 ** 53 + 5 }),
    fc.constantFrom(undefined, null, NaN, Infinity, -0, 2 ** 53, 0.5, -1, "", [], {}),
  );
  const keys = [
    "id",
    "provider",
    "path",
    "title",
    "workspace",
    "startedAt",
    "lastActiveAt",
    "messageCount",
    "tokens",
    "tokensEstimated",
    "sizeBytes",
    "other",
  ];
  const valid = { id: "a", provider: "codex", path: "/p", tokens: 3, messageCount: 2.5 };
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom(...keys), anything), fc.boolean(), (row, base) => {
      const value = base ? { ...valid, ...row } : row;
      assert.equal(check(value), SUMMARY_SCHEMA.safeParse(value).success, JSON.stringify(value));
    }),
    { numRuns: 3000 },
  );
  for (const value of [null, [], "row", 7]) {
    assert.equal(check(value), SUMMARY_SCHEMA.safeParse(value).success);
  }
});

Deno.test("plainCheck() declines a schema beyond plain fields, which zod then checks", () => {
  assert.equal(plainCheck(z.string().check(z.minLength(1))), undefined);
  assert.equal(plainCheck(z.looseObject({ a: z.string() })), undefined);
  assert.equal(plainCheck(z.object({ a: z.array(z.string()) })), undefined);
  assert.equal(plainCheck(z.number().check(z.lte(5))), undefined);
  // And a broken row in a long list is still reported by zod, with its path.
  const rows = Array.from({ length: 50 }, (_, i) => ({ ...row, id: `r${i}` }));
  rows[37] = { ...row, id: "r37", tokens: -2 };
  assert.deepEqual(outputProblems(list(rows)), [
    "sessions.37.tokens: Too small: expected number to be >=0",
  ]);
});
