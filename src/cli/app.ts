/**
 * The command line: parses arguments, runs a command, prints people's text or JSON.
 *
 * @module
 */
import { Command, CommanderError, Option } from "commander";
import {
  CasrError,
  createContext,
  detectProviders,
  EXPORT_FORMATS,
  exportAll,
  type ExportFormat,
  exportSession,
  fitReport,
  listSessions,
  type Provider,
  type ProviderContext,
  PROVIDERS,
  readSession,
  type SessionSort,
} from "../../mod.ts";
import {
  type CliIo,
  execCommand,
  type LogLevel,
  logLevel,
  shows,
  type Styles,
  stylesFor,
} from "./io.ts";
import { SCHEMA_VERSION } from "./render.ts";
import { pickSession, renderResume, type ResumeFlags, runResume } from "./commands/resume.ts";
import { type HandoffFlags, renderHandoff, runHandoff } from "./commands/handoff.ts";
import { renderList } from "./commands/list.ts";
import { progressLine } from "./progress.ts";
import { logConvert, logReadWarnings, stepLogger } from "./logging.ts";
import { unknownCommandHint } from "./suggest.ts";
import { infoJson, renderInfo } from "./commands/info.ts";
import { renderProviders } from "./commands/providers.ts";
import {
  type CompletionCommand,
  completionScript,
  type CompletionSpec,
  DYNAMIC_KINDS,
  flagValueKind,
  type Shell,
  SHELLS,
  type ValueKind,
} from "./commands/completions.ts";
import { addSearchCommand } from "./commands/search.ts";

export { EXIT, VERSION } from "./version.ts";
import { EXIT, VERSION } from "./version.ts";

interface GlobalFlags {
  json?: boolean;
  verbose?: boolean;
  trace?: boolean;
  color?: boolean;
}

interface Outcome {
  command: string;
  json: Record<string, unknown>;
  human: (s: Styles) => string;
  /** A command to run once the output is printed (`resume --exec`). */
  exec?: { argv: string[]; cwd?: string; shell: string };
  /** The exit status, when not 0 (a cancelled picker). */
  status?: number;
}

const PROVIDER_NAMES = PROVIDERS.flatMap((p) => [p.id, ...p.aliases]);

/** The help of every `--source`: an agent (a path as <session> is then its file), or a file. */
const SOURCE_HELP = "only look in this agent (a path given as <session> is read as its file); " +
  "or read this file, and <session> must then be the id of a session in it";

/**
 * Agents named once each, as `id (alias, alias)`: the aliases that differ
 * from the id, without repeats.
 *
 * @param providers The agents to name.
 * @returns The text.
 */
export function agentList(providers: readonly Provider[]): string {
  return providers.map((p) => {
    const aliases = [...new Set(p.aliases)].filter((a) => a !== p.id);
    return aliases.length === 0 ? p.id : `${p.id} (${aliases.join(", ")})`;
  }).join(", ");
}

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

function parseNonNegativeInt(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) {
      throw new CasrError("usage", `Cannot use ${name} "${value}": expected a whole number`);
    }
    return Number(value);
  };
}

/** Usage errors of `resume` that the parser cannot see. */
function checkResumeFlags(
  session: string | undefined,
  flags: ResumeFlags,
  globals: GlobalFlags,
  picker: boolean,
): void {
  if (session === undefined && !flags.last && (!picker || globals.json)) {
    throw new CasrError(
      "usage",
      "Name the session to resume: an id, a unique id prefix or a session file (casr list shows them), or --last for the most recent one in this directory (on a terminal, casr offers a picker)",
    );
  }
  if (session !== undefined && flags.last) {
    throw new CasrError(
      "usage",
      `Cannot use --last with a session ("${session}"): give one or the other`,
    );
  }
  if (flags.from !== undefined && !flags.last) {
    throw new CasrError(
      "usage",
      "--from goes with --last (to name a session's agent, use --source)",
    );
  }
  if (flags.exec && globals.json) {
    throw new CasrError(
      "usage",
      "Cannot use --exec with --json: --json is for scripts, which run the printed resume.argv themselves",
    );
  }
  if (flags.exec && flags.dryRun) {
    throw new CasrError(
      "usage",
      "Cannot use --exec with --dry-run: a dry run writes no session to resume",
    );
  }
}

