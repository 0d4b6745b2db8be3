/**
 * `exportAll`: every session (or those of one agent or workspace) as
 * transcripts in a folder, one file per session under a folder per agent, and
 * for HTML an `index.html` that filters them in the browser.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import type { Session } from "../model/types.ts";
import { conversationCount } from "../model/normalize.ts";
import type { ProviderContext, SessionSummary } from "../providers/types.ts";
import { requireProvider } from "../pipeline/discover.ts";
import { listSessions } from "../pipeline/query.ts";
import { type IndexEntry, renderIndex } from "./html_index.ts";
import { type ExportFormat, renderTranscript } from "./transcript.ts";
import { writeExportFile } from "./write_file.ts";

/** Options for {@linkcode exportAll}. */
export interface ExportAllOptions {
  /** The folder to write into (created if missing). */
  outDir: string;
  /**
   * The transcript format.
   *
   * @default {"md"}
   */
  format?: ExportFormat;
  /**
   * Replace files of an earlier export in `outDir`.
   *
   * @default {false}
   */
  force?: boolean;
  /**
   * Only this agent's sessions (id or alias).
   *
   * @default {undefined} every agent
   */
  provider?: string;
  /**
   * Only sessions in this directory or below.
   *
   * @default {undefined} every workspace
   */
  workspace?: string;
  /**
   * Called as sessions are written.
   *
   * @default {undefined}
   */
  onProgress?: (done: number, total: number) => void;
}

/** What {@linkcode exportAll} wrote. */
export interface ExportAllResult {
  /** The folder. */
  outDir: string;
  /** The format. */
  format: ExportFormat;
  /** Transcripts written. */
  sessions: number;
  /** The index page, for HTML. */
  index?: string;
  /** Sessions that could not be read, with why; the others were written. */
  failed: { provider: string; id: string; path: string; message: string }[];
}

const EXTENSION: Record<ExportFormat, string> = { md: "md", html: "html", json: "json" };

/** A file name from a session id: safe on every file system, and the same each time. */
function fileName(id: string, taken: Set<string>, ext: string): string {
  const base = id.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 120) || "session";
  let name = `${base}.${ext}`;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}.${ext}`;
  taken.add(name);
  return name;
}

function earlierExport(file: string): string {
  return `Cannot write "${file}": it exists from an earlier export (use --force to replace it)`;
}

function firstPrompts(session: Session, max = 2000): string {
  let text = "";
  for (const m of session.messages) {
    if (m.role !== "user") continue;
    text += ` ${m.text}`;
    if (text.length >= max) break;
  }
  return text.replace(/\s+/g, " ").trim().slice(0, max);
}

/**
 * Exports every session (or a filtered set) to a folder.
 *
 * @param ctx Where to look.
 * @param options The folder, format and filters.
 * @returns What was written and what could not be read.
 * @throws {CasrError} `conflict` for files of an earlier export without `force`,
 * `write-failed` or `permission-denied` when the folder cannot be written.
 */
export async function exportAll(
  ctx: ProviderContext,
  options: ExportAllOptions,
): Promise<ExportAllResult> {
  const format = options.format ?? "md";
  const outDir = path.resolve(ctx.cwd, options.outDir);
  const force = options.force ?? false;
  const { sessions } = await listSessions(ctx, {
    cache: true,
    ...(options.provider === undefined ? {} : { provider: options.provider }),
    ...(options.workspace === undefined ? {} : { workspace: options.workspace }),
  });
  const result: ExportAllResult = { outDir, format, sessions: 0, failed: [] };
  const entries: (IndexEntry | undefined)[] = new Array(sessions.length);
  const taken = new Map<string, Set<string>>();
  const names = sessions.map((s) => {
    const set = taken.get(s.provider) ?? new Set<string>();
    taken.set(s.provider, set);
    return `${s.provider}/${fileName(s.id, set, EXTENSION[format])}`;
  });
  let next = 0;
  let done = 0;
  const one = async (summary: SessionSummary, index: number): Promise<void> => {
    let session: Session;
    try {
      session = (await requireProvider(summary.provider).read(summary.path, ctx)).session;
    } catch (error) {
      result.failed.push({
        provider: summary.provider,
        id: summary.id,
        path: summary.path,
        message: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    const href = names[index] as string;
    const file = path.join(outDir, href);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await writeExportFile(file, renderTranscript(session, format), force, earlierExport(file));
    result.sessions++;
    entries[index] = {
      provider: summary.provider,
      id: session.id,
      title: session.title ?? summary.title ?? `Session ${session.id}`,
      workspace: session.workspace ?? summary.workspace,
      lastActiveAt: summary.lastActiveAt ?? summary.startedAt,
      messages: conversationCount(session.messages),
      href,
      text: firstPrompts(session),
    };
  };
  const worker = async (): Promise<void> => {
    while (next < sessions.length) {
      const index = next++;
      await one(sessions[index] as SessionSummary, index);
      options.onProgress?.(++done, sessions.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, sessions.length) }, worker));
  if (format === "html") {
    const index = path.join(outDir, "index.html");
    const listed = entries.filter((e): e is IndexEntry => e !== undefined);
    await fsp.mkdir(outDir, { recursive: true });
    await writeExportFile(index, renderIndex(listed, Date.now()), force, earlierExport(index));
    result.index = index;
  }
  return result;
}
