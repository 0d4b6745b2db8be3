/**
 * The README's demo: takes a genuine Codex CLI session from fixtures/, converts
 * it to Claude Code inside a throwaway home, and shows each step's output.
 * Nothing outside the temp home is read or written.
 *
 * Usage: `deno task demo [--keep]`
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "../cli.ts";
import type { ProviderContext } from "../mod.ts";
import { copyTree } from "../tests/fixture_home.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function casr(args: string[], ctx: ProviderContext, quiet = false): Promise<string> {
  if (!quiet) console.log(`\n$ casr ${args.join(" ")}`);
  let out = "";
  const code = await run(args, {
    out: (t) => {
      out += t;
      if (!quiet) Deno.stdout.writeSync(new TextEncoder().encode(t));
    },
    err: (t) => void Deno.stderr.writeSync(new TextEncoder().encode(t)),
    isTty: Deno.stdout.isTerminal(),
    env: { ...ctx.env },
  }, ctx);
  if (code !== 0) throw new Error(`casr ${args.join(" ")} exited with ${code}`);
  return out;
}

if (import.meta.main) {
  const keep = Deno.args.includes("--keep");
  const manifest = JSON.parse(await Deno.readTextFile(path.join(ROOT, "fixtures/manifest.json")));
  const fixtures = (Array.isArray(manifest) ? manifest : manifest.fixtures) as {
    provider: string;
    scenario: string;
    sessionId: string;
    cliVersion?: string;
  }[];
  const source = fixtures.find((f) => f.provider === "codex" && f.scenario === "basic");
  if (!source) throw new Error("fixtures/manifest.json lists no basic Codex fixture");
  const home = await Deno.makeTempDir({ prefix: "casr-demo-" });
  try {
    await copyTree(path.join(ROOT, "fixtures", "codex"), home);
    const ctx: ProviderContext = {
      env: { HOME: home, PATH: Deno.env.get("PATH") ?? "", NO_COLOR: Deno.env.get("NO_COLOR") },
      homeDir: home,
      cwd: home,
    };
    console.log(
      `casr demo: a throwaway HOME at ${home} holding the real Codex CLI ${
        source.cliVersion ?? ""
      } sessions from fixtures/codex; it converts ${source.sessionId}.`,
    );
    await casr(["list"], ctx);
    await casr(["info", source.sessionId.slice(0, 8), "--peek", "4"], ctx);
    await casr(["cc", "resume", source.sessionId.slice(0, 8)], ctx);
    const listed = JSON.parse(await casr(["list", "--provider", "cc", "--json"], ctx, true)) as {
      sessions: { id: string; path: string }[];
    };
    const target = listed.sessions[0];
    if (!target) throw new Error("the converted session is not listed");
    await casr(["info", target.id, "--peek", "3"], ctx);
    console.log(
      `\nDone: the Codex session now also exists as Claude Code session ${target.id}.\n` +
        (keep
          ? `With Claude Code installed and HOME=${home}, the "Resume it with" command above continues it.`
          : `Run "deno task demo --keep" to keep the throwaway home and resume it with Claude Code.`),
    );
  } finally {
    if (keep) console.log(`\nKept ${home}`);
    else await Deno.remove(home, { recursive: true });
  }
}
