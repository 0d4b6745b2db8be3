/**
 * Reads a `cursor-agent` chat (`~/.cursor/chats/<md5(cwd)>/<agentId>/store.db`).
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { CasrError } from "../../errors.ts";
import { flattenContent, parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import type {
  Message,
  ReadResult,
  Session,
  ToolCall,
  ToolResult,
  Warning,
} from "../../model/types.ts";
import { asRecord, errorText, nonEmpty, openReadOnly } from "./db.ts";
import { titleFromText } from "./desktop_reader.ts";
import { uriPath } from "./paths.ts";
import { jsonObject, readBlob, readMeta, walkRoot } from "./store_db.ts";

const QUERY_RE = /<user_query>\s*([\s\S]*?)\s*<\/user_query>/;
const THINK_RE = /<think>([\s\S]*?)<\/think>/g;

function parts(content: unknown): Record<string, unknown>[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  if (!Array.isArray(content)) return [];
  return content.map((p) => typeof p === "string" ? { type: "text", text: p } : asRecord(p))
    .filter((p): p is Record<string, unknown> => p !== undefined);
}

function parseArgs(value: unknown): unknown {
  if (typeof value !== "string") return value ?? {};
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function resultText(part: Record<string, unknown>): string {
  const value = part.result ?? part.output ?? part.content;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return flattenContent(value);
  const record = asRecord(value);
  if (record) {
    for (const key of ["output", "value", "text", "content", "contents"]) {
      const field = record[key];
      if (typeof field === "string") return field;
      if (Array.isArray(field)) return flattenContent(field);
    }
    return JSON.stringify(record);
  }
  return value === undefined || value === null ? "" : String(value);
}

/**
 * Canonical messages from the chat's JSON leaves. User leaves wrapped in
 * `<user_query>` are the prompts; when a chat has such leaves, other user
 * leaves (`<user_info>`, attached files) are injected context (`system`).
 *
 * @param leaves The message blobs, in order.
 * @param warnings Receives what was skipped.
 * @returns The messages.
 */
export function leavesToMessages(
  leaves: readonly (Record<string, unknown> | undefined)[],
  warnings: Warning[],
): Message[] {
  const hasQuery = leaves.some((l) =>
    l?.role === "user" &&
    parts(l.content).some((p) => typeof p.text === "string" && QUERY_RE.test(p.text))
  );
  const out: Message[] = [];
  leaves.forEach((leaf, position) => {
    if (!leaf) {
      warnings.push({
        code: "malformed-record",
        message: `Skipped message blob ${position + 1}: not JSON`,
      });
      return;
    }
    const role = leaf.role;
    const ps = parts(leaf.content);
    const texts = ps.filter((p) => p.type === "text" || p.type === undefined).map((p) =>
      typeof p.text === "string" ? p.text : ""
    );
    const base = (r: Message["role"], text: string): Message => ({
      index: 0,
      role: r,
      text,
      toolCalls: [],
      toolResults: [],
    });
    if (role === "system") {
      out.push(base("system", texts.join("\n")));
    } else if (role === "user") {
      const joined = texts.join("\n");
      const query = QUERY_RE.exec(joined);
      if (query) out.push(base("user", query[1] ?? ""));
      else out.push(base(hasQuery ? "system" : "user", joined));
    } else if (role === "assistant") {
      let text = texts.join("\n");
      const reasoning: string[] = [];
      text = text.replace(THINK_RE, (_m, inner: string) => {
        reasoning.push(inner.trim());
        return "";
      }).trim();
      const message = base("assistant", text);
      for (const p of ps) {
        if (p.type === "reasoning" && typeof p.text === "string") reasoning.push(p.text);
        if (p.type === "tool-call") {
          const call: ToolCall = {
            id: nonEmpty(p.toolCallId) ?? `cursor-call-${position}-${message.toolCalls.length}`,
            name: nonEmpty(p.toolName) ?? "unknown_tool",
            input: parseArgs(p.args ?? p.input),
          };
          message.toolCalls.push(call);
        }
      }
      const openAi = Array.isArray(leaf.tool_calls) ? leaf.tool_calls : [];
      for (const c of openAi) {
        const fn = asRecord(asRecord(c)?.function);
        message.toolCalls.push({
          id: nonEmpty(asRecord(c)?.id) ?? `cursor-call-${position}-${message.toolCalls.length}`,
          name: nonEmpty(fn?.name) ?? "unknown_tool",
          input: parseArgs(fn?.arguments),
        });
      }
      if (reasoning.length > 0) message.reasoning = reasoning.join("\n\n");
      out.push(message);
    } else if (role === "tool") {
      const results: ToolResult[] = [];
      for (const p of ps) {
        if (p.type !== "tool-result") continue;
        const result: ToolResult = {
          callId: nonEmpty(p.toolCallId) ?? "",
          output: resultText(p),
          isError: p.isError === true,
        };
        const name = nonEmpty(p.toolName);
        if (name !== undefined) result.name = name;
        results.push(result);
      }
      if (results.length === 0 && nonEmpty(leaf.tool_call_id)) {
        results.push({
          callId: String(leaf.tool_call_id),
          output: flattenContent(leaf.content),
          isError: false,
        });
      }
      const last = out.at(-1);
      if (last?.role === "tool") last.toolResults.push(...results);
      else if (results.length > 0) out.push({ ...base("tool", ""), toolResults: results });
    } else {
      warnings.push({
        code: "unknown-record",
        message: `Skipped message blob ${position + 1}: unknown role ${JSON.stringify(role)}`,
      });
    }
  });
  return out;
}

