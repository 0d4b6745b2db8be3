/**
 * Reading a ChatGPT desktop v1 conversation: one JSON document with the web
 * export's `mapping` tree (`{<node>: {id, parent, children, message}}`).
 *
 * The active branch is `current_node` followed up through `parent` (so edits
 * and regenerations do not interleave); without it, messages are sorted by
 * `create_time`. Messages map as:
 * - `user` → `user` (string parts joined with newlines, an image as `[image]`);
 *   hidden or `user_editable_context` messages → `system`;
 * - `assistant` with `recipient` `all` → assistant text, `thoughts` → reasoning;
 * - `assistant` addressed to a tool (`recipient` `python`, `web.run`, …) →
 *   a tool call (the `code`/`text` content is its input);
 * - `tool` (`author.name` = the tool) → that call's result;
 * - `system` → `system`.
 * Consecutive assistant messages (one reply) become one assistant message.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as nodePath from "node:path";
import type { Message, ReadResult, Session, ToolCall, Warning } from "../../model/types.ts";
import { flattenContent, parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import { CasrError, parseFailed } from "../../errors.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { conversationDirKind } from "./paths.ts";
import { plural } from "../../internal/plural.ts";

/** The provider id. */
export const CHATGPT_ID = "chatgpt";

/** Why encrypted conversations are skipped, for messages. */
export const ENCRYPTED_REASON =
  "it is in an encrypted v2/v3 folder (AES-GCM with a key kept in the macOS Keychain " +
  "for OpenAI's signed app); casr reads only the plaintext v1 conversations-<uuid>/*.json files";

type Node = { id: string; parent?: string; message: Record<string, unknown> };
type TreeNode = Node & { order: number; hasMessage: boolean };

function partsText(content: Record<string, unknown>): string {
  const parts = Array.isArray(content.parts) ? content.parts : [];
  const out: string[] = [];
  for (const part of parts) {
    if (typeof part === "string") {
      if (part !== "") out.push(part);
    } else if (isRecord(part)) {
      const type = str(part.content_type) ?? "";
      if (type.includes("image")) out.push("[image]");
      else if (typeof part.text === "string") out.push(part.text);
    }
  }
  return out.join("\n");
}

/**
 * The text of a message's `content`, whatever its `content_type`.
 *
 * @param content The `message.content` object.
 * @returns The text.
 */
export function contentText(content: unknown): string {
  if (!isRecord(content)) return flattenContent(content);
  const type = str(content.content_type) ?? "text";
  if (Array.isArray(content.parts)) return partsText(content);
  if (type === "thoughts" && Array.isArray(content.thoughts)) {
    return content.thoughts.map((t) => isRecord(t) ? flattenContent(t.content ?? t.summary) : "")
      .filter((t) => t !== "").join("\n\n");
  }
  if (typeof content.text === "string") return content.text;
  if (typeof content.result === "string") return content.result;
  return flattenContent(content.content ?? "");
}

function parseInput(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : text;
  } catch {
    return text;
  }
}

/** The nodes of the active branch, root first. */
function activeBranch(
  mapping: Record<string, unknown>,
  currentNode: string | undefined,
  warnings: Warning[],
): Node[] {
  const nodes = new Map<string, TreeNode>();
  let order = 0;
  for (const [key, raw] of Object.entries(mapping)) {
    if (!isRecord(raw)) continue;
    const id = str(raw.id) ?? key;
    const node: TreeNode = {
      id,
      message: isRecord(raw.message) ? raw.message : {},
      order: order++,
      hasMessage: isRecord(raw.message),
    };
    const parent = str(raw.parent);
    if (parent !== undefined) node.parent = parent;
    nodes.set(key, node);
    if (id !== key && !nodes.has(id)) nodes.set(id, node);
  }
  const hasMessage = (n: TreeNode): boolean => n.hasMessage;
  if (currentNode !== undefined && nodes.has(currentNode)) {
    const chain: TreeNode[] = [];
    const seen = new Set<string>();
    let at: TreeNode | undefined = nodes.get(currentNode);
    while (at !== undefined && !seen.has(at.id)) {
      seen.add(at.id);
      chain.push(at);
      at = at.parent === undefined ? undefined : nodes.get(at.parent);
    }
    return chain.reverse().filter(hasMessage);
  }
  if (currentNode !== undefined) {
    warnings.push({
      code: "missing-current-node",
      message: `current_node "${currentNode}" is not in the mapping; messages are ordered by time`,
    });
  }
  const unique = [...new Set(nodes.values())].filter(hasMessage);
  return unique.sort((a, b) => {
    const ta = parseTimestamp(a.message.create_time);
    const tb = parseTimestamp(b.message.create_time);
    if (ta !== undefined && tb !== undefined && ta !== tb) return ta - tb;
    if (ta !== undefined && tb === undefined) return -1;
    if (ta === undefined && tb !== undefined) return 1;
    return a.order - b.order;
  });
}

function newMessage(role: Message["role"], text: string, time: number | undefined): Message {
  const message: Message = { index: 0, role, text, toolCalls: [], toolResults: [] };
  if (time !== undefined) message.timestamp = time;
  return message;
}

/** The state of the conversion of one branch into canonical messages. */
interface Builder {
  messages: Message[];
  pending: ToolCall[];
  models: string[];
  synthesized: number;
}

function lastAssistant(b: Builder, time: number | undefined): Message {
  const last = b.messages.at(-1);
  if (last?.role === "assistant") return last;
  const message = newMessage("assistant", "", time);
  b.messages.push(message);
  return message;
}

