/**
 * `list`, `info` and the resume line agree on one session: the same message
 * count (user, assistant and tool messages) and, for `list`, the time of the
 * last message rather than the file's mtime (issue 14, "Counts and clocks").
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { ROOT, runCli, tempHome } from "./helpers.ts";

const ALL = [...Deno.readDirSync(path.join(ROOT, "fixtures"))].filter((e) => e.isDirectory)
  .map((e) => e.name);

interface Listed {
  id: string;
  provider: string;
  path: string;
  messageCount?: number;
  messageCountEstimated?: boolean;
  lastActiveAt?: number;
}

async function touchAll(dir: string, when: Date): Promise<void> {
  for await (const e of Deno.readDir(dir)) {
    const p = path.join(dir, e.name);
    if (e.isDirectory) await touchAll(p, when);
    else if (e.isFile) await Deno.utime(p, when, when);
  }
}

Deno.test("list MSGS equals info's count and the resume line's for every fixture session", async () => {
  await using h = await tempHome(ALL);
  const list = await runCli(["list", "--json"], h.ctx);
  const sessions = list.json?.sessions as Listed[];
  assert.ok(sessions.length >= 40, `only ${sessions.length} sessions`);
  const table = (await runCli(["list"], h.ctx)).stdout;
  for (const s of sessions) {
    const info = await runCli(["info", s.id, "--source", s.provider, "--json"], h.ctx);
    const infoCount = (info.json?.session as { messageCount: number }).messageCount;
    const target = s.provider === "claude-code" ? "codex" : "claude-code";
    const resume = await runCli(
      ["resume", target, s.id, "--source", s.provider, "--dry-run", "--json"],
      h.ctx,
    );
    const source = (resume.json?.source as { messageCount: number }).messageCount;
    const what = `${s.provider} ${s.id}`;
    assert.equal(source, infoCount, `${what}: resume line ${source}, info ${infoCount}`);
    if (s.messageCountEstimated) {
      // A file over 256 KiB is sampled at its head and tail; the table marks the guess.
      const row = table.split("\n").find((l) =>
        l.startsWith(s.provider) && l.includes(s.id.slice(0, 8))
      );
      assert.match(row ?? "", /\s~\d+\s/, `${what}: estimated count not marked in\n${row}`);
      continue;
    }
    assert.equal(s.messageCount, infoCount, `${what}: list ${s.messageCount}, info ${infoCount}`);
  }
});

Deno.test("list ACTIVE is the last message's time, not the file's mtime, for every agent", async () => {
  await using h = await tempHome(ALL);
  // A fresh checkout or copy gives every file a new mtime; the sessions themselves are older.
  const later = new Date(Date.UTC(2030, 0, 1));
  await touchAll(h.home, later);
  const list = await runCli(["list", "--json", "--no-cache"], h.ctx);
  const sessions = list.json?.sessions as Listed[];
  for (const s of sessions) {
    assert.ok(s.lastActiveAt !== undefined, `${s.provider} ${s.id}: no last activity`);
    assert.ok(
      s.lastActiveAt < later.getTime(),
      `${s.provider} ${s.id}: ACTIVE is the file's mtime (${
        new Date(s.lastActiveAt).toISOString()
      })`,
    );
  }
  // --sort date orders by that one clock.
  const times = sessions.map((s) => s.lastActiveAt ?? 0);
  assert.deepEqual(times, [...times].sort((a, b) => b - a));
  // A large file (only its head and tail read) gets its last record's time too.
  const big = sessions.find((s) => s.provider === "codex" && s.messageCountEstimated);
  assert.ok(big !== undefined, "the messy Codex fixture is no longer over 256 KiB");
  const info = await runCli(["info", big.id, "--source", "codex", "--json", "--peek", "1"], h.ctx);
  const last = (info.json?.messages as { timestamp?: number }[])[0]?.timestamp ?? 0;
  assert.ok(Math.abs((big.lastActiveAt ?? 0) - last) < 60_000, `${big.lastActiveAt} vs ${last}`);
});

Deno.test("a large session's estimated count becomes exact in list once info has read it whole", async () => {
  await using h = await tempHome(["claude-code"]);
  const before = (await runCli(["list", "--json"], h.ctx)).json?.sessions as Listed[];
  const big = before.find((s) => s.messageCountEstimated);
  assert.ok(big !== undefined, "the messy Claude fixture is no longer over 256 KiB");
  const info = await runCli(["info", big.id, "--json"], h.ctx);
  const count = (info.json?.session as { messageCount: number }).messageCount;
  const after = (await runCli(["list", "--json"], h.ctx)).json?.sessions as Listed[];
  const again = after.find((s) => s.id === big.id);
  assert.equal(again?.messageCount, count);
  assert.equal(again?.messageCountEstimated, undefined);
  // Once the file changes, the remembered count no longer applies.
  await Deno.writeTextFile(big.path, "\n", { append: true });
  const changed = (await runCli(["list", "--json"], h.ctx)).json?.sessions as Listed[];
  assert.equal(changed.find((s) => s.id === big.id)?.messageCountEstimated, true);
});

Deno.test("a change to a shared database re-reads only the sessions whose listing changed", async () => {
  await using h = await tempHome(["opencode"]);
  const env = { ...h.ctx.env, CASR_LOG: "debug" };
  const exact = (stderr: string) =>
    /opencode: (\d+) sessions; exact counts (\d+) cached, (\d+) read/.exec(stderr);
  const cold = exact((await runCli(["list"], { ...h.ctx, env })).stderr);
  assert.ok(cold && Number(cold[3]) === Number(cold[1]) && Number(cold[1]) >= 2, cold?.[0]);
  // Another session's write changes the database's mtime, not these sessions' rows.
  const db = path.join(h.home, ".local", "share", "opencode", "opencode.db");
  await Deno.utime(db, new Date(), new Date(Date.now() + 60_000));
  const warm = exact((await runCli(["list"], { ...h.ctx, env })).stderr);
  assert.equal(warm?.[3], "0", warm?.[0]);
  assert.equal(warm?.[2], cold[1]);
});
