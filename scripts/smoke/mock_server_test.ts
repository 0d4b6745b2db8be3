import assert from "node:assert/strict";
import { startMockServer } from "./mock_server.ts";
import { decodeSse, encodeSse, minimalJsonForSchema, pickShellTool } from "./wire_replies.ts";

const TRIGGER = "Please run the shell command `echo hi` now.";

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

Deno.test("encodeSse() round-trips through decodeSse()", () => {
  const body = encodeSse([{ event: "ping", data: { a: 1 } }, { data: { b: "é" } }], true);
  assert.equal(body, 'event: ping\ndata: {"a":1}\n\ndata: {"b":"é"}\n\ndata: [DONE]\n\n');
  assert.deepEqual(decodeSse(body), [
    { event: "ping", data: { a: 1 } },
    { data: { b: "é" } },
    { data: "[DONE]" },
  ]);
});

Deno.test("minimalJsonForSchema() fills every property within bounds", () => {
  assert.deepEqual(
    minimalJsonForSchema({
      type: "object",
      properties: {
        complexity_reasoning: { type: "string" },
        complexity_score: { type: "integer", minimum: 1, maximum: 100 },
        mode: { type: "string", enum: ["fast", "slow"] },
        tags: { type: "array", items: { type: "string" } },
      },
    }),
    { complexity_reasoning: "mock", complexity_score: 1, mode: "fast", tags: [] },
  );
});

Deno.test("pickShellTool() finds codex's custom exec tool inside a namespace", () => {
  const call = pickShellTool(
    "responses",
    {
      input: [{
        type: "additional_tools",
        tools: [{
          type: "namespace",
          name: "functions",
          tools: [{ type: "custom", name: "exec" }],
        }],
      }],
    },
    "echo hi",
    "c1",
  );
  assert.equal(call?.kind, "custom");
  assert.equal(call?.name, "exec");
  assert.match(String(call?.input), /tools\.exec_command\(\{ cmd: "echo hi" \}\)/);
});

Deno.test("startMockServer() answers an Anthropic turn with a streamed tool_use", async () => {
  const mock = await startMockServer();
  try {
    const reply = await post(`${mock.url}/v1/messages?beta=true`, {
      stream: true,
      tools: [{ name: "Bash", input_schema: {} }],
      messages: [{ role: "user", content: TRIGGER }],
    }, { "x-api-key": "sk-test" });
    const events = decodeSse(reply.text);
    const start = events.find((event) =>
      (event.data as { content_block?: { type: string } }).content_block?.type === "tool_use"
    );
    assert.ok(start !== undefined);
    const delta = events.find((event) => event.event === "message_delta");
    assert.equal((delta?.data as { delta: { stop_reason: string } }).delta.stop_reason, "tool_use");
    const [recorded] = mock.requests;
    assert.equal(recorded?.kind, "turn");
    assert.equal(recorded?.headers["x-api-key"], undefined);
    assert.deepEqual(recorded?.reply?.toolCalls?.map((call) => call.name), ["Bash"]);
  } finally {
    await mock.close();
  }
});

