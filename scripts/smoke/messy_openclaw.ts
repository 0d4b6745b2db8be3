/**
 * How OpenClaw 2026.9.6 makes a messy session offline (`agent --local`): reasoning
 * (`reasoning_content`; the mock model is declared with `reasoning: true`), a failing and a huge
 * `exec` output, and a command that does not end (OpenClaw moves it to the background).
 *
 * NOT registered in `messy_plans.ts`: its fixture failed one smoke cell (into Gemini CLI, see
 * `MESSY_NOT_MADE`). Register it there to generate the fixture again.
 *
 * @module
 */

import { openClawCli } from "./cli_openclaw.ts";
import {
  BIG_COMMAND,
  CARRY_ON_TURN,
  FAIL_COMMAND,
  type MessyPlan,
  type MessyStep,
  SLOW_COMMAND,
  writePictures,
} from "./messy_plan.ts";

/** A step that types `prompt` (the first step starts the session). */
function step(label: string, prompt: string): MessyStep {
  return {
    label,
    prompts: [prompt],
    args: (id, context) =>
      id === undefined
        ? openClawCli.newSessionArgs(prompt, context)
        : openClawCli.resumeArgs(id, prompt, context),
  };
}

/** OpenClaw's messy plan. */
export const OPENCLAW_MESSY: MessyPlan = {
  provider: "openclaw",
  markers: ["BIG-0", "carry on after the interruption"],
  tokens: ["BIG-00001", "BIG-05000", "Command exited with code 1", "Command still running"],
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
    {
      ...step(
        "resume: a command that does not end (OpenClaw moves it to the background)",
        `Messy step three: run \`${SLOW_COMMAND}\`.`,
      ),
      interruptAfterMs: 20_000,
    },
    step(
      "resume: a turn after the interruption",
      "Messy step four: carry on after the interruption.",
    ),
  ],
  setup: async ({ home }, workspace) => {
    await writePictures(workspace);
    // The harness's model is text-only and without reasoning: declare both for this session.
    const path = `${home}/.casr-smoke/openclaw.json`;
    const config = JSON.parse(await Deno.readTextFile(path));
    for (const model of config.models.providers.mock.models) {
      model.reasoning = true;
      model.input = ["text", "image"];
    }
    await Deno.writeTextFile(path, JSON.stringify(config, null, 2) + "\n");
  },
  notes: [
    "Made offline (`agent --local`; the mock model declared with `reasoning: true` and image",
    "input): `reasoning_content`; `false` (`(Command exited with code 1)`, no error flag) and",
    "the `seq` output. On resume OpenClaw sends each earlier prompt behind a time envelope",
    "(`[Sun 2026-12-06 06:10 UTC] …`, not stored; left out of `expected`, like the",
    "`Runtime: agent=main | …` line it may add). The cut-off turn: the run ended while",
    '`tail -f /dev/null` ran and no result was stored; on resume OpenClaw inserts "[openclaw]',
    "missing tool result in session history; inserted synthetic error result …\" (casr's",
    "reader now adds it too). In another run `exec` handed the same command back as a",
    "background session (`Command still running (session …)`) instead. Not made: images (`read`",
    "of `pixel.png` works, but on resume the picture comes as a separate user message",
    "`Image(s) from tool result #1 (read):`, which casr's reader does not reproduce, so the step",
    "is left out), a custom command, a compaction, a subagent and a queued prompt (not tried;",
    "`--message` takes one prompt per run).",
  ],
};