async function metaJsonCwd(file: string): Promise<string | undefined> {
  try {
    const meta = asRecord(
      JSON.parse(await fsp.readFile(path.join(path.dirname(file), "meta.json"), "utf8")),
    );
    return nonEmpty(meta?.cwd);
  } catch {
    return undefined;
  }
}

/**
 * Reads one CLI chat.
 *
 * @param file The chat's `store.db`.
 * @returns The session and warnings.
 * @throws {CasrError} `parse-failed` when the store has no readable messages.
 */
export async function readCliChat(file: string): Promise<ReadResult> {
  const dirId = path.basename(path.dirname(file));
  const db = await openReadOnly(file, `cursor-agent chat "${dirId}"`);
  const warnings: Warning[] = [];
  try {
    const meta = readMeta(db);
    const id = nonEmpty(meta?.agentId) ?? dirId;
    let leaves: (Record<string, unknown> | undefined)[] = [];
    let workspaceUri: string | undefined;
    try {
      const rootId = nonEmpty(meta?.latestRootBlobId);
      const root = rootId === undefined ? undefined : walkRoot(db, rootId);
      if (root) {
        workspaceUri = root.workspaceUri;
        root.messageIds.forEach((blobId, i) => {
          const bytes = readBlob(db, blobId);
          if (bytes === undefined) {
            warnings.push({
              code: "missing-record",
              message: `Skipped message ${i + 1}: blob ${blobId} is missing`,
            });
          } else {
            leaves.push(jsonObject(bytes));
          }
        });
      } else {
        warnings.push({
          code: "no-root",
          message:
            `cursor-agent chat "${id}" has no readable root blob; read every message blob in storage order (abandoned branches may be included)`,
        });
        leaves = db.prepare("SELECT data FROM blobs ORDER BY rowid").all().map((r) =>
          r.data instanceof Uint8Array || typeof r.data === "string"
            ? jsonObject(r.data instanceof Uint8Array ? r.data : new TextEncoder().encode(r.data))
            : undefined
        ).filter((l) => l !== undefined && typeof l.role === "string");
      }
    } catch (error) {
      throw new CasrError(
        "parse-failed",
        `Cannot read cursor-agent chat "${id}": ${errorText(error)}`,
        {
          details: { path: file },
          cause: error,
        },
      );
    }
    const messages = reindexMessages(leavesToMessages(leaves, warnings));
    if (!messages.some((m) => m.role === "user" || m.role === "assistant")) {
      throw new CasrError(
        "parse-failed",
        `Cannot read cursor-agent chat "${id}": it has no messages`,
        {
          details: { path: file },
        },
      );
    }
    const session: Session = {
      id,
      provider: "cursor",
      messages,
      metadata: { store: "cli" },
      sourcePath: file,
    };
    const workspace = (workspaceUri === undefined ? undefined : uriPath(workspaceUri)) ??
      await metaJsonCwd(file);
    if (workspace !== undefined) session.workspace = workspace;
    const name = nonEmpty(meta?.name)?.trim();
    const title = name !== undefined && name !== "New Agent"
      ? name
      : titleFromText(messages.find((m) => m.role === "user")?.text ?? "");
    if (title !== undefined) session.title = title;
    const created = parseTimestamp(meta?.createdAt);
    if (created !== undefined) session.startedAt = created;
    const model = nonEmpty(meta?.lastUsedModel);
    if (model !== undefined) session.model = model;
    if (nonEmpty(meta?.mode)) session.metadata.mode = meta?.mode;
    return { session, warnings };
  } finally {
    db.close();
  }
}
