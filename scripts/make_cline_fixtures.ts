/**
 * Writes the hand-made extension fixtures of the Cline family (no VS Code can
 * run here, so no real extension can write them), exactly per
 * shared/providers/cline.md:
 *
 * - Cline: a task folder under the Linux VS Code layout (§2.2–2.6, §5; Cline
 *   3.28+ `state/taskHistory.json`, native `tool_use`/`tool_result` of 3.35+,
 *   first row `say:"task"` of 3.57+);
 * - Roo Code: a 3.49+ task folder with `history_item.json` and `tasks/_index.json`
 *   (§3; `<user_message>` prompt wrapper, UUID task id);
 * - Kilo Code: the legacy 0.x CLI layout `~/.kilocode/cli/global/` with
 *   `global-state.json` holding `taskHistory` (§4; from community tools, unconfirmed).
 *
 * Run: `npx -y deno@2.9.6 run -A scripts/make_cline_fixtures.ts`
 *
 * @module
 */

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
const STORAGE = `${FIXTURES}cline/.config/Code/User/globalStorage/saoudrizwan.claude-dev`;
const ID = "1796100000000";
const ROO_STORAGE =
  `${FIXTURES}roo-code/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline`;
const ROO_ID = "019ad2c0-7a00-7c3e-9b1a-5d2f0c4e8a61";
const KILO_STORE = `${FIXTURES}kilo-code/.kilocode/cli/global`;
const KILO_ID = "5b0e2d7c-3f4a-4c1e-8d9b-2a6f1e0c7b35";
const WS = "/tmp/casr-fixture-project";
const T = 1796100000000;

const env = (ts: number) =>
  `<environment_details>\n# VSCode Visible Files\n(No visible files)\n\n# Current Time\n${
    new Date(ts).toISOString()
  }\n\n# Current Working Directory (${WS}) Files\nREADME.md\n\n# Current Mode\nACT MODE\n</environment_details>`;

const PROMPT_1 = "Please run the shell command `echo casr-fixture` and tell me what it printed.";
const PROMPT_2 = [
  "Thanks! Unicode check: héllo wörld — 日本語 ✓",
  "Markdown trap:",
  "```sh",
  'echo "inside a fence"',
  "```",
  "# a line that starts with a hash",
  "Reply briefly.",
].join("\n");
const ANSWER_2 = 'Noted — 日本語 ✓ arrived intact.\n\n```sh\necho "inside a fence"\n```';

const apiFor = (tag: string) => [
  {
    role: "user",
    content: [
      { type: "text", text: `<${tag}>\n${PROMPT_1}\n</${tag}>` },
      { type: "text", text: env(T) },
    ],
    ts: T,
  },
  {
    role: "assistant",
    content: [
      { type: "text", text: "I'll run it." },
      {
        type: "tool_use",
        id: "toolu_01CaSrFiXtUrE",
        name: "execute_command",
        input: { command: "echo casr-fixture", requires_approval: false },
      },
    ],
    ts: T + 2000,
    modelInfo: { modelId: "claude-sonnet-4-5", providerId: "anthropic", mode: "act" },
    metrics: { tokens: { prompt: 1200, completion: 40, cached: 0 }, cost: 0.004 },
  },
  {
    role: "user",
    content: [
      {
        type: "tool_result",
        tool_use_id: "toolu_01CaSrFiXtUrE",
        content: "Command executed.\nOutput:\ncasr-fixture",
      },
      { type: "text", text: env(T + 3000) },
    ],
    ts: T + 3000,
  },
  {
    role: "assistant",
    content: [{ type: "text", text: "It printed `casr-fixture`." }],
    ts: T + 5000,
    modelInfo: { modelId: "claude-sonnet-4-5", providerId: "anthropic", mode: "act" },
  },
  {
    role: "user",
    content: [
      { type: "text", text: `<feedback>\n${PROMPT_2}\n</feedback>` },
      { type: "text", text: env(T + 60000) },
    ],
    ts: T + 60000,
  },
  {
    role: "assistant",
    content: [{ type: "text", text: ANSWER_2 }],
    ts: T + 62000,
    modelInfo: { modelId: "claude-sonnet-4-5", providerId: "anthropic", mode: "act" },
  },
];

