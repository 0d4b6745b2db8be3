/**
 * How Factory Droid 0.225.2 makes a messy session offline (`droid exec --auto high`): a failing
 * and a huge `Execute` output, a PNG read by `Read`, a PNG named with `@file`, a custom command
 * from `~/.factory/commands/`, a `Task` call to a custom droid (it fails offline), and a turn
 * cut off while a command runs. What each of these gives is in the notes.
 *
 * @module
 */

import { droidCli } from "./cli_droid.ts";
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

/** `droid exec` with `--auto high` (the default read-only autonomy refuses `false`). */
function auto(args: string[]): string[] {
  return args[0] === "exec" && !args.includes("--auto")
    ? ["exec", "--auto", "high", ...args.slice(1)]
    : args;
}

/** A step that types `prompt` (the first step starts the session). */
function step(label: string, prompt: string): MessyStep {
  return {
    label,
    prompts: [prompt],
    args: async (id, context) =>
      auto(
        id === undefined
          ? await droidCli.newSessionArgs(prompt, context)
          : await droidCli.resumeArgs(id, prompt, context),
      ),
  };
}

/** Factory Droid's messy plan. */
export const DROID_MESSY: MessyPlan = {
  provider: "factory-droid",
  markers: ["BIG-0", "carry on after the interruption"],
  tokens: ["BIG-00001", "BIG-05000", "Subagent report"],
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
          names: ["Read"],
          input: () => ({ file_path: `${FIXTURE_WORKSPACE}/${TOOL_PNG_NAME}` }),
          mention: TOOL_PNG_NAME,
        }],
      }],
      final: {
        text: "The picture is blue with a yellow diagonal stripe.",
        reasoning: "I looked at the image.",
      },
    },
    {
      key: "Messy step three",
      replies: [],
      final: {
        text: "The attached picture is green with a red diagonal.",
        reasoning: "An image came with the prompt.",
      },
    },
    COMMAND_EXPANSION_TURN,
    {
      key: "Messy step five",
      replies: [{
        text: "Asking a subagent.",
        tools: [{
          names: ["Task"],
          input: () => ({
            subagent_type: "workspace-checker",
            description: "Check the workspace",
            prompt: "Subagent task: report on the workspace in one line.",
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
      "resume: Read of a PNG",
      `Messy step two: open ${TOOL_PNG_NAME} with your file reading tool.`,
    ),
    step(
      "resume: a PNG named with @file",
      `@${ATTACHED_PNG_NAME} Messy step three: here is an attached picture, what colors?`,
    ),
    step("resume: custom command with arguments", "/messy-note alpha beta"),
    step(
      "resume: a subagent (Task, a custom droid)",
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
    const commands = `${home}/.factory/commands`;
    await Deno.mkdir(commands, { recursive: true });
    await Deno.writeTextFile(
      `${commands}/messy-note.md`,
      "---\ndescription: Note something\n---\n" +
        "Messy command expansion for: $ARGUMENTS. Answer in one line.\n",
    );
    const droids = `${home}/.factory/droids`;
    await Deno.mkdir(droids, { recursive: true });
    await Deno.writeTextFile(
      `${droids}/workspace-checker.md`,
      "---\nname: workspace-checker\ndescription: Checks the workspace\nmodel: inherit\n---\n" +
        "You check the workspace and answer in one line.\n",
    );
  },
  notes: [
    "Made offline (`droid exec --auto high`; the default read-only autonomy refuses `false`):",
    "`false` (`Error: Command failed (exit code: 1)`) and the `seq` output; `Read` of",
    "`pixel.png` (a text result `Image file: pixel.png …`: no image reaches the mock, live or",
    "on resume, through the `generic-chat-completion-api` custom model);",
    "`/messy-note alpha beta` from `~/.factory/commands/messy-note.md` (`$ARGUMENTS`): the",
    "expansion is stored and sent inside a `<system-notification>` user message. The",
    "interrupted turn: the harness kills `droid` 20 s into `tail -f /dev/null`; the result",
    'is "Error: Command terminated by signal: SIGTERM" and droid still stores the reply it',
    "got for it. Not made: reasoning (the mock's `reasoning_content` is not sent again), a",
    "user-attached image (`@attached.png` stays text in `exec`), a subagent (`Task` with a",
    'custom droid from `~/.factory/droids/` fails offline: "Could not reach the daemon"; the',
    "failed call and its error result are in the fixture), a compaction (not tried), a",
    "queued prompt (`exec` takes one prompt per run).",
  ],
};
