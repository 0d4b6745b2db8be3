/**
 * Typed definitions of the real agent CLIs the smoke harness drives: pinned npm package,
 * install and binary lookup, the scrubbed environment pointing the CLI at the mock, argv for a
 * new session and for a non-interactive resume, where sessions land, and how to read the
 * conversation back out of a recorded request.
 *
 * Facts come from `/work/shared/realcli.md`.
 *
 * @module
 */

import { historyFromWire, type Turn, type Wire } from "./history.ts";
import { runBounded, type RunOptions, type RunResult } from "./process.ts";
import { opencodeCli } from "./cli_opencode.ts";
import { clineCli } from "./cli_cline.ts";
import { qwenCli } from "./cli_qwen.ts";
import { copilotCli } from "./cli_copilot.ts";
import { kimiCli } from "./cli_kimi.ts";
import { piCli } from "./cli_pi.ts";
import { droidCli } from "./cli_droid.ts";
import { kiloCli } from "./cli_kilo.ts";
import { openClawCli } from "./cli_openclaw.ts";

/** Provider ids of the CLIs the harness drives. */
export const PROVIDERS = [
  "claude-code",
  "codex",
  "gemini-cli",
  "opencode",
  "cline",
  "qwen-code",
  "copilot-cli",
  "kimi-code",
  "pi",
  "factory-droid",
  "kilo-cli",
  "openclaw",
] as const;

/** A provider id. */
export type ProviderId = typeof PROVIDERS[number];

/** Where a CLI runs: its throwaway home and the mock's base URL. */
export interface CliContext {
  /** Throwaway HOME. */
  home: string;
  /** Mock base URL, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
}

/** A session transcript a CLI wrote. */
export interface SessionFile {
  /** Absolute path. */
  path: string;
  /** Session id the CLI resumes it by. */
  sessionId: string;
}

/** One agent CLI. */
export interface CliDefinition {
  /** Provider id (casr's name for it). */
  provider: ProviderId;
  /** casr's target alias (`casr <alias> resume <id>`). */
  alias: string;
  /** npm package. */
  npmPackage: string;
  /** Pinned version. */
  version: string;
  /** Executable name in `node_modules/.bin`. */
  bin: string;
  /**
   * The executable's path inside the installed package, for a platform package installed
   * directly (its wrapper pins an unpublished version) whose binary npm links nowhere:
   * `node_modules/<npmPackage>/<packageBin>`. Absent: `node_modules/.bin/<bin>`.
   */
  packageBin?: string;
  /** The model API wire it speaks. */
  wire: Wire;
  /**
   * The CLI runs several tool calls from one model reply and sends all results back together;
   * when `false`, the fixture scenarios make one call per reply instead.
   */
  parallelToolCalls: boolean;
  /** The CLI's own environment variables (added to the scrubbed base environment). */
  env(context: CliContext): Record<string, string>;
  /** Creates config files the CLI needs in the throwaway home. */
  prepareHome(context: CliContext): Promise<void>;
  /** argv (without the binary) that starts a new session with `prompt`, non-interactively. */
  newSessionArgs(prompt: string, context: CliContext): string[];
  /** argv (without the binary) that resumes `sessionId` with `prompt`, non-interactively. */
  resumeArgs(sessionId: string, prompt: string, context: CliContext): Promise<string[]>;
  /** Session transcripts under the home. */
  sessionFiles(home: string): Promise<SessionFile[]>;
  /** The conversation a recorded request body carries. */
  historyFromRequest(body: unknown): Turn[];
  /**
   * Copies a session store into `fixtures/` when several sessions share one file (a
   * database): merges into the existing fixture file, dropping the sessions `replaces`.
   * Absent: plain copy, and a shared file must come out byte-identical.
   */
  fixtureCopy?(from: string, to: string, replaces: readonly string[]): Promise<void>;
  /** Prepares the home before casr writes into it (matrix), e.g. creates the CLI's database. */
  seedHome?(home: string, binPath: string, env: Record<string, string>): Promise<void>;
  /** Files besides the transcript a fixture needs (an index database); absent: none. */
  extraFiles?(home: string, transcript: string): Promise<string[]>;
  /** Runs the CLI when it cannot simply be spawned (a TUI-only resume); absent: `runBounded`. */
  run?(bin: string, args: string[], options: RunOptions): Promise<RunResult>;
  /**
   * The CLI needs a newer Node.js than the machine's: npm's `node` package at this version is
   * installed into the CLI's prefix too, and the install's binary is a wrapper script that runs
   * the CLI with that Node (first on its PATH). Absent: the machine's `node`.
   */
  nodeVersion?: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function listFiles(root: string, maxDepth: number): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory && depth < maxDepth) await walk(path, depth + 1);
      else if (entry.isFile) out.push(path);
    }
  };
  await walk(root, 0);
  return out.sort();
}

