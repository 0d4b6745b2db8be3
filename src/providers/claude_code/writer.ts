/**
 * Planning a new Claude Code transcript from a canonical session.
 *
 * The file is `<root>/projects/<key(workspace)>/<uuidv4>.jsonl`. Every chain
 * record has `uuid` and a `parentUuid` link to the record before it (`null`
 * first): Claude Code rebuilds the conversation by walking `parentUuid` from
 * the last record, and without links it silently sends only the last one.
 * Records:
 * - a user prompt → a `user` record with plain string content, or, when it
 *   carries images, a text block then one base64 `image` block per image;
 * - an assistant message → ONE `assistant` record holding a full API
 *   envelope (`msg_…` id, model, text block then `tool_use` blocks,
 *   `stop_reason`, zero `usage`);
 * - its tool results → ONE `user` record with every `tool_result` block, placed
 *   right after the reply that made the calls (API order), ids sanitized alike
 *   on both sides ({@linkcode sanitizeToolId}); a result with images gets a
 *   content array, its text block then its `image` blocks;
 * - images go out only within the Messages API's limits (base64 JPEG, PNG, GIF
 *   or WebP, at most 5 MB); any other image is dropped with a warning;
 * - system/other messages are skipped; reasoning is dropped (a `thinking` block
 *   needs a signature only the original model can make), with one warning;
 * - a trailing `custom-title` record names the session.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { ImageContent, Message, Session, ToolResult, Warning } from "../../model/types.ts";
import type { PlanWriteOptions, ProviderContext, ResumeCommand, WritePlan } from "../types.ts";
import { listDir } from "../../internal/fs.ts";
import { isoTime, uuidV4 } from "../../internal/ids.ts";
import { jsonLines } from "../../internal/jsonl.ts";
import {
  type AnthropicContentBlock,
  anthropicImageBlock,
  assistantBlocks,
  toolResultBlocks,
} from "../../formats/anthropic.ts";
import { anthropicImageProblem } from "../../formats/images.ts";
import { claudeRoot, projectKey, projectsDir } from "./paths.ts";
import { resumeIn } from "../../internal/shell.ts";
import { nonDecreasingTimes } from "../../internal/times.ts";
import {
  nothingToWrite,
  resolveWorkspace,
  uuidSessionId,
  writtenTitle,
} from "../../formats/writing.ts";
import { plural } from "../../internal/plural.ts";

/** The Claude Code version written on every record (the pinned, verified CLI). */
export const WRITER_VERSION = "2.1.331";

/** The model named on assistant records when the source recorded none. */
export const FALLBACK_MODEL = "claude-sonnet-4-5";

/**
 * The command that resumes a Claude Code session.
 *
 * @param session The session id and its workspace.
 * @returns `claude --resume <id>`, run in the workspace.
 */
export function claudeResumeCommand(session: { id: string; workspace?: string }): ResumeCommand {
  const argv = ["claude", "--resume", session.id];
  return resumeIn(argv, session.workspace);
}

function randomReplyId(): string {
  return `msg_casr${uuidV4().replaceAll("-", "").slice(0, 24)}`;
}

/** The `image` blocks of the images the Messages API accepts; a warning for each other one. */
function writableImages(
  images: readonly ImageContent[] | undefined,
  where: string,
  warnings: Warning[],
): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  for (const image of images ?? []) {
    const problem = anthropicImageProblem(image);
    const block = problem === undefined ? anthropicImageBlock(image) : undefined;
    if (block !== undefined) {
      blocks.push(block);
      continue;
    }
    const name = image.source === undefined ? image.mediaType : `"${image.source}"`;
    warnings.push({
      code: "dropped-image",
      message: `Dropped an image (${name}) of ${where}: ${problem ?? "it has no data"}`,
    });
  }
  return blocks;
}

interface Step {
  kind: "user" | "assistant" | "results";
  message: Message;
  results?: ToolResult[];
  time: number;
}

/**
 * Orders what is written so every `tool_use` is answered in the very next
 * user record: the results of an assistant message's calls are pulled from
 * the following tool messages and placed right after it.
 */
