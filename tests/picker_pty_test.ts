/**
 * The session picker in a real pseudo-terminal (util-linux `script`): casr
 * started with no session on a terminal draws the picker, filters as the user
 * types, converts the chosen session on Enter, and leaves everything as it was
 * on Esc (status 130). Skipped where `script` is missing.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { fixtureFor, loadManifest, ROOT, tempHome } from "./helpers.ts";

const fixtures = await loadManifest();
const codexMessy = fixtureFor(fixtures, "codex", "messy");
const WORKSPACE = codexMessy.workspace!;
const hasScript = await new Deno.Command("script", { args: ["--version"], stdout: "null" })
  .output().then((o) => o.success).catch(() => false);

/** Runs casr in a pseudo-terminal; sends each key chunk once the output shows `waitFor`. */
function inTerminal(
  args: string[],
  home: string,
  steps: { waitFor: RegExp; send: string }[],
): Promise<{ code: number | null; output: string }> {
  const command = [Deno.execPath(), "run", "-A", "--quiet", path.join(ROOT, "cli.ts"), ...args]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const env: Record<string, string> = {
    HOME: home,
    PATH: "/usr/bin:/bin",
    TERM: "xterm",
    TZ: "UTC",
    COLUMNS: "100",
    LINES: "30",
  };
  for (const name of ["DENO_DIR", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "XDG_CACHE_HOME"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  if (env.DENO_DIR === undefined) env.DENO_DIR = path.join(Deno.env.get("HOME")!, ".cache", "deno");
  return new Promise((resolve) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: WORKSPACE, env });
    let output = "";
    let step = 0;
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (chunk: Uint8Array) => {
      output += new TextDecoder().decode(chunk);
      while (step < steps.length && steps[step]!.waitFor.test(output)) {
        child.stdin.write(steps[step]!.send);
        step++;
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      // Colours and cursor moves aside, as a person reads it.
      // deno-lint-ignore no-control-regex -- terminal escape sequences
      resolve({ code, output: output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "") });
    });
  });
}

Deno.test({
  name: "picker in a pseudo-terminal: type to filter, Enter converts the chosen session",
  ignore: !hasScript,
  fn: async () => {
    await using home = await tempHome(["codex", "claude-code"]);
    await Deno.mkdir(WORKSPACE, { recursive: true });
    const run = await inTerminal(["cc", "resume"], home.home, [
      { waitFor: /type to filter/, send: codexMessy.sessionId.slice(0, 8) },
      { waitFor: /1 of \d+ sessions matches/, send: "\r" },
    ]);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /Resume in Claude Code/);
    assert.doesNotMatch(run.output, /> claude-code /, "the target's own sessions are not offered");
    assert.match(run.output, new RegExp(`Converted codex session \\S*${codexMessy.sessionId}`));
    assert.match(run.output, /Resume it with:\s+cd .* && claude --resume/);
  },
});

Deno.test({
  name: "picker in a pseudo-terminal: Esc cancels with status 130 and writes nothing",
  ignore: !hasScript,
  fn: async () => {
    await using home = await tempHome(["codex"]);
    await Deno.mkdir(WORKSPACE, { recursive: true });
    const run = await inTerminal(["gmi", "resume"], home.home, [
      { waitFor: /type to filter/, send: "\x1b" },
    ]);
    assert.equal(run.code, 130, run.output);
    const gemini = await Deno.stat(path.join(home.home, ".gemini")).then(() => true, () => false);
    assert.equal(gemini, false, "nothing was written");
  },
});
