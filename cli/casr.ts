/**
 * The entry `deno task bundle` builds `dist/casr/casr.js` from (see
 * `scripts/bundle.ts`). It runs the same command line as `cli.ts`. The
 * command line is a bundle entry of its own, `casr_app.js`, loaded through a
 * name the bundler and Deno do not follow, so that `casr --version` loads this
 * small file alone and a command loads a few chunks instead of some 250
 * modules.
 *
 * @module
 */
import { runProcess, startProcess } from "../src/cli/start.ts";

// Beside this file: casr_app.ts in the source, casr_app.js in the bundle.
const APP = import.meta.url.endsWith(".ts") ? "./casr_app.ts" : "./casr_app.js";

if (import.meta.main) {
  await startProcess((args) => runProcess(args, { app: () => import(APP), io: () => import(APP) }));
}
