/**
 * Pi coding agent session entries (`@earendil-works/pi-coding-agent`, formerly
 * `@mariozechner/pi-coding-agent`) and pure conversions between them and the
 * canonical model. Shared by every agent that stores Pi entries: Pi itself
 * (JSONL files) and OpenClaw (the same objects in SQLite rows). It imports no
 * provider and touches no disk.
 *
 * The format: a header `{type:"session", version, id, timestamp, cwd}` then
 * entries `{type, id, parentId, timestamp, …}` forming a tree. Version 1 files
 * have no ids (a linear list); version 2 added `id`/`parentId`; version 3
 * renamed the message role `hookMessage` to `custom`. Like Pi, readers migrate
 * to version 3, take the last entry as the leaf, walk `parentId` to the root,
 * and let the latest `compaction` on that path replace what it summarised
 * ({@linkcode piEntriesToConversation}).
 *
 * Canonical mapping of the message roles Pi puts into model context:
 * - `user` → `user`; `bashExecution` (a `!cmd` the user ran) → `user` with the
 *   text Pi sends for it (`other` when excluded from context);
 * - `assistant` → `assistant` (`text` blocks → text, `thinking` → reasoning,
 *   `toolCall` → tool calls); one whose `stopReason` is `error`/`aborted` is
 *   skipped on resume by Pi, so it becomes an `other` notice without calls,
 *   and the results of its calls are dropped;
 * - `toolResult` → a `tool` message; consecutive results share one message;
 * - `image` blocks of user messages and tool results → their `images`
 *   (`src/formats/pi_images.ts`), and back;
 * - `compactionSummary`/`branchSummary` (from `compaction`/`branch_summary`
 *   entries) → `user` with the exact text Pi sends (like Claude Code's
 *   compact summary), so converted sessions keep the summarised context;
 * - `custom` (`custom_message` entries, extension context) and `system`
 *   (persisted system prompt, ≥ 0.86) → `system`.
 *
 * @module
 */
export * from "./pi_entries.ts";
export * from "./pi_conversation.ts";
export * from "./pi_session_write.ts";
