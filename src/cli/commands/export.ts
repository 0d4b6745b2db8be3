/**
 * Registers `casr export`: one transcript, or every session's with `--all`.
 *
 * @module
 */
import { Option } from "commander";
import {
  CasrError,
  EXPORT_FORMATS,
  exportAll,
  type ExportFormat,
  exportSession,
} from "../../../mod.ts";
import { progressLine } from "../progress.ts";
import { formatCount } from "../render.ts";
import { type AnyCommand, type CommandDeps, SOURCE_HELP } from "../command_kit.ts";

/**
 * Adds `export` to the program.
 *
 * @param program The program.
 * @param deps IO, context, outcome and log.
 */
export function registerExport(program: AnyCommand, deps: CommandDeps): void {
  const { io, ctxFor, setOutcome } = deps;
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
              `Wrote ${formatCount(all.sessions, `${all.format} transcript`)} to ${all.outDir}`,
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
            : `Wrote the ${result.format} transcript of ${result.provider} session ${result.sessionId} to ${result.path} (${
              formatCount(result.bytes)
            } bytes)\n`,
      });
    });
}
