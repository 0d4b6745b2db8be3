/**
 * Hand-made rollout lines for the Codex reader tests (shaped after codex-rs
 * and the genuine 0.150–0.169 rollouts, not written by Codex): a
 * `session_meta`, response items and events at second-of-minute stamps, and
 * a temp Codex home to put them in.
 *
 * @module
 */
import * as path from "node:path";
import type { ProviderContext } from "../../types.ts";
import { codexTempDir } from "./temp.ts";

/** The session id of every hand-made rollout. */
export const ID = "019a6f2e-5b1c-7d3e-8f40-1a2b3c4d5e6f";

/** A context whose home holds nothing. */
export const CTX: ProviderContext = { env: {}, homeDir: "/nonexistent-home", cwd: "/" };

/** A hand-made `session_meta` line (codex_cli_rs 0.150.0 in `/home/dev/proj`). */
export const meta = {
  timestamp: "2026-08-20T14:03:10.120Z",
  type: "session_meta",
  payload: {
    id: ID,
    timestamp: "2026-08-20T14:03:10.118Z",
    cwd: "/home/dev/proj",
    originator: "codex_cli_rs",
    cli_version: "0.150.0",
  },
};

function stamped(ts: string, type: string, payload: object): object {
  return { timestamp: `2026-08-20T14:03:${ts}Z`, type, payload };
}

/**
 * A `response_item` line.
 *
 * @param ts Seconds and milliseconds within the minute, `"10.000"`.
 * @param payload The item.
 * @returns The line's value.
 */
export function item(ts: string, payload: object): object {
  return stamped(ts, "response_item", payload);
}

/**
 * An `event_msg` line.
 *
 * @param ts Seconds and milliseconds within the minute.
 * @param payload The event.
 * @returns The line's value.
 */
export function event(ts: string, payload: object): object {
  return stamped(ts, "event_msg", payload);
}

/**
 * A user message item with one `input_text`.
 *
 * @param ts Seconds and milliseconds within the minute.
 * @param text The text.
 * @returns The line's value.
 */
export function userItem(ts: string, text: string): object {
  return item(ts, { type: "message", role: "user", content: [{ type: "input_text", text }] });
}

/**
 * An assistant message item with one `output_text`.
 *
 * @param ts Seconds and milliseconds within the minute.
 * @param text The text.
 * @returns The line's value.
 */
export function assistantItem(ts: string, text: string): object {
  return item(ts, { type: "message", role: "assistant", content: [{ type: "output_text", text }] });
}

/**
 * Writes hand-made rollout lines into a new temp Codex home
 * (`.codex/sessions/2026/08/20/rollout-…-<ID>.jsonl`).
 *
 * @param lines The lines: values are written as JSON, strings as they are.
 * @param name The file name, when not the usual one.
 * @returns The file.
 */
export async function handMade(lines: (object | string)[], name?: string): Promise<string> {
  const dir = await codexTempDir("casr-codex-read-");
  const sessions = path.join(dir, ".codex", "sessions", "2026", "08", "20");
  await Deno.mkdir(sessions, { recursive: true });
  const file = path.join(sessions, name ?? `rollout-2026-08-20T14-03-10-${ID}.jsonl`);
  const text = lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n");
  await Deno.writeTextFile(file, text + "\n");
  return file;
}
