import assert from "node:assert/strict";
import * as path from "node:path";
import { searchSessions, whileBusy } from "./search.ts";
import { bestMatches } from "./search_rank.ts";
import { CasrError } from "../errors.ts";
import { listSessions } from "./query.ts";
import { readSession } from "./lookup.ts";
import { conversationCount } from "../model/normalize.ts";
import { loadManifest, tempHome } from "../../tests/fixture_home.ts";

const CORE = ["claude-code", "codex", "gemini-cli"];
const fixtures = (await loadManifest()).filter((f) => CORE.includes(f.provider));

Deno.test("searchSessions() indexes the fixtures once, then reads only what changed", async () => {
  await using h = await tempHome(CORE);
  const cold = await searchSessions(h.ctx, "casr-fixture");
  assert.equal(cold.index.read, fixtures.length);
  assert.equal(cold.index.sessions, fixtures.length);
  assert.ok(cold.total > 0);
  const warm = await searchSessions(h.ctx, "casr-fixture");
  assert.deepEqual(warm.index, { sessions: fixtures.length, read: 0, removed: 0, rebuilt: false });
  assert.deepEqual(warm.results, cold.results);

  // A new session: a copy of a Claude Code session under a new id, with a new word.
  const basic = fixtures.find((f) => f.provider === "claude-code" && f.scenario === "basic");
  assert.ok(basic);
  const source = path.join(h.home, basic.path.replace(/^claude-code\//, ""));
  const newId = "0d0d0d0d-1111-4222-8333-444455556666";
  const copy = path.join(path.dirname(source), `${newId}.jsonl`);
  const text = (await Deno.readTextFile(source)).replaceAll(basic.sessionId, newId);
  const line = JSON.parse(text.split("\n").find((l) => l.includes('"type":"user"')) as string);
  line.message.content = "zanzibar quokka";
  line.uuid = "aaaaaaaa-0000-4000-8000-000000000001";
  await Deno.writeTextFile(copy, text + JSON.stringify(line) + "\n");
  const added = await searchSessions(h.ctx, "quokka");
  assert.equal(added.index.read, 1);
  assert.deepEqual(added.results.map((r) => r.id), [newId]);
  assert.deepEqual(
    added.results[0]?.highlights.map(([a, b]) => added.results[0]?.snippet.slice(a, b)),
    ["quokka"],
  );

  // A changed session: the word goes, another comes.
  await Deno.writeTextFile(
    copy,
    (await Deno.readTextFile(copy)).replace("zanzibar quokka", "zanzibar wombat"),
  );
  const changed = await searchSessions(h.ctx, "quokka");
  assert.equal(changed.index.read, 1);
  assert.equal(changed.total, 0);
  assert.equal((await searchSessions(h.ctx, "wombat")).results[0]?.id, newId);

  // A deleted session.
  await Deno.remove(copy);
  const gone = await searchSessions(h.ctx, "zanzibar");
  assert.deepEqual({ read: gone.index.read, removed: gone.index.removed }, { read: 0, removed: 1 });
  assert.equal(gone.total, 0);
});

Deno.test("searchSessions() filters by agent, workspace, time and role", async () => {
  await using h = await tempHome(CORE);
  const all = await searchSessions(h.ctx, "casr-fixture", { limit: 100 });
  const agents = new Set(all.results.map((r) => r.provider));
  assert.deepEqual([...agents].sort(), CORE);
  const codex = await searchSessions(h.ctx, "casr-fixture", { agents: ["codex"], limit: 100 });
  assert.ok(codex.results.length > 0);
  assert.ok(codex.results.every((r) => r.provider === "codex"));
  const two = await searchSessions(h.ctx, "casr-fixture", { agents: ["cc", "gemini"] });
  assert.deepEqual(
    new Set(two.results.map((r) => r.provider)),
    new Set(["claude-code", "gemini-cli"]),
  );
  assert.equal(
    (await searchSessions(h.ctx, "casr-fixture", { workspace: "/nowhere" })).total,
    0,
  );
  const ws = fixtures[0]?.workspace as string;
  assert.equal((await searchSessions(h.ctx, "casr-fixture", { workspace: ws })).total, all.total);
  const times = all.results.map((r) => r.lastActiveAt ?? 0).sort((a, b) => a - b);
  const middle = times[Math.floor(times.length / 2)] as number;
  const since = await searchSessions(h.ctx, "casr-fixture", { since: middle, limit: 100 });
  assert.ok(since.results.every((r) => (r.lastActiveAt ?? 0) >= middle));
  const until = await searchSessions(h.ctx, "casr-fixture", { until: middle - 1, limit: 100 });
  assert.ok(until.results.every((r) => (r.lastActiveAt ?? 0) < middle));
  assert.equal(since.total + until.total, all.total);
  // The manifest says which fixtures ran an `echo` or a `seq` command through a tool.
  for (const word of ["echo", "seq"]) {
    const tool = await searchSessions(h.ctx, word, { role: "tool", limit: 100 });
    assert.ok(tool.results.length > 0 && tool.results.every((r) => r.field === "tool"));
    const ran = fixtures.filter((f) =>
      f.expected.some((t) => t.toolCalls?.some((c) => c.command.split(/\s+/).includes(word)))
    );
    assert.deepEqual(tool.results.map((r) => r.id).sort(), ran.map((f) => f.sessionId).sort());
  }
  assert.equal((await searchSessions(h.ctx, "casr-fixture", { limit: 2 })).results.length, 2);
});

Deno.test("searchSessions() rebuilds a torn index file and says so once", async () => {
  await using h = await tempHome(CORE);
  const first = await searchSessions(h.ctx, "casr-fixture");
  const file = path.join(h.home, ".cache", "casr", "search.sqlite");
  const bytes = await Deno.readFile(file);
  assert.ok(bytes.length > 8192, `index is ${bytes.length} bytes`);
  // Tear it: keep the header page, scribble over the rest, as a crash of the disk might.
  const torn = bytes.slice();
  torn.fill(0x5a, 4096);
  await Deno.writeFile(file, torn);
  const notices: string[] = [];
  const again = await searchSessions(h.ctx, "casr-fixture", { notice: (l) => notices.push(l) });
  assert.equal(notices.length, 1, notices.join("\n"));
  assert.match(notices[0] as string, /search index .* (is )?damaged.*rebuilding it/);
  assert.equal(again.index.rebuilt, true);
  assert.equal(again.index.read, fixtures.length);
  assert.deepEqual(again.results.map((r) => r.id), first.results.map((r) => r.id));
});

Deno.test("searchSessions() searches without the index file when it cannot be written", async () => {
  await using h = await tempHome(CORE);
  const blocker = path.join(h.home, "not-a-dir");
  await Deno.writeTextFile(blocker, "a file where the cache directory would be");
  const notices: string[] = [];
  const r = await searchSessions(h.ctx, "casr-fixture", {
    cacheDir: path.join(blocker, "casr"),
    notice: (l) => notices.push(l),
  });
  assert.ok(r.total > 0);
  assert.equal(r.index.read, fixtures.length);
  assert.equal(notices.length, 1);
  assert.match(notices[0] as string, /cannot write the search index .*; searching without it/);
});

Deno.test("searchSessions() refuses a query with no word", async () => {
  await using h = await tempHome([]);
  await assert.rejects(() => searchSessions(h.ctx, ' -- : "" * '), /no word/);
});

Deno.test("searchSessions() ranks by bm25, higher scores first, ties newest first", async () => {
  await using h = await tempHome(CORE);
  const r = await searchSessions(h.ctx, "casr-fixture", { limit: 100 });
  assert.ok(r.results.length > 2);
  for (let i = 1; i < r.results.length; i++) {
    const [a, b] = [r.results[i - 1]!, r.results[i]!];
    assert.ok(a.score > 0 && a.score >= b.score, `${a.score} before ${b.score}`);
    if (a.score === b.score) assert.ok((a.lastActiveAt ?? 0) >= (b.lastActiveAt ?? 0));
  }
});

Deno.test("searchSessions() orders equal matches of the same time by path, not by when they were indexed", async () => {
  await using h = await tempHome(["claude-code"]);
  const basic = fixtures.find((f) => f.provider === "claude-code" && f.scenario === "basic");
  assert.ok(basic);
  const source = path.join(h.home, basic.path.replace(/^claude-code\//, ""));
  const text = await Deno.readTextFile(source);
  // Two copies with the same text and times; the one later by path is indexed first.
  const copy = async (id: string) => {
    const file = path.join(path.dirname(source), `${id}.jsonl`);
    await Deno.writeTextFile(file, text.replaceAll(basic.sessionId, id));
    await Deno.utime(file, 1_700_000_000, 1_700_000_000);
    return id;
  };
  const later = await copy("ffffffff-1111-4222-8333-444455556666");
  await searchSessions(h.ctx, "casr-fixture");
  const earlier = await copy("00000000-1111-4222-8333-444455556666");
  const r = await searchSessions(h.ctx, "casr-fixture", { limit: 100 });
  const ids = r.results.map((x) => x.id).filter((id) => id === later || id === earlier);
  assert.deepEqual(ids, [earlier, later]);
});

Deno.test("searchSessions() does not read again a session whose title holds half an emoji", async () => {
  await using h = await tempHome([]);
  // Hand-made Claude Code session: its first prompt, the title, has a lone
  // surrogate (a damaged file) and an emoji right where the title is cut.
  const id = "5e5e5e5e-1111-4222-8333-444455556666";
  const dir = path.join(h.home, ".claude", "projects", "-tmp-emoji");
  await Deno.mkdir(dir, { recursive: true });
  const prompt = `lone \ud83d half ${"q".repeat(67)}😀 zebu`;
  const record = (uuid: string, parentUuid: string | null, message: object, type: string) => ({
    type,
    uuid,
    parentUuid,
    sessionId: id,
    cwd: "/tmp/emoji",
    timestamp: "2026-08-20T10:00:00.000Z",
    message,
  });
  const lines = [
    record("aaaaaaaa-0000-4000-8000-000000000001", null, { role: "user", content: prompt }, "user"),
    record(
      "aaaaaaaa-0000-4000-8000-000000000002",
      "aaaaaaaa-0000-4000-8000-000000000001",
      { role: "assistant", content: [{ type: "text", text: "a zebu it is" }] },
      "assistant",
    ),
  ];
  await Deno.writeTextFile(
    path.join(dir, `${id}.jsonl`),
    lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
  );
  const cold = await searchSessions(h.ctx, "zebu");
  assert.equal(cold.index.read, 1);
  const title = cold.results[0]?.title ?? "";
  assert.ok(title.length > 0 && title.endsWith("…"), title);
  assert.equal(title.slice(0, -1).at(-1), "q", "the cut emoji is left out whole");
  const warm = await searchSessions(h.ctx, "zebu");
  assert.equal(warm.index.read, 0);
  assert.deepEqual(warm.results.map((r) => r.id), [id]);
});

Deno.test("after a search, list counts the sessions it had only estimated, as info does", async () => {
  await using h = await tempHome(CORE);
  const before = await listSessions(h.ctx, { cache: true });
  const estimated = before.sessions.filter((s) => s.messageCountEstimated === true);
  // The messy fixtures are over 256 KiB (their images): listed from head and tail.
  assert.ok(estimated.length >= 3, `${estimated.length} estimated`);
  await searchSessions(h.ctx, "casr-fixture");
  const after = await listSessions(h.ctx, { cache: true });
  for (const was of estimated) {
    const now = after.sessions.find((s) => s.path === was.path);
    assert.ok(now, was.path);
    const { session } = await readSession(h.ctx, was.id, { source: was.provider });
    assert.equal(now.messageCount, conversationCount(session.messages), was.path);
    assert.equal(now.messageCountEstimated, undefined, was.path);
    // Tool outputs are not in the index's reads: tokens stay an estimate.
    assert.equal(now.tokensEstimated, true, was.path);
  }
  // A file that changes goes back to an estimate until it is read again.
  const grown = estimated.find((s) => s.provider === "claude-code");
  assert.ok(grown);
  await Deno.writeTextFile(grown.path, "\n", { append: true });
  const again = await listSessions(h.ctx, { cache: true });
  assert.equal(again.sessions.find((s) => s.path === grown.path)?.messageCountEstimated, true);
});

Deno.test("whileBusy() tries again while SQLite says the index is locked, then says so", async () => {
  const locked = () => Object.assign(new Error("database is locked"), { errcode: 5 });
  let calls = 0;
  const value = await whileBusy(() => {
    calls++;
    return calls < 3 ? Promise.reject(locked()) : Promise.resolve("done");
  }, "/tmp/index.sqlite");
  assert.deepEqual([value, calls], ["done", 3]);
  await assert.rejects(
    () => whileBusy(() => Promise.reject(locked()), "/tmp/index.sqlite"),
    (error: unknown) =>
      error instanceof CasrError && error.code === "conflict" &&
      /index \/tmp\/index\.sqlite: it stays locked/.test(error.message),
  );
  // Any other error goes through at once.
  calls = 0;
  await assert.rejects(() =>
    whileBusy(() => {
      calls++;
      return Promise.reject(new Error("disk I/O error"));
    }, "/tmp/index.sqlite")
  );
  assert.equal(calls, 1);
});

Deno.test("bestMatches() keeps the same first results as sorting every match, ties included, from any order", () => {
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const full = <T extends { score: number; when: number; provider: string; path: string }>(
    list: T[],
  ): T[] =>
    [...list].sort((a, b) =>
      a.score - b.score || b.when - a.when ||
      (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0) ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
    );
  for (let round = 0; round < 300; round++) {
    const n = random(60);
    const matches = Array.from({ length: n }, (_, i) => ({
      score: -random(6) / 2, // few distinct scores: many ties across the cut
      when: random(4),
      provider: ["codex", "claude-code"][random(2)] as string,
      path: `/s/${random(20)}-${i}`,
    }));
    const given = round % 3 === 0
      ? matches
      : round % 3 === 1
      ? [...matches].sort((a, b) => a.score - b.score)
      : [...matches].reverse();
    const limit = random(n + 2);
    assert.deepEqual(bestMatches(given, limit), full(matches).slice(0, limit));
  }
});
