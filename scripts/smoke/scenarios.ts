/**
 * The fixture scenarios: what the user types on each turn, which shell tool calls the scripted
 * mock model makes in reply, and which text each command's result must contain. Every real CLI
 * plays every scenario (`--fixtures`), so `fixtures/` holds one genuine session per CLI and
 * scenario.
 *
 * @module
 */

import type { Turn } from "./history.ts";
import { defaultScript, type MockScript } from "./mock_server.ts";
import type { MockReply } from "./wire_replies.ts";

/** Scenario ids, in manifest order. */
export const SCENARIO_IDS = ["basic", "multi-tool", "messy"] as const;

/** A scenario id. */
export type ScenarioId = typeof SCENARIO_IDS[number];

/** One shell command a scenario runs and the text its result must contain. */
export interface ScenarioCommand {
  /** The command line. */
  command: string;
  /** Text the tool result carries when the CLI really ran the command. */
  resultToken: string;
  /** The command is expected to fail (non-zero exit). @default false */
  fails?: boolean;
}

/** One user turn of a scenario. */
export interface ScenarioTurn {
  /** The prompt the user sends (the first starts a session, the others resume it). */
  prompt: string;
  /**
   * The tool-call replies the mock makes before its text answer, in order; each inner list
   * is ONE model reply (several entries: parallel calls).
   */
  toolReplies: string[][];
}

/** A fixture scenario. */
export interface Scenario {
  /** Id recorded in the manifest (`scenario`). */
  id: ScenarioId;
  /** One-line summary for the README. */
  summary: string;
  /** The user turns, in order. */
  turns: ScenarioTurn[];
  /** Every command the mock asks for, with its result token. */
  commands: ScenarioCommand[];
  /**
   * Text found in the transcript after the first run, and text found only once the last
   * turn is in (as the CLI writes it, JSON-escaped or not): they pick the session file.
   */
  markers: readonly [string, string];
  /** Markdown paragraphs (lines) describing the scenario for `fixtures/README.md`. */
  readme: string[];
  /**
   * The mock's reply script.
   *
   * @param parallel Make the calls of one reply together (`false`: one call per reply).
   */
  script(parallel: boolean): MockScript;
}

/** The shell command of the basic scenario; its output token is checked. */
export const FIXTURE_COMMAND = "echo casr-fixture";

/** The two user prompts of the basic scenario. */
export const FIXTURE_PROMPTS: readonly [string, string] = [
  `Please run the shell command \`${FIXTURE_COMMAND}\` and tell me what it printed.`,
  [
    "Thanks! Unicode check: héllo wörld — 日本語 ✓",
    "Markdown trap:",
    "```sh",
    'echo "inside a fence"',
    "```",
    "# a line that starts with a hash",
    "Reply briefly.",
  ].join("\n"),
];

/** Basic: one tool call, then a resumed turn with unicode and a markdown trap. */
export const BASIC: Scenario = {
  id: "basic",
  summary: "one tool call, then a resumed turn with unicode and a markdown trap",
  turns: [
    { prompt: FIXTURE_PROMPTS[0], toolReplies: [[FIXTURE_COMMAND]] },
    { prompt: FIXTURE_PROMPTS[1], toolReplies: [] },
  ],
  commands: [{ command: FIXTURE_COMMAND, resultToken: "casr-fixture" }],
  markers: ["casr-fixture", "日本語"],
  readme: [
    "Two user turns: the first asks the model to run a shell command (the mock answers with a",
    `real tool call, \`${FIXTURE_COMMAND}\`, the CLI runs it and sends the result, the mock`,
    "answers with text); the second is sent by resuming the session and contains unicode and",
    "a markdown trap (a fenced code block and a line starting with `#`).",
  ],
  script: () => defaultScript,
};

/** Multi-line output of the first parallel call. */
export const MULTI_OK = "printf 'line one\\nline two\\n'";
/** The failing command of the parallel pair. */
export const MULTI_FAIL = "ls /definitely-not-here-casr";
/** The single call of turn 2. */
export const MULTI_SECOND = "echo second-turn";

/** The three user prompts of the multi-tool scenario. */
export const MULTI_PROMPTS: readonly [string, string, string] = [
  `Please run these two shell commands at the same time: \`${MULTI_OK}\` and ` +
  `\`${MULTI_FAIL}\`. Tell me what each one printed.`,
  `One more: run \`${MULTI_SECOND}\` and tell me its output.`,
  [
    "Last check 🚀 with tricky text.",
    "/help is plain text on this line, not a command",
    "Prose with an <example>tag-like</example> span inside.",
    "| command | outcome |",
    "| --- | --- |",
    "| printf | two lines |",
    "| ls | failed |",
    "Answer with a code block.",
  ].join("\n"),
];

/**
 * The scripted replies of one scenario: for the newest scenario prompt in the history, make its
 * tool-call replies in order (counting the calls already answered after it), then answer text.
 */
