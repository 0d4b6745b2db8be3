/**
 * The real-CLI proof of context budgets: a 2-million-token Codex session is
 * converted by `casr cc resume … --json` (default budget) and resumed in the
 * pinned real Claude Code CLI against the mock model API. The run passes only
 * if the request Claude Code sent to its model
 *
 * - starts with the session's first user message (the goal),
 * - carries every turn casr kept, in order, tool calls paired with results,
 *   and none of the turns casr dropped,
 * - ends with the new prompt, and
 * - is under Claude Code's context window (counted with the same estimator
 *   casr used, over the whole request body: system prompt and tools included).
 *
 * Usage: `deno task bigresume [--keep] [--tokens N] [--timeout SECONDS]`.
 * Artifacts (casr's JSON, Claude Code's output, the request, the report) go to
 * `smoke-runs/bigresume-<timestamp>/`.
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  contextWindowFor,
  createContext,
  createTokenEstimator,
  getProvider,
  type Session,
} from "../mod.ts";
import { GOAL_MARKER, turnMarker, writeBigSession } from "./big_session.ts";
import { claudeCode } from "./smoke/cli_claude.ts";
import { cliEnv, ensureInstalled, registryEnv } from "./smoke/cli_install.ts";
import { startMockServer } from "./smoke/mock_server.ts";
import { checkResumedHistory, type ExpectedTurn, lintWireConstraints } from "./smoke/checks.ts";
import { killProcessesWithHome, runBounded } from "./smoke/process.ts";
import { removeIfExists, runStamp, tailLines } from "./smoke/fs_utils.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PROMPT = "casr bigresume: reply OK";

/** The turns of the written session a resumed request must carry, in order. */
function expectedTurns(session: Session): ExpectedTurn[] {
  const out: ExpectedTurn[] = [];
  for (const m of session.messages) {
    if (m.role === "user" && m.text.trim() !== "") out.push({ role: "user", text: m.text });
    if (m.role === "assistant" && (m.text.trim() !== "" || m.toolCalls.length > 0)) {
      out.push({
        role: "assistant",
        text: m.text.trim(),
        toolCalls: m.toolCalls.map((c) => {
          const command = (c.input as { command?: unknown }).command;
          return {
            name: c.name,
            command: Array.isArray(command) ? String(command.at(-1)) : String(command ?? ""),
          };
        }),
      });
    }
    for (const r of m.toolResults) {
      out.push({ role: "tool", text: r.output.trim().slice(0, 200) });
    }
  }
  return out;
}

