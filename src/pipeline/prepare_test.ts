import assert from "node:assert/strict";
import type { Message, Session } from "../model/types.ts";
import { EMPTY_ERROR_OUTPUT, imagePlaceholder, MAX_CALL_ID, prepareForTarget } from "./prepare.ts";

// Hand-made sessions: each test builds the smallest conversation that shows one rule.

function msg(index: number, role: Message["role"], text: string, extra: Partial<Message> = {}) {
  return { index, role, text, toolCalls: [], toolResults: [], ...extra } as Message;
}

function session(messages: Message[]): Session {
  return { id: "s", provider: "claude-code", metadata: {}, messages };
}

const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==";

Deno.test("prepareForTarget: reasoning the target cannot carry is dropped with one warning", () => {
  const input = session([
    msg(0, "user", "hi"),
    msg(1, "assistant", "hello", { reasoning: "think" }),
    msg(2, "assistant", "again", { reasoning: "more" }),
  ]);
  const out = prepareForTarget(input, { name: "Codex" });
  assert.equal(out.session.messages.filter((m) => m.reasoning !== undefined).length, 0);
  assert.deepEqual(out.warnings.map((w) => w.code), ["reasoning-dropped"]);
  assert.match(out.warnings[0]?.message ?? "", /2 messages: Codex/);
  // The input is not modified.
  assert.equal(input.messages[1]?.reasoning, "think");
  const kept = prepareForTarget(input, { name: "Vibe", carries: { reasoning: true } });
  assert.equal(kept.session.messages[1]?.reasoning, "think");
  assert.deepEqual(kept.warnings, []);
});

Deno.test("prepareForTarget: an unchanged session is returned as it is, without warnings", () => {
  const input = session([msg(0, "user", "hi"), msg(1, "assistant", "hello")]);
  const out = prepareForTarget(input, { name: "Codex", carries: { toolName: /^[a-z]+$/ } });
  assert.equal(out.session, input);
  assert.deepEqual(out.warnings, []);
});

