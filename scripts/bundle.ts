/**
 * Bundles the command line with `deno bundle` into `dist/casr/`: `casr.js`
 * (the entry, from `cli/casr.ts`), `read_worker.js` (the read threads' entry)
 * and the chunks they load, npm packages included, so the folder runs on its
 * own: `deno run -A dist/casr/casr.js list`.
 *
 * Code splitting keeps what a command loads on demand in chunks of their own
 * (zod, the tokenizer, the command line itself), so `casr --version` loads
 * one small file and `casr list` about a megabyte of JavaScript instead of
 * some 250 TypeScript modules. The binaries (`scripts/compile.ts`) are built
 * from this folder.
 *
 * Usage: `deno task bundle [--out dist/casr]`
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** Where the bundle goes unless told. */
export const BUNDLE_DIR = "dist/casr";

/** The bundle's entry points, relative to the repository root, each a file of `BUNDLE_DIR`. */
export const BUNDLE_ENTRIES: readonly string[] = [
  "cli/casr.ts",
  "cli/casr_app.ts",
  "cli/read_worker.ts",
];

/** The file a user runs, in the bundle's folder. */
export const BUNDLE_MAIN = "casr.js";

/**
 * The `deno bundle` arguments.
 *
 * @param outDir The output folder.
 * @returns The arguments after `deno`.
 */
export function bundleArgs(outDir: string): string[] {
  return [
    "bundle",
    "--platform",
    "deno",
    "--code-splitting",
    "--outdir",
    outDir,
    ...BUNDLE_ENTRIES,
  ];
}

/**
 * Bundles the command line into `outDir` (emptied first).
 *
 * @param outDir The output folder.
 * @param root The repository root.
 * @returns The path of the bundle's entry, `<outDir>/casr.js`.
 * @throws {Error} With `deno bundle`'s own message when it fails.
 */
export async function bundle(outDir: string, root: string): Promise<string> {
  const out = path.resolve(root, outDir);
  await Deno.remove(out, { recursive: true }).catch(() => {});
  const run = await new Deno.Command(Deno.execPath(), {
    args: bundleArgs(out),
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (run.code !== 0) {
    const why = new TextDecoder().decode(run.stderr).trim();
    throw new Error(`deno bundle failed (exit ${run.code}): ${why}`);
  }
  const main = path.join(out, BUNDLE_MAIN);
  for (const file of [main, path.join(out, "casr_app.js"), path.join(out, "read_worker.js")]) {
    await Deno.stat(file).catch(() => {
      throw new Error(`deno bundle did not write ${file}: are the entries still in cli/?`);
    });
  }
  return main;
}

if (import.meta.main) {
  let outDir = BUNDLE_DIR;
  for (let i = 0; i < Deno.args.length; i++) {
    const arg = Deno.args[i];
    if (arg === "--out") outDir = Deno.args[++i] ?? outDir;
    else {
      console.error(`error: unknown argument "${arg}" (expected --out <dir>)`);
      Deno.exit(2);
    }
  }
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  try {
    const main = await bundle(outDir, root);
    console.log(`wrote ${path.relative(root, main)}: run it with deno run -A ${main}`);
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exit(1);
  }
}
