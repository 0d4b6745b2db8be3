/**
 * The read worker thread's entry in the bundle (see `scripts/bundle.ts`):
 * `dist/casr/read_worker.js`, next to the chunks that start it.
 *
 * @module
 */
import "../src/pipeline/read_worker.ts";