function addNode(b: Builder, node: Node): void {
  const m = node.message;
  const author = isRecord(m.author) ? m.author : {};
  const role = str(author.role) ?? "assistant";
  const content = isRecord(m.content) ? m.content : {};
  const type = str(content.content_type) ?? "text";
  const metadata = isRecord(m.metadata) ? m.metadata : {};
  const time = parseTimestamp(m.create_time);
  const text = contentText(m.content);
  const model = str(metadata.model_slug);
  if (model !== undefined) b.models.push(model);
  const hidden = metadata.is_visually_hidden_from_conversation === true;

  if (role === "system" || (role === "user" && (hidden || type === "user_editable_context"))) {
    if (text.trim() !== "") b.messages.push(newMessage("system", text, time));
    return;
  }
  if (role === "user") {
    if (text.trim() === "") return;
    b.messages.push(newMessage("user", text, time));
    b.pending = [];
    return;
  }
  if (role === "tool") {
    const name = str(author.name) ?? "tool";
    let at = b.pending.findIndex((c) => c.name === name);
    if (at === -1 && b.pending.length > 0) at = 0;
    let call: ToolCall;
    if (at === -1) {
      call = { id: node.id, name, input: {} };
      lastAssistantBeforeTools(b, time).toolCalls.push(call);
      b.synthesized++;
    } else {
      call = b.pending.splice(at, 1)[0] as ToolCall;
    }
    const last = b.messages.at(-1);
    const tool = last?.role === "tool" ? last : newMessage("tool", "", time);
    if (tool !== last) b.messages.push(tool);
    const status = isRecord(metadata.aggregate_result) ? str(metadata.aggregate_result.status) : "";
    tool.toolResults.push({
      callId: call.id,
      output: text,
      isError: type === "system_error" || /error|exception|fail/i.test(status ?? ""),
      name,
    });
    return;
  }
  // assistant (or an unknown role, treated as the assistant)
  const recipient = str(m.recipient) ?? "all";
  if (recipient !== "all") {
    const call: ToolCall = { id: node.id, name: recipient, input: parseInput(text) };
    const host = lastAssistant(b, time);
    host.toolCalls.push(call);
    if (model !== undefined) host.author ??= model;
    b.pending.push(call);
    return;
  }
  if (type === "thoughts") {
    if (text.trim() === "") return;
    const host = lastAssistant(b, time);
    host.reasoning = host.reasoning === undefined ? text : `${host.reasoning}\n\n${text}`;
    return;
  }
  if (type === "reasoning_recap" || text.trim() === "") return;
  const host = lastAssistant(b, time);
  host.text = host.text === "" ? text : `${host.text}\n\n${text}`;
  if (model !== undefined) host.author ??= model;
}

function lastAssistantBeforeTools(b: Builder, time: number | undefined): Message {
  const last = b.messages.at(-1);
  if (last?.role === "tool") {
    const before = b.messages.at(-2);
    if (before?.role === "assistant") return before;
  }
  return lastAssistant(b, time);
}

/**
 * Reads a ChatGPT v1 conversation file.
 *
 * @param path The `<id>.json` file.
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` for an encrypted file or one with no message.
 */
export async function readChatgptSession(path: string): Promise<ReadResult> {
  const folder = nodePath.basename(nodePath.dirname(path));
  if (conversationDirKind(folder) === "encrypted" || path.endsWith(".data")) {
    throw new CasrError(
      "parse-failed",
      `Cannot read ChatGPT conversation "${path}": ${ENCRYPTED_REASON}`,
      {
        details: { path, encrypted: true },
      },
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(await fsp.readFile(path, "utf8"));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw parseFailed(path, reason, { cause: error });
  }
  if (!isRecord(doc)) {
    throw parseFailed(path, "not a ChatGPT conversation");
  }
  const warnings: Warning[] = [];
  const b: Builder = { messages: [], pending: [], models: [], synthesized: 0 };
  if (isRecord(doc.mapping)) {
    for (const node of activeBranch(doc.mapping, str(doc.current_node), warnings)) addNode(b, node);
  } else if (Array.isArray(doc.messages)) {
    doc.messages.forEach((raw, i) => {
      if (!isRecord(raw)) return;
      const message: Record<string, unknown> = {
        author: { role: str(raw.role) ?? (isRecord(raw.author) ? raw.author.role : undefined) },
        content: typeof raw.content === "string"
          ? { content_type: "text", parts: [raw.content] }
          : raw.content,
        create_time: raw.create_time ?? raw.timestamp,
      };
      addNode(b, { id: str(raw.id) ?? `m${i}`, message });
    });
  }
  if (b.synthesized > 0) {
    warnings.push({
      code: "synthesized-tool-call",
      message: `${plural(b.synthesized, "tool message")} had no call before them; casr added calls`,
    });
  }
  if (!b.messages.some((m) => m.role === "user" || m.role === "assistant")) {
    throw parseFailed(path, "no ChatGPT messages found");
  }
  const messages = reindexMessages(b.messages);
  const stem = nodePath.basename(path).replace(/\.json$/i, "");
  const session: Session = {
    id: str(doc.id) ?? str(doc.conversation_id) ?? stem,
    provider: CHATGPT_ID,
    messages,
    metadata: {},
    sourcePath: path,
  };
  const title = str(doc.title) ??
    messages.find((m) => m.role === "user")?.text.trim().split("\n")[0];
  if (title !== undefined) session.title = title;
  const model = str(doc.model) ?? b.models.at(-1);
  if (model !== undefined) session.model = model;
  const times = messages.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  const start = parseTimestamp(doc.create_time) ?? times[0];
  if (start !== undefined) session.startedAt = start;
  const end = parseTimestamp(doc.update_time) ?? times.at(-1);
  if (end !== undefined) session.endedAt = end;
  if (str(doc.gizmo_id)) session.metadata.gizmoId = doc.gizmo_id;
  return { session, warnings };
}
