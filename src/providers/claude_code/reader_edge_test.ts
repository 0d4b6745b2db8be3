import assert from "node:assert/strict";
import { CasrError } from "../../errors.ts";
import { readClaudeSession } from "./reader.ts";
import { DOC_EXAMPLE, SID, withFile } from "./testdata/with_file.ts";

Deno.test("readClaudeSession() warns on a malformed line with its number and reads the rest", async () => {
  const lines = [...DOC_EXAMPLE];
  lines.splice(2, 0, '{"type":"user","message":{');
  await withFile(lines, async (file) => {
    const { session, warnings } = await readClaudeSession(file);
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.code, "malformed-line");
    assert.equal(warnings[0]?.line, 3);
    assert.equal(session.messages.length, 4);
  });
});

Deno.test("readClaudeSession() fails with parse-failed on an empty or metadata-only file", async () => {
  await withFile([], async (file) => {
    await assert.rejects(readClaudeSession(file), (e: unknown) => {
      assert.ok(e instanceof CasrError);
      assert.equal(e.code, "parse-failed");
      assert.match(e.message, /file is empty/);
      return true;
    });
  });
  await withFile(
    [{ type: "custom-title", customTitle: "x", sessionId: SID }, "not json"],
    async (file) => {
      await assert.rejects(
        readClaudeSession(file),
        (e: unknown) => e instanceof CasrError && e.code === "parse-failed",
      );
    },
  );
});

Deno.test("readClaudeSession() says a file of non-JSON lines is not a transcript, not that it is empty", async () => {
  await withFile(["\u0000\u0001 binary", "PK\u0003\u0004 zip"], async (file) => {
    await assert.rejects(readClaudeSession(file), (e: unknown) => {
      assert.ok(e instanceof CasrError);
      assert.equal(e.code, "parse-failed");
      assert.match(e.message, /none of its 2 lines is a JSON record/);
      assert.doesNotMatch(e.message, /empty/);
      return true;
    });
  });
});

Deno.test("readClaudeSession() reads the minimal unchained file in file order, with a warning", async () => {
  await withFile([
    { type: "user", message: { role: "user", content: "What is 2+2?" } },
    { type: "assistant", message: { role: "assistant", content: [{ type: "text", text: "4" }] } },
  ], async (file) => {
    const { session, warnings } = await readClaudeSession(file);
    assert.deepEqual(session.messages.map((m) => [m.role, m.text]), [["user", "What is 2+2?"], [
      "assistant",
      "4",
    ]]);
    assert.deepEqual(warnings.map((w) => w.code), ["unchained-transcript"]);
    assert.equal(session.metadata.chain, "file-order");
  });
});

Deno.test("readClaudeSession() keeps thinking as reasoning and dedupes repeated streaming snapshots", async () => {
  const msg = (content: unknown[]) => ({
    id: "msg_x",
    role: "assistant",
    model: "claude-opus-4-1",
    content,
  });
  await withFile([
    { type: "user", uuid: "u", parentUuid: null, message: { role: "user", content: "think" } },
    {
      type: "assistant",
      uuid: "a1",
      parentUuid: "u",
      message: msg([{ type: "thinking", thinking: "Let me see.", signature: "s" }]),
    },
    {
      type: "assistant",
      uuid: "a2",
      parentUuid: "a1",
      message: msg([{ type: "text", text: "Answer" }]),
    },
    {
      type: "assistant",
      uuid: "a3",
      parentUuid: "a2",
      message: msg([{ type: "text", text: "Answer" }]),
    },
    {
      type: "assistant",
      uuid: "a4",
      parentUuid: "a3",
      message: { ...msg([{ type: "text", text: "Again" }]), id: "msg_y" },
    },
  ], async (file) => {
    const { session } = await readClaudeSession(file);
    assert.deepEqual(session.messages.map((m) => [m.role, m.text, m.reasoning]), [
      ["user", "think", undefined],
      ["assistant", "Answer", "Let me see."],
      ["assistant", "Again", undefined],
    ]);
  });
});

