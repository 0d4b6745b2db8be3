/**
 * Tests of the Qwen Code provider: the reader on the genuine fixtures written by
 * qwen 0.24.4, the writer's record shape (cwd on every record, parentUuid chain,
 * functionCall / functionResponse parts), and a round trip.
 */
import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import type { Session } from "../../model/types.ts";
import { compareSessions } from "../../pipeline/compare.ts";
import { assertFixtureTurns, loadManifest, tempHome } from "../../../tests/fixture_home.ts";
import { claimsQwenFile, qwenCode } from "./mod.ts";
import { isResumableId, projectId } from "./paths.ts";
import { readQwenSession } from "./reader.ts";
import { runItSample } from "../../model/testdata/sample_session.ts";

const fixtures = (await loadManifest()).filter((f) => f.provider === "qwen-code");

Deno.test("qwen-code has genuine fixtures for both scenarios", () => {
  assert.deepEqual(fixtures.map((f) => f.scenario).sort(), ["basic", "messy", "multi-tool"]);
});

for (const fixture of fixtures) {
  Deno.test(`qwen-code reader reads the genuine ${fixture.scenario} fixture`, async () => {
    await using home = await tempHome(["qwen-code"]);
    const file = path.join(home.home, path.relative("qwen-code", fixture.path));
    assert.ok(claimsQwenFile(file, (await Deno.readTextFile(file)).slice(0, 8192)));
    const { session, warnings } = await qwenCode.read(file, home.ctx);
    assert.deepEqual(warnings, []);
    assert.equal(session.id, fixture.sessionId);
    assert.equal(session.workspace, fixture.workspace);
    // One tool message per reply, answering its calls in order.
    assertFixtureTurns(session.messages, fixture.expected);
    assert.ok((await qwenCode.find(home.ctx, fixture.sessionId.slice(0, 8))).length >= 1);
  });
}

Deno.test("qwen-code reader: the ls failure of the multi-tool fixture is an error result", async () => {
  const fixture = fixtures.find((f) => f.scenario === "multi-tool")!;
  await using home = await tempHome(["qwen-code"]);
  const file = path.join(home.home, path.relative("qwen-code", fixture.path));
  const { session } = await readQwenSession(file);
  const results = session.messages.flatMap((m) => m.toolResults);
  assert.ok(results.some((r) => r.isError && r.output.includes("definitely-not-here")));
});

function sample(): Session {
  return runItSample([
    { id: "call_1", name: "run_shell_command", input: { command: "ls" } },
    { id: "call_2", name: "shell", input: "pwd" },
  ]);
}

Deno.test("qwen-code writer: chained records with cwd on every one, Gemini parts like the CLI", async () => {
  await using home = await tempHome([]);
  const id = "4f0b7c2e-8a51-4d36-9c1e-2b7d3a9e6f10";
  const plan = await qwenCode.plan(sample(), home.ctx, {
    workspace: "/tmp/ws",
    now: 1_767_000_009_000,
    sessionId: id,
  });
  assert.equal(plan.sessionId, id);
  assert.equal(
    plan.primaryPath,
    path.join(home.home, ".qwen", "projects", projectId("/tmp/ws"), "chats", `${id}.jsonl`),
  );
  assert.equal(plan.resume.shell, `cd /tmp/ws && qwen --resume ${id}`);
  const records = fileText(plan.files[0]!.data).trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(records.map((r) => r.type), [
    "user",
    "assistant",
    "tool_result",
    "tool_result",
    "assistant",
    "system",
  ]);
  assert.equal(records[0].parentUuid, null);
  for (const [i, r] of records.entries()) {
    assert.equal(r.cwd, "/tmp/ws");
    assert.equal(r.sessionId, id);
    if (i > 0) assert.equal(r.parentUuid, records[i - 1].uuid);
  }
  assert.deepEqual(records[1].message.parts[2], {
    functionCall: { id: "call_2", name: "shell", args: { input: "pwd" } },
  });
  assert.deepEqual(records[3].message, {
    role: "user",
    parts: [{ functionResponse: { id: "call_2", name: "shell", response: { error: "boom" } } }],
  });
  assert.equal(records[3].toolCallResult.status, "error");
  assert.ok(fileText(plan.files[0]!.data).includes('"subtype":"custom_title"'));
});