const req = (ts: number, index: number) => ({
  ts,
  type: "say",
  say: "api_req_started",
  text: JSON.stringify({
    request: "…",
    tokensIn: 1200,
    tokensOut: 40,
    cacheWrites: 0,
    cacheReads: 0,
    cost: 0.004,
  }),
  conversationHistoryIndex: index,
});
const uiFor = (firstSay: string) => [
  { ts: T, type: "say", say: firstSay, text: PROMPT_1 },
  req(T + 1000, -1),
  { ts: T + 2000, type: "say", say: "text", text: "I'll run it.", conversationHistoryIndex: 0 },
  {
    ts: T + 2100,
    type: "ask",
    ask: "command",
    text: "echo casr-fixture",
    conversationHistoryIndex: 0,
  },
  {
    ts: T + 2900,
    type: "say",
    say: "command_output",
    text: "casr-fixture",
    conversationHistoryIndex: 0,
  },
  req(T + 4000, 2),
  {
    ts: T + 5000,
    type: "say",
    say: "completion_result",
    text: "It printed `casr-fixture`.",
    conversationHistoryIndex: 2,
  },
  { ts: T + 60000, type: "say", say: "user_feedback", text: PROMPT_2, conversationHistoryIndex: 3 },
  req(T + 61000, 4),
  {
    ts: T + 62000,
    type: "say",
    say: "completion_result",
    text: ANSWER_2,
    conversationHistoryIndex: 4,
  },
];

const history = [{
  id: ID,
  ts: T + 62000,
  task: PROMPT_1,
  tokensIn: 2400,
  tokensOut: 80,
  cacheWrites: 0,
  cacheReads: 0,
  totalCost: 0.008,
  size: 0,
  cwdOnTaskInitialization: WS,
  modelId: "claude-sonnet-4-5",
}];

const metadata = {
  files_in_context: [],
  model_usage: [{
    ts: T + 2000,
    model_id: "claude-sonnet-4-5",
    model_provider_id: "anthropic",
    mode: "act",
  }],
  environment_history: [],
};

async function writeTask(
  store: string,
  id: string,
  tag: string,
  firstSay: string,
): Promise<string> {
  const dir = `${store}/tasks/${id}`;
  await Deno.mkdir(dir, { recursive: true });
  const apiText = JSON.stringify(apiFor(tag));
  await Deno.writeTextFile(`${dir}/api_conversation_history.json`, apiText);
  await Deno.writeTextFile(`${dir}/ui_messages.json`, JSON.stringify(uiFor(firstSay)));
  await Deno.writeTextFile(`${dir}/task_metadata.json`, JSON.stringify(metadata));
  console.log(`wrote ${dir}`);
  return apiText;
}

const clineApi = await writeTask(STORAGE, ID, "task", "task");
history[0]!.size = new TextEncoder().encode(clineApi).length;
await Deno.mkdir(`${STORAGE}/state`, { recursive: true });
await Deno.writeTextFile(`${STORAGE}/state/taskHistory.json`, JSON.stringify(history));

const rooApi = await writeTask(ROO_STORAGE, ROO_ID, "user_message", "text");
const rooItem = {
  id: ROO_ID,
  number: 1,
  ts: T + 62000,
  task: PROMPT_1,
  tokensIn: 2400,
  tokensOut: 80,
  cacheWrites: 0,
  cacheReads: 0,
  totalCost: 0.008,
  size: new TextEncoder().encode(rooApi).length,
  workspace: WS,
  mode: "code",
  apiConfigName: "default",
  status: "completed",
};
await Deno.writeTextFile(
  `${ROO_STORAGE}/tasks/${ROO_ID}/history_item.json`,
  JSON.stringify(rooItem),
);
await Deno.writeTextFile(
  `${ROO_STORAGE}/tasks/_index.json`,
  JSON.stringify({ version: 1, updatedAt: T + 62000, entries: [rooItem] }),
);

const kiloApi = await writeTask(KILO_STORE, KILO_ID, "task", "text");
const kiloItem = {
  ...rooItem,
  id: KILO_ID,
  size: new TextEncoder().encode(kiloApi).length,
};
delete (kiloItem as Record<string, unknown>).status;
await Deno.writeTextFile(
  `${KILO_STORE}/global-state.json`,
  JSON.stringify({ taskHistory: [kiloItem], mode: "code" }, null, 2),
);
