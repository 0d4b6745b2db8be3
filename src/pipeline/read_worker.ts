/**
 * A worker thread of {@linkcode ReadPool}: runs batches of read jobs and posts
 * their answers back, reading a few files of each batch at once.
 *
 * @module
 */
import { mapLimit } from "../internal/fast_fs.ts";
import { type ReadRequest, type ReadResponse, runReadJob } from "./read_jobs.ts";

/** Files one worker reads at once: enough to overlap its I/O with parsing. */
const WORKER_CONCURRENCY = 1;

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ReadRequest>) => void) | null;
  postMessage(message: ReadResponse): void;
};

scope.onmessage = async (event: MessageEvent<ReadRequest>): Promise<void> => {
  const { id, ctx, jobs } = event.data;
  const answers = await mapLimit(jobs, WORKER_CONCURRENCY, (job) => runReadJob(job, ctx));
  scope.postMessage({ id, answers });
};
