// Messy Kilo CLI sessions (HAND-MADE): Kilo 7.7.9 stores and sends them like OpenCode 1.18.33
// (same `toModelMessages` and `filterCompacted` in its bundled source): a compaction read as
// the turns Kilo sends, and images written as data-URL file parts that read back as images.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { tempHome } from "../../../tests/fixture_home.ts";
import type { Message, Session } from "../../model/types.ts";
import { compareSessions } from "../../pipeline/compare.ts";
import { kiloCli } from "./mod.ts";
import { testMessage as msg, testSession } from "../../model/testdata/sample_session.ts";

const T0 = Date.parse("2026-12-06T04:00:00.000Z");
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg==";

function sessionOf(messages: Message[]): Session {
  return testSession(messages, {
    provider: "claude-code",
    workspace: "/tmp/casr-proj",
    title: "Hand-made",
  });
}

Deno.test("kilo-cli: images round-trip as file parts and read attachments; carries.images", async () => {
  assert.equal(kiloCli.carries?.images, true);
  await using home = await tempHome();
  const source = sessionOf([
    msg("user", "What is this?", {
      timestamp: T0,
      images: [{ mediaType: "image/png", data: PNG, source: "/tmp/shot.png" }],
    }),
    msg("assistant", "", {
      timestamp: T0 + 1000,
      toolCalls: [{ id: "toolu_1", name: "Read", input: { file_path: "/tmp/red.png" } }],
    }),
    msg("tool", "", {
      timestamp: T0 + 2000,
      toolResults: [{
        callId: "toolu_1",
        output: "",
        isError: false,
        images: [{ mediaType: "image/png", data: PNG, source: "/tmp/red.png" }],
      }],
    }),
    msg("assistant", "Red.", { timestamp: T0 + 3000 }),
  ]);
  const plan = await kiloCli.plan(source, home.ctx, { workspace: "/tmp/casr-proj", now: T0 });
  for (const effect of plan.effects) await effect.apply();
  const { session: back } = await kiloCli.read(plan.primaryPath, home.ctx);
  assert.deepEqual(compareSessions(source, back), []);
  assert.deepEqual(back.messages[0]?.images, [
    { mediaType: "image/png", data: PNG, source: "shot.png" },
  ]);
  assert.deepEqual(back.messages[2]?.toolResults[0]?.images, [
    { mediaType: "image/png", data: PNG, source: "/tmp/red.png" },
  ]);
});

Deno.test("kilo-cli: a compaction reads as request, summary and the synthetic continue turn", async () => {
  await using home = await tempHome();
  const plan = await kiloCli.plan(
    sessionOf([msg("user", "seed"), msg("assistant", "seed")]),
    home.ctx,
    { workspace: "/tmp/casr-proj", now: T0 },
  );
  for (const effect of plan.effects) await effect.apply();
  const [db, id] = plan.primaryPath.split("#") as [string, string];
  const handle = new DatabaseSync(db);
  try {
    handle.prepare("DELETE FROM part WHERE session_id = ?").run(id);
    handle.prepare("DELETE FROM message WHERE session_id = ?").run(id);
    const rows: [string, Record<string, unknown>, Record<string, unknown>][] = [
      ["msg_a0", { role: "user" }, { type: "text", text: "Old question" }],
      ["msg_a1", { role: "assistant", parentID: "msg_a0", finish: "stop" }, {
        type: "text",
        text: "Old answer",
      }],
      ["msg_a2", { role: "user" }, { type: "compaction", auto: true }],
      ["msg_a3", { role: "assistant", parentID: "msg_a2", summary: true, finish: "stop" }, {
        type: "text",
        text: "The summary",
      }],
      ["msg_a4", { role: "user" }, {
        type: "text",
        text: "Continue if you have next steps",
        synthetic: true,
      }],
      ["msg_a5", { role: "assistant", parentID: "msg_a4", finish: "stop" }, {
        type: "text",
        text: "Done.",
      }],
    ];
    rows.forEach(([mid, info, part], i) => {
      handle.prepare(
        "INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)",
      ).run(mid, id, T0 + i, T0 + i, JSON.stringify({ time: { created: T0 + i }, ...info }));
      handle.prepare(
        "INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?, ?)",
      ).run(`prt_${mid}`, mid, id, T0 + i, T0 + i, JSON.stringify(part));
    });
  } finally {
    handle.close();
  }
  const { session } = await kiloCli.read(plan.primaryPath, home.ctx);
  assert.deepEqual(session.messages.map((m) => [m.role, m.text]), [
    ["user", "What did we do so far?"],
    ["assistant", "The summary"],
    ["user", "Continue if you have next steps"],
    ["assistant", "Done."],
  ]);
});
