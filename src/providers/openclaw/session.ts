/**
 * Pi entries (from OpenClaw's database rows or from a JSONL file) to a
 * canonical session, with what is OpenClaw-specific on top of the shared Pi
 * format: the internal runtime-context blocks OpenClaw puts into prompts are
 * not the user's words, and `custom` entries (model snapshots, cache TTLs,
 * bootstrap markers) are extension state, not conversation.
 *
 * @module
 */
import type { Message, Session, Warning } from "../../model/types.ts";
import { CasrError } from "../../errors.ts";
import { reindexMessages } from "../../model/normalize.ts";
import {
  migratePiEntries,
  piEntriesToConversation,
  type PiRawEntry,
} from "../../formats/pi_session.ts";

/** Where OpenClaw's injected runtime context starts and ends. */
const INTERNAL_CONTEXT =
  /<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>[\s\S]*?<<<END_OPENCLAW_INTERNAL_CONTEXT>>>/g;

/**
 * Removes OpenClaw's internal runtime-context blocks from a user text.
 *
 * @param text The text.
 * @returns The text without the blocks (trimmed when any was removed).
 *
 * @example
 * ```ts
 * import { stripInternalContext } from "./session.ts";
 * import assert from "node:assert/strict";
 *
 * const text = "Hi\n<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>\nx\n<<<END_OPENCLAW_INTERNAL_CONTEXT>>>";
 * assert.equal(stripInternalContext(text), "Hi");
 * ```
 */
export function stripInternalContext(text: string): string {
  if (!text.includes("<<<BEGIN_OPENCLAW_INTERNAL_CONTEXT>>>")) return text;
  return text.replace(INTERNAL_CONTEXT, "").trim();
}

/** What {@linkcode piRecordsToSession} needs besides the records. */
export interface ToSessionOptions {
  /** The provider id (`openclaw` or `clawdbot`). */
  provider: string;
  /** The session id when the records have no header. */
  fallbackId: string;
  /** Where the records came from (a file or `<db>#<id>`). */
  sourcePath: string;
  /** The leaf entry to start the active branch from (OpenClaw's index). */
  leafId?: string;
  /** Facts to keep in `metadata`. */
  metadata?: Record<string, unknown>;
  /** A title recorded outside the entries (a label or display name). */
  title?: string;
}

/**
 * Builds the canonical session from Pi records (header first when there is
 * one), the way OpenClaw rebuilds the model context: migrate, follow the
 * active branch, apply the latest compaction; then drop OpenClaw's injected
 * runtime context from user messages (a message holding nothing else becomes
 * `system`).
 *
 * @param records The records in storage order.
 * @param warnings Receives the problems found.
 * @param options Provider, ids, source and metadata.
 * @returns The session.
 * @throws {CasrError} `parse-failed` when the records hold no Pi entry.
 */
export function piRecordsToSession(
  records: readonly PiRawEntry[],
  warnings: Warning[],
  options: ToSessionOptions,
): Session {
  const migrated = migratePiEntries(records, `"${options.sourcePath}"`);
  warnings.push(...migrated.warnings);
  if (migrated.entries.length === 0 && migrated.header === undefined) {
    throw new CasrError(
      "parse-failed",
      `Cannot read session "${options.sourcePath}": it has no Pi session entry`,
      { details: { path: options.sourcePath } },
    );
  }
  const known = options.leafId !== undefined &&
    migrated.entries.some((e) => e.id === options.leafId);
  const conversation = piEntriesToConversation(migrated.entries, {
    ...(known ? { leafId: options.leafId } : {}),
    source: `"${options.sourcePath}"`,
  });
  warnings.push(...conversation.warnings);
  const messages: Message[] = conversation.messages.map((m) => {
    if (m.role !== "user") return m;
    const text = stripInternalContext(m.text);
    if (text === m.text) return m;
    return text === "" ? { ...m, role: "system" } : { ...m, text };
  });
  if (!messages.some((m) => m.role === "user" || m.role === "assistant" || m.role === "tool")) {
    throw new CasrError(
      "parse-failed",
      `Cannot read session "${options.sourcePath}": it has no conversation message`,
      { details: { path: options.sourcePath } },
    );
  }
  const header = migrated.header;
  const session: Session = {
    id: header?.id ?? options.fallbackId,
    provider: options.provider,
    messages: reindexMessages(messages),
    metadata: { ...options.metadata },
    sourcePath: options.sourcePath,
  };
  if (typeof header?.cwd === "string" && header.cwd !== "") session.workspace = header.cwd;
  if (typeof header?.version === "number") session.metadata.formatVersion = header.version;
  const firstUser = messages.find((m) => m.role === "user" && m.text.trim() !== "");
  const title = options.title ?? conversation.title ?? firstUser?.text.trim().split("\n")[0];
  if (title !== undefined && title !== "") session.title = title;
  if (conversation.model !== undefined) session.model = conversation.model;
  if (conversation.modelProvider !== undefined) {
    session.metadata.modelProvider = conversation.modelProvider;
  }
  const times = messages.map((m) => m.timestamp).filter((t): t is number => t !== undefined);
  if (times.length > 0) {
    session.startedAt = Math.min(...times);
    session.endedAt = Math.max(...times);
  }
  return session;
}
