/**
 * The reading a scan does for each session file — summarizing it for the
 * listing (a small file's exact count from the same read), reading it whole
 * for its exact count, or for its text in the search index — as plain jobs
 * with plain answers, so that {@linkcode ReadPool} can run them in worker
 * threads (`read_worker.ts`) as well as here.
 *
 * @module
 */
import { collectDenied, noteDenied } from "../internal/denied.ts";
import type { FileStat } from "../internal/fast_fs.ts";
import { withFileRead } from "../internal/file_reads.ts";
import type { Warning } from "../model/types.ts";
import type { Provider, ProviderContext, SessionSummary } from "../providers/types.ts";
import { getProvider } from "../providers/registry.ts";
import { EXACT_COUNT_BYTES } from "./exact_counts.ts";
import { type ReadFacts, readFacts, type SessionFacts } from "./session_facts.ts";
import { encodeText, type TextRead, textRead } from "./search_text.ts";

/** One file to read, and what for. */
export type ReadJob =
  | { kind: "facts"; provider: string; path: string }
  | { kind: "list"; provider: string; path: string; stat: FileStat }
  | { kind: "text"; provider: string; path: string };

/** What a job gives back, by kind. */
export interface ReadJobValues {
  /** The count, last time and tokens, and what the reader skipped. */
  facts: SessionFacts & { warnings: Warning[] };
  /**
   * The text the search index keeps, as UTF-8 (see {@linkcode answerBuffers}),
   * and the count and last time it tells.
   */
  text: TextRead;
  /**
   * The summary, and for a small file whose count the summary did not
   * estimate, its facts too (or that its reader failed), from one read.
   */
  list: ListedFile;
}

/** A file summarized for the listing, with its facts when it is small (see {@linkcode EXACT_COUNT_BYTES}). */
export interface ListedFile {
  /** The summary, or `undefined` when the file is no listable session. */
  summary: SessionSummary | undefined;
  /** The facts its reader gives, `{ failed: true }` when it could not read it, absent when not read. */
  facts?: ReadFacts;
}

/** A job's answer: its value, or why it failed; and the paths the OS refused. */
export type ReadAnswer<K extends ReadJob["kind"] = ReadJob["kind"]> =
  | { ok: true; value: ReadJobValues[K]; denied: string[] }
  | { ok: false; error: string; denied: string[] };

/**
 * Runs one job in this thread.
 *
 * @param job The job.
 * @param ctx Where to read.
 * @returns Its answer (never throws).
 */
export async function runReadJob<K extends ReadJob["kind"]>(
  job: ReadJob & { kind: K },
  ctx: ProviderContext,
): Promise<ReadAnswer<K>> {
  const provider = getProvider(job.provider);
  if (provider === undefined) return { ok: false, error: `no agent ${job.provider}`, denied: [] };
  let failure = "";
  const { value, denied } = await collectDenied(async () => {
    try {
      switch (job.kind) {
        case "list": {
          const { stat } = job as ReadJob & { kind: "list" };
          return await listFile(provider, job.path, stat, ctx) as ReadJobValues[K];
        }
        case "facts":
          return await readFacts(provider, job.path, ctx) as ReadJobValues[K];
        case "text": {
          const { session } = await provider.read(job.path, ctx, { textOnly: true });
          const read = textRead(session);
          return { ...read, text: encodeText(read.text) } as ReadJobValues[K];
        }
      }
    } catch (error) {
      noteDenied(error, job.path);
      failure = error instanceof Error ? error.message : String(error);
      return undefined;
    }
  });
  if (failure !== "") return { ok: false, error: failure, denied };
  return { ok: true, value: value as ReadJobValues[K], denied };
}

/**
 * The last job given to each of {@linkcode runReadJobInTurn}'s lines: small
 * files read whole, large files summarized from their head and tail, and
 * sessions read for their text.
 */
const lastInLine: Record<"whole" | "ends" | "text", Promise<unknown>> = {
  whole: Promise.resolve(),
  ends: Promise.resolve(),
  text: Promise.resolve(),
};

/**
 * Runs one job in this thread in turn: a small file's summary and exact count
 * after the one given before it, and a large file's summary from its head and
 * tail after the one before it, beside them. So at most one small file's text
 * and records are in memory at once, and the waits for a large file's reads
 * still overlap the parsing of another from disk. Sessions read for their
 * text (the search index) go one after another in a line of their own.
 *
 * Measured on 10,000 sessions (a cold list): jobs run side by side instead (32
 * at once in one thread, two at a time in each worker) took 1.4× and 1.1× as
 * long with the page cache warm, as the garbage collector had several files'
 * records to go through; every job in one line took 1.1× as long from disk;
 * reading the next small files' bytes ahead was slower both ways (1.1×). The
 * search index's reads went two at a time while a worker's reads were
 * asynchronous (one at a time took 1.08× as long: two overlapped their waits
 * for each 64 KiB); with blocking reads, one at a time measured 0.97× (6
 * pairs), with less memory.
 *
 * @param job The job.
 * @param ctx Where to read.
 * @returns Its answer (never throws).
 */
export function runReadJobInTurn<K extends ReadJob["kind"]>(
  job: ReadJob & { kind: K },
  ctx: ProviderContext,
): Promise<ReadAnswer<K>> {
  let line: keyof typeof lastInLine = "whole";
  if (job.kind === "text") line = "text";
  else if (
    job.kind === "list" && (job as ReadJob & { kind: "list" }).stat.size > EXACT_COUNT_BYTES
  ) {
    line = "ends";
  }
  const answer = lastInLine[line].then(() => runReadJob<K>(job, ctx));
  lastInLine[line] = answer.catch(() => {});
  return answer;
}

/**
 * Summarizes a file and, when it is small enough for an exact count, reads its
 * messages too, from one read of the file.
 */
function listFile(
  provider: Provider,
  path: string,
  stat: FileStat,
  ctx: ProviderContext,
): Promise<ListedFile> {
  const summarize = provider.summarize?.bind(provider);
  if (summarize === undefined) throw new Error("no summarizer");
  if (stat.size > EXACT_COUNT_BYTES) {
    return summarize(path, ctx, stat).then((summary) => ({ summary }));
  }
  return withFileRead(path, EXACT_COUNT_BYTES, async () => {
    const summary = await summarize(path, ctx, stat);
    if (summary === undefined || summary.messageCountEstimated === true) return { summary };
    try {
      return { summary, facts: await readFacts(provider, path, ctx) };
    } catch (error) {
      noteDenied(error, path);
      return { summary, facts: { failed: true } };
    }
  }, stat);
}

/** A batch of jobs sent to a worker. */
export interface ReadRequest {
  /** The batch's number. */
  id: number;
  /** Where to read. */
  ctx: ProviderContext;
  /** The jobs. */
  jobs: ReadJob[];
}

/** A worker's answers to a batch, in the jobs' order. */
export interface ReadResponse {
  /** The batch's number. */
  id: number;
  /** The answers. */
  answers: ReadAnswer[];
}

/**
 * The buffers of some answers that can be moved to another thread instead of
 * copied: the UTF-8 of texts read for the search index.
 *
 * @param answers A batch's answers.
 * @returns Each buffer once.
 */
export function answerBuffers(answers: readonly ReadAnswer[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const answer of answers) {
    if (!answer.ok || !("text" in answer.value)) continue;
    for (const column of Object.values(answer.value.text)) {
      if (column instanceof Uint8Array && column.buffer instanceof ArrayBuffer) {
        buffers.add(column.buffer);
      }
    }
  }
  return [...buffers];
}
