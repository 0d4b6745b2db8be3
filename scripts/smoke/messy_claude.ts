/**
 * How Claude Code 2.1.331 makes a messy session offline: thinking with signatures, a failing
 * and a huge Bash output, a PNG read by `Read`, a PNG attached through stream-json input (with
 * a second, queued message), a custom slash command, a foreground subagent, `/compact` and
 * more turns, and a turn cut off while a command runs.
 *
 * @module
 */

import { pathExists } from "./fs_utils.ts";
import { MESSY_SUMMARY } from "./messy.ts";
import { FIXTURE_WORKSPACE } from "./fixture_paths.ts";
import {
  ATTACHED_PNG,
  base64,
  BEFORE_COMPACT_COMMAND,
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

const TOOLS = ["--allowedTools", "Bash,Read,Agent,Task"];

/** A step that types `prompt` (`claude -p`, with `--resume` after the first), tools allowed. */
function step(label: string, prompt: string): MessyStep {
  return {
    label,
    prompts: [prompt],
    args: (id) => ["-p", ...(id === undefined ? [] : ["--resume", id]), prompt, ...TOOLS],
  };
}

/** The prompt sent with the attached picture, and the one queued behind it. */
const ATTACHED_PROMPT = "Messy step four: here is an attached picture, what colors?";
const QUEUED_PROMPT = "Messy step four, queued note: one more thing.";

/** Claude Code's summary request asks for this. */
const COMPACT_KEY = "summary of the conversation";

function streamJsonMessage(content: unknown[]): string {
  return JSON.stringify({ type: "user", message: { role: "user", content } });
}

/** Claude Code's messy plan. */
export const CLAUDE_MESSY: MessyPlan = {
  provider: "claude-code",
  markers: ["before-compact", "carry on after the interruption"],
  tokens: ["BIG-00001", "Exit code 137", "Exit code 1", "before-compact", "Subagent report"],
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
    { key: COMPACT_KEY, replies: [], final: { text: MESSY_SUMMARY } },
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
      key: "attached picture",
      replies: [],
      final: {
        text: "The attached picture is green with a red diagonal.",
        reasoning: "An image came with the prompt.",
      },
    },
    { key: "queued note", replies: [], final: { text: "Noted the queued message." } },
    COMMAND_EXPANSION_TURN,
    {
      key: "Messy step six",
      replies: [{
        text: "Asking a subagent.",
        tools: [{
          names: ["Agent", "Task"],
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
      key: "Messy step seven",
      replies: [{ text: "Starting the slow command.", shellCommands: [SLOW_COMMAND] }],
      final: { text: "The slow command finished (it should not)." },
    },
    CARRY_ON_TURN,
  ],
  steps: [
    step("new: a command, with thinking", `Messy step one: run \`${BEFORE_COMPACT_COMMAND}\`.`),
    step("resume: /compact", "/compact"),
    step(
      "resume: a failing command and a 65 KB output, with thinking",
      `Messy step two, after the summary: run \`${FAIL_COMMAND}\`, then \`${BIG_COMMAND}\`.`,
    ),
    step(
      "resume: Read of a PNG",
      `Messy step three: open ${TOOL_PNG_NAME} with your file reading tool.`,
    ),
    {
      label: "resume: a PNG attached through stream-json, then a queued second message",
      prompts: [ATTACHED_PROMPT, QUEUED_PROMPT],
      args: (id) => [
        "-p",
        "--resume",
        id as string,
        "--input-format",
        "stream-json",
        "--output-format",
        "stream-json",
        "--verbose",
        ...TOOLS,
      ],
      stdin: [
        streamJsonMessage([
          { type: "text", text: ATTACHED_PROMPT },
          {
            type: "image",
            source: { type: "base64", media_type: "image/png", data: base64(ATTACHED_PNG) },
          },
        ]),
        streamJsonMessage([{ type: "text", text: QUEUED_PROMPT }]),
      ].join("\n") + "\n",
    },
    step("resume: custom slash command with arguments", "/messy-note alpha beta"),
    step(
      "resume: a foreground subagent (Agent, run_in_background: false)",
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
  setup: async ({ home }, workspace) => {
    await writePictures(workspace);
    const commands = `${home}/.claude/commands`;
    await Deno.mkdir(commands, { recursive: true });
    await Deno.writeTextFile(
      `${commands}/messy-note.md`,
      "---\ndescription: Note something\n---\n" +
        "Messy command expansion for: $ARGUMENTS. Answer in one line.\n",
    );
  },
  sideText: (context) => {
    const last = context.history.findLast((turn) => turn.role === "user");
    return last?.text.includes(COMPACT_KEY) === true ? MESSY_SUMMARY : undefined;
  },
  extraFiles: async (_home, transcript) => {
    // `<session>/subagents/` and `<session>/tool-results/` sit next to the transcript.
    const dir = transcript.slice(0, -".jsonl".length);
    if (!await pathExists(dir)) return [];
    const out: string[] = [];
    const walk = async (path: string): Promise<void> => {
      for await (const entry of Deno.readDir(path)) {
        if (entry.isDirectory) await walk(`${path}/${entry.name}`);
        else if (entry.isFile) out.push(`${path}/${entry.name}`);
      }
    };
    await walk(dir);
    return out.sort();
  },
  notes: [
    "Made offline, all of them. Thinking blocks with a `mockSignature` signature (sent again",
    "with their signatures on resume). `/compact` right after the first turn: the summary is",
    "an `isCompactSummary` user record, and on resume the CLI sends it, then the last",
    "assistant reply before the boundary, then the `/compact` command record with its stdout;",
    "the first turn survives only in the summary, so it is not in `expected`. `false` gives",
    '"Exit code 1" with `is_error`; the `seq` output (48.8 KB) is kept in',
    "`<session>/tool-results/` and sent as `<persisted-output>` with a 2 KB preview. `Read` of",
    "`pixel.png` gives an image block inside the tool_result. `attached.png` is sent through",
    "`--input-format stream-json`: an image block in the user record plus an `isMeta`",
    '"[Image: source: …]" text record; a second stream-json message, sent while the first was',
    "being answered, is a genuine queued prompt (`queue-operation` enqueue before the first",
    "reply, dequeue after it). `/messy-note alpha beta` (`.claude/commands/messy-note.md`,",
    "`$ARGUMENTS`) is a `<command-name>` record plus an `isMeta` record with the expansion,",
    "both sent. `Agent` with `run_in_background: false` runs in the foreground; the subagent's",
    "transcript is in `<session>/subagents/`, its result starts `[Subagent hand-back]`. The",
    "interrupted turn: the harness kills `claude` 20 s into `tail -f /dev/null` (a standalone",
    '`sleep` is refused by the CLI): the result is "Exit code 137", followed by a synthetic',
    'assistant "No response requested.".',
  ],
};
