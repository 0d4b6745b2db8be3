/**
 * Builds standalone `casr` binaries with `deno compile` for every release target.
 *
 * `deno compile` downloads the `denort` runtime for each target, so this needs
 * internet access (the release workflow runs it); it fails offline.
 *
 * Usage: `deno task compile [--target <triple>]... [--out dist]`
 *
 * @module
 */

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
  "--allow-sys=homedir,osRelease",
  "--allow-run",
  "--no-prompt",
];

/**
 * The `deno compile` arguments for one target.
 *
 * @param target The target triple.
 * @param outDir The output directory.
 * @returns The arguments after `deno`.
 */
export function compileArgs(target: string, outDir: string): string[] {
  const exe = target.includes("windows") ? ".exe" : "";
  return [
    "compile",
    ...PERMISSIONS,
    "--target",
    target,
    "--output",
    `${outDir}/casr-${target}${exe}`,
    "cli.ts",
  ];
}

if (import.meta.main) {
  const targets: string[] = [];
  let outDir = "dist";
  for (let i = 0; i < Deno.args.length; i++) {
    const arg = Deno.args[i];
    if (arg === "--target") targets.push(Deno.args[++i] ?? "");
    else if (arg === "--out") outDir = Deno.args[++i] ?? outDir;
    else {
      console.error(`error: unknown argument "${arg}"`);
      Deno.exit(2);
    }
  }
  for (const target of targets.length > 0 ? targets : TARGETS) {
    const args = compileArgs(target, outDir);
    console.log(`deno ${args.join(" ")}`);
    const { code } = await new Deno.Command(Deno.execPath(), { args }).spawn().status;
    if (code !== 0) {
      console.error(`error: deno compile failed for ${target} (exit ${code})`);
      Deno.exit(1);
    }
  }
}
