/**
 * casr core: the canonical session model, the providers (every coding agent in
 * {@linkcode PROVIDERS}, from Claude Code, Codex CLI and Gemini CLI to the read-only Antigravity CLI
 * and ChatGPT) and the conversion pipeline: list, read, convert, write, verify, search, export,
 * hand off. `docs/library.md` lists the main functions.
 *
 * ```ts ignore
 * import { convertSession, createContext } from "@casr/core";
 *
 * const result = await convertSession(createContext(), "claude-code", "019a6f2e");
 * console.log(result.resume.shell);
 * ```
 *
 * @module
 */
export type {
  ImageContent,
  Message,
  ReadResult,
  Role,
  Session,
  ToolCall,
  ToolResult,
  Warning,
  WarningCode,
} from "./src/model/types.ts";
export { ROLES, WARNING_CODES } from "./src/model/types.ts";
export {
  clipText,
  conversationCount,
  flattenContent,
  normalizeRole,
  parseTimestamp,
  reindexMessages,
  toolInputObject,
} from "./src/model/normalize.ts";
export { CasrError, type CasrErrorCode, type CasrErrorOptions } from "./src/errors.ts";
export {
  type FlattenCounts,
  flattenToolCalls,
  renderToolCallText,
  renderToolResultText,
} from "./src/formats/tool_text.ts";
export type {
  Detection,
  FileData,
  FileWrite,
  PlanWriteOptions,
  ProviderContext,
  ResumeCommand,
  SessionRef,
  SessionSummary,
  UnreadStore,
  WriteEffect,
  WritePlan,
} from "./src/model/provider_data.ts";
export type { ProviderCarries, StartPrompt } from "./src/model/provider_facts.ts";
export type { Provider, ReadOptions } from "./src/providers/types.ts";
export { fileText } from "./src/internal/fs.ts";
export { groupDigits, plural } from "./src/internal/plural.ts";
export type { FileStat } from "./src/internal/fast_fs.ts";
export type { ScanProgress } from "./src/internal/session_index.ts";
export { getProvider, PROVIDERS } from "./src/providers/registry.ts";
export { createContext } from "./src/pipeline/context.ts";
export { currentEnv, exposeCollector } from "./src/internal/runtime.ts";
export {
  requireProvider,
  type ResolvedSession,
  resolveSession,
  type ResolveSessionOptions,
} from "./src/pipeline/discover.ts";
export {
  detectProviders,
  type ListLog,
  listSessions,
  type ListSessionsOptions,
  type ListSessionsResult,
  type ProviderStatus,
  type SessionSort,
} from "./src/pipeline/query.ts";
export {
  latestSession,
  type LatestSessionOptions,
  readSession,
  type ReadSessionOptions,
} from "./src/pipeline/lookup.ts";
export type { ListProblem, ListProblemCode } from "./src/pipeline/list_problems.ts";
export { validateSession } from "./src/pipeline/validate.ts";
export { MISSING_RESULT_TEXT, type RepairResult, repairSession } from "./src/pipeline/repair.ts";
export {
  EMPTY_ERROR_OUTPUT,
  IMAGE_MEDIA_TYPES,
  imagePlaceholder,
  MAX_IMAGE_BYTES,
  prepareForTarget,
  type PrepareOutcome,
  type PrepareTarget,
} from "./src/pipeline/prepare.ts";
export {
  compareSessions,
  type CompareSessionsOptions,
  deepEqual,
  formatDifferences,
  type ProjectedMessage,
  projectSession,
  type SessionDifference,
} from "./src/pipeline/compare.ts";
export {
  type BudgetOutcome,
  type BudgetReport,
  budgetSession,
  type BudgetSessionOptions,
  DEFAULT_MAX_TOOL_OUTPUT,
  elideMiddle,
  exchangeStarts,
  messageTokens,
} from "./src/pipeline/budget.ts";
export {
  createTokenEstimator,
  type CreateTokenEstimatorOptions,
  heuristicTokens,
  type TokenEstimator,
  TOKENIZER_FAMILIES,
  type TokenizerFamily,
} from "./src/pipeline/tokens.ts";
export {
  CONTEXT_WINDOWS,
  type ContextWindow,
  contextWindowFor,
  GENERIC_CONTEXT_WINDOW,
} from "./src/pipeline/windows.ts";
export {
  decisions,
  filesTouched,
  type HandoffResult,
  handoffSession,
  type HandoffSessionOptions,
  handoffStartCommand,
  openTasks,
  renderHandoffBrief,
  type RenderHandoffBriefOptions,
  type TouchedFile,
} from "./src/pipeline/handoff.ts";
export {
  type ConvertBudget,
  type ConvertResult,
  convertSession,
  type ConvertSessionOptions,
} from "./src/pipeline/convert.ts";
export {
  type SessionLocation,
  type WriteResult,
  writeSession,
  type WriteSessionOptions,
} from "./src/pipeline/write_session.ts";
export { type TargetUpdate } from "./src/pipeline/existing_target.ts";
export { type FitReport, fitReport, type TargetFit } from "./src/pipeline/fit_report.ts";
export {
  type RankOptions,
  type SearchHit,
  type SearchIndexStats,
  type SearchOptions,
  type SearchResult,
  searchSessions,
} from "./src/pipeline/search.ts";
export { SEARCH_ROLES, type SearchRole } from "./src/internal/fts_query.ts";
export { INDEX_COLUMNS, type IndexColumn } from "./src/internal/search_index.ts";
export { LEDGER_FILE, ledgerPath } from "./src/pipeline/ledger.ts";
export { EXPORT_FORMATS, type ExportFormat, renderTranscript } from "./src/export/transcript.ts";
export { exportAll, type ExportAllOptions, type ExportAllResult } from "./src/export/export_all.ts";
export {
  type ExportResult,
  exportSession,
  type ExportSessionOptions,
} from "./src/export/export_session.ts";
