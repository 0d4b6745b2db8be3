/**
 * Builds standalone `casr` binaries with `deno compile` for every release target.
 *
 * It bundles the command line first (`scripts/bundle.ts`, into `dist/casr/`) and
 * compiles the bundle. `deno compile` downloads the `denort` runtime for each
 * target, so this needs internet access (the release workflow runs it); it
 * fails offline.
 *
 * Usage: `deno task compile [--target <triple>]... [--out dist]`
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { bundle, BUNDLE_DIR, BUNDLE_MAIN } from "./bundle.ts";

/** The targets released, as `deno compile --target` triples. */
export const TARGETS: readonly string[] = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
];

/**
 * The permissions baked into the binary. Home-relative roots cannot be scoped
 * at compile time, so reads and writes are broad; env access covers the storage
 * overrides; `run` lets `casr providers` ask agents for their versions.
 */
export const PERMISSIONS: readonly string[] = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-sys=homedir,osRelease,uid,gid",
  "--allow-run",
  "--no-prompt",
];

/**
 * The `deno compile` arguments for one target. The binary is built from the
 * bundle (`scripts/bundle.ts`), which starts faster than the module graph; the
 * bundle's other files are loaded by names the compiler cannot follow (the
 * command line, the read worker thread, the chunks they load), so each is
 * included.
 *
 * @param target The target triple.
 * @param outDir The output directory.
 * @param bundleDir The bundle's folder.
 * @param bundleFiles The names of the bundle's files.
 * @returns The arguments after `deno`.
 */
export function compileArgs(
  target: string,
  outDir: string,
  bundleDir: string,
  bundleFiles: readonly string[],
): string[] {
  const exe = target.includes("windows") ? ".exe" : "";
  const others = bundleFiles.filter((f) => f.endsWith(".js") && f !== BUNDLE_MAIN).sort();
  return [
    "compile",
    ...PERMISSIONS,
    ...others.flatMap((f) => ["--include", `${bundleDir}/${f}`]),
    "--target",
    target,
    "--output",
    `${outDir}/casr-${target}${exe}`,
    `${bundleDir}/${BUNDLE_MAIN}`,
  ];
}

/**
 * Explains a failed `deno compile` in one line when the cause is the runtime
 * download (no internet here), else returns `undefined`.
 *
 * @param stderr What `deno compile` printed.
 * @param target The target triple.
 * @returns The one-line explanation, or `undefined`.
 */
export function explainCompileFailure(stderr: string, target: string): string | undefined {
  // deno-lint-ignore no-control-regex
  const text = stderr.replace(/\x1b\[[0-9;]*m/g, "");
  if (!/denort/.test(text)) return undefined;
  if (!/(error sending request|dns error|Connect|timed out|certificate)/i.test(text)) {
    return undefined;
  }
  const url = /https:\/\/\S+denort\S+\.zip/.exec(text)?.[0] ?? "dl.deno.land";
  return `error: deno compile could not download its runtime for ${target} (${url}); ` +
    "this machine has no internet access: build the binaries where it does (the release workflow)";
}

async function sha256(file: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(file));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

if (import.meta.main) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const targets: string[] = [];
  let outDir = "dist";
  for (let i = 0; i < Deno.args.length; i++) {
    const arg = Deno.args[i];
    if (arg === "--target") targets.push(Deno.args[++i] ?? "");
    else if (arg === "--out") outDir = Deno.args[++i] ?? outDir;
    else {
      console.error(`error: unknown argument "${arg}" (expected --target <triple> or --out <dir>)`);
      Deno.exit(2);
    }
  }
  try {
    await bundle(BUNDLE_DIR, root);
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    Deno.exit(1);
  }
  const files = (await Array.fromAsync(Deno.readDir(path.join(root, BUNDLE_DIR))))
    .map((e) => e.name);
  const sums: string[] = [];
  for (const target of targets.length > 0 ? targets : TARGETS) {
    const args = compileArgs(target, outDir, BUNDLE_DIR, files);
    console.log(`deno ${args.join(" ")}`);
    const out = await new Deno.Command(Deno.execPath(), { args, cwd: root, stderr: "piped" })
      .output();
    const stderr = new TextDecoder().decode(out.stderr);
    if (out.code !== 0) {
      console.error(
        explainCompileFailure(stderr, target) ??
          `error: deno compile failed for ${target} (exit ${out.code}):\n${stderr.trim()}`,
      );
      Deno.exit(1);
    }
    const file = args[args.indexOf("--output") + 1] as string;
    sums.push(`${await sha256(file)}  ${file.split("/").at(-1)}`);
  }
  await Deno.writeTextFile(`${outDir}/SHA256SUMS`, sums.join("\n") + "\n");
  console.log(`wrote ${sums.length} binaries and ${outDir}/SHA256SUMS`);
}
