import assert from "node:assert/strict";
import * as path from "node:path";
import { findGeminiSessions, listGeminiSessions } from "./list.ts";
import { geminiHome, jsonl, TESTDATA } from "./helpers_test.ts";

const GENUINE_ID = "39f58540-0efd-43ae-96f8-d4cd2c187cae";

async function populatedHome() {
  const h = await geminiHome();
  await h.write("projects.json", JSON.stringify({ projects: { "/tmp/gem/proj": "proj" } }));
  await h.write("tmp/proj/.project_root", "/tmp/gem/proj");
  await h.write(
    "tmp/proj/chats/session-2026-12-01T20-14-39f58540.jsonl",
    await Deno.readTextFile(path.join(TESTDATA, "genuine_0.61_fresh.jsonl")),
  );
  // A second file with the same session id, updated later: the CLI keeps only this one.
  await h.write(
    "tmp/proj/chats/session-2026-12-02T08-00-39f58540.jsonl",
    await Deno.readTextFile(path.join(TESTDATA, "genuine_0.61_resumed.jsonl")),
  );
  // Startup-only file (only the injected context): not resumable, not listed.
  await h.write(
    "tmp/proj/chats/session-2026-12-02T09-00-39f5aaaa.jsonl",
    jsonl([
      { sessionId: "39f5aaaa-0000", projectHash: "h", startTime: "2026-12-02T09:00:00.000Z" },
      { id: "c", type: "user", content: [{ text: "<session_context>\nx" }] },
    ]),
  );
  await h.write(
    "tmp/other/chats/session-2025-10-01T10-00-39f5bbbb.json",
    JSON.stringify({
      sessionId: "39f5bbbb-1111",
      projectHash: "h",
      startTime: "2025-10-01T10:00:00.000Z",
      lastUpdated: "2025-10-01T10:01:00.000Z",
      summary: "Legacy label",
      messages: [{ id: "1", type: "user", content: "Old" }, {
        id: "2",
        type: "gemini",
        content: "Ok",
      }],
    }),
  );
  // Subagent transcripts live in a subdirectory: skipped.
  await h.write(
    "tmp/proj/chats/39f58540-0efd-43ae-96f8-d4cd2c187cae/sub-1.jsonl",
    jsonl([{ sessionId: "sub-1", projectHash: "h", kind: "subagent" }, {
      id: "1",
      type: "user",
      content: "Task",
    }]),
  );
  return h;
}

Deno.test("listGeminiSessions() lists resumable main sessions once per id", async () => {
  await using h = await populatedHome();
  const list = (await listGeminiSessions(h.ctx)).sort((a, b) => a.id.localeCompare(b.id));
  assert.deepEqual(list.map((s) => s.id), [GENUINE_ID, "39f5bbbb-1111"]);
  const [genuine, legacy] = list;
  assert.equal(genuine?.path.endsWith("session-2026-12-02T08-00-39f58540.jsonl"), true);
  assert.equal(genuine?.workspace, "/tmp/gem/proj");
  assert.equal(genuine?.title, "Please run the shell command `echo hello-casr`");
  assert.equal(genuine?.provider, "gemini-cli");
  assert.equal(genuine?.lastActiveAt, Date.parse("2026-12-01T20:14:52.916Z"));
  assert.ok((genuine?.messageCount ?? 0) >= 9);
  assert.ok((genuine?.sizeBytes ?? 0) > 0);
  assert.equal(legacy?.title, "Legacy label");
  assert.equal(legacy?.messageCount, 2);
  assert.equal(legacy?.startedAt, Date.parse("2025-10-01T10:00:00.000Z"));
  assert.equal(legacy?.workspace, undefined);
});

Deno.test("findGeminiSessions() matches a full id alone and a prefix broadly", async () => {
  await using h = await populatedHome();
  assert.deepEqual((await findGeminiSessions(h.ctx, GENUINE_ID)).map((s) => s.id), [GENUINE_ID]);
  assert.deepEqual(
    (await findGeminiSessions(h.ctx, "39f5")).map((s) => s.id).sort(),
    [GENUINE_ID, "39f5bbbb-1111"],
  );
  assert.deepEqual((await findGeminiSessions(h.ctx, "39f58540-0e")).map((s) => s.id), [GENUINE_ID]);
  assert.deepEqual(await findGeminiSessions(h.ctx, "ffff"), []);
  assert.deepEqual(await findGeminiSessions(h.ctx, "39f5aaaa-0000"), []);
});

Deno.test("findGeminiSessions() matches ids case-insensitively, as the other agents do", async () => {
  await using h = await populatedHome();
  assert.deepEqual(
    (await findGeminiSessions(h.ctx, GENUINE_ID.toUpperCase())).map((s) => s.id),
    [GENUINE_ID],
  );
  assert.deepEqual(
    (await findGeminiSessions(h.ctx, "39F58540-0E")).map((s) => s.id),
    [GENUINE_ID],
  );
});

Deno.test("listGeminiSessions() returns nothing for a missing root", async () => {
  await using h = await geminiHome();
  assert.deepEqual(await listGeminiSessions(h.ctx), []);
});

Deno.test("the listing counts the genuine messy session from its last $set of the messages, near the reader's count", async () => {
  const { summarizeSessionFile } = await import("./list.ts");
  const { readGeminiSession } = await import("./reader.ts");
  const { conversationCount } = await import("../../model/normalize.ts");
  const chats = new URL("../../../fixtures/gemini-cli/.gemini/tmp/", import.meta.url).pathname;
  const [project] = [...Deno.readDirSync(chats)].filter((e) => e.isDirectory).map((e) => e.name);
  const dir = path.join(chats, project!, "chats");
  const messy = [...Deno.readDirSync(dir)].map((e) => path.join(dir, e.name))
    .sort((a, b) => Deno.statSync(b).size - Deno.statSync(a).size)[0]!;
  // 470 KB, re-set by Gemini CLI 0.61 on each of its resumes: too large to read whole.
  const listed = await summarizeSessionFile(messy, () => Promise.resolve(undefined));
  assert.equal(listed?.messageCountEstimated, true);
  const read = conversationCount((await readGeminiSession(messy)).session.messages);
  assert.ok(
    Math.abs((listed?.messageCount ?? 0) - read) <= 5,
    `${listed?.messageCount} vs ${read}`,
  );
});
