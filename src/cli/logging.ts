/**
 * What `-v` (info), `CASR_LOG=debug` and `--trace` print on stderr beyond the
 * progress steps: the records each reader skipped, the plan and the
 * verification of a conversion, and step timings. Listing logs its roots and
 * cache use itself (`ListSessionsOptions.log`).
 *
 * @module
 */
import type { ConvertResult, Warning } from "../../mod.ts";
import type { LogLevel } from "./io.ts";

/** Prints one log line at a level (the caller filters by the effective level). */
export type Logger = (level: LogLevel, text: string) => void;

/**
 * Logs what a reader skipped or guessed: at `debug`, one line per warning code
 * with its count and the first lines it names; at `trace`, every warning.
 *
 * @param log The logger.
 * @param who What was read, e.g. `claude-code /path/to/file.jsonl`.
 * @param warnings The reader's warnings.
 */
export function logReadWarnings(log: Logger, who: string, warnings: readonly Warning[]): void {
  if (warnings.length === 0) {
    log("debug", `read ${who}: nothing skipped`);
    return;
  }
  const byCode = new Map<string, Warning[]>();
  for (const w of warnings) byCode.set(w.code, [...(byCode.get(w.code) ?? []), w]);
  for (const [code, group] of byCode) {
    const lines = group.flatMap((w) => w.line === undefined ? [] : [w.line]);
    const where = lines.length === 0
      ? ""
      : ` at line${lines.length === 1 ? "" : "s"} ${lines.slice(0, 10).join(", ")}${
        lines.length > 10 ? ", …" : ""
      }`;
    log("debug", `read ${who}: ${group.length} × ${code}${where}`);
  }
  for (const w of warnings) {
    log(
      "trace",
      `read ${who}: ${w.code}${w.line === undefined ? "" : ` line ${w.line}`}: ${w.message}`,
    );
  }
}

/**
 * Logs a conversion's plan and verification at `debug` (files, effects, the
 * budget, whether the read-back matched) and its warnings by code.
 *
 * @param log The logger.
 * @param result What the conversion did.
 */
export function logConvert(log: Logger, result: ConvertResult): void {
  const { source, target } = result;
  log(
    "debug",
    `source: ${source.provider} ${source.sessionId}, ${
      source.messageCount ?? "?"
    } messages, ${source.path}`,
  );
  if (result.sameProvider) {
    log("debug", "plan: nothing to write (source and target are the same agent)");
    return;
  }
  const verb = result.dryRun ? "would write" : "wrote";
  log(
    "debug",
    `plan: ${target.provider} session ${target.sessionId}, ${
      target.messageCount ?? "?"
    } messages in ${target.workspace ?? "-"}`,
  );
  for (const file of result.files) log("debug", `plan: ${verb} ${file}`);
  for (const effect of result.effects) log("debug", `plan: then ${effect}`);
  const b = result.budget;
  if (b !== undefined) {
    log(
      "debug",
      `plan: ~${b.tokensBefore} → ~${b.tokensAfter} tokens (budget ${b.maxContextTokens} of ${b.window}, ${b.estimator})`,
    );
  }
  if (result.backupPath !== undefined) {
    log("debug", `plan: kept the old one as ${result.backupPath}`);
  }
  log(
    "debug",
    result.dryRun
      ? "verify: skipped (dry run)"
      : result.verified
      ? `verify: read ${target.path} back with the ${target.provider} reader; it matches`
      : "verify: not verified",
  );
  logReadWarnings(log, `${source.provider} ${source.path} (and the conversion)`, result.warnings);
}

/**
 * A progress callback that logs each step at `info` and, at `trace`, the time
 * since the previous step.
 *
 * @param log The logger.
 * @param now The clock (ms).
 * @returns The callback.
 */
export function stepLogger(log: Logger, now: () => number = () => performance.now()): (
  step: string,
) => void {
  let last = now();
  return (step) => {
    const t = now();
    log("info", step);
    log("trace", `(${Math.round(t - last)} ms since the previous step)`);
    last = t;
  };
}