function buildProgram(
  io: CliIo,
  ctxFor: () => ProviderContext,
  setOutcome: (o: Outcome) => void,
  log: (level: LogLevel, text: string) => void,
): Command {
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

  program
    .command("resume")
    .description("convert a session to the target agent and print the command that resumes it")
    .argument(
      "<target>",
      `target agent (one casr can write): ${agentList(PROVIDERS.filter((p) => !p.readOnly))}`,
    )
    .argument(
      "[session]",
      "session id, unique id prefix, or path to a session file (or --last, or a picker on a terminal)",
    )
    .option(
      "--last",
      "the most recent session in this directory, from any agent but the target",
    )
    .option("--from <agent>", "with --last or the picker: only this agent's sessions")
    .option(
      "--exec",
      "after a verified conversion, run the resume command (arguments after -- are added to it)",
    )
    .option("-n, --dry-run", "show what would be written; write nothing")
    .option(
      "-f, --force",
      "replace an earlier conversion of the same session even if you went on in it (keeps a .bak)",
    )
    .option(
      "--new",
      "write a new session even if an earlier conversion exists, leaving it as it is",
    )
    .option("-s, --source <agent|file>", SOURCE_HELP)
    .option(
      "-w, --workspace <dir>",
      "resume in this directory instead of the session's own (a file is refused; a missing directory is a warning)",
    )
    .option(
      "--enrich",
      "add a first message telling the target agent where the conversation came from",
    )
    .option(
      "--max-context-tokens <n>",
      "fit the conversation into n tokens: cut long tool outputs, drop reasoning, then the oldest exchanges (default: the target model's window minus a reserve; 0 = off)",
      parseNonNegativeInt("--max-context-tokens"),
    )
    .option(
      "--max-tool-output <chars>",
      "cut the middle of tool outputs longer than this many characters, even in a session that fits (0 = never; default: 20000, only when over the budget)",
      parseNonNegativeInt("--max-tool-output"),
    )
    .option("--keep-reasoning", "keep reasoning even when the session is over its budget")
    .action(async (target, session, flags, cmd) => {
      const globals = cmd.optsWithGlobals() as GlobalFlags;
      const resumeFlags = flags as ResumeFlags;
      checkResumeFlags(session, resumeFlags, globals, io.terminal !== undefined);
      if (session === undefined && !resumeFlags.last && io.terminal !== undefined) {
        const styles = stylesFor(io, globals.color === false);
        const chosen = await pickSession(ctxFor(), target, io.terminal, styles, resumeFlags);
        if (chosen === undefined) {
          setOutcome({ command: "resume", json: {}, human: () => "", status: 130 });
          return;
        }
        session = chosen.id;
        resumeFlags.source = chosen.provider;
      }
      const result = await runResume(ctxFor(), target, session, resumeFlags, stepLogger(log));
      logConvert(log, result);
      const outcome: Outcome = {
        command: "resume",
        json: { ...result } as unknown as Record<string, unknown>,
        human: (s) => renderResume(result, s),
      };
      if (resumeFlags.exec) {
        outcome.exec = { argv: result.resume.argv, shell: result.resume.shell };
        if (result.resume.cwd !== undefined) outcome.exec.cwd = result.resume.cwd;
      }
      setOutcome(outcome);
    });

  program
    .command("handoff")
    .description(
      "write a markdown brief of a session into the workspace and print the command that starts a NEW session of the target with it",
    )
    .argument("<target>", `target agent: ${agentList(PROVIDERS)}`)
    .argument("<session>", "session id, unique id prefix, or path to a session file")
    .option("-s, --source <agent|file>", SOURCE_HELP)
    .option("-w, --workspace <dir>", "write the brief into and start in this directory")
    .option(
      "--last <n>",
      "quote the last n user and assistant messages (default 6)",
      parseNonNegativeInt("--last"),
    )
    .option("-n, --dry-run", "print the brief; write nothing")
    .action(async (target, session, flags) => {
      const result = await runHandoff(ctxFor(), target, session, flags as HandoffFlags);
      const { content, ...facts } = result;
      setOutcome({
        command: "handoff",
        json: result.dryRun ? { ...facts, content } : facts,
        human: (s) => renderHandoff(result, s),
      });
    });

  program
    .command("list")
    .description("list sessions of every installed agent, newest first")
    .option("-p, --provider <name>", "only this agent")
    .option("-w, --workspace <dir>", "only sessions in this directory or below")
    .option(
      "-l, --limit <n>",
      "show at most n sessions (0: only say how many there are)",
      parseNonNegativeInt("--limit"),
    )
    .addOption(
      new Option("--sort <order>", "sort order").choices(["date", "messages", "provider"] as const)
        .default("date" as const),
    )
    .option("--jsonl", "print one JSON object per session per line (for scripts and jq)")
    .option("--no-cache", "read every session file again instead of using the index cache")
    .action(async (flags, cmd) => {
      if (flags.jsonl && (cmd.optsWithGlobals() as GlobalFlags).json) {
        throw new CasrError(
          "usage",
          "Cannot use --json and --jsonl together: --json prints one document, --jsonl one line per session; pick one",
        );
      }
      const progress = progressLine(io.err, { isTty: io.errIsTty ?? false });
      const options: Parameters<typeof listSessions>[1] = {
        sort: flags.sort as SessionSort,
        cache: flags.cache,
        progress,
        log,
      };
      if (flags.provider !== undefined) options.provider = flags.provider;
      if (flags.workspace !== undefined) options.workspace = flags.workspace;
      if (flags.limit !== undefined) options.limit = flags.limit;
      log("info", "scanning session stores");
      const { sessions, total, problems } = await listSessions(ctxFor(), options)
        .finally(progress.stop);
      const styles = stylesFor(io, (cmd.optsWithGlobals() as GlobalFlags).color === false);
      for (const p of problems) io.err(`${styles.yellow("warning:")} ${p.message}\n`);
      setOutcome({
        command: "list",
        json: { total, count: sessions.length, sessions, problems },
        human: (s) =>
          flags.jsonl
            ? sessions.map((x) => JSON.stringify({ schema_version: SCHEMA_VERSION, ...x }) + "\n")
              .join("")
            : renderList(sessions, total, s, { columns: io.columns ?? 80, now: Date.now() }),
      });
    });

  addSearchCommand(program, { io, ctxFor, setOutcome, log });

  program
    .command("info")
    .description("show one session: provider, workspace, times, message counts")
    .argument("<session>", "session id, unique id prefix, or path to a session file")
    .option("-s, --source <agent|file>", SOURCE_HELP)
    .option("--peek [n]", "also show the last n messages (default 5)")
    .action(async (session, flags) => {
      let peek = 0;
      if (flags.peek === true) peek = 5;
      else if (typeof flags.peek === "string") peek = parseNonNegativeInt("--peek")(flags.peek);
      const found = await readSession(
        ctxFor(),
        session,
        flags.source === undefined ? { cache: true } : { source: flags.source, cache: true },
      );
      logReadWarnings(log, `${found.provider.id} ${found.summary.path}`, found.warnings);
      const resumeFor: { id: string; workspace?: string; path?: string; title?: string } = {
        id: found.session.id,
        path: found.summary.path,
      };
      if (found.session.workspace !== undefined) resumeFor.workspace = found.session.workspace;
      const title = found.session.title ?? found.summary.title;
      if (title !== undefined) resumeFor.title = title;
      const view = infoJson(
        found.session,
        found.summary,
        found.warnings,
        found.provider.resumeCommand(resumeFor),
        peek,
      );
      view.fit = fitReport(found.session);
      setOutcome({
        command: "info",
        json: view as unknown as Record<string, unknown>,
        human: (s) => renderInfo(view, s),
      });
    });

  program
    .command("export")
    .description(
      "write a readable transcript of a session (Markdown, HTML or JSON), or of every session with --all",
    )
    .argument("[session]", "session id, unique id prefix, or path to a session file")
    .addOption(
      new Option("--format <format>", "transcript format").choices(EXPORT_FORMATS).default(
        "md" as const,
      ),
    )
    .option(
      "-o, --out <file>",
      "write to this file instead of standard output (with --all: a folder)",
    )
    .option("-f, --force", "replace the --out file (or an earlier export's files) if it exists")
    .option("-s, --source <agent|file>", SOURCE_HELP)
    .option(
      "--all",
      "every session, one file each under --out <folder>/<agent>/, and for html an index.html that filters them in the browser",
    )
    .option("-p, --provider <name>", "with --all: only this agent's sessions")
    .option("-w, --workspace <dir>", "with --all: only sessions in this directory or below")
    .action(async (session, flags) => {
      if (flags.all) {
        if (session !== undefined) {
          throw new CasrError("usage", `Cannot use --all with a session ("${session}")`);
        }
        if (flags.out === undefined) {
          throw new CasrError("usage", "--all needs --out <folder> to write the transcripts into");
        }
        const progress = progressLine(io.err, {
          isTty: io.errIsTty ?? false,
          label: "exporting sessions",
        });
        let counted = false;
        const all = await exportAll(ctxFor(), {
          outDir: flags.out,
          format: flags.format as ExportFormat,
          ...(flags.force ? { force: true } : {}),
          ...(flags.provider === undefined ? {} : { provider: flags.provider }),
          ...(flags.workspace === undefined ? {} : { workspace: flags.workspace }),
          onProgress: (_done, total) => {
            if (!counted) progress.add(total);
            counted = true;
            progress.done(1);
          },
        }).finally(() => progress.stop());
        setOutcome({
          command: "export",
          json: { ...all } as unknown as Record<string, unknown>,
          human: (s) =>
            [
              `Wrote ${all.sessions} ${all.format} transcript(s) to ${all.outDir}`,
              ...(all.index === undefined ? [] : [`  ${s.dim("open")} ${all.index}`]),
              ...all.failed.map((f) =>
                `${s.yellow("warning:")} could not read ${f.provider} session ${f.id}: ${f.message}`
              ),
            ].join("\n") + "\n",
        });
        return;
      }
      if (session === undefined) {
        throw new CasrError(
          "usage",
          "Name the session to export (casr list shows them), or --all --out <folder> for every one",
        );
      }
      if (flags.provider !== undefined || flags.workspace !== undefined) {
        throw new CasrError("usage", "-p and -w go with --all");
      }
      const options: Parameters<typeof exportSession>[2] = {
        format: flags.format as ExportFormat,
      };
      if (flags.out !== undefined) options.out = flags.out;
      if (flags.force) options.force = true;
      if (flags.source !== undefined) options.source = flags.source;
      const result = await exportSession(ctxFor(), session, options);
      const { content, ...facts } = result;
      setOutcome({
        command: "export",
        json: result.path === undefined ? { ...facts, content } : facts,
        human: () =>
          result.path === undefined
            ? content
            : `Wrote the ${result.format} transcript of ${result.provider} session ${result.sessionId} to ${result.path} (${result.bytes} bytes)\n`,
      });
    });

  program
    .command("providers")
    .description("show which agents are installed and where their sessions live")
    .option("--no-version", "do not run the agents' binaries to ask their versions")
    .action(async (flags) => {
      const statuses = await detectProviders(ctxFor(), { version: flags.version !== false });
      setOutcome({
        command: "providers",
        json: { providers: statuses },
        human: (s) =>
          renderProviders(statuses, s, {
            home: ctxFor().homeDir,
            // Fit a terminal (or a width the user set); a pipe gets whole lines.
            ...(io.isTty || io.env.COLUMNS ? { columns: io.columns ?? 80 } : {}),
          }),
      });
    });

  program
    .command("completions")
    .description("print a shell completion script")
    .addArgument(
      new Command().createArgument("<shell>", "bash, zsh or fish").choices(SHELLS),
    )
    .action((shell) => {
      const script = completionScript(shell as Shell, completionSpec(program));
      setOutcome({
        command: "completions",
        json: { shell, script },
        human: () => script,
      });
    });

  program
    .command("__complete", { hidden: true })
    .description("print completion candidates, one value<TAB>description a line")
    .addArgument(new Command().createArgument("<kind>", "sessions").choices(DYNAMIC_KINDS))
    .action(async () => {
      const { sessions } = await listSessions(ctxFor(), { cache: true, limit: 200 });
      const lines = sessions.map((x) =>
        `${x.id}\t${x.provider}: ${(x.title ?? "").replace(/\s+/g, " ").slice(0, 60)}`
      );
      setOutcome({
        command: "__complete",
        json: {},
        human: () => lines.length === 0 ? "" : lines.join("\n") + "\n",
      });
    });

  return program;
}