Deno.test("startMockServer() answers the text turn after a tool result", async () => {
  const mock = await startMockServer();
  try {
    const reply = await post(`${mock.url}/v1/chat/completions`, {
      stream: false,
      tools: [{ type: "function", function: { name: "shell" } }],
      messages: [
        { role: "user", content: TRIGGER },
        {
          role: "assistant",
          tool_calls: [{ id: "k", function: { name: "shell", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "k", content: "hi" },
      ],
    });
    const body = JSON.parse(reply.text);
    assert.match(body.choices[0].message.content, /^OK from mock #1/);
    assert.equal(body.choices[0].finish_reason, "stop");
  } finally {
    await mock.close();
  }
});

Deno.test("startMockServer() treats Gemini's router request as a side request", async () => {
  const mock = await startMockServer();
  try {
    const reply = await post(`${mock.url}/v1beta/models/flash-lite:generateContent`, {
      contents: [{ role: "user", parts: [{ text: "route me" }] }],
      generationConfig: {
        responseJsonSchema: {
          type: "object",
          properties: { complexity_score: { type: "integer", minimum: 1, maximum: 100 } },
        },
      },
    });
    const body = JSON.parse(reply.text);
    assert.deepEqual(JSON.parse(body.candidates[0].content.parts[0].text), { complexity_score: 1 });
    assert.equal(mock.requests[0]?.kind, "side");
    assert.equal(mock.turns().length, 0);
  } finally {
    await mock.close();
  }
});

Deno.test("startMockServer() refuses WebSocket upgrades with 426 and 404s unknown POSTs", async () => {
  const mock = await startMockServer();
  try {
    const ws = await fetch(`${mock.url}/v1/responses`, {
      headers: { upgrade: "websocket", connection: "Upgrade" },
    });
    await ws.body?.cancel();
    assert.equal(ws.status, 426);
    const unknown = await post(`${mock.url}/v1/nothing`, {});
    assert.equal(unknown.status, 404);
    const models = await fetch(`${mock.url}/v1/models`);
    assert.equal(models.status, 200);
    await models.body?.cancel();
    assert.deepEqual(mock.requests.map((entry) => entry.status), [426, 404, 200]);
  } finally {
    await mock.close();
  }
});

Deno.test("startMockServer() makes parallel calls in one reply, in each wire's native form", async () => {
  const mock = await startMockServer({
    script: () => ({ text: "Both.", shellCommands: ["echo one", "ls /nope"] }),
  });
  try {
    const user = "run both";
    const anthropic = decodeSse(
      (await post(`${mock.url}/v1/messages`, {
        stream: true,
        tools: [{ name: "Bash", input_schema: {} }],
        messages: [{ role: "user", content: user }],
      })).text,
    );
    const blocks = anthropic.flatMap((event) => {
      const block = (event.data as { content_block?: { type: string; id?: string } })
        .content_block;
      return block === undefined ? [] : [block];
    });
    assert.deepEqual(blocks.map((block) => block.type), ["text", "tool_use", "tool_use"]);

    const responses = JSON.parse(
      (await post(`${mock.url}/v1/responses`, {
        tools: [{ type: "function", name: "shell" }],
        input: [{ type: "message", role: "user", content: user }],
      })).text,
    );
    const items = responses.output as { type: string; id: string; call_id?: string }[];
    assert.deepEqual(items.map((item) => item.type), ["message", "function_call", "function_call"]);
    assert.equal(new Set(items.map((item) => item.id)).size, 3);

    const chat = JSON.parse(
      (await post(`${mock.url}/v1/chat/completions`, {
        tools: [{ type: "function", function: { name: "shell" } }],
        messages: [{ role: "user", content: user }],
      })).text,
    );
    assert.equal(chat.choices[0].message.tool_calls.length, 2);

    const gemini = JSON.parse(
      (await post(`${mock.url}/v1beta/models/m:generateContent`, {
        tools: [{ functionDeclarations: [{ name: "run_shell_command" }] }],
        contents: [{ role: "user", parts: [{ text: user }] }],
      })).text,
    );
    const parts = gemini.candidates[0].content.parts as { functionCall?: { args: unknown } }[];
    assert.deepEqual(parts.flatMap((part) => part.functionCall ? [part.functionCall.args] : []), [
      { command: "echo one" },
      { command: "ls /nope" },
    ]);

    for (const turn of mock.turns()) {
      const ids = turn.reply?.toolCalls?.map((call) => call.id) ?? [];
      assert.equal(ids.length, 2);
      // Letter suffixes, never "<id>_<digits>" (Claude Code reads that as a batch part).
      assert.deepEqual(ids.map((id) => id.slice(-1)), ["a", "b"]);
      assert.deepEqual(turn.reply?.toolCalls?.map((call) => call.command), [
        "echo one",
        "ls /nope",
      ]);
    }
  } finally {
    await mock.close();
  }
});

// Hand-made requests that break one API rule each.
Deno.test("startMockServer() answers a rule-breaking request with the wire's HTTP 400", async () => {
  const mock = await startMockServer();
  try {
    const blank = await post(`${mock.url}/v1/messages`, {
      tools: [{ name: "Bash", input_schema: {} }],
      messages: [{ role: "user", content: [{ type: "text", text: "  " }] }],
    });
    assert.equal(blank.status, 400);
    const anthropic = JSON.parse(blank.text);
    assert.equal(anthropic.type, "error");
    assert.equal(anthropic.error.type, "invalid_request_error");
    assert.match(anthropic.error.message, /\[anthropic\/text-not-blank\] at messages\[0\]/);

    const chat = await post(`${mock.url}/v1/chat/completions`, {
      tools: [{ type: "function", function: { name: "shell" } }],
      messages: [{ role: "user", content: "hi" }, { role: "tool", tool_call_id: "x", content: "" }],
    });
    assert.equal(chat.status, 400);
    const openai = JSON.parse(chat.text);
    assert.equal(openai.error.type, "invalid_request_error");
    assert.equal(openai.error.code, "chat/tool-follows-call");
    assert.equal(openai.error.param, "messages[1]");

    const gemini = await post(`${mock.url}/v1beta/models/m:streamGenerateContent?alt=sse`, {
      contents: [{ role: "assistant", parts: [{ text: "hi" }] }],
    });
    assert.equal(gemini.status, 400);
    assert.equal(JSON.parse(gemini.text).error.status, "INVALID_ARGUMENT");
    assert.match(JSON.parse(gemini.text).error.message, /gemini\/role/);

    assert.deepEqual(mock.requests.map((entry) => entry.status), [400, 400, 400]);
    assert.deepEqual(
      mock.requests.map((entry) => entry.violations?.map((violation) => violation.rule)),
      [["anthropic/text-not-blank"], ["chat/tool-follows-call"], ["gemini/role"]],
    );
  } finally {
    await mock.close();
  }
});

Deno.test("startMockServer() checks the raw body: lone surrogate escapes and bad UTF-8", async () => {
  const mock = await startMockServer();
  try {
    const lone = await fetch(`${mock.url}/v1/messages`, {
      method: "POST",
      body: '{"tools":[{"name":"Bash","input_schema":{}}],' +
        '"messages":[{"role":"user","content":"cut \\ud83d here"}]}',
    });
    assert.equal(lone.status, 400);
    assert.match(await lone.text(), /request\/lone-surrogate.*line 1 column/);
    const bytes = new TextEncoder().encode('{"messages":[{"role":"user","content":"x"}]}');
    bytes[bytes.length - 5] = 0xff;
    const bad = await fetch(`${mock.url}/v1/chat/completions`, { method: "POST", body: bytes });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
    assert.deepEqual(mock.requests[1]?.violations?.map((violation) => violation.rule), [
      "request/utf8",
    ]);
  } finally {
    await mock.close();
  }
});

Deno.test("startMockServer({ strict: false }) answers normally but still records violations", async () => {
  const mock = await startMockServer({ strict: false });
  try {
    const reply = await post(`${mock.url}/v1/messages`, {
      tools: [{ name: "Bash", input_schema: {} }],
      messages: [{ role: "user", content: [{ type: "text", text: "" }] }],
    });
    assert.equal(reply.status, 200);
    assert.equal(mock.requests[0]?.status, 200);
    assert.deepEqual(mock.requests[0]?.violations?.map((violation) => violation.rule), [
      "anthropic/text-not-blank",
    ]);
    const clean = await post(`${mock.url}/v1/messages`, {
      tools: [{ name: "Bash", input_schema: {} }],
      messages: [{ role: "user", content: "fine" }],
    });
    assert.equal(clean.status, 200);
    assert.deepEqual(mock.requests[1]?.violations, []);
  } finally {
    await mock.close();
  }
});
