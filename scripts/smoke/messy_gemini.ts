/**
 * How Gemini CLI 0.61.0 makes a messy session offline: thought parts with signatures, an
 * automatic compression inside the first turn (the mock reports 900,000 prompt tokens), a
 * failing and a huge shell output, a PNG read by `read_file` and a PNG attached with `@file`,
 * a custom command from `.gemini/commands/`, a subagent through `invoke_agent`, and a turn cut
 * off while a command runs.
 *
 * @module
 */

import { geminiCli } from "./cli_gemini.ts";
import { FIXTURE_WORKSPACE } from "./fixture_paths.ts";
import type { ScriptContext } from "./mock_server.ts";
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

/** The compression summary Gemini CLI asks for. */
export const GEMINI_SNAPSHOT = "<state_snapshot>\n<overall_goal>Try every messy feature." +
  "</overall_goal>\n<key_knowledge>echo printed before-compact.</key_knowledge>\n" +
  "</state_snapshot>";

/** Whether a request is Gemini CLI's compression request. */
function isCompression(context: ScriptContext): boolean {
  return JSON.stringify(context.body).includes("state_snapshot");
}

const CONTEXT = { home: "", baseUrl: "" };

/** A step that types `prompt` (the first step starts the session). */
function step(label: string, prompt: string): MessyStep {
  return {
    label,
    prompts: [prompt],
    args: (id) =>
      id === undefined
        ? geminiCli.newSessionArgs(prompt, CONTEXT)
        : geminiCli.resumeArgs(id, prompt, CONTEXT),
  };
}

/** Gemini CLI's messy plan. */
export const GEMINI_MESSY: MessyPlan = {
  provider: "gemini-cli",
  markers: ["before-compact", "carry on after the interruption"],
  tokens: ["BIG-00001", "Exit Code: 1", "before-compact", "Subagent report"],
  turns: [
    {
      key: "Messy step one",
      replies: [{
        text: "",
        reasoning: "A command before the summary.",
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
          // A huge prompt: Gemini CLI compresses the history before it sends this call's
          // result, in the same run (the count does not survive a resume; with one turn in
          // the history there is nothing to compress).
          inputTokens: 900_000,
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
          names: ["read_file"],
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
      replies: [{
        text: "Asking a subagent.",
        tools: [{
          names: ["invoke_agent"],
          input: () => ({
            agent_name: "generalist",
            prompt: "Subagent task: report on the workspace in one line.",
          }),
          mention: "Subagent task",
        }],
      }],
      final: { text: "The subagent reported back.", reasoning: "The subagent finished." },
    },
    {
      // The subagent ends by calling `complete_task` with its report.
      key: "Subagent task",
      replies: [{
        text: "",
        tools: [{
          names: ["complete_task"],
          input: () => ({
            result: { response: "Subagent report: the workspace holds two pictures." },
          }),
          mention: "Subagent report",
        }],
      }],
      final: { text: "Subagent report: the workspace holds two pictures." },
    },
    {
      key: "Messy step seven",
      replies: [{ text: "Starting the slow command.", shellCommands: [SLOW_COMMAND] }],
      final: { text: "The slow command finished (it should not)." },
    },
    CARRY_ON_TURN,
    { key: "state_snapshot", replies: [], final: { text: GEMINI_SNAPSHOT } },
  ],
  steps: [
    step("new: a command, with thoughts", `Messy step one: run \`${BEFORE_COMPACT_COMMAND}\`.`),
    step(
      "resume: a failing command, a 65 KB output (its call reports 900,000 tokens: compression)",
      `Messy step two: run \`${FAIL_COMMAND}\`, then \`${BIG_COMMAND}\`.`,
    ),
    step(
      "resume: read_file of a PNG",
      `Messy step three: open ${TOOL_PNG_NAME} with your file reading tool.`,
    ),
    step(
      "resume: a PNG attached with @file",
      `@${ATTACHED_PNG_NAME} Messy step four: here is an attached picture, what colors?`,
    ),
    step("resume: custom command with arguments", "/messy-note alpha beta"),
    step(
      "resume: a subagent (invoke_agent generalist)",
      "Messy step six: ask a subagent to check the workspace.",
    ),
    {
      ...step(
        "resume: a turn cut off while its command runs",
        `Messy step seven: run \`${SLOW_COMMAND}\`.`,
      ),
      interruptAfterMs: 15_000,
    },
    step(
      "resume: a turn after the interruption",
      "Messy step eight: carry on after the interruption.",
    ),
  ],
  setup: async ({ home }, workspace) => {
    await writePictures(workspace);
    const commands = `${home}/.gemini/commands`;
    await Deno.mkdir(commands, { recursive: true });
    await Deno.writeTextFile(
      `${commands}/messy-note.toml`,
      'description = "Note something"\n' +
        'prompt = "Messy command expansion for: {{args}}. Answer in one line."\n',
    );
  },
  sideText: (context) => isCompression(context) ? GEMINI_SNAPSHOT : undefined,
  notes: [
    "Made offline: `thought: true` parts with a `thoughtSignature` (stored as `thoughts`, never",
    "sent again). Compression inside a turn: the reply that asks for the `seq` call reports",
    "900,000 prompt tokens, so before sending its result the CLI asks for a `<state_snapshot>`",
    "(a side request without tools) and from then on sends the snapshot as a user turn, a",
    '"Got it. Thanks for the additional context!" model turn, then the turns after the cut.',
    "The count lives in the running process only: reported at the end of a run it does",
    "nothing, and with one turn in the history there is nothing to compress. `false` (`Exit",
    "Code: 1` in the output, no error flag); the `seq` output, which the CLI cuts to its first",
    "8,000 and last 32,000 characters. `read_file` of `pixel.png` gives `inlineData` next to",
    "the functionResponse; `@attached.png` in the prompt gives `inlineData` in the user turn",
    "between `--- Content from referenced files ---` markers. `/messy-note alpha beta` from",
    "`.gemini/commands/messy-note.toml` (`{{args}}`): only the expansion is stored and sent.",
    "A subagent: `invoke_agent` with `generalist`; the subagent's run ends with its",
    "`complete_task` call, and only the call and its result are in the main session. The",
    "interrupted turn: the harness kills `gemini` 15 s into `tail -f /dev/null`; on resume the",
    "CLI sends the model turn without the unanswered call. Not made: a queued prompt (`-p`",
    "takes one prompt per run).",
  ],
};
