/**
 * How Qwen Code 0.24.4 makes a messy session offline: `reasoning_content`, a failing and a
 * huge shell output, a PNG read by `read_file` and a PNG named with `@file` (the mock model is
 * not vision-capable, so Qwen Code writes its own placeholder text), a custom command from
 * `commands/`, a subagent through `agent`, and a turn cut off while a command runs.
 *
 * @module
 */

import { qwenCli } from "./cli_qwen.ts";
import { FIXTURE_WORKSPACE } from "./fixture_paths.ts";
import {
  ATTACHED_PNG_NAME,
  BIG_COMMAND,
  CARRY_ON_TURN,
  COMMAND_EXPANSION_TURN,
  FAIL_COMMAND,
  type MessyPlan,
  type MessyStep,
  SLOW_COMMAND,
  SUBAGENT_TASK_TURN,
  TOOL_PNG_NAME,
  writePictures,
} from "./messy_plan.ts";

const CONTEXT = { home: "", baseUrl: "" };

/** A step that types `prompt` (the first step starts the session). */
function step(label: string, prompt: string): MessyStep {
  return {
    label,
    prompts: [prompt],
    args: (id) =>
      id === undefined
        ? qwenCli.newSessionArgs(prompt, CONTEXT)
        : qwenCli.resumeArgs(id, prompt, CONTEXT),
  };
}

/** Qwen Code's messy plan. */
export const QWEN_MESSY: MessyPlan = {
  provider: "qwen-code",
  markers: ["BIG-0", "carry on after the interruption"],
  tokens: ["BIG-00001", "BIG-05000", "Exit Code: 1", "Subagent report"],
  turns: [
    {
      key: "Messy step one",
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
        text: "Step one done: `false` failed, the listing printed 5000 lines.",
        reasoning: "Both commands ran.",
      },
    },
    {
      key: "Messy step two",
      replies: [{
        text: "Reading the picture.",
        tools: [{
          names: ["read_file"],
          input: () => ({ file_path: `${FIXTURE_WORKSPACE}/${TOOL_PNG_NAME}` }),
          mention: TOOL_PNG_NAME,
        }],
      }],
      final: { text: "I could not see the picture.", reasoning: "The tool gave no image." },
    },
    {
      key: "Messy step three",
      replies: [],
      final: { text: "The attached picture did not come through.", reasoning: "No image." },
    },
    COMMAND_EXPANSION_TURN,
    {
      key: "Messy step five",
      replies: [{
        text: "Asking a subagent.",
        tools: [{
          names: ["agent"],
          input: () => ({
            description: "Check the workspace",
            prompt: "Subagent task: report on the workspace in one line.",
            subagent_type: "general-purpose",
            run_in_background: false,
          }),
          mention: "Subagent task",
        }],
      }],
      final: { text: "The subagent reported back.", reasoning: "The subagent finished." },
    },
    SUBAGENT_TASK_TURN,
    {
      key: "Messy step six",
      replies: [{ text: "Starting the slow command.", shellCommands: [SLOW_COMMAND] }],
      final: { text: "The slow command finished (it should not)." },
    },
    CARRY_ON_TURN,
  ],
  steps: [
    step(
      "new: a failing command and a 65 KB output, with reasoning",
      `Messy step one: run \`${FAIL_COMMAND}\`, then \`${BIG_COMMAND}\`.`,
    ),
    step(
      "resume: read_file of a PNG",
      `Messy step two: open ${TOOL_PNG_NAME} with your file reading tool.`,
    ),
    step(
      "resume: a PNG named with @file",
      `@${ATTACHED_PNG_NAME} Messy step three: here is an attached picture, what colors?`,
    ),
    step("resume: custom command with arguments", "/messy-note alpha beta"),
    step(
      "resume: a subagent (agent, general-purpose)",
      "Messy step five: ask a subagent to check the workspace.",
    ),
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
  setup: async ({ home }, workspace) => {
    await writePictures(workspace);
    const commands = `${home}/.qwen/commands`;
    await Deno.mkdir(commands, { recursive: true });
    await Deno.writeTextFile(
      `${commands}/messy-note.toml`,
      'description = "Note something"\n' +
        'prompt = "Messy command expansion for: {{args}}. Answer in one line."\n',
    );
  },
  notes: [
    "Made offline: `reasoning_content`, sent again. `false` (`Exit Code: 1` in the text, no",
    "error flag) and the `seq` output. `read_file` of `pixel.png` and `@attached.png`: the",
    "mock model is not declared vision-capable, so Qwen Code stores and sends its own text",
    '`[Unsupported image file: "…"]` instead of the image (no image on the wire: the',
    "manifest has no image counts for it). `/messy-note alpha beta` from",
    "`~/.qwen/commands/messy-note.toml` (`{{args}}`): only the expansion is stored and sent.",
    "A subagent: `agent` with `run_in_background: false` (the default runs it in the",
    "background and adds a `<task-notification>` user turn later). The interrupted turn:",
    "the harness kills `qwen` 20 s into `tail -f /dev/null`; the result becomes",
    '"[Operation Cancelled] …". Not made: a compaction (200K reported tokens give none, 900K',
    "fail the turn with `COMPRESSION_FAILED_INFLATED_TOKEN_COUNT`), a queued prompt (`-p`",
    "takes one prompt).",
  ],
};
