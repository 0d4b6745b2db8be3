// Messy OpenCode sessions: a compaction with its synthetic turns, attached and read images,
// synthetic user text. Every session here is HAND-MADE, in the row shapes OpenCode 1.18.33
// writes (read from its bundled source: SessionCompaction, the read tool, the prompt's file
// handling), and the expectations follow what that version's `toModelMessages` and
// `filterCompacted` send to the model on resume.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { tempHome } from "../../../tests/fixture_home.ts";
import type { Message, Session } from "../../model/types.ts";
import { compareSessions } from "../../pipeline/compare.ts";
import { opencode } from "./mod.ts";
import { testMessage as msg, testSession } from "../../model/testdata/sample_session.ts";

const T0 = Date.parse("2026-12-06T04:00:00.000Z");
// A 4×4 red PNG, base64.
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg==";

function sessionOf(messages: Message[]): Session {
  return testSession(messages, { workspace: "/tmp/casr-proj", title: "Hand-made" });
}

/** Plans and applies `session` into a fresh home; returns the written ref. */
async function write(home: { ctx: Parameters<typeof opencode.plan>[1] }, session: Session) {
  const plan = await opencode.plan(session, home.ctx, { workspace: "/tmp/casr-proj", now: T0 });
  for (const effect of plan.effects) await effect.apply();
  return plan;
}

interface HandPart {
  [key: string]: unknown;
}
interface HandMessage {
  info: Record<string, unknown>;
  parts: HandPart[];
}

/**
 * Replaces the messages of a written session by hand-made rows (ids ascend in the given
 * order, one millisecond apart).
 */
function replaceRows(db: string, sessionId: string, messages: HandMessage[]): string[] {
  const handle = new DatabaseSync(db);
  const ids: string[] = [];
  try {
    handle.prepare("DELETE FROM part WHERE session_id = ?").run(sessionId);
    handle.prepare("DELETE FROM message WHERE session_id = ?").run(sessionId);
    messages.forEach((m, i) => {
      const id = `msg_${String(i).padStart(12, "0")}hand`;
      ids.push(id);
      const at = T0 + i;
      const info = { time: { created: at }, ...m.info };
      handle.prepare(
        "INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)",
      ).run(id, sessionId, at, at, JSON.stringify(info));
      m.parts.forEach((p, k) => {
        handle.prepare(
          "INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?, ?)",
        ).run(
          `prt_${String(i).padStart(8, "0")}${k}hand`,
          id,
          sessionId,
          at,
          at,
          JSON.stringify(p),
        );
      });
    });
  } finally {
    handle.close();
  }
  return ids;
}

const user = (...parts: HandPart[]): HandMessage => ({
  info: { role: "user", agent: "build", model: { providerID: "anthropic", modelID: "m" } },
  parts,
});
const assistant = (
  parent: number,
  parts: HandPart[],
  extra: Record<string, unknown> = {},
): HandMessage => ({
  info: {
    role: "assistant",
    parentID: `msg_${String(parent).padStart(12, "0")}hand`,
    modelID: "claude-sonnet-4-5",
    providerID: "anthropic",
    mode: "build",
    agent: "build",
    finish: "stop",
    ...extra,
  },
  parts,
});
const text = (t: string, extra: Record<string, unknown> = {}) => ({
  type: "text",
  text: t,
  ...extra,
});

const shape = (messages: readonly Message[]) =>
  messages.map((m) => [m.role, m.text, m.toolCalls.length, m.toolResults.length]);

