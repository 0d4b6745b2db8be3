// Every request in the table below is hand-made for these tests: one valid request per wire,
// and for each rule a copy broken in exactly the way the rule forbids.
import assert from "node:assert/strict";
import { API_RULES, checkRequest, violationReason, violationSummary } from "./api_rules.ts";
import { anthropic, BASE, type Body, chat, gemini, PNG, png } from "./api_rules_testdata.ts";
import type { Wire } from "./history.ts";
import { mockSignature } from "./mock_signatures.ts";

// deno-lint-ignore no-explicit-any
type Mutate = (body: any) => void;

interface Case {
  rule: string;
  wire: Wire;
  /** Breaks the valid request in one place. */
  mutate: Mutate;
  /** The path the violation must name. */
  path: string;
  /** Raw text to send instead of the serialized body (encoding rules). */
  raw?: (body: Body) => string;
  utf8?: false;
}

const CASES: Case[] = [
  {
    rule: "request/utf8",
    wire: "chat",
    mutate: () => {},
    utf8: false,
    path: "",
  },
  {
    rule: "request/lone-surrogate",
    wire: "anthropic",
    mutate: (b) => b.messages[0].content = "broken \ud83d emoji",
    path: "messages[0].content",
  },
  {
    rule: "request/lone-surrogate",
    wire: "gemini",
    mutate: () => {},
    raw: (b) => JSON.stringify(b).replace("context", "\\udc00context"),
    path: "contents[0].parts[0].text",
  },
  {
    rule: "anthropic/text-not-blank",
    wire: "anthropic",
    mutate: (b) => b.messages[2].content[2].text = " \n",
    path: "messages[2].content[2].text",
  },
  {
    rule: "anthropic/text-not-blank",
    wire: "anthropic",
    mutate: (b) => b.messages[3].content[0].content[0].text = "",
    path: "messages[3].content[0].content[0].text",
  },
  {
    rule: "anthropic/content-not-empty",
    wire: "anthropic",
    mutate: (b) => b.messages[0].content = [],
    path: "messages[0].content",
  },
  {
    rule: "anthropic/content-not-empty",
    wire: "anthropic",
    // The final assistant message may be empty; an earlier one may not.
    mutate: (b) =>
      b.messages.splice(4, 0, { role: "assistant", content: "" }, { role: "user", content: "go" }),
    path: "messages[4].content",
  },
  {
    rule: "anthropic/error-result-not-empty",
    wire: "anthropic",
    mutate: (b) => b.messages[3].content[0].content = [],
    path: "messages[3].content[0].content",
  },
  {
    rule: "anthropic/tool-id-pattern",
    wire: "anthropic",
    mutate: (b) => {
      b.messages[2].content[3].id = "toolu.1";
      b.messages[3].content[0].tool_use_id = "toolu.1";
    },
    path: "messages[2].content[3].id",
  },
  {
    rule: "anthropic/result-follows-call",
    wire: "anthropic",
    mutate: (b) => b.messages.splice(3, 0, { role: "assistant", content: "between" }),
    path: "messages[4].content[0]",
  },
  {
    rule: "anthropic/call-answered",
    wire: "anthropic",
    mutate: (b) => b.messages[3].content.shift(),
    path: "messages[2]",
  },
  {
    rule: "anthropic/block-fields",
    wire: "anthropic",
    mutate: (b) => b.messages[2].content[3].text = "Running.",
    path: "messages[2].content[3].text",
  },
  {
    rule: "anthropic/block-fields",
    wire: "anthropic",
    // A canonical field leaking into a tool result's content.
    mutate: (b) => b.messages[3].content[0].content[0].name = "Bash",
    path: "messages[3].content[0].content[0].name",
  },
  {
    rule: "anthropic/tool-input-object",
    wire: "anthropic",
    // A freeform (custom) tool call's input is a string, not an object.
    mutate: (b) => b.messages[2].content[3].input = "*** Begin Patch",
    path: "messages[2].content[3].input",
  },
  {
    rule: "anthropic/tool-id-unique",
    wire: "anthropic",
    // A second turn that reuses the first turn's id.
    mutate: (b) => {
      b.messages.splice(4, 0, {
        role: "assistant",
        content: [{ type: "tool_use", id: "toolu_1", name: "Bash", input: {} }],
      }, {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "again" }],
      });
    },
    path: "messages[4].content[0]",
  },
  {
    rule: "anthropic/results-lead",
    wire: "anthropic",
    mutate: (b) => b.messages[3].content.unshift({ type: "text", text: "Here is what it said:" }),
    path: "messages[3].content[1]",
  },
  {
    rule: "anthropic/tool-name",
    wire: "anthropic",
    mutate: (b) => b.tools[0].name = "mcp/server.tool",
    path: "tools[0].name",
  },
  {
    rule: "anthropic/thinking-signed",
    wire: "anthropic",
    mutate: (b) => delete b.messages[2].content[0].signature,
    path: "messages[2].content[0].signature",
  },
  {
    rule: "anthropic/thinking-issued",
    wire: "anthropic",
    mutate: (b) => b.messages[2].content[0].thinking = "a different plan",
    path: "messages[2].content[0].signature",
  },
  {
    rule: "anthropic/thinking-issued",
    wire: "anthropic",
    mutate: (b) => b.messages[2].content[1].data = "EmwKAhgBEgy3va3pzix/LafPsn4a",
    path: "messages[2].content[1].data",
  },
  {
    rule: "anthropic/final-assistant-trailing-whitespace",
    wire: "anthropic",
    mutate: (b) => b.messages[4].content[0].text = "Prefill \n",
    path: "messages[4].content[0].text",
  },
  {
    rule: "anthropic/image",
    wire: "anthropic",
    mutate: (b) => b.messages[3].content[1].source.media_type = "image/bmp",
    path: "messages[3].content[1].source",
  },
  {
    rule: "anthropic/image",
    wire: "anthropic",
    mutate: (b) => b.messages[3].content[1].source.data = png(9000, 10),
    path: "messages[3].content[1].source",
  },
  {
    rule: "anthropic/image",
    wire: "anthropic",
    mutate: (b) => b.messages[3].content[1].source.media_type = "image/jpeg",
    path: "messages[3].content[1].source",
  },
  {
    rule: "responses/output-follows-call",
    wire: "responses",
    mutate: (b) => b.input[6].call_id = "c9",
    path: "input[6].call_id",
  },
  {
    rule: "responses/output-follows-call",
    wire: "responses",
    // A custom_tool_call_output does not answer a function_call.
    mutate: (b) => b.input[4].type = "function_call",
    path: "input[6].call_id",
  },
  {
    rule: "responses/call-answered",
    wire: "responses",
    mutate: (b) => b.input.splice(5, 1),
    path: "input[3]",
  },
  {
    rule: "responses/call-id-length",
    wire: "responses",
    // A Gemini-style id of an MCP tool: <tool>-<time>-<random>, 65 characters.
    mutate: (b) => {
      const id = `mcp_github_search_repositories_with_long_name-1765012345678-${"f".repeat(5)}`;
      b.input[3].call_id = id;
      b.input[5].call_id = id;
    },
    path: "input[5].call_id",
  },
  {
    rule: "responses/tool-name",
    wire: "responses",
    mutate: (b) => b.input[0].tools[0].tools[0].name = "exec code",
    path: "input[0].tools[0].tools[0].name",
  },
  {
    rule: "responses/reasoning-issued",
    wire: "responses",
    mutate: (b) => b.input[2].encrypted_content = "gAAAAABforeign",
    path: "input[2].encrypted_content",
  },
  {
    rule: "responses/reasoning-replayable",
    wire: "responses",
    mutate: (b) => {
      b.store = false;
      delete b.input[2].encrypted_content;
      b.input[2].id = "rs_1";
    },
    path: "input[2]",
  },
  {
    rule: "responses/image",
    wire: "responses",
    mutate: (b) => b.input[1].content[1].image_url = "data:image/jpeg;base64,not base64!",
    path: "input[1].content[1]",
  },
  {
    rule: "chat/tool-follows-call",
    wire: "chat",
    mutate: (b) => b.messages.splice(3, 0, { role: "user", content: "interleaved" }),
    path: "messages[4]",
  },
  {
    rule: "chat/call-answered",
    wire: "chat",
    mutate: (b) => b.messages.splice(3, 1),
    path: "messages[1].tool_calls",
  },
  {
    rule: "chat/image-role",
    wire: "chat",
    // A screenshot a tool returned, sent in the tool message.
    mutate: (b) =>
      b.messages[2].content = [
        { type: "text", text: "1" },
        { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
      ],
    path: "messages[2].content[1]",
  },
  {
    rule: "chat/call-id-length",
    wire: "chat",
    mutate: (b) => {
      b.messages[1].tool_calls[1].id = "b".repeat(65);
      b.messages[3].tool_call_id = "b".repeat(65);
    },
    path: "messages[1].tool_calls[1].id",
  },
  {
    rule: "chat/tool-name",
    wire: "chat",
    mutate: (b) => b.messages[1].tool_calls[0].function.name = "shell.run",
    path: "messages[1].tool_calls[0].function.name",
  },
  {
    rule: "chat/tool-name",
    wire: "chat",
    mutate: (b) => b.tools[0].function.name = "x".repeat(65),
    path: "tools[0].function.name",
  },
  {
    rule: "chat/image",
    wire: "chat",
    mutate: (b) => b.messages[0].content[1].image_url.url = `data:image/tiff;base64,${PNG}`,
    path: "messages[0].content[1]",
  },
  {
    rule: "gemini/role",
    wire: "gemini",
    mutate: (b) => b.contents[6].role = "assistant",
    path: "contents[6].role",
  },
  {
    rule: "gemini/parts-not-empty",
    wire: "gemini",
    mutate: (b) => b.contents[6].parts = [],
    path: "contents[6].parts",
  },
  {
    rule: "gemini/part-one-data",
    wire: "gemini",
    mutate: (b) => b.contents[6].parts[0].inlineData = { mimeType: "image/png", data: PNG },
    path: "contents[6].parts[0]",
  },
  {
    rule: "gemini/part-one-data",
    wire: "gemini",
    mutate: (b) => b.contents[6].parts = [{ thoughtSignature: "skip_thought_signature_validator" }],
    path: "contents[6].parts[0]",
  },
  {
    rule: "gemini/text-not-empty",
    wire: "gemini",
    mutate: (b) => b.contents[6].parts[0].text = "",
    path: "contents[6].parts[0].text",
  },
  {
    rule: "gemini/function-call-turn",
    wire: "gemini",
    mutate: (b) => b.contents.splice(0, 2),
    path: "contents[0]",
  },
  {
    rule: "gemini/function-call-turn",
    wire: "gemini",
    mutate: (b) => b.contents[1].role = "model",
    path: "contents[2]",
  },
  {
    rule: "gemini/function-response-turn",
    wire: "gemini",
    mutate: (b) => b.contents[3].parts.splice(1, 2),
    path: "contents[3]",
  },
  {
    rule: "gemini/function-response-turn",
    wire: "gemini",
    mutate: (b) => b.contents.splice(2, 1),
    path: "contents[2]",
  },
  {
    rule: "gemini/function-struct",
    wire: "gemini",
    mutate: (b) => b.contents[3].parts[0].functionResponse.response = ["a", "b"],
    path: "contents[3].parts[0].functionResponse.response",
  },
  {
    rule: "gemini/function-name",
    wire: "gemini",
    mutate: (b) => b.tools[0].functionDeclarations[0].name = "1st-tool",
    path: "tools[0].functionDeclarations[0].name",
  },
  {
    rule: "gemini/thought-signature-issued",
    wire: "gemini",
    mutate: (b) => b.contents[2].parts[0].thoughtSignature = "CiQBcsjafabc==",
    path: "contents[2].parts[0].thoughtSignature",
  },
  {
    rule: "gemini/thought-signature-issued",
    wire: "gemini",
    // A foreign token on a function call of a turn without thought text.
    mutate: (b) => b.contents[4].parts[0].thoughtSignature = "CiQBcsjafabc==",
    path: "contents[4].parts[0].thoughtSignature",
  },
  {
    rule: "gemini/thought-signature-issued",
    wire: "gemini",
    // A mock token moved onto other thought text.
    mutate: (b) => b.contents[2].parts[0].text = "other thoughts",
    path: "contents[2].parts[0].thoughtSignature",
  },
  {
    rule: "gemini/inline-data",
    wire: "gemini",
    mutate: (b) => b.contents[1].parts[1].inlineData.mimeType = "image/gif",
    path: "contents[1].parts[1].inlineData",
  },
];

