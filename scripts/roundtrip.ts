/**
 * `deno task roundtrip`: a user moving one conversation back and forth between agents, with the
 * real CLIs against the strict mock model API, in one throwaway home.
 *
 * 1. Claude Code → Codex → Claude Code → Codex: after each conversion the real target CLI
 *    resumes the session with a new prompt, and the request it sends must carry every earlier
 *    turn, the genuine Claude Code fixture's and each new one.
 * 2. Converting again after the user went on in the target (in Codex, in Claude Code, in Gemini
 *    CLI, each through its real CLI) is refused, and the refusal names the user's new prompt.
 * 3. Converting again after the user went on in the source brings the earlier conversion up to
 *    date (Claude Code → Gemini CLI), and Gemini CLI then sends the new turns too.
 * 4. `casr cc resume <codex id> --exec -- -p <prompt>`: casr converts and starts the real Claude
 *    Code on the verified session itself.
 *
 * Flags: `--keep` (keep the home), `--timeout <seconds>` (per command, default 120).
 * Artifacts go to `smoke-runs/<timestamp>-roundtrip/`. Exits 1 on any failed step.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { violationReason } from "./smoke/api_rules.ts";
import { checkResumedHistory, type ExpectedTurn } from "./smoke/checks.ts";
import { claudeCode } from "./smoke/cli_claude.ts";
import { codex } from "./smoke/cli_codex.ts";
import { geminiCli } from "./smoke/cli_gemini.ts";
import { cliEnv, ensureInstalled } from "./smoke/cli_install.ts";
import type { CliContext, CliDefinition } from "./smoke/cli_types.ts";
import { copyFileWithParents, removeIfExists, runStamp, tailLines } from "./smoke/fs_utils.ts";
import { readManifest } from "./smoke/manifest.ts";
import { type MockServer, startMockServer } from "./smoke/mock_server.ts";
import { killProcessesWithHome, runBounded } from "./smoke/process.ts";

/** What `casr … --json` printed, the parts used here. */
interface CasrJson {
  ok: boolean;
  error?: { code?: string; message?: string; details?: { reason?: string } };
  target?: { sessionId?: string };
  resume?: { cwd?: string };
  update?: { kind?: string };
}

/** One step's verdict. */
interface Step {
  name: string;
  ok: boolean;
  detail: string;
}

function denoDir(): string {
  const explicit = Deno.env.get("DENO_DIR");
  if (explicit) return explicit;
  const cache = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME") ?? "/root"}/.cache`;
  return `${cache}/deno`;
}

/** The round trip's state: one home, one mock, the conversation so far. */
class RoundTrip {
  readonly steps: Step[] = [];
  #log = 0;

  constructor(
    readonly repoRoot: string,
    readonly runDir: string,
    readonly home: string,
    readonly mock: MockServer,
    readonly bins: Map<string, string>,
    readonly timeoutMs: number,
  ) {}

  record(name: string, ok: boolean, detail: string): boolean {
    this.steps.push({ name, ok, detail });
    console.log(`${ok ? "PASS" : "FAIL"} ${name}${detail === "" ? "" : `: ${detail}`}`);
    return ok;
  }

  /** Runs `casr <args> --json` in the home. */
  async casr(args: string[], cwd: string): Promise<CasrJson> {
    const result = await this.casrRun([...args], cwd, {});
    try {
      return JSON.parse(result.stdout) as CasrJson;
    } catch {
      return {
        ok: false,
        error: { message: `no JSON on stdout: ${tailLines(result.stderr || result.stdout, 3)}` },
      };
    }
  }

