/**
 * Planning a new Gemini CLI session from a canonical one.
 *
 * @module
 */
import * as path from "node:path";
import type { ImageContent, Message, Session, ToolResult, Warning } from "../../model/types.ts";
import { toolInputObject } from "../../model/normalize.ts";
import type { FileWrite } from "../../model/provider_data.ts";
import { exists } from "../../internal/fs.ts";
import { isoTime, uuidV4 } from "../../internal/ids.ts";
import { jsonLines } from "../../internal/jsonl.ts";
import { resumeIn } from "../../internal/shell.ts";
import { CasrError } from "../../errors.ts";
import type { PlanWriteOptions, ProviderContext, ResumeCommand, WritePlan } from "../types.ts";
import {
  geminiRoot,
  PROJECT_ROOT_FILE,
  projectRootFor,
  PROJECTS_FILE,
  resolveProjectSlug,
  sha256Hex,
} from "./paths.ts";
import { fillTimestamps } from "../../internal/times.ts";

/**
 * The command that resumes a Gemini CLI session: `gemini --resume <id>` run in
 * the session's project directory (Gemini looks sessions up per project).
 *
 * @param session The session id and workspace.
 * @returns The command.
 */
export function geminiResumeCommand(session: { id: string; workspace?: string }): ResumeCommand {
  const argv = ["gemini", "--resume", session.id];
  return resumeIn(argv, session.workspace);
}

/** `YYYY-MM-DDTHH-mm` in UTC, as in Gemini's session file names. */
export function fileStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace(/:/g, "-");
}

function isTurn(message: Message): boolean {
  return message.role === "user" || message.role === "assistant";
}

/** U+200B: not whitespace to `String.prototype.trim`, so Gemini's command check passes it. */
export const PROMPT_GUARD = "\u200B";

function isIgnoredPrompt(text: string): boolean {
  const t = text.trim();
  return t === "" || t.startsWith("/") || t.startsWith("?") ||
    t.startsWith("<session_context>") || t.startsWith("<hook_context>");
}

/** Image types the Gemini API takes as `inlineData`. */
export const GEMINI_IMAGE_TYPES: ReadonlySet<string> = new Set([
  "image/png",
  "image/jpeg",
  "image/webp",
  "image/heic",
  "image/heif",
]);

/** The text that stands for an image that cannot be written as one. */
function imageNote(image: ImageContent): string {
  return image.source === undefined
    ? `[image (${image.mediaType})]`
    : `[image: ${image.source} (${image.mediaType})]`;
}

/**
 * Splits images into `inlineData` parts and text notes for those Gemini cannot
 * take (no data kept, or a type the API does not accept), with a warning each.
 */
function imageParts(
  images: readonly ImageContent[] | undefined,
  where: string,
  warnings: Warning[],
): { parts: Record<string, unknown>[]; notes: string[] } {
  const parts: Record<string, unknown>[] = [];
  const notes: string[] = [];
  for (const image of images ?? []) {
    const mimeType = image.mediaType.toLowerCase() === "image/jpg"
      ? "image/jpeg"
      : image.mediaType.toLowerCase();
    const reason = image.data === undefined || image.data === ""
      ? "its data was not kept"
      : !GEMINI_IMAGE_TYPES.has(mimeType)
      ? `Gemini does not accept ${image.mediaType} images`
      : undefined;
    if (reason === undefined) {
      parts.push({ inlineData: { mimeType, data: image.data } });
      continue;
    }
    notes.push(imageNote(image));
    warnings.push({
      code: "image-as-text",
      message: `An image in ${where} was written as a text note: ${reason}`,
    });
  }
  return { parts, notes };
}

function toolCallRecord(
  call: { id: string; name: string; input: unknown },
  result: ToolResult | undefined,
  timestamp: string,
  warnings: Warning[],
): Record<string, unknown> {
  const images = imageParts(result?.images, `the result of "${call.id}"`, warnings);
  const output = [result?.output ?? "", ...images.notes].filter((t) => t !== "").join("\n");
  const response = result === undefined
    ? { error: "No result was recorded for this tool call" }
    : result.isError
    ? { error: output }
    : { output };
  const failed = result === undefined || result.isError;
  return {
    id: call.id,
    name: call.name,
    args: toolInputObject(call.input),
    // Images go next to the functionResponse, as Gemini CLI sends a read_file image.
    result: [{ functionResponse: { id: call.id, name: call.name, response } }, ...images.parts],
    status: failed ? "error" : "success",
    timestamp,
  };
}

