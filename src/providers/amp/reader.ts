/**
 * Reads Amp thread documents (`T-<uuid>.json`, the shape of local-first thread
 * files and of `amp threads export`) into canonical sessions.
 *
 * - `user` messages: `text` blocks → a user message (time: `meta.sentAt`);
 *   `tool_result` blocks `{toolUseID, run: {status, result?, error?}}` → one
 *   `tool` message before it (status other than `done` is an error);
 * - `assistant` messages: `text` → text, `thinking` → reasoning, `tool_use`
 *   → tool calls (time: `usage.timestamp`, model: `usage.model`);
 * - `info` messages (summaries, notices) → `other`; unknown roles → `other`.
 *
 * The workspace is `env.initial.trees[0].uri` (a `file://` URI).
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { CasrError, parseFailed } from "../../errors.ts";
import { blocksToPieces } from "../../formats/anthropic.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { clipText, flattenContent, parseTimestamp } from "../../model/normalize.ts";
import type { Message, ReadResult, Session, ToolResult, Warning } from "../../model/types.ts";
import type { ProviderContext } from "../types.ts";
import { isThreadId, threadIdFromName } from "./paths.ts";
import { builtinModule } from "../../internal/runtime.ts";

function runOutput(run: unknown): { output: string; isError: boolean } {
  if (!isRecord(run)) return { output: "", isError: true };
  const status = str(run.status) ?? "done";
  let output = "";
  if (run.result !== undefined && run.result !== null) {
    output = typeof run.result === "string" ? run.result : flattenContent(run.result) ||
      JSON.stringify(run.result);
  } else if (isRecord(run.error)) {
    output = typeof run.error.message === "string" ? run.error.message : JSON.stringify(run.error);
  } else if (typeof run.error === "string") output = run.error;
  else if (str(run.reason) !== undefined) output = str(run.reason) as string;
  return { output, isError: status !== "done" };
}

/**
 * The workspace of a thread: `env.initial.trees[0].uri` as a path.
 *
 * @param doc The thread document.
 * @returns The path, or `undefined`.
 */
export function threadWorkspace(doc: Record<string, unknown>): string | undefined {
  const env = isRecord(doc.env) ? doc.env : undefined;
  const initial = env && isRecord(env.initial) ? env.initial : undefined;
  const trees = initial && Array.isArray(initial.trees) ? initial.trees : [];
  const uri = isRecord(trees[0]) ? str(trees[0].uri) : undefined;
  if (uri === undefined) return undefined;
  if (!uri.startsWith("file:")) return path.isAbsolute(uri) ? uri : undefined;
  try {
    const url = builtinModule<typeof import("node:url")>("node:url");
    return url ? url.fileURLToPath(uri) : decodeURIComponent(new URL(uri).pathname);
  } catch {
    return undefined;
  }
}

/**
 * Converts a parsed thread document.
 *
 * @param doc The document.
 * @param file The file it came from.
 * @returns The session and warnings.
 * @throws {CasrError} `parse-failed` when it has no messages array.
 */
