/**
 * Finding sessions across providers: by id or prefix, or by file path.
 *
 * @module
 */
import { constants as fsConstants } from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { CasrError } from "../errors.ts";
import { readHead } from "../internal/fs.ts";
import { collectDenied, isAccessDenied, refusingPart } from "../internal/denied.ts";
import { getProvider, PROVIDERS } from "../providers/registry.ts";
import type { ReadResult, Session } from "../model/types.ts";
import { conversationCount } from "../model/normalize.ts";
import type { Provider, ProviderContext, SessionSummary } from "../providers/types.ts";
import { folderFileHint, sessionInFolder, sessionOfFolderFile } from "./session_folder.ts";
import { plural } from "../internal/plural.ts";

/** A session found, with the provider that holds it. */
export interface ResolvedSession {
  /** The provider that holds it. */
  provider: Provider;
  /** Its summary (id, path, workspace…). */
  summary: SessionSummary;
}

/** Options for {@linkcode resolveSession}. */
export interface ResolveSessionOptions {
  /**
   * A provider alias (`cc`, `codex`…) to search only that provider, or a path
   * to a session file to read directly.
   *
   * @default {undefined} every provider
   */
  source?: string;
  /**
   * Providers to search when `source` is not given.
   *
   * @default {PROVIDERS}
   */
  providers?: readonly Provider[];
}

/**
 * Resolves a provider name or alias, failing with a clear error.
 *
 * @param name The id or alias.
 * @returns The provider.
 * @throws {CasrError} `unknown-provider` listing the known names.
 */
export function requireProvider(name: string): Provider {
  const provider = getProvider(name);
  if (provider) return provider;
  const known = PROVIDERS.map((p) => `${p.id} (${p.aliases.join(", ")})`).join(", ");
  throw new CasrError("unknown-provider", `Cannot find provider "${name}": known are ${known}`, {
    details: { provider: name, known: PROVIDERS.map((p) => p.id) },
  });
}

function looksLikePath(value: string): boolean {
  return value.includes("/") || value.includes("\\") || /\.(jsonl?|json)$/i.test(value);
}

/**
 * Finds one session by id, unique id prefix, or file path.
 *
 * With no `source`, every provider is searched and an exact id match wins over
 * prefix matches. Two or more candidates are an `ambiguous-session` error
 * listing them.
 *
 * @param ctx Where to look.
 * @param id A session id, a unique prefix of one, or a path to a session file.
 * @param options Where to search.
 * @returns The provider and session summary.
 * @throws {CasrError} `session-not-found`, `ambiguous-session` or `unknown-provider`.
 *
 * @example Find a session by a prefix of its id
 * ```ts
 * import { createContext, resolveSession, type Session, writeSession } from "@casr/core";
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
 * const found = await resolveSession(ctx, target.sessionId.slice(0, 8));
 * assert.equal(found.provider.id, "codex");
 * assert.equal(found.summary.id, target.sessionId);
 *
 * await rm(home, { recursive: true });
 * ```
 */
