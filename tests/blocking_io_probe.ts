/**
 * Test helper (not part of the library): a worker that switches to blocking
 * file calls, then reads the files it is sent every way `src/internal/file_reads.ts` and
 * `fast_fs.ts` can, and posts what it got, for `blocking_io_test.ts`.
 *
 * @module
 */
import { isBlockingIo, useBlockingIo } from "../src/internal/fast_fs.ts";
import { readsOf } from "./blocking_io_reads.ts";

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<{ files: string[]; blocking: boolean }>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = async (event) => {
  if (event.data.blocking) useBlockingIo();
  const reads = await readsOf(event.data.files);
  scope.postMessage({ blocking: isBlockingIo(), reads });
};