  /** Runs casr in the home with extra environment variables; returns what it printed. */
  async casrRun(args: string[], cwd: string, extraEnv: Record<string, string>) {
    const env: Record<string, string> = {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      LANG: "C.UTF-8",
      TMPDIR: Deno.env.get("TMPDIR") ?? "/tmp",
      HOME: this.home,
      CLAUDE_CONFIG_DIR: `${this.home}/.claude`,
      CODEX_HOME: `${this.home}/.codex`,
      GEMINI_CLI_HOME: this.home,
      TZ: "UTC",
      NO_COLOR: "1",
      DENO_DIR: denoDir(),
      DENO_NO_UPDATE_CHECK: "1",
    };
    for (const name of ["SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS"]) {
      const value = Deno.env.get(name);
      if (value !== undefined) env[name] = value;
    }
    Object.assign(env, extraEnv);
    const argv = ["run", "-A", "--config", `${this.repoRoot}/deno.json`, "cli.ts", ...args];
    const result = await runBounded(Deno.execPath(), argv, {
      cwd: this.repoRoot,
      env,
      timeoutMs: this.timeoutMs,
    });
    const n = ++this.#log;
    await Deno.writeTextFile(
      `${this.runDir}/${String(n).padStart(2, "0")}-casr.txt`,
      `cd ${cwd} && casr ${
        args.join(" ")
      }\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
    return result;
  }

  /** Converts `id` to `target`; returns the new session id and where to resume it. */
  async convert(
    target: CliDefinition,
    id: string,
    name: string,
  ): Promise<{ id: string; cwd: string; update?: string } | undefined> {
    const out = await this.casr([target.alias, "resume", id, "--json"], this.repoRoot);
    const sessionId = out.target?.sessionId;
    if (!out.ok || sessionId === undefined) {
      this.record(name, false, `casr failed: ${out.error?.code} ${out.error?.message}`);
      return undefined;
    }
    const update = out.update?.kind;
    this.record(
      name,
      true,
      `${target.provider} session ${sessionId}${update ? ` (${update})` : ""}`,
    );
    const done: { id: string; cwd: string; update?: string } = {
      id: sessionId,
      cwd: out.resume?.cwd ?? this.home,
    };
    if (update !== undefined) done.update = update;
    return done;
  }

  /**
   * `casr <cli> resume <id> --exec -- <prompt args>`: casr converts, then starts the real CLI
   * itself; the request it sends must carry every turn of `expected`.
   */
  async execResume(
    cli: CliDefinition,
    id: string,
    expected: ExpectedTurn[],
    promptArgs: (prompt: string) => string[],
    prompt: string,
    name: string,
  ): Promise<void> {
    const context: CliContext = { home: this.home, baseUrl: this.mock.url };
    await cli.prepareHome(context);
    const bin = this.bins.get(cli.provider) as string;
    const env = cliEnv(cli, context);
    env.PATH = `${bin.slice(0, bin.lastIndexOf("/"))}:${env.PATH}`;
    const before = this.mock.requests.length;
    const result = await this.casrRun(
      [cli.alias, "resume", id, "--exec", "--", ...promptArgs(prompt)],
      this.repoRoot,
      env,
    );
    const requests = this.mock.requests.slice(before);
    const carrying = this.mock.turns().slice(-Math.max(1, requests.length)).find((turn) =>
      cli.historyFromRequest(turn.body).some((t) => t.role === "user" && t.text.includes(prompt))
    );
    if (result.code !== 0 || carrying === undefined) {
      this.record(name, false, `exit ${result.code}: ${tailLines(result.stderr, 3)}`);
      return;
    }
    const history = cli.historyFromRequest(carrying.body);
    const check = checkResumedHistory(history, expected, prompt);
    this.record(
      name,
      check.ok,
      check.ok
        ? `casr started ${cli.bin}; ${history.length} turns reached the mock, all ${expected.length} expected ones`
        : check.problems.join("; "),
    );
  }

  /** Converting again must be refused, naming the prompt the user typed in the target. */
  async expectRefusal(target: CliDefinition, id: string, ownPrompt: string, name: string) {
    const out = await this.casr([target.alias, "resume", id, "--json"], this.repoRoot);
    const reason = out.error?.details?.reason;
    const ok = !out.ok && out.error?.code === "conflict" && reason === "own-turns" &&
      (out.error.message ?? "").includes(ownPrompt);
    this.record(
      name,
      ok,
      ok ? `refused: ${out.error?.message?.slice(0, 160)}…` : JSON.stringify(out).slice(0, 400),
    );
  }

  /**
   * Resumes a session in a real CLI with a new prompt: every turn of `expected` must reach the
   * mock before it. Returns the conversation after the new turn.
   */
  async resume(
    cli: CliDefinition,
    session: { id: string; cwd: string; turns: ExpectedTurn[] },
    prompt: string,
    name: string,
  ): Promise<ExpectedTurn[]> {
    const { id, cwd } = session;
    const expected = session.turns;
    const next: ExpectedTurn[] = [
      ...expected,
      { role: "user", text: prompt },
      { role: "assistant", text: "OK from mock" },
    ];
    const context: CliContext = { home: this.home, baseUrl: this.mock.url };
    await cli.prepareHome(context);
    await Deno.mkdir(cwd, { recursive: true });
    const args = await cli.resumeArgs(id, prompt, context);
    const bin = this.bins.get(cli.provider) as string;
    const before = this.mock.requests.length;
    const result = await (cli.run ?? runBounded)(bin, args, {
      cwd,
      env: cliEnv(cli, context),
      timeoutMs: this.timeoutMs,
    });
    const n = ++this.#log;
    await Deno.writeTextFile(
      `${this.runDir}/${String(n).padStart(2, "0")}-${cli.provider}.txt`,
      `cd ${cwd} && ${cli.bin} ${
        args.join(" ")
      }\nexit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
    const requests = this.mock.requests.slice(before);
    const violations = requests.flatMap((r) => r.violations ?? []);
    if (violations.length > 0) {
      this.record(name, false, violationReason(violations));
      return next;
    }
    const carrying = this.mock.turns().slice(-requests.length).find((turn) =>
      cli.historyFromRequest(turn.body).some((t) => t.role === "user" && t.text.includes(prompt))
    );
    if (carrying === undefined) {
      this.record(
        name,
        false,
        `no request carried the prompt (exit ${result.code}): ${tailLines(result.stderr, 3)}`,
      );
      return next;
    }
    const history = cli.historyFromRequest(carrying.body);
    await Deno.writeTextFile(
      `${this.runDir}/${String(n).padStart(2, "0")}-history.json`,
      JSON.stringify(history, null, 2) + "\n",
    );
    const check = checkResumedHistory(history, expected, prompt);
    this.record(
      name,
      check.ok,
      check.ok
        ? `${history.length} turns reached the mock, all ${expected.length} expected ones in order`
        : check.problems.join("; "),
    );
    return next;
  }
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      keep: { type: "boolean", default: false },
      timeout: { type: "string", default: "120" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log("Usage: deno task roundtrip [--keep] [--timeout <seconds>]");
    return 0;
  }
  const repoRoot = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const runDir = `${repoRoot}/smoke-runs/${runStamp()}-roundtrip`;
  await Deno.mkdir(runDir, { recursive: true });
  console.log(`artifacts: ${runDir}`);
  const bins = new Map<string, string>();
  for (const cli of [claudeCode, codex, geminiCli]) {
    const installed = await ensureInstalled(cli, `${repoRoot}/.cache/clis`);
    if (!installed.ok) {
      console.error(`Cannot install ${cli.npmPackage}@${cli.version}: ${installed.error}`);
      return 1;
    }
    bins.set(cli.provider, installed.cli.binPath);
  }
  const manifest = await readManifest(`${repoRoot}/fixtures/manifest.json`);
  const source = manifest.fixtures.find((f) =>
    f.provider === "claude-code" && f.scenario === "basic"
  );
  if (source === undefined) throw new Error("fixtures/manifest.json has no claude-code basic");
  const home = await Deno.makeTempDir({ prefix: "casr-roundtrip-" });
  for (const file of source.files) {
    await copyFileWithParents(
      `${repoRoot}/fixtures/${file}`,
      `${home}/${file.slice(source.home.length + 1)}`,
    );
  }
  await Deno.mkdir(source.workspace, { recursive: true });
  const mock = await startMockServer({ logPath: `${runDir}/requests.jsonl` });
  const trip = new RoundTrip(repoRoot, runDir, home, mock, bins, Number(values.timeout) * 1000);
  try {
    const p1 = "casr roundtrip 1: typed in Codex";
    const p2 = "casr roundtrip 2: typed in Claude Code";
    const p3 = "casr roundtrip 3: typed in Codex again";
    const p4 = "casr roundtrip 4: typed in Claude Code again";
    const p5 = "casr roundtrip 5: typed in Gemini CLI";
    // 1. Claude Code → Codex → Claude Code → Codex, a turn typed in each.
    const b = await trip.convert(codex, source.sessionId, "claude-code → codex");
    if (!b) return 1;
    const bTurns = await trip.resume(
      codex,
      { ...b, turns: source.expected },
      p1,
      "codex resumes it, and the user types a turn there",
    );
    const c = await trip.convert(claudeCode, b.id, "codex → claude-code");
    if (!c) return 1;
    const cTurns = await trip.resume(
      claudeCode,
      { ...c, turns: bTurns },
      p2,
      "claude resumes it with every turn, and the user types one more",
    );
    const d = await trip.convert(codex, c.id, "claude-code → codex");
    if (!d) return 1;
    const dTurns = await trip.resume(
      codex,
      { ...d, turns: cTurns },
      p3,
      "codex resumes it: every turn arrives",
    );
    // 2. Converting again over the user's turns in the target is refused, naming them.
    await trip.expectRefusal(codex, source.sessionId, p1, "again to codex after a codex turn");
    await trip.expectRefusal(claudeCode, b.id, p2, "again to claude-code after a claude turn");
    // 3. The user goes on in the source: the earlier conversion is brought up to date.
    const g = await trip.convert(geminiCli, c.id, "claude-code → gemini-cli");
    if (!g) return 1;
    const c2Turns = await trip.resume(
      claudeCode,
      { ...c, turns: cTurns },
      p4,
      "claude: the user goes on in the source",
    );
    const g2 = await trip.convert(geminiCli, c.id, "claude-code → gemini-cli again");
    trip.record(
      "the gemini-cli conversion is brought up to date under the same id",
      g2?.update === "updated" && g2.id === g.id,
      `update ${g2?.update}, id ${g2?.id === g.id ? "kept" : "changed"}`,
    );
    await trip.resume(
      geminiCli,
      { ...g, turns: c2Turns },
      p5,
      "gemini resumes it: the source's new turns arrive",
    );
    await trip.expectRefusal(geminiCli, c.id, p5, "again to gemini-cli after a gemini turn");
    // 4. --exec: casr converts the last Codex session back and starts Claude Code on it.
    await trip.execResume(
      claudeCode,
      d.id,
      dTurns,
      (prompt) => ["-p", prompt, "--allowedTools", "Bash,Read"],
      "casr roundtrip 6: typed into claude, started by casr --exec",
      "codex → claude-code --exec: casr starts claude on the verified session",
    );
  } finally {
    await mock.close();
    await killProcessesWithHome(home);
    if (values.keep) console.log(`home kept: ${home}`);
    else await removeIfExists(home);
  }
  const failed = trip.steps.filter((s) => !s.ok).length;
  console.log(
    `\nroundtrip: ${trip.steps.length - failed} passed, ${failed} failed, ` +
      `${mock.requests.length} requests, ` +
      `${mock.requests.flatMap((r) => r.violations ?? []).length} rule violations`,
  );
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
