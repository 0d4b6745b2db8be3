import assert from "node:assert/strict";
import type { Turn } from "./history.ts";
import type { ScriptContext } from "./mock_server.ts";
import {
  MULTI_FAIL,
  MULTI_OK,
  MULTI_PROMPTS,
  MULTI_SECOND,
  MULTI_TOOL,
  scenarioById,
  SCENARIOS,
} from "./scenarios.ts";

function turn(role: Turn["role"], text: string, extra: Partial<Turn> = {}): Turn {
  return { role, text, toolCalls: [], toolResults: [], ...extra };
}

function context(history: Turn[], turnIndex = 0): ScriptContext {
  return { wire: "anthropic", history, body: {}, turnIndex };
}

const call = (command: string, id: string) => ({ name: "Bash", input: { command }, id });

Deno.test("multi-tool script: two calls in one reply, text after both results", () => {
  const script = MULTI_TOOL.script(true);
  const first = [turn("user", `<ctx>\n${MULTI_PROMPTS[0]}`)];
  assert.deepEqual(script(context(first)).shellCommands, [MULTI_OK, MULTI_FAIL]);
  const answered = [
    ...first,
    turn("assistant", "", { toolCalls: [call(MULTI_OK, "a"), call(MULTI_FAIL, "b")] }),
    turn("tool", "", {
      toolResults: [{ output: "line one", id: "a" }, { output: "No such file", id: "b" }],
    }),
  ];
  const after = script(context(answered, 1));
  assert.equal(after.shellCommands, undefined);
  assert.equal(after.text, "OK from mock #2: the commands finished.");
});

Deno.test("multi-tool script: turn 2 makes one call, turn 3 answers with a code block", () => {
  const script = MULTI_TOOL.script(true);
  const earlier = [
    turn("user", MULTI_PROMPTS[0]),
    turn("assistant", "", { toolCalls: [call(MULTI_OK, "a"), call(MULTI_FAIL, "b")] }),
    turn("tool", "", { toolResults: [{ output: "x", id: "a" }, { output: "y", id: "b" }] }),
    turn("assistant", "OK"),
  ];
  const second = [...earlier, turn("user", MULTI_PROMPTS[1])];
  assert.deepEqual(script(context(second, 2)).shellCommands, [MULTI_SECOND]);
  const third = [
    ...second,
    turn("assistant", "", { toolCalls: [call(MULTI_SECOND, "c")] }),
    turn("tool", "", { toolResults: [{ output: "second-turn", id: "c" }] }),
    turn("assistant", "OK"),
    turn("user", MULTI_PROMPTS[2]),
  ];
  const reply = script(context(third, 4));
  assert.equal(reply.shellCommands, undefined);
  assert.match(reply.text, /^OK from mock #5: here it is\.\n```ts\n.*🚀.*\n```\nDone\.$/);
});

Deno.test("multi-tool script without parallel calls makes them one after the other", () => {
  const script = MULTI_TOOL.script(false);
  const first = [turn("user", MULTI_PROMPTS[0])];
  assert.deepEqual(script(context(first)).shellCommands, [MULTI_OK]);
  const one = [
    ...first,
    turn("assistant", "", { toolCalls: [call(MULTI_OK, "a")] }),
    turn("tool", "", { toolResults: [{ output: "line one", id: "a" }] }),
  ];
  assert.deepEqual(script(context(one, 1)).shellCommands, [MULTI_FAIL]);
  const two = [
    ...one,
    turn("assistant", "", { toolCalls: [call(MULTI_FAIL, "b")] }),
    turn("tool", "", { toolResults: [{ output: "No such file", id: "b" }] }),
  ];
  assert.equal(script(context(two, 2)).shellCommands, undefined);
});

Deno.test("scenarios: the third multi-tool prompt holds every trap the fixtures need", () => {
  const [, , tricky] = MULTI_PROMPTS;
  assert.ok([...tricky].some((c) => (c.codePointAt(0) ?? 0) > 0xffff), "emoji outside the BMP");
  const lines = tricky.split("\n");
  assert.ok(!tricky.startsWith("/") && lines.some((line) => line.startsWith("/")));
  assert.match(tricky, /<example>.*<\/example>/);
  assert.ok(lines.some((line) => /^\|\s*-+\s*\|/.test(line)), "a markdown table");
  assert.deepEqual(SCENARIOS.map((s) => s.id), ["basic", "multi-tool", "messy"]);
  assert.equal(scenarioById("multi-tool"), MULTI_TOOL);
  assert.throws(() => scenarioById("nope"), RangeError);
});
