/**
 * A quiet progress line on stderr for long scans: shown only on a terminal,
 * and only once the scan has run for a second.
 *
 * @module
 */
import type { ScanProgress } from "../../mod.ts";
import { formatCount } from "./render.ts";

/** A {@linkcode ScanProgress} that can be stopped (which erases its line). */
export interface ProgressLine extends ScanProgress {
  /** Stops updating and erases the line. */
  stop(): void;
}

/** Options for {@linkcode progressLine}. */
export interface ProgressLineOptions {
  /** Whether stderr is a terminal; nothing is ever written otherwise. */
  isTty: boolean;
  /**
   * What is being counted.
   *
   * @default {"scanning sessions"}
   */
  label?: string;
  /**
   * Milliseconds before the line first shows.
   *
   * @default {1000}
   */
  delayMs?: number;
  /**
   * Milliseconds between updates.
   *
   * @default {100}
   */
  intervalMs?: number;
}

/**
 * A progress line such as `casr: scanning sessions 4,210/10,000` (the label is an option).
 *
 * @param write Writes to stderr.
 * @param options Terminal check and timing.
 * @returns The progress sink; call `stop()` when the scan ends.
 */
export function progressLine(
  write: (text: string) => void,
  options: ProgressLineOptions,
): ProgressLine {
  let total = 0;
  let done = 0;
  let shown = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const started = Date.now();
  const delay = options.delayMs ?? 1000;
  const draw = (): void => {
    if (Date.now() - started < delay) return;
    shown = true;
    write(
      `\r\x1b[Kcasr: ${options.label ?? "scanning sessions"} ${formatCount(done)}/${
        formatCount(total)
      }`,
    );
  };
  if (options.isTty) timer = setInterval(draw, options.intervalMs ?? 100);
  return {
    add(n) {
      total += n;
    },
    done(n) {
      done += n;
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      if (shown) write("\r\x1b[K");
    },
  };
}
