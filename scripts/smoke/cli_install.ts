/**
 * Installing the pinned real CLIs for the smoke harness (each into its own npm prefix under the
 * install cache, checked by `--version`, with the registry variables npm needs on this
 * machine), and the scrubbed environment a CLI runs in.
 *
 * @module
 */

import type { CliContext, CliDefinition } from "./cli_types.ts";
import { pathExists, tailLines } from "./fs_utils.ts";
import { runBounded } from "./process.ts";

/**
 * The scrubbed base environment for a CLI run: only PATH, LANG, TERM, TMPDIR and HOME, plus
 * the CLI's own variables.
 *
 * @param cli The CLI.
 * @param context Home and mock URL.
 * @returns The complete environment.
 */
export function cliEnv(cli: CliDefinition, context: CliContext): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
    LANG: "C.UTF-8",
    TERM: "dumb",
    TMPDIR: Deno.env.get("TMPDIR") ?? "/tmp",
    HOME: context.home,
    ...cli.env(context),
  };
}

/** A usable install of a CLI. */
export interface InstalledCli {
  /** Absolute path of the executable. */
  binPath: string;
  /** What `--version` printed. */
  versionOutput: string;
}

/** Result of {@linkcode ensureInstalled}. */
export type InstallResult =
  | { ok: true; cli: InstalledCli }
  | { ok: false; error: string };

const MARKER = ".casr-installed";

async function probeVersion(binPath: string, version: string): Promise<string | undefined> {
  if (!await pathExists(binPath)) return undefined;
  const home = await Deno.makeTempDir({ prefix: "casr-version-" });
  try {
    await Deno.mkdir(`${home}/.codex`, { recursive: true });
    const result = await runBounded(binPath, ["--version"], {
      cwd: home,
      env: {
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        HOME: home,
        CODEX_HOME: `${home}/.codex`,
        CLAUDE_CONFIG_DIR: `${home}/.claude`,
        LANG: "C.UTF-8",
      },
      timeoutMs: 60_000,
    });
    const out = result.stdout.trim();
    return result.code === 0 && out.includes(version) ? out : undefined;
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

/**
 * The variables npm needs to reach its registry from this machine: proxies and
 * extra CA certificates (without them a TLS-intercepting proxy makes every fetch
 * fail with SELF_SIGNED_CERT_IN_CHAIN and npm retries for minutes), and npm's
 * own configuration.
 *
 * @returns The variables that are set.
 */
export function registryEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(Deno.env.toObject())) {
    if (
      /^(https?_proxy|no_proxy|all_proxy)$/i.test(key) ||
      /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|NODE_OPTIONS)$/.test(key) ||
      /^npm_config_/i.test(key)
    ) {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Installs the pinned version of a CLI into its own npm prefix under `cacheDir`, unless a
 * marker file says it is already there and `--version` still answers with that version.
 * npm 11 may skip install scripts; when the binary does not run after install, the package's
 * own postinstall (`install.cjs`) is run by hand.
 *
 * @param cli The CLI.
 * @param cacheDir Root for installs, e.g. `.cache/clis`.
 * @returns The binary, or the npm error.
 */
export async function ensureInstalled(
  cli: CliDefinition,
  cacheDir: string,
): Promise<InstallResult> {
  const spec = `${cli.npmPackage}@${cli.version}`;
  const prefix = `${cacheDir}/${spec.replaceAll("/", "+")}`;
  const specs = cli.nodeVersion === undefined ? [spec] : [spec, `node@${cli.nodeVersion}`];
  const binPath = cli.packageBin !== undefined
    ? `${prefix}/node_modules/${cli.npmPackage}/${cli.packageBin}`
    : cli.nodeVersion === undefined
    ? `${prefix}/node_modules/.bin/${cli.bin}`
    : `${prefix}/bin/${cli.bin}`;
  const marker = `${prefix}/${MARKER}`;
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: Deno.env.get("HOME") ?? "/root",
    LANG: "C.UTF-8",
    ...registryEnv(),
  };
  if (await pathExists(marker) && (await Deno.readTextFile(marker)).trim() === specs.join(" ")) {
    const out = await probeVersion(binPath, cli.version);
    if (out !== undefined) return { ok: true, cli: { binPath, versionOutput: out } };
  }
  await Deno.mkdir(prefix, { recursive: true });
  if (cli.nodeVersion !== undefined) await writeNodeWrapper(prefix, cli.bin, binPath);
  let out = await probeVersion(binPath, cli.version);
  let npmLog = "";
  if (out === undefined && cli.nodeVersion !== undefined) {
    // Install scripts that check the Node version (openclaw's preinstall) must see this Node:
    // install it alone first, then run the whole install with it first on PATH.
    const nodeDir = `${prefix}/node_modules/node/bin`;
    if (!await pathExists(`${nodeDir}/node`)) {
      const node = await runBounded("npm", [
        "install",
        "--prefix",
        prefix,
        "--no-audit",
        "--no-fund",
        `node@${cli.nodeVersion}`,
      ], { cwd: prefix, env, timeoutMs: 600_000 });
      npmLog = node.stdout + node.stderr;
    }
    env.PATH = `${nodeDir}:${env.PATH}`;
  }
  if (out === undefined) {
    const npm = await runBounded("npm", [
      "install",
      "--prefix",
      prefix,
      "--no-audit",
      "--no-fund",
      "--foreground-scripts",
      ...specs,
    ], { cwd: prefix, env, timeoutMs: 600_000 });
    npmLog += npm.stdout + npm.stderr;
    if (npm.code !== 0) {
      return {
        ok: false,
        error: `npm install ${specs.join(" ")} exited ${npm.code}: ${tailLines(npmLog, 15)}`,
      };
    }
    out = await probeVersion(binPath, cli.version);
  }
  if (out === undefined) {
    const installScript = `${prefix}/node_modules/${cli.npmPackage}/install.cjs`;
    if (await pathExists(installScript)) {
      const script = await runBounded("node", [installScript], {
        cwd: `${prefix}/node_modules/${cli.npmPackage}`,
        env,
        timeoutMs: 300_000,
      });
      npmLog += script.stdout + script.stderr;
      out = await probeVersion(binPath, cli.version);
    }
  }
  if (out === undefined) {
    return {
      ok: false,
      error: `${cli.bin} --version did not report ${cli.version}: ${tailLines(npmLog, 15)}`,
    };
  }
  await Deno.writeTextFile(marker, specs.join(" ") + "\n");
  return { ok: true, cli: { binPath, versionOutput: out } };
}

/** Writes `<prefix>/bin/<bin>`: runs the CLI's entry with the Node of npm's `node` package. */
async function writeNodeWrapper(prefix: string, bin: string, wrapper: string): Promise<void> {
  const quote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
  const nodeDir = `${prefix}/node_modules/node/bin`;
  await Deno.mkdir(`${prefix}/bin`, { recursive: true });
  await Deno.writeTextFile(
    wrapper,
    [
      "#!/bin/sh",
      `PATH=${quote(nodeDir)}:"$PATH"`,
      "export PATH",
      `exec ${quote(`${nodeDir}/node`)} ${quote(`${prefix}/node_modules/.bin/${bin}`)} "$@"`,
      "",
    ].join("\n"),
  );
  await Deno.chmod(wrapper, 0o755);
}
