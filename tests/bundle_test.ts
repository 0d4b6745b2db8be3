/**
 * The bundle (`deno task bundle`, `scripts/bundle.ts`) runs as the module
 * graph does: the same version, the same listing, with its read worker
 * threads started from the bundle's own `read_worker.js`.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { bundle } from "../scripts/bundle.ts";
import { VERSION } from "../cli.ts";
import { crowdedHome } from "./fixture_home.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
const denoDir = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;

async function casr(entry: string, args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", entry, ...args],
    env: { DENO_DIR: denoDir, NO_COLOR: "1", ...env },
    cwd: ROOT,
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test({
  name: "the bundle lists what cli.ts lists, reading in worker threads of its own",
  // The install step runs the shim `deno install` writes: a POSIX shell script.
  ignore: Deno.build.os === "windows",
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "casr-bundle-" });
  try {
    const main = await bundle(path.join(dir, "casr"), ROOT);
    assert.equal(path.basename(main), "casr.js");
    // The entry stays small: the command line is loaded when a command runs.
    assert.ok((await Deno.stat(main)).size < 8_000, "casr.js holds only the start-up");
    const version = await casr(main, ["--version"], { HOME: dir });
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), VERSION);

    await using h = await crowdedHome();
    const env = { HOME: h.home, CASR_READ_THREADS: "2", CASR_LOG: "debug" };
    const bundled = await casr(main, ["list", "--json", "--no-cache"], env);
    const graph = await casr(path.join(ROOT, "cli.ts"), ["list", "--json", "--no-cache"], env);
    assert.equal(bundled.code, 0, bundled.stderr);
    assert.equal(graph.code, 0, graph.stderr);
    assert.match(bundled.stderr, /reading with 2 worker threads/);
    assert.doesNotMatch(bundled.stderr, /worker thread stopped|cannot start read worker/);
    const rows = JSON.parse(bundled.stdout);
    assert.ok(rows.total > 48, `${rows.total} sessions: too few to start the threads`);
    assert.deepEqual(rows, JSON.parse(graph.stdout));

    // The README's install line, into a folder of the test's own.
    const root = path.join(dir, "installed");
    const install = await new Deno.Command(Deno.execPath(), {
      args: ["install", "-g", "-A", "-n", "casr", "--root", root, main],
      env: { DENO_DIR: denoDir, HOME: dir, NO_COLOR: "1" },
      cwd: ROOT,
    }).output();
    assert.equal(install.code, 0, new TextDecoder().decode(install.stderr));
    const shim = await new Deno.Command(path.join(root, "bin", "casr"), {
      args: ["--version"],
      env: { DENO_DIR: denoDir, HOME: dir, PATH: `${path.dirname(Deno.execPath())}:/usr/bin:/bin` },
    }).output();
    assert.equal(new TextDecoder().decode(shim.stdout).trim(), VERSION);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
