/**
 * Planning a new Kiro session from a canonical session, in the G2 store
 * (`~/.kiro/sessions/cli/<uuid>.json` + `<uuid>.jsonl`).
 *
 * Why G2: it is the only generation with a writer checklist in
 * shared/providers/kiro.md (G1's database is shared by every conversation and
 * G3's schema is unpublished), casr v0.3.0 wrote it, and Kiro's own V1 → V2
 * exporter writes the same two files, so Kiro 2.x loads them by design. Shapes
 * are those of Kiro's public source (`event_log.rs`, `agent_loop/types.rs`,
 * `session/mod.rs`): every `ToolResults` line carries a `results` map (it has
 * no serde default; an empty map is what the exporter writes), and `Prompt`
 * lines carry `meta.timestamp` in epoch seconds. casr also puts the same
 * `meta` on `AssistantMessage` and `ToolResults` lines, which Kiro's format
 * lacks: its serde ignores unknown fields, and without it every reply would
 * read back untimed. A prompt that follows tool results stays its own
 * `Prompt` line (whether Kiro then sends two user turns in a row is unknown).
 * Reasoning is dropped (Kiro's thinking blocks carry a Bedrock signature);
 * system and other messages are skipped. No `.lock` and no `.history` file.
 *
 * @module
 */
import * as nodePath from "node:path";
import type { Session, Warning } from "../../model/types.ts";
import type { PlanWriteOptions, ProviderContext, ResumeCommand, WritePlan } from "../types.ts";
import { toolInputObject } from "../../model/normalize.ts";
import { isoTime, uuidV4 } from "../../internal/ids.ts";
import { jsonLines } from "../../internal/jsonl.ts";
import { fillTimestamps } from "../../internal/times.ts";
import { sanitizeToolId } from "../../formats/anthropic.ts";
import { resumeIn } from "../../internal/shell.ts";
import { generationOf, kiroG2Dir } from "./paths.ts";
import { nothingToWrite, uuidSessionId, writtenTitle } from "../../formats/writing.ts";
import { plural } from "../../internal/plural.ts";

/** Said with every Kiro resume command: nothing here ran a real kiro-cli. */
export const UNVERIFIED_NOTE =
  "Unverified: kiro-cli could not be run here; casr writes Kiro 2.x's sessions/cli files (a kiro-cli on the v3 engine may not list them)";

/**
 * The command that resumes a Kiro session: `kiro-cli chat --resume-id <id>`,
 * run in its working directory (the picker and `--resume` are per directory).
 *
 * @param session The session id, workspace and path.
 * @returns The command.
 */
export function kiroResumeCommand(
  session: { id: string; workspace?: string; path?: string },
): ResumeCommand {
  const command = resumeIn(["kiro-cli", "chat", "--resume-id", session.id], session.workspace);
  const generation = session.path !== undefined ? generationOf(session.path) : "g2";
  command.note = generation === "g1"
    ? 'A conversation of Kiro\'s older SQLite store: kiro-cli 2.x shows it as "(legacy)" in `kiro-cli chat --resume-picker` and copies it to its sessions/cli store when opened (unverified here)'
    : generation === "g3"
    ? "A session of Kiro's v3 engine store (sessions/<workspace>/sess_<id>): resume it with the v3 engine (unverified here)"
    : UNVERIFIED_NOTE;
  return command;
}

/** RFC 3339 with microseconds, as Kiro writes it: `2026-11-20T10:00:00.123000Z`. */
export function rfc3339Micros(ms: number): string {
  return isoTime(ms).replace(/\.(\d{3})Z$/, ".$1000Z");
}

/**
 * Plans a new Kiro (G2) session for `session`, without writing anything.
 *
 * @param session The canonical session.
 * @param ctx Where the `.kiro` folder is.
 * @param options The target workspace, "now" and the wanted session id.
 * @returns The files to write and the resume command.
 * @throws {CasrError} `invalid-session` when nothing can be written.
 */
