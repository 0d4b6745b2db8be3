/**
 * Comparing two canonical sessions the way a model would see them.
 *
 * @module
 */
import type { Message, Session } from "../model/types.ts";
import { textSlices, toolInputObject } from "../model/normalize.ts";
import { createHash } from "node:crypto";
import { flattenToolCalls } from "../formats/tool_text.ts";

/** The part of a message that must survive a conversion. */
export interface ProjectedMessage {
  /** `user`, `assistant` or `tool`. */
  role: "user" | "assistant" | "tool";
  /** Trimmed text. */
  text: string;
  /** Tool calls: name and object input. */
  toolCalls: { name: string; input: Record<string, unknown> }[];
  /** Tool results: trimmed output and the position of the call they answer. */
  toolResults: { output: string; callIndex: number }[];
  /** The media types of its images, the message's first, then each result's, in order. */
  images: string[];
  /** Epoch ms, when known. */
  timestamp?: number;
  /** Trimmed reasoning, when there is some. */
  reasoning?: string;
}

/** One difference found by {@linkcode compareSessions}. */
export interface SessionDifference {
  /** The position in the projected conversation. */
  index: number;
  /**
   * What differs: `count`, `role`, `text`, `tool-calls`, `tool-results`,
   * `images`, `reasoning` or `timestamp`.
   */
  field: string;
  /** The value in the source. */
  expected: unknown;
  /** The value read back. */
  actual: unknown;
}

/**
 * Projects a session to what must survive conversion: the user, assistant and
 * tool messages that carry text, calls or results, a run of user messages as
 * one, and an assistant message that only calls tools as part of the assistant
 * message before it (as a model sees them). Tool results point at their call by position in the
 * conversation, so renamed ids still compare equal.
 *
 * @param session The session.
 * @returns The projected messages.
 */
export function projectSession(session: Session): ProjectedMessage[] {
  const out: ProjectedMessage[] = [];
  const callPositions = new Map<string, number>();
  let callCounter = 0;
  for (const message of session.messages) {
    if (message.role !== "user" && message.role !== "assistant" && message.role !== "tool") {
      continue;
    }
    if (isEmpty(message)) continue;
    const projected: ProjectedMessage = {
      role: message.role,
      text: message.text.trim(),
      toolCalls: message.toolCalls.map((call) => {
        callPositions.set(call.id, callCounter++);
        return { name: call.name, input: toolInputObject(call.input) };
      }),
      toolResults: message.toolResults.map((r) => ({
        output: r.output.trim(),
        callIndex: callPositions.get(r.callId) ?? -1,
      })),
      images: [
        ...(message.images ?? []),
        ...message.toolResults.flatMap((r) => r.images ?? []),
      ].map((image) => image.mediaType.toLowerCase()),
    };
    if (message.timestamp !== undefined) projected.timestamp = message.timestamp;
    const reasoning = message.reasoning?.trim() ?? "";
    if (reasoning !== "") projected.reasoning = reasoning;
    // Consecutive user messages are one turn to a model (the APIs merge them), and
    // an agent may store them either way.
    const last = out.at(-1);
    if (
      last !== undefined && last.role === "user" && projected.role === "user" &&
      last.toolResults.length === 0 && projected.toolResults.length === 0 &&
      last.toolCalls.length === 0 && projected.toolCalls.length === 0
    ) {
      last.text = [last.text, projected.text].filter((t) => t !== "").join("\n\n");
      last.images.push(...projected.images);
      continue;
    }
    // So is an assistant message that only calls tools, right after another
    // assistant message: Claude Code and Gemini CLI store such a reply either
    // way and read it back as one.
    if (
      last !== undefined && last.role === "assistant" && projected.role === "assistant" &&
      projected.text === "" && projected.reasoning === undefined &&
      projected.images.length === 0 && projected.toolCalls.length > 0
    ) {
      last.toolCalls.push(...projected.toolCalls);
      continue;
    }
    out.push(projected);
  }
  return out;
}