Deno.test("qwen-code writer replaces ids qwen --resume cannot take", async () => {
  await using home = await tempHome([]);
  const plan = await qwenCode.plan(sample(), home.ctx, {
    workspace: "/tmp/ws",
    now: 0,
    sessionId: "01a2334f-96bf-7892-98bc-5e6ce3f25d35",
  });
  assert.ok(isResumableId(plan.sessionId));
  assert.equal(plan.warnings[0]?.code, "session-id-replaced");
});

Deno.test("qwen-code round trip keeps the conversation", async () => {
  await using home = await tempHome([]);
  const source = sample();
  const plan = await qwenCode.plan(source, home.ctx, { workspace: "/tmp/ws", now: 0 });
  const file = plan.files[0]!;
  await Deno.mkdir(path.dirname(file.path), { recursive: true });
  await Deno.writeTextFile(file.path, fileText(file.data));
  const { session, warnings } = await qwenCode.read(plan.primaryPath, home.ctx);
  assert.deepEqual(warnings, []);
  assert.deepEqual(compareSessions(source, session), []);
  assert.equal(session.title, "Sample (via casr)");
  assert.equal((await qwenCode.list(home.ctx)).length, 1);
});

Deno.test("qwen-code reader: unchained records are read in file order with a warning", async () => {
  await using home = await tempHome([]);
  const file = path.join(home.home, "s.jsonl");
  const base = { sessionId: "s", cwd: "/w" };
  await Deno.writeTextFile(
    file,
    [
      { ...base, uuid: "a", type: "user", message: { role: "user", parts: [{ text: "hi" }] } },
      {
        ...base,
        uuid: "b",
        type: "assistant",
        message: { role: "model", parts: [{ text: "yo" }] },
      },
      "{broken",
    ].map((r) => typeof r === "string" ? r : JSON.stringify(r)).join("\n"),
  );
  const { session, warnings } = await readQwenSession(file);
  assert.deepEqual(session.messages.map((m) => m.text), ["hi", "yo"]);
  assert.deepEqual(warnings.map((w) => w.code).sort(), ["malformed-line", "unchained-records"]);
});

Deno.test("qwen-code writer stores reasoning as the CLI does, a thought part first; it reads back", async () => {
  await using home = await tempHome([]);
  const source = sample();
  // The reasoning of the messy fixture's reply, stored by qwen 0.24.4 as
  // `{"text":"It failed with no output; next the listing.","thought":true}` before the text,
  // and sent again on resume as the assistant message's `reasoning_content`.
  source.messages[1] = { ...source.messages[1]!, reasoning: "It failed; next the listing." };
  const plan = await qwenCode.plan(source, home.ctx, { workspace: "/tmp/ws", now: 0 });
  assert.equal(plan.warnings.some((w) => w.code === "dropped-reasoning"), false);
  const file = plan.files[0]!;
  const records = fileText(file.data).trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(records[1].message.parts.slice(0, 2), [
    { text: "It failed; next the listing.", thought: true },
    { text: "Running." },
  ]);
  assert.equal(records[4].message.parts.some((p: { thought?: boolean }) => p.thought), false);
  await Deno.mkdir(path.dirname(file.path), { recursive: true });
  await Deno.writeTextFile(file.path, fileText(file.data));
  const { session } = await qwenCode.read(plan.primaryPath, home.ctx);
  assert.equal(
    session.messages.find((m) => m.text === "Running.")?.reasoning,
    source.messages[1].reasoning,
  );
  assert.equal(session.messages.find((m) => m.text === "Running.")?.text, "Running.");
  assert.deepEqual(compareSessions(source, session, { reasoning: true }), []);
  // Without the reasoning read back, verification would catch the loss.
  const lost = { ...session, messages: session.messages.map(({ reasoning: _r, ...m }) => m) };
  assert.equal(compareSessions(source, lost, { reasoning: true })[0]?.field, "reasoning");
});
