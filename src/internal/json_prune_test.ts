import assert from "node:assert/strict";
import fc from "fast-check";
import { HEAD_CHARS, type OmitPath, parseLineOmitting, parseOmitting } from "./json_prune.ts";

/** The reference: parse whole, then blank the values at the paths. */
function omitted(value: unknown, paths: readonly OmitPath[], depth = 0): unknown {
  if (paths.some((p) => p.length === depth)) return "";
  const below = (key: string) => paths.filter((p) => p[depth] === key || p[depth] === "*");
  if (Array.isArray(value)) return value.map((v, i) => omitted(v, below(String(i)), depth + 1));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: omitted(v, below(k), depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

const KEYS = ["a", "b", "content", 'q"', "é\\", "\u{1F680}"];
const { value: jsonValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string({ unit: "grapheme" }),
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 4 }),
  ),
}));
const omitPath = fc.array(fc.constantFrom("*", "0", "1", ...KEYS), { minLength: 1, maxLength: 4 });

Deno.test("parseOmitting() equals parsing whole and blanking the paths, compact or indented", () => {
  fc.assert(
    fc.property(
      jsonValue,
      fc.array(omitPath, { maxLength: 3 }),
      fc.boolean(),
      (value, paths, indent) => {
        const text = indent ? JSON.stringify(value, null, 2) : JSON.stringify(value);
        assert.deepEqual(parseOmitting(text, paths), omitted(JSON.parse(text), paths));
      },
    ),
    { numRuns: 3000 },
  );
});

Deno.test("parseOmitting() leaves out a value without checking it, and throws on bad JSON elsewhere", () => {
  // The left-out string holds escaped quotes and backslashes, and JSON-looking text.
  const line = String
    .raw`{"message":{"content":[{"type":"tool_result","content":"a \"b\" \\\" c \\","x":1}]},` +
    String.raw`"toolUseResult":{"stdout":"{\"uuid\":\"no\"}","n":[1,{"x":"]"}]},"uuid":"u1"}`;
  assert.deepEqual(
    parseOmitting(line, [["toolUseResult"], ["message", "content", "*", "content"]]),
    {
      message: { content: [{ type: "tool_result", content: "", x: 1 }] },
      toolUseResult: "",
      uuid: "u1",
    },
  );
  assert.throws(() => parseOmitting('{"a":"x","b":tru}', [["a"]]), SyntaxError);
  assert.throws(() => parseOmitting('{"a":"x"} trailing', [["a"]]), SyntaxError);
  assert.throws(() => parseOmitting('{"a":"never closed', [["a"]]), SyntaxError);
});

Deno.test("parseLineOmitting() walks only long lines with a marker near their start", () => {
  const rule = { paths: [["out"]], ifHeadContains: ['"out"'], minLength: 20 };
  assert.deepEqual(parseLineOmitting('{"out":"short"}', rule), { out: "short" });
  assert.deepEqual(parseLineOmitting('{"out":"long enough to leave"}', rule), { out: "" });
  assert.deepEqual(parseLineOmitting('{"other":"long enough to keep"}', rule), {
    other: "long enough to keep",
  });
  assert.deepEqual(parseLineOmitting('{"out":"long enough to keep"}', undefined), {
    out: "long enough to keep",
  });
  // A marker past the head: the line is parsed whole.
  const late = `{"pad":"${"x".repeat(HEAD_CHARS)}","out":"kept"}`;
  assert.equal((parseLineOmitting(late, rule) as { out: string }).out, "kept");
});