function isEmpty(message: Message): boolean {
  return message.text.trim() === "" && message.toolCalls.length === 0 &&
    message.toolResults.length === 0 && (message.images?.length ?? 0) === 0;
}

/** Options for {@linkcode compareSessions}. */
export interface CompareSessionsOptions {
  /**
   * How far apart two timestamps of one message may be, in ms.
   *
   * @default {1000}
   */
  timestampToleranceMs?: number;
  /**
   * Compare as a target without structured tool calls sees it (a provider with
   * `toolCallsAsText`, such as Aider): both sessions go through
   * {@linkcode flattenToolCalls} first, so each run of assistant and tool
   * messages is one assistant message with the calls and results as text.
   *
   * @default {false}
   */
  toolCallsAsText?: boolean;
  /**
   * Require the expected session's reasoning to read back: for a target that
   * carries reasoning (`Provider.carries.reasoning`). Other targets drop it
   * on purpose (see `prepareForTarget`).
   *
   * @default {false}
   */
  reasoning?: boolean;
}

/**
 * Lists the differences between a source session and the session read back
 * after writing it: order, roles, text, tool calls and results, images, the
 * source's reasoning, timestamps.
 *
 * @param expected The session that was written.
 * @param actual The session read back.
 * @param options Tolerances.
 * @returns The differences; empty when the conversion is faithful.
 *
 * @example Equal conversations
 * ```ts
 * import { compareSessions } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const session = {
 *   id: "a", provider: "codex", metadata: {},
 *   messages: [{ index: 0, role: "user" as const, text: "hi", toolCalls: [], toolResults: [] }],
 * };
 * assert.deepEqual(compareSessions(session, { ...session, id: "b" }), []);
 * ```
 */
export function compareSessions(
  expected: Session,
  actual: Session,
  options: CompareSessionsOptions = {},
): SessionDifference[] {
  return compareViews(sessionView(expected, options), sessionView(actual, options), options);
}

/**
 * What {@linkcode compareSessions} compares of a session, as projected once:
 * a writer projects the session it writes before writing, so the session can
 * be let go before the written one is read back.
 *
 * @param session The session.
 * @param options `toolCallsAsText` as for the comparison; `compact` replaces
 * every string longer than {@linkcode COMPACT_ABOVE} characters (texts, tool
 * outputs, tool input values) with its SHA-256 digest, its length and its start,
 * so the view holds none of the session's large strings.
 * @returns The projected messages.
 */
export function sessionView(
  session: Session,
  options: Pick<CompareSessionsOptions, "toolCallsAsText"> & { compact?: boolean } = {},
): ProjectedMessage[] {
  const projected = projectSession(
    options.toolCallsAsText === true ? flattenToolCalls(session).session : session,
  );
  if (options.compact !== true) return projected;
  return projected.map((m) => {
    const out: ProjectedMessage = {
      role: m.role,
      text: compactString(m.text),
      toolCalls: m.toolCalls.map((c) => ({
        name: compactString(c.name),
        input: compactValue(c.input) as Record<string, unknown>,
      })),
      toolResults: m.toolResults.map((r) => ({
        output: compactString(r.output),
        callIndex: r.callIndex,
      })),
      images: m.images,
    };
    if (m.timestamp !== undefined) out.timestamp = m.timestamp;
    if (m.reasoning !== undefined) out.reasoning = compactString(m.reasoning);
    return out;
  });
}

/** Strings longer than this are compared by digest in a compact view. */
export const COMPACT_ABOVE = 256;

/** Characters hashed at a time. */
const HASH_SLICE = 1 << 16;

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

/**
 * A copy of a string, through UTF-8 (a lone surrogate becomes U+FFFD): unlike
 * a slice, it does not keep the string it came from alive.
 */
function detached(text: string): string {
  return DECODER.decode(ENCODER.encode(text));
}

/**
 * A long string's stand-in: `sha256:<hex> <length> chars: <start>…`, which no
 * string of at most {@linkcode COMPACT_ABOVE} characters equals (it would have
 * to hold that digest). Its start is a copy: a slice would keep the whole
 * string alive.
 */
