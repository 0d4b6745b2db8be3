/**
 * The reading a scan does for each session file — summarizing it for the
 * listing, reading it whole for its exact count, or for its text in the search
 * index — as plain jobs with plain answers, so that {@linkcode ReadPool} can
 * run them in worker threads (`read_worker.ts`) as well as here.
 *
 * @module
 */
import { collectDenied, noteDenied } from "../internal/denied.ts";
import type { FileStat } from "../internal/fast_fs.ts";
import type { Warning } from "../model/types.ts";
import type { ProviderContext, SessionSummary } from "../providers/types.ts";
import { getProvider } from "../providers/registry.ts";
import { type SessionFacts, sessionFacts } from "./exact_counts.ts";
import { type SessionText, sessionText } from "./search_text.ts";

/** One file to read, and what for. */
export type ReadJob =
  | { kind: "summarize"; provider: string; path: string; stat?: FileStat | undefined }
  | { kind: "facts"; provider: string; path: string }
  | { kind: "text"; provider: string; path: string };

/** What a job gives back, by kind. */
export interface ReadJobValues {
  /** The summary, or `undefined` when the file is no listable session. */
  summarize: SessionSummary | undefined;
  /** The count, last time and tokens, and what the reader skipped. */
  facts: SessionFacts & { warnings: Warning[] };
  /** The text the search index keeps. */
  text: SessionText;
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
        case "summarize": {
          if (provider.summarize === undefined) throw new Error("no summarizer");
          const { stat } = job as ReadJob & { kind: "summarize" };
          return await provider.summarize(job.path, ctx, stat) as ReadJobValues[K];
        }
        case "facts": {
          const { session, warnings } = await provider.read(job.path, ctx);
          return { ...sessionFacts(session.messages), warnings } as ReadJobValues[K];
        }
        case "text": {
          const { session } = await provider.read(job.path, ctx, { textOnly: true });
          return sessionText(session) as ReadJobValues[K];
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