/** Gemini pairs calls and responses by id: keep ids unique within the session. */
function uniqueCallId(id: string, used: Set<string>): string {
  let candidate = id === "" ? "call" : id;
  for (let n = 2; used.has(candidate); n++) candidate = `${id === "" ? "call" : id}_${n}`;
  used.add(candidate);
  return candidate;
}

function dropResults(results: { result: ToolResult; used: boolean }[], warnings: Warning[]): void {
  for (const r of results) {
    if (r.used) continue;
    warnings.push({
      code: "orphan-tool-result",
      message:
        `Tool result for "${r.result.callId}" answers no call of the preceding reply; it was dropped`,
    });
  }
}

/** Builds the message records of the session file and reports what was dropped. */
function buildRecords(
  session: Session,
  now: number,
  warnings: Warning[],
): Record<string, unknown>[] {
  const times = fillTimestamps(session.messages, now);
  const usedIds = new Set<string>();
  const records: Record<string, unknown>[] = [];
  const messages = session.messages;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i] as Message;
    const time = times[i] as number;
    const timestamp = isoTime(time);
    if (message.role === "user") {
      const images = imageParts(message.images, `message ${message.index}`, warnings);
      const hasImages = images.parts.length > 0 || images.notes.length > 0;
      if (message.text.trim() === "" && !hasImages) continue;
      let text = [message.text, ...images.notes].filter((t) => t !== "").join("\n");
      // An image-only prompt: Gemini CLI sends it (its text is "[Image: …]" to the ignore check).
      if (text === "") {
        records.push({ id: uuidV4(), timestamp, type: "user", content: images.parts });
        continue;
      }
      if (isIgnoredPrompt(text)) {
        // Gemini skips prompts starting with these on resume (they are its commands);
        // a zero-width space keeps this one in the history. The reader removes it.
        text = `${PROMPT_GUARD}${text}`;
        warnings.push({
          code: "prompt-guarded",
          message: `Message ${message.index} starts with "${
            message.text.trim()[0]
          }"; it was prefixed with a zero-width space so Gemini CLI sends it to the model`,
        });
      }
      records.push({
        id: uuidV4(),
        timestamp,
        type: "user",
        content: [{ text }, ...images.parts],
      });
    } else if (message.role === "assistant") {
      // Results of this reply's calls: the tool messages that follow it.
      const results: { result: ToolResult; time: number; used: boolean }[] = [];
      let j = i + 1;
      // System and other messages are not written, so they do not end the run.
      for (; j < messages.length && !isTurn(messages[j] as Message); j++) {
        for (const r of (messages[j] as Message).toolResults) {
          results.push({ result: r, time: times[j] as number, used: false });
        }
      }
      i = j - 1;
      if (message.text.trim() === "" && message.toolCalls.length === 0) {
        if (results.length > 0) dropResults(results, warnings);
        continue;
      }
      const record: Record<string, unknown> = {
        id: uuidV4(),
        timestamp,
        type: "gemini",
        content: message.text,
      };
      if (message.author !== undefined) record.model = message.author;
      if ((message.images?.length ?? 0) > 0) {
        warnings.push({
          code: "images-dropped",
          message:
            `The images of message ${message.index} were dropped: casr writes images in prompts and tool results only`,
        });
      }
      if (message.toolCalls.length > 0) {
        record.toolCalls = message.toolCalls.map((source) => {
          const found = results.find((r) => !r.used && r.result.callId === source.id);
          if (found !== undefined) found.used = true;
          const call = { ...source, id: uniqueCallId(source.id, usedIds) };
          if (found === undefined) {
            warnings.push({
              code: "missing-tool-result",
              message: `Tool call "${call.id}" has no result; it was written as an error`,
            });
          }
          return toolCallRecord(call, found?.result, isoTime(found?.time ?? time), warnings);
        });
      }
      dropResults(results, warnings);
      records.push(record);
    } else if (message.role === "tool") {
      warnings.push({
        code: "orphan-tool-result",
        message: `Tool message ${message.index} follows no assistant reply; it was dropped`,
      });
    }
    // system and other messages are per-agent scaffolding: Gemini injects its own.
  }
  return records;
}

