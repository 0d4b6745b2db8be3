/**
 * A second conversion to a session casr wrote before: is the target still what
 * casr left there, or did the user go on in it? The answer decides between
 * bringing it up to date, refusing (the user's new turns would be lost), and,
 * with `--force`, replacing it while saying what goes.
 *
 * @module
 */
import { CasrError } from "../errors.ts";
import type { Session, Warning } from "../model/types.ts";
import type { Provider, ProviderContext, WritePlan } from "../providers/types.ts";
import { compareSessions, deepEqual, type ProjectedMessage } from "./compare.ts";
import {
  appendLedger,
  conversationDigest,
  conversationOf,
  findLedgerRecord,
  ledgerPath,
  type LedgerRecord,
} from "./ledger.ts";
import { clipText } from "../model/normalize.ts";
import { plural } from "../internal/plural.ts";

/** What the target session holds, measured against what casr last wrote there. */
export type ExistingState =
  /** Exactly the conversation casr wrote (the agent may have rewritten its file). */
  | { kind: "ours" }
  /** casr's conversation, then messages the user added in the target. */
  | { kind: "own-turns"; written: number; own: ProjectedMessage[] }
  /** Not casr's conversation any more: edited, compacted or cut. */
  | { kind: "changed"; written: number }
  /** casr has no record of writing it (an older casr, another machine, a lost ledger). */
  | { kind: "unknown" };

/** The existing target session and its state. */
export interface ExistingTarget {
  /** The state. */
  state: ExistingState;
  /** The session as the target's reader sees it. */
  session: Session;
  /** Its conversation messages (user, assistant and tool records, as `messageCount` counts). */
  messages: number;
  /** Where it is. */
  path: string;
}

/**
 * Reads the target session already at a planned id and compares it with the
 * ledger.
 *
 * @param ctx Where to look.
 * @param provider The target provider.
 * @param sessionId The target session id.
 * @param path Its primary path.
 * @returns The session and its state.
 * @throws {CasrError} `conflict` when it cannot be read (it is then not safe to replace).
 */
export async function inspectExisting(
  ctx: ProviderContext,
  provider: Provider,
  sessionId: string,
  path: string,
): Promise<ExistingTarget> {
  let session: Session;
  try {
    session = (await provider.read(path, ctx)).session;
  } catch (error) {
    throw new CasrError(
      "conflict",
      `Cannot write ${provider.id} session "${sessionId}": a session with that id is already ` +
        `at ${path} and casr cannot read it (${
          error instanceof Error ? error.message : String(error)
        }); use --force to replace it (the old file is kept as .bak) or --new for a new session`,
      { details: { sessionId, existing: [path], reason: "unreadable" }, cause: error },
    );
  }
  const messages = conversationOf(session, provider.toolCallsAsText === true);
  const count =
    session.messages.filter((m) => m.role === "user" || m.role === "assistant" || m.role === "tool")
      .length;
  const base = { session, messages: count, path };
  const record = await findLedgerRecord(ctx, provider.id, sessionId);
  if (record === undefined) return { ...base, state: { kind: "unknown" } };
  if (messages.length < record.messages) {
    return { ...base, state: { kind: "changed", written: record.messages } };
  }
  const prefix = await conversationDigest(messages.slice(0, record.messages));
  if (prefix !== record.digest) {
    return { ...base, state: { kind: "changed", written: record.messages } };
  }
  if (messages.length === record.messages) return { ...base, state: { kind: "ours" } };
  return {
    ...base,
    state: { kind: "own-turns", written: record.messages, own: messages.slice(record.messages) },
  };
}

/**
 * The refusal for a target that is no longer what casr wrote: it names what
 * would be lost and the two ways on.
 *
 * @param provider The target provider.
 * @param existing The target session.
 * @returns A `conflict` error.
 */
export function targetChangedError(provider: Provider, existing: ExistingTarget): CasrError {
  const id = existing.session.id;
  const ways = "use --force to replace it anyway (the old session is kept as a .bak file), " +
    "or --new to write a new session beside it";
  const details: Record<string, unknown> = {
    sessionId: id,
    existing: [existing.path],
    reason: existing.state.kind,
    messages: existing.messages,
  };
  let what: string;
  switch (existing.state.kind) {
    case "own-turns": {
      const own = existing.state.own;
      details.ownMessages = own.map((m) => ({ role: m.role, text: clip(m.text, 200) }));
      const userTurns = own.filter((m) => m.role === "user" && m.text !== "").length;
      const firstPrompt = own.find((m) => m.role === "user" && m.text !== "");
      what = `it has ${plural(own.length, "message")} of its own since casr wrote it` +
        (userTurns > 0
          ? ` (${plural(userTurns, "prompt")}, the first "${clip(firstPrompt?.text ?? "", 60)}")`
          : "") +
        `; converting again would replace them`;
      break;
    }
    case "changed":
      what = `its conversation changed since casr wrote it (edited, compacted or cut in ` +
        `${provider.name}); converting again would replace it`;
      break;
    default:
      what = `casr has no record of writing it (an older casr or another machine), so it may ` +
        `hold turns of its own`;
  }
  return new CasrError(
    "conflict",
    `Cannot write ${provider.id} session "${id}" again: ${what}. To go on from there, ` +
      `convert it back instead ("casr <agent> resume ${id}"); or ${ways}`,
    { details },
  );
}

function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return clipText(line, max);
}

