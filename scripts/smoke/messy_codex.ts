/**
 * How Codex 0.169.0 makes a messy session offline: reasoning items (summary plus
 * `encrypted_content`), a remote compaction forced by a small `model_auto_compact_token_limit`
 * and a huge reported usage, a failing and a huge command output, `view_image` called from the
 * code-mode `exec` tool, a PNG attached with `codex exec resume --image`, and a turn cut off
 * while a command runs.
 *
 * @module
 */

import { codex } from "./cli_codex.ts";
import { FIXTURE_WORKSPACE } from "./fixture_paths.ts";
import {
  ATTACHED_PNG_NAME,
  BEFORE_COMPACT_COMMAND,
  BIG_COMMAND,
  CARRY_ON_TURN,
  FAIL_COMMAND,
  type MessyPlan,
  type MessyStep,
  SLOW_COMMAND,
  TOOL_PNG_NAME,
  writePictures,
} from "./messy_plan.ts";

/**
 * A turn whose reported usage is over this limit makes Codex compact the history; only the run
 * right after the huge usage gets it (later, larger turns would compact again and again).
 */
const COMPACT = ["-c", "model_auto_compact_token_limit=2000"];

/**
 * A step that types `prompt`: `codex exec` for the first, else `codex exec resume` with
 * `extra` options before the id.
 */
function step(label: string, prompt: string, extra: string[] = []): MessyStep {
  return {
    label,
    prompts: [prompt],
    args: async (id, context) => {
      if (id === undefined) return codex.newSessionArgs(prompt, context);
      const args = await codex.resumeArgs(id, prompt, context);
      const at = args.indexOf("resume") + 1;
      return [...args.slice(0, at), ...extra, ...args.slice(at)];
    },
  };
}

/** Codex's messy plan. */
export const CODEX_MESSY: MessyPlan = {
  provider: "codex",
  markers: ["before-compact", "carry on after the interruption"],
  tokens: ["BIG-00001", "exit code 1", "before-compact", "aborted"],
  turns: [
    {
      key: "Messy step one",
      replies: [{
        text: "",
        reasoning: "A command before the summary.",
        shellCommands: [BEFORE_COMPACT_COMMAND],
      }],
      // A huge usage: Codex compacts before its next request.
      final: {
        text: "It printed before-compact.",
        reasoning: "The command ran.",
        inputTokens: 200_000,
      },
    },
    {
      key: "Messy step two",
      replies: [{
        text: "",
        reasoning: "The user wants a failing command.",
        shellCommands: [FAIL_COMMAND],
      }],
      final: { text: "`false` failed with no output.", reasoning: "It failed." },
    },
    {
      key: "Messy step 2b",
      replies: [{
        text: "Now the long listing.",
        reasoning: "The listing is long.",
        shellCommands: [BIG_COMMAND],
      }],
      final: { text: "The listing printed 5000 lines." },
    },
    {
      key: "Messy step three",
      replies: [{
        text: "Looking at the picture.",
        tools: [{
          names: ["exec"],
          input: () =>
            `const r = await tools.view_image({ path: ${
              JSON.stringify(`${FIXTURE_WORKSPACE}/${TOOL_PNG_NAME}`)
            } });\nimage(r.image_url);`,
          mention: TOOL_PNG_NAME,
        }],
      }],
      final: {
        text: "The picture is blue with a yellow diagonal stripe.",
        reasoning: "I looked at the image.",
      },
    },
    {
      key: "attached picture",
      replies: [],
      final: {
        text: "The attached picture is green with a red diagonal.",
        reasoning: "An image came with the prompt.",
      },
    },
    {
      key: "Messy step five",
      replies: [{ text: "Starting the slow command.", shellCommands: [SLOW_COMMAND] }],
      final: { text: "The slow command finished (it should not)." },
    },
    CARRY_ON_TURN,
  ],
  steps: [
    step(
      "new: a command, with reasoning; the reply reports 200,000 input tokens",
      `Messy step one: run \`${BEFORE_COMPACT_COMMAND}\`.`,
    ),
    step(
      "resume: remote compaction first (a small compaction limit), then a failing command",
      `Messy step two, after the summary: run \`${FAIL_COMMAND}\`.`,
      COMPACT,
    ),
    step("resume: a 65 KB output", `Messy step 2b: run \`${BIG_COMMAND}\`.`),
    step(
      "resume: view_image from the code-mode exec tool",
      `Messy step three: look at ${TOOL_PNG_NAME} with your image viewer.`,
    ),
    step(
      "resume: a PNG attached with --image",
      "Messy step four: here is an attached picture, what colors?",
      [`--image=${FIXTURE_WORKSPACE}/${ATTACHED_PNG_NAME}`],
    ),
    {
      ...step(
        "resume: a turn cut off while its command runs",
        `Messy step five: run \`${SLOW_COMMAND}\`.`,
      ),
      // Code-mode `exec` hands a running command back after about 10 s: cut off before that.
      interruptAfterMs: 5_000,
    },
    step(
      "resume: a turn after the interruption",
      "Messy step six: carry on after the interruption.",
    ),
  ],
  setup: async (_context, workspace) => {
    await writePictures(workspace);
  },
  notes: [
    "Made offline: Responses `reasoning` items (summary plus `encrypted_content` from",
    "`mockSignature`), stored and sent again. Remote compaction: the first reply reports",
    "200,000 input tokens and the next run has `-c model_auto_compact_token_limit=2000`, so",
    "Codex sends a request ending in a `compaction_trigger` item before the turn, and the mock",
    "answers with one `compaction` item; afterwards it sends every earlier user message plus",
    "that opaque item, and the earlier assistant replies are gone (the limit is passed to that",
    "one run only: with it, each later large turn compacts again, in a loop). `false` (the",
    "`exec` script throws `Error: exit code 1`, no error flag); the `seq` output, which Codex",
    "cuts to its head and tail. `view_image` called from the code-mode `exec` tool",
    "(`image(r.image_url)`) gives an `input_image` in the `custom_tool_call_output`.",
    "`codex exec resume --image attached.png` gives an `input_image` plus an",
    '`<image name=[Image #1] path="…">` text in the user message. The interrupted turn: the',
    "harness kills `codex` 5 s into `tail -f /dev/null` (code-mode `exec` hands a running",
    'command back after about 10 s); on resume Codex sends a synthetic "aborted" output for',
    "the call. Not made: a custom slash command (`codex exec` sends `/prompts:…` verbatim,",
    "no expansion), a subagent (0.169.0's `exec` offers no agent-spawning tool), a queued",
    "prompt (`codex exec` takes one prompt per run).",
  ],
};
