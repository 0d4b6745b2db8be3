/**
 * How OpenCode 1.18.33 makes a messy session offline: thinking with signatures, an automatic
 * compaction after a reply that reports 5M input tokens, a failing and a huge `bash` output, a
 * PNG read by `read`, a PNG attached with `run -f`, a custom command through `run --command`,
 * a subagent through `task`, and a turn cut off while a command runs.
 *
 * @module
 */

import { OPENCODE_MODEL, promptWords } from "./cli_opencode.ts";
import { FIXTURE_WORKSPACE } from "./fixture_paths.ts";
import { pathExists } from "./fs_utils.ts";
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
  SUBAGENT_TASK_TURN,
  TOOL_PNG_NAME,
  writePictures,
} from "./messy_plan.ts";
import type { ScriptContext } from "./mock_server.ts";

/** `opencode run` on the session (or a new one) with extra options before the prompt. */
function run(id: string | undefined, prompt: string, extra: string[] = []): string[] {
  const session = id === undefined ? [] : ["--session", id];
  return ["run", "-m", OPENCODE_MODEL, ...session, ...extra, ...promptWords(prompt)];
}

/** A step that types `prompt` (the first step starts the session). */
function step(label: string, prompt: string, extra: string[] = []): MessyStep {
  return { label, prompts: [prompt], args: (id) => run(id, prompt, extra) };
}

/** The summary the mock writes for OpenCode's compaction agent (its Markdown template). */
const OPENCODE_SUMMARY = "## Objective\n- Try every messy feature.\n\n## Important Details\n" +
  "- `echo before-compact` printed before-compact.\n\n## Work State\n### Completed\n- Step one." +
  "\n\n### Active\n- (none)\n\n### Blocked\n- (none)\n\n## Next Move\n1. (none)\n\n" +
  "## Relevant Files\n- (none)";

/** Whether a side request asks OpenCode's compaction agent for a summary. */
function isCompaction(context: ScriptContext): boolean {
  const last = context.history.findLast((turn) => turn.role === "user");
  return last !== undefined && /anchored summary/i.test(last.text);
}

/** OpenCode's messy plan. */
export const OPENCODE_MESSY: MessyPlan = {
  provider: "opencode",
  markers: ["before-compact", "carry on after the interruption"],
  // OpenCode keeps the tail of a long output (the whole of it goes to `tool-output/`).
  tokens: ["BIG-00001", "BIG-05000", "before-compact", "Subagent report"],
  turns: [
    {
      key: "Messy step one",
      replies: [{
        text: "",
        reasoning: "A command before the summary.",
        shellCommands: [BEFORE_COMPACT_COMMAND],
      }],
      // About 5M input tokens: OpenCode compacts the session after this reply.
      final: {
        text: "It printed before-compact.",
        reasoning: "The command ran.",
        inputTokens: 5_000_000,
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
          input: () => ({ filePath: `${FIXTURE_WORKSPACE}/${TOOL_PNG_NAME}` }),
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
          names: ["task"],
          input: () => ({
            description: "Check the workspace",
            prompt: "Subagent task: report on the workspace in one line.",
            subagent_type: "general",
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
      "new: a command, with thinking; the reply reports 5M input tokens (compaction)",
      `Messy step one: run \`${BEFORE_COMPACT_COMMAND}\`.`,
    ),
    // No word of an `opencode run` message may look like a number (it reaches OpenCode as a
    // number and fails `includes`), so this prompt does not spell the commands out.
    step(
      "resume: a failing command and a 65 KB output",
      "Messy step two: run the failing command, then the long listing.",
    ),
    step(
      "resume: read of a PNG",
      `Messy step three: open ${TOOL_PNG_NAME} with your file reading tool.`,
    ),
    step(
      "resume: a PNG attached with run -f",
      "Messy step four: here is an attached picture, what colors?",
      ["-f", `${FIXTURE_WORKSPACE}/${ATTACHED_PNG_NAME}`],
    ),
    {
      label: "resume: custom command with arguments (run --command messy-note alpha beta)",
      prompts: ["/messy-note alpha beta"],
      args: (
        id,
      ) => [
        "run",
        "-m",
        OPENCODE_MODEL,
        "--session",
        id as string,
        "--command",
        "messy-note",
        "--",
        "alpha",
        "beta",
      ],
    },
    step(
      "resume: a subagent (task, general)",
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
    const commands = `${home}/.config/opencode/command`;
    await Deno.mkdir(commands, { recursive: true });
    await Deno.writeTextFile(
      `${commands}/messy-note.md`,
      "---\ndescription: Note something\n---\n" +
        "Messy command expansion for: $ARGUMENTS. Answer in one line.\n",
    );
  },
  extraFiles: async (home) => {
    const dir = `${home}/.local/share/opencode/tool-output`;
    if (!await pathExists(dir)) return [];
    const files = await Array.fromAsync(Deno.readDir(dir));
    return files.filter((entry) => entry.isFile).map((entry) => `${dir}/${entry.name}`).sort();
  },
  sideText: (context) => isCompaction(context) ? OPENCODE_SUMMARY : undefined,
  notes: [
    "Made offline: `thinking` with a signature, sent again. Compaction: the first turn's last",
    "reply reports 5M input tokens, and in the same run OpenCode asks its compaction agent",
    '(a side request: "Create a new anchored summary …" with a Markdown template) and',
    'stores the summary as the reply to a synthetic user turn "What did we do so far?", then',
    'adds a synthetic "Continue if you have next steps…" user turn with its own reply; on',
    "resume all of these are sent, the first turn is not. `false` gives `(no output)` (no",
    "error flag); of the `seq` output OpenCode sends only the tail (`...output truncated...`,",
    "the path of the whole output, saved in `tool-output/`, which is part of the fixture).",
    "`read` of `pixel.png` gives a text plus an image part; `run -f attached.png` gives a",
    'synthetic "Called the Read tool with the following input: …" text, the image, then the',
    "prompt, in one user message. `run --command messy-note alpha beta`",
    "(`~/.config/opencode/command/messy-note.md`, `$ARGUMENTS`): only the expansion is sent.",
    "A subagent: `task` with `subagent_type: general` runs a child session (its own",
    "`session` row with `parent_id`, in the same database). The interrupted turn: the harness",
    "kills `opencode` 20 s into `tail -f /dev/null`; the call's result becomes",
    '"[Tool execution was interrupted]" with an error flag. Prompts are typed without words',
    "that look like numbers (`opencode run` passes them on as numbers and fails). Not made: a",
    "queued prompt (`run` takes one message per run).",
  ],
};
