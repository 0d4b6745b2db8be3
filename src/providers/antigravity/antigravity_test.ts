import assert from "node:assert/strict";
import * as path from "node:path";
import type { ProviderContext } from "../types.ts";
import type { Session } from "../../model/types.ts";
import { antigravity } from "./mod.ts";
import { modelFromSettings, readAntigravitySession, unwrapUserInput } from "./reader.ts";
import { rolesOf } from "../../model/testdata/roles.ts";
import { tempDir } from "../../../tests/fixture_home.ts";

const FIXTURES = new URL("../../../fixtures/antigravity/", import.meta.url).pathname;
const ID = "b7e4d2a9-1c3f-4e8a-9d65-2f0a8c7e1b43";
const ROOT = path.join(FIXTURES, ".gemini", "antigravity-cli");
const TRANSCRIPT = path.join(ROOT, "brain", ID, ".system_generated", "logs", "transcript.jsonl");

function ctx(home: string): ProviderContext {
  return { env: {}, homeDir: home, cwd: home };
}

Deno.test("readAntigravitySession() reads the hand-made transcript", async () => {
  const { session, warnings } = await readAntigravitySession(TRANSCRIPT);
  assert.deepEqual(warnings, []);
  assert.equal(session.id, ID);
  assert.equal(session.workspace, undefined);
  assert.equal(session.model, "Gemini 3.1 Pro (High)");
  assert.equal(rolesOf(session), "user system assistant tool assistant user assistant");
  const [user, , planner, tool] = session.messages;
  assert.equal(
    user?.text,
    "Please run the shell command `echo casr-fixture` and tell me what it printed.",
  );
  assert.equal(planner?.toolCalls[0]?.name, "run_command");
  assert.equal(
    (planner?.toolCalls[0]?.input as { CommandLine: string }).CommandLine,
    "echo casr-fixture",
  );
  assert.ok(planner?.reasoning?.includes("run_command"));
  assert.equal(tool?.toolResults[0]?.callId, planner?.toolCalls[0]?.id);
  assert.ok(tool?.toolResults[0]?.output.endsWith("casr-fixture"));
  assert.ok(session.messages.every((m) => m.timestamp !== undefined));
});

Deno.test("readAntigravitySession() sorts by step_index, pairs by order and adds calls a step lacks", async () => {
  await using dirTmp = await tempDir();
  const dir = dirTmp.path;
  const file = path.join(dir, "brain", "c1", ".system_generated", "logs", "transcript.jsonl");
  await Deno.mkdir(path.dirname(file), { recursive: true });
  const steps = [
    { step_index: 4, source: "MODEL", type: "RUN_COMMAND", status: "ERROR", content: "boom" },
    { step_index: 0, source: "USER_EXPLICIT", type: "USER_INPUT", content: "plain prompt" },
    {
      step_index: 2,
      source: "MODEL",
      type: "PLANNER_RESPONSE",
      content: "",
      tool_calls: [{ name: "view_file", args: '{"AbsolutePath":"/a"}' }],
    },
    { step_index: 3, source: "MODEL", type: "VIEW_FILE", status: "DONE", content: "file text" },
  ];
  await Deno.writeTextFile(
    file,
    steps.map((s) => JSON.stringify(s)).join("\n") + "\n{broken\n",
  );
  const { session, warnings } = await readAntigravitySession(file);
  assert.equal(session.id, "c1");
  assert.equal(session.messages[0]?.text, "plain prompt");
  const calls = session.messages[1]?.toolCalls ?? [];
  assert.deepEqual(calls.map((c) => c.name), ["view_file", "run_command"]);
  assert.deepEqual(calls[0]?.input, { AbsolutePath: "/a" });
  assert.deepEqual(
    session.messages[2]?.toolResults.map((r) => [r.callId, r.output, r.isError]),
    [[calls[0]?.id, "file text", false], [calls[1]?.id, "boom", true]],
  );
  assert.ok(warnings.some((w) => w.code === "synthesized-tool-call"));
  assert.ok(warnings.some((w) => w.code === "malformed-line" && w.line === 5));
});

Deno.test("unwrapUserInput() and modelFromSettings() read agy's wrappers", () => {
  const raw =
    "<USER_REQUEST>\nfix it\n</USER_REQUEST>\n<ADDITIONAL_METADATA>\nt\n</ADDITIONAL_METADATA>";
  assert.deepEqual(unwrapUserInput(raw), { text: "fix it" });
  assert.equal(unwrapUserInput("bare\n<ADDITIONAL_METADATA>x</ADDITIONAL_METADATA>").text, "bare");
  assert.equal(
    modelFromSettings(
      "The user changed setting `Model Selection` from None to Gemini 3.1 Pro (High). No need.",
    ),
    "Gemini 3.1 Pro (High)",
  );
  assert.equal(modelFromSettings("changed `Model Selection` from X to None."), undefined);
});

Deno.test("antigravity lists transcripts and bare .db files; a bare .db fails to read with why", async () => {
  await using homeTmp = await tempDir();
  const home = homeTmp.path;
  const root = path.join(home, ".gemini", "antigravity-cli");
  const copy = path.join(root, "brain", ID, ".system_generated", "logs", "transcript.jsonl");
  await Deno.mkdir(path.dirname(copy), { recursive: true });
  await Deno.copyFile(TRANSCRIPT, copy);
  await Deno.mkdir(path.join(root, "conversations"));
  const sqlite = "SQLite format 3\0";
  await Deno.writeTextFile(path.join(root, "conversations", `${ID}.db`), sqlite);
  const lone = "0d9e8f7a-1111-4222-8333-444455556666";
  const loneDb = path.join(root, "conversations", `${lone}.db`);
  await Deno.writeTextFile(loneDb, sqlite);
  const listed = await antigravity.list(ctx(home));
  assert.deepEqual(listed.map((s) => s.id).sort(), [ID, lone].sort());
  const full = listed.find((s) => s.id === ID);
  assert.equal(full?.path, copy);
  assert.equal(full?.messageCount, 6);
  assert.ok(full?.title?.startsWith("Please run"));
  assert.deepEqual((await antigravity.find(ctx(home), "0d9e")).map((s) => s.path), [loneDb]);
  assert.ok(antigravity.claims(loneDb, sqlite));
  assert.ok(antigravity.claims(copy, ""));
  assert.ok(!antigravity.claims("/x/chats/session.jsonl", '{"type":"user"}'));
  await assert.rejects(() => antigravity.read(loneDb, ctx(home)), /protobuf/);
  const viaDb = await antigravity.read(path.join(root, "conversations", `${ID}.db`), ctx(home));
  assert.equal(viaDb.session.id, ID);
  assert.ok(viaDb.warnings.some((w) => w.code === "protobuf-not-read"));
});

Deno.test("antigravity is read only: plan() rejects and resume is agy --conversation", async () => {
  assert.equal(antigravity.readOnly, true);
  const session: Session = { id: "s", provider: "codex", metadata: {}, messages: [] };
  await assert.rejects(
    () => antigravity.plan(session, ctx("/h"), { workspace: "/w", now: 0 }),
    (e: Error & { code?: string }) => e.code === "read-only-target",
  );
  assert.equal(antigravity.resumeCommand({ id: ID }).shell, `agy --conversation ${ID}`);
});
