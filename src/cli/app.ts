/**
 * The command line: parses arguments, runs a command, prints people's text or JSON.
 *
 * @module
 */
import { Command, CommanderError } from "commander";
import { CasrError, createContext, type ProviderContext, PROVIDERS } from "../../mod.ts";
import {
  type CliIo,
  execCommand,
  type LogLevel,
  logLevel,
  shows,
  type Styles,
  stylesFor,
} from "./io.ts";
import { prettyJson, SCHEMA_VERSION } from "./render.ts";
import { unknownCommandHint } from "./suggest.ts";
import { addSearchCommand } from "./commands/search.ts";
import { agentList, type CommandDeps, type Outcome, PROVIDER_NAMES } from "./command_kit.ts";
import { registerResume } from "./commands/resume_command.ts";
import { registerHandoff } from "./commands/handoff.ts";
import { registerList } from "./commands/list.ts";
import { registerInfo } from "./commands/info.ts";
import { registerExport } from "./commands/export.ts";
import { registerProviders } from "./commands/providers.ts";
import { registerCompletions } from "./commands/completions_command.ts";
export { agentList };

export { EXIT, VERSION } from "./version.ts";
import { EXIT, VERSION } from "./version.ts";

/**
 * Moves `casr <provider> resume …` to `casr resume <provider> …`, the form the
 * parser knows. Both spellings are documented.
 *
 * @param args The arguments after the program name.
 * @returns The arguments to parse.
 */
export function normalizeArgs(args: readonly string[]): string[] {
  const positions = args.map((a, i) => ({ a, i })).filter(({ a }) => !a.startsWith("-"));
  const first = positions[0];
  const second = positions[1];
  if (
    first && second && second.a === "resume" && second.i === first.i + 1 &&
    PROVIDER_NAMES.includes(first.a.toLowerCase())
  ) {
    const out = [...args];
    out[first.i] = "resume";
    out[second.i] = first.a;
    return out;
  }
  return [...args];
}

function buildProgram(
  io: CliIo,
  ctxFor: () => ProviderContext,
  setOutcome: (o: Outcome) => void,
  log: (level: LogLevel, text: string) => void,
): Command {
  const deps: CommandDeps = { io, ctxFor, setOutcome, log };
  const program = new Command("casr")
    .description(
      "Cross Agent Session Resumer: move a coding-agent session to another agent and resume it there.",
    )
    .version(VERSION, "-V, --version")
    .option("--json", "print machine-readable JSON (with schema_version)")
    .option("-v, --verbose", "print progress and details")
    .option("--trace", "print everything, with stack traces on errors")
    .option("--no-color", "never colour the output")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
    })
    .addHelpText(
      "after",
      `
Examples:
  casr list --limit 10                 newest sessions of every agent
  casr info 019a6f2e --peek 4          one session and its last 4 messages
  casr cc resume 019a6f2e              convert a session to Claude Code, print the resume command
  casr resume codex 6f1c2b7e --dry-run same, written the other way round, writing nothing
  casr handoff cc 019a6f2e             write a brief and start a NEW Claude Code session with it
  casr providers                       which agents are installed here

Providers: ${agentList(PROVIDERS.filter((p) => !p.readOnly))}; read only: ${
        agentList(PROVIDERS.filter((p) => p.readOnly))
      }
Exit status: 0 ok, 1 failure, 2 usage error. Log level: CASR_LOG=error|warn|info|debug|trace.`,
    );

  registerResume(program, deps);
  registerHandoff(program, deps);
  registerList(program, deps);
  addSearchCommand(program, { io, ctxFor, setOutcome, log });

  registerInfo(program, deps);
  registerExport(program, deps);
  registerProviders(program, deps);
  registerCompletions(program, deps);
  return program;
}

/**
 * Runs casr with `args` (without the program name) and returns the exit status.
 * It never calls `process.exit`, so tests call it directly.
 *
 * @param args The arguments.
 * @param io Where to write; the process's stdout/stderr by default.
 * @param ctx The provider context; the process's by default.
 * @returns 0 on success, 1 on failure, 2 on a usage error.
 */