export async function resolveSession(
  ctx: ProviderContext,
  id: string,
  options: ResolveSessionOptions = {},
): Promise<ResolvedSession> {
  const trimmed = id.trim();
  if (trimmed === "") {
    throw new CasrError("usage", "Cannot resolve a session: the id is empty");
  }
  const source = options.source;
  if (source !== undefined && looksLikePath(source)) {
    return await resolvePath(ctx, source, { id: trimmed === source ? undefined : trimmed });
  }
  if (source !== undefined && looksLikePath(trimmed)) {
    // `--source cc /path/file.jsonl`: the file, read by that agent whatever its head looks like.
    const provider = requireProvider(source);
    if (await inFile(ctx, trimmed) !== undefined || await pathExists(ctx, trimmed)) {
      return await resolvePath(ctx, trimmed, { provider });
    }
  }
  if (source === undefined && looksLikePath(trimmed)) {
    // Anything there, unreadable included: resolvePath says what is wrong with it.
    if (await inFile(ctx, trimmed) !== undefined || await pathExists(ctx, trimmed)) {
      return await resolvePath(ctx, trimmed);
    }
  }
  const providers = source !== undefined
    ? [requireProvider(source)]
    : (options.providers ?? PROVIDERS);
  const { value: found, denied } = await collectDenied(() =>
    Promise.all(
      providers.map(async (provider) => ({ provider, matches: await provider.find(ctx, trimmed) })),
    )
  );
  const all = found.flatMap(({ provider, matches }) =>
    matches.map((summary) => ({ provider, summary }))
  );
  const exact = all.filter((m) => m.summary.id === trimmed);
  const candidates = exact.length > 0 ? exact : all;
  if (candidates.length === 1) return candidates[0] as ResolvedSession;
  if (candidates.length === 0) {
    if (looksLikePath(trimmed)) {
      const full = path.resolve(ctx.cwd, trimmed);
      throw new CasrError(
        "session-not-found",
        `Cannot read session file "${full}": it does not exist`,
        { details: { id: trimmed, path: full } },
      );
    }
    // An unreadable file named for the id (Gemini names carry its first 8
    // characters, Copilot's folder the whole id): the session is there.
    const key = trimmed.toLowerCase().slice(0, 8);
    const named = key.length < 4
      ? undefined
      : denied.find((p) =>
        [path.basename(p), path.basename(path.dirname(p))].some((n) =>
          n.toLowerCase().includes(key)
        )
      );
    if (named !== undefined) {
      throw await deniedError(named, `Cannot read session "${trimmed}" from "${named}"`);
    }
    if (denied.length > 0) {
      const parts = [...new Set(await Promise.all(denied.map(refusingPart)))].sort();
      throw new CasrError(
        "session-not-found",
        `Cannot find session "${trimmed}": no match, but ${
          plural(parts.length, "path")
        } could not be read (permission denied), e.g. ${
          parts[0]
        }; make them readable or run casr as their owner`,
        { details: { id: trimmed, searched: providers.map((p) => p.id), unreadable: denied } },
      );
    }
    const where = providers.map((p) => p.id).join(", ");
    const homeGone = await fsp.stat(ctx.homeDir).then(() => false, () => true);
    throw new CasrError(
      "session-not-found",
      homeGone
        ? `Cannot find session "${trimmed}": the home directory ${ctx.homeDir} does not exist, and agents keep their sessions under it (set HOME to your home directory)`
        : `Cannot find session "${trimmed}": no match in ${where} (run "casr list" to see the ids)`,
      {
        details: { id: trimmed, searched: providers.map((p) => p.id) },
      },
    );
  }
  throw new CasrError(
    "ambiguous-session",
    `Cannot choose session "${trimmed}": ${candidates.length} sessions match; give more of the id`,
    {
      details: {
        id: trimmed,
        candidates: candidates.map((c) => ({
          provider: c.provider.id,
          id: c.summary.id,
          path: c.summary.path,
        })),
      },
    },
  );
}

/**
 * Reads a resolved session with its provider. A read that fails because the
 * file is unreadable (a provider that lists from folder names, say) becomes
 * a `permission-denied` error naming the file or folder to fix.
 *
 * @param ctx Where to look.
 * @param resolved What {@linkcode resolveSession} found.
 * @returns What the provider's reader returned.
 * @throws {CasrError} `permission-denied`, or what the reader throws.
 */
export async function readResolved(
  ctx: ProviderContext,
  resolved: ResolvedSession,
): Promise<ReadResult> {
  try {
    return await resolved.provider.read(resolved.summary.path, ctx);
  } catch (error) {
    const file = resolved.summary.path.split("#")[0] as string;
    const refusal = await fsp.access(file, fsConstants.R_OK).then(() => undefined, (e) => e);
    if (isAccessDenied(refusal)) {
      throw await deniedError(file, `Cannot read session "${resolved.summary.id}"`, error);
    }
    throw error;
  }
}

/**
 * `<file>#<id>` where `<file>` exists and `<file>#<id>` does not: a session
 * inside a file that holds several (a database, an Aider history).
 */
async function inFile(
  ctx: ProviderContext,
  ref: string,
): Promise<{ file: string; id: string } | undefined> {
  const full = path.resolve(ctx.cwd, ref);
  const at = full.lastIndexOf("#");
  if (at <= 0 || !/^[A-Za-z0-9_-]+$/.test(full.slice(at + 1))) return undefined;
  const exists = (p: string) => fsp.stat(p).then(() => true, () => false);
  if (await exists(full) || !(await exists(full.slice(0, at)))) return undefined;
  return { file: full.slice(0, at), id: full.slice(at + 1) };
}

/** Whether `given` (relative to the cwd) names anything on disk, unreadable included. */
async function pathExists(ctx: ProviderContext, given: string): Promise<boolean> {
  try {
    await fsp.lstat(path.resolve(ctx.cwd, given));
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code !== "ENOENT" && code !== "ENOTDIR";
  }
}

/**
 * A `permission-denied` error for an unreadable session file that names what
 * refuses (the file, or a folder above it) and what to do.
 */
async function deniedError(file: string, cannot: string, cause?: unknown): Promise<CasrError> {
  const part = await refusingPart(file);
  const what = part === file ? "the file" : `its folder ${part}`;
  return new CasrError(
    "permission-denied",
    `${cannot}: permission denied on ${what} (make it readable, e.g. chmod u+r${
      part === file ? "" : "x"
    } "${part}", or run casr as its owner)`,
    { details: { path: file, refused: part }, ...(cause === undefined ? {} : { cause }) },
  );
}

