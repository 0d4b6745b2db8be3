/**
 * Kiro G3 (the `v3` engine of 2.20+): `~/.kiro/sessions/<workspace-hash>/sess_<uuid>/`
 * with `messages.jsonl` and `session.json`. No schema is published; the
 * shapes come from aws-bench's Kiro trajectory parser (records
 * `{id, timestamp, payload:{type,…}}`; `session.json` with `id`, `modelId`,
 * `lastModifiedAt`) and are unconfirmed:
 * - `user` `{content}` → user;
 * - `assistant` `{content, operationType}` → assistant text when the
 *   operation is `Say` (or absent); other operations are skipped;
 * - `tool_call` `{toolCallId, toolName, args}` → a call of the assistant
 *   message it follows;
 * - `tool_result` `{toolCallId, content, success}` → a result (`success:false`
 *   is an error);
 * - `usage_summary` and unknown types are skipped.
 *
 * @module
 */
import * as nodePath from "node:path";
import * as fsp from "node:fs/promises";
import type { Message, ReadResult, Warning } from "../../model/types.ts";
import { flattenContent, parseTimestamp } from "../../model/normalize.ts";
import { isRecord, str } from "../../internal/jsonl.ts";
import { nothingToRead, readJsonlSession, skippedLine } from "../../formats/jsonl_session.ts";
import { finishSession, newMessage, pushResult, toolOutput } from "./common.ts";
import { plural } from "../../internal/plural.ts";

/** The fields casr uses from a G3 `session.json`. */
export interface KiroG3Meta {
  /** `id` (without a `sess_` prefix). */
  id?: string;
  /** `cwd`, else `workspace`/`workspacePath`/`workingDirectory`. */
  cwd?: string;
  /** `title`. */
  title?: string;
  /** `modelId`. */
  model?: string;
  /** `createdAt`, epoch ms. */
  createdAt?: number;
  /** `lastModifiedAt`, epoch ms. */
  updatedAt?: number;
}

/**
 * The casr id of a G3 session folder: its name without `sess_`.
 *
 * @param dir The `sess_<uuid>` folder.
 * @returns The id.
 */
export function g3IdOf(dir: string): string {
  return nodePath.basename(dir).replace(/^sess_/, "");
}

/**
 * Reads a G3 `session.json` leniently.
 *
 * @param dir The `sess_<uuid>` folder.
 * @returns The fields found.
 */
export async function readG3Meta(dir: string): Promise<KiroG3Meta> {
  let value: unknown;
  try {
    value = JSON.parse(await fsp.readFile(nodePath.join(dir, "session.json"), "utf8"));
  } catch {
    return {};
  }
  if (!isRecord(value)) return {};
  const out: KiroG3Meta = {};
  const id = str(value.id) ?? str(value.sessionId);
  if (id !== undefined) out.id = id.replace(/^sess_/, "");
  const cwd = str(value.cwd) ?? str(value.workspace) ?? str(value.workspacePath) ??
    str(value.workingDirectory);
  if (cwd !== undefined) out.cwd = cwd;
  const title = str(value.title);
  if (title !== undefined) out.title = title;
  const model = str(value.modelId);
  if (model !== undefined) out.model = model;
  const created = parseTimestamp(value.createdAt);
  if (created !== undefined) out.createdAt = created;
  const updated = parseTimestamp(value.lastModifiedAt);
  if (updated !== undefined) out.updatedAt = updated;
  return out;
}

function text(content: unknown): string {
  return typeof content === "string" ? content : flattenContent(content);
}

/**
 * Reads a G3 session leniently.
 *
 * @param path The `messages.jsonl` file (or `session.json`).
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when the file holds no conversation.
 */
export async function readKiroG3(path: string): Promise<ReadResult> {
  const dir = nodePath.dirname(path);
  const file = nodePath.join(dir, "messages.jsonl");
  const warnings: Warning[] = [];
  const messages: Message[] = [];
  let events = 0;
  let skipped = 0;
  const lines = await readJsonlSession(file, warnings, (record, at) => {
    const payload = isRecord(record) && isRecord(record.payload) ? record.payload : undefined;
    if (payload === undefined || typeof payload.type !== "string") {
      warnings.push(skippedLine(file, at, "not a Kiro message event"));
      return;
    }
    events++;
    const time = parseTimestamp((record as Record<string, unknown>).timestamp);
    const last = messages.at(-1);
    switch (payload.type) {
      case "user":
        messages.push(newMessage("user", text(payload.content), time));
        break;
      case "assistant": {
        const op = payload.operationType;
        if (op !== undefined && op !== "Say") {
          skipped++;
          break;
        }
        messages.push(newMessage("assistant", text(payload.content), time));
        break;
      }
      case "tool_call": {
        let target = last;
        if (target?.role !== "assistant") {
          target = newMessage("assistant", "", time);
          messages.push(target);
        }
        target.toolCalls.push({
          id: str(payload.toolCallId) ?? `kiro_call_${at}`,
          name: str(payload.toolName) ?? "unknown",
          input: payload.args ?? {},
        });
        break;
      }
      case "tool_result": {
        const callId = str(payload.toolCallId);
        if (callId === undefined) break;
        pushResult(messages, {
          callId,
          output: toolOutput(payload.content),
          isError: payload.success === false,
        }, time);
        break;
      }
      default:
        break;
    }
  });
  if (messages.length === 0) {
    throw nothingToRead(
      file,
      lines,
      events === 0 ? "no Kiro message events found" : "no conversation in it",
    );
  }
  if (skipped > 0) {
    warnings.push({
      code: "kiro-operations-skipped",
      message: `Skipped ${plural(skipped, "assistant event")} whose operationType is not "Say"`,
    });
  }
  const meta = await readG3Meta(dir);
  return finishSession(
    {
      id: meta.id ?? g3IdOf(dir),
      sourcePath: file,
      workspace: meta.cwd,
      title: meta.title,
      model: meta.model,
      startedAt: meta.createdAt,
      endedAt: meta.updatedAt,
      metadata: { generation: "g3" },
    },
    messages,
    warnings,
  );
}
