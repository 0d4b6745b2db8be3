/**
 * Plans a new Aider chat history file for a canonical session.
 *
 * Where: casr's own folder (`<casr data dir>/aider/<id>.aider.chat.history.md`,
 * see `paths.ts`), never the project's `.aider.chat.history.md`: Aider's
 * `--restore-chat-history` loads EVERY session of the file it is given, so the
 * converted session needs a file of its own, and the user's project stays
 * untouched. The resume command names the file with `--chat-history-file`.
 *
 * What, in Aider's own shape (`aider/io.py`):
 * - `\n# aider chat started at <local time>\n`, then casr's `# casr {…}` line
 *   (id, workspace, source, exact start time; Aider's restore skips `# ` lines);
 * - each user message as `#### ` lines ending with two spaces, after a blank
 *   line (an empty message is `#### <blank>`, as Aider writes empty input);
 * - each assistant reply as `\n<text>\n\n`, with every line that Aider would
 *   misread (`# `, `#### `, `> `) indented by one space;
 * - tool calls and results, which Aider cannot store, rendered as text inside
 *   the reply (`src/formats/tool_text.ts`) with a `tool-calls-as-text`
 *   warning: the restored model sees what was run and what came back;
 * - system and other messages are skipped; reasoning is dropped (warned).
 *
 * @module
 */
import { uuidV4 } from "../../internal/ids.ts";
import { flattenToolCalls } from "../../formats/tool_text.ts";
import type { Session, Warning } from "../../model/types.ts";
import type { PlanWriteOptions, ProviderContext, WritePlan } from "../types.ts";
import {
  CASR_MARKER_PREFIX,
  formatHeader,
  renderAssistantText,
  renderUserLines,
} from "./markdown.ts";
import { storeFilePath } from "./paths.ts";
import { aiderResumeCommand } from "./resume.ts";
import { plural } from "../../internal/plural.ts";

/** Ids casr accepts for Aider sessions (they become part of a file name). */
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** JSON on one line even for Python's extra line breaks (JSON.stringify keeps U+2028 raw). */
function oneLineJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\x85\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Renders the whole history file for one session.
 *
 * @param session The canonical session (repaired).
 * @param id The session id.
 * @param workspace The target workspace.
 * @param now Fallback start time, epoch ms.
 * @returns The file content and warnings.
 */
export function renderAiderHistory(
  session: Session,
  id: string,
  workspace: string,
  now: number,
): { data: string; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const { session: flat, counts } = flattenToolCalls(session);
  if (counts.calls + counts.results > 0) {
    warnings.push({
      code: "tool-calls-as-text",
      message: `Wrote ${plural(counts.calls, "tool call")} and ${
        plural(counts.results, "result")
      } as text in the assistant replies: Aider's chat history has no structured tool calls`,
    });
  }
  const withReasoning = session.messages.filter((m) => (m.reasoning ?? "") !== "").length;
  if (withReasoning > 0) {
    warnings.push({
      code: "reasoning-dropped",
      message: `Dropped the reasoning of ${
        plural(withReasoning, "message")
      }: Aider's chat history keeps only replies`,
    });
  }
  const written = flat.messages.filter((m) => m.role === "user" || m.role === "assistant");
  const startedAt = written.find((m) => m.timestamp !== undefined)?.timestamp ?? now;
  const marker = {
    session: id,
    workspace,
    source: `${session.provider}:${session.id}`,
    startedAt,
  };
  let data = `\n${formatHeader(startedAt)}\n${CASR_MARKER_PREFIX}${oneLineJson(marker)}\n`;
  for (const message of written) {
    if (message.role === "user") {
      data += `\n${message.text === "" ? "#### <blank>  \n" : renderUserLines(message.text)}`;
    } else {
      const text = message.text.trim();
      if (text !== "") data += `\n${renderAssistantText(text)}\n\n`;
    }
  }
  return { data, warnings };
}

/**
 * Plans the new history file.
 *
 * @param session The canonical session.
 * @param ctx Where to write.
 * @param options Target workspace, time and id.
 * @returns The plan; nothing is written.
 */
export function planAider(
  session: Session,
  ctx: ProviderContext,
  options: PlanWriteOptions,
): Promise<WritePlan> {
  const warnings: Warning[] = [];
  let id = options.sessionId;
  if (id === undefined || !ID_RE.test(id)) {
    if (id !== undefined) {
      warnings.push({
        code: "session-id-replaced",
        message:
          `Used a new id: casr names Aider sessions with letters, digits, "-" and "_", not "${id}"`,
      });
    }
    id = uuidV4();
  }
  const file = storeFilePath(ctx, id);
  const rendered = renderAiderHistory(session, id, options.workspace, options.now);
  warnings.push(...rendered.warnings);
  return Promise.resolve({
    sessionId: id,
    primaryPath: file,
    files: [{ path: file, data: rendered.data }],
    effects: [],
    resume: aiderResumeCommand({ id, workspace: options.workspace, path: file }),
    warnings,
  });
}
