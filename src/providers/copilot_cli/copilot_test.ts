import { fileText } from "../../internal/fs.ts";
import assert from "node:assert/strict";
import * as path from "node:path";
import { isUuid } from "../../internal/ids.ts";
import type { ProviderContext } from "../types.ts";
import type { Session } from "../../model/types.ts";
import { copilotCli } from "./mod.ts";
import { readCopilotSession } from "./reader.ts";
import { planCopilotSession } from "./writer.ts";
import { sampleSession } from "../../model/testdata/sample_session.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import { tempDir, writePlanFiles } from "../../../tests/fixture_home.ts";

const FIXTURES = new URL("../../../fixtures/copilot-cli/", import.meta.url).pathname;
const BASIC_ID = "8b852222-ff49-49c2-87e0-f14bc9942c41";
const MULTI_ID = "f9c1f7b8-b42f-477d-9b1d-be58d80c01ed";

function fixture(id: string): string {
  return path.join(FIXTURES, ".copilot", "session-state", id, "events.jsonl");
}

function ctx(home: string): ProviderContext {
  return { env: {}, homeDir: home, cwd: home };
}

Deno.test("readCopilotSession() reads the genuine basic fixture", async () => {
  const { session, warnings } = await readCopilotSession(fixture(BASIC_ID));
  assert.deepEqual(warnings, []);
  assert.equal(session.id, BASIC_ID);
  assert.equal(session.workspace, "/tmp/casr-fixture-project");
  assert.equal(session.model, "claude-sonnet-4-5");
  const talk = session.messages.filter((m) => m.role !== "system");
  assert.equal(rolesOf(talk), "user assistant tool assistant user assistant");
  const call = talk[1]?.toolCalls[0];
  assert.equal(call?.name, "bash");
  assert.deepEqual(call?.input, { command: "echo casr-fixture" });
  const result = talk[2]?.toolResults[0];
  assert.equal(result?.callId, call?.id);
  assert.ok(result?.output.startsWith("casr-fixture"));
  assert.equal(result?.isError, false);
  assert.ok(talk[4]?.text.includes("日本語 ✓\nMarkdown trap:"));
  // The typed prompt, not the <current_datetime> form the CLI sent.
  assert.ok(!talk[0]?.text.includes("current_datetime"));
  assert.ok(session.messages.every((m) => m.timestamp !== undefined));
});

Deno.test("readCopilotSession() reads parallel calls and a failed result", async () => {
  const { session } = await readCopilotSession(fixture(MULTI_ID));
  const first = session.messages.find((m) => m.toolCalls.length === 2);
  assert.ok(first);
  const tool = session.messages[first.index + 1];
  assert.equal(tool?.role, "tool");
  assert.deepEqual(tool?.toolResults.map((r) => r.callId), first.toolCalls.map((c) => c.id));
  assert.ok(tool?.toolResults.some((r) => r.isError || r.output.includes("No such file")));
});

Deno.test("readCopilotSession() warns on bad lines and fails on an empty file", async () => {
  await using dirTmp = await tempDir();
  const dir = dirTmp.path;
  const file = path.join(dir, "events.jsonl");
  const good = (await Deno.readTextFile(fixture(BASIC_ID))).split("\n").slice(0, 2);
  await Deno.writeTextFile(file, [good[0], "{not json", "[1]", good[1], ""].join("\n"));
  const { session, warnings } = await readCopilotSession(file);
  assert.equal(warnings.length, 2);
  assert.deepEqual(warnings.map((w) => w.line), [2, 3]);
  assert.equal(session.messages.filter((m) => m.role === "user").length, 1);
  await Deno.writeTextFile(file, "");
  await assert.rejects(() => readCopilotSession(file), /file is empty/);
});

const SAMPLE: Session = sampleSession({
  title: "Fix it",
  system: "scaffold",
});

