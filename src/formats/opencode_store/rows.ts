/**
 * The rows of a new OpenCode-store session, built from a canonical session:
 * one `session` row, one `message` row per user prompt and per assistant
 * reply, and their `part` rows (text, file, tool, step-start/step-finish), shaped
 * like the rows OpenCode 1.18.33 (and Kilo CLI 7.7.9) write themselves.
 *
 * Images: a user message's images become `file` parts with a base64 `data:` URL
 * (as OpenCode stores an attached image), a tool result's images the
 * `state.attachments` of its `tool` part (as OpenCode's `read` tool stores an
 * image it read); OpenCode sends both to the model again. Only JPEG, PNG, GIF
 * and WebP up to 5 MB with their bytes are written (what the model APIs take);
 * any other image is dropped with a warning.
 *
 * @module
 */
import * as path from "node:path";
import { toolInputObject } from "../../model/normalize.ts";
import type { ImageContent, Message, Session, Warning } from "../../model/types.ts";
import { anthropicImageProblem, imageDataUrl } from "../images.ts";
import { AscendingIds, slugFor } from "./ids.ts";
import type { ProjectChoice } from "./project.ts";
import { fillTimestamps } from "../../internal/times.ts";
import type { StoreFlavor } from "./flavor.ts";
import { plural } from "../../internal/plural.ts";

/** The model used when the database names none. */
export const DEFAULT_MODEL = { providerID: "anthropic", modelID: "claude-sonnet-4-5" } as const;

/** A row as column → value. */
export type Row = Record<string, string | number | null>;

/** Everything to insert. */
export interface SessionRows {
  /** The `session` row. */
  session: Row;
  /** `message` rows in order. */
  messages: Row[];
  /** `part` rows in order. */
  parts: Row[];
  /** The `project` row to create when it does not exist. */
  project: Row;
}

/** Inputs of {@linkcode buildRows}. */
export interface BuildRowsOptions {
  /** The agent (its version, default agent and name). */
  flavor: StoreFlavor;
  /** The new session id. */
  id: string;
  /** The session's directory. */
  workspace: string;
  /** Its project. */
  project: ProjectChoice;
  /** The model to name. */
  model: { providerID: string; modelID: string };
  /** "Now", epoch ms. */
  now: number;
}

/** A title from the first prompt, as OpenCode's own fallback title: its first line, ≤ 50 chars. */
function titleOf(session: Session, messages: readonly Message[]): string {
  const given = session.title?.trim();
  if (given) return given;
  const prompt = messages.find((m) => m.role === "user")?.text.trim() ?? "";
  const line = prompt.split("\n", 1)[0]?.trim() ?? "";
  return (line.length > 50 ? `${line.slice(0, 47)}...` : line) || "Converted session";
}

const ZERO_TOKENS = { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } };

/** The images that can be written as `file` parts; a warning for each other one. */
function writableImages(
  images: readonly ImageContent[] | undefined,
  where: string,
  warnings: Warning[],
): { mime: string; url: string; filename?: string }[] {
  const out: { mime: string; url: string; filename?: string }[] = [];
  for (const image of images ?? []) {
    const problem = anthropicImageProblem(image);
    const url = imageDataUrl(image);
    if (problem !== undefined || url === undefined) {
      const name = image.source === undefined ? image.mediaType : `"${image.source}"`;
      warnings.push({
        code: "dropped-image",
        message: `Dropped an image (${name}) of ${where}: ${problem ?? "it has no data"}`,
      });
      continue;
    }
    const file: { mime: string; url: string; filename?: string } = { mime: image.mediaType, url };
    const filename = image.source?.split(/[\\/]/).pop();
    if (filename) file.filename = filename;
    out.push(file);
  }
  return out;
}

/**
 * Builds the rows.
 *
 * @param session The canonical (repaired) session.
 * @param options Id, workspace, project, model and time.
 * @param warnings Receives what could not be written.
 * @returns The rows.
 */
