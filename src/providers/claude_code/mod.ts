/**
 * The Claude Code provider: `~/.claude/projects/<key>/<uuid>.jsonl` transcripts.
 *
 * @module
 */
import { installAt } from "../detect.ts";
import * as nodePath from "node:path";
import type { Provider } from "../types.ts";
import { CLAUDE_ENV_VARS, claudeRoot } from "./paths.ts";
import { CLAUDE_CODE_ID, readClaudeSession } from "./reader.ts";
import { claudeResumeCommand, planClaudeSession } from "./writer.ts";
import { CLAUDE_SUMMARY_VERSION, claudeLister, sessionFiles, summarizeSession } from "./list.ts";
import { API_TOOL_NAME } from "../../formats/tool_names.ts";
import { headValues, isRecord } from "../../internal/jsonl.ts";
import { providerNames } from "../names.ts";

const CLAUDE_TYPES = new Set([
  "user",
  "assistant",
  "system",
  "summary",
  "custom-title",
  "ai-title",
  "last-prompt",
  "tag",
  "permission-mode",
  "file-history-snapshot",
  "queue-operation",
  "attachment",
  "progress",
]);

/** First-line starts only Claude Code writes. */
const CLAUDE_FIRST_LINE =
  /^\s*\{"type":"(queue-operation|custom-title|ai-title|summary|last-prompt|permission-mode|file-history-snapshot)"/;

/**
 * Whether a file looks like a Claude Code transcript: a `.jsonl` file whose
 * first records have a Claude record `type` and Claude envelope fields
 * (`parentUuid`, `sessionId`, `leafUuid`, `customTitle`), and none of the
 * Codex (`payload`), Gemini (`projectHash`, `$set`) or Qwen (`message.parts`,
 * `systemPayload`) marks.
 *
 * @param path The file path.
 * @param head The first few kilobytes.
 * @returns `true` when the Claude reader can read it.
 */
export function claimsClaudeFile(path: string, head: string): boolean {
  if (!path.toLowerCase().endsWith(".jsonl")) return false;
  const values = headValues(head, 20);
  for (const r of values) {
    if (!isRecord(r)) return false;
    if ("payload" in r || "projectHash" in r || "$set" in r || "systemPayload" in r) return false;
    const message = r.message as Record<string, unknown> | undefined;
    if (message && typeof message === "object" && "parts" in message) return false;
    if (typeof r.type !== "string" || !CLAUDE_TYPES.has(r.type)) continue;
    if ("parentUuid" in r || "sessionId" in r || "leafUuid" in r || "customTitle" in r) {
      return true;
    }
  }
  if (values.length > 0) return false;
  // Only a cut first line: fall back to how Claude Code starts its lines.
  if (/"payload":|"projectHash":|"parts":\[/.test(head)) return false;
  if (/^\s*\{"parentUuid":/.test(head)) return true;
  if (CLAUDE_FIRST_LINE.test(head)) return true;
  return /^\s*\{"type":"(user|assistant)"/.test(head) && /"(sessionId|parentUuid)":/.test(head);
}

/** The Claude Code provider. */
export const claudeCode: Provider = {
  ...providerNames(CLAUDE_CODE_ID, "Claude Code", ["cc", "claude"], "claude"),
  carries: { images: true, toolName: API_TOOL_NAME, toolFamily: "claude" },
  // Claude Sonnet/Opus 4.x: 200K tokens (Anthropic docs, "Context windows"; the
  // 1M window is an opt-in beta). Claude Code keeps ~20K for the reply and
  // auto-compacts ~13K before that; its system prompt and tool definitions
  // take ~20K more. 60K reserved leaves 140K for the conversation.
  contextWindow: {
    window: 200_000,
    reserve: 60_000,
    family: "claude",
    source: "Anthropic docs: Claude 4 models have a 200K-token context window",
  },
  // `claude [prompt]`
  startPrompt: { via: "argument", flags: [] },
  envVars: CLAUDE_ENV_VARS,
  ...installAt((ctx) => [claudeRoot(ctx)], "claude"),
  ...claudeLister,
  sessionFiles,
  summarize: (path: string) => summarizeSession(path),
  summaryVersion: CLAUDE_SUMMARY_VERSION,
  claims(path: string, head: string): boolean {
    return claimsClaudeFile(nodePath.normalize(path), head);
  },
  read(path, _ctx, options) {
    return readClaudeSession(path, options);
  },
  plan: planClaudeSession,
  resumeCommand: claudeResumeCommand,
};