export function planKiroSession(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [{ code: "unverified-target", message: UNVERIFIED_NOTE }];
  const workspace = nodePath.resolve(options.workspace);
  const sessionId = uuidSessionId(
    options.sessionId,
    uuidV4,
    warnings,
    "Kiro session ids are UUIDs",
  );
  const times = fillTimestamps(session.messages, options.now);
  const idMap = new Map<string, string>();
  const lines: { version: "v1"; kind: string; data: Record<string, unknown> }[] = [];
  let reasoningDropped = 0;
  let conversation = 0;
  session.messages.forEach((message, i) => {
    const time = times[i] as number;
    if (message.role === "user") {
      if (message.text.trim() === "") return;
      lines.push({
        version: "v1",
        kind: "Prompt",
        data: {
          message_id: uuidV4(),
          content: [{ kind: "text", data: message.text }],
          meta: { timestamp: Math.round(time / 1000) },
        },
      });
      conversation++;
    } else if (message.role === "assistant") {
      if (message.reasoning?.trim()) reasoningDropped++;
      if (message.text === "" && message.toolCalls.length === 0) return;
      const content: unknown[] = [];
      if (message.text !== "") content.push({ kind: "text", data: message.text });
      for (const call of message.toolCalls) {
        content.push({
          kind: "toolUse",
          data: {
            toolUseId: sanitizeToolId(call.id, idMap),
            name: call.name,
            input: toolInputObject(call.input),
          },
        });
      }
      lines.push({
        version: "v1",
        kind: "AssistantMessage",
        data: { message_id: uuidV4(), content, meta: { timestamp: Math.round(time / 1000) } },
      });
      conversation++;
    } else if (message.role === "tool" && message.toolResults.length > 0) {
      lines.push({
        version: "v1",
        kind: "ToolResults",
        data: {
          message_id: uuidV4(),
          content: message.toolResults.map((result) => ({
            kind: "toolResult",
            data: {
              toolUseId: sanitizeToolId(result.callId, idMap),
              content: [{ kind: "text", data: result.output }],
              status: result.isError ? "error" : "success",
            },
          })),
          results: {},
          meta: { timestamp: Math.round(time / 1000) },
        },
      });
      conversation++;
    }
  });
  if (conversation === 0) {
    return Promise.reject(
      nothingToWrite(session),
    );
  }
  if (reasoningDropped > 0) {
    warnings.push({
      code: "reasoning-dropped",
      message: `Dropped the reasoning of ${
        plural(reasoningDropped, "message")
      }: Kiro's thinking blocks need a model signature`,
    });
  }
  const first = times[0] ?? options.now;
  const last = times.length > 0 ? times.reduce((a, b) => Math.max(a, b)) : options.now;
  const meta = {
    session_id: sessionId,
    cwd: workspace,
    created_at: rfc3339Micros(first),
    updated_at: rfc3339Micros(last),
    title: writtenTitle(session, { userFirst: true }),
    parent_session_id: null,
    session_created_reason: null,
    session_state: {
      version: "v1",
      conversation_metadata: {
        user_turn_metadatas: [],
        user_turn_start_request: null,
        last_request: null,
      },
      rts_model_state: {
        conversation_id: sessionId,
        model_info: null,
        context_usage_percentage: null,
      },
      permissions: {
        filesystem: {
          allowed_read_paths: [workspace],
          allowed_write_paths: [],
          denied_read_paths: [],
          denied_write_paths: [],
        },
        trusted_tools: [],
        denied_tools: [],
        allowed_commands: [],
      },
      agent_name: null,
    },
  };
  const dir = kiroG2Dir(ctx);
  const journal = nodePath.join(dir, `${sessionId}.jsonl`);
  return Promise.resolve({
    sessionId,
    primaryPath: journal,
    files: [
      { path: journal, data: jsonLines(lines), mode: 0o600 },
      {
        path: nodePath.join(dir, `${sessionId}.json`),
        data: JSON.stringify(meta, null, 2),
        mode: 0o600,
      },
    ],
    effects: [],
    resume: kiroResumeCommand({ id: sessionId, workspace: options.workspace }),
    warnings,
  });
}
