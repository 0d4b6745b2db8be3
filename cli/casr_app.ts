/**
 * The command line, as one entry of the bundle (`dist/casr/casr_app.js`, see
 * `scripts/bundle.ts`), which `cli/casr.ts` loads when a command runs.
 *
 * @module
 */
export { run } from "../src/cli/app.ts";
export { processIo } from "../src/cli/io.ts";