function compactString(text: string): string {
  if (text.length <= COMPACT_ABOVE) return text;
  // Hashed in slices: each is encoded to a buffer of its own, small garbage.
  const hash = createHash("sha256");
  for (const slice of textSlices(text, HASH_SLICE)) hash.update(slice);
  const digest = hash.digest("hex");
  return `sha256:${digest} ${text.length} chars: ${detached(text.slice(0, 60))}…`;
}

function compactValue(value: unknown): unknown {
  if (typeof value === "string") return compactString(value);
  if (Array.isArray(value)) return value.map(compactValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: compactValue(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/**
 * Lists the differences between two session views (see {@linkcode sessionView}),
 * as {@linkcode compareSessions} does between two sessions.
 *
 * @param a The view of the session that was written.
 * @param b The view of the session read back.
 * @param options Tolerances (`toolCallsAsText` went into the views already).
 * @returns The differences; empty when the conversion is faithful.
 */
export function compareViews(
  a: readonly ProjectedMessage[],
  b: readonly ProjectedMessage[],
  options: CompareSessionsOptions = {},
): SessionDifference[] {
  const tolerance = options.timestampToleranceMs ?? 1000;
  const diffs: SessionDifference[] = [];
  if (a.length !== b.length) {
    diffs.push({ index: -1, field: "count", expected: a.length, actual: b.length });
  }
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as ProjectedMessage;
    const y = b[i] as ProjectedMessage;
    if (x.role !== y.role) {
      diffs.push({ index: i, field: "role", expected: x.role, actual: y.role });
    }
    if (x.text !== y.text) {
      diffs.push({ index: i, field: "text", expected: x.text, actual: y.text });
    }
    if (!deepEqual(x.toolCalls, y.toolCalls)) {
      diffs.push({ index: i, field: "tool-calls", expected: x.toolCalls, actual: y.toolCalls });
    }
    if (!deepEqual(x.toolResults, y.toolResults)) {
      diffs.push({
        index: i,
        field: "tool-results",
        expected: x.toolResults,
        actual: y.toolResults,
      });
    }
    if (!deepEqual(x.images, y.images)) {
      diffs.push({ index: i, field: "images", expected: x.images, actual: y.images });
    }
    // Reasoning the source had must read back (the pipeline keeps it only for a target
    // that carries it); reasoning the source had not (a writer folding a reasoning-only
    // message into the next one) is no loss.
    if (options.reasoning === true && x.reasoning !== undefined && x.reasoning !== y.reasoning) {
      diffs.push({ index: i, field: "reasoning", expected: x.reasoning, actual: y.reasoning });
    }
    if (
      x.timestamp !== undefined && y.timestamp !== undefined &&
      Math.abs(x.timestamp - y.timestamp) > tolerance
    ) {
      diffs.push({ index: i, field: "timestamp", expected: x.timestamp, actual: y.timestamp });
    }
    if (diffs.length >= 20) break;
  }
  return diffs;
}

/**
 * Structural equality for JSON-like values (object key order ignored).
 *
 * @param a One value.
 * @param b The other.
 * @returns Whether they are equal.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => deepEqual(v, b[i]));
  }
  if (typeof a === "object") {
    if (Array.isArray(b)) return false;
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
    const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
    if (ak.length !== bk.length) return false;
    return ak.every((k) => Object.hasOwn(bo, k) && deepEqual(ao[k], bo[k]));
  }
  return false;
}

/**
 * Renders differences as short human lines.
 *
 * @param diffs The differences.
 * @returns One line per difference.
 */
export function formatDifferences(diffs: readonly SessionDifference[]): string[] {
  return diffs.map((d) => {
    const where = d.index < 0 ? "conversation" : `message ${d.index}`;
    return `${where}: ${d.field} expected ${short(d.expected)}, got ${short(d.actual)}`;
  });
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