Deno.test("read() sends-what-OpenCode-sends after a compaction: the request, the summary, the synthetic continue turn", async () => {
  await using home = await tempHome();
  const plan = await write(home, sessionOf([msg("user", "seed"), msg("assistant", "seed")]));
  const [db, id] = plan.primaryPath.split("#") as [string, string];
  replaceRows(db, id, [
    user(text("Old question")), // 0: summarized away
    assistant(0, [text("Old answer")]), // 1: summarized away
    user({ type: "compaction", auto: true }), // 2
    assistant(2, [text("Summary: we answered the old question.")], { summary: true }), // 3
    user(
      text(
        "Continue if you have next steps, or stop and ask for clarification if you are unsure how to proceed.",
        {
          synthetic: true,
          metadata: { compaction_continue: true },
        },
      ),
    ), // 4
    assistant(4, [text("Nothing left to do.")]), // 5
    user(text("A new question"), text("hidden", { ignored: true })), // 6
    assistant(6, [text("A new answer")]), // 7
    assistant(6, [text("")], { error: { name: "APIError", data: { message: "boom" } } }), // 8
  ]);
  const { session, warnings } = await opencode.read(plan.primaryPath, home.ctx);
  assert.deepEqual(shape(session.messages), [
    ["user", "What did we do so far?", 0, 0],
    ["assistant", "Summary: we answered the old question.", 0, 0],
    [
      "user",
      "Continue if you have next steps, or stop and ask for clarification if you are unsure how to proceed.",
      0,
      0,
    ],
    ["assistant", "Nothing left to do.", 0, 0],
    ["user", "A new question", 0, 0],
    ["assistant", "A new answer", 0, 0],
  ]);
  assert.deepEqual(session.metadata.compaction, {
    requestId: "msg_000000000002hand",
    droppedMessages: 2,
  });
  assert.deepEqual(warnings.map((w) => w.code), ["failed-reply"]);

  // Converted (here back into OpenCode), the turns still alternate: no two assistants in a row.
  await using other = await tempHome();
  const again = await write(other, session);
  const back = await opencode.read(again.primaryPath, other.ctx);
  assert.deepEqual(compareSessions(session, back.session), []);
  const roles = back.session.messages.map((m) => m.role);
  assert.ok(roles.every((r, i) => i === 0 || !(r === "assistant" && roles[i - 1] === "assistant")));
});

Deno.test("read() puts a compaction's kept tail after the summary, as OpenCode does", async () => {
  await using home = await tempHome();
  const plan = await write(home, sessionOf([msg("user", "seed"), msg("assistant", "seed")]));
  const [db, id] = plan.primaryPath.split("#") as [string, string];
  replaceRows(db, id, [
    user(text("Q1")), // 0: dropped
    assistant(0, [text("A1")]), // 1: dropped
    user(text("Q2")), // 2: the kept tail starts here
    assistant(2, [text("A2")]), // 3
    user({ type: "compaction", auto: false, tail_start_id: "msg_000000000002hand" }), // 4
    assistant(4, [text("Summary of Q1")], { summary: true }), // 5
    user(text("Q3")), // 6
    assistant(6, [text("A3")]), // 7
  ]);
  const { session } = await opencode.read(plan.primaryPath, home.ctx);
  assert.deepEqual(session.messages.map((m) => m.text), [
    "What did we do so far?",
    "Summary of Q1",
    "Q2",
    "A2",
    "Q3",
    "A3",
  ]);
});

Deno.test("read() keeps an attached image, its synthetic Read note and a read tool's image as images", async () => {
  await using home = await tempHome();
  const plan = await write(home, sessionOf([msg("user", "seed"), msg("assistant", "seed")]));
  const [db, id] = plan.primaryPath.split("#") as [string, string];
  replaceRows(db, id, [
    user(
      text("What is in this picture?"),
      text('Called the Read tool with the following input: {"filePath":"/tmp/casr-proj/red.png"}', {
        synthetic: true,
      }),
      { type: "file", mime: "image/png", filename: "red.png", url: `data:image/png;base64,${PNG}` },
      {
        type: "file",
        mime: "application/pdf",
        filename: "spec.pdf",
        url: "data:application/pdf;base64,JVBE",
      },
    ),
    assistant(0, [
      text("Let me read the other one."),
      {
        type: "tool",
        callID: "toolu_1",
        tool: "read",
        state: {
          status: "completed",
          input: { filePath: "/tmp/casr-proj/blue.png" },
          output: "Image read successfully",
          title: "blue.png",
          metadata: {},
          time: { start: T0 + 1, end: T0 + 2 },
          attachments: [{
            id: "prt_att",
            sessionID: id,
            messageID: "msg_000000000001hand",
            type: "file",
            mime: "image/png",
            url: `data:image/png;base64,${PNG}`,
          }],
        },
      },
    ], { finish: "tool-calls" }),
    assistant(0, [text("Both are squares.")]),
  ]);
  const { session } = await opencode.read(plan.primaryPath, home.ctx);
  const [first, call, result, last] = session.messages;
  assert.equal(
    first?.text,
    'What is in this picture?\nCalled the Read tool with the following input: {"filePath":"/tmp/casr-proj/red.png"}\n[Attached application/pdf: spec.pdf]',
  );
  assert.deepEqual(first?.images, [{ mediaType: "image/png", data: PNG, source: "red.png" }]);
  assert.equal(call?.toolCalls[0]?.name, "read");
  assert.deepEqual(result?.toolResults[0]?.images, [
    { mediaType: "image/png", data: PNG, source: "/tmp/casr-proj/blue.png" },
  ]);
  assert.equal(result?.toolResults[0]?.output, "Image read successfully");
  assert.equal(last?.text, "Both are squares.");
});

