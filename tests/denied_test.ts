/**
 * Unreadable and unwritable stores, and homes that hide every session: casr says
 * what it could not read or write and where it looked, instead of "No sessions
 * found." or "would write".
 *
 * The permission cases need a process that file modes bind. As a normal user,
 * `chmod 000` does; as root (CI here runs as root) the CLI runs under
 * `setpriv` with the capabilities that bypass file modes dropped
 * (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so the modes bind root too. Where
 * neither works, the tests are skipped and their names say why.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { currentHomeDir } from "../src/internal/runtime.ts";
import { fixtureFor, loadManifest, ROOT, runCli, tempHome } from "./helpers.ts";

const fixtures = await loadManifest();
const claude = fixtureFor(fixtures, "claude-code", "basic");
const claudeOther = fixtures.find((f) =>
  f.provider === "claude-code" && f.sessionId !== claude.sessionId
)!;

const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
const DENO_DIR = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;

/** The command prefix under which `chmod 000` binds this process, or why there is none. */
async function modeBindingPrefix(): Promise<string[] | string> {
  if (Deno.uid() !== 0) return [];
  const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => {
    try {
      return Deno.statSync(p).isFile;
    } catch {
      return false;
    }
  });
  if (setpriv === undefined) return "running as root without setpriv, so chmod 000 binds nothing";
  const prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"];
  const probe = await Deno.makeTempFile({ prefix: "casr-mode-probe-" });
  try {
    await Deno.chmod(probe, 0o000);
    const out = await new Deno.Command(prefix[0] as string, {
      args: [...prefix.slice(1), "/bin/cat", probe],
      stdout: "null",
      stderr: "null",
    }).output().catch(() => undefined);
    if (out === undefined) return "setpriv cannot run here";
    return out.success
      ? "setpriv cannot drop CAP_DAC_OVERRIDE here, so chmod 000 binds nothing"
      : prefix;
  } finally {
    await Deno.remove(probe);
  }
}

const PREFIX = await modeBindingPrefix();
const SKIP = typeof PREFIX === "string" ? ` (skipped: ${PREFIX})` : "";

