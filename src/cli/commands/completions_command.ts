/**
 * Registers `casr completions` and the hidden `casr __complete` the scripts call.
 *
 * @module
 */
import { Command } from "commander";
import { listSessions, PROVIDERS } from "../../../mod.ts";
import { type AnyCommand, type CommandDeps, PROVIDER_NAMES } from "../command_kit.ts";
import {
  type CompletionCommand,
  completionScript,
  type CompletionSpec,
  DYNAMIC_KINDS,
  flagValueKind,
  type Shell,
  SHELLS,
  type ValueKind,
} from "./completions.ts";

/** What the completion scripts need to know about the commands. */
function completionSpec(program: AnyCommand): CompletionSpec {
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
 * Adds `completions` and `__complete` to the program.
 *
 * @param program The program.
 * @param deps IO, context, outcome and log.
 */
export function registerCompletions(program: AnyCommand, deps: CommandDeps): void {
  const { ctxFor, setOutcome } = deps;
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
}