/** The Deno cache of this process, so the casr subprocess (with a throwaway HOME) reuses it. */
function denoDir(): string {
  const explicit = Deno.env.get("DENO_DIR");
  if (explicit !== undefined && explicit !== "") return explicit;
  const cache = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache`;
  return `${cache}/deno`;
}

function markers(text: string): Set<string> {
  return new Set(text.match(/TURN-\d{4}/g) ?? []);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      keep: { type: "boolean", default: false },
      tokens: { type: "string", default: "2050000" },
      timeout: { type: "string", default: "300" },
    },
  });
  const runDir = `${ROOT}/smoke-runs/bigresume-${runStamp()}`;
  await Deno.mkdir(runDir, { recursive: true });
  const log = (line: string): void => console.log(line);

  log(`installing ${claudeCode.npmPackage}@${claudeCode.version} into .cache/clis …`);
  const install = await ensureInstalled(claudeCode, `${ROOT}/.cache/clis`);
  if (!install.ok) {
    console.error(`FAIL: cannot install Claude Code: ${install.error}`);
    return 1;
  }

  const home = await Deno.makeTempDir({ prefix: "casr-bigresume-" });
  const report: Record<string, unknown> = { runDir, home };
  try {
    const ctx = createContext({ homeDir: home, env: { HOME: home }, cwd: home });
    log("writing the big Codex session …");
    const big = await writeBigSession(ctx, "codex", { tokens: Number(values.tokens) });
    Object.assign(report, {
      source: {
        id: big.id,
        messages: big.session.messages.length,
        turns: big.turns,
        tokens: big.tokens,
        bytes: (await Deno.stat(big.path)).size,
      },
    });
    log(
      `  ${big.id}: ${big.session.messages.length} messages, ${big.turns} turns, ~${big.tokens} tokens`,
    );

    log("casr cc resume --json …");
    const casr = await runBounded(Deno.execPath(), [
      "run",
      "-A",
      "--config",
      `${ROOT}/deno.json`,
      `${ROOT}/cli.ts`,
      "cc",
      "resume",
      big.id,
      "--json",
    ], {
      cwd: home,
      env: {
        ...registryEnv(),
        HOME: home,
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        NO_COLOR: "1",
        TZ: "UTC",
        DENO_DIR: denoDir(),
        DENO_NO_UPDATE_CHECK: "1",
      },
      timeoutMs: 300_000,
    });
    await Deno.writeTextFile(`${runDir}/casr.json`, casr.stdout);
    if (casr.code !== 0) {
      console.error(`FAIL: casr exited ${casr.code}: ${tailLines(casr.stdout + casr.stderr)}`);
      return 1;
    }
    const out = JSON.parse(casr.stdout);
    report.budget = out.budget;
    report.warnings = out.warnings;
    const written = await getProvider("claude-code")!.read(out.target.path, ctx);
    const kept = written.session;
    const keptMarkers = markers(kept.messages.map((m) => m.text).join("\n"));
    const allMarkers = Array.from({ length: big.turns }, (_, i) => turnMarker(i + 1));
    const droppedMarkers = allMarkers.filter((m) => !keptMarkers.has(m));
    log(
      `  budget: ~${out.budget.tokensBefore} → ~${out.budget.tokensAfter} tokens ` +
        `(${out.budget.exchangesDropped} exchanges, ${out.budget.messagesDropped} messages, ` +
        `${out.budget.toolOutputsElided} tool outputs cut); ${keptMarkers.size} of ${big.turns} turns kept`,
    );

    const cwd = out.resume.cwd ?? big.session.workspace;
    await Deno.mkdir(cwd, { recursive: true });
    const mock = await startMockServer({ logPath: `${runDir}/requests.jsonl` });
    let result;
    const context = { home, baseUrl: mock.url };
    try {
      await claudeCode.prepareHome(context);
      const args = await claudeCode.resumeArgs(out.target.sessionId, PROMPT, context);
      log(`claude ${args.join(" ")} (in ${cwd}) …`);
      result = await runBounded(install.cli.binPath, args, {
        cwd,
        env: cliEnv(claudeCode, context),
        timeoutMs: Number(values.timeout) * 1000,
      });
    } finally {
      await mock.close();
    }
    await Deno.writeTextFile(`${runDir}/claude.stdout`, result.stdout);
    await Deno.writeTextFile(`${runDir}/claude.stderr`, result.stderr);

    const problems: string[] = [];
    const carrying = mock.turns().find((t) =>
      claudeCode.historyFromRequest(t.body).some((turn) =>
        turn.role === "user" && turn.text.includes(PROMPT)
      )
    );
    if (carrying === undefined) {
      problems.push(
        `no request carried the prompt (${mock.requests.length} request(s); claude exited ${result.code}: ${
          tailLines(result.stderr + result.stdout, 4)
        })`,
      );
    } else {
      const history = claudeCode.historyFromRequest(carrying.body);
      const first = history[0];
      if (first?.role !== "user" || !first.text.includes(GOAL_MARKER)) {
        problems.push(`the first message is not the goal: ${first?.text.slice(0, 80)}`);
      }
      const check = checkResumedHistory(history, expectedTurns(kept), PROMPT);
      problems.push(...check.problems.slice(0, 10));
      problems.push(...lintWireConstraints("anthropic", history));
      const sent = markers(history.map((t) => t.text).join("\n"));
      const missing = [...keptMarkers].filter((m) => !sent.has(m));
      const leaked = droppedMarkers.filter((m) => sent.has(m));
      if (missing.length > 0) problems.push(`kept turns missing: ${missing.join(", ")}`);
      if (leaked.length > 0) problems.push(`dropped turns sent anyway: ${leaked.join(", ")}`);
      const estimator = await createTokenEstimator(contextWindowFor("claude-code").family);
      const requestText = JSON.stringify(carrying.body);
      const requestTokens = estimator.count(requestText);
      const window = contextWindowFor("claude-code").window;
      if (requestTokens >= window) {
        problems.push(`the request is ~${requestTokens} tokens, not under the ${window} window`);
      }
      Object.assign(report, {
        request: {
          bytes: new TextEncoder().encode(requestText).length,
          tokens: requestTokens,
          estimator: estimator.name,
          window,
          turns: history.length,
          toolCalls: history.reduce((n, t) => n + t.toolCalls.length, 0),
          turnMarkers: sent.size,
          firstUser: first?.text.slice(0, 120),
        },
        keptTurns: keptMarkers.size,
        droppedTurns: droppedMarkers.length,
        requests: mock.requests.length,
        claudeExit: result.code,
      });
      log(
        `  the mock got ${history.length} turns (${sent.size} turn markers, ` +
          `${report.request && (report.request as { toolCalls: number }).toolCalls} tool calls), ` +
          `~${requestTokens} tokens in the whole request (window ${window})`,
      );
    }
    report.problems = problems;
    report.ok = problems.length === 0;
    await Deno.writeTextFile(`${runDir}/report.json`, JSON.stringify(report, null, 2) + "\n");
    if (problems.length > 0) {
      console.error(`FAIL (${runDir}):\n  ${problems.join("\n  ")}`);
      return 1;
    }
    log(`PASS: Claude Code resumed the budgeted session; report in ${runDir}/report.json`);
    return 0;
  } finally {
    await killProcessesWithHome(home);
    if (!values.keep) await removeIfExists(home);
  }
}

if (import.meta.main) Deno.exit(await main());
