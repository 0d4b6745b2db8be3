/**
 * How Copilot CLI 1.0.102 makes a messy session offline: thinking with signatures, a failing
 * and a huge `bash` output, a PNG read by `view`, a PNG named with `@file`, a subagent through
 * `task`, and a turn cut off while a command runs.
 *
 * @module
 */

import { copilotCli } from "./cli_copilot.ts";
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
        ? copilotCli.newSessionArgs(prompt, CONTEXT)
        : copilotCli.resumeArgs(id, prompt, CONTEXT),
  };
}

/** Copilot CLI's messy plan. */
export const COPILOT_MESSY: MessyPlan = {
  provider: "copilot-cli",
  markers: ["before-compact", "carry on after the interruption"],
  tokens: ["BIG-00001", "BIG-05000", "before-compact", "Subagent report"],
  turns: [
    {
      key: "Messy step one",
      replies: [{
        text: "",
        reasoning: "A first command.",
        shellCommands: [BEFORE_COMPACT_COMMAND],
      }],
      final: { text: "It printed before-compact.", reasoning: "The command ran." },
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
        text: "Looking at the picture.",
        tools: [{
          names: ["view"],
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
    {
      key: "Messy step five",
      replies: [{
        text: "Asking a subagent.",
        tools: [{
          names: ["task"],
          input: () => ({
            description: "Check the workspace",
            prompt: "Subagent task: report on the workspace in one line.",
            agent_type: "general-purpose",
            name: "checker",
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
    step("new: a command, with thinking", `Messy step one: run \`${BEFORE_COMPACT_COMMAND}\`.`),
    step(
      "resume: a failing command and a 65 KB output",
      `Messy step two: run \`${FAIL_COMMAND}\`, then \`${BIG_COMMAND}\`.`,
    ),
    step(
      "resume: view of a PNG",
      `Messy step three: open ${TOOL_PNG_NAME} with your file viewing tool.`,
    ),
    step(
      "resume: a PNG named with @file",
      `Messy step four: here is an attached picture @${ATTACHED_PNG_NAME}, what colors?`,
    ),
    step("resume: a subagent (task)", "Messy step five: ask a subagent to check the workspace."),
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
  setup: async (_context, workspace) => {
    await writePictures(workspace);
  },
  notes: [
    "Made offline: `thinking` with a signature; `false` (`<shellId: 0 completed with exit",
    "code 1>`, no error flag) and the `seq` output; a subagent through `task`",
    "(`agent_type: general-purpose`), its result in the main session; the interrupted turn",
    '(the harness kills `copilot` 20 s into `tail -f /dev/null`; the result becomes "The',
    'execution of this tool, or a previous tool was interrupted…"). Each prompt is sent with',
    "a `<current_datetime>` block before it (left out of `expected`). Not made: images",
    '(`view` of `pixel.png` answers "Viewed image file successfully." and `@attached.png`',
    "stays text: with the Anthropic provider through `COPILOT_PROVIDER_*` no image reaches",
    "the mock, live or on resume), a custom slash command and a compaction (not found",
    "offline in 1.0.102's `-p` mode), a queued prompt (`-p` takes one prompt).",
  ],
};