/** Whether a session id is `wanted` or starts with it, ignoring case. */
function idMatches(id: string, wanted: string): boolean {
  return id.toLowerCase().startsWith(wanted.toLowerCase());
}

/**
 * Reads a session file. `<file>#<id>` names a session inside `<file>`; with
 * `--source <file>` and an id, a file the provider cannot read whole (a
 * database of several sessions) is read again as `<file>#<id>`, and a file of
 * one session must hold that id. `provider` (from `--source <agent>`) reads
 * the file without asking which agent claims it.
 */
async function resolvePath(
  ctx: ProviderContext,
  given: string,
  options: { id?: string | undefined; provider?: Provider } = {},
): Promise<ResolvedSession> {
  const id = options.id;
  const inner = await inFile(ctx, given);
  const full = inner?.file ?? path.resolve(ctx.cwd, given);
  const cannot = `Cannot read session file "${full}"`;
  let size: number;
  let head: string;
  try {
    const stat = await fsp.stat(full);
    if (stat.isDirectory()) {
      const asked = options.provider === undefined ? PROVIDERS : [options.provider];
      const inside = inner === undefined ? await sessionInFolder(full, asked) : undefined;
      if (inside !== undefined) {
        return await resolvePath(ctx, inside.file, { ...options, provider: inside.provider });
      }
      const hint = folderFileHint(asked);
      throw new CasrError(
        "session-not-found",
        `${cannot}: it is a directory; pass the session file inside it, or the session's id` +
          (hint === "" ? "" : ` (a session folder holds ${hint})`),
        { details: { path: full } },
      );
    }
    if (!stat.isFile()) {
      throw new CasrError("session-not-found", `${cannot}: not a regular file`, {
        details: { path: full },
      });
    }
    size = stat.size;
    head = await readHead(full, 8192);
  } catch (error) {
    if (error instanceof CasrError) throw error;
    const code = (error as { code?: unknown }).code;
    if (isAccessDenied(error)) throw await deniedError(full, cannot, error);
    const missing = code === "ENOENT" || code === "ENOTDIR";
    throw new CasrError(
      "session-not-found",
      missing ? `${cannot}: it does not exist` : `${cannot}: ${(error as Error).message}`,
      { details: { path: full }, cause: error },
    );
  }
  if (size === 0) {
    throw new CasrError("parse-failed", `${cannot}: the file is empty (0 bytes)`, {
      details: { path: full },
    });
  }
  const provider = options.provider ?? PROVIDERS.find((p) => p.claims(full, head));
  const folder = provider === undefined && inner === undefined
    ? await sessionOfFolderFile(full, PROVIDERS)
    : undefined;
  if (folder !== undefined) {
    // Another file of a session folder (Copilot's workspace.yaml…): its session file.
    return await resolvePath(ctx, folder.file, { ...options, provider: folder.provider });
  }
  if (!provider) {
    throw new CasrError(
      "parse-failed",
      `Cannot read session file "${full}": no provider recognises its format (if you know which agent wrote it, pass --source <agent>)`,
      { details: { path: full } },
    );
  }
  const named = inner?.id ?? (id !== undefined && /^[A-Za-z0-9_-]+$/.test(id) ? id : undefined);
  const ref = named === undefined ? undefined : `${full}#${named}`;
  if (inner !== undefined && !provider.claims(ref as string, "")) {
    throw new CasrError(
      "parse-failed",
      `Cannot read session "${inner.id}" in "${full}": ${provider.name} files hold one session`,
      { details: { path: full } },
    );
  }
  let readPath = inner === undefined ? full : ref as string;
  let session: Session;
  try {
    session = (await provider.read(readPath, ctx)).session;
  } catch (error) {
    if (inner !== undefined || ref === undefined || !provider.claims(ref, "")) throw error;
    readPath = ref;
    session = (await provider.read(readPath, ctx)).session;
  }
  if (id !== undefined && readPath === full && !idMatches(session.id, id)) {
    if (ref !== undefined && provider.claims(ref, "")) {
      // A file of several sessions that read whole as another one: pick the one named.
      readPath = ref;
      session = (await provider.read(readPath, ctx)).session;
    }
  }
  if (id !== undefined && readPath === full && !idMatches(session.id, id)) {
    throw new CasrError(
      "usage",
      `Cannot use session "${id}" with --source "${full}": the file holds session "${session.id}"; pass the file alone as the session, or --source <agent> with the id`,
      { details: { id, path: full, sessionId: session.id } },
    );
  }
  const summary: SessionSummary = {
    id: session.id,
    provider: provider.id,
    path: readPath,
    sizeBytes: size,
    messageCount: conversationCount(session.messages),
  };
  if (session.workspace !== undefined) summary.workspace = session.workspace;
  if (session.title !== undefined) summary.title = session.title;
  return { provider, summary };
}