export async function run(
  args: readonly string[],
  io: CliIo,
  ctx?: ProviderContext,
): Promise<number> {
  // `resume --exec … -- <args>`: what follows `--` goes to the resumed agent.
  let execArgs: string[] = [];
  const dashes = args.indexOf("--");
  if (dashes >= 0 && args.slice(0, dashes).includes("--exec")) {
    execArgs = args.slice(dashes + 1);
    args = args.slice(0, dashes);
  }
  const json = args.includes("--json");
  const trace = args.includes("--trace");
  const level = logLevel(io.env, {
    verbose: args.includes("--verbose") || args.includes("-v"),
    trace,
  });
  const styles = stylesFor(io, args.includes("--no-color"));
  const log = (lvl: LogLevel, text: string): void => {
    if (shows(level, lvl)) io.err(`${styles.dim(`casr: ${text}`)}\n`);
  };
  let outcome: Outcome | undefined;
  const quietIo: CliIo = json ? { ...io, err: () => {} } : io;
  const program = buildProgram(quietIo, () => ctx ?? createContext(), (o) => {
    outcome = o;
  }, log);
  try {
    await program.parseAsync(normalizeArgs(args), { from: "user" });
  } catch (error) {
    return reportError(error, { json, trace, io, styles });
  }
  if (!outcome) return EXIT.ok;
  if (json) {
    const value = {
      schema_version: SCHEMA_VERSION,
      ok: true,
      command: outcome.command,
      ...outcome.json,
    };
    // The object checked is the one printed: commands hand over plain data, which
    // JSON holds as it is (zod also refuses what JSON cannot hold, such as NaN).
    // zod loads only here, so commands without --json never pay for it.
    const { outputProblems } = await import("./schema.ts");
    const problems = outputProblems(value);
    if (problems.length > 0) {
      printJsonError(io, {
        code: "internal",
        message: `casr produced JSON that breaks its own schema: ${problems[0]}`,
        details: { problems },
      });
      return EXIT.failure;
    }
    for (const piece of prettyJson(value)) io.out(piece); // written as it is made
    io.out("\n");
  } else {
    const text = outcome.human(styles);
    if (typeof text === "string") io.out(text);
    else for (const piece of text) io.out(piece); // written as it is made
  }
  if (outcome.status !== undefined) return outcome.status;
  if (outcome.exec !== undefined) {
    const { argv, cwd, shell } = outcome.exec;
    const command = [...argv, ...execArgs];
    log("info", `running ${command.join(" ")}${cwd === undefined ? "" : ` in ${cwd}`}`);
    try {
      return await (io.exec ?? execCommand)(command, { cwd, env: io.env, shell });
    } catch (error) {
      return reportError(error, { json, trace, io, styles });
    }
  }
  return EXIT.ok;
}

function reportError(
  error: unknown,
  opts: { json: boolean; trace: boolean; io: CliIo; styles: Styles },
): number {
  const { json, trace, io, styles } = opts;
  if (error instanceof CommanderError) {
    if (
      error.code === "commander.helpDisplayed" || error.code === "commander.version" ||
      error.code === "commander.help"
    ) {
      return EXIT.ok;
    }
    if (error.exitCode === 0) return EXIT.ok;
    const message = error.message.replace(/^error: /, "");
    const word = error.code === "commander.unknownCommand"
      ? /unknown command '([^']*)'/.exec(message)?.[1]
      : undefined;
    const hint = word === undefined ? [] : unknownCommandHint(word);
    if (json) {
      const details: Record<string, unknown> = { commander: error.code };
      if (hint.length > 0) details.hint = hint;
      printJsonError(io, { code: "usage", message, details });
    } else {
      for (const line of hint) io.err(`  ${line}\n`);
    }
    return EXIT.usage;
  }
  if (error instanceof CasrError) {
    const status = error.code === "usage" || error.code === "unknown-provider"
      ? EXIT.usage
      : EXIT.failure;
    if (json) {
      const body = error.toJSON();
      if (trace && error.stack) body.details = { ...body.details, stack: error.stack };
      printJsonError(io, body);
    } else {
      io.err(`${styles.red("error:")} ${error.message}\n`);
      const summary = error.details.summary;
      if (Array.isArray(summary)) { for (const line of summary) io.err(`  ${line}\n`); }
      const candidates = error.details.candidates;
      if (Array.isArray(candidates)) {
        for (const c of candidates as { provider: string; id: string }[]) {
          io.err(`  ${c.provider} ${c.id}\n`);
        }
      }
      if (trace && error.stack) io.err(`${error.stack}\n`);
    }
    return status;
  }
  const message = error instanceof Error ? error.message : String(error);
  const name = (error as { name?: string } | null)?.name;
  if (name === "NotCapable" || name === "PermissionDenied") {
    // Deno's own message names the flag: 'Requires read access to "…", run again with --allow-read'.
    if (json) printJsonError(io, { code: "permission-denied", message, details: {} });
    else io.err(`${styles.red("error:")} ${message}\n`);
    return EXIT.failure;
  }
  if (json) {
    const details: Record<string, unknown> = {};
    if (trace && error instanceof Error && error.stack) details.stack = error.stack;
    printJsonError(io, { code: "internal", message, details });
  } else {
    io.err(`${styles.red("error:")} ${message}\n`);
    if (trace && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
    else io.err(styles.dim("(run again with --trace for details)\n"));
  }
  return EXIT.failure;
}

function printJsonError(
  io: CliIo,
  error: { code: string; message: string; details: Record<string, unknown> },
): void {
  io.out(JSON.stringify({ schema_version: SCHEMA_VERSION, ok: false, error }, null, 2) + "\n");
}
