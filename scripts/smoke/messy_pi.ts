/**
 * How Pi 1.6.0 makes a messy session offline: `reasoning_content`, an automatic compaction
 * inside a turn (the mock reports more tokens than the window minus the reserve; the kept tail
 * is set small), a failing and a huge `bash` output, a PNG read by `read` and a PNG attached as
 * an `@file` argument (the mock model declares image input), a prompt template with arguments,
 * and a turn cut off while a command runs.
 *
 * @module
 */

import { PI_MOCK_PROVIDER, PI_MODEL } from "./cli_pi.ts";
import { FIXTURE_WORKSPACE } from "./fixture_paths.ts";
import { MESSY_SUMMARY } from "./messy.ts";
import {
  ATTACHED_PNG_NAME,
  BEFORE_COMPACT_COMMAND,
  BIG_COMMAND,
  CARRY_ON_TURN,
  COMMAND_EXPANSION_TURN,
  FAIL_COMMAND,
  type MessyPlan,
  type MessyStep,
  SLOW_COMMAND,
  TOOL_PNG_NAME,
  writePictures,
} from "./messy_plan.ts";
import type { ScriptContext } from "./mock_server.ts";

const COMMON = ["--provider", PI_MOCK_PROVIDER, "--model", PI_MODEL];

/** A step that types `prompt` (after `files`, `@file` arguments). */
function step(label: string, prompt: string, files: string[] = []): MessyStep {
  return {
    label,
    prompts: [prompt],
    args: (
      id,
    ) => [...COMMON, ...(id === undefined ? [] : ["--session", id]), "-p", ...files, prompt],
  };
}

/** Whether a side request asks for Pi's compaction summary. */
function isCompaction(context: ScriptContext): boolean {
  const last = context.history.findLast((turn) => turn.role === "user");
  return last !== undefined && /summar/i.test(last.text);
}

/** Pi's messy plan. */
export const PI_MESSY: MessyPlan = {
  provider: "pi",
  markers: ["before-compact", "carry on after the interruption"],
  tokens: ["BIG-00001", "BIG-05000", "before-compact"],
  turns: [
    {
      key: "Messy step one",
      replies: [{
        text: "",
        reasoning: "A command before the summary.",
        shellCommands: [BEFORE_COMPACT_COMMAND],
      }],
      // Over the window minus the reserve: Pi compacts when the run's last reply reports it.
      final: {
        text: "It printed before-compact.",
        reasoning: "The command ran.",
        inputTokens: 200_000,
      },
    },
    {
      key: "Messy step two",
      replies: [
        {
          text: "",
          reasoning: "The user wants a failing command first.",
          shellCommands: [FAIL_COMMAND],
        },
        {
          text: "Now the long listing.",
          reasoning: "It failed with no output; next the listing.",
          shellCommands: [BIG_COMMAND],
        },
      ],
      final: {
        text: "Step two done: `false` failed, the listing printed 5000 lines.",
        reasoning: "Both commands ran.",
      },
    },
    {
      key: "Messy step three",
      replies: [{
        text: "Reading the picture.",
        tools: [{
          names: ["read"],
          input: () => ({ path: `${FIXTURE_WORKSPACE}/${TOOL_PNG_NAME}` }),
          mention: TOOL_PNG_NAME,
        }],
      }],
      final: {
        text: "The picture is blue with a yellow diagonal stripe.",
        reasoning: "I looked at the image.",
      },
    },
    {
      key: "Messy step four",
      replies: [],
      final: {
        text: "The attached picture is green with a red diagonal.",
        reasoning: "An image came with the prompt.",
      },
    },
    COMMAND_EXPANSION_TURN,
    {
      key: "Messy step six",
      replies: [{ text: "Starting the slow command.", shellCommands: [SLOW_COMMAND] }],
      final: { text: "The slow command finished (it should not)." },
    },
    CARRY_ON_TURN,
  ],
  steps: [
    step(
      "new: a command, with reasoning; the last reply reports 200,000 tokens (compaction)",
      `Messy step one: run \`${BEFORE_COMPACT_COMMAND}\`.`,
    ),
    step(
      "resume: a failing command and a 65 KB output",
      `Messy step two: run \`${FAIL_COMMAND}\`, then \`${BIG_COMMAND}\`.`,
    ),
    step(
      "resume: read of a PNG",
      `Messy step three: open ${TOOL_PNG_NAME} with your file reading tool.`,
    ),
    step(
      "resume: a PNG attached as an @file argument",
      "Messy step four: here is an attached picture, what colors?",
      [`@${ATTACHED_PNG_NAME}`],
    ),
    step("resume: a prompt template with arguments", "/messy-note alpha beta"),
    {
      ...step(
        "resume: a turn cut off while its command runs",
        `Messy step six: run \`${SLOW_COMMAND}\`.`,
      ),
      interruptAfterMs: 20_000,
    },
    step(
      "resume: a turn after the interruption",
      "Messy step seven: carry on after the interruption.",
    ),
  ],
  setup: async ({ home, baseUrl }, workspace) => {
    await writePictures(workspace);
    const dir = `${home}/.pi/agent`;
    // The mock model takes images (else Pi replaces them with a note) and shows reasoning.
    const models = JSON.parse(await Deno.readTextFile(`${dir}/models.json`));
    models.providers[PI_MOCK_PROVIDER].baseUrl = `${baseUrl}/v1`;
    models.providers[PI_MOCK_PROVIDER].models = [
      // Without a context window Pi never compacts on its own.
      { id: PI_MODEL, input: ["text", "image"], reasoning: true, contextWindow: 128_000 },
    ];
    await Deno.writeTextFile(`${dir}/models.json`, JSON.stringify(models, null, 2) + "\n");
    // A small kept tail, so that the first turn is summarized.
    await Deno.writeTextFile(
      `${dir}/settings.json`,
      JSON.stringify({ compaction: { enabled: true, keepRecentTokens: 200 } }, null, 2) + "\n",
    );
    await Deno.mkdir(`${dir}/prompts`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/prompts/messy-note.md`,
      "---\ndescription: Note something\n---\n" +
        "Messy command expansion for: $ARGUMENTS. Answer in one line.\n",
    );
  },
  sideText: (context) => isCompaction(context) ? MESSY_SUMMARY : undefined,
  notes: [
    "Made offline: `reasoning_content`, sent again. `false` gives `(no output)` and",
    "`Command exited with code 1` (no error flag); of the `seq` output Pi keeps the last",
    "2,000 lines. `read` of `pixel.png` gives a text result plus a separate user message",
    '"Attached image(s) from tool result:" carrying the image (Chat Completions has no images',
    'in tool messages); `@attached.png` gives `<file name="…"></file>` and the image in the',
    'user message. The mock model is declared with `input: ["text", "image"]` (else Pi',
    "replaces images with a note). `/messy-note alpha beta` from",
    "`~/.pi/agent/prompts/messy-note.md` (`$ARGUMENTS`): only the expansion is stored and",
    "sent. The interrupted turn: the harness kills `pi` 20 s into `tail -f /dev/null`; the",
    'result becomes "Command aborted". Not made: a compaction (the first turn\'s last reply',
    "reports 200,000 input tokens against a declared 128,000-token window, with",
    "`compaction.keepRecentTokens: 200`; 1.6.0 in `-p` mode sent no summary request, whether",
    "the count came on the last reply of a run or on a tool call's reply; not investigated",
    "further), a subagent (Pi has no subagent tool), a queued prompt (`-p` takes one prompt).",
  ],
};