async function firstJsonLine(path: string): Promise<Record<string, unknown> | undefined> {
  const text = await Deno.readTextFile(path);
  const line = text.split("\n", 1)[0] ?? "";
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

/** Reads `session_meta.payload.model_provider` of the rollout for `sessionId`, if any. */
async function codexModelProvider(home: string, sessionId: string): Promise<string | undefined> {
  for (const file of await codex.sessionFiles(home)) {
    if (file.sessionId !== sessionId) continue;
    const first = await firstJsonLine(file.path);
    const payload = first?.payload as Record<string, unknown> | undefined;
    return typeof payload?.model_provider === "string" ? payload.model_provider : undefined;
  }
  return undefined;
}

/** Anthropic's Claude Code, `@anthropic-ai/claude-code`. */
export const claudeCode: CliDefinition = {
  provider: "claude-code",
  alias: "cc",
  npmPackage: "@anthropic-ai/claude-code",
  version: "2.1.331",
  bin: "claude",
  wire: "anthropic",
  parallelToolCalls: true,
  env: ({ home, baseUrl }) => ({
    CLAUDE_CONFIG_DIR: `${home}/.claude`,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: "sk-test",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
  }),
  prepareHome: async ({ home }) => {
    await Deno.mkdir(`${home}/.claude`, { recursive: true });
  },
  newSessionArgs: (prompt) => ["-p", prompt, "--allowedTools", "Bash,Read"],
  resumeArgs: (sessionId, prompt) =>
    Promise.resolve(["-p", "--resume", sessionId, prompt, "--allowedTools", "Bash,Read"]),
  sessionFiles: async (home) => {
    const root = `${home}/.claude/projects`;
    return (await listFiles(root, 1))
      .filter((path) =>
        path.endsWith(".jsonl") && path.split("/").length === root.split("/").length + 2
      )
      .map((path) => ({ path, sessionId: path.slice(path.lastIndexOf("/") + 1, -6) }));
  },
  historyFromRequest: (body) => historyFromWire("anthropic", body),
};

function codexProviderArgs(provider: string | undefined, baseUrl: string): string[] {
  if (provider === undefined || provider === "openai") {
    return ["-c", `openai_base_url="${baseUrl}/v1"`];
  }
  const key = `model_providers.${provider}`;
  return [
    "-c",
    `${key}.name="${provider}"`,
    "-c",
    `${key}.base_url="${baseUrl}/v1"`,
    "-c",
    `${key}.env_key="OPENAI_API_KEY"`,
    "-c",
    `${key}.wire_api="responses"`,
  ];
}

const CODEX_COMMON = ["--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox"];

/** OpenAI's Codex CLI, `@openai/codex`. */
export const codex: CliDefinition = {
  provider: "codex",
  alias: "cod",
  npmPackage: "@openai/codex",
  version: "0.169.0",
  bin: "codex",
  wire: "responses",
  parallelToolCalls: true,
  env: ({ home }) => ({ CODEX_HOME: `${home}/.codex`, OPENAI_API_KEY: "sk-test" }),
  prepareHome: async ({ home }) => {
    await Deno.mkdir(`${home}/.codex`, { recursive: true });
  },
  newSessionArgs: (prompt, { baseUrl }) => [
    "exec",
    ...CODEX_COMMON,
    ...codexProviderArgs("openai", baseUrl),
    prompt,
  ],
  resumeArgs: async (sessionId, prompt, { home, baseUrl }) => [
    "exec",
    ...CODEX_COMMON,
    ...codexProviderArgs(await codexModelProvider(home, sessionId), baseUrl),
    "resume",
    sessionId,
    prompt,
  ],
  sessionFiles: async (home) => {
    const files: SessionFile[] = [];
    for (const path of await listFiles(`${home}/.codex/sessions`, 4)) {
      const name = path.slice(path.lastIndexOf("/") + 1);
      if (!name.startsWith("rollout-") || !name.endsWith(".jsonl")) continue;
      const payload = (await firstJsonLine(path))?.payload as Record<string, unknown> | undefined;
      const id = typeof payload?.id === "string" ? payload.id : name.slice(-42, -6);
      files.push({ path, sessionId: id });
    }
    return files;
  },
  historyFromRequest: (body) => historyFromWire("responses", body),
};

/** Google's Gemini CLI, `@google/gemini-cli`. */
export const geminiCli: CliDefinition = {
  provider: "gemini-cli",
  alias: "gmi",
  npmPackage: "@google/gemini-cli",
  version: "0.61.0",
  bin: "gemini",
  wire: "gemini",
  parallelToolCalls: true,
  env: ({ home, baseUrl }) => ({
    GEMINI_CLI_HOME: home,
    GOOGLE_GEMINI_BASE_URL: baseUrl,
    GEMINI_API_KEY: "sk-test",
    GEMINI_CLI_TRUST_WORKSPACE: "true",
  }),
  prepareHome: async ({ home }) => {
    // Without the auth type, GOOGLE_GEMINI_BASE_URL selects "gateway" auth, which headless
    // mode rejects ("Invalid auth method selected.", exit 41). Merge into an existing file.
    const dir = `${home}/.gemini`;
    await Deno.mkdir(dir, { recursive: true });
    const path = `${dir}/settings.json`;
    let settings: Record<string, unknown> = {};
    if (await exists(path)) {
      try {
        settings = JSON.parse(await Deno.readTextFile(path));
      } catch {
        settings = {};
      }
    }
    const security = (settings.security ?? {}) as Record<string, unknown>;
    const auth = (security.auth ?? {}) as Record<string, unknown>;
    settings.security = { ...security, auth: { ...auth, selectedType: "gemini-api-key" } };
    await Deno.writeTextFile(path, JSON.stringify(settings, null, 2) + "\n");
  },
  newSessionArgs: (prompt) => ["-p", prompt, "--approval-mode", "yolo"],
  resumeArgs: (sessionId, prompt) =>
    Promise.resolve(["--resume", sessionId, "-p", prompt, "--approval-mode", "yolo"]),
  sessionFiles: async (home) => {
    const files: SessionFile[] = [];
    for (const path of await listFiles(`${home}/.gemini/tmp`, 2)) {
      const name = path.slice(path.lastIndexOf("/") + 1);
      if (!path.includes("/chats/") || !name.startsWith("session-")) continue;
      if (!name.endsWith(".jsonl") && !name.endsWith(".json")) continue;
      const first = await firstJsonLine(path);
      const id = typeof first?.sessionId === "string" ? first.sessionId : undefined;
      if (id !== undefined) files.push({ path, sessionId: id });
    }
    return files;
  },
  historyFromRequest: (body) => historyFromWire("gemini", body),
};

/** All CLI definitions, in matrix order. */
export const CLIS: readonly CliDefinition[] = [
  claudeCode,
  codex,
  geminiCli,
  opencodeCli,
  clineCli,
  qwenCli,
  copilotCli,
  kimiCli,
  piCli,
  droidCli,
  kiloCli,
  openClawCli,
];

/**
 * Looks a CLI definition up by provider id or casr alias.
 *
 * @param name Provider id (`codex`) or alias (`cod`).
 * @returns The definition.
 * @throws {RangeError} When no CLI has that name.
 */
export function cliByName(name: string): CliDefinition {
  const found = CLIS.find((cli) => cli.provider === name || cli.alias === name);
  if (found === undefined) {
    throw new RangeError(
      `Cannot find CLI "${name}": expected one of ${CLIS.map((cli) => cli.provider).join(", ")}`,
    );
  }
  return found;
}

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
  if (!await exists(binPath)) return undefined;
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
  if (await exists(marker) && (await Deno.readTextFile(marker)).trim() === specs.join(" ")) {
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
    if (!await exists(`${nodeDir}/node`)) {
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
        error: `npm install ${specs.join(" ")} exited ${npm.code}: ${tail(npmLog)}`,
      };
    }
    out = await probeVersion(binPath, cli.version);
  }
  if (out === undefined) {
    const installScript = `${prefix}/node_modules/${cli.npmPackage}/install.cjs`;
    if (await exists(installScript)) {
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
      error: `${cli.bin} --version did not report ${cli.version}: ${tail(npmLog)}`,
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

function tail(text: string, lines = 15): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}
