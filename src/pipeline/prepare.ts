/**
 * Cleaning a session up for its target before the budget and the writer see it,
 * so the target's model API accepts the resumed conversation and nothing is lost
 * without a word:
 *
 * - reasoning the target cannot carry is dropped (before the budget, so it never
 *   costs turns);
 * - images the target cannot carry, or that are outside the limits every model
 *   API accepts, become a placeholder that names them;
 * - whitespace-only texts become empty (writers then leave them out), and a
 *   failed tool result with no output gets a short text;
 * - tool names outside the target's pattern, and call ids outside
 *   `[A-Za-z0-9_-]` or longer than {@linkcode MAX_CALL_ID} characters, are
 *   renamed, the same way for calls and their results;
 * - strings with lone surrogates are made well-formed.
 *
 * Every kind of change is one warning. Pure; the input is not modified.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { ImageContent, Message, Session, ToolCall, Warning } from "../model/types.ts";
import type { ProviderCarries } from "../providers/types.ts";
import {
  ANTHROPIC_IMAGE_TYPES,
  ANTHROPIC_MAX_IMAGE_BYTES,
  base64Bytes,
} from "../formats/images.ts";
import { plural } from "../internal/plural.ts";

/** The text a failed tool result with no output gets (a model API refuses an empty one). */
export const EMPTY_ERROR_OUTPUT = "(the tool failed without output)";

/**
 * Image media types every supported model API accepts as base64 data (the
 * Anthropic Messages API's set is the narrowest).
 */
export const IMAGE_MEDIA_TYPES: ReadonlySet<string> = ANTHROPIC_IMAGE_TYPES;

/** The largest image, in decoded bytes, sent as an image (Anthropic's per-image limit). */
export const MAX_IMAGE_BYTES: number = ANTHROPIC_MAX_IMAGE_BYTES;

/** The alphabet every model API accepts in a tool call id. */
const CALL_ID = /^[A-Za-z0-9_-]+$/;

/**
 * The longest tool call id every model API accepts: OpenAI's Responses and Chat
 * Completions APIs refuse a longer `call_id` with a 400 (`string_above_max_length`).
 */
export const MAX_CALL_ID = 64;

/** What {@linkcode prepareForTarget} needs to know of the target. */
export interface PrepareTarget {
  /** The target's name, for warnings. */
  name: string;
  /** What it carries. */
  carries?: ProviderCarries;
  /** Whether to keep reasoning the target carries (it is dropped when it cannot). */
  keepReasoning?: boolean;
}

/** What {@linkcode prepareForTarget} returns. */
export interface PrepareOutcome {
  /** The cleaned copy (the input itself when nothing changed). */
  session: Session;
  /** One warning per kind of change. */
  warnings: Warning[];
}

/** Why an image cannot travel as an image, or `undefined` when it can. */
function imageProblem(
  image: ImageContent,
  carries: ProviderCarries | undefined,
): string | undefined {
  if (!carries?.images) return "not carried by the target";
  if (image.data === undefined || image.data === "") return "its data was not kept";
  if (!IMAGE_MEDIA_TYPES.has(image.mediaType.toLowerCase())) {
    return `${image.mediaType} is not an image type model APIs accept`;
  }
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(image.data)) return "its data is not base64";
  const bytes = base64Bytes(image.data);
  if (bytes > MAX_IMAGE_BYTES) return `${formatBytes(bytes)} is over the 5 MB limit`;
  return undefined;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * The text that stands for an image a target cannot carry: it names the image
 * (its file, when known), its type and size.
 *
 * @param image The image.
 * @returns A one-line placeholder, e.g. `[image: shot.png (image/png, 12 KB)]`.
 */
export function imagePlaceholder(image: ImageContent): string {
  const size = image.data ? `, ${formatBytes(base64Bytes(image.data))}` : "";
  return `[image: ${image.source ?? "unnamed"} (${image.mediaType}${size})]`;
}

/** Lone surrogates replaced by U+FFFD, with a count of the strings changed. */
class WellFormed {
  changed = 0;
  text(value: string): string {
    if (value.isWellFormed()) return value;
    this.changed++;
    return value.toWellFormed();
  }
  deep(value: unknown): unknown {
    if (typeof value === "string") return this.text(value);
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, i) => {
        const next = this.deep(item);
        if (next !== item) (copy ??= [...value])[i] = next;
      });
      return copy ?? value;
    }
    if (typeof value === "object" && value !== null) {
      let copy: Record<string, unknown> | undefined;
      for (const [key, item] of Object.entries(value)) {
        const next = this.deep(item);
        const nextKey = this.text(key);
        if (next !== item || nextKey !== key) {
          copy ??= { ...(value as Record<string, unknown>) };
          if (nextKey !== key) delete copy[key];
          copy[nextKey] = next;
        }
      }
      return copy ?? value;
    }
    return value;
  }
}

