/**
 * Fixture homes for tests and the demo: temp homes built from the genuine
 * fixture trees, the fixture manifest, and tree hashes that prove source files
 * are untouched. It imports nothing of casr, so provider tests can use it too.
 *
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import assert from "node:assert/strict";
import type { FileData, ProviderContext } from "../src/providers/types.ts";
import { fileText } from "../src/internal/fs.ts";

/** The repository root. */
export const ROOT: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** One turn of a fixture's conversation as the mock model API saw it. */
export interface ExpectedTurn {
  /** `user`, `assistant` or `tool` (one tool result). */
  role: string;
  /** The text (for `tool`: text the result output contains). */
  text: string;
  /** The tool calls of an assistant turn: tool name and the shell command it ran. */
  toolCalls?: { name: string; command: string }[];
  /** A tool result the source CLI flagged as an error. */
  error?: boolean;
}

/** One fixture as listed in fixtures/manifest.json. */
export interface FixtureEntry {
  /** Provider id. */
  provider: string;
  /** Scenario id (`basic`, `multi-tool`). */
  scenario: string;
  /** Native session id. */
  sessionId: string;
  /** Path of the session file, relative to fixtures/. */
  path: string;
  /** The session's cwd; absent for agents that record none (ChatGPT, Antigravity). */
  workspace?: string;
  /** The user prompts sent. */
  prompts: string[];
  /** How many tool calls the session made. */
  toolCalls: number;
  /** The conversation as the mock model API saw it. */
  expected: ExpectedTurn[];
  /** The version of the real CLI that wrote it; absent for hand-made fixtures. */
  cliVersion?: string;
}

/**
 * Reads fixtures/manifest.json.
 *
 * @returns The fixtures.
 */
export async function loadManifest(): Promise<FixtureEntry[]> {
  const raw = JSON.parse(await Deno.readTextFile(path.join(ROOT, "fixtures", "manifest.json")));
  const list = (Array.isArray(raw) ? raw : raw.fixtures) as Record<string, unknown>[];
  return list.map((f) => ({
    provider: String(f.provider),
    scenario: String(f.scenario),
    ...(typeof f.cliVersion === "string" ? { cliVersion: f.cliVersion } : {}),
    sessionId: String(f.sessionId),
    path: String(f.path),
    ...(typeof f.workspace === "string" ? { workspace: f.workspace } : {}),
    prompts: (f.prompts ?? []) as string[],
    toolCalls: Number(f.toolCalls ?? 0),
    expected: (f.expected ?? []) as ExpectedTurn[],
  }));
}

/**
 * Picks the fixture of one provider and scenario.
 *
 * @param fixtures The manifest's fixtures.
 * @param provider Provider id.
 * @param scenario Scenario id.
 * @returns The fixture.
 * @throws {RangeError} When the manifest has no such fixture.
 */
export function fixtureFor(
  fixtures: readonly FixtureEntry[],
  provider: string,
  scenario: string,
): FixtureEntry {
  const found = fixtures.find((f) => f.provider === provider && f.scenario === scenario);
  if (found === undefined) {
    throw new RangeError(`Cannot find fixture: no ${provider} "${scenario}" in the manifest`);
  }
  return found;
}

/** A throwaway home with its context. */
export interface TempHome extends AsyncDisposable {
  /** The home directory. */
  home: string;
  /** A provider context rooted at it. */
  ctx: ProviderContext;
}

/**
 * Makes a temp HOME, copying in the fixture trees of the given providers
 * (fixtures/<provider>/ holds `.claude`, `.codex`, `.gemini`).
 *
 * @param providers Provider ids whose fixture trees to copy.
 * @returns The home; `await using` removes it.
 */
