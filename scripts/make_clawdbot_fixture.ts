/**
 * Writes the hand-made ClawdBot fixture: `fixtures/clawdbot/.clawdbot/agents/main/sessions/`
 * `<id>.jsonl` (Pi session format version 3, as `@mariozechner/pi-coding-agent@0.49.3` inside
 * `clawdbot@2026.1.24` wrote it: 8-hex entry ids, `model_change`, `thinking_level_change`,
 * `message` entries) and `sessions.json`, exactly per `shared/providers/clawdbot.md`. ClawdBot
 * itself cannot run (its last release needs a GitHub git dependency and lacks a file of its
 * own dist), so no real ClawdBot wrote this. Prints the manifest entry.
 *
 * Run: `npx -y deno@2.9.6 run -A scripts/make_clawdbot_fixture.ts`
 *
 * @module
 */

const ID = "5f3c9a2e-8b1d-4e6f-9a07-3c2d1e0b4a58";
const WORKSPACE = "/tmp/casr-fixture-project";
const DIR = new URL("../fixtures/clawdbot/.clawdbot/agents/main/sessions/", import.meta.url);
const T0 = Date.UTC(2026, 0, 20, 9, 30, 0);

const PROMPTS = [
  "Please run the shell command `echo casr-fixture` and tell me what it printed.",
  [
    "Thanks! Unicode check: héllo wörld — 日本語 ✓ 🚀",
    "Markdown trap:",
    "```sh",
    'echo "inside a fence"',
    "```",
    "# a line that starts with a hash",
    "Reply briefly.",
  ].join("\n"),
];
const REPLIES = [
  "Running `echo casr-fixture` now.",
  "It printed `casr-fixture`.",
  [
    "Got it — héllo wörld, 日本語 ✓ 🚀.",
    "",
    "## Summary",
    "",
    "- the fence stayed a fence:",
    "",
    "```sh",
    'echo "inside a fence"',
    "```",
  ].join("\n"),
];

const iso = (ms: number) => new Date(ms).toISOString();
const usage = {
  input: 812,
  output: 41,
  cacheRead: 0,
  cacheWrite: 0,
  totalTokens: 853,
  cost: { input: 0.002436, output: 0.000615, cacheRead: 0, cacheWrite: 0, total: 0.003051 },
};
const model = { api: "anthropic-messages", provider: "anthropic", model: "claude-sonnet-4-5" };

const lines: Record<string, unknown>[] = [
  { type: "session", version: 3, id: ID, timestamp: iso(T0), cwd: WORKSPACE },
  {
    type: "model_change",
    id: "a1f0c3d2",
    parentId: null,
    timestamp: iso(T0),
    provider: "anthropic",
    modelId: "claude-sonnet-4-5",
  },
  {
    type: "thinking_level_change",
    id: "b7e21f09",
    parentId: "a1f0c3d2",
    timestamp: iso(T0),
    thinkingLevel: "off",
  },
  {
    type: "message",
    id: "c40d9e11",
    parentId: "b7e21f09",
    timestamp: iso(T0 + 1000),
    message: { role: "user", content: [{ type: "text", text: PROMPTS[0] }], timestamp: T0 + 1000 },
  },
  {
    type: "message",
    id: "d92a5b70",
    parentId: "c40d9e11",
    timestamp: iso(T0 + 4000),
    message: {
      role: "assistant",
      content: [
        { type: "text", text: REPLIES[0] },
        {
          type: "toolCall",
          id: "toolu_01CasrClawdbotExec",
          name: "exec",
          arguments: { command: "echo casr-fixture" },
        },
      ],
      ...model,
      usage,
      stopReason: "toolUse",
      timestamp: T0 + 4000,
    },
  },
  {
    type: "message",
    id: "e15f8c36",
    parentId: "d92a5b70",
    timestamp: iso(T0 + 5000),
    message: {
      role: "toolResult",
      toolCallId: "toolu_01CasrClawdbotExec",
      toolName: "exec",
      content: [{ type: "text", text: "casr-fixture" }],
      details: { status: "completed", exitCode: 0, durationMs: 12, cwd: WORKSPACE },
      isError: false,
      timestamp: T0 + 5000,
    },
  },
  {
    type: "message",
    id: "f2b64a18",
    parentId: "e15f8c36",
    timestamp: iso(T0 + 7000),
    message: {
      role: "assistant",
      content: [{ type: "text", text: REPLIES[1] }],
      ...model,
      usage,
      stopReason: "stop",
      timestamp: T0 + 7000,
    },
  },
  {
    type: "message",
    id: "0a6c3e95",
    parentId: "f2b64a18",
    timestamp: iso(T0 + 60_000),
    message: {
      role: "user",
      content: [{ type: "text", text: PROMPTS[1] }],
      timestamp: T0 + 60_000,
    },
  },
  {
    type: "message",
    id: "1d8e7f24",
    parentId: "0a6c3e95",
    timestamp: iso(T0 + 63_000),
    message: {
      role: "assistant",
      content: [{ type: "text", text: REPLIES[2] }],
      ...model,
      usage,
      stopReason: "stop",
      timestamp: T0 + 63_000,
    },
  },
];

await Deno.mkdir(DIR, { recursive: true });
await Deno.writeTextFile(
  new URL(`${ID}.jsonl`, DIR),
  lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
);
const store = {
  "agent:main:main": {
    sessionId: ID,
    updatedAt: T0 + 63_000,
    chatType: "direct",
    thinkingLevel: "off",
    inputTokens: 2436,
    outputTokens: 123,
    totalTokens: 2559,
    compactionCount: 0,
  },
};
await Deno.writeTextFile(new URL("sessions.json", DIR), JSON.stringify(store, null, 2) + "\n");

const base = "clawdbot/.clawdbot/agents/main/sessions";
console.log(JSON.stringify(
  {
    provider: "clawdbot",
    scenario: "basic",
    sessionId: ID,
    path: `${base}/${ID}.jsonl`,
    home: "clawdbot",
    files: [`${base}/${ID}.jsonl`, `${base}/sessions.json`],
    workspace: WORKSPACE,
    generatedBy:
      "hand-made: clawdbot@2026.1.24 (the last release) cannot run — its install needs " +
      "a GitHub git dependency (libsignal via baileys) and, with that stubbed, it fails at startup " +
      "because the tarball lacks dist/shared/text/reasoning-tags.js; built by " +
      "scripts/make_clawdbot_fixture.ts exactly per shared/providers/clawdbot.md §1 and " +
      "openclaw.md §3/§6 (Pi session format version 3 as pi-coding-agent 0.49.3 writes it, " +
      "8-hex entry ids, sessions.json keyed agent:main:main); not produced by a running clawdbot",
    createdAt: new Date().toISOString(),
    prompts: PROMPTS,
    toolCalls: 1,
    expected: [
      { role: "user", text: PROMPTS[0] },
      {
        role: "assistant",
        text: REPLIES[0],
        toolCalls: [{ name: "exec", command: "echo casr-fixture" }],
      },
      { role: "tool", text: "casr-fixture" },
      { role: "assistant", text: REPLIES[1] },
      { role: "user", text: PROMPTS[1] },
      { role: "assistant", text: REPLIES[2] },
    ],
  },
  null,
  2,
));