/** Renames values outside a pattern, one new value per original, never colliding. */
class Renamer {
  readonly renamed = new Map<string, string>();
  private readonly taken = new Set<string>();
  /**
   * @param pattern What a value must match (none: every value fits).
   * @param max The longest value.
   * @param digestLong Whether a value too long keeps its start and a digest of
   *   the whole (ids, which often differ only at their end: `<tool>-<time>-<random>`)
   *   rather than only its start (names, which a model reads).
   */
  constructor(
    private readonly pattern: RegExp | undefined,
    private readonly max: number,
    private readonly digestLong = false,
  ) {}
  /** Records a value that stays as it is. */
  keep(value: string): void {
    if (this.fits(value)) this.taken.add(value);
  }
  fits(value: string): boolean {
    return this.pattern === undefined || (this.pattern.test(value) && value.length <= this.max);
  }
  map(value: string, fallback: string): string {
    if (this.fits(value)) return value;
    const known = this.renamed.get(value);
    if (known !== undefined) return known;
    let base = value.replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "") || fallback;
    if (base.length > this.max && this.digestLong) {
      const digest = createHash("sha256").update(value).digest("hex").slice(0, 16);
      base = `${base.slice(0, this.max - digest.length - 1)}-${digest}`;
    }
    base = base.slice(0, this.max);
    let candidate = base;
    for (let n = 2; this.taken.has(candidate) || !this.fits(candidate); n++) {
      const suffix = `-${n}`;
      candidate = base.slice(0, this.max - suffix.length) + suffix;
      if (n > 10_000) break;
    }
    this.taken.add(candidate);
    this.renamed.set(value, candidate);
    return candidate;
  }
}

/**
 * Cleans a session up for a target (see the module doc).
 *
 * @param session The session (not modified).
 * @param target The target's name and what it carries.
 * @returns The cleaned session and one warning per kind of change.
 *
 * @example A target without images gets a placeholder that names the image
 * ```ts
 * import { prepareForTarget } from "@casr/core";
 * import assert from "node:assert/strict";
 *
 * const { session, warnings } = prepareForTarget({
 *   id: "s", provider: "claude-code", metadata: {},
 *   messages: [{ index: 0, role: "user", text: "look", toolCalls: [], toolResults: [],
 *     images: [{ mediaType: "image/png", data: "iVBORw0KGgo=", source: "shot.png" }] }],
 * }, { name: "Aider" });
 * assert.equal(session.messages[0]?.text, "look\n[image: shot.png (image/png, 8 bytes)]");
 * assert.equal(warnings[0]?.code, "images-as-text");
 * ```
 */
