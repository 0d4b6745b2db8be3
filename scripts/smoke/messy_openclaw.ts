/**
 * How OpenClaw 2026.9.6 makes a messy session offline (`agent --local`): reasoning
 * (`reasoning_content`; the mock model is declared with `reasoning: true`), an automatic
 * compaction (a reply reporting more tokens than the window), a failing and a huge `exec`
 * output, a PNG read by `read`, and a turn cut off while its command runs (`exec`'s
 * backgrounding is pushed past the harness's cut).
 *
 * @module
 */

import { openClawCli } from "./cli_openclaw.ts";
import { FIXTURE_WORKSPACE } from "./fixture_paths.ts";
import { MESSY_SUMMARY } from "./messy.ts";
import {
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
import type { ScriptContext } from "./mock_server.ts";

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

/** Whether a side request asks for OpenClaw's compaction summary. */
function isCompaction(context: ScriptContext): boolean {
  const last = context.history.findLast((turn) => turn.role === "user");
  return last !== undefined && /summar/i.test(last.text);
}

/** OpenClaw's messy plan. */
export const OPENCLAW_MESSY: MessyPlan = {
  provider: "openclaw",
  markers: ["before-compact", "carry on after the interruption"],
  tokens: [
    "BIG-00001",
    "BIG-05000",
    "before-compact",
    "Command exited with code 1",
    "Command still running",
  ],
  turns: [
    {
      key: "Messy step zero",
      replies: [{
        text: "",
        reasoning: "A command before the summary.",
        shellCommands: [BEFORE_COMPACT_COMMAND],
      }],
      // Over the 128,000-token window: OpenClaw compacts before the next run's prompt.
      final: {
        text: "It printed before-compact.",
        reasoning: "The command ran.",
        inputTokens: 200_000,
      },
    },
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
      key: "Messy step three",
      replies: [{ text: "Starting the slow command.", shellCommands: [SLOW_COMMAND] }],
      final: { text: "The slow command finished (it should not)." },
    },
    CARRY_ON_TURN,
  ],
  steps: [
    step(
      "new: a command; the last reply reports 200,000 input tokens (compaction)",
      `Messy step zero: run \`${BEFORE_COMPACT_COMMAND}\`.`,
    ),
    step(
      "resume: a failing command and a 65 KB output, with reasoning",
      `Messy step one: run \`${FAIL_COMMAND}\`, then \`${BIG_COMMAND}\`.`,
    ),
    step(
      "resume: read of a PNG",
      `Messy step two: open ${TOOL_PNG_NAME} with your file reading tool.`,
    ),
    {
      ...step(
        "resume: a turn cut off while its command runs",
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
    // The harness's model is without reasoning: declare it for this session.
    const path = `${home}/.casr-smoke/openclaw.json`;
    const config = JSON.parse(await Deno.readTextFile(path));
    for (const model of config.models.providers.mock.models) model.reasoning = true;
    // `exec` hands a command still running after 10 s back as a background session: wait
    // longer, so that the harness's cut (20 s) ends the run while the command runs.
    config.tools = { ...config.tools, exec: { ...config.tools?.exec, backgroundMs: 120_000 } };
    await Deno.writeTextFile(path, JSON.stringify(config, null, 2) + "\n");
  },
  sideText: (context) => isCompaction(context) ? MESSY_SUMMARY : undefined,
  notes: [
    "Made offline (`agent --local`; the mock model declared with `reasoning: true`):",
    "`reasoning_content`, sent again. A compaction: the first run's last reply reports 200,000",
    "input tokens (window 128,000); the next run first has a memory-flush turn in an internal",
    "session of its own (not in this one), then asks for a summary in a side request and stores",
    'a `compaction` entry; on resume OpenClaw sends the summary as a user message ("The',
    "conversation history before this point was compacted into the following summary:",
    '<summary>…</summary>"), then the reply it kept. `false` (`(Command exited with code 1)`, no',
    "error flag); the `seq` output, which OpenClaw stores cut to 32 KB (`[... 18080 more",
    "characters truncated …]`; rows this big are zstd-compressed in `event_zstd`). `read` of",
    "`pixel.png`: the image is stored in the tool result, and on the Chat Completions wire",
    "OpenClaw sends it in a user message after the run of tool results, `Image(s) from tool",
    "result #1 (read):` plus the image (the harness counts it as the result's image, like Pi's;",
    "casr's reader keeps it on the result). On resume OpenClaw sends each earlier prompt behind",
    "a time envelope (`[Sun 2026-12-06 06:10 UTC] …`, not stored; left out of `expected`, like",
    "the `Runtime: agent=main | …` line it adds to the first user message). The cut-off turn:",
    "with `tools.exec.backgroundMs: 120000` (by default `exec` hands a command still running",
    "after 10 s back as a background session, `Command still running (session …)`), the",
    "harness kills the run 20 s into `tail -f /dev/null`; no result is stored, and on resume",
    'OpenClaw inserts "[openclaw] missing tool result in session history; inserted synthetic',
    "error result …\" (casr's reader adds it too). Into Gemini CLI: Gemini CLI's own routing",
    "side request (numerical classifier: the last 8 contents from the first that is neither a",
    "function response nor an all-`functionCall` model turn) starts with a model turn holding",
    "a text and a call whenever the window begins at such a turn after a function response;",
    "the real API refuses that (400). It happened with a first version of this plan and",
    "happens with Gemini CLI's own sessions of that shape",
    "(`scripts/smoke/gemini_routing_probe.ts`); here the window starts at a prompt. Not made:",
    'an attached image (`agent` has no attachment option), a custom command ("Slash commands',
    'cannot be executed via --message"; `/compact` too, and `sessions compact` needs a',
    "running Gateway), a subagent (not tried: `sessions_spawn`, a deferred tool behind",
    "`tool_call`, runs subagents under the Gateway, which `agent --local` does not start) and a",
    "queued prompt (`--message` takes one prompt per run).",
  ],
};
