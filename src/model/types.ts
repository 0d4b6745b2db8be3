/**
 * The canonical session model every provider reads into and writes from.
 *
 * @module
 */

/** The roles a canonical message can have. */
export const ROLES = ["user", "assistant", "tool", "system", "other"] as const;

/** A canonical message role. */
export type Role = typeof ROLES[number];

/** A structured tool call made by the assistant. */
export interface ToolCall {
  /** The call id as the source agent wrote it (used to pair results). */
  id: string;
  /** The tool name as the source agent wrote it, e.g. `Bash` or `shell`. */
  name: string;
  /** The tool input: usually an object; free-form tools keep a string. */
  input: unknown;
}

/**
 * An image shown to the model: attached to a prompt by the user, or returned by a
 * tool (a screenshot, a file read).
 */
export interface ImageContent {
  /** The media type, e.g. `image/png`. */
  mediaType: string;
  /** The image bytes, base64-encoded, when the source kept them. */
  data?: string;
  /** Where the image came from (a file path or name, or a URL), when known. */
  source?: string;
}

/** The result of one tool call. */
export interface ToolResult {
  /** The id of the {@linkcode ToolCall} this answers. */
  callId: string;
  /** The result flattened to text. */
  output: string;
  /** Whether the tool reported an error. */
  isError: boolean;
  /** The tool name, when the source format records it next to the result. */
  name?: string;
  /** Images the tool returned next to its text (a file read of a PNG, a screenshot). */
  images?: ImageContent[];
}

/** One message of a conversation. */
export interface Message {
  /** Position in the session, 0-based and dense (see {@linkcode reindexMessages}). */
  index: number;
  /** Who spoke. */
  role: Role;
  /** The visible text of the message ("" when it only carries tool calls or results). */
  text: string;
  /** When the message was written, in epoch milliseconds, when the source records it. */
  timestamp?: number;
  /** The model or agent that wrote an assistant message, when known. */
  author?: string;
  /** Tool calls made in this message (assistant messages). */
  toolCalls: ToolCall[];
  /** Tool results carried by this message (role `tool`). */
  toolResults: ToolResult[];
  /** Model reasoning shown as text, when the source kept it readable. */
  reasoning?: string;
  /** Images the message carries next to its text (a user's attached screenshot, say). */
  images?: ImageContent[];
  /** The raw native record(s) this message came from, for lossless debugging. */
  extra?: unknown;
}

/** A whole coding-agent session in canonical form. */
export interface Session {
  /** The session id in its provider. */
  id: string;
  /** The provider id that holds the session, e.g. `claude-code`. */
  provider: string;
  /** The working directory (project root) the session belongs to. */
  workspace?: string;
  /** A human label: a title, summary or the first prompt. */
  title?: string;
  /** First message time in epoch milliseconds. */
  startedAt?: number;
  /** Last message time in epoch milliseconds. */
  endedAt?: number;
  /** The main model used, when known. */
  model?: string;
  /** The conversation, in order. */
  messages: Message[];
  /** Provider-specific facts worth keeping (versions, git branch, source ids). */
  metadata: Record<string, unknown>;
  /** The file (or database) the session was read from. */
  sourcePath?: string;
}

/**
 * Every warning code, in four groups (what reading, checking, preparing and
 * writing a session can report). `docs/warnings.md` says what each one means;
 * `tests/warning_codes_test.ts` keeps the two the same.
 */
export const WARNING_CODES = [
  // A reader skipped, guessed or reordered something in the source.
  "aider-line-skipped",
  "aider-several-sessions",
  "chain-cycle",
  "chain-gap",
  "compacted-history",
  "compaction-summary-encrypted",
  "empty-message",
  "extra-header",
  "failed-reply",
  "foreign-record",
  "grok-chat-history-fallback",
  "kiro-clear",
  "kiro-compaction",
  "kiro-operations-skipped",
  "kiro-reset",
  "legacy-rollout-format",
  "malformed-line",
  "malformed-metadata",
  "malformed-record",
  "missing-current-node",
  "missing-header",
  "missing-metadata",
  "missing-record",
  "missing-session-meta",
  "no-root",
  "opencode-go-format",
  "orphan-result-dropped",
  "protobuf-not-read",
  "side-branch",
  "skipped-failed-reply",
  "synthesized-tool-call",
  "unchained-records",
  "unchained-transcript",
  "unknown-record",
  "unknown-role",
  "unordered",
  "unreadable-row",
  // Validation and repair of the canonical session.
  "malformed-lines",
  "no-timestamps",
  "no-workspace",
  "foreign-workspace",
  "short-session",
  "filled-timestamps",
  "raised-timestamps",
  "renamed-tool-id",
  // Fitting the session to the target: its model API's rules and its context budget.
  "blank-text-removed",
  "call-ids-renamed",
  "empty-error-output",
  "images-as-text",
  "malformed-text-repaired",
  "tool-family-unknown",
  "tool-names-kept",
  "tool-names-renamed",
  "budget-dropped-reasoning",
  "budget-dropped-turns",
  "budget-elided-tool-output",
  "budget-exceeded",
  "keep-reasoning-ignored",
  // A writer dropped, approximated or could not do something for the target.
  "amp-not-resumable",
  "amp-transcript-truncated",
  "cursor-db-created",
  "cursor-db-unreadable",
  "cursor-history-only",
  "cursor-workspace-unknown",
  "dropped-image",
  "dropped-reasoning",
  "grok-long-cwd",
  "image-as-text",
  "images-dropped",
  "index-missing",
  "legacy-project-dir",
  "kilo-cli-database-created",
  "kilo-cli-project",
  "missing-tool-result",
  "missing-workspace",
  "opencode-database-created",
  "opencode-project",
  "orphan-tool-result",
  "prompt-guarded",
  "reasoning-dropped",
  "ledger-not-written",
  "registry-reset",
  "reordered-tool-results",
  "session-id-replaced",
  "skipped-messages",
  "sqlite-unavailable",
  "sqlite-unreadable",
  "target-not-installed",
  "target-replaced",
  "tool-calls-as-text",
  "tool-text-dropped",
  "unverified-target",
] as const;

/** A warning code: a stable, machine-readable kind of warning. */
export type WarningCode = typeof WARNING_CODES[number];

/** A problem found while reading or converting that did not stop the work. */
export interface Warning {
  /** A stable machine-readable kind, e.g. `malformed-line` (see `docs/warnings.md`). */
  code: WarningCode;
  /** A human sentence. */
  message: string;
  /** The 1-based line number in the source file, when the problem is on one line. */
  line?: number;
}

/** What a reader returns: the session and what it had to skip or guess. */
export interface ReadResult {
  /** The session read. */
  session: Session;
  /** Problems that did not stop the read. */
  warnings: Warning[];
}
