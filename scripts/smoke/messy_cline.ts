/**
 * How Cline 3.0.65 makes a messy session offline: the first turn through `cline <prompt>`, the
 * later ones through `cline --id <id>` in its TUI (driven in tmux by `runCline`): reasoning in
 * the mock's replies, a failing and a huge `run_commands` output, a subagent through
 * `spawn_agent`, and a turn cut off while a command runs.
 *
 * @module
 */

import { clineCli } from "./cli_cline.ts";
import {
  BIG_COMMAND,
  CARRY_ON_TURN,
  FAIL_COMMAND,
  type MessyPlan,
  type MessyStep,
  SLOW_COMMAND,
  SUBAGENT_TASK_TURN,
  writePictures,
} from "./messy_plan.ts";

/** A step that types `prompt` (the first step starts the session). */
function step(label: string, prompt: string): MessyStep {
  return {
    label,
    prompts: [prompt],
    args: (id, context) =>
      id === undefined
        ? clineCli.newSessionArgs(prompt, context)
        : clineCli.resumeArgs(id, prompt, context),
  };
}

/** Cline's messy plan. */
export const CLINE_MESSY: MessyPlan = {
  provider: "cline",
  markers: ["BIG-0", "carry on after the interruption"],
  // On the wire Cline sends each result as JSON text: keep the words inside it.
  tokens: [
    "BIG-00001",
    "BIG-05000",
    "Subagent report",
    "Tool execution was interrupted",
  ],
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
      key: "Messy step three",
      replies: [{
        text: "Asking a subagent.",
        tools: [{
          names: ["spawn_agent"],
          input: () => ({
            systemPrompt: "You check a workspace and answer in one line.",
            task: "Subagent task: report on the workspace in one line.",
          }),
          mention: "Subagent task",
        }],
      }],
      final: { text: "The subagent reported back.", reasoning: "The subagent finished." },
    },
    SUBAGENT_TASK_TURN,
    {
      key: "Messy step four",
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
      "resume (TUI): a subagent (spawn_agent)",
      "Messy step three: ask a subagent to check the workspace.",
    ),
    {
      ...step(
        "resume (TUI): a turn cut off while its command runs",
        `Messy step four: run \`${SLOW_COMMAND}\`.`,
      ),
      interruptAfterMs: 20_000,
    },
    step(
      "resume (TUI): a turn after the interruption",
      "Messy step five: carry on after the interruption.",
    ),
  ],
  setup: async (_context, workspace) => {
    await writePictures(workspace);
  },
  notes: [
    "Made offline: the first turn with `cline <prompt>`, the later ones with `cline --id` in",
    "the TUI (tmux). `thinking` blocks are stored, not sent again. `false` (`[Command exited",
    "with code 1]`, `success: false`) and the `seq` output; on the wire every result is JSON",
    "text. A subagent: `spawn_agent` (its own `…__agent_…` row in `sessions.db`; its result,",
    '`{"text":"Subagent report…"}`, in the main session). The interrupted turn: the',
    "harness kills the TUI 20 s into `tail -f /dev/null`; no result is stored, and on resume",
    'Cline sends "Tool execution was interrupted before a result was produced. Tool:',
    "run_commands.\" (casr's reader now adds that result). Not made: images (`read_files` of",
    "`pixel.png` gives a text result plus, on the Chat Completions wire, a user message that",
    "holds only the picture; casr reads it so, but converted into Gemini CLI that picture",
    "joins the function response's content and the strict check misses it, so the step is",
    "left out), a custom slash command, a compaction and a queued prompt (not tried in the",
    "time given).",
  ],
};
