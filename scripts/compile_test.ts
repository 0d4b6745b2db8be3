import assert from "node:assert/strict";
import {
  compileArgs,
  explainCompileFailure,
  LAZY_MODULES,
  PERMISSIONS,
  TARGETS,
  WORKER_MODULES,
} from "./compile.ts";

Deno.test("compileArgs() names each binary by target and bakes the permissions in", () => {
  const linux = compileArgs("x86_64-unknown-linux-gnu", "dist");
  assert.deepEqual(linux.slice(-5), [
    "--target",
    "x86_64-unknown-linux-gnu",
    "--output",
    "dist/casr-x86_64-unknown-linux-gnu",
    "cli.ts",
  ]);
  assert.equal(
    compileArgs("x86_64-pc-windows-msvc", "out").at(-2),
    "out/casr-x86_64-pc-windows-msvc.exe",
  );
  for (const flag of PERMISSIONS) assert.ok(linux.includes(flag));
  assert.ok(PERMISSIONS.includes("--no-prompt"));
  assert.ok(!linux.includes("-A") && !linux.includes("--allow-all"));
  assert.equal(TARGETS.length, 5);
});

Deno.test("explainCompileFailure() turns the offline runtime download into one line", () => {
  const stderr = `Download https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip
error: Writing deno compile executable to temporary file '/tmp/x.tmp'
Caused by:
    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip): client error (Connect): dns error`;
  const line = explainCompileFailure(stderr, "x86_64-unknown-linux-gnu");
  assert.ok(line);
  assert.ok(!line.includes("\n"));
  assert.match(line, /could not download its runtime for x86_64-unknown-linux-gnu/);
  assert.equal(explainCompileFailure("error: Module not found cli.ts", "t"), undefined);
});

Deno.test("compileArgs() includes every module cli.ts loads through a constant", async () => {
  const cli = await Deno.readTextFile(new URL("../cli.ts", import.meta.url));
  const lazy = [...cli.matchAll(/^const [A-Z_]+ = "\.\/(src\/[^"]+\.ts)";$/gm)].map((m) => m[1]);
  assert.ok(lazy.length >= 2, "cli.ts loads the command line lazily");
  assert.deepEqual([...lazy].sort(), [...LAZY_MODULES].sort());
  const args = compileArgs("x86_64-unknown-linux-gnu", "dist");
  for (const m of lazy) assert.equal(args[args.indexOf(m!) - 1], "--include", m);
});

Deno.test("compileArgs() includes the read pool's worker module", async () => {
  const pool = await Deno.readTextFile(new URL("../src/pipeline/read_pool.ts", import.meta.url));
  const spec = /^const WORKER_MODULE = "\.\/([^"]+\.ts)";$/m.exec(pool)?.[1];
  assert.ok(spec, "read_pool.ts names its worker module in a constant");
  assert.deepEqual(WORKER_MODULES, [`src/pipeline/${spec}`]);
  await Deno.stat(new URL(`../${WORKER_MODULES[0]}`, import.meta.url));
  const args = compileArgs("x86_64-unknown-linux-gnu", "dist");
  assert.equal(args[args.indexOf(WORKER_MODULES[0] as string) - 1], "--include");
});
