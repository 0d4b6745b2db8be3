/**
 * Completion scripts loaded in the real shells (bash, zsh and fish from Debian;
 * CI installs them) complete a subcommand, a provider alias and a flag.
 */
import assert from "node:assert/strict";
import { runCli, tempHome } from "./helpers.ts";

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

async function shellOutput(shell: string, args: string[], input: string): Promise<string> {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/casr-completion`;
    await Deno.writeTextFile(file, input);
    const out = await new Deno.Command(shell, {
      args: [...args, file],
      env: { HOME: dir, PATH: Deno.env.get("PATH") ?? "" },
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
];

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
      const out = (await shellOutput(fish!, ["--no-config"], driver)).split("\n")
        .map((l) => l.split("\t")[0]!).filter(Boolean);
      for (const word of expected) assert.ok(out.includes(word), `${words.join(" ")} → ${out}`);
    }
  },
});
