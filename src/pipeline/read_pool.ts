/**
 * Worker threads for scans that read many files: a cold `list` (summaries and
 * exact counts) and building the search index parse JSON on every core
 * instead of one. Where the runtime has no `Worker` (Node), where the machine
 * has one core, or where a worker cannot start or fails, there is no pool (or
 * it answers `undefined`) and the caller reads in its own thread, as before.
 *
 * `CASR_READ_THREADS` sets the number of threads (`0` or `1`: none). By
 * default there is one per core, at most 4, except under Bun (none: they
 * measured no faster there).
 *
 * @module
 */
import type { ProviderContext } from "../providers/types.ts";
import type { ReadAnswer, ReadJob, ReadRequest, ReadResponse } from "./read_jobs.ts";

/** Jobs sent to a worker in one message. */
const BATCH = 8;
/** Batches a worker holds at once, so it never waits for the next. */
const IN_FLIGHT = 2;
/** At most this many threads, however many cores. */
const MAX_THREADS = 4;

/**
 * The worker's module, next to this one. In the bundle (`scripts/bundle.ts`)
 * this code is in a `.js` file beside the worker's own entry, `read_worker.js`.
 */
const WORKER_MODULE = import.meta.url.endsWith(".ts") ? "./read_worker.ts" : "./read_worker.js";

interface Pending {
  job: ReadJob;
  resolve(answer: ReadAnswer | undefined): void;
}

interface Thread {
  worker: Worker;
  batches: Map<number, Pending[]>;
}

/** Options for {@linkcode ReadPool.open}. */
export interface ReadPoolOptions {
  /**
   * Threads to start.
   *
   * @default {`CASR_READ_THREADS`, else the cores (at most 4)}
   */
  threads?: number;
  /** Told when the threads start, and why they stopped if they fail. */
  log?: (text: string) => void;
  /**
   * The worker's module (for tests of a worker that fails).
   *
   * @default {"./read_worker.ts"} next to this module
   */
  workerModule?: URL;
}

/**
 * How many threads a pool would have in this environment.
 *
 * @param env The environment (`CASR_READ_THREADS`).
 * @returns The count; below 2 means no pool.
 */
export function readThreads(env: Readonly<Record<string, string | undefined>>): number {
  const own = env.CASR_READ_THREADS?.trim();
  if (own !== undefined && own !== "") {
    const n = Number(own);
    return Number.isInteger(n) && n >= 0 ? Math.min(n, 64) : 0;
  }
  // Under Bun the threads measured no faster than its one thread (10,000
  // sessions on 2 cores: 3.7 s against 3.8 s), so they are off unless asked for.
  if ("Bun" in globalThis) return 0;
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency ?? 1;
  return Math.min(cores, MAX_THREADS);
}

/** Worker threads that run {@linkcode ReadJob}s. */
export class ReadPool {
  #ctx: ProviderContext;
  #size: number;
  #threads: Thread[] | undefined;
  #queue: Pending[] = [];
  #nextId = 0;
  #broken = false;
  #scheduled = false;
  #answered = 0;
  #log: (text: string) => void;
  #module: URL;

  private constructor(ctx: ProviderContext, size: number, options: ReadPoolOptions) {
    this.#ctx = { env: { ...ctx.env }, homeDir: ctx.homeDir, cwd: ctx.cwd };
    this.#size = size;
    this.#log = options.log ?? (() => {});
    this.#module = options.workerModule ?? new URL(WORKER_MODULE, import.meta.url);
  }

  /**
   * A pool for `ctx`, or `undefined` where threads would not help or cannot
   * run. No thread starts until the first job.
   *
   * @param ctx Where the jobs read.
   * @param options How many threads.
   * @returns The pool.
   */
  static open(ctx: ProviderContext, options: ReadPoolOptions = {}): ReadPool | undefined {
    const size = options.threads ?? readThreads(ctx.env);
    if (size < 2 || typeof (globalThis as { Worker?: unknown }).Worker !== "function") {
      return undefined;
    }
    return new ReadPool(ctx, size, options);
  }

  /**
   * Runs a job in a worker.
   *
   * @param job The job.
   * @returns Its answer, or `undefined` when the pool could not run it (then
   * the caller runs it itself).
   */
  run<K extends ReadJob["kind"]>(job: ReadJob & { kind: K }): Promise<ReadAnswer<K> | undefined> {
    if (this.#broken) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#queue.push({ job, resolve: resolve as Pending["resolve"] });
      if (!this.#scheduled) {
        this.#scheduled = true;
        queueMicrotask(() => {
          this.#scheduled = false;
          this.#pump();
        });
      }
    });
  }

  /** Jobs the threads answered so far. */
  get answered(): number {
    return this.#answered;
  }

  /** Stops the threads. Jobs still waiting are answered `undefined`. */
  close(): void {
    this.#fail();
  }

  #start(): Thread[] {
    const threads: Thread[] = [];
    try {
      const url = this.#module.href;
      for (let i = 0; i < this.#size; i++) {
        const thread: Thread = {
          worker: new Worker(url, { type: "module" }),
          batches: new Map(),
        };
        thread.worker.onmessage = (event: MessageEvent<ReadResponse>) => {
          const batch = thread.batches.get(event.data.id);
          thread.batches.delete(event.data.id);
          batch?.forEach((p, i) => p.resolve(event.data.answers[i]));
          this.#answered += batch?.length ?? 0;
          this.#pump();
        };
        thread.worker.onerror = (event: Event) => {
          event.preventDefault?.();
          const why = (event as ErrorEvent).message ?? "it failed";
          this.#log(`a read worker thread stopped (${why}); reading in this thread`);
          this.#fail();
        };
        threads.push(thread);
      }
    } catch (error) {
      for (const t of threads) t.worker.terminate();
      this.#broken = true;
      const why = error instanceof Error ? error.message : String(error);
      this.#log(`cannot start read worker threads (${why}); reading in this thread`);
      return [];
    }
    this.#log(`reading with ${threads.length} worker threads`);
    return threads;
  }

  #pump(): void {
    if (this.#broken) return this.#fail();
    this.#threads ??= this.#start();
    if (this.#threads.length === 0) return this.#fail();
    for (const thread of this.#threads) {
      while (thread.batches.size < IN_FLIGHT && this.#queue.length > 0) {
        const size = Math.max(
          1,
          Math.min(BATCH, Math.ceil(this.#queue.length / this.#threads.length)),
        );
        const batch = this.#queue.splice(0, size);
        const id = this.#nextId++;
        thread.batches.set(id, batch);
        const request: ReadRequest = { id, ctx: this.#ctx, jobs: batch.map((p) => p.job) };
        try {
          thread.worker.postMessage(request);
        } catch {
          return this.#fail();
        }
      }
    }
  }

  /** Ends the pool: every job not yet answered is answered `undefined`. */
  #fail(): void {
    this.#broken = true;
    for (const thread of this.#threads ?? []) {
      thread.worker.terminate();
      for (const batch of thread.batches.values()) for (const p of batch) p.resolve(undefined);
      thread.batches.clear();
    }
    for (const p of this.#queue.splice(0)) p.resolve(undefined);
  }
}
