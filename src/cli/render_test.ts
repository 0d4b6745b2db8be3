import assert from "node:assert/strict";
import fc from "fast-check";
import { formatCount, prettyJson, table } from "./render.ts";
import { renderSearch } from "./commands/search.ts";
import { stylesFor } from "./io.ts";

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

Deno.test("counts are written with thousands separators, and one session is one", () => {
  assert.equal(formatCount(10001), "10,001");
  assert.equal(formatCount(999), "999");
  assert.equal(formatCount(10001, "session"), "10,001 sessions");
  assert.equal(formatCount(1, "matching session"), "1 matching session");
  assert.equal(formatCount(0, "session"), "0 sessions");
  const s = stylesFor({ isTty: false, env: {} } as Parameters<typeof stylesFor>[0], true);
  const none = (sessions: number) =>
    renderSearch(
      {
        query: "q",
        total: 0,
        results: [],
        index: { sessions, read: 0, removed: 0, rebuilt: false },
      },
      s,
      80,
    );
  assert.equal(none(10001), 'No session matches "q" (10,001 sessions searched).\n');
  assert.equal(none(1), 'No session matches "q" (1 session searched).\n');
});

/** The table as its definition says: each cell but the last padded to its column, two spaces between, each line trimmed. */
function plainTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h) => h.length);
  for (const row of rows) row.forEach((c, i) => widths[i] = Math.max(widths[i] ?? 0, c.length));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0) + "  ").join("")
      .trimEnd();
  return [header, ...rows].map(line).join("\n") + "\n";
}

Deno.test("table() lays out rows as padding each cell and trimming each line would", () => {
  const cell = fc.oneof(
    fc.constantFrom("", " ", "a ", " b", "…", "日本語", "🚀x", "-", "12"),
    fc.string({ maxLength: 12 }),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 5 }).chain((n) =>
        fc.tuple(
          fc.array(cell, { minLength: n, maxLength: n }),
          fc.array(fc.array(cell, { minLength: 0, maxLength: n }), { maxLength: 8 }),
        )
      ),
      ([header, rows]) => {
        assert.equal(table(header, rows), plainTable(header, rows));
      },
    ),
    { numRuns: 500 },
  );
  assert.equal(
    table(["ID", "TITLE"], [["abc", "first"], ["d", ""]]),
    "ID   TITLE\nabc  first\nd\n",
  );
});