/**
 * Plans a new Gemini CLI session for `options.workspace`, with id
 * `options.sessionId` (else a new UUIDv4).
 *
 * The file is `<root>/tmp/<slug>/chats/session-<UTC YYYY-MM-DDTHH-mm of now>-<id8>.jsonl`:
 * a header `{sessionId, projectHash, startTime, lastUpdated, kind:"main"}`, one
 * `user` record per prompt, one `gemini` record per reply whose `toolCalls[]`
 * carry the results of the tool messages that follow it (the "legacy" shape the
 * CLI turns back into functionCall/functionResponse turns; no separate
 * function-response `user` records), then `{"$set":{summary, lastUpdated}}`.
 * Images become `inlineData` parts: after a prompt's text, and next to the
 * `functionResponse` in a call's `result` (as Gemini CLI sends a `read_file`
 * image); an image Gemini cannot take becomes a text note with a warning.
 * `startTime` and `lastUpdated` are `now` (a new session; an old `lastUpdated`
 * would let the CLI's 30-day cleanup delete it); each record keeps its message's time.
 *
 * The project root is the physical path of the workspace (the CLI's cwd), and
 * its slug is resolved as the CLI resolves it. When it is new, the plan also
 * holds `.project_root` markers in `tmp/<slug>/` and `history/<slug>/` and the
 * whole updated `projects.json` (existing entries kept). That shared file is
 * replaced atomically by the pipeline (temp file + rename); the CLI's
 * `proper-lockfile` lock is not taken.
 *
 * @param session The canonical session.
 * @param ctx Where the Gemini root is.
 * @param options Target workspace and time.
 * @returns The plan.
 * @throws {CasrError} `invalid-session` when the session has no user prompt.
 */
export async function planGeminiSession(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [];
  const root = geminiRoot(ctx);
  const workspace = await projectRootFor(options.workspace);
  const records = buildRecords(session, options.now, warnings);
  if (!records.some((r) => r.type === "user")) {
    throw new CasrError(
      "invalid-session",
      `Cannot write session "${session.id}" for Gemini CLI: it has no user prompt`,
      { details: { id: session.id } },
    );
  }
  const sessionId = options.sessionId ?? uuidV4();
  const now = isoTime(options.now);
  const { slug, isNew, registry } = await resolveProjectSlug(root, workspace);
  const files: FileWrite[] = [];
  if (isNew) {
    if (registry.problem !== undefined) {
      warnings.push({
        code: "registry-reset",
        message:
          `The existing ${PROJECTS_FILE} is unusable (${registry.problem}); Gemini CLI resets it too`,
      });
    }
    const projects = { ...registry.projects, [workspace]: slug };
    files.push({
      path: path.join(root, PROJECTS_FILE),
      data: JSON.stringify({ projects }, null, 2),
    });
    for (const base of ["tmp", "history"]) {
      files.push({ path: path.join(root, base, slug, PROJECT_ROOT_FILE), data: workspace });
    }
    if (await exists(path.join(root, "tmp", sha256Hex(workspace)))) {
      warnings.push({
        code: "legacy-project-dir",
        message: `Gemini CLI will no longer copy the old directory "tmp/${
          sha256Hex(workspace)
        }" into "tmp/${slug}" because casr creates that directory`,
      });
    }
  }
  const header = {
    sessionId,
    projectHash: sha256Hex(workspace),
    startTime: now,
    lastUpdated: now,
    kind: "main",
  };
  const update: Record<string, unknown> = {};
  const title = session.title?.split("\n")[0]?.trim();
  if (title !== undefined && title !== "") update.summary = title;
  update.lastUpdated = now;
  const primaryPath = path.join(
    root,
    "tmp",
    slug,
    "chats",
    `session-${fileStamp(options.now)}-${sessionId.slice(0, 8)}.jsonl`,
  );
  files.push({ path: primaryPath, data: jsonLines([header, ...records, { $set: update }]) });
  return {
    sessionId,
    primaryPath,
    files,
    effects: [],
    resume: geminiResumeCommand({ id: sessionId, workspace: options.workspace }),
    warnings,
  };
}