export async function tempHome(providers: readonly string[] = []): Promise<TempHome> {
  const home = await Deno.makeTempDir({ prefix: "casr-home-" });
  for (const p of providers) await copyTree(path.join(ROOT, "fixtures", p), home);
  const env: Record<string, string> = {
    HOME: home,
    PATH: "/nonexistent",
    TZ: "UTC",
    NO_COLOR: "1",
  };
  return {
    home,
    ctx: { env, homeDir: home, cwd: home },
    async [Symbol.asyncDispose]() {
      await Deno.chmod(home, 0o755).catch(() => {});
      await Deno.remove(home, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * Copies a directory tree (files and folders only).
 *
 * @param from The source directory.
 * @param to The destination directory (created by the caller).
 */
export async function copyTree(from: string, to: string): Promise<void> {
  for await (const entry of Deno.readDir(from)) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory) {
      await Deno.mkdir(dst, { recursive: true });
      await copyTree(src, dst);
    } else if (entry.isFile) {
      await Deno.copyFile(src, dst);
    }
  }
}

/**
 * Hashes every file below a directory: path → sha256.
 *
 * @param dir The directory.
 * @returns The map.
 */
export async function treeHashes(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for await (const e of Deno.readDir(d)) {
      const p = path.join(d, e.name);
      if (e.isDirectory) await walk(p);
      else if (e.isFile) {
        out.set(
          path.relative(dir, p),
          createHash("sha256").update(await Deno.readFile(p)).digest("hex"),
        );
      }
    }
  };
  await walk(dir);
  return out;
}

/** The parts of a message {@linkcode assertFixtureTurns} compares. */
export interface TurnLike {
  /** Its place in the session. */
  index: number;
  /** `user`, `assistant`, `tool`, `system`, … */
  role: string;
  /** Its text. */
  text: string;
  /** Its tool calls. */
  toolCalls: { id: string; name: string }[];
  /** Its tool results. */
  toolResults: { callId: string }[];
}

/**
 * Asserts that a session read from a genuine fixture holds the conversation
 * the manifest lists: the same turns (system and other messages left out;
 * the manifest's one tool turn per result matches one tool message per
 * reply), the same texts and tool names, and every tool message answering
 * the calls of the message before it, in order.
 *
 * @param messages The session's messages.
 * @param expected The fixture's expected turns.
 */
export function assertFixtureTurns(
  messages: readonly TurnLike[],
  expected: readonly ExpectedTurn[],
): void {
  const turns = messages.filter((m) => m.role !== "system" && m.role !== "other");
  const merged = expected.filter((t, i) => t.role !== "tool" || expected[i - 1]?.role !== "tool");
  assert.equal(turns.length, merged.length);
  for (const [i, want] of merged.entries()) {
    const got = turns[i]!;
    assert.equal(got.role, want.role, `message ${i}`);
    if (want.role === "tool") assert.ok(got.toolResults.length > 0);
    else assert.equal(got.text.trim(), want.text.trim(), `message ${i}`);
    if (want.toolCalls !== undefined) {
      assert.deepEqual(got.toolCalls.map((c) => c.name), want.toolCalls.map((c) => c.name));
    }
  }
  for (const tool of messages.filter((m) => m.role === "tool")) {
    const before = messages[tool.index - 1]!;
    assert.deepEqual(tool.toolResults.map((r) => r.callId), before.toolCalls.map((c) => c.id));
  }
}

/** A throwaway directory. */
export interface TempDir extends AsyncDisposable {
  /** Its path. */
  path: string;
}

/**
 * Makes a temp directory that `await using` removes.
 *
 * @param options Its name prefix.
 * @returns The directory.
 */
export async function tempDir(options: { prefix?: string } = {}): Promise<TempDir> {
  const dir = await Deno.makeTempDir(options);
  return {
    path: dir,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * A home with the Claude Code and Gemini CLI fixtures plus `copies` copies of
 * the basic Claude Code session under new ids (each with its own word,
 * `casr-fixture c<n>`), and one file that is not JSON: enough sessions for a
 * cold scan to use its worker threads.
 *
 * @param copies How many copies.
 * @returns The home; `await using` removes it.
 */
export async function crowdedHome(copies = 60): Promise<TempHome> {
  const h = await tempHome(["claude-code", "gemini-cli"]);
  const basic = (await loadManifest()).find((f) =>
    f.provider === "claude-code" && f.scenario === "basic"
  );
  if (basic === undefined) throw new Error("no basic Claude Code fixture");
  const source = path.join(h.home, basic.path.replace(/^claude-code\//, ""));
  const text = await Deno.readTextFile(source);
  for (let i = 0; i < copies; i++) {
    const id = `0d0d0d0d-1111-4222-8333-${String(i).padStart(12, "0")}`;
    const copy = text.replaceAll(basic.sessionId, id).replace("casr-fixture", `casr-fixture c${i}`);
    await Deno.writeTextFile(path.join(path.dirname(source), `${id}.jsonl`), copy);
  }
  await Deno.writeTextFile(path.join(path.dirname(source), "garbage.jsonl"), "{not json\n");
  return h;
}

/**
 * Writes a plan's files as they are (making their folders), without its
 * effects or the pipeline's atomic write: what a reader test needs to read a
 * plan back.
 *
 * @param plan The plan, or anything with its files.
 */
export async function writePlanFiles(
  plan: { files: readonly { path: string; data: FileData }[] },
): Promise<void> {
  for (const file of plan.files) {
    await Deno.mkdir(path.dirname(file.path), { recursive: true });
    await Deno.writeTextFile(file.path, fileText(file.data));
  }
}