/** What a write did to a session casr had written before at the same id. */
export interface TargetUpdate {
  /**
   * `updated`: it still held exactly casr's earlier conversion and now holds
   * the source's new turns too; `unchanged`: it already held the whole
   * conversation, so nothing was written; `replaced`: with `force`, a session
   * with turns of its own (or unknown to casr) was replaced, its file kept as
   * the backup.
   */
  kind: "updated" | "unchanged" | "replaced";
  /** The conversation messages it held before. */
  previousMessages: number;
  /** For `replaced`: the messages it had of its own, when casr knows them. */
  ownMessages?: number;
}

/** The decision about a session already at the planned id. */
export interface EarlierWrite {
  /** What happens to it. */
  update: TargetUpdate;
  /** The session there. */
  existing: ExistingTarget;
  /** Every file the target's `find` gave for the id. */
  paths: string[];
  /** Said when `force` replaces turns of the user's. */
  warning?: Warning;
}

/**
 * Looks for a session already at the planned id and decides: bring it up to
 * date (it still holds what casr wrote, or a part of the new conversation),
 * leave it (it already holds all of it), replace it (`force`) or refuse.
 *
 * @param plan The target's write plan.
 * @param targetProvider The target provider.
 * @param ctx Where to look.
 * @param session The session about to be written.
 * @param options Whether `force` was given.
 * @returns The decision, or `undefined` when no session is at the id.
 * @throws {CasrError} `conflict` naming the user's own turns (without `force`).
 */
export async function earlierWrite(
  plan: WritePlan,
  targetProvider: Provider,
  ctx: ProviderContext,
  session: Session,
  options: { force?: boolean },
): Promise<EarlierWrite | undefined> {
  const found = (await targetProvider.find(ctx, plan.sessionId)).filter((s) =>
    s.id === plan.sessionId
  );
  const first = found[0];
  if (first === undefined) return undefined;
  const existing = await inspectExisting(ctx, targetProvider, plan.sessionId, first.path);
  const paths = found.map((s) => s.path);
  const asText = targetProvider.toolCallsAsText === true;
  const compareOptions = {
    ...(asText ? { toolCallsAsText: true } : {}),
    reasoning: targetProvider.carries?.reasoning === true,
  };
  const previousMessages = existing.messages;
  // Nothing of the user's is in it: it holds what casr wrote, or (no record)
  // only the beginning of the conversation about to be written.
  const nothingOwn = existing.state.kind === "ours" ||
    (existing.state.kind === "unknown" &&
      isPrefix(conversationOf(existing.session, asText), conversationOf(session, asText)));
  if (nothingOwn) {
    if (options.force) {
      return { update: { kind: "replaced", previousMessages, ownMessages: 0 }, existing, paths };
    }
    const same = compareSessions(session, existing.session, compareOptions).length === 0;
    return { update: { kind: same ? "unchanged" : "updated", previousMessages }, existing, paths };
  }
  if (!options.force) throw targetChangedError(targetProvider, existing);
  const update: TargetUpdate = { kind: "replaced", previousMessages };
  let what = "casr had no record of writing it";
  if (existing.state.kind === "own-turns") {
    update.ownMessages = existing.state.own.length;
    what = `it had ${plural(existing.state.own.length, "message")} of its own`;
  } else if (existing.state.kind === "changed") {
    what = "its conversation had changed since casr wrote it";
  }
  return {
    update,
    existing,
    paths,
    warning: {
      code: "target-replaced",
      message: `--force replaced ${targetProvider.id} session "${plan.sessionId}" ` +
        `(${previousMessages} messages; ${what}); the old file is kept as a backup`,
    },
  };
}

/** Whether `a` is `b`'s beginning, timestamps aside. */
function isPrefix(a: readonly ProjectedMessage[], b: readonly ProjectedMessage[]): boolean {
  if (a.length > b.length) return false;
  return a.every((m, i) => {
    const n = b[i] as ProjectedMessage;
    return m.role === n.role && m.text === n.text && deepEqual(m.toolCalls, n.toolCalls) &&
      deepEqual(m.toolResults, n.toolResults) && deepEqual(m.images, n.images);
  });
}

/**
 * Appends a verified write to the ledger; a ledger that cannot be written
 * only warns.
 *
 * @param ctx Where casr keeps its data.
 * @param provider The target provider.
 * @param sessionId The target session id.
 * @param primaryPath Its primary path.
 * @param written The session as read back.
 * @param origin The session it was converted from, if any.
 * @returns A warning when the ledger could not be written.
 */
export async function rememberWrite(
  ctx: ProviderContext,
  provider: Provider,
  sessionId: string,
  primaryPath: string,
  written: Session,
  origin: LedgerRecord["source"],
): Promise<Warning | undefined> {
  const messages = conversationOf(written, provider.toolCallsAsText === true);
  const record: LedgerRecord = {
    v: 1,
    target: provider.id,
    sessionId,
    path: primaryPath,
    messages: messages.length,
    digest: await conversationDigest(messages),
    at: Date.now(),
  };
  if (origin !== undefined) record.source = origin;
  try {
    await appendLedger(ctx, record);
    return undefined;
  } catch (error) {
    return {
      code: "ledger-not-written",
      message: `Could not record this conversion in ${ledgerPath(ctx)} (${
        error instanceof Error ? error.message : String(error)
      }); a later conversion of the same session will ask before replacing it`,
    };
  }
}
