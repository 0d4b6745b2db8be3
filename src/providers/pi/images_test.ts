/**
 * Tests of images in Pi sessions: the genuine messy fixture written by pi
 * 1.6.0 (a `read` of a PNG and an `@file` PNG attachment), and a small
 * hand-made session read, written and read back.
 */
import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import type { ImageContent, Session } from "../../model/types.ts";
import { loadManifest, type TempHome, tempHome } from "../../../tests/fixture_home.ts";
import { pi } from "./mod.ts";

const messy = (await loadManifest()).find((f) => f.provider === "pi" && f.scenario === "messy");

/** Hand-made base64 stand-ins for image bytes (not real pictures). */
const PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAE=";
const SHOT = "/9j/4AAQSkZJRgABAQ==";

Deno.test("pi reader reads both images of the genuine messy fixture with their media type", async () => {
  assert.ok(messy !== undefined, "the manifest has Pi's messy fixture");
  await using home = await tempHome(["pi"]);
  const { session } = await pi.read(
    path.join(home.home, path.relative("pi", messy.path)),
    home.ctx,
  );
  const results = session.messages.flatMap((m) => m.toolResults);
  const read = results.find((r) => r.output.startsWith("Read image file"));
  assert.equal(read?.output, "Read image file [image/png]");
  assert.equal(read?.images?.length, 1);
  assert.equal(read?.images?.[0]?.mediaType, "image/png");
  assert.equal(read?.images?.[0]?.source, "/tmp/casr-fixture-project/pixel.png");
  assert.match(read?.images?.[0]?.data ?? "", /^iVBORw0KGgo/);
  assert.equal(results.filter((r) => (r.images ?? []).length > 0).length, 1);
  const attached = session.messages.filter((m) => (m.images ?? []).length > 0);
  assert.equal(attached.length, 1);
  assert.equal(attached[0]?.role, "user");
  assert.equal(
    attached[0]?.text,
    '<file name="/tmp/casr-fixture-project/attached.png"></file>\n' +
      "Messy step four: here is an attached picture, what colors?",
  );
  assert.equal(attached[0]?.images?.length, 1);
  assert.equal(attached[0]?.images?.[0]?.mediaType, "image/png");
  assert.equal(attached[0]?.images?.[0]?.source, "/tmp/casr-fixture-project/attached.png");
  assert.notEqual(attached[0]?.images?.[0]?.data, read?.images?.[0]?.data);
});

/** A hand-made Pi session (shaped like pi 1.6.0's): an @file attachment, then a read of a PNG. */
function handMadeLines(carrier: boolean): string[] {
  const t = "2026-12-06T05:00:00.000Z";
  const entry = (id: string, parentId: string | null, message: Record<string, unknown>) =>
    JSON.stringify({ type: "message", id, parentId, timestamp: t, message });
  const image = (data: string, mimeType: string) => ({ type: "image", data, mimeType });
  const resultImages = carrier ? [] : [image(PIXEL, "image/png")];
  const lines = [
    JSON.stringify({ type: "session", version: 3, id: "img-1", timestamp: t, cwd: "/tmp" }),
    entry("a1", null, {
      role: "user",
      content: [
        { type: "text", text: '<file name="/tmp/shot.jpg"></file>\nWhat is this?' },
        image(SHOT, "image/jpeg"),
      ],
    }),
    entry("a2", "a1", {
      role: "assistant",
      content: [
        { type: "text", text: "Reading." },
        { type: "toolCall", id: "call_1", name: "read", arguments: { path: "/tmp/pixel.png" } },
      ],
      stopReason: "toolUse",
    }),
    entry("a3", "a2", {
      role: "toolResult",
      toolCallId: "call_1",
      toolName: "read",
      content: [{ type: "text", text: "Read image file [image/png]" }, ...resultImages],
      isError: false,
    }),
  ];
  if (carrier) {
    // As Pi sends a result's images to a Chat Completions model.
    lines.push(entry("a4", "a3", {
      role: "user",
      content: [
        { type: "text", text: "Attached image(s) from tool result:" },
        image(PIXEL, "image/png"),
      ],
    }));
  }
  lines.push(entry("a5", carrier ? "a4" : "a3", {
    role: "assistant",
    content: [{ type: "text", text: "A shot and a pixel." }],
    stopReason: "stop",
  }));
  return lines;
}