/** Runs cli.ts in a subprocess where file modes bind, with HOME at `home`. */
async function runBound(home: string, ...args: string[]) {
  const prefix = PREFIX as string[];
  const argv = [...prefix, Deno.execPath(), "run", "-A", path.join(ROOT, "cli.ts"), ...args];
  const out = await new Deno.Command(argv[0] as string, {
    args: argv.slice(1),
    env: { HOME: home, NO_COLOR: "1", DENO_DIR, PATH: "/nonexistent", TZ: "UTC" },
    clearEnv: true,
    cwd: home,
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code: out.code, stdout, stderr: new TextDecoder().decode(out.stderr), json };
}

/** `chmod 000` that is undone when the test ends, passed or failed (so the temp home can go). */
class Denials implements AsyncDisposable {
  #modes: [string, number][] = [];
  /** Sets `p` to mode 000, remembering its mode. */
  async deny(p: string): Promise<void> {
    this.#modes.push([p, (await Deno.stat(p)).mode! & 0o7777]);
    await Deno.chmod(p, 0o000);
  }
  /** Gives `p` its mode back now. */
  async allow(p: string): Promise<void> {
    const i = this.#modes.findLastIndex(([q]) => q === p);
    if (i >= 0) await Deno.chmod(p, this.#modes.splice(i, 1)[0]![1]);
  }
  async [Symbol.asyncDispose](): Promise<void> {
    for (const [p, mode] of this.#modes.reverse()) await Deno.chmod(p, mode).catch(() => {});
  }
}

function assertNoStack(text: string): void {
  assert.doesNotMatch(text, /^\s+at .+:\d+:\d+/m, "no stack trace");
}

Deno.test({
  name:
    `a session file at mode 000: info by path or id says permission denied and names it; list warns once${SKIP}`,
  ignore: SKIP !== "",
  fn: async () => {
    await using home = await tempHome(["claude-code"]);
    const file = path.join(home.home, path.relative("claude-code", claude.path));
    const other = path.join(home.home, path.relative("claude-code", claudeOther.path));
    await using modes = new Denials();
    await modes.deny(file);
    await modes.deny(other);

    const byPath = await runBound(home.home, "info", file, "--json");
    assert.equal(byPath.code, 1);
    const pathError = byPath.json?.error as { code: string; message: string };
    assert.equal(pathError.code, "permission-denied");
    assert.ok(pathError.message.includes(file));
    assert.match(pathError.message, /permission denied on the file \(make it readable/);

    const byId = await runBound(home.home, "info", claude.sessionId.slice(0, 8), "--json");
    const idError = byId.json?.error as { code: string; message: string };
    assert.equal(idError.code, "permission-denied", byId.stdout);
    assert.ok(idError.message.includes(file));

    const human = await runBound(home.home, "info", claude.sessionId.slice(0, 8));
    assert.equal(human.code, 1);
    assert.equal(human.stderr.trimEnd().split("\n").length, 1, human.stderr);
    assertNoStack(human.stderr);

    for (const cache of [[], ["--no-cache"]]) {
      const list = await runBound(home.home, "list", "-p", "cc", ...cache);
      assert.equal(list.code, 0);
      const warnings = list.stderr.trimEnd().split("\n");
      assert.equal(warnings.length, 1, list.stderr);
      assert.match(
        warnings[0] ?? "",
        /^warning: Could not read 2 paths \(permission denied\), e\.g\. /,
      );
    }
    const json = await runBound(home.home, "list", "--json");
    const problems = json.json?.problems as { code: string; paths: string[] }[];
    assert.deepEqual(problems.map((p) => p.code), ["permission-denied"]);
    assert.deepEqual(problems[0]?.paths, [file, other].sort());

    // A folder above the file that refuses: named as the thing to fix.
    await modes.allow(file);
    await modes.deny(path.dirname(file));
    const folder = await runBound(home.home, "info", file, "--json");
    const folderError = folder.json?.error as { code: string; message: string };
    assert.equal(folderError.code, "permission-denied");
    assert.ok(
      folderError.message.includes(`its folder ${path.dirname(file)}`),
      folderError.message,
    );
  },
});

Deno.test({
  name:
    `~/.codex at mode 000: list -p cod says it could not read it; a dry run to codex says the write would fail${SKIP}`,
  ignore: SKIP !== "",
  fn: async () => {
    await using home = await tempHome(["codex", "claude-code"]);
    const codexHome = path.join(home.home, ".codex");
    await Deno.chmod(codexHome, 0o000);
    try {
      const list = await runBound(home.home, "list", "-p", "cod");
      assert.equal(list.code, 0);
      assert.equal(list.stdout, "No sessions found.\n");
      assert.equal(
        list.stderr,
        `warning: Could not read ${codexHome} (permission denied), so the sessions in it are left out: make it readable (chmod u+rwX) or run casr as its owner\n`,
      );
      const json = await runBound(home.home, "list", "-p", "cod", "--json");
      assert.deepEqual(json.json?.problems, [{
        code: "permission-denied",
        message: list.stderr.slice("warning: ".length).trimEnd(),
        paths: [codexHome],
      }]);

      const dry = await runBound(
        home.home,
        "cod",
        "resume",
        claude.sessionId,
        "--dry-run",
        "--json",
      );
      assert.equal(dry.code, 1, dry.stdout);
      const error = dry.json?.error as { code: string; message: string };
      assert.equal(error.code, "permission-denied");
      assert.match(error.message, /would fail: .*\.codex is not writable \(permission denied\)/);
      const human = await runBound(home.home, "cod", "resume", claude.sessionId, "--dry-run");
      assert.equal(human.code, 1);
      assert.doesNotMatch(human.stdout, /would write/);
      assert.equal(human.stderr.trimEnd().split("\n").length, 1, human.stderr);
      assertNoStack(human.stderr);
    } finally {
      await Deno.chmod(codexHome, 0o755);
    }
  },
});

Deno.test("casr list with HOME missing, unset or a storage variable at a file says where it looked", async () => {
  await using home = await tempHome([]);
  const missing = path.join(home.home, "nonexistent");
  const cases: { env: Record<string, string>; homeDir: string; code: string; text: RegExp }[] = [
    {
      env: { HOME: missing },
      homeDir: missing,
      code: "home-missing",
      text: /The home directory .*nonexistent \(from HOME\) does not exist.*set HOME/,
    },
    {
      env: {},
      homeDir: home.home,
      code: "home-unset",
      text: /HOME is not set, so casr looked under .*: set HOME/,
    },
    {
      env: { HOME: home.home, CODEX_HOME: path.join(home.home, "a-file") },
      homeDir: home.home,
      code: "store-not-directory",
      text:
        /CODEX_HOME is .*a-file, which is a file, not a directory: casr looks for Codex CLI sessions there/,
    },
    {
      env: { HOME: home.home, CODEX_HOME: path.join(home.home, "gone") },
      homeDir: home.home,
      code: "store-missing",
      text: /CODEX_HOME is .*gone, which does not exist/,
    },
  ];
  await Deno.writeTextFile(path.join(home.home, "a-file"), "x");
  for (const c of cases) {
    const ctx = { env: { ...c.env, NO_COLOR: "1" }, homeDir: c.homeDir, cwd: home.home };
    for (const provider of [[], ["-p", "cod"]]) {
      const human = await runCli(["list", ...provider], ctx);
      assert.equal(human.code, 0);
      assert.equal(human.stdout, "No sessions found.\n");
      assert.match(human.stderr, c.text);
      assert.equal(human.stderr.trimEnd().split("\n").length, 1, human.stderr);
      const json = await runCli(["list", "--json", ...provider], ctx);
      const problems = json.json?.problems as { code: string; message: string }[];
      assert.deepEqual(problems.map((p) => p.code), [c.code], JSON.stringify(problems));
    }
  }
  const lookup = await runCli(["info", "0000abcd", "--json"], {
    env: { HOME: missing },
    homeDir: missing,
    cwd: home.home,
  });
  assert.match(
    (lookup.json?.error as { message: string }).message,
    /the home directory .*nonexistent does not exist.*set HOME/,
  );
  // A home that exists and simply holds no agent data stays quiet.
  const quiet = await runCli(["list", "--json"], home.ctx);
  assert.deepEqual(quiet.json?.problems, []);
  assert.equal((await runCli(["list"], home.ctx)).stderr, "");
});

Deno.test("currentHomeDir() treats an empty HOME as unset", () => {
  assert.equal(currentHomeDir({ HOME: "" }), currentHomeDir({}));
  assert.notEqual(currentHomeDir({ HOME: "" }), "");
  assert.equal(currentHomeDir({ HOME: "/h" }), "/h");
});

Deno.test({
  name:
    `info <full id> of an unreadable Gemini, Copilot, Vibe or Cline session says permission denied; an unreadable OpenCode database is a list warning${SKIP}`,
  ignore: SKIP !== "",
  fn: async () => {
    const agents = ["gemini-cli", "copilot-cli", "vibe", "cline"];
    await using home = await tempHome([...agents, "opencode"]);
    await using modes = new Denials();
    for (const provider of agents) {
      const fixture = fixtureFor(fixtures, provider, "basic");
      const file = path.join(home.home, path.relative(provider, fixture.path));
      await modes.deny(file);
      const run = await runBound(home.home, "info", fixture.sessionId, "--json");
      const error = run.json?.error as { code: string; message: string };
      assert.equal(error.code, "permission-denied", `${provider}: ${run.stdout}`);
      assert.ok(error.message.includes(file), error.message);
      await modes.allow(file);
    }
    const db = fixtureFor(fixtures, "opencode", "basic");
    const dbFile = path.join(home.home, path.relative("opencode", db.path.split("#")[0] as string));
    await modes.deny(dbFile);
    const list = await runBound(home.home, "list", "-p", "opencode", "--json");
    const problems = list.json?.problems as { code: string; paths: string[] }[];
    assert.deepEqual(problems.map((p) => p.code), ["permission-denied"], list.stdout);
    assert.deepEqual(problems[0]?.paths, [dbFile]);
  },
});

Deno.test({
  name: `an unreadable list cache is no warning: it hides no session${SKIP}`,
  ignore: SKIP !== "",
  fn: async () => {
    await using home = await tempHome(["codex"]);
    await using modes = new Denials();
    const warm = await runBound(home.home, "list", "-p", "cod");
    assert.equal(warm.stderr, "");
    const cache = path.join(home.home, ".cache", "casr");
    for (const entry of Deno.readDirSync(cache)) await modes.deny(path.join(cache, entry.name));
    const run = await runBound(home.home, "list", "-p", "cod");
    assert.equal(run.code, 0);
    assert.equal(run.stderr, "");
    assert.equal(run.stdout, warm.stdout);
  },
});
