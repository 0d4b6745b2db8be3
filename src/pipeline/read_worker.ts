/**
 * A worker thread of {@linkcode ReadPool}: runs batches of read jobs in turn
 * (`runReadJobInTurn`, across the batches it holds), and posts their answers
 * back. In turn because the thread's core is the limit (parsing, not I/O), and
 * two sessions in one thread's memory at once make its garbage collector work
 * for nothing.
 *
 * @module
 */
import {
  answerBuffers,
  type ReadAnswer,
  type ReadRequest,
  type ReadResponse,
  runReadJobInTurn,
} from "./read_jobs.ts";
import { useBlockingIo } from "../internal/fast_fs.ts";

useBlockingIo();

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ReadRequest>) => void) | null;
  postMessage(message: ReadResponse, transfer: Transferable[]): void;
};

scope.onmessage = async (event: MessageEvent<ReadRequest>): Promise<void> => {
  const { id, ctx, jobs } = event.data;
  const answers: ReadAnswer[] = await Promise.all(jobs.map((job) => runReadJobInTurn(job, ctx)));
  // The index's texts are moved, not copied (about a second of each worker's
  // time over 10,000 sessions, and as much of the thread that takes them).
  scope.postMessage({ id, answers }, answerBuffers(answers));
};
