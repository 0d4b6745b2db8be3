import assert from "node:assert/strict";
import type { Turn } from "./history.ts";
import { formatShare, totalShare, vocabularyShare } from "./vocabulary_share.ts";

/** Hand-made history: a Gemini request replaying one foreign and one own call. */
const turns: Turn[] = [
  { role: "user", text: "run it", toolCalls: [], toolResults: [] },
  {
    role: "assistant",
    text: "",
    toolCalls: [
      { name: "Bash", input: { command: "ls" }, id: "a" },
      { name: "run_shell_command", input: { command: "pwd" }, id: "b" },
    ],
    toolResults: [],
  },
  { role: "tool", text: "", toolCalls: [], toolResults: [{ output: "x", id: "a" }] },
];

Deno.test("vocabularyShare() counts history calls named like a declared tool", () => {
  const share = vocabularyShare(turns, ["run_shell_command", "read_file"]);
  assert.deepEqual(share, { calls: 2, declared: 1 });
  assert.equal(formatShare(share), "1/2 (50%)");
  assert.deepEqual(vocabularyShare(turns, []), { calls: 2, declared: 0 });
  assert.equal(formatShare({ calls: 0, declared: 0 }), "0/0");
});

Deno.test("totalShare() adds cells up and skips cells without a share", () => {
  assert.deepEqual(
    totalShare([{ calls: 3, declared: 3 }, undefined, { calls: 2, declared: 0 }]),
    { calls: 5, declared: 3, cells: 2 },
  );
});
