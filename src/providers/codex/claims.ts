/**
 * Recognising a Codex rollout from its name and first bytes.
 *
 * @module
 */
import * as path from "node:path";
import { isRolloutName, isTsRolloutName } from "./paths.ts";

const LINE_TYPES = ["session_meta", "response_item", "event_msg", "turn_context", "compacted"];

/**
 * Whether a file looks like a Codex rollout: a `rollout-….jsonl(.zst)` name,
 * a TypeScript-era `rollout-….json` that opens with `{"session":` or `{"items":`,
 * or a first line that is a `{timestamp, type, payload}` envelope of a rollout
 * line type (the first line may be cut off by the head, so it is matched as
 * text). Claude (`"type":"user"`, `uuid`) and Gemini (`sessionId`) lines do not
 * match.
 *
 * @param file The file path.
 * @param head The first bytes of the file.
 * @returns `true` for a rollout.
 */
export function claimsRollout(file: string, head: string): boolean {
  const name = path.basename(file);
  if (name.endsWith(".jsonl.zst")) return isRolloutName(name);
  // The TypeScript CLI's single-object rollout: `{"session": {...}, "items": [...]}`.
  if (isTsRolloutName(name)) return /^\s*\{\s*"(session|items)"\s*:/.test(head);
  const first = head.trimStart().split("\n", 1)[0] ?? "";
  if (!first.startsWith("{")) return false;
  const typeMatch = /"type"\s*:\s*"([a-z_]+)"\s*,\s*"payload"\s*:\s*\{/.exec(first);
  if (typeMatch && LINE_TYPES.includes(typeMatch[1] ?? "") && /"timestamp"\s*:/.test(first)) {
    return true;
  }
  // Early 2025 rollouts start with a bare meta object; trust the name then.
  return isRolloutName(name);
}
