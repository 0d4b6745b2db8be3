/**
 * How Kimi Code 2.1.0 makes a messy session offline: reasoning (`reasoning_content`), an
 * automatic compaction after a reply that reports more input tokens than the model's window, a
 * failing and a huge `Bash` output, a subagent through `Agent`, and a turn cut off while a
 * command runs.
 *
 * @module
 */

import { kimiCli } from "./cli_kimi.ts";
import { pathExists } from "./fs_utils.ts";
import {
  BEFORE_COMPACT_COMMAND,
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
        ? kimiCli.newSessionArgs(prompt, context)
        : kimiCli.resumeArgs(id, prompt, context),
  };
}

/**
 * The handoff summary the mock writes when Kimi compacts. Kimi sends it as the newest user
 * message of the turn that goes on after the compaction, so it names that turn's key.
 */
const KIMI_SUMMARY = "Handoff summary: `echo before-compact` printed before-compact; " +
  "Messy step two (a failing command, then the long listing) is in progress.";

/** Kimi Code's messy plan. */
export const KIMI_MESSY: MessyPlan = {
  provider: "kimi-code",
  markers: ["before-compact", "carry on after the interruption"],
  // Kimi stores what a result says; on the wire it puts "Wall time: … seconds" before it.
  tokens: [
    "BIG-00001",
    "BIG-05000",
    "before-compact",
    "Subagent report",
    "Command failed with exit code: 1",
    "Session closed",
  ],
  turns: [
    // Kimi's compaction request carries the tools, so the mock answers it as a turn.
    { key: "Create a handoff summary", replies: [], final: { text: KIMI_SUMMARY } },
    // After the compaction Kimi sends step one's and step two's prompts as one user message:
    // step two must be found first.
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
      key: "Messy step one",
      replies: [{
        text: "",
        reasoning: "A command before the summary.",
        shellCommands: [BEFORE_COMPACT_COMMAND],
      }],
      // More than the default 262,144-token window: Kimi compacts the context.
      final: {
        text: "It printed before-compact.",
        reasoning: "The command ran.",
        inputTokens: 300_000,
      },
    },
    {
      key: "Messy step six",
      replies: [{
        text: "Asking a subagent.",
        tools: [{
          names: ["Agent"],
          input: () => ({
            description: "Check the workspace",
            prompt: "Subagent task: report on the workspace in one line.",
            subagent_type: "coder",
          }),
          mention: "Subagent task",
        }],
      }],
      final: { text: "The subagent reported back.", reasoning: "The subagent finished." },
    },
    SUBAGENT_TASK_TURN,
    {
      key: "Messy step seven",
      replies: [{ text: "Starting the slow command.", shellCommands: [SLOW_COMMAND] }],
      final: { text: "The slow command finished (it should not)." },
    },
    CARRY_ON_TURN,
  ],
  steps: [
    step(
      "new: a command, with reasoning; the reply reports 300K input tokens (compaction)",
      `Messy step one: run \`${BEFORE_COMPACT_COMMAND}\`.`,
    ),
    step(
      "resume: a failing command and a 65 KB output",
      `Messy step two: run \`${FAIL_COMMAND}\`, then \`${BIG_COMMAND}\`.`,
    ),
    step(
      "resume: a subagent (Agent, coder)",
      "Messy step six: ask a subagent to check the workspace.",
    ),
    {
      ...step(
        "resume: a turn cut off while its command runs",
        `Messy step seven: run \`${SLOW_COMMAND}\`.`,
      ),
      interruptAfterMs: 20_000,
    },
    step(
      "resume: a turn after the interruption",
      "Messy step eight: carry on after the interruption.",
    ),
  ],
  setup: async (_context, workspace) => {
    await writePictures(workspace);
  },
  extraFiles: async (_home, transcript) => {
    // Each subagent has its own wire next to the main one (`agents/<id>/wire.jsonl`).
    const agents = transcript.replace(/\/main\/wire\.jsonl$/, "");
    const out: string[] = [];
    for await (const entry of Deno.readDir(agents)) {
      const wire = `${agents}/${entry.name}/wire.jsonl`;
      if (entry.isDirectory && entry.name !== "main" && await pathExists(wire)) out.push(wire);
    }
    return out.sort();
  },
  notes: [
    "Made offline: `reasoning_content`. Compaction: the first turn's last reply reports",
    "300,000 input tokens (over the default 262,144-token window), so the next run first asks",
    "for a handoff summary (a request with tools, answered as a turn); from then on Kimi",
    "sends the kept prompts (`keptUserMessageCount`, here step one's and step two's) as ONE",
    'user message joined by a blank line, then the summary inside its own preamble ("The',
    'conversation so far has been compacted…") as a user message; the earlier replies and',
    "tool calls are gone. `false` (`Process exited with code 1 / Command failed with exit",
    "code: 1.`, `isError`) and the `seq` output (Kimi keeps its head). On the wire each result",
    'starts with "Wall time: … seconds", which is not stored. A subagent: `Agent` with',
    "`subagent_type: coder` (its own `agents/agent-0/wire.jsonl`, part of the fixture). The",
    'interrupted turn: killed 20 s into `tail -f /dev/null`, the result becomes "Session',
    'closed" with `isError`. Not made: images (the resumed runs offered no `ReadMediaFile`',
    "tool, and `@attached.png` in `-p` stays text), a custom command (`/skill:<name> args`",
    "with `~/.kimi-code/skills/<name>/SKILL.md` is sent verbatim in `-p`), a queued prompt",
    "(`-p` takes one prompt).",
  ],
};
