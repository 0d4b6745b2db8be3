/**
 * Plans a converted Amp session. Current Amp (checked with `@sourcegraph/amp`
 * 0.0.1790142911-g7618fb) keeps threads on its server: `amp threads list`,
 * `export`, `markdown` and `continue` all ask `ampcode.com/api/internal`, and
 * the CLI never opens `threads/` (strace). `amp threads import` takes only
 * Codex and Claude Code sessions and creates read-only server threads. So the
 * Amp target does not pretend to resume; it writes two files to casr's own
 * folder (`<casr data dir>/amp/threads/`):
 *
 * - `T-<uuid>.json`: the thread in Amp's export shape (what local-first CLIs
 *   read), read back by casr to verify the conversion;
 * - `T-<uuid>.md`: a Markdown transcript (tool calls and results as text)
 *   with a short preamble, to seed a NEW Amp thread: `cd <ws> && amp < T-….md`.
 *
 * The plan carries an `amp-not-resumable` warning and the resume command a note.
 *
 * @module
 */
import * as path from "node:path";
import { flattenToolCalls } from "../../formats/tool_text.ts";
import { isoTime, isUuid, uuidV7 } from "../../internal/ids.ts";
import type { Session, Warning } from "../../model/types.ts";
import type { PlanWriteOptions, ProviderContext, WritePlan } from "../types.ts";
import { casrAmpDir, isThreadId } from "./paths.ts";
import { seedCommand, transcriptPathOf } from "./resume.ts";
import { builtinModule } from "../../internal/runtime.ts";

/** Amp reads at most this much of stdin as the first message. */
export const AMP_STDIN_LIMIT = 1048576;

function threadId(options: PlanWriteOptions, warnings: Warning[]): string {
  const wanted = options.sessionId;
  if (wanted !== undefined && isThreadId(wanted)) return wanted;
  if (wanted !== undefined && isUuid(wanted)) return `T-${wanted.toLowerCase()}`;
  if (wanted !== undefined) {
    warnings.push({
      code: "session-id-replaced",
      message: `Used a new id: Amp thread ids are "T-" and a UUID, not "${wanted}"`,
    });
  }
  return `T-${uuidV7(options.now)}`;
}

/**
 * The thread document for a session.
 *
 * @param session The canonical session (repaired).
 * @param id The thread id.
 * @param workspace The workspace.
 * @param now Fallback time, epoch ms.
 * @returns The document.
 */
export function threadDocument(
  session: Session,
  id: string,
  workspace: string,
  now: number,
): Record<string, unknown> {
  const messages: Record<string, unknown>[] = [];
  for (const m of session.messages) {
    const messageId = messages.length;
    if (m.role === "user") {
      const msg: Record<string, unknown> = {
        role: "user",
        messageId,
        content: [{ type: "text", text: m.text }],
      };
      if (m.timestamp !== undefined) msg.meta = { sentAt: m.timestamp };
      messages.push(msg);
    } else if (m.role === "assistant") {
      const content: Record<string, unknown>[] = [];
      if ((m.reasoning ?? "") !== "") content.push({ type: "thinking", thinking: m.reasoning });
      if (m.text !== "") content.push({ type: "text", text: m.text });
      for (const call of m.toolCalls) {
        content.push({
          type: "tool_use",
          id: call.id,
          name: call.name,
          input: call.input ?? {},
          complete: true,
        });
      }
      const msg: Record<string, unknown> = {
        role: "assistant",
        messageId,
        content,
        state: { type: "complete", stopReason: m.toolCalls.length > 0 ? "tool_use" : "end_turn" },
      };
      const usage: Record<string, unknown> = { model: m.author ?? session.model ?? "unknown" };
      if (m.timestamp !== undefined) usage.timestamp = isoTime(m.timestamp);
      msg.usage = usage;
      messages.push(msg);
    } else if (m.role === "tool" && m.toolResults.length > 0) {
      const msg: Record<string, unknown> = {
        role: "user",
        messageId,
        content: m.toolResults.map((r) => ({
          type: "tool_result",
          toolUseID: r.callId,
          run: r.isError
            ? { status: "error", error: { message: r.output } }
            : { status: "done", result: r.output },
        })),
      };
      // Amp itself leaves sentAt off result carriers; casr keeps the time so later
      // conversions do not have to guess it.
      if (m.timestamp !== undefined) msg.meta = { sentAt: m.timestamp };
      messages.push(msg);
    }
  }
  const created = session.messages.find((m) => m.timestamp !== undefined)?.timestamp ?? now;
  const doc: Record<string, unknown> = {
    v: messages.length,
    id,
    created,
    agentMode: "smart",
    nextMessageId: messages.length,
    env: {
      initial: {
        trees: [{ uri: fileUri(workspace), displayName: path.basename(workspace) }],
        platform: { client: "casr", clientType: "cli" },
      },
    },
    casr: { source: `${session.provider}:${session.id}` },
    messages,
  };
  if (session.title !== undefined) doc.title = session.title;
  return doc;
}

/**
 * The Markdown transcript that seeds a new Amp thread.
 *
 * @param session The canonical session.
 * @param sourceName Where it came from, for the preamble.
 * @param workspace The workspace.
 * @returns The Markdown.
 */
export function transcriptMarkdown(session: Session, workspace: string): string {
  const flat = flattenToolCalls(session).session;
  const parts = [
    `This is an earlier conversation from ${session.provider} (session ${session.id}, workspace ${workspace}), moved here by casr. Amp cannot import it as a thread, so it is pasted below. Tool calls and their results are shown as text. Read it, then continue from the last message; do not repeat work that is already done.`,
  ];
  for (const m of flat.messages) {
    if ((m.role !== "user" && m.role !== "assistant") || m.text.trim() === "") continue;
    parts.push(`## ${m.role === "user" ? "User" : "Assistant"}\n\n${m.text.trim()}`);
  }
  return `${parts.join("\n\n")}\n`;
}

/**
 * Plans the thread file and its transcript.
 *
 * @param session The canonical session.
 * @param ctx Where to write.
 * @param options Target workspace, time and id.
 * @returns The plan; nothing is written.
 */
export function planAmp(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [];
  const id = threadId(options, warnings);
  const file = path.join(casrAmpDir(ctx), `${id}.json`);
  const transcript = transcriptPathOf(file);
  const markdown = transcriptMarkdown(session, options.workspace);
  warnings.push({
    code: "amp-not-resumable",
    message:
      `Amp keeps threads on its server and cannot import this one: casr wrote the thread to ${file} and a transcript to ${transcript}; the command below starts a NEW Amp thread seeded with the transcript`,
  });
  const bytes = new TextEncoder().encode(markdown).length;
  if (bytes > AMP_STDIN_LIMIT) {
    warnings.push({
      code: "amp-transcript-truncated",
      message:
        `The transcript is ${bytes} bytes; Amp reads only the first ${AMP_STDIN_LIMIT} bytes of stdin, so the end of the conversation will be cut off`,
    });
  }
  return Promise.resolve({
    sessionId: id,
    primaryPath: file,
    files: [
      {
        path: file,
        data: `${
          JSON.stringify(threadDocument(session, id, options.workspace, options.now), null, 2)
        }\n`,
      },
      { path: transcript, data: markdown },
    ],
    effects: [],
    resume: seedCommand(transcript, options.workspace),
    warnings,
  });
}

/** `file:` URI of a path (`node:url` loads only when a thread is written). */
function fileUri(p: string): string {
  const url = builtinModule<typeof import("node:url")>("node:url");
  return url ? url.pathToFileURL(p).href : `file://${encodeURI(p)}`;
}
