/**
 * Writes stay safe: racing conversions, repeated --force, and symlinks that
 * would lead a write out of the target agent's home.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { CasrError, convertSession, getProvider, PROVIDERS, writeSession } from "../mod.ts";
import { fixtureFor, loadManifest, ROOT, tempHome, treeHashes } from "./helpers.ts";

const fixtures = await loadManifest();
const codexBasic = fixtureFor(fixtures, "codex", "basic");

Deno.test("conversions racing to the same target: one writes it, the others are a conflict or find it done", async () => {
  for (const target of ["claude-code", "gemini-cli", "codex"]) {
    const source = fixtureFor(fixtures, target === "codex" ? "claude-code" : "codex", "basic");
    await using home = await tempHome([source.provider]);
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => convertSession(home.ctx, target, source.sessionId)),
    );
    const statuses = JSON.stringify(results.map((r) => r.status));
    const done = results.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
    // One run writes the session. A run that takes the target's lock after it
    // finished finds the same conversation there and writes nothing; a run that
    // tries while another holds the lock is a conflict. Which happens depends on
    // timing, never on luck: no run may write over another.
    const writers = done.filter((r) => r.update === undefined);
    assert.equal(writers.length, 1, `${target}: ${statuses}`);
    for (const r of done) {
      if (r !== writers[0]) assert.equal(r.update?.kind, "unchanged", `${target}: ${statuses}`);
    }
    for (const r of results) {
      if (r.status === "rejected") {
        assert.ok(r.reason instanceof CasrError, String(r.reason));
        assert.equal(r.reason.code, "conflict", `${target}: ${r.reason.message}`);
      }
    }
    const winner = writers[0] as Awaited<ReturnType<typeof convertSession>>;
    const back = await getProvider(target)!.read(winner.target.path, home.ctx);
    assert.equal(back.session.id, winner.target.sessionId);
    assert.ok(back.session.messages.some((m) => m.toolCalls.length > 0));
  }
});

Deno.test("--force keeps every earlier version: .bak, .bak.1, .bak.2", async () => {
  await using home = await tempHome(["codex"]);
  const first = await convertSession(home.ctx, "claude-code", codexBasic.sessionId);
  const backups: string[] = [];
  for (let i = 0; i < 3; i++) {
    const again = await convertSession(home.ctx, "claude-code", codexBasic.sessionId, {
      force: true,
    });
    assert.equal(again.target.path, first.target.path);
    backups.push(again.backupPath!);
  }
  assert.deepEqual(backups, [".bak", ".bak.1", ".bak.2"].map((b) => first.target.path + b));
  for (const b of backups) assert.ok((await Deno.readTextFile(b)).endsWith("\n"));
});

Deno.test("a symlink that leads out of the target home is refused, and nothing is written", async () => {
  await using home = await tempHome(["codex"]);
  const outside = await Deno.makeTempDir({ prefix: "casr-outside-" });
  try {
    await Deno.mkdir(path.join(home.home, ".claude"), { recursive: true });
    await Deno.symlink(outside, path.join(home.home, ".claude", "projects"));
    const before = await treeHashes(home.home);
    await assert.rejects(
      convertSession(home.ctx, "claude-code", codexBasic.sessionId),
      (error: unknown) =>
        error instanceof CasrError && error.code === "permission-denied" &&
        /outside Claude Code's storage/.test(error.message),
    );
    assert.deepEqual([...Deno.readDirSync(outside)], [], "nothing written outside");
    assert.deepEqual(await treeHashes(home.home), before);
  } finally {
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("a denied Deno permission names the flag instead of finding nothing", async () => {
  await using home = await tempHome(["codex"]);
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  const denoDir = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
  const root = ROOT;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-read=${root},${denoDir}`,
      "--allow-env",
      path.join(root, "cli.ts"),
      "list",
      "--json",
    ],
    env: { HOME: home.home, DENO_DIR: denoDir, NO_COLOR: "1" },
  }).output();
  assert.equal(out.code, 1);
  const json = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(json.error.code, "permission-denied");
  assert.match(json.error.message, /--allow-read/);
  assert.ok(json.error.message.includes(home.home));
});

Deno.test("hostile ids, titles and workspaces from a session file cannot steer a write", async () => {
  await using home = await tempHome([]);
  const hostile = [
    "../../../../etc/casr-owned",
    "/etc/casr-owned",
    "a\u0000b",
    "x".repeat(5000),
  ];
  for (const [i, id] of hostile.entries()) {
    const session = {
      id,
      provider: "claude-code",
      title: `../../${id}`,
      workspace: i % 2 === 0 ? `/tmp/../../${id.slice(0, 200)}` : `relative/${id.slice(0, 100)}`,
      metadata: {},
      messages: [
        { index: 0, role: "user" as const, text: "hi", toolCalls: [], toolResults: [] },
        { index: 1, role: "assistant" as const, text: "hello", toolCalls: [], toolResults: [] },
      ],
    };
    for (const target of PROVIDERS.map((p) => p.id)) {
      try {
        const result = await writeSession(home.ctx, session, target);
        for (const file of result.files) {
          const provider = PROVIDERS.find((p) => p.id === target)!;
          const roots = [
            ...provider.roots(home.ctx),
            ...(provider.writesInWorkspace ? [result.target.workspace ?? ""] : []),
          ];
          assert.ok(
            roots.some((r) => !path.relative(r, file).startsWith("..")),
            `${target} wrote ${file} outside ${roots}`,
          );
        }
      } catch (error) {
        assert.ok(error instanceof CasrError, `${target}: ${String(error)}`);
      }
    }
  }
  assert.equal(await Deno.stat("/etc/casr-owned").catch(() => null), null);
});

Deno.test("--force replaces a file already at the new path even when find() reports another copy", async () => {
  await using home = await tempHome(["claude-code"]);
  const now = Date.UTC(2026, 11, 1, 12);
  const source = fixtureFor(fixtures, "claude-code", "basic");
  const once = await convertSession(home.ctx, "codex", source.sessionId, { now });
  // A second copy of the same Codex session under another time stamp, as a run
  // killed between writing the new file and removing the old one leaves behind.
  const copy = once.target.path.replace(/T\d\d-\d\d-\d\d-/, "T00-00-01-");
  assert.notEqual(copy, once.target.path);
  await Deno.copyFile(once.target.path, copy);
  const again = await convertSession(home.ctx, "codex", source.sessionId, { now, force: true });
  assert.equal(again.verified, true);
  assert.equal(again.target.path, once.target.path);
});
