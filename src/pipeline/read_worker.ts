/**
 * A worker thread of {@linkcode ReadPool}: runs batches of read jobs, one job
 * at a time, and posts their answers back. One at a time because the thread's
 * core is the limit (parsing, not I/O), and two sessions in one thread's memory
 * at once would add to the pool's peak for nothing.
 *
 * @module
 */
import { type ReadAnswer, type ReadRequest, type ReadResponse, runReadJob } from "./read_jobs.ts";

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ReadRequest>) => void) | null;
  postMessage(message: ReadResponse): void;
};

scope.onmessage = async (event: MessageEvent<ReadRequest>): Promise<void> => {
  const { id, ctx, jobs } = event.data;
  const answers: ReadAnswer[] = [];
  for (const job of jobs) answers.push(await runReadJob(job, ctx));
  scope.postMessage({ id, answers });
};
