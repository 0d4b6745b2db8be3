import assert from "node:assert/strict";
import * as path from "node:path";
import { listSessions, PROVIDERS } from "../mod.ts";
import type { Provider, SessionSummary } from "../mod.ts";
import { scanSessions } from "../src/internal/session_index.ts";
import { exactCounts } from "../src/pipeline/exact_counts.ts";
import { conversationCount } from "../src/model/normalize.ts";
import { loadManifest, tempHome } from "./fixture_home.ts";

const CORE = ["claude-code", "codex", "gemini-cli"];
/** Files up to this size are read whole by the listers (each `WHOLE_FILE_BYTES`: 256 KiB). */
const SMALL_FILE_BYTES = 256 * 1024;

const byPath = (list: SessionSummary[]) => [...list].sort((a, b) => a.path.localeCompare(b.path));

Deno.test("listSessions() gives the same summaries cached, uncached and through list() on the fixtures", async () => {
  await using h = await tempHome(CORE);
  const uncached = await listSessions(h.ctx);
  const listed = (await loadManifest()).filter((f) => CORE.includes(f.provider));
  assert.equal(uncached.total, listed.length);
  const cold = await listSessions(h.ctx, { cache: true });
  const warm = await listSessions(h.ctx, { cache: true });
  assert.deepEqual(cold, uncached);
  assert.deepEqual(warm, uncached);
  const cacheDir = path.join(h.home, ".cache", "casr");
  assert.equal(
    [...Deno.readDirSync(cacheDir)].filter((e) => e.name.startsWith("index-")).length,
    3,
  );
  for (const id of CORE) {
    const provider = PROVIDERS.find((p) => p.id === id) as Provider;
    // list() is the provider's own listing; listSessions() then counts small sessions exactly.
    const viaList = byPath(await provider.list(h.ctx));
    await exactCounts(provider, h.ctx, viaList);
    assert.deepEqual(byPath(uncached.sessions.filter((s) => s.provider === id)), viaList, id);
  }
});

Deno.test("list summaries of the fixtures agree with a full read of each session", async () => {
  await using h = await tempHome(CORE);
  const { sessions } = await listSessions(h.ctx);
  for (const s of sessions) {
    const provider = PROVIDERS.find((p) => p.id === s.provider) as Provider;
    const { session } = await provider.read(s.path, h.ctx);
    assert.equal(s.id, session.id, s.path);
    assert.equal(s.workspace, session.workspace, s.path);
    // Small files are counted exactly (the messy fixtures are larger than a whole-file read).
    if ((await Deno.stat(s.path)).size <= SMALL_FILE_BYTES) {
      assert.equal(s.messageCountEstimated, undefined, s.path);
      assert.equal(s.messageCount, conversationCount(session.messages), s.path);
    }
    assert.ok(s.startedAt !== undefined && s.lastActiveAt !== undefined, s.path);
    assert.ok(s.lastActiveAt >= s.startedAt, s.path);
    const conversation = session.messages.filter((m) => m.role !== "system").length;
    assert.ok(
      (s.messageCount ?? 0) >= conversation - 1,
      `${s.path}: ${s.messageCount} vs ${conversation}`,
    );
  }
});

Deno.test("a warm list re-reads only the session file that changed", async () => {
  await using h = await tempHome(CORE);
  await listSessions(h.ctx, { cache: true });
  const claude = PROVIDERS.find((p) => p.id === "claude-code") as
    & Provider
    & Required<Pick<Provider, "sessionFiles" | "summarize">>;
  const files = await claude.sessionFiles(h.ctx);
  await Deno.writeTextFile(
    files[0] as string,
    JSON.stringify({ type: "ai-title", aiTitle: "Renamed", sessionId: "x" }) + "\n",
    { append: true },
  );
  const cacheFile = [...Deno.readDirSync(path.join(h.home, ".cache", "casr"))]
    .find((e) => e.name.startsWith("index-claude-code-"))?.name as string;
  const { sessions, stats } = await scanSessions(
    { ...claude, sessionFiles: claude.sessionFiles, summarize: claude.summarize },
    h.ctx,
    { cacheFile: path.join(h.home, ".cache", "casr", cacheFile) },
  );
  assert.deepEqual({ hits: stats.hits, misses: stats.misses }, {
    hits: files.length - 1,
    misses: 1,
  });
  assert.equal(sessions.find((s) => s.path === files[0])?.title, "Renamed");
});
