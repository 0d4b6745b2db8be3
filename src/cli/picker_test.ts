import assert from "node:assert/strict";
import {
  initialState,
  matchesQuery,
  parseKeys,
  pick,
  type PickerItem,
  pickerStep,
  type PickerTerminal,
  renderFrame,
} from "./picker.ts";

const ITEMS: PickerItem[] = [
  { id: "aaa111", provider: "codex", title: "Fix the résumé parser", workspace: "/p/cv" },
  { id: "bbb222", provider: "claude-code", title: "Add a login page", workspace: "/p/web" },
  { id: "ccc333", provider: "gemini-cli", title: "Parser benchmarks", workspace: "/p/cv" },
];

Deno.test("matchesQuery: every word, in title, agent, id or workspace, accents and case folded", () => {
  assert.ok(matchesQuery(ITEMS[0]!, "RESUME parser"));
  assert.ok(matchesQuery(ITEMS[0]!, "codex cv"));
  assert.ok(matchesQuery(ITEMS[1]!, "bbb2"));
  assert.ok(!matchesQuery(ITEMS[1]!, "login parser"));
  assert.ok(matchesQuery(ITEMS[2]!, "  "));
});

Deno.test("pickerStep: typing filters and reselects the first; arrows stop at the ends; Enter picks", () => {
  let state = initialState(ITEMS);
  state = pickerStep(state, { kind: "down" }, 2).state;
  state = pickerStep(state, { kind: "down" }, 2).state;
  state = pickerStep(state, { kind: "down" }, 2).state;
  assert.equal(state.selected, 2);
  assert.equal(state.top, 1, "the list scrolled to keep the selection in view");
  state = pickerStep(state, { kind: "char", text: "pars" }, 2).state;
  assert.deepEqual(state.matches, [0, 2]);
  assert.equal(state.selected, 0);
  state = pickerStep(state, { kind: "end" }, 2).state;
  assert.equal(state.selected, 1);
  const chosen = pickerStep(state, { kind: "enter" }, 2);
  assert.equal(chosen.done, "pick");
  assert.equal(ITEMS[chosen.state.matches[chosen.state.selected]!]!.id, "ccc333");
  state = pickerStep(state, { kind: "char", text: "zzz" }, 2).state;
  assert.deepEqual(state.matches, []);
  assert.equal(pickerStep(state, { kind: "enter" }, 2).done, undefined, "nothing to pick");
  state = pickerStep(state, { kind: "clear" }, 2).state;
  assert.equal(state.matches.length, 3);
  assert.equal(pickerStep(state, { kind: "cancel" }, 2).done, "cancel");
});

Deno.test("parseKeys: arrows in both forms, paging, text runs, Backspace, Esc alone and Ctrl-C", () => {
  assert.deepEqual(parseKeys("\x1b[A\x1bOB\x1b[5~\x1b[6~"), [
    { kind: "up" },
    { kind: "down" },
    { kind: "pageup" },
    { kind: "pagedown" },
  ]);
  assert.deepEqual(parseKeys("ab\x7fc\r"), [
    { kind: "char", text: "ab" },
    { kind: "backspace" },
    { kind: "char", text: "c" },
    { kind: "enter" },
  ]);
  assert.deepEqual(parseKeys("\x1b"), [{ kind: "cancel" }]);
  assert.deepEqual(parseKeys("\x03"), [{ kind: "cancel" }]);
  assert.deepEqual(parseKeys("\x1b[1;5C日本"), [{ kind: "char", text: "日本" }]);
});

Deno.test("renderFrame: fits the width, marks the selection, counts matches, shows the preview", () => {
  let state = initialState(ITEMS);
  state = pickerStep(state, { kind: "char", text: "parser" }, 5).state;
  const lines = renderFrame(state, {
    columns: 40,
    rows: 3,
    now: 0,
    heading: "Resume in Codex",
    preview: ["you: hello\x1b[2J", "agent: hi"],
  });
  for (const line of lines) assert.ok([...line].length <= 40, line);
  assert.equal(lines[1], "> parser");
  assert.match(lines[2]!, /^> codex/);
  assert.match(lines[3]!, /^ {2}gemini-cli/);
  assert.equal(lines[4], "");
  assert.match(lines[5]!, /2 of 3 sessions match$/);
  const login = pickerStep(initialState(ITEMS), { kind: "char", text: "login" }, 5).state;
  const one = renderFrame(login, {
    columns: 40,
    rows: 3,
    now: 0,
    heading: "Resume in Codex",
  });
  const all = renderFrame(initialState(ITEMS), { columns: 40, rows: 3, now: 0, heading: "h" });
  assert.ok(all.some((l) => /^3 sessions$/.test(l)), all.join("\n"));
  assert.ok(one.some((l) => /^1 of 3 sessions matches$/.test(l)), one.join("\n"));
  assert.ok(lines.includes("agent: hi"));
  assert.ok(
    !lines.some((l) => l.includes("\x1b")),
    "a title's escape codes never reach the terminal",
  );
});

Deno.test("pick: drives a terminal, loads the preview, restores the screen", async () => {
  const written: string[] = [];
  const terminal: PickerTerminal = {
    columns: 60,
    rows: 20,
    write: (t) => void written.push(t),
    keys: async (onChunk) => {
      await new Promise((r) => setTimeout(r, 5));
      for (const chunk of ["gem", "\r"]) if (onChunk(chunk)) return;
    },
  };
  const previewed: string[] = [];
  const chosen = await pick(ITEMS, terminal, {
    heading: "Resume in Pi",
    preview: (item) => {
      previewed.push(item.id);
      return Promise.resolve([`you: about ${item.id}`]);
    },
  });
  assert.equal(chosen?.id, "ccc333");
  assert.equal(previewed[0], "aaa111");
  assert.ok(written.join("").includes("you: about aaa111"));
  assert.equal(written[0], "\x1b[?1049h\x1b[?25l");
  assert.equal(written.at(-1), "\x1b[?25h\x1b[?1049l");
});
