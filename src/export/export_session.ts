/**
 * `exportSession`: find a session, render a transcript, optionally write it.
 *
 * @module
 */
import * as path from "node:path";
import { CasrError } from "../errors.ts";
import { exists } from "../internal/fs.ts";
import type { ProviderContext } from "../providers/types.ts";
import { readSession } from "../pipeline/lookup.ts";
import { type ExportFormat, renderTranscript } from "./transcript.ts";
import { writeExportFile } from "./write_file.ts";

/** Options for {@linkcode exportSession}. */
export interface ExportSessionOptions {
  /**
   * The transcript format.
   *
   * @default {"md"}
   */
  format?: ExportFormat;
  /**
   * Write the transcript to this file (atomically) instead of returning it only.
   *
   * @default {undefined}
   */
  out?: string;
  /**
   * Replace `out` if it exists.
   *
   * @default {false}
   */
  force?: boolean;
  /**
   * A provider alias or session file path, as for `resolveSession`.
   *
   * @default {undefined}
   */
  source?: string;
}

/** What {@linkcode exportSession} produced. */
export interface ExportResult {
  /** The provider id. */
  provider: string;
  /** The session id. */
  sessionId: string;
  /** The format. */
  format: ExportFormat;
  /** The transcript. */
  content: string;
  /** The file written, with `out`. */
  path?: string;
  /** The transcript's size in bytes (UTF-8). */
  bytes: number;
}

/**
 * Renders a session's transcript and, with `out`, writes it atomically.
 *
 * @param ctx Where to look.
 * @param id A session id, unique prefix, or session file path.
 * @param options Format, output file, overwrite, source.
 * @returns The transcript and where it went.
 * @throws {CasrError} as `readSession`, or `conflict` when `out` exists without `force`.
 *
 * @example A Markdown transcript
 * ```ts
 * import { createContext, exportSession, type Session, writeSession } from "@casr/core";
 * import assert from "node:assert/strict";
 * import { mkdtemp, rm } from "node:fs/promises";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const home = await mkdtemp(join(tmpdir(), "casr-example-"));
 * const ctx = createContext({ homeDir: home, env: { HOME: home }, cwd: home });
 * // A hand-made two-message session.
 * const session: Session = {
 *   id: "hand-made",
 *   provider: "claude-code",
 *   workspace: home,
 *   metadata: {},
 *   messages: [
 *     { index: 0, role: "user", text: "Name a prime number", toolCalls: [], toolResults: [] },
 *     { index: 1, role: "assistant", text: "7 is prime", toolCalls: [], toolResults: [] },
 *   ],
 * };
 * const { target } = await writeSession(ctx, session, "codex");
 * const md = await exportSession(ctx, target.sessionId, { format: "md" });
 * assert.match(md.content, /Name a prime number/);
 * assert.match(md.content, /7 is prime/);
 * assert.equal(md.path, undefined); // no `out`: nothing written
 *
 * await rm(home, { recursive: true });
 * ```
 */
export async function exportSession(
  ctx: ProviderContext,
  id: string,
  options: ExportSessionOptions = {},
): Promise<ExportResult> {
  const format = options.format ?? "md";
  const found = await readSession(
    ctx,
    id,
    options.source === undefined ? {} : { source: options.source },
  );
  const content = renderTranscript(found.session, format);
  const result: ExportResult = {
    provider: found.provider.id,
    sessionId: found.session.id,
    format,
    content,
    bytes: new TextEncoder().encode(content).length,
  };
  if (options.out !== undefined) {
    const out = path.resolve(ctx.cwd, options.out);
    if (!options.force && await exists(out)) {
      throw new CasrError(
        "conflict",
        `Cannot write "${out}": the file exists (use --force to replace it)`,
        {
          details: { path: out },
        },
      );
    }
    await writeExportFile(
      out,
      content,
      options.force ?? false,
      `Cannot write "${out}": the file exists (use --force to replace it)`,
    );
    result.path = out;
  }
  return result;
}
