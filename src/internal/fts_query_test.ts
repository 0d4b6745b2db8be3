import assert from "node:assert/strict";
import fc from "fast-check";
import {
  ftsExpression,
  hasCjk,
  locate,
  MARK_CLOSE,
  MARK_OPEN,
  parseQuery,
  readSnippet,
  spaceCjk,
} from "./fts_query.ts";
import { openSqlite } from "./sqlite.ts";

Deno.test("parseQuery() splits words and phrases and drops what has no word", () => {
  assert.deepEqual(parseQuery('fix "exact phrase" conv* -- : () *'), [
    { text: "fix", phrase: false },
    { text: "exact phrase", phrase: true },
    { text: "conv", phrase: false },
  ]);
  assert.deepEqual(parseQuery('"unclosed phrase'), [{ text: "unclosed phrase", phrase: true }]);
  assert.deepEqual(parseQuery('  ""  " " -'), []);
});

Deno.test("ftsExpression() quotes every term, prefixes bare words and scopes a role", () => {
  const terms = parseQuery('say "he said ""hi""" x:y');
  // A doubled quote is no escape: it closes one phrase and opens the next.
  assert.equal(ftsExpression(terms), '"say"* AND "he said" AND "hi" AND "x:y"*');
  assert.equal(ftsExpression(parseQuery("rm"), { column: "tool" }), '{tool} : ("rm"*)');
  assert.equal(ftsExpression(parseQuery('a"b')), '"a"* AND "b"');
});

Deno.test("spaceCjk() makes each CJK character a token and readSnippet() joins them again", () => {
  assert.equal(spaceCjk("plain text"), "plain text");
  assert.equal(spaceCjk("用casr部署"), "用 casr 部 署");
  assert.equal(spaceCjk("日本語のテキスト"), "日 本 語 の テ キ ス ト");
  assert.equal(spaceCjk("한국어 문장"), "한 국 어 문 장");
  const marked = `日 本 語 の ${MARK_OPEN}テ${MARK_CLOSE} ${MARK_OPEN}キ${MARK_CLOSE} ス ト`;
  assert.deepEqual(readSnippet(marked), { text: "日本語のテキスト", highlights: [[4, 6]] });
});

Deno.test("readSnippet() gives plain text on one line with highlight ranges", () => {
  const s = readSnippet(
    `…the ${MARK_OPEN}quick${MARK_CLOSE}\n\nbrown ${MARK_OPEN}fox${MARK_CLOSE}…`,
  );
  assert.equal(s.text, "…the quick brown fox…");
  assert.deepEqual(s.highlights.map(([a, b]) => s.text.slice(a, b)), ["quick", "fox"]);
});

const HOSTILE = [
  '"',
  '""',
  "'",
  "-",
  "--",
  "-foo",
  "foo-",
  "a:b",
  ":",
  "title:x",
  "{user}: x",
  "*",
  "**foo",
  "foo*bar",
  "(",
  ")",
  "(a OR b",
  "AND",
  "OR NOT",
  "NEAR(a b, 3)",
  "^start",
  "a + b",
  "'; DROP TABLE docs; --",
  "\u0000",
  "\\",
  "%_",
  "日本",
  "🚀",
];

Deno.test("no query, however hostile, makes FTS5 fail", async () => {
  const db = await openSqlite(":memory:");
  assert.ok(db, "SQLite is available");
  db.exec(
    "CREATE VIRTUAL TABLE t USING fts5(title, user, assistant, tool, tokenize = 'unicode61 remove_diacritics 2')",
  );
  db.prepare("INSERT INTO t VALUES (?, ?, ?, ?)").run("x", "a b foo bar", "", "");
  const check = (q: string): void => {
    const terms = parseQuery(q);
    if (terms.length === 0) return;
    for (const role of [undefined, "user", "tool"] as const) {
      db.prepare("SELECT rowid FROM t WHERE t MATCH ?").all(
        ftsExpression(terms, role ? { column: role } : {}),
      );
    }
  };
  for (const q of HOSTILE) check(q);
  fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 40 }), (q) => check(q)), {
    numRuns: 500,
  });
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...'"*-:(){}^+ ANDORNOTNEARab日'), { maxLength: 20 }),
      (a) => check(a.join("")),
    ),
    { numRuns: 500 },
  );
  db.close();
});

Deno.test("locate() finds the first match of any term as the tokenizer would", () => {
  const text = "Intro. The RÉSUMÉ parser, then conversation-logs; 日 本 語 の テ キ ス ト";
  assert.equal(locate(text, parseQuery("resume")), text.indexOf("RÉSUMÉ"));
  assert.equal(locate(text, parseQuery("conv")), text.indexOf("conversation"));
  assert.equal(locate(text, parseQuery('"conversation logs"')), text.indexOf("conversation"));
  assert.equal(locate(text, parseQuery('"conv"')), -1, "a phrase is a whole word");
  assert.equal(locate(text, parseQuery("arser")), -1, "a word starts at a word boundary");
  assert.equal(locate(text, parseQuery("テキスト")), text.indexOf("テ"));
  assert.equal(locate(text, parseQuery("zebra parser")), text.indexOf("parser"));
  assert.equal(locate("naïve", parseQuery("naive")), 0);
  assert.equal(locate("Ελληνικά", parseQuery("ελληνικα")), 0);
});

Deno.test("spaceCjk() spaces exactly as one regular expression over the whole text would", () => {
  // The oracle: the first implementation, which spent seconds on large texts.
  const cjk = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}";
  const edge = new RegExp(`([${cjk}])(?=[\\p{L}\\p{N}])|([\\p{L}\\p{N}])(?=[${cjk}])`, "gu");
  const oracle = (text: string): string =>
    text.replace(edge, (_m, a: string | undefined, b: string | undefined) => `${a ?? b} `);
  const pieces = [
    "日",
    "本",
    "語",
    "の",
    "テ",
    "한",
    "국",
    "𠀋",
    "⺀",
    "⼀",
    "〇",
    "々",
    "a",
    "Z",
    "é",
    "7",
    " ",
    "\n",
    ".",
    "-",
    "🚀",
    "\ud83d",
    "x",
  ];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
      const text = parts.join("");
      assert.equal(spaceCjk(text), oracle(text));
    }),
    { numRuns: 3000 },
  );
});

Deno.test("hasCjk() finds every Han, Hiragana, Katakana and Hangul character, and nothing else", () => {
  const cjk = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;
  let found = 0;
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue; // lone surrogates are no characters
    const char = String.fromCodePoint(cp);
    const want = cjk.test(char);
    if (want) found++;
    if (hasCjk(`a${char}b`) !== want) assert.fail(`U+${cp.toString(16)}: expected ${want}`);
  }
  assert.ok(found > 90_000, `${found} CJK characters`);
});