/** What the completion scripts need to know about the commands. */
function completionSpec(program: Command): CompletionSpec {
  const positionalKind = (name: string): ValueKind => {
    if (name === "target") return "target";
    if (name === "session") return "session";
    if (name === "shell") return "shell";
    return { words: [] };
  };
  return {
    commands: program.commands.filter((c) => !c.name().startsWith("_")).map((c) => {
      const values: CompletionCommand["values"] = {};
      for (const o of c.options) {
        if (!o.required && !o.optional) continue;
        const kind = flagValueKind(o.long ?? "", o.argChoices);
        for (const f of [o.long, o.short]) if (f) values[f] = kind;
      }
      return {
        name: c.name(),
        flags: c.options.map((o) => o.long ?? o.short ?? "").filter((f) => f !== ""),
        values,
        positionals: c.registeredArguments.map((a) => positionalKind(a.name())),
      };
    }),
    globalFlags: program.options.map((o) => o.long ?? "").filter((f) => f !== ""),
    providers: PROVIDER_NAMES,
    targets: PROVIDERS.filter((p) => !p.readOnly).flatMap((p) => [p.id, ...p.aliases]),
  };
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
      ...JSON.parse(JSON.stringify(outcome.json)),
    };
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
    io.out(JSON.stringify(value, null, 2) + "\n");
  } else {
    io.out(outcome.human(styles));
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