function run(wire: Wire, body: Body, raw?: string, utf8 = true) {
  return checkRequest(wire, { body, raw: raw ?? JSON.stringify(body), utf8 });
}

for (const wire of Object.keys(BASE) as Wire[]) {
  Deno.test(`checkRequest() accepts the hand-made valid ${wire} request`, () => {
    assert.deepEqual(run(wire, BASE[wire]()), []);
  });
}

for (const [index, c] of CASES.entries()) {
  Deno.test(`checkRequest() reports ${c.rule} (case ${index + 1}) at ${c.path || "the body"}`, () => {
    const body = BASE[c.wire]();
    c.mutate(body);
    // The mock parses the raw text it received: a raw-text case parses its own text.
    const raw = c.raw?.(body);
    const parsed = raw === undefined ? body : JSON.parse(raw);
    const violations = run(c.wire, parsed, raw, c.utf8 ?? true);
    const mine = violations.filter((violation) => violation.rule === c.rule);
    assert.ok(mine.length > 0, `expected ${c.rule}, got ${JSON.stringify(violations)}`);
    assert.ok(
      mine.some((violation) => violation.path === c.path),
      `expected path ${c.path}, got ${JSON.stringify(mine)}`,
    );
  });
}

Deno.test("every rule has a source, a description and at least one failing case", () => {
  const tested = new Set(CASES.map((c) => c.rule));
  for (const rule of API_RULES) {
    assert.match(rule.id, /^(request|anthropic|responses|chat|gemini)\/[a-z0-9-]+$/);
    assert.ok(rule.description.length > 10, rule.id);
    assert.match(rule.source, /https:\/\//, rule.id);
    assert.ok(tested.has(rule.id), `no failing case for ${rule.id}`);
  }
});

Deno.test("checkRequest() accepts a Gemini token replayed without its thought part", () => {
  const body = gemini();
  const contents = body.contents as Array<{ parts: Body[] }>;
  // The client dropped the thought text and kept the signature on the call.
  contents[2]?.parts.shift();
  (contents[2]?.parts[0] as Body).thoughtSignature = mockSignature("hmm");
  assert.deepEqual(run("gemini", body), []);
});

Deno.test("checkRequest() accepts an empty final assistant message (prefill)", () => {
  const body = anthropic();
  (body.messages as Body[]).push({ role: "user", content: "more" }, {
    role: "assistant",
    content: [],
  });
  assert.deepEqual(run("anthropic", body), []);
});

Deno.test("checkRequest() applies a rule only to its wire", () => {
  const body = chat();
  (body.messages as Body[]).push({ role: "user", content: [{ type: "text", text: " " }] });
  // A blank text part is an Anthropic rule; Chat Completions accepts it.
  assert.deepEqual(run("chat", body), []);
});

Deno.test("lone-surrogate check reads escapes, not escaped backslashes", () => {
  const body = { contents: [{ role: "user", parts: [{ text: "ok" }] }] };
  const raw = '{"contents":[{"role":"user","parts":[{"text":"\\\\ud800 \\ud83d\\ude80"}]}]}';
  assert.deepEqual(run("gemini", body, raw), []);
});

Deno.test("violationSummary() and violationReason() count per rule", () => {
  assert.equal(violationSummary([]), "0 rule violations");
  const violations = [
    { rule: "chat/tool-name", path: "tools[0].function.name", message: "bad" },
    { rule: "chat/tool-name", path: "tools[1].function.name", message: "bad" },
    { rule: "request/utf8", path: "", message: "not UTF-8" },
  ];
  assert.equal(
    violationSummary(violations),
    "3 rule violations: chat/tool-name ×2, request/utf8 ×1",
  );
  assert.equal(
    violationReason(violations),
    "API rule violations: [chat/tool-name] at tools[0].function.name: bad (×2); " +
      "[request/utf8]: not UTF-8",
  );
});