function turnScript(
  turns: readonly ScenarioTurn[],
  parallel: boolean,
  finalText: (turn: number, n: number) => string,
): MockScript {
  return (context) => {
    const n = context.turnIndex + 1;
    const history: Turn[] = context.history;
    let at = -1;
    let turnNo = -1;
    for (let i = history.length - 1; i >= 0 && at === -1; i--) {
      const entry = history[i] as Turn;
      if (entry.role !== "user") continue;
      const found = turns.findIndex((turn) => entry.text.includes(turn.prompt));
      if (found !== -1) {
        at = i;
        turnNo = found;
      }
    }
    const turn = turns[turnNo];
    if (turn === undefined) return { text: `OK from mock #${n}` };
    const done = history.slice(at + 1)
      .reduce((sum, entry) => sum + (entry.role === "assistant" ? entry.toolCalls.length : 0), 0);
    const replies = parallel ? turn.toolReplies : turn.toolReplies.flat().map((c) => [c]);
    let calls = 0;
    for (const commands of replies) {
      if (done === calls) {
        const what = commands.map((command) => `\`${command}\``).join(" and ");
        const reply: MockReply = {
          text: `Mock #${n}: running ${what} now.`,
          shellCommands: commands,
        };
        return reply;
      }
      calls += commands.length;
    }
    return { text: finalText(turnNo, n) };
  };
}

/**
 * Multi-tool: two tool calls in one model reply (one with multi-line output, one that fails),
 * a resumed turn with one more call, and a resumed turn with tricky text.
 */
export const MULTI_TOOL: Scenario = {
  id: "multi-tool",
  summary: "two parallel tool calls (one fails), a resumed tool call, a resumed tricky prompt",
  turns: [
    { prompt: MULTI_PROMPTS[0], toolReplies: [[MULTI_OK, MULTI_FAIL]] },
    { prompt: MULTI_PROMPTS[1], toolReplies: [[MULTI_SECOND]] },
    { prompt: MULTI_PROMPTS[2], toolReplies: [] },
  ],
  commands: [
    { command: MULTI_OK, resultToken: "line one\nline two" },
    { command: MULTI_FAIL, resultToken: "No such file or directory", fails: true },
    { command: MULTI_SECOND, resultToken: "second-turn" },
  ],
  markers: ["definitely-not-here-casr", "tag-like"],
  readme: [
    "Three user turns. Turn 1 asks for two shell commands; the mock answers with TWO tool",
    `calls in ONE model reply (parallel calls in the wire's native form): \`${MULTI_OK}\``,
    `(multi-line output) and \`${MULTI_FAIL}\` (fails with exit code 2); the`,
    "CLI runs both and sends both results, the mock answers with text. Turn 2 (resume): one",
    `more tool call, \`${MULTI_SECOND}\`, then text. Turn 3 (resume): a prompt with an emoji`,
    "outside the BMP (🚀), a line starting with `/` in the middle, an XML-ish `<example>` tag",
    "in prose and a markdown table; the mock answers with a fenced code block.",
  ],
  script: (parallel) =>
    turnScript(
      MULTI_TOOL.turns,
      parallel,
      (turn, n) =>
        turn === 2
          ? `OK from mock #${n}: here it is.\n\`\`\`ts\nconst rocket = "🚀"; // <example/>\n\`\`\`\nDone.`
          : `OK from mock #${n}: the commands finished.`,
    ),
};

/**
 * Messy: every feature a CLI can make offline (reasoning, images read by a tool and attached by
 * the user, a custom slash command, a compaction and later turns, a subagent, a failed and a
 * huge tool output, an interrupted turn). Each CLI makes them its own way, so the steps live in
 * its plan (`messy_plans.ts`), and the fixture's `expected` is taken from the request the CLI
 * sends when it resumes the finished session itself; `turns`, `commands` and `script` here are
 * not used.
 */
export const MESSY: Scenario = {
  id: "messy",
  summary: "reasoning, images, a custom command, a compaction, a subagent, big and failed output",
  turns: [],
  commands: [],
  markers: ["BIG-00001", "after the interruption"],
  readme: [
    "Each CLI plays its own plan (`scripts/smoke/messy_<cli>.ts`): as many of these as it",
    "can make offline: reasoning in the mock's replies (each token from `mockSignature`), a",
    "PNG read by a tool and a PNG attached by the user, a custom slash command with",
    "arguments, a compaction followed by more turns, a subagent, a failed command with empty",
    "output (`false`), an output over 50 KB (`seq -f 'BIG-%05g' 1 5000`) and a turn cut off",
    "while a command runs. `expected` is NOT the prompts typed: it is the history of the",
    "request the CLI itself sent when it resumed a copy of the finished session with",
    '"casr probe: reply OK" (injected `<system-reminder>` blocks left out), with the number of',
    "images each user turn and tool result carries. What each CLI could and could not make is",
    "listed under [Messy features per CLI](#messy-features-per-cli).",
  ],
  script: () => defaultScript,
};

/** All scenarios, in manifest order. */
export const SCENARIOS: readonly Scenario[] = [BASIC, MULTI_TOOL, MESSY];

/**
 * Looks a scenario up by id.
 *
 * @param id The scenario id.
 * @returns The scenario.
 * @throws {RangeError} When no scenario has that id.
 */
export function scenarioById(id: string): Scenario {
  const found = SCENARIOS.find((scenario) => scenario.id === id);
  if (found === undefined) {
    throw new RangeError(
      `Cannot find scenario "${id}": expected one of ${SCENARIO_IDS.join(", ")}`,
    );
  }
  return found;
}