export function threadToSession(
  doc: Record<string, unknown>,
  file: string,
): ReadResult {
  const warnings: Warning[] = [];
  if (!Array.isArray(doc.messages)) {
    throw parseFailed(file, "not an Amp thread (no messages array)");
  }
  const messages: Message[] = [];
  const push = (m: Omit<Message, "index">): void => {
    messages.push({ index: messages.length, ...m });
  };
  let model: string | undefined;
  doc.messages.forEach((raw, i) => {
    if (!isRecord(raw)) {
      warnings.push({ code: "malformed-record", message: `Skipped message ${i}: not an object` });
      return;
    }
    const role = str(raw.role);
    const content = typeof raw.content === "string" ? [{ type: "text", text: raw.content }] : (
      Array.isArray(raw.content) ? raw.content : []
    );
    const results: ToolResult[] = [];
    const others: unknown[] = [];
    for (const block of content) {
      if (isRecord(block) && block.type === "tool_result") {
        const { output, isError } = runOutput(block.run);
        results.push({
          callId: str(block.toolUseID) ?? str(block.tool_use_id) ?? "",
          output,
          isError,
        });
      } else others.push(block);
    }
    const pieces = blocksToPieces(others);
    for (const block of others) {
      if (isRecord(block) && block.type === "summary" && isRecord(block.summary)) {
        const summary = str(block.summary.summary);
        if (summary !== undefined) pieces.text = [pieces.text, summary].filter((t) => t).join("\n");
      }
    }
    const extra = { messageId: raw.messageId };
    if (role === "user") {
      const sentAt = isRecord(raw.meta) ? parseTimestamp(raw.meta.sentAt) : undefined;
      if (results.length > 0) {
        const tool: Omit<Message, "index"> = {
          role: "tool",
          text: "",
          toolCalls: [],
          toolResults: results,
          extra,
        };
        if (sentAt !== undefined) tool.timestamp = sentAt;
        push(tool);
      }
      if (pieces.text !== "" || results.length === 0) {
        const user: Omit<Message, "index"> = {
          role: "user",
          text: pieces.text,
          toolCalls: [],
          toolResults: [],
          extra,
        };
        if (sentAt !== undefined) user.timestamp = sentAt;
        push(user);
      }
    } else if (role === "assistant") {
      const usage = isRecord(raw.usage) ? raw.usage : undefined;
      const author = usage ? str(usage.model) : undefined;
      if (author !== undefined) model = author;
      const message: Omit<Message, "index"> = {
        role: "assistant",
        text: pieces.text,
        toolCalls: pieces.toolCalls,
        toolResults: [],
        extra,
      };
      const t = usage ? parseTimestamp(usage.timestamp) : undefined;
      if (t !== undefined) message.timestamp = t;
      if (author !== undefined) message.author = author;
      if (pieces.reasoning !== "") message.reasoning = pieces.reasoning;
      push(message);
      if (results.length > 0) push({ role: "tool", text: "", toolCalls: [], toolResults: results });
    } else {
      push({ role: "other", text: pieces.text, toolCalls: [], toolResults: results, extra });
    }
  });
  const stem = threadIdFromName(path.basename(file));
  const docId = str(doc.id);
  const id = docId !== undefined && isThreadId(docId)
    ? docId
    : stem ?? docId ?? path.basename(file);
  const session: Session = {
    id,
    provider: "amp",
    messages,
    metadata: {},
    sourcePath: file,
  };
  const workspace = threadWorkspace(doc);
  if (workspace !== undefined) session.workspace = workspace;
  const title = str(doc.title);
  if (title !== undefined && title.trim() !== "") session.title = title.trim();
  else {
    const prompt = messages.find((m) => m.role === "user" && m.text.trim() !== "");
    const line = prompt?.text.split("\n").map((l) => l.trim()).find((l) => l !== "");
    if (line !== undefined) session.title = clipText(line, 80);
  }
  const created = parseTimestamp(doc.created);
  if (created !== undefined) session.startedAt = created;
  const times = messages.flatMap((m) => m.timestamp === undefined ? [] : [m.timestamp]);
  if (times.length > 0) session.endedAt = Math.max(...times);
  if (model !== undefined) session.model = model;
  for (const key of ["v", "agentMode", "visibility", "casr"]) {
    if (doc[key] !== undefined) session.metadata[key] = doc[key];
  }
  return { session, warnings };
}

/**
 * Reads one thread file.
 *
 * @param file The `T-….json` file.
 * @param ctx Where to look.
 * @returns The session and warnings.
 * @throws {CasrError} `session-not-found` or `parse-failed`.
 */
export async function readAmp(file: string, ctx: ProviderContext): Promise<ReadResult> {
  const full = path.resolve(ctx.cwd, file);
  let text: string;
  try {
    text = await fsp.readFile(full, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CasrError(
      code === "ENOENT" ? "session-not-found" : "parse-failed",
      `Cannot read session "${full}": ${code === "ENOENT" ? "it does not exist" : String(error)}`,
      { details: { path: full }, cause: error },
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw parseFailed(full, "invalid JSON", { cause: error });
  }
  if (!isRecord(doc)) {
    throw parseFailed(full, "not an Amp thread");
  }
  return threadToSession(doc, full);
}