Deno.test("readClaudeSession() splits a tool_result record that also carries text", async () => {
  await withFile([
    { type: "user", uuid: "u", parentUuid: null, message: { role: "user", content: "go" } },
    {
      type: "assistant",
      uuid: "a",
      parentUuid: "u",
      message: {
        id: "m",
        content: [{ type: "tool_use", id: "t1", name: "Read", input: { file_path: "/x" } }],
      },
    },
    {
      type: "user",
      uuid: "r",
      parentUuid: "a",
      message: {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "t1",
          content: [{ type: "text", text: "denied" }],
          is_error: true,
        }, { type: "text", text: "[Request interrupted by user for tool use]" }],
      },
    },
  ], async (file) => {
    const { session } = await readClaudeSession(file);
    assert.deepEqual(session.messages.map((m) => m.role), ["user", "assistant", "tool", "user"]);
    assert.deepEqual(session.messages[2]?.toolResults, [{
      callId: "t1",
      output: "denied",
      isError: true,
    }]);
    assert.equal(session.messages[3]?.text, "[Request interrupted by user for tool use]");
  });
});

Deno.test("readClaudeSession() picks the title: custom-title, then ai-title, then summary, then the first prompt", async () => {
  const convo = [
    {
      type: "user",
      uuid: "u",
      parentUuid: null,
      message: { role: "user", content: "x".repeat(100) + "\nsecond line" },
    },
    {
      type: "assistant",
      uuid: "a",
      parentUuid: "u",
      message: { id: "m", content: [{ type: "text", text: "ok" }] },
    },
  ];
  await withFile([...convo], async (file) => {
    const title = (await readClaudeSession(file)).session.title ?? "";
    assert.equal(title.length, 80);
    assert.ok(title.endsWith("…"));
  });
  await withFile([{ type: "summary", summary: "S", leafUuid: "a" }, ...convo], async (file) => {
    assert.equal((await readClaudeSession(file)).session.title, "S");
  });
  await withFile(
    [...convo, { type: "ai-title", aiTitle: "AI" }, { type: "summary", summary: "S" }],
    async (file) => {
      assert.equal((await readClaudeSession(file)).session.title, "AI");
    },
  );
  await withFile([...convo, { type: "custom-title", customTitle: "A" }, {
    type: "custom-title",
    customTitle: "B",
  }, { type: "ai-title", aiTitle: "AI" }], async (file) => {
    assert.equal((await readClaudeSession(file)).session.title, "B");
  });
});

Deno.test("readClaudeSession() takes the id from a non-UUID file name's records", async () => {
  await withFile(DOC_EXAMPLE, async (file) => {
    assert.equal((await readClaudeSession(file)).session.id, SID);
  }, "copy.jsonl");
});

Deno.test("readClaudeSession() warns when the chain breaks off at a record that is not in the file", async () => {
  // Hand-made: the second prompt's parent record was cut out of the file.
  const rec = (type: string, uuid: string, parentUuid: string | null, content: unknown) => ({
    type,
    uuid,
    parentUuid,
    sessionId: SID,
    message: { role: type, content },
  });
  await withFile([
    rec("user", "u1", null, "first prompt"),
    rec("assistant", "a1", "u1", [{ type: "text", text: "first reply" }]),
    rec("user", "u2", "cut-out", "second prompt"),
    rec("assistant", "a2", "u2", [{ type: "text", text: "second reply" }]),
  ], async (file) => {
    const { session, warnings } = await readClaudeSession(file);
    assert.deepEqual(session.messages.map((m) => m.text), ["second prompt", "second reply"]);
    assert.deepEqual(warnings.map((w) => [w.code, w.line]), [["chain-gap", 3]]);
    assert.match(
      warnings[0]!.message,
      /cut-out is not in the file, so 2 other user or assistant records are not read/,
    );
  });
});
