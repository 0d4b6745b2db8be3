/**
 * Canonical messages to Pi entries: ids, the header, model facts and usage
 * (see `pi_session.ts`).
 *
 * @module
 */
import type { Message, Warning } from "../model/types.ts";
import { toolInputObject } from "../model/normalize.ts";
import { isoTime } from "../internal/ids.ts";
import { fillTimestamps } from "../internal/times.ts";
import { piImageBlocks } from "./pi_images.ts";
import { PI_SESSION_VERSION, type PiEntry, type PiSessionHeader } from "./pi_entries.ts";
import { plural } from "../internal/plural.ts";

/** The model an assistant message names: `provider`, `api` and `model`. */
export interface PiModelInfo {
  /** Pi provider name, e.g. `anthropic`. */
  provider: string;
  /** Pi API name, e.g. `anthropic-messages`. */
  api: string;
  /** Model id, e.g. `claude-sonnet-4-5`. */
  model: string;
}

/** The model written when a canonical session names none. */
export const PI_DEFAULT_MODEL: PiModelInfo = {
  provider: "anthropic",
  api: "anthropic-messages",
  model: "claude-sonnet-4-5",
};

/**
 * A plausible Pi provider and API for a model id from another agent
 * (`claude-*` → anthropic, `gpt-*`/`o1…`/`codex` → openai, `gemini-*` →
 * google, else `unknown`/`openai-completions`). Pi falls back to a configured
 * model when the recorded provider has no credentials.
 *
 * @param model A model id, or `undefined` for {@linkcode PI_DEFAULT_MODEL}.
 * @returns The model info.
 *
 * @example
 * ```ts
 * import { piModelInfo } from "./pi_session.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(piModelInfo("gpt-5.1").provider, "openai");
 * assert.equal(piModelInfo(undefined).model, "claude-sonnet-4-5");
 * ```
 */
export function piModelInfo(model: string | undefined): PiModelInfo {
  if (model === undefined || model.trim() === "") return { ...PI_DEFAULT_MODEL };
  const m = model.toLowerCase();
  if (m.includes("claude")) return { provider: "anthropic", api: "anthropic-messages", model };
  if (/^(gpt|o\d|codex|chatgpt)/.test(m)) {
    return { provider: "openai", api: "openai-responses", model };
  }
  if (m.includes("gemini")) return { provider: "google", api: "google-generative-ai", model };
  return { provider: "unknown", api: "openai-completions", model };
}

/** The all-zero `usage` object (Pi 0.73 crashes on resume without one). */
export function piZeroUsage(): Record<string, unknown> {
  return {
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
    totalTokens: 0,
    cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
  };
}

/**
 * A new entry id like Pi's: 8 hex chars not in `used` (a full UUID after 100 collisions).
 *
 * @param used Ids already taken; the new one is added.
 * @returns The id.
 */
export function newPiEntryId(used: Set<string>): string {
  let id: string = crypto.randomUUID();
  for (let i = 0; i < 100; i++) {
    const short = crypto.randomUUID().slice(0, 8);
    if (!used.has(short)) {
      id = short;
      break;
    }
  }
  used.add(id);
  return id;
}

/**
 * A version-3 session header.
 *
 * @param id The session id.
 * @param cwd The working directory (must exist for Pi to resume).
 * @param time Creation time, epoch ms.
 * @param version The version to write (OpenClaw writes 4).
 * @returns The header record.
 */
export function piSessionHeader(
  id: string,
  cwd: string,
  time: number,
  version: number = PI_SESSION_VERSION,
): PiSessionHeader {
  return { type: "session", version, id, timestamp: isoTime(time), cwd };
}

/** Options for {@linkcode canonicalToPiEntries}. */
export interface CanonicalToPiOptions {
  /** Fallback time for messages without one, epoch ms. */
  now: number;
  /** The model for assistant messages without an author (default from the session model). */
  model?: PiModelInfo;
  /** Starts with a `model_change` entry naming `model`. Default `true`. */
  modelChange?: boolean;
  /** Ends with a `session_info` entry with this name. */
  title?: string;
  /** Makes entry ids; default {@linkcode newPiEntryId} (OpenClaw uses UUIDs). */
  newEntryId?: (used: Set<string>) => string;
}