export function buildRows(
  session: Session,
  options: BuildRowsOptions,
  warnings: Warning[],
): SessionRows {
  const messages = session.messages.filter((m) =>
    m.role === "user" || m.role === "assistant" || m.role === "tool"
  );
  const times = fillTimestamps(messages, options.now);
  const msgIds = new AscendingIds("msg");
  const prtIds = new AscendingIds("prt");
  const { id: sessionId, workspace, model, flavor } = options;
  const agent = flavor.agent;
  const messageRows: Row[] = [];
  const partRows: Row[] = [];
  /** Tool parts waiting for their result, by canonical call id. */
  const pending = new Map<string, Record<string, unknown>[]>();
  const pendingRows: { row: Row; data: Record<string, unknown> }[] = [];
  /** The assistant message each tool part belongs to. */
  const pendingOwner = new Map<Record<string, unknown>, string>();
  const usedCallIds = new Set<string>();
  let lastUser: string | undefined;
  let reasoningDropped = 0;

  const addMessage = (ms: number, data: Record<string, unknown>): string => {
    const id = msgIds.next(ms);
    messageRows.push({
      id,
      session_id: sessionId,
      time_created: ms,
      time_updated: ms,
      data: JSON.stringify(data),
    });
    return id;
  };
  const addPart = (messageId: string, ms: number, data: Record<string, unknown>): Row => {
    const row: Row = {
      id: prtIds.next(ms),
      message_id: messageId,
      session_id: sessionId,
      time_created: ms,
      time_updated: ms,
      data: JSON.stringify(data),
    };
    partRows.push(row);
    return row;
  };

  messages.forEach((message, i) => {
    const ms = times[i] ?? options.now;
    if (message.role === "user") {
      const files = writableImages(message.images, `message ${message.index}`, warnings);
      if (message.text.trim() === "" && files.length === 0) return;
      lastUser = addMessage(ms, {
        role: "user",
        time: { created: ms },
        agent,
        model: { providerID: model.providerID, modelID: model.modelID },
      });
      if (message.text.trim() !== "") addPart(lastUser, ms, { type: "text", text: message.text });
      for (const file of files) addPart(lastUser, ms, { type: "file", ...file });
      return;
    }
    if (message.role === "assistant") {
      if (message.reasoning) reasoningDropped++;
      if (message.text.trim() === "" && message.toolCalls.length === 0) return;
      const finish = message.toolCalls.length > 0 ? "tool-calls" : "stop";
      const end = times[i + 1] ?? ms;
      const id = addMessage(ms, {
        parentID: lastUser ?? "",
        role: "assistant",
        mode: agent,
        agent,
        path: { cwd: workspace, root: options.project.worktree },
        cost: 0,
        tokens: ZERO_TOKENS,
        modelID: model.modelID,
        providerID: model.providerID,
        time: { created: ms, completed: Math.max(ms, end) },
        finish,
      });
      addPart(id, ms, { type: "step-start" });
      if (message.text !== "") {
        addPart(id, ms, { type: "text", text: message.text, time: { start: ms, end: ms } });
      }
      for (const call of message.toolCalls) {
        let callId = call.id.trim() === "" ? `call_${partRows.length}` : call.id;
        for (let k = 2; usedCallIds.has(callId); k++) callId = `${call.id || "call"}-${k}`;
        usedCallIds.add(callId);
        const data: Record<string, unknown> = {
          type: "tool",
          tool: call.name,
          callID: callId,
          state: { status: "running", input: toolInputObject(call.input), time: { start: ms } },
        };
        const row = addPart(id, ms, data);
        pendingOwner.set(data, id);
        const queue = pending.get(call.id) ?? [];
        queue.push(data);
        pending.set(call.id, queue);
        pendingRows.push({ row, data });
      }
      addPart(id, ms, { type: "step-finish", reason: finish, cost: 0, tokens: ZERO_TOKENS });
      return;
    }
    // A tool message: its results complete the tool parts of the calls they answer.
    if (message.text.trim() !== "") {
      warnings.push({
        code: "tool-text-dropped",
        message:
          `Dropped the text of tool message ${message.index}: ${flavor.app} keeps only results`,
      });
    }
    for (const result of message.toolResults) {
      const data = pending.get(result.callId)?.shift();
      if (data === undefined) {
        warnings.push({
          code: "orphan-result-dropped",
          message: `Dropped a result for call "${result.callId}": no tool call precedes it`,
        });
        continue;
      }
      const state = data.state as Record<string, unknown>;
      const start = (state.time as { start: number }).start;
      const time = { start, end: Math.max(start, ms) };
      const where = `the result of call "${result.callId}"`;
      if (result.isError) {
        if ((result.images ?? []).length > 0) {
          warnings.push({
            code: "dropped-image",
            message:
              `Dropped the images of ${where}: ${flavor.app} keeps no images on a failed call`,
          });
        }
        data.state = {
          status: "error",
          input: state.input,
          error: result.output,
          metadata: {},
          time,
        };
        continue;
      }
      const completed: Record<string, unknown> = {
        status: "completed",
        input: state.input,
        output: result.output,
        title: "",
        metadata: {},
        time,
      };
      const files = writableImages(result.images, where, warnings);
      const owner = pendingOwner.get(data);
      if (files.length > 0 && owner !== undefined) {
        completed.attachments = files.map((file) => ({
          id: prtIds.next(ms),
          sessionID: sessionId,
          messageID: owner,
          type: "file",
          ...file,
        }));
      }
      data.state = completed;
    }
  });
  // Re-serialise the tool parts now that their results are in.
  for (const { row, data } of pendingRows) row.data = JSON.stringify(data);
  if (reasoningDropped > 0) {
    warnings.push({
      code: "reasoning-dropped",
      message: `Dropped the reasoning of ${
        plural(reasoningDropped, "message")
      }: ${flavor.app} would send it back to the model as reasoning without the provider's signature`,
    });
  }

  const first = messageRows[0]?.time_created ?? options.now;
  const last = messageRows.at(-1)?.time_created ?? first;
  const worktree = options.project.worktree;
  const relative = path.relative(worktree, workspace).split(path.sep).join("/");
  return {
    session: {
      id: sessionId,
      project_id: options.project.id,
      slug: slugFor(sessionId),
      directory: workspace,
      path: relative,
      title: titleOf(session, messages),
      version: flavor.writerVersion,
      agent,
      model: JSON.stringify({ id: model.modelID, providerID: model.providerID }),
      time_created: first,
      time_updated: last,
    },
    messages: messageRows,
    parts: partRows,
    project: {
      id: options.project.id,
      worktree,
      vcs: options.project.vcs ?? null,
      time_created: options.now,
      time_updated: options.now,
      sandboxes: "[]",
    },
  };
}

function parse(text: string | number | null | undefined): Record<string, unknown> {
  return JSON.parse(String(text)) as Record<string, unknown>;
}

/**
 * The `opencode export` / `opencode import` JSON for the rows (`kilo import`
 * reads the same shape).
 *
 * @param rows The rows.
 * @returns `{info, messages: [{info, parts}]}`.
 */
export function exportShape(rows: SessionRows): Record<string, unknown> {
  const s = rows.session;
  const partsOf = new Map<string, Record<string, unknown>[]>();
  for (const part of rows.parts) {
    const list = partsOf.get(String(part.message_id)) ?? [];
    list.push({
      ...parse(part.data),
      id: part.id,
      sessionID: s.id,
      messageID: part.message_id,
    });
    partsOf.set(String(part.message_id), list);
  }
  return {
    info: {
      id: s.id,
      slug: s.slug,
      projectID: s.project_id,
      directory: s.directory,
      title: s.title,
      version: s.version,
      time: { created: s.time_created, updated: s.time_updated },
    },
    messages: rows.messages.map((m) => ({
      info: { ...parse(m.data), id: m.id, sessionID: s.id },
      parts: partsOf.get(String(m.id)) ?? [],
    })),
  };
}
