/**
 * Hand-made sample sessions for the writers' tests: one turn in the shape
 * every writer must carry (an optional system message, a prompt, a reply that
 * calls tools, their results, a closing reply), with the details each test
 * asserts on given by the test.
 *
 * @module
 */
import type { Message, Session, ToolCall, ToolResult } from "../types.ts";

/** Two calls: a free-form shell command and a JSON-input one, with ids casr must keep apart. */
export const SAMPLE_CALLS: readonly ToolCall[] = [
  { id: "call.1", name: "shell", input: "ls" },
  { id: "call_2", name: "bash", input: { command: "false" } },
];

/** Their results: the first succeeded, the second failed. */
export const SAMPLE_RESULTS: readonly ToolResult[] = [
  { callId: "call.1", output: "a.txt", isError: false },
  { callId: "call_2", output: "exit 1", isError: true },
];

/** What a sample session holds; everything not given has a plain default. */
export interface SampleSpec {
  /** The session id; `src` unless told. */
  id?: string;
  /** The provider it claims to come from; `codex` unless told. */
  provider?: string;
  /** The workspace; `/tmp/ws` unless told. */
  workspace?: string;
  /** The title, if any. */
  title?: string;
  /** A system message first, with this text. */
  system?: string;
  /** The system message's time, if it has one. */
  systemTime?: number;
  /** The prompt; `Fix it ✓` unless told. */
  user?: string;
  /** The reply that calls the tools; `Running.` unless told. */
  assistant?: string;
  /** That reply's reasoning, if any. */
  reasoning?: string;
  /** The tool calls of that reply; {@linkcode SAMPLE_CALLS} unless told. */
  calls?: ToolCall[];
  /** Their results, in one tool message; {@linkcode SAMPLE_RESULTS} unless told. */
  results?: ToolResult[];
  /** A second prompt after the results, if any. */
  followUp?: string;
  /** The closing reply; `Done.` unless told. */
  final?: string;
  /** The prompt's time (1 000 unless told); each later message is `step` later. */
  start?: number;
  /** The time between messages; 1 000 ms unless told. */
  step?: number;
}

/**
 * Builds a sample session from its spec.
 *
 * @param spec What it holds.
 * @returns The session, its messages indexed from 0.
 */
export function sampleSession(spec: SampleSpec = {}): Session {
  const messages: Message[] = [];
  const step = spec.step ?? 1_000;
  let time = spec.start ?? 1_000;
  const add = (role: Message["role"], text: string, extra: Partial<Message>): void => {
    messages.push({ index: messages.length, role, text, toolCalls: [], toolResults: [], ...extra });
  };
  if (spec.system !== undefined) {
    add("system", spec.system, spec.systemTime === undefined ? {} : { timestamp: spec.systemTime });
  }
  add("user", spec.user ?? "Fix it ✓", { timestamp: time });
  const reasoning = spec.reasoning === undefined ? {} : { reasoning: spec.reasoning };
  const toolCalls = structuredClone(spec.calls ?? [...SAMPLE_CALLS]);
  add("assistant", spec.assistant ?? "Running.", {
    ...reasoning,
    toolCalls,
    timestamp: time += step,
  });
  const toolResults = structuredClone(spec.results ?? [...SAMPLE_RESULTS]);
  add("tool", "", { toolResults, timestamp: time += step });
  if (spec.followUp !== undefined) add("user", spec.followUp, { timestamp: time += step });
  add("assistant", spec.final ?? "Done.", { timestamp: time += step });
  return {
    id: spec.id ?? "src",
    provider: spec.provider ?? "codex",
    workspace: spec.workspace ?? "/tmp/ws",
    ...(spec.title === undefined ? {} : { title: spec.title }),
    metadata: {},
    messages,
  };
}

/**
 * A hand-made message: no tool calls or results unless `extra` gives them;
 * index 0 until {@linkcode testSession} places it.
 *
 * @param role Its role.
 * @param text Its text.
 * @param extra Any other fields.
 * @returns The message.
 */
export function testMessage(
  role: Message["role"],
  text: string,
  extra: Partial<Message> = {},
): Message {
  return { index: 0, role, text, toolCalls: [], toolResults: [], ...extra };
}

/**
 * A hand-made session of these messages, indexed in order.
 *
 * @param messages The messages.
 * @param head Its id (`hand-made` unless told), provider (`codex` unless told), workspace, title.
 * @returns The session.
 */
export function testSession(
  messages: readonly Message[],
  head: { id?: string; provider?: string; workspace?: string; title?: string } = {},
): Session {
  return {
    id: head.id ?? "hand-made",
    provider: head.provider ?? "codex",
    ...(head.workspace === undefined ? {} : { workspace: head.workspace }),
    ...(head.title === undefined ? {} : { title: head.title }),
    metadata: {},
    messages: messages.map((m, index) => ({ ...m, index })),
  };
}

/**
 * The "Run it" sample two writers' tests share: a fenced shell prompt, a
 * reply with two calls whose results are `a\nb` (ok) and `boom` (an error),
 * and a closing reply with non-ASCII text.
 *
 * @param calls The reply's two calls; the results answer them in order.
 * @param spec Anything else to set (a system message, reasoning, …).
 * @returns The session.
 */
export function runItSample(calls: [ToolCall, ToolCall], spec: SampleSpec = {}): Session {
  return sampleSession({
    id: "src-1",
    title: "Sample",
    user: "Run it ✓\n```sh\nls\n```",
    calls,
    results: [
      { callId: calls[0].id, output: "a\nb", isError: false },
      { callId: calls[1].id, output: "boom", isError: true },
    ],
    final: "Done — 日本語",
    start: 1_767_000_000_000,
    ...spec,
  });
}
