import assert from "node:assert/strict";
import { compileArgs, explainCompileFailure, PERMISSIONS, TARGETS } from "./compile.ts";
import { BUNDLE_ENTRIES } from "./bundle.ts";

Deno.test("compileArgs() names each binary by target and bakes the permissions in", () => {
  const linux = compileArgs("x86_64-unknown-linux-gnu", "dist", "dist/casr", ["casr.js"]);
  assert.deepEqual(linux.slice(-5), [
    "--target",
    "x86_64-unknown-linux-gnu",
    "--output",
    "dist/casr-x86_64-unknown-linux-gnu",
    "dist/casr/casr.js",
  ]);
  assert.equal(
    compileArgs("x86_64-pc-windows-msvc", "out", "dist/casr", ["casr.js"]).at(-2),
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

Deno.test("compileArgs() compiles the bundle's entry and includes its other files", () => {
  const files = ["casr.js", "casr_app.js", "read_worker.js", "chunk-A1.js", "README.txt"];
  const args = compileArgs("x86_64-unknown-linux-gnu", "dist", "dist/casr", files);
  assert.equal(args.at(-1), "dist/casr/casr.js");
  const included = args.flatMap((a, i) => args[i - 1] === "--include" ? [a] : []);
  assert.deepEqual(included, [
    "dist/casr/casr_app.js",
    "dist/casr/chunk-A1.js",
    "dist/casr/read_worker.js",
  ]);
});

Deno.test("the bundle's entries are the files cli/casr.ts and read_pool.ts load by name", async () => {
  const entry = await Deno.readTextFile(new URL("../cli/casr.ts", import.meta.url));
  assert.match(entry, /"\.\/casr_app\.js"/);
  const pool = await Deno.readTextFile(new URL("../src/pipeline/read_pool.ts", import.meta.url));
  assert.match(pool, /"\.\/read_worker\.js"/);
  assert.deepEqual(BUNDLE_ENTRIES, ["cli/casr.ts", "cli/casr_app.ts", "cli/read_worker.ts"]);
  for (const e of BUNDLE_ENTRIES) await Deno.stat(new URL(`../${e}`, import.meta.url));
});