export function prepareForTarget(session: Session, target: PrepareTarget): PrepareOutcome {
  const carries = target.carries;
  const strings = new WellFormed();
  const names = new Renamer(carries?.toolName, 64);
  const ids = new Renamer(CALL_ID, MAX_CALL_ID, true);
  for (const m of session.messages) {
    for (const c of m.toolCalls) {
      names.keep(c.name);
      ids.keep(c.id);
    }
    for (const r of m.toolResults) ids.keep(r.callId);
  }
  let reasoningDropped = 0;
  let blanked = 0;
  let emptyErrors = 0;
  const placeholders = new Map<string, number>();
  let changed = false;

  const placeholdersFor = (images: ImageContent[] | undefined) => {
    const kept: ImageContent[] = [];
    const texts: string[] = [];
    for (const image of images ?? []) {
      const problem = imageProblem(image, carries);
      if (problem === undefined) {
        kept.push(image);
      } else {
        texts.push(imagePlaceholder(image));
        placeholders.set(problem, (placeholders.get(problem) ?? 0) + 1);
      }
    }
    return { kept, texts };
  };
  const withTexts = (text: string, texts: string[]): string =>
    texts.length === 0 ? text : [text, ...texts].filter((t) => t !== "").join("\n");

  const messages = session.messages.map((original): Message => {
    let m: Message = original;
    const edit = (): Message => {
      if (m === original) m = { ...original };
      changed = true;
      return m;
    };
    const text = strings.text(m.text);
    if (text.trim() === "" && text !== "") {
      edit().text = "";
      blanked++;
    } else if (text !== m.text) edit().text = text;
    if (m.reasoning !== undefined) {
      const reasoning = strings.text(m.reasoning);
      if (reasoning.trim() === "" || !carries?.reasoning) {
        const { reasoning: dropped, ...rest } = m;
        if (dropped.trim() !== "") reasoningDropped++;
        m = rest;
        changed = true;
      } else if (reasoning !== m.reasoning) edit().reasoning = reasoning;
    }
    if (m.images !== undefined) {
      const { kept, texts } = placeholdersFor(m.images);
      if (texts.length > 0 || kept.length === 0) {
        const copy = edit();
        copy.text = withTexts(copy.text, texts);
        if (kept.length > 0) copy.images = kept;
        else delete copy.images;
      }
    }
    const toolCalls = m.toolCalls.map((call): ToolCall => {
      const name = names.map(strings.text(call.name), "tool");
      const id = ids.map(strings.text(call.id), "call");
      const input = strings.deep(call.input);
      if (name === call.name && id === call.id && input === call.input) return call;
      return { ...call, name, id, input };
    });
    if (toolCalls.some((c, i) => c !== m.toolCalls[i])) edit().toolCalls = toolCalls;
    const toolResults = m.toolResults.map((result) => {
      let r = result;
      const set = <K extends keyof typeof r>(key: K, value: (typeof r)[K]): void => {
        if (r === result) r = { ...result };
        r[key] = value;
      };
      const callId = ids.map(strings.text(r.callId), "call");
      if (callId !== r.callId) set("callId", callId);
      if (r.name !== undefined) {
        const name = names.map(strings.text(r.name), "tool");
        if (name !== r.name) set("name", name);
      }
      let output = strings.text(r.output);
      if (r.images !== undefined) {
        const { kept, texts } = placeholdersFor(r.images);
        if (texts.length > 0 || kept.length === 0) {
          output = withTexts(output, texts);
          if (kept.length > 0) set("images", kept);
          else {
            if (r === result) r = { ...result };
            delete r.images;
          }
        }
      }
      if (r.isError && output.trim() === "" && (r.images?.length ?? 0) === 0) {
        output = EMPTY_ERROR_OUTPUT;
        emptyErrors++;
      }
      if (output !== r.output) set("output", output);
      return r;
    });
    if (toolResults.some((r, i) => r !== m.toolResults[i])) edit().toolResults = toolResults;
    return m;
  });

  const warnings: Warning[] = [];
  if (reasoningDropped > 0) {
    warnings.push({
      code: "reasoning-dropped",
      message: `Dropped the reasoning of ${plural(reasoningDropped, "message")}: ${target.name} ` +
        `does not send earlier reasoning to its model`,
    });
  }
  if (placeholders.size > 0) {
    const total = [...placeholders.values()].reduce((a, b) => a + b, 0);
    const why = [...placeholders].map(([problem, n]) => `${n}: ${problem}`).join("; ");
    warnings.push({
      code: "images-as-text",
      message:
        `Wrote ${plural(total, "image")} as a text placeholder naming it for ${target.name} ` +
        `(${why})`,
    });
  }
  if (blanked > 0) {
    warnings.push({
      code: "blank-text-removed",
      message: `Left out ${plural(blanked, "whitespace-only text")} (model APIs refuse them)`,
    });
  }
  if (emptyErrors > 0) {
    warnings.push({
      code: "empty-error-output",
      message: `Gave ${plural(emptyErrors, "failed tool result")} without output the text ` +
        `"${EMPTY_ERROR_OUTPUT}" (model APIs refuse an empty error result)`,
    });
  }
  if (names.renamed.size > 0) {
    const list = [...names.renamed].map(([from, to]) => `${from} → ${to}`).join(", ");
    warnings.push({
      code: "tool-names-renamed",
      message:
        `Renamed ${plural(names.renamed.size, "tool name")} to the alphabet ${target.name}'s ` +
        `model API accepts: ${list}`,
    });
  }
  if (ids.renamed.size > 0) {
    warnings.push({
      code: "call-ids-renamed",
      message: `Renamed ${plural(ids.renamed.size, "tool call id")} outside [A-Za-z0-9_-] or ` +
        `over ${MAX_CALL_ID} characters`,
    });
  }
  if (strings.changed > 0) {
    warnings.push({
      code: "malformed-text-repaired",
      message: `Replaced lone surrogates in ${plural(strings.changed, "string")} with U+FFFD ` +
        `(model APIs refuse malformed UTF-16)`,
    });
  }
  if (!changed) return { session, warnings };
  return { session: { ...session, messages }, warnings };
}