Deno.test("prepareForTarget: images travel to a target that carries them, else become named placeholders", () => {
  const image = { mediaType: "image/png", data: PNG, source: "/proj/shot.png" };
  const input = session([
    msg(0, "user", "", { images: [image] }),
    msg(1, "assistant", "", {
      toolCalls: [{ id: "c1", name: "Read", input: { file_path: "/proj/shot.png" } }],
    }),
    msg(2, "tool", "", {
      toolResults: [{ callId: "c1", output: "", isError: false, images: [image] }],
    }),
  ]);
  const carried = prepareForTarget(input, { name: "Claude Code", carries: { images: true } });
  assert.equal(carried.session, input);
  const text = prepareForTarget(input, { name: "Aider" });
  const [user, , tool] = text.session.messages;
  // An image-only prompt keeps a text that names the image: it never disappears.
  assert.equal(user?.text, "[image: /proj/shot.png (image/png, 70 bytes)]");
  assert.equal(user?.images, undefined);
  assert.equal(tool?.toolResults[0]?.output, "[image: /proj/shot.png (image/png, 70 bytes)]");
  assert.equal(tool?.toolResults[0]?.images, undefined);
  assert.deepEqual(text.warnings.map((w) => w.code), ["images-as-text"]);
  assert.match(text.warnings[0]?.message ?? "", /2 images .* for Aider \(2: not carried/);
});

Deno.test("prepareForTarget: images outside the limits become placeholders even for an image target", () => {
  const input = session([
    msg(0, "user", "see", {
      images: [
        { mediaType: "image/png", data: PNG },
        { mediaType: "image/tiff", data: PNG, source: "scan.tiff" },
        { mediaType: "image/png", source: "lost.png" },
        { mediaType: "image/png", data: "A".repeat(8 * 1024 * 1024) },
      ],
    }),
  ]);
  const out = prepareForTarget(input, { name: "Gemini CLI", carries: { images: true } });
  const m = out.session.messages[0];
  assert.equal(m?.images?.length, 1);
  assert.equal(
    m?.text,
    "see\n[image: scan.tiff (image/tiff, 70 bytes)]\n[image: lost.png (image/png)]\n" +
      "[image: unnamed (image/png, 6.0 MB)]",
  );
  assert.match(
    out.warnings[0]?.message ?? "",
    /not an image type.*data was not kept.*over the 5 MB/,
  );
});

Deno.test("prepareForTarget: whitespace-only texts are emptied, failed empty results get a text", () => {
  const input = session([
    msg(0, "user", "run it"),
    msg(1, "assistant", " \n\t", { toolCalls: [{ id: "c1", name: "Bash", input: {} }] }),
    msg(2, "tool", "", {
      toolResults: [{ callId: "c1", output: "  ", isError: true }],
    }),
    msg(3, "tool", "", { toolResults: [{ callId: "c2", output: "", isError: false }] }),
  ]);
  const out = prepareForTarget(input, { name: "Claude Code" });
  assert.equal(out.session.messages[1]?.text, "");
  assert.equal(out.session.messages[2]?.toolResults[0]?.output, EMPTY_ERROR_OUTPUT);
  // An empty result that did not fail is valid as it is.
  assert.equal(out.session.messages[3]?.toolResults[0]?.output, "");
  assert.deepEqual(out.warnings.map((w) => w.code), ["blank-text-removed", "empty-error-output"]);
});

Deno.test("prepareForTarget: names outside the target's pattern are renamed the same way for calls and results", () => {
  const input = session([
    msg(0, "user", "go"),
    msg(1, "assistant", "", {
      toolCalls: [
        { id: "functions.bash:0", name: "mcp.server/tool", input: {} },
        { id: "c2", name: "mcp_server_tool", input: {} },
        { id: "c3", name: "mcp.server/tool", input: {} },
      ],
    }),
    msg(2, "tool", "", {
      toolResults: [
        { callId: "functions.bash:0", output: "a", isError: false, name: "mcp.server/tool" },
        { callId: "c2", output: "b", isError: false },
        { callId: "c3", output: "c", isError: false },
      ],
    }),
  ]);
  const out = prepareForTarget(input, { name: "Codex", carries: { toolName: /^[a-zA-Z0-9_-]+$/ } });
  const calls = out.session.messages[1]?.toolCalls ?? [];
  // The mapped name must not collide with a name the session already uses.
  assert.deepEqual(calls.map((c) => c.name), [
    "mcp_server_tool-2",
    "mcp_server_tool",
    "mcp_server_tool-2",
  ]);
  assert.deepEqual(calls.map((c) => c.id), ["functions_bash_0", "c2", "c3"]);
  const results = out.session.messages[2]?.toolResults ?? [];
  assert.deepEqual(results.map((r) => r.callId), ["functions_bash_0", "c2", "c3"]);
  assert.equal(results[0]?.name, "mcp_server_tool-2");
  assert.deepEqual(out.warnings.map((w) => w.code), ["tool-names-renamed", "call-ids-renamed"]);
  assert.match(out.warnings[0]?.message ?? "", /mcp\.server\/tool → mcp_server_tool-2/);
});

Deno.test("prepareForTarget: lone surrogates become U+FFFD in texts, inputs and outputs", () => {
  const input = session([
    msg(0, "user", "bad \ud800 text"),
    msg(1, "assistant", "", {
      toolCalls: [{ id: "c1", name: "Bash", input: { command: "echo \udc00", ok: ["fine 🚀"] } }],
    }),
    msg(2, "tool", "", { toolResults: [{ callId: "c1", output: "x\ud83d", isError: false }] }),
  ]);
  const out = prepareForTarget(input, { name: "Codex" });
  assert.equal(out.session.messages[0]?.text, "bad \ufffd text");
  assert.deepEqual(out.session.messages[1]?.toolCalls[0]?.input, {
    command: "echo \ufffd",
    ok: ["fine 🚀"],
  });
  assert.equal(out.session.messages[2]?.toolResults[0]?.output, "x\ufffd");
  assert.deepEqual(out.warnings.map((w) => w.code), ["malformed-text-repaired"]);
  assert.ok(JSON.stringify(out.session).isWellFormed());
});

Deno.test("imagePlaceholder: names the image, its type and size", () => {
  assert.equal(
    imagePlaceholder({ mediaType: "image/jpeg", data: "A".repeat(4096), source: "a.jpg" }),
    "[image: a.jpg (image/jpeg, 3 KB)]",
  );
});

Deno.test("prepareForTarget: call ids over 64 characters are shortened, apart, and results follow", () => {
  // Gemini CLI ids are `<tool>-<time>-<random>`: with an MCP tool's long name they pass 64
  // characters and differ only at the end. OpenAI's APIs refuse a call_id over 64.
  const long = (tail: string) =>
    `mcp_github_search_repositories_with_a_long_name-1765012345678-${tail}`;
  const [a, b] = [long("0a1b2c3d4e5f"), long("9f8e7d6c5b4a")];
  const short = "call_ok";
  const input = session([
    msg(0, "user", "go"),
    msg(1, "assistant", "", {
      toolCalls: [a, b, short].map((id) => ({ id, name: "search", input: {} })),
    }),
    msg(2, "tool", "", {
      toolResults: [b, a, short].map((id) => ({
        callId: id,
        output: id.slice(-4),
        isError: false,
      })),
    }),
  ]);
  const out = prepareForTarget(input, { name: "Codex" });
  const calls = (out.session.messages[1]?.toolCalls ?? []).map((c) => c.id);
  const results = out.session.messages[2]?.toolResults ?? [];
  assert.ok(
    calls.every((id) => id.length <= MAX_CALL_ID && /^[A-Za-z0-9_-]+$/.test(id)),
    calls.join(),
  );
  assert.equal(new Set(calls).size, 3);
  assert.ok((calls[0] ?? "").startsWith("mcp_github_search"));
  assert.equal(calls[2], "call_ok");
  // Each result still answers its own call.
  assert.deepEqual(results.map((r) => [r.callId, r.output]), [
    [calls[1], "5b4a"],
    [calls[0], "4e5f"],
    ["call_ok", "l_ok"],
  ]);
  assert.deepEqual(out.warnings.map((w) => w.code), ["call-ids-renamed"]);
  assert.match(out.warnings[0]?.message ?? "", /2 tool call ids .* over 64 characters/);
  // The same session gives the same ids: a second conversion writes what the first did.
  const again = prepareForTarget(input, { name: "Codex" });
  assert.deepEqual((again.session.messages[1]?.toolCalls ?? []).map((c) => c.id), calls);
});