Deno.test("planCopilotSession() writes UUID ids, a parent chain and session.start first", async () => {
  const id = "6d0c1f7e-2b4a-4c55-9a1e-0c3f5d9e8b21";
  const plan = await planCopilotSession(SAMPLE, ctx("/home/u"), {
    workspace: "/tmp/ws",
    now: 5_000,
    sessionId: id,
  });
  assert.equal(plan.sessionId, id);
  assert.equal(plan.primaryPath, `/home/u/.copilot/session-state/${id}/events.jsonl`);
  assert.equal(plan.files.length, 2);
  assert.equal(plan.resume.shell, `cd /tmp/ws && copilot --resume=${id}`);
  const events = (fileText(plan.files[0]?.data ?? "")).trimEnd().split("\n").map((l) =>
    JSON.parse(l)
  );
  assert.ok(fileText(plan.files[0]?.data ?? "").endsWith("\n"));
  assert.equal(events[0].type, "session.start");
  assert.equal(events[0].parentId, null);
  assert.equal(events[0].data.sessionId, id);
  assert.equal(events[0].data.context.cwd, "/tmp/ws");
  events.forEach((e, i) => {
    assert.ok(isUuid(e.id), `event ${i} id`);
    if (i > 0) assert.equal(e.parentId, events[i - 1].id);
    assert.match(e.timestamp, /Z$/);
  });
  assert.deepEqual(events.map((e) => e.type), [
    "session.start",
    "user.message",
    "assistant.message",
    "tool.execution_complete",
    "tool.execution_complete",
    "assistant.message",
  ]);
  const requests = events[2].data.toolRequests;
  assert.equal(requests[0].toolCallId, "call_1");
  assert.deepEqual(requests[0].arguments, { input: "ls" });
  assert.equal(events[3].data.toolCallId, "call_1");
  assert.equal(events[4].data.success, false);
  assert.equal(events[4].data.error.message, "exit 1");
  assert.match(fileText(plan.files[1]?.data ?? ""), /^name: "Fix it \(via casr\)"$/m);
});

Deno.test("planCopilotSession() replaces a non-UUID id with a warning", async () => {
  const plan = await planCopilotSession(SAMPLE, ctx("/home/u"), {
    workspace: "/tmp/ws",
    now: 5_000,
    sessionId: "not-a-uuid",
  });
  assert.ok(isUuid(plan.sessionId));
  assert.ok(plan.warnings.some((w) => w.code === "session-id-replaced"));
});

Deno.test("copilot-cli round trip: plan → read gives the same conversation", async () => {
  await using homeTmp = await tempDir();
  const home = homeTmp.path;
  const plan = await planCopilotSession(SAMPLE, ctx(home), { workspace: "/tmp/ws", now: 5_000 });
  await writePlanFiles(plan);
  const { session } = await copilotCli.read(plan.primaryPath, ctx(home));
  assert.equal(session.id, plan.sessionId);
  assert.equal(session.workspace, "/tmp/ws");
  assert.deepEqual(
    session.messages.map((m) => [m.role, m.text, m.timestamp]),
    [
      ["user", "Fix it ✓", 1_000],
      ["assistant", "Running.", 2_000],
      ["tool", "", 3_000],
      ["assistant", "Done.", 4_000],
    ],
  );
  assert.deepEqual(session.messages[2]?.toolResults.map((r) => [r.output, r.isError]), [
    ["a.txt", false],
    ["exit 1", true],
  ]);
  const listed = await copilotCli.list(ctx(home));
  assert.equal(listed.length, 1);
  assert.equal(listed[0]?.title, "Fix it ✓");
  assert.equal(listed[0]?.workspace, "/tmp/ws");
  const found = await copilotCli.find(ctx(home), plan.sessionId.slice(0, 8));
  assert.deepEqual(found.map((s) => s.id), [plan.sessionId]);
  const head = await Deno.readTextFile(plan.primaryPath);
  assert.ok(copilotCli.claims(plan.primaryPath, head.slice(0, 4096)));
  assert.ok(!copilotCli.claims(plan.primaryPath, '{"type":"user","parentUuid":null}'));
});
