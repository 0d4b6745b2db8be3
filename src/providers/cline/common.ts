/**
 * Small helpers shared by the Cline family's stores.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import type { Message, Warning } from "../../model/types.ts";
import { clipText } from "../../model/normalize.ts";
import { plural } from "../../internal/plural.ts";
export { fillTimestamps } from "../../internal/times.ts";

/** Files larger than this get no message count in listings. */
export const SCAN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * A one-line title from a prompt: its first non-empty line, cut at 100 characters.
 *
 * @param prompt The first user prompt.
 * @returns The title ("" for an empty prompt).
 */
export function titleFromPrompt(prompt: string): string {
  const line = prompt.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
  return clipText(line, 100);
}

/** The user, assistant and tool messages a writer writes. */
export function conversation(messages: readonly Message[]): Message[] {
  return messages.filter((m) => m.role === "user" || m.role === "assistant" || m.role === "tool");
}

/** The warning for dropped reasoning, when any message had some. */
export function reasoningWarning(messages: readonly Message[], target: string): Warning[] {
  const count = messages.filter((m) => m.reasoning !== undefined && m.reasoning !== "").length;
  if (count === 0) return [];
  return [{
    code: "reasoning-dropped",
    message: `Dropped the reasoning of ${
      plural(count, "message")
    }: ${target} keeps reasoning only as provider-signed thinking blocks`,
  }];
}

/**
 * Counts `"role":` keys in a file without parsing it (an upper bound on the
 * message count); `undefined` when the file is missing or too large.
 *
 * @param file The file.
 * @returns The count.
 */
export async function countRoles(file: string): Promise<number | undefined> {
  try {
    const stat = await fsp.stat(file);
    if (stat.size > SCAN_LIMIT_BYTES) return undefined;
    const text = await fsp.readFile(file, "utf8");
    return text.match(/"role"\s*:\s*"(user|assistant)"/g)?.length ?? 0;
  } catch {
    return undefined;
  }
}

/** The workspace named in an `<environment_details>` block, if any. */
export function workspaceFromEnvironment(text: string): string | undefined {
  const match = /# Current (?:Working|Workspace) Directory \(([^)\n]+)\) Files/.exec(text);
  return match?.[1]?.trim() || undefined;
}

/** Parses JSON, or `undefined`. */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads and parses a JSON file, or `undefined`. */
export async function readJsonFile(file: string): Promise<unknown> {
  try {
    return tryJson(await fsp.readFile(file, "utf8"));
  } catch {
    return undefined;
  }
}
