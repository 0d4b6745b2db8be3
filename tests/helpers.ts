/**
 * Test helpers for CLI tests: everything in fixture_home.ts plus an in-process
 * CLI runner with captured output.
 *
 * @module
 */
import { run } from "../cli.ts";
import type { ProviderContext } from "../mod.ts";

export * from "./fixture_home.ts";

/** What a CLI run printed and returned. */
export interface CliRun {
  /** Exit status. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
  /** Parsed stdout, when it is JSON. */
  json: Record<string, unknown> | undefined;
}

/**
 * Runs the CLI in-process against a context.
 *
 * @param args Arguments.
 * @param ctx The provider context.
 * @returns The captured run.
 */
export async function runCli(args: string[], ctx: ProviderContext): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    isTty: false,
    env: { ...ctx.env },
  }, ctx);
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}
