/**
 * Kill safety: `casr resume` is killed (SIGKILL) at many points while it writes.
 * Afterwards the target session is either absent or complete and verifiable,
 * casr lists nothing broken, the source is untouched, and the next run works.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { convertSession, getProvider, listSessions } from "../mod.ts";
import { fixtureFor, loadManifest, ROOT, tempHome, treeHashes } from "./helpers.ts";

const fixtures = await loadManifest();
const KILLS = Number(Deno.env.get("CASR_KILL_POINTS") ?? 12);

const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
const denoDir = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;

for (const target of ["claude-code", "codex", "gemini-cli"]) {
  Deno.test(`SIGKILL during casr resume → ${target} never leaves a half-written session`, async () => {
    const source = fixtureFor(fixtures, target === "codex" ? "gemini-cli" : "codex", "multi-tool");
    await using home = await tempHome([source.provider]);
    const sourceHashes = await treeHashes(home.home);
    const spawn = () =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          path.join(ROOT, "cli.ts"),
          "resume",
          target,
          source.sessionId,
          "--force",
        ],
        env: { HOME: home.home, DENO_DIR: denoDir, NO_COLOR: "1" },
        stdout: "null",
        stderr: "null",
      }).spawn();
    // Time one whole run, then spread the kill points from half of that time to
    // past its end, where reading, writing and verifying happen.
    const t0 = performance.now();
    assert.equal((await spawn().status).code, 0);
    const full = performance.now() - t0;
    let complete = 0;
    let absent = 0;
    for (let i = 0; i < KILLS; i++) {
      const child = spawn();
      await new Promise((resolve) => setTimeout(resolve, full * (0.5 + (0.7 * i) / KILLS)));
      try {
        child.kill("SIGKILL");
      } catch {
        // it already finished
      }
      await child.status;

      const { sessions } = await listSessions(home.ctx, { provider: target });
      for (const s of sessions) {
        const read = await getProvider(target)!.read(s.path, home.ctx);
        assert.ok(read.session.messages.length >= 6, `${s.path} is complete`);
        assert.deepEqual(read.warnings.filter((w) => w.code === "malformed-line"), []);
      }
      // A kill between the verified write and removing an older copy stored under
      // another file name (Codex names files by time) can leave both: each complete.
      assert.ok(sessions.length <= 2, `at most the old and the new copy: ${sessions.length}`);
      if (sessions.length > 0) complete++;
      else absent++;
      const now = await treeHashes(home.home);
      for (const [file, hash] of sourceHashes) assert.equal(now.get(file), hash, `${file} changed`);
    }
    // Whatever was left behind, a normal run still works.
    const result = await convertSession(home.ctx, target, source.sessionId, { force: true });
    assert.equal(result.verified, true);
    // The first run finished, and every later run copies before it replaces.
    assert.equal(absent, 0, "a killed --force run never loses the earlier session");
    console.log(`${target}: ${KILLS} kills, ${complete} left a complete session`);
  });
}
