/**
 * Where the CLI writes, and how it colours: injectable so tests capture output.
 *
 * @module
 */
import { constants as osConstants } from "node:os";
import process from "node:process";
import { CasrError, currentEnv } from "../../mod.ts";
import type { PickerTerminal } from "./picker.ts";

/** The CLI's output channels and terminal facts. */
export interface CliIo {
  /** Writes to standard output. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** Whether stdout is a terminal (colours and progress only then). */
  isTty: boolean;
  /** Whether stderr is a terminal (the scan progress line only then). */
  errIsTty?: boolean;
  /** The terminal width (`COLUMNS`, else the TTY's, else 80). */
  columns?: number;
  /** The environment (for `NO_COLOR`, `CASR_LOG`). */
  env: Record<string, string | undefined>;
  /**
   * Runs a command with the terminal handed over and returns its exit status
   * (`resume --exec`).
   *
   * @default {execCommand}
   */
  exec?: (argv: string[], options: ExecOptions) => Promise<number>;
  /**
   * The terminal, when standard input and output are both one (the session
   * picker runs only then).
   *
   * @default {undefined} no terminal
   */
  terminal?: PickerTerminal | undefined;
}

/** How {@linkcode execCommand} runs a command. */
export interface ExecOptions {
  /** The directory to run it in. */
  cwd?: string | undefined;
  /** Its environment. */
  env: Record<string, string | undefined>;
  /** The same command as one shell line, for the error when it cannot start. */
  shell: string;
}

/**
 * Runs a command with standard input, output and error handed over, while
 * casr ignores the interrupts the terminal sends to both, and returns its exit
 * status (128 + the signal number when a signal ended it).
 *
 * @param argv The command and its arguments.
 * @param options Where and with what environment.
 * @returns The exit status.
 * @throws {CasrError} `provider-unavailable` when the command cannot start.
 */
export async function execCommand(argv: string[], options: ExecOptions): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined) return 0;
  // Loaded here, not at start-up: only `--exec` starts a command.
  const { spawn } = await import("node:child_process");
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
  return await new Promise((resolve, reject) => {
    const ignore = (): void => {};
    process.on("SIGINT", ignore);
    process.on("SIGQUIT", ignore);
    const done = (): void => {
      process.off("SIGINT", ignore);
      process.off("SIGQUIT", ignore);
    };
    const child = spawn(command, args, {
      stdio: "inherit",
      env,
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    });
    child.on("error", (error: Error & { code?: string }) => {
      done();
      const why = error.code === "ENOENT"
        ? `"${command}" is not on PATH, or ${options.cwd ?? "the directory"} does not exist`
        : error.message;
      reject(
        new CasrError(
          "provider-unavailable",
          `Cannot start ${command}: ${why}. The session is written; resume it with: ${options.shell}`,
          { details: { argv, cwd: options.cwd ?? null }, cause: error },
        ),
      );
    });
    child.on("exit", (code, signal) => {
      done();
      if (code !== null) resolve(code);
      else resolve(128 + (signal === null ? 0 : (osConstants.signals[signal] ?? 0)));
    });
  });
}

/** Whether an error is a write to a pipe whose reader has gone (`casr help | head -0`). */
export function isClosedPipe(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "EPIPE" ||
    (error instanceof Error && /\bEPIPE\b|broken pipe/i.test(error.message));
}

/**
 * A writer that ends the process quietly (status 0) once its reader has gone,
 * as `cat` or `ls` do when their output is cut short, instead of a stack trace.
 */
function untilClosed(stream: NodeJS.WriteStream): (text: string) => void {
  stream.on("error", (error: unknown) => {
    if (isClosedPipe(error)) process.exit(0);
  });
  return (text) => {
    try {
      stream.write(text);
    } catch (error) {
      if (isClosedPipe(error)) process.exit(0);
      throw error;
    }
  };
}

/**
 * The real process's IO.
 *
 * @returns IO bound to process stdout/stderr.
 */
export function processIo(): CliIo {
  const env = currentEnv();
  return {
    out: untilClosed(process.stdout),
    err: untilClosed(process.stderr),
    isTty: Boolean(process.stdout.isTTY),
    errIsTty: Boolean(process.stderr.isTTY),
    columns: Number(env.COLUMNS) || process.stdout.columns || 80,
    env,
    terminal: process.stdin.isTTY && process.stdout.isTTY ? processTerminal() : undefined,
  };
}

/** The process's own terminal, in raw mode while keys are read. */
function processTerminal(): PickerTerminal {
  return {
    columns: process.stdout.columns || 80,
    rows: process.stdout.rows || 24,
    write: (text) => void process.stdout.write(text),
    keys: (onChunk) =>
      new Promise<void>((resolve) => {
        const stdin = process.stdin;
        stdin.setRawMode(true);
        stdin.setEncoding("utf8");
        const onData = (chunk: string): void => {
          if (!onChunk(chunk)) return;
          stdin.off("data", onData);
          stdin.setRawMode(false);
          stdin.pause();
          resolve();
        };
        stdin.on("data", onData);
        stdin.resume();
      }),
  };
}

/** ANSI styles, or identity functions when colour is off. */
export interface Styles {
  /** Bold. */
  bold(text: string): string;
  /** Dimmed. */
  dim(text: string): string;
  /** Green. */
  green(text: string): string;
  /** Yellow. */
  yellow(text: string): string;
  /** Red. */
  red(text: string): string;
  /** Cyan. */
  cyan(text: string): string;
}

/**
 * Colours on a TTY unless `NO_COLOR` is set to a non-empty value (the
 * no-color.org convention: an empty `NO_COLOR=` does not count) or `--no-color`
 * was given.
 *
 * @param io The IO.
 * @param disabled Whether the user turned colour off.
 * @returns The styles.
 */
export function stylesFor(io: CliIo, disabled = false): Styles {
  const on = io.isTty && !disabled && (io.env.NO_COLOR ?? "") === "";
  const wrap = (open: number, close: number) => (text: string): string =>
    on ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    red: wrap(31, 39),
    cyan: wrap(36, 39),
  };
}

/** Log levels from `CASR_LOG` (like `RUST_LOG`), quietest first. */
export const LOG_LEVELS = ["error", "warn", "info", "debug", "trace"] as const;

/** A log level. */
export type LogLevel = typeof LOG_LEVELS[number];

/**
 * The effective log level: `--trace` > `--verbose` > `CASR_LOG` > `warn`.
 *
 * @param env The environment.
 * @param flags The global flags.
 * @returns The level.
 */
export function logLevel(
  env: Record<string, string | undefined>,
  flags: { verbose?: boolean; trace?: boolean },
): LogLevel {
  if (flags.trace) return "trace";
  if (flags.verbose) return "info";
  const raw = (env.CASR_LOG ?? "").trim().toLowerCase();
  const found = LOG_LEVELS.find((l) => l === raw);
  return found ?? "warn";
}

/**
 * Whether `level` is shown at `current`.
 *
 * @param current The effective level.
 * @param level The message's level.
 * @returns Whether to print it.
 */
export function shows(current: LogLevel, level: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(current);
}
