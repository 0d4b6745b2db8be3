/**
 * Generates a huge, deterministic coding-agent session (just over 2 million
 * tokens by default) for the context-budget tests and `deno task bigresume`: one goal
 * prompt, then hundreds of turns of user prompts, reasoning, tool calls
 * (parallel ones included) and tool outputs of a few KB each, with a log dump
 * of 100–300 KB every so often. Every user prompt and final answer carries a
 * `TURN-<n>` marker, and the first prompt a goal marker, so a check can tell
 * which turns reached a model.
 *
 * Usage: `deno run -A scripts/big_session.ts --home DIR [--provider codex] [--tokens N] [--seed S]`
 * writes it as a native session of that provider under DIR and prints its id.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  heuristicTokens,
  type Message,
  messageTokens,
  type ProviderContext,
  type Session,
  writeSession,
} from "../mod.ts";
import { rng } from "./gen_corpus.ts";

/** The marker in the first user message. */
export const GOAL_MARKER = "GOAL-7f3a9c";

/** The goal: the first user message of every generated session. */
export const GOAL_TEXT =
  `${GOAL_MARKER}: migrate the billing service from the legacy invoice tables to the new ledger ` +
  "schema, keep every public endpoint working, and leave a short summary of what changed.";

/** Options for {@linkcode bigSession}. */
export interface BigSessionOptions {
  /**
   * Stop adding turns once the conversation reaches this many tokens (Claude
   * heuristic, see `heuristicTokens`).
   *
   * @default {2_050_000}
   */
  tokens?: number;
  /**
   * The PRNG seed.
   *
   * @default {1}
   */
  seed?: number;
  /**
   * The session's workspace.
   *
   * @default {"/tmp/casr-big-project"}
   */
  workspace?: string;
  /**
   * The provider the session claims to come from.
   *
   * @default {"codex"}
   */
  provider?: string;
}

/** A generated session and its size. */
export interface BigSession {
  /** The canonical session. */
  session: Session;
  /** Its tokens by the Claude heuristic. */
  tokens: number;
  /** The number of turns (user prompts after the goal). */
  turns: number;
}

const WORDS = (
  "the a to of and in is it for on that with this as be are at by from or not we " +
  "function return const let import export async await error file test build run type " +
  "invoice ledger billing account balance migrate schema table column index query row " +
  "héllo naïve café → ✓"
).split(" ");

const FILES = [
  "src/billing/invoice.ts",
  "src/billing/ledger.ts",
  "src/billing/api/routes.ts",
  "src/db/migrations/0042_ledger.sql",
  "src/db/schema.ts",
  "tests/billing/ledger_test.ts",
  "docs/billing.md",
];

/** The turn marker, e.g. `TURN-0042`. */
export function turnMarker(n: number): string {
  return `TURN-${String(n).padStart(4, "0")}`;
}

/**
 * Builds the session in memory.
 *
 * @param options Size, seed, workspace.
 * @returns The session, its tokens and turns.
 */
export function bigSession(options: BigSessionOptions = {}): BigSession {
  const target = options.tokens ?? 2_050_000;
  const r = rng(options.seed ?? 1);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const lines = (chars: number, prefix: string): string => {
    const out: string[] = [];
    let size = 0;
    for (let i = 1; size < chars; i++) {
      const line = `${prefix}:${i}: ${words(int(4, 14))}`;
      out.push(line);
      size += line.length + 1;
    }
    return out.join("\n");
  };
  let time = Date.UTC(2026, 9, 1, 9, 0, 0);
  const at = (): number => (time += int(2, 40) * 1000);
  const messages: Message[] = [];
  let tokens = 0;
  const push = (m: Omit<Message, "index">): void => {
    const message = { ...m, index: messages.length } as Message;
    messages.push(message);
    tokens += messageTokens(message, (text) => heuristicTokens(text, "claude"));
  };
  push({ role: "user", text: GOAL_TEXT, timestamp: at(), toolCalls: [], toolResults: [] });
  let turn = 0;
  let callId = 0;
  while (tokens < target) {
    turn++;
    const marker = turnMarker(turn);
    push({
      role: "user",
      text: `${marker} Next step: ${words(int(8, 30))}.`,
      timestamp: at(),
      toolCalls: [],
      toolResults: [],
    });
    for (let step = int(1, 4); step > 0; step--) {
      const parallel = r() < 0.25 ? 2 : 1;
      const calls = Array.from({ length: parallel }, () => {
        const file = pick(FILES);
        const id = `call_${String(++callId).padStart(6, "0")}`;
        return r() < 0.5
          ? { id, name: "shell", input: { command: ["bash", "-lc", `cat ${file}`] } }
          : { id, name: "shell", input: { command: ["bash", "-lc", `rg -n ledger ${file}`] } };
      });
      push({
        role: "assistant",
        text: `Looking at ${words(int(3, 10))}.`,
        reasoning: `${marker} reasoning: ${words(int(30, 80))}`,
        timestamp: at(),
        toolCalls: calls,
        toolResults: [],
      });
      const timestamp = at();
      push({
        role: "tool",
        text: "",
        timestamp,
        toolCalls: [],
        toolResults: calls.map((c) => ({
          callId: c.id,
          // A log dump every 15th turn, otherwise a few KB.
          output: lines(
            turn % 15 === 0 && c === calls[0] ? int(100_000, 300_000) : int(1_000, 12_000),
            c.id,
          ),
          isError: r() < 0.05,
        })),
      });
    }
    push({
      role: "assistant",
      text: `${marker} done: ${words(int(20, 60))}.`,
      timestamp: at(),
      toolCalls: [],
      toolResults: [],
    });
  }
  const workspace = options.workspace ?? "/tmp/casr-big-project";
  return {
    session: {
      id: "big-session",
      provider: options.provider ?? "codex",
      workspace,
      title: GOAL_TEXT,
      startedAt: messages[0]?.timestamp as number,
      endedAt: messages.at(-1)?.timestamp as number,
      messages,
      metadata: {},
    },
    tokens,
    turns: turn,
  };
}

/**
 * Writes a generated session as a native session of `provider` (no budget:
 * this is the oversized source), verified by reading it back.
 *
 * @param ctx Where to write.
 * @param provider The provider id, e.g. `codex`.
 * @param options Size, seed, workspace.
 * @returns The new session's id and path, and the generated session's figures.
 */
export async function writeBigSession(
  ctx: ProviderContext,
  provider: string,
  options: BigSessionOptions = {},
): Promise<BigSession & { id: string; path: string }> {
  const big = bigSession({ ...options, provider });
  const written = await writeSession(ctx, big.session, provider, {
    workspace: big.session.workspace as string,
    now: big.session.endedAt as number,
  });
  return { ...big, id: written.target.sessionId, path: written.target.path };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      home: { type: "string" },
      provider: { type: "string", default: "codex" },
      tokens: { type: "string", default: "2050000" },
      seed: { type: "string", default: "1" },
    },
  });
  if (values.home === undefined) {
    console.error("usage: big_session.ts --home DIR [--provider codex] [--tokens N] [--seed S]");
    Deno.exit(2);
  }
  const home = values.home;
  await Deno.mkdir(home, { recursive: true });
  const written = await writeBigSession(
    { env: { HOME: home }, homeDir: home, cwd: home },
    values.provider,
    { tokens: Number(values.tokens), seed: Number(values.seed) },
  );
  console.log(
    `${written.id} ${written.path} (${written.session.messages.length} messages, ${written.turns} turns, ~${written.tokens} tokens)`,
  );
}
