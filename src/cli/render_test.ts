import assert from "node:assert/strict";
import fc from "fast-check";
import { prettyJson } from "./render.ts";

const value = fc.oneof(
  fc.jsonValue(),
  fc.constant(undefined),
  fc.array(fc.oneof(fc.jsonValue(), fc.constant(undefined))),
  fc.date({ noInvalidDate: true }),
);

Deno.test("prettyJson() joins to exactly JSON.stringify(value, null, 2)", () => {
  fc.assert(
    fc.property(fc.oneof(fc.dictionary(fc.string(), value), value), (doc) => {
      assert.equal([...prettyJson(doc)].join(""), JSON.stringify(doc, null, 2) ?? "");
    }),
    { numRuns: 2000 },
  );
});

Deno.test("prettyJson() writes rows of plain values exactly as JSON.stringify(value, null, 2)", () => {
  // Rows like a listed session's: strings, numbers (NaN, -0, Infinity too), booleans, null,
  // undefined and functions (left out), and now and then a nested value or a Date.
  const cell = fc.oneof(
    fc.string(),
    fc.string({ unit: "grapheme" }),
    fc.string({ unit: "binary" }),
    fc.double(),
    fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.constant(() => 1),
    fc.date({ noInvalidDate: true }),
    fc.jsonValue(),
  );
  const row = fc.oneof(fc.dictionary(fc.string(), cell), fc.jsonValue(), fc.constant(undefined));
  fc.assert(
    fc.property(fc.array(row, { maxLength: 8 }), (rows) => {
      const doc = { schema_version: 1, sessions: rows, problems: [] };
      assert.equal([...prettyJson(doc)].join(""), JSON.stringify(doc, null, 2));
    }),
    { numRuns: 3000 },
  );
});

Deno.test("prettyJson() hands a long array over in many pieces", () => {
  const rows = Array.from({ length: 5000 }, (_, i) => ({ id: `s${i}`, title: "a\nb ".repeat(20) }));
  const doc = { schema_version: 1, ok: true, sessions: rows, problems: [] };
  const pieces = [...prettyJson(doc)];
  assert.ok(pieces.length > 10, `${pieces.length} pieces`);
  assert.ok(pieces.every((p) => p.length < 80 * 1024));
  assert.equal(pieces.join(""), JSON.stringify(doc, null, 2));
});
