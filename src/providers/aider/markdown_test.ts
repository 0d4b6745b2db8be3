import assert from "node:assert/strict";
import {
  aiderRestore,
  escapeAssistantLine,
  formatHeader,
  headerTime,
  parseCasrMarker,
  parseHistory,
  pySplitLines,
  renderAssistantText,
  renderUserLines,
} from "./markdown.ts";

Deno.test("pySplitLines() splits like Python's str.splitlines(keepends=True)", () => {
  const lines = pySplitLines("a\r\nb\rc\u2028d\x1ce\n\nf");
  assert.deepEqual(lines.map((l) => [l.content, l.end]), [
    ["a", "\r\n"],
    ["b", "\r"],
    ["c", "\u2028"],
    ["d", "\x1c"],
    ["e", "\n"],
    ["", "\n"],
    ["f", ""],
  ]);
  assert.deepEqual(pySplitLines(""), []);
});

Deno.test("formatHeader() and headerTime() round-trip Aider's local-time run header", () => {
  const ms = new Date(2026, 11, 1, 20, 40, 11).getTime();
  assert.equal(formatHeader(ms + 999), "# aider chat started at 2026-12-01 20:40:11");
  assert.equal(headerTime(formatHeader(ms)), ms);
  assert.equal(headerTime("# aider chat started at yesterday"), undefined);
});

Deno.test("parseHistory() reads a multi-line user input as one message and > lines as tool output", () => {
  const text = "\n# aider chat started at 2026-01-01 10:00:00\n\n> Aider v0.86.2  \n" +
    "\n#### Why does test_io fail?  \n#### It only fails on CI.  \n####   \n#### Thanks  \n" +
    "\nIt races.\n\n```python\ntmp = mkdtemp()\n```\n\n> Applied edit  \n> Commit 1a2b3c4 fix  \n" +
    "\n#### <blank>  \n";
  const { sessions, warnings } = parseHistory(text);
  assert.equal(sessions.length, 1);
  assert.deepEqual(warnings, []);
  assert.deepEqual(sessions[0]!.items.map((i) => [i.kind, i.text]), [
    ["tool", "Aider v0.86.2"],
    ["user", "Why does test_io fail?\nIt only fails on CI.\n\nThanks"],
    ["assistant", "It races.\n\n```python\ntmp = mkdtemp()\n```"],
    ["tool", "Applied edit\nCommit 1a2b3c4 fix"],
    ["user", ""],
  ]);
});

Deno.test("parseHistory() splits sessions at run headers and drops '# ' lines like Aider, with a warning", () => {
  const text =
    "\n# aider chat started at 2026-01-01 10:00:00\n\n#### a  \n\nreply\n# heading\nmore\n\n" +
    '\n# aider chat started at 2026-01-01 11:00:00\n# casr {"session":"abc-1","workspace":"/w","startedAt":1767261600123}\n\n#### b  \n';
  const { sessions, warnings } = parseHistory(text);
  assert.deepEqual(sessions.map((s) => s.items.map((i) => i.text)), [["a", "reply\nmore"], ["b"]]);
  assert.deepEqual(warnings.map((w) => [w.code, w.line]), [["aider-line-skipped", 7]]);
  assert.deepEqual(sessions[1]!.casr, {
    session: "abc-1",
    workspace: "/w",
    startedAt: 1767261600123,
  });
  assert.equal(sessions[1]!.startedAt, 1767261600123);
  assert.equal(text.slice(sessions[1]!.start, sessions[1]!.stop).startsWith("# aider chat"), true);
});

Deno.test("parseCasrMarker() accepts only a JSON object with a session id", () => {
  assert.equal(parseCasrMarker("# casr {"), undefined);
  assert.equal(parseCasrMarker('# casr {"session":""}'), undefined);
  assert.equal(parseCasrMarker('# casr ["x"]'), undefined);
  assert.deepEqual(parseCasrMarker('# casr {"session":"x","startedAt":-5}'), { session: "x" });
});

/** Texts that would break a naive writer: every line kind Aider's restore reacts to. */
const TRAPS = [
  "# a heading\n#### an H4\n> a quote\n > indented quote\n  # two spaces",
  "# aider chat started at 2026-01-01 10:00:00\nnot a new session",
  "line\u2028#### after a unicode line separator\rcarriage\r\nwindows\x85next\fform",
  "trailing spaces  \nkept  ",
  "\n\nleading and trailing blank lines\n\n",
  "```\n> inside a fence\n```",
];

Deno.test("escapeAssistantLine() indents exactly the lines Aider would misread", () => {
  assert.equal(escapeAssistantLine("# x"), " # x");
  assert.equal(escapeAssistantLine("#### x"), " #### x");
  assert.equal(escapeAssistantLine("> x"), " > x");
  assert.equal(escapeAssistantLine(" > x"), "  > x");
  assert.equal(escapeAssistantLine("## x"), "## x");
  assert.equal(escapeAssistantLine(">>>>>>> REPLACE"), ">>>>>>> REPLACE");
  assert.equal(escapeAssistantLine("#hashtag"), "#hashtag");
});

for (const [i, trap] of TRAPS.entries()) {
  Deno.test(`renderUserLines()/renderAssistantText() restore into the intended roles in Aider and in casr (trap ${i})`, () => {
    const file = `\n# aider chat started at 2026-01-01 10:00:00\n\n${renderUserLines(trap)}` +
      `\n${renderAssistantText(trap.trim())}\n\n\n${renderUserLines("next")}`;
    // Aider's own restore (split_chat_history_markdown, mirrored line for line).
    const restored = aiderRestore(file);
    assert.deepEqual(restored.map((r) => r.role), ["user", "assistant", "user"]);
    // What Aider's model sees: the user text with Aider's two-space hard breaks.
    assert.equal(restored[0]!.content.replace(/ {2}(\r\n|\n)/g, "$1").replace(/\n$/, ""), trap);
    // casr reads back exactly what was written.
    const { sessions } = parseHistory(file);
    assert.deepEqual(sessions[0]!.items.map((x) => [x.kind, x.text]), [
      ["user", trap],
      ["assistant", trap.trim()],
      ["user", "next"],
    ]);
  });
}