function planSteps(
  messages: readonly Message[],
  times: readonly number[],
  warnings: Warning[],
): Step[] {
  const steps: Step[] = [];
  const consumed = new Set<string>();
  let reasoningDropped = false;
  let reordered = false;
  messages.forEach((message, i) => {
    const time = times[i] as number;
    if (message.role === "user") {
      if (message.text.trim() === "" && (message.images ?? []).length === 0) {
        warnings.push({
          code: "empty-message",
          message: `Skipped empty user message ${message.index}`,
        });
        return;
      }
      steps.push({ kind: "user", message, time });
      return;
    }
    if (message.role === "assistant") {
      if (message.reasoning && !reasoningDropped) {
        reasoningDropped = true;
        warnings.push({
          code: "dropped-reasoning",
          message:
            "Dropped assistant reasoning: Claude Code thinking blocks need a signature from the original model",
        });
      }
      if (message.text === "" && message.toolCalls.length === 0) return;
      steps.push({ kind: "assistant", message, time });
      if (message.toolCalls.length === 0) return;
      const wanted = new Set(message.toolCalls.map((c) => c.id));
      const results: ToolResult[] = [];
      let resultTime = time;
      for (let j = i + 1; j < messages.length && wanted.size > 0; j++) {
        const later = messages[j] as Message;
        if (later.role !== "tool") {
          if (later.role === "user" || later.role === "assistant") reordered = true;
          continue;
        }
        later.toolResults.forEach((result, k) => {
          const key = `${j}:${k}`;
          if (!wanted.has(result.callId) || consumed.has(key)) return;
          wanted.delete(result.callId);
          consumed.add(key);
          results.push(result);
          resultTime = Math.max(resultTime, times[j] as number);
        });
      }
      if (wanted.size > 0) {
        for (const id of wanted) {
          results.push({ callId: id, output: "(no result recorded)", isError: true });
        }
        warnings.push({
          code: "missing-tool-result",
          message: `Answered ${
            plural(wanted.size, "tool call")
          } of message ${message.index} with a placeholder result`,
        });
      }
      steps.push({ kind: "results", message, results, time: resultTime });
      return;
    }
    if (message.role === "tool") {
      const left = message.toolResults.filter((_, k) => !consumed.has(`${i}:${k}`));
      if (left.length > 0) {
        warnings.push({
          code: "orphan-tool-result",
          message: `Dropped ${
            plural(left.length, "tool result")
          } of message ${message.index} that answer no earlier call`,
        });
      }
    }
  });
  if (reordered) {
    warnings.push({
      code: "reordered-tool-results",
      message: "Moved tool results up to follow the reply that made the calls",
    });
  }
  for (let i = 1; i < steps.length; i++) {
    const step = steps[i] as Step;
    step.time = Math.max(step.time, (steps[i - 1] as Step).time);
  }
  return steps;
}

/**
 * Plans a new Claude Code session for `session`, without writing anything
 * (it only reads: the workspace's real path and the existing project folders).
 *
 * @param session The canonical session.
 * @param ctx Where the Claude Code root is.
 * @param options The target workspace and "now".
 * @returns The file to write and the resume command.
 */
export async function planClaudeSession(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [];
  const workspace = await resolveWorkspace(options.workspace, { nfc: true }); // the CLI keys folders by the real path
  const projects = projectsDir(claudeRoot(ctx));
  const existing = (await listDir(projects)).filter((e) => e.isDir).map((e) => e.name);
  const sessionId = uuidSessionId(
    options.sessionId,
    uuidV4,
    warnings,
    "Claude Code session ids must be UUIDs",
  );
  const filePath = nodePath.join(projects, projectKey(workspace, existing), `${sessionId}.jsonl`);

  const times = nonDecreasingTimes(session.messages, options.now);
  const steps = planSteps(session.messages, times, warnings);
  const model = session.model ?? FALLBACK_MODEL;
  const idMap = new Map<string, string>();
  const records: Record<string, unknown>[] = [];
  let parentUuid: string | null = null;

  const envelope = (type: string): Record<string, unknown> => ({
    parentUuid,
    isSidechain: false,
    userType: "external",
    cwd: workspace,
    sessionId,
    version: WRITER_VERSION,
    gitBranch: "",
    type,
  });
  const add = (record: Record<string, unknown>, time: number): void => {
    const uuid = uuidV4();
    record.uuid = uuid;
    record.timestamp = isoTime(time);
    records.push(record);
    parentUuid = uuid;
  };

  const images = (list: readonly ImageContent[] | undefined, where: string) =>
    writableImages(list, where, warnings);
  for (const step of steps) {
    if (step.kind === "user") {
      const blocks = images(step.message.images, `message ${step.message.index}`);
      let content: string | AnthropicContentBlock[] = step.message.text;
      if (blocks.length > 0) {
        content = step.message.text.trim() === ""
          ? blocks
          : [{ type: "text", text: step.message.text }, ...blocks];
      } else if (step.message.text.trim() === "") continue;
      add({ ...envelope("user"), message: { role: "user", content } }, step.time);
    } else if (step.kind === "assistant") {
      const content: AnthropicContentBlock[] = assistantBlocks(step.message, { idMap });
      const message = {
        id: randomReplyId(),
        type: "message",
        role: "assistant",
        model: step.message.author ?? model,
        content,
        stop_reason: step.message.toolCalls.length > 0 ? "tool_use" : "end_turn",
        stop_sequence: null,
        usage: {
          input_tokens: 0,
          output_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      };
      add({ ...envelope("assistant"), message }, step.time);
    } else {
      const results = step.results ?? [];
      const content = toolResultBlocks(results, { idMap });
      content.forEach((block, i) => {
        const result = results[i] as ToolResult;
        const blocks = images(result.images, `the result of call "${result.callId}"`);
        if (blocks.length === 0) return;
        const text = typeof block.content === "string" ? block.content : "";
        block.content = text === "" ? blocks : [{ type: "text", text }, ...blocks];
      });
      add({ ...envelope("user"), message: { role: "user", content } }, step.time);
    }
  }
  if (records.length === 0) {
    throw nothingToWrite(session);
  }
  records.push({
    type: "custom-title",
    customTitle: writtenTitle(session, { suffix: true }),
    sessionId,
  });

  const resume = claudeResumeCommand({ id: sessionId, workspace: options.workspace });
  return {
    sessionId,
    primaryPath: filePath,
    files: [{ path: filePath, data: jsonLines(records), mode: 0o600 }],
    effects: [],
    resume,
    warnings,
  };
}
