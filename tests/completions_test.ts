/**
 * Completion scripts loaded in the real shells (bash, zsh and fish from Debian;
 * CI installs them) complete a subcommand, a provider alias and a flag, and,
 * through casr itself (a `casr` on PATH running cli.ts on a home with the Codex
 * fixtures), session ids most recent first, agent names after `--source`,
 * `--from` and `-p`, and the values of `--sort` and `--format`.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { fixtureFor, loadManifest, ROOT, runCli, tempHome } from "./helpers.ts";

const fixtures = await loadManifest();
const codexIds = ["messy", "multi-tool", "basic"].map((s) =>
  fixtureFor(fixtures, "codex", s).sessionId
);

async function which(name: string): Promise<string | undefined> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    const p = `${dir}/${name}`;
    if (await Deno.stat(p).then((s) => s.isFile).catch(() => false)) return p;
  }
  return undefined;
}

async function script(shell: string): Promise<string> {
  await using home = await tempHome([]);
  const run = await runCli(["completions", shell], home.ctx);
  assert.equal(run.code, 0);
  return run.stdout;
}

/** A home with the Codex fixtures and a `casr` on PATH that lists it. */
const home = await tempHome(["codex"]);
const casrBin = path.join(home.home, "bin");
await Deno.mkdir(casrBin);
{
  const denoDir = Deno.env.get("DENO_DIR") ??
    path.join(Deno.env.get("HOME") ?? "/root", ".cache", "deno");
  await Deno.writeTextFile(
    path.join(casrBin, "casr"),
    `#!/bin/sh\nexec env HOME='${home.home}' DENO_DIR='${denoDir}' '${Deno.execPath()}' run -A --quiet '${
      path.join(ROOT, "cli.ts")
    }' "$@"\n`,
  );
  await Deno.chmod(path.join(casrBin, "casr"), 0o755);
}
globalThis.addEventListener("unload", () => {
  Deno.removeSync(home.home, { recursive: true });
});

async function shellOutput(shell: string, args: string[], input: string): Promise<string> {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/casr-completion`;
    await Deno.writeTextFile(file, input);
    const out = await new Deno.Command(shell, {
      args: [...args, file],
      env: { HOME: dir, PATH: `${casrBin}:${Deno.env.get("PATH") ?? ""}` },
      clearEnv: true,
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    return new TextDecoder().decode(out.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Words completed for each command line: [line words, cursor index, words expected]. */
const CASES: [string[], number, string[]][] = [
  [["casr", "re"], 1, ["resume"]],
  [["casr", "resume", "c"], 2, ["cc", "claude", "claude-code", "cod", "codex"]],
  [["casr", "list", "--so"], 2, ["--sort"]],
  [["casr", "ha"], 1, ["handoff"]],
  [["casr", "handoff", "c"], 2, ["cc", "claude", "claude-code", "cod", "codex"]],
  [["casr", "handoff", "cc", "abc", "--la"], 4, ["--last"]],
  [["casr", "resume", "cc", "abc", "--max-c"], 4, ["--max-context-tokens"]],
  // From casr at completion time: session ids, newest first.
  [["casr", "resume", "cc", ""], 3, codexIds],
  [["casr", "cc", "resume", "01a2"], 3, codexIds],
  [["casr", "info", ""], 2, codexIds],
  [["casr", "resume", "--source", "cod", "gmi", ""], 5, codexIds],
  [["casr", "resume", "cc", "--from", "co"], 4, ["codex", "cod", "copilot-cli"]],
  [["casr", "list", "-p", "gem"], 3, ["gemini-cli", "gemini"]],
  [["casr", "list", "--sort", ""], 3, ["date", "messages", "provider"]],
  [["casr", "export", "abc", "--format", ""], 4, ["md", "html"]],
  [["casr", "completions", "z"], 2, ["zsh"]],
];

/** The cases whose expected words must come in this order (session ids, newest first). */
const ORDERED = new Set([CASES.length - 9, CASES.length - 8, CASES.length - 7, CASES.length - 6]);

const bash = await which("bash");
Deno.test({
  name: "bash completes subcommands, provider aliases and flags",
  ignore: bash === undefined,
  async fn() {
    const body = await script("bash");
    for (const [words, cword, expected] of CASES) {
      const driver = `${body}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${cword}
_casr; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const out = (await shellOutput(bash!, [], driver)).split("\n").filter(Boolean);
      for (const word of expected) assert.ok(out.includes(word), `${words.join(" ")} → ${out}`);
      if (ORDERED.has(CASES.findIndex((c) => c[0] === words))) {
        assert.deepEqual(out.filter((w) => expected.includes(w)), expected, "newest first");
      }
    }
  },
});

const zsh = await which("zsh");
Deno.test({
  name: "zsh completes subcommands, provider aliases and flags",
  ignore: zsh === undefined,
  async fn() {
    // compadd only works inside the completion system; stand in for it and for
    // compdef, then call the completion function the script defines.
    const body = (await script("zsh")).replace(/^compdef .*$/m, "");
    for (const [words, cword, expected] of CASES) {
      const driver =
        `compadd() { local w; for w in "$@"; do [[ $w == -- ]] || print -r -- $w; done }
${body}
words=(${words.map((w) => `'${w}'`).join(" ")}); CURRENT=${cword + 1}
_casr`;
      const prefix = words[cword] ?? "";
      const out = (await shellOutput(zsh!, ["-f"], driver)).split("\n").filter((w) =>
        w.startsWith(prefix)
      );
      for (const word of expected) assert.ok(out.includes(word), `${words.join(" ")} → ${out}`);
    }
  },
});

const fish = await which("fish");
Deno.test({
  name: "fish completes subcommands, provider aliases and flags",
  ignore: fish === undefined,
  async fn() {
    const body = await script("fish");
    for (const [words, , expected] of CASES) {
      const driver = `${body}\ncomplete -C '${words.join(" ")}'`;
      const lines = (await shellOutput(fish!, ["--no-config"], driver)).split("\n");
      const out = lines.map((l) => l.split("\t")[0]!).filter(Boolean);
      for (const word of expected) assert.ok(out.includes(word), `${words.join(" ")} → ${out}`);
      if (ORDERED.has(CASES.findIndex((c) => c[0] === words))) {
        assert.deepEqual(out.filter((w) => expected.includes(w)), expected, "newest first");
        assert.ok(
          lines.some((l) => /\tcodex: Messy step one/.test(l)),
          `fish shows titles: ${lines.join(" | ")}`,
        );
      }
    }
  },
});