async function readLines(home: TempHome, lines: string[]): Promise<Session> {
  const file = path.join(home.home, "hand-made.jsonl");
  await Deno.writeTextFile(file, lines.join("\n") + "\n");
  return (await pi.read(file, home.ctx)).session;
}

function assertBothImages(session: Session): void {
  const user = session.messages.find((m) => m.role === "user");
  assert.equal(user?.text, '<file name="/tmp/shot.jpg"></file>\nWhat is this?');
  assert.deepEqual(
    user?.images,
    [
      { mediaType: "image/jpeg", data: SHOT, source: "/tmp/shot.jpg" },
    ] satisfies ImageContent[],
  );
  const results = session.messages.flatMap((m) => m.toolResults);
  assert.equal(results.length, 1);
  assert.equal(results[0]?.output, "Read image file [image/png]");
  assert.deepEqual(
    results[0]?.images,
    [
      { mediaType: "image/png", data: PIXEL, source: "/tmp/pixel.png" },
    ] satisfies ImageContent[],
  );
  assert.deepEqual(
    session.messages.map((m) => m.role),
    ["user", "assistant", "tool", "assistant"],
  );
}

Deno.test("pi reader reads a prompt's image and a read result's image (hand-made session)", async () => {
  await using home = await tempHome();
  assertBothImages(await readLines(home, handMadeLines(false)));
});

Deno.test("pi reader gives the images of Pi's separate tool-result image message to that result (hand-made session)", async () => {
  await using home = await tempHome();
  assertBothImages(await readLines(home, handMadeLines(true)));
});

Deno.test("pi writer writes images in Pi's own blocks and reads them back (hand-made session)", async () => {
  await using home = await tempHome();
  const source = await readLines(home, handMadeLines(false));
  const plan = await pi.plan(source, home.ctx, { workspace: home.home, now: 0 });
  const lines = fileText(plan.files[0]!.data).trim().split("\n").map((l) => JSON.parse(l));
  const user = lines.find((l) => l.message?.role === "user");
  assert.deepEqual(user.message.content, [
    { type: "text", text: '<file name="/tmp/shot.jpg"></file>\nWhat is this?' },
    { type: "image", data: SHOT, mimeType: "image/jpeg" },
  ]);
  const result = lines.find((l) => l.message?.role === "toolResult");
  assert.deepEqual(result.message.content, [
    { type: "text", text: "Read image file [image/png]" },
    { type: "image", data: PIXEL, mimeType: "image/png" },
  ]);
  assert.deepEqual(plan.warnings.filter((w) => w.code === "dropped-image"), []);
  await Deno.mkdir(path.dirname(plan.primaryPath), { recursive: true });
  await Deno.writeTextFile(plan.primaryPath, fileText(plan.files[0]!.data));
  assertBothImages((await pi.read(plan.primaryPath, home.ctx)).session);
});

Deno.test("pi writer writes an image-only prompt and drops an image without bytes with a warning", async () => {
  await using home = await tempHome();
  const session: Session = {
    id: "hand-made",
    provider: "claude-code",
    metadata: {},
    messages: [{
      index: 0,
      role: "user",
      text: "",
      toolCalls: [],
      toolResults: [],
      images: [
        { mediaType: "image/png", data: PIXEL },
        { mediaType: "image/png", source: "lost.png" },
      ],
    }, {
      index: 1,
      role: "assistant",
      text: "A pixel.",
      toolCalls: [],
      toolResults: [],
    }],
  };
  const plan = await pi.plan(session, home.ctx, { workspace: home.home, now: 0 });
  const lines = fileText(plan.files[0]!.data).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(lines.find((l) => l.message?.role === "user").message.content, [
    { type: "image", data: PIXEL, mimeType: "image/png" },
  ]);
  const dropped = plan.warnings.filter((w) => w.code === "dropped-image");
  assert.equal(dropped.length, 1);
  assert.match(dropped[0]!.message, /lost\.png/);
});

Deno.test("pi carries images", () => {
  assert.equal(pi.carries?.images, true);
  assert.equal(pi.carries?.toolFamily, "pi");
});
