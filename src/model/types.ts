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

/** A problem found while reading or converting that did not stop the work. */
export interface Warning {
  /** A stable machine-readable kind, e.g. `malformed-line`. */
  code: string;
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
