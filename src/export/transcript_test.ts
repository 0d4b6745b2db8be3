import assert from "node:assert/strict";
import type { Session } from "../model/types.ts";
import { escapeHtml, renderTranscript, toHtml, toMarkdown } from "./transcript.ts";

const session: Session = {
  id: "s-1",
  provider: "codex",
  title: "Fix <b>the</b> build",
  workspace: "/proj",
  startedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
  metadata: {},
  messages: [
    { index: 0, role: "system", text: "<environment_context>", toolCalls: [], toolResults: [] },
    {
      index: 1,
      role: "user",
      text: "Run this:\n```sh\nls\n```\n# not a heading <script>alert(1)</script>",
      timestamp: Date.UTC(2026, 0, 2, 3, 4, 5),
      toolCalls: [],
      toolResults: [],
    },
    {
      index: 2,
      role: "assistant",
      text: "Running ````four```` backticks 🚀",
      toolCalls: [{ id: "c1", name: "shell", input: { command: ["bash", "-lc", "ls"] } }],
      toolResults: [],
    },
    {
      index: 3,
      role: "tool",
      text: "",
      toolCalls: [],
      toolResults: [{ callId: "c1", output: "a.txt\n```\nb.txt", isError: true }],
    },
  ],
};

Deno.test("toMarkdown() fences outlast any backticks in the content", () => {
  const md = toMarkdown(session);
  assert.ok(md.startsWith("# Fix \\<b\\>the\\</b\\> build\n"));
  assert.ok(md.includes("````text\nRun this:\n```sh\nls\n```\n# not a heading"), md);
  assert.ok(md.includes("````\na.txt\n```\nb.txt\n````"));
  assert.ok(md.includes("<summary>shell: bash -lc ls (error)</summary>"));
  assert.ok(!md.includes("environment_context"), "system scaffolding is left out");
  assert.ok(md.includes("## User · 2026-01-02T03:04:05Z"));
});

Deno.test("toHtml() escapes every piece of session text and loads nothing", () => {
  const html = toHtml(session);
  assert.ok(!html.includes("<script>"));
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(html.includes("<title>Fix &lt;b&gt;the&lt;/b&gt; build</title>"));
  assert.doesNotMatch(html, /\b(src|href)=/, "no external resources");
  assert.ok(html.includes("🚀"));
  assert.ok(html.includes('<details class="error">'));
});

Deno.test("renderTranscript() json drops raw records and keeps the conversation", () => {
  const withExtra: Session = {
    ...session,
    messages: session.messages.map((m) => ({ ...m, extra: { raw: true } })),
  };
  const parsed = JSON.parse(renderTranscript(withExtra, "json"));
  assert.equal(parsed.messages.length, 4);
  assert.ok(parsed.messages.every((m: Record<string, unknown>) => !("extra" in m)));
  assert.equal(parsed.messages[3].toolResults[0].callId, "c1");
});

Deno.test("escapeHtml() escapes the five special characters", () => {
  assert.equal(
    escapeHtml(`<a href="x">'&'</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
  );
});
