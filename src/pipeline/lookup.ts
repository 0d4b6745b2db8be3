/**
 * Finding and reading one session: by id or path (with its exact count
 * remembered for `list`), or the most recent one in a directory.
 *
 * @module
 */
import type { ReadResult } from "../model/types.ts";
import type { Provider, ProviderContext, SessionSummary } from "../providers/types.ts";
import {
  readResolved,
  requireProvider,
  resolveSession,
  type ResolveSessionOptions,
} from "./discover.ts";
import { casrCacheDir } from "../internal/session_index.ts";
import { rememberExactCount } from "./exact_counts.ts";
import { listSessions, type ListSessionsOptions } from "./query.ts";

/** Options for {@linkcode readSession}. */
export interface ReadSessionOptions extends ResolveSessionOptions {
  /**
   * Record the session's exact message count and last message time in the
   * list cache, so `list` shows them even for a session it only samples.
   *
   * @default {false}
   */
  cache?: boolean;
  /**
   * The cache directory.
   *
   * @default {casrCacheDir(ctx)}
   */
  cacheDir?: string;
}

/**
 * Finds and reads one session.
 *
 * @param ctx Where to look.
 * @param id A session id, unique prefix, or file path.
 * @param options Source restriction, and whether to record the count for `list`.
 * @returns The provider, the summary and what the reader returned.
 *
 * @example Read a session by a prefix of its id
 * ```ts
 * import { createContext, readSession, type Session, writeSession } from "@casr/core";
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
 * const read = await readSession(ctx, target.sessionId.slice(0, 8));
 * assert.equal(read.provider.id, "codex");
 * assert.deepEqual(read.session.messages.map((m) => m.text), ["Name a prime number", "7 is prime"]);
 *
 * await rm(home, { recursive: true });
 * ```
 */
export async function readSession(
  ctx: ProviderContext,
  id: string,
  options: ReadSessionOptions = {},
): Promise<{ provider: Provider; summary: SessionSummary } & ReadResult> {
  const { cache, cacheDir, ...resolve } = options;
  const resolved = await resolveSession(ctx, id, resolve);
  const read = await readResolved(ctx, resolved);
  if (cache) {
    await rememberExactCount(
      resolved.provider,
      ctx,
      resolved.summary,
      read.session.messages,
      cacheDir ?? casrCacheDir(ctx),
    );
  }
  return { provider: resolved.provider, summary: resolved.summary, ...read };
}

/** Options for {@linkcode latestSession}. */
export interface LatestSessionOptions {
  /**
   * The directory the session must belong to (it or a directory below it).
   *
   * @default {ctx.cwd}
   */
  workspace?: string;
  /**
   * Only sessions of this agent (id or alias).
   *
   * @default {undefined} every agent
   */
  from?: string;
  /**
   * Leave out this agent's sessions (id or alias), e.g. the target of a conversion.
   *
   * @default {undefined}
   */
  except?: string;
  /**
   * Use the list's index cache.
   *
   * @default {false}
   */
  cache?: boolean;
}

/**
 * The most recently active session in a directory, e.g. for
 * `casr cc resume --last`: the one a user most likely means to carry on with.
 *
 * @param ctx Where to look.
 * @param options The directory and which agents count.
 * @returns The session, or `undefined` when none is there.
 * @throws {CasrError} `unknown-provider` for a bad `from` or `except`.
 *
 * @example The latest session here, not Claude Code's own
 * ```ts
 * import { createContext, latestSession, type Session, writeSession } from "@casr/core";
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
 * await writeSession(ctx, session, "claude-code");
 * const last = await latestSession(ctx, { except: "claude-code" });
 * assert.equal(last?.provider, "codex");
 * assert.equal(last?.id, target.sessionId);
 *
 * await rm(home, { recursive: true });
 * ```
 */
export async function latestSession(
  ctx: ProviderContext,
  options: LatestSessionOptions = {},
): Promise<SessionSummary | undefined> {
  const except = options.except === undefined ? undefined : requireProvider(options.except).id;
  const list: ListSessionsOptions = { workspace: options.workspace ?? ctx.cwd };
  if (options.from !== undefined) list.provider = options.from;
  if (options.cache) list.cache = true;
  const { sessions } = await listSessions(ctx, list);
  return sessions.find((s) => s.provider !== except);
}
