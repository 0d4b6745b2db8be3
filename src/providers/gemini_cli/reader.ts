/**
 * Reading a Gemini CLI session file into the canonical model.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import type { Message, ReadResult, Session, Warning } from "../../model/types.ts";
import { clipText, parseTimestamp, reindexMessages } from "../../model/normalize.ts";
import { parseJsonLines, readJsonLines, str } from "../../internal/jsonl.ts";
import { readText } from "../../internal/file_reads.ts";
import { parseFailed, readFailed } from "../../errors.ts";
import { type FoldedSession, foldLegacy, foldLines } from "./fold.ts";
import { nativeToCanonical } from "./messages.ts";
import { projectPathForFile } from "./paths.ts";
import type { OmitRule } from "../../internal/json_prune.ts";
import type { ReadOptions } from "../types.ts";

/** The provider id written on every session read. */
export const GEMINI_CLI_ID = "gemini-cli";

/** Where a message record keeps a tool's output, on its own or inside a `$set`. */
const OUTPUTS: readonly (readonly string[])[] = [
  ["content", "*", "functionResponse", "response"],
  ["toolCalls", "*", "result"],
  ["toolCalls", "*", "resultDisplay"],
];

/** What a text-only read leaves out: every tool output. */
const TOOL_OUTPUTS: OmitRule = {
  paths: [...OUTPUTS, ...OUTPUTS.map((p) => ["$set", "messages", "*", ...p])],
  ifHeadContains: ['"functionResponse"', '"type":"gemini"', '"$set"'],
};

async function foldFile(file: string, omit?: OmitRule): Promise<FoldedSession> {
  let text: string | undefined;
  if (file.endsWith(".json")) {
    text = await readText(file);
    try {
      const legacy = foldLegacy(JSON.parse(text));
      if (legacy !== undefined) {
        return { ...legacy, metadata: { ...legacy.metadata, format: "json" } };
      }
    } catch {
      // not one JSON object: read it as JSON Lines below
    }
  }
  const folded = await foldLines(
    text === undefined ? readJsonLines(file, omit) : parseJsonLines(text, omit),
    file,
  );
  if (folded.metadata.sessionId === undefined || folded.metadata.projectHash === undefined) {
    // Like the CLI: a file without a header may be one legacy JSON object.
    try {
      const legacy = foldLegacy(JSON.parse(text ?? await readText(file)));
      if (legacy !== undefined) {
        return { ...legacy, metadata: { ...legacy.metadata, format: "json" } };
      }
    } catch {
      // keep the lenient JSONL result
    }
  }
  return { ...folded, metadata: { ...folded.metadata, format: "jsonl" } };
}

function idFromFileName(file: string): string {
  return path.basename(file).replace(/\.jsonl?$/, "");
}

function firstLine(text: string, max: number): string {
  const line = (text.split("\n").find((l) => l.trim() !== "") ?? "").trim();
  return clipText(line, max);
}

/**
 * Reads one Gemini CLI session file (`session-*.jsonl`, or a legacy
 * `session-*.json`) leniently.
 *
 * Session id, workspace (`.project_root` of its project directory, else the
 * `projects.json` entry), title (`summary`, else the first real prompt) and
 * model (of the last `gemini` record) come from the file and its location.
 *
 * @param file The session file.
 * @param options `textOnly` leaves tool outputs empty (see {@linkcode ReadOptions}).
 * @returns The canonical session and warnings.
 * @throws {CasrError} `parse-failed` when the file is missing, empty or has no usable record.
 */
export async function readGeminiSession(
  file: string,
  options: ReadOptions = {},
): Promise<ReadResult> {
  let folded: FoldedSession;
  try {
    const stat = await fsp.stat(file);
    if (stat.size === 0) throw parseFailed(file, "file is empty");
    folded = await foldFile(file, options.textOnly ? TOOL_OUTPUTS : undefined);
  } catch (error) {
    throw readFailed(file, error);
  }
  const { metadata } = folded;
  const warnings: Warning[] = [...folded.warnings];
  const sessionId = str(metadata.sessionId);
  if (sessionId === undefined && folded.messages.length === 0) {
    throw parseFailed(file, "no Gemini session record found");
  }
  if (sessionId === undefined || str(metadata.projectHash) === undefined) {
    warnings.push({
      code: "missing-header",
      message: `The session "${file}" has no header with sessionId and projectHash`,
    });
  }
  const messages: Message[] = reindexMessages(nativeToCanonical(folded.messages));
  const times = messages.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  const session: Session = {
    id: sessionId ?? idFromFileName(file),
    provider: GEMINI_CLI_ID,
    messages,
    metadata: pickMetadata(metadata),
    sourcePath: file,
  };
  const workspace = await projectPathForFile(file, str(metadata.projectHash));
  if (workspace !== undefined) session.workspace = workspace;
  const summary = str(metadata.summary)?.trim();
  // The file's first prompt, as `list` shows it: a compression may have put
  // its own summary where the conversation began.
  const firstPrompt = [...nativeToCanonical(folded.firstUsers), ...messages]
    .find((m) => m.role === "user" && m.text.trim() !== "");
  const title = summary !== undefined && summary !== ""
    ? firstLine(summary, 80)
    : firstPrompt !== undefined
    ? firstLine(firstPrompt.text, 80)
    : undefined;
  if (title !== undefined && title !== "") session.title = title;
  const startedAt = times[0] ?? parseTimestamp(metadata.startTime);
  const endedAt = times.at(-1) ?? parseTimestamp(metadata.lastUpdated);
  if (startedAt !== undefined) session.startedAt = startedAt;
  if (endedAt !== undefined) session.endedAt = endedAt;
  const model = messages.findLast((m) => m.role === "assistant" && m.author !== undefined)?.author;
  if (model !== undefined) session.model = model;
  return { session, warnings };
}

const KEPT_METADATA = [
  "projectHash",
  "startTime",
  "lastUpdated",
  "summary",
  "kind",
  "directories",
  "format",
] as const;

function pickMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of KEPT_METADATA) {
    if (metadata[key] !== undefined) out[key] = metadata[key];
  }
  return out;
}