Deno.test("plan() writes images as data-URL file parts and read attachments that read back as images", async () => {
  await using home = await tempHome();
  const source = sessionOf([
    msg("user", "Compare these", {
      timestamp: T0,
      images: [
        { mediaType: "image/png", data: PNG, source: "/tmp/a/red.png" },
        { mediaType: "image/bmp", data: "Qk0=", source: "/tmp/a/old.bmp" },
      ],
    }),
    msg("assistant", "", {
      timestamp: T0 + 1000,
      toolCalls: [{ id: "call_1", name: "read", input: { filePath: "/tmp/a/blue.png" } }],
    }),
    msg("tool", "", {
      timestamp: T0 + 2000,
      toolResults: [{
        callId: "call_1",
        output: "Image read successfully",
        isError: false,
        images: [{ mediaType: "image/png", data: PNG }],
      }],
    }),
    msg("user", "", { timestamp: T0 + 3000, images: [{ mediaType: "image/webp", data: "UklG" }] }),
    msg("assistant", "Same red.", { timestamp: T0 + 4000 }),
  ]);
  const plan = await write(home, source);
  assert.deepEqual(plan.warnings.filter((w) => w.code === "dropped-image").length, 1);
  const [db, id] = plan.primaryPath.split("#") as [string, string];
  const handle = new DatabaseSync(db, { readOnly: true });
  try {
    const parts = handle.prepare("SELECT data FROM part WHERE session_id = ? ORDER BY id").all(id)
      .map((r) => JSON.parse(String(r.data)));
    assert.deepEqual(parts.filter((p) => p.type === "file"), [
      { type: "file", mime: "image/png", url: `data:image/png;base64,${PNG}`, filename: "red.png" },
      { type: "file", mime: "image/webp", url: "data:image/webp;base64,UklG" },
    ]);
    const tool = parts.find((p) => p.type === "tool");
    assert.equal(tool.state.status, "completed");
    assert.equal(tool.state.attachments.length, 1);
    assert.equal(tool.state.attachments[0].url, `data:image/png;base64,${PNG}`);
    assert.match(tool.state.attachments[0].id, /^prt_/);
    assert.equal(tool.state.attachments[0].sessionID, id);
  } finally {
    handle.close();
  }
  const { session: back } = await opencode.read(plan.primaryPath, home.ctx);
  // The one difference is the BMP the writer dropped (the pipeline makes it a placeholder first).
  assert.deepEqual(compareSessions(source, back), [
    { index: 0, field: "images", expected: ["image/png", "image/bmp"], actual: ["image/png"] },
  ]);
  assert.deepEqual(back.messages.map((m) => m.images), [
    [{ mediaType: "image/png", data: PNG, source: "red.png" }],
    undefined,
    undefined,
    [{ mediaType: "image/webp", data: "UklG" }],
    undefined,
  ]);
  assert.deepEqual(back.messages[2]?.toolResults[0]?.images, [
    { mediaType: "image/png", data: PNG, source: "/tmp/a/blue.png" },
  ]);
  assert.ok(back.messages.every((m) => !m.text.includes("[image]")));
});

Deno.test("opencode carries images", () => {
  assert.equal(opencode.carries?.images, true);
});
