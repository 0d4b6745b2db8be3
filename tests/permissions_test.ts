import assert from "node:assert/strict";
import * as path from "node:path";
import { crowdedHome } from "./fixture_home.ts";

const ROOT = path.resolve(import.meta.dirname ?? ".", "..");

/** The narrow `deno run` command of docs/permissions.md, as arguments for `home`. */
async function documentedCommand(home: string): Promise<string[]> {
  const doc = await Deno.readTextFile(path.join(ROOT, "docs", "permissions.md"));
  const block = /```sh\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(block, "docs/permissions.md has no sh block");
  const words = block.replace(/\\\n/g, " ").trim().split(/\s+/);
  assert.equal(words[0], "deno");
  return words.slice(1).map((w) => w.replaceAll('"$HOME"', home).replaceAll('"$PWD"', ROOT));
}

Deno.test("the narrow permissions of docs/permissions.md run casr list from a checkout, worker threads included", async () => {
  await using h = await crowdedHome();
  const args = await documentedCommand(h.home);
  assert.equal(args.at(-2), "cli.ts");
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...args, "--no-cache", "--limit", "1"],
    cwd: ROOT,
    clearEnv: true,
    env: {
      HOME: h.home,
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      DENO_DIR: Deno.env.get("DENO_DIR") ??
        path.join(Deno.env.get("HOME") ?? "/root", ".cache", "deno"),
      XDG_CACHE_HOME: path.join(h.home, ".cache"),
      NO_COLOR: "1",
      CASR_LOG: "debug",
      CASR_READ_THREADS: "2",
    },
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr.slice(-2000));
  assert.match(stdout, /… \d+ more \(use --limit to see more\)/);
  assert.ok(Number(/… (\d+) more/.exec(stdout)?.[1]) >= 60, stdout);
  assert.match(stderr, /reading with 2 worker threads/);
  assert.doesNotMatch(stderr, /stopped|cannot start/);
});
