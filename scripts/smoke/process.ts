/**
 * Running agent CLIs as bounded subprocesses: each child gets its own process group (via
 * `setsid`), a scrubbed environment and a timeout, and the whole group is killed afterwards so
 * no daemon outlives the run.
 *
 * @module
 */

/** Options for {@linkcode runBounded}. */
export interface RunOptions {
  /** Working directory. */
  cwd: string;
  /** The complete environment (nothing is inherited). */
  env: Record<string, string>;
  /** Kill the process group after this many milliseconds. @default 120000 */
  timeoutMs?: number;
}

/** Outcome of {@linkcode runBounded}. */
export interface RunResult {
  /** Exit code, or `null` when killed by a signal. */
  code: number | null;
  /** Signal name when killed by a signal. */
  signal: string | null;
  /** Captured standard output. */
  stdout: string;
  /** Captured standard error. */
  stderr: string;
  /** Whether the timeout fired. */
  timedOut: boolean;
  /** Wall-clock duration in milliseconds. */
  durationMs: number;
}

function killGroup(pgid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(-pgid, signal);
  } catch {
    // group already gone
  }
}

/**
 * Runs `command args...` in a new session/process group with a timeout. On timeout, and
 * always after exit, the whole process group receives SIGKILL.
 *
 * @param command Executable path or name (resolved with the given env's PATH by `setsid`).
 * @param args Arguments.
 * @param options Working directory, environment, timeout.
 * @returns Exit status and captured output.
 */
export async function runBounded(
  command: string,
  args: string[],
  options: RunOptions,
): Promise<RunResult> {
  const started = performance.now();
  const child = new Deno.Command("setsid", {
    args: [command, ...args],
    cwd: options.cwd,
    env: options.env,
    clearEnv: true,
    // Never an open pipe: `codex exec` prints "Reading additional input from stdin..." and
    // waits for EOF forever; `claude -p` waits 3 s for stdin data.
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const pgid = child.pid;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(pgid, "SIGTERM");
    setTimeout(() => killGroup(pgid, "SIGKILL"), 2000);
  }, options.timeoutMs ?? 120_000);
  try {
    const output = await child.output();
    const decoder = new TextDecoder();
    return {
      code: output.signal === null ? output.code : null,
      signal: output.signal,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
      timedOut,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    clearTimeout(timer);
    killGroup(pgid, "SIGKILL");
  }
}

/**
 * Kills (SIGKILL), by PID, every process whose environment has `HOME` set to `home` — the
 * throwaway home of a run — in case a CLI left a daemon in another session.
 *
 * @param home The throwaway home directory.
 * @returns The PIDs that were signalled.
 */
export async function killProcessesWithHome(home: string): Promise<number[]> {
  const killed: number[] = [];
  const needle = new TextEncoder().encode(`HOME=${home}\0`);
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const pid = Number(entry.name);
    if (pid === Deno.pid) continue;
    let environ: Uint8Array;
    try {
      environ = await Deno.readFile(`/proc/${pid}/environ`);
    } catch {
      continue;
    }
    if (!includesBytes(environ, needle)) continue;
    try {
      Deno.kill(pid, "SIGKILL");
      killed.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  return killed;
}

function includesBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (i > 0 && haystack[i - 1] !== 0) continue;
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return true;
  }
  return false;
}