/**
 * Builds Pi entries for a canonical conversation: one chain, each entry the
 * child of the one before. User messages → `user` messages (a text block,
 * then an `image` block per image);
 * assistant messages → `assistant` with `text` and `toolCall` blocks (object
 * arguments), `api`/`provider`/`model`, zero `usage` and `stopReason`
 * (`toolUse` when it ends in calls, else `stop`); each tool result → its own
 * `toolResult` entry (its text, then its images). An image without its bytes
 * is dropped with a warning. Reasoning, `system` and `other` messages are not written
 * (Pi drops thinking from another model anyway; Pi adds its own system
 * prompt). Every message carries its time (epoch ms) and its entry the ISO
 * form.
 *
 * @param messages The canonical conversation (repaired: results after their calls).
 * @param options Time, model, title and id maker.
 * @returns The entries (without header) and warnings.
 */
export function canonicalToPiEntries(
  messages: readonly Message[],
  options: CanonicalToPiOptions,
): { entries: PiEntry[]; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const used = new Set<string>();
  const makeId = options.newEntryId ?? newPiEntryId;
  const entries: PiEntry[] = [];
  const times = fillTimestamps(messages, options.now);
  let previous = times[0] ?? options.now;
  const model = options.model ?? PI_DEFAULT_MODEL;
  const add = (type: string, time: number, body: Record<string, unknown>): void => {
    const id = makeId(used);
    used.add(id);
    entries.push({
      type,
      id,
      parentId: entries.at(-1)?.id ?? null,
      timestamp: isoTime(time),
      ...body,
    });
  };
  if (options.modelChange !== false) {
    add("model_change", previous, { provider: model.provider, modelId: model.model });
  }
  const callNames = new Map<string, string>();
  let droppedReasoning = 0;
  messages.forEach((message, i) => {
    const time = Math.max(times[i] ?? previous, previous);
    previous = time;
    if (message.role === "user") {
      const images = piImageBlocks(message.images, `message ${message.index}`, warnings);
      if (message.text.trim() === "" && images.length === 0) return;
      const content = message.text.trim() === "" ? [] : [{ type: "text", text: message.text }];
      add("message", time, {
        message: { role: "user", content: [...content, ...images], timestamp: time },
      });
    } else if (message.role === "assistant") {
      if (message.reasoning !== undefined && message.reasoning !== "") droppedReasoning++;
      const content: Record<string, unknown>[] = [];
      if (message.text !== "") content.push({ type: "text", text: message.text });
      for (const call of message.toolCalls) {
        callNames.set(call.id, call.name);
        content.push({
          type: "toolCall",
          id: call.id,
          name: call.name,
          arguments: toolInputObject(call.input),
        });
      }
      if (content.length === 0) return;
      const info = message.author !== undefined && message.author !== model.model
        ? piModelInfo(message.author)
        : model;
      add("message", time, {
        message: {
          role: "assistant",
          content,
          api: info.api,
          provider: info.provider,
          model: info.model,
          usage: piZeroUsage(),
          stopReason: message.toolCalls.length > 0 ? "toolUse" : "stop",
          timestamp: time,
        },
      });
    } else if (message.role === "tool") {
      for (const result of message.toolResults) {
        const images = piImageBlocks(
          result.images,
          `the result of call "${result.callId}"`,
          warnings,
        );
        const text = result.output === "" && images.length > 0
          ? []
          : [{ type: "text", text: result.output }];
        add("message", time, {
          message: {
            role: "toolResult",
            toolCallId: result.callId,
            toolName: result.name ?? callNames.get(result.callId) ?? "unknown",
            content: [...text, ...images],
            isError: result.isError,
            timestamp: time,
          },
        });
      }
    }
  });
  if (droppedReasoning > 0) {
    warnings.push({
      code: "dropped-reasoning",
      message: `Dropped the reasoning of ${plural(droppedReasoning, "assistant message")}`,
    });
  }
  if (options.title !== undefined && options.title.trim() !== "") {
    add("session_info", previous, { name: options.title.trim() });
  }
  return { entries, warnings };
}
