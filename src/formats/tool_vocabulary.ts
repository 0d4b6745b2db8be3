/**
 * Tool vocabularies: each agent family's tool names and argument shapes, and
 * how they map to a few canonical operations (run a shell command, read,
 * write or edit a file, search text, list files, fetch a page, search the web,
 * view an image). A history tool call written by one agent is renamed to the
 * target agent's own tool for the same operation, with its arguments renamed
 * to the target's parameters, so the target's model sees calls to tools it
 * declares. The table itself is in `tool_vocabulary_families.ts`.
 *
 * Arguments that have no slot in the target keep their names (a canonical
 * name when the source had a slot for it), so a round trip A → B → A gives
 * back the original call. A call whose tool or arguments have no equivalent
 * is left as it is.
 *
 * @module
 */
import type { ToolCall } from "../model/types.ts";
import { TOOL_FAMILIES } from "./tool_vocabulary_families.ts";
import {
  type CanonicalToolCall,
  isRecord,
  toCanonicalKeys,
  toNativeKeys,
  type ToolArgs,
  type ToolOperation,
  type ToolSpec,
} from "./tool_vocabulary_spec.ts";

export { TOOL_FAMILIES };
export {
  CANONICAL_ARGS,
  type CanonicalToolCall,
  toCanonicalKeys,
  toNativeKeys,
  TOOL_OPERATIONS,
  type ToolArgs,
  type ToolOperation,
  type ToolSpec,
} from "./tool_vocabulary_spec.ts";

/** The arguments an operation needs, all strings, before a call counts as that operation. */
const REQUIRED: Readonly<Record<ToolOperation, readonly string[]>> = {
  shell: ["command"],
  read: ["path"],
  write: ["path", "content"],
  edit: ["path", "old_string", "new_string"],
  grep: ["pattern"],
  glob: ["pattern"],
  list: [],
  fetch: ["url"],
  search: ["query"],
  image: ["path"],
  subagent: ["prompt"],
};

function complete(op: ToolOperation, args: ToolArgs | undefined): args is ToolArgs {
  return args !== undefined && REQUIRED[op].every((key) => typeof args[key] === "string");
}

function decodeWith(spec: ToolSpec, input: unknown): ToolArgs | undefined {
  if (typeof input === "string") return spec.decodeText?.(input);
  if (!isRecord(input) || spec.decodeText !== undefined) return undefined;
  const flat = spec.unwrap ? spec.unwrap({ ...input }) : { ...input };
  return flat === undefined ? undefined : toCanonicalKeys(spec.keys ?? {}, flat);
}

function encodeWith(spec: ToolSpec, args: ToolArgs): unknown {
  if (spec.encodeText !== undefined) return spec.encodeText(args);
  const native = toNativeKeys(spec.keys ?? {}, args);
  return spec.wrap ? spec.wrap(native) : native;
}

function familyOf(family: string): readonly ToolSpec[] {
  const specs = TOOL_FAMILIES[family];
  if (specs === undefined) {
    throw new RangeError(
      `Cannot map tools of family "${family}": expected one of ${
        Object.keys(TOOL_FAMILIES).join(", ")
      }`,
    );
  }
  return specs;
}

/**
 * Reads a tool call of a family as a canonical operation.
 *
 * @param family The family (a key of {@linkcode TOOL_FAMILIES}).
 * @param call The call's name and input.
 * @returns The operation, or `undefined` when the family has no such tool or
 * the input does not have the shape the operation needs.
 * @throws {RangeError} For an unknown family.
 *
 * @example A Claude shell call
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeToolCall } from "./tool_vocabulary.ts";
 *
 * assert.deepEqual(decodeToolCall("claude", { name: "Bash", input: { command: "ls" } }), {
 *   op: "shell",
 *   args: { command: "ls" },
 * });
 * ```
 */
export function decodeToolCall(
  family: string,
  call: Pick<ToolCall, "name" | "input">,
): CanonicalToolCall | undefined {
  for (const spec of familyOf(family)) {
    if (spec.name !== call.name) continue;
    const args = decodeWith(spec, call.input);
    if (complete(spec.op, args)) return { op: spec.op, args };
  }
  return undefined;
}

/**
 * Writes a canonical operation as a family's own tool call.
 *
 * @param family The family (a key of {@linkcode TOOL_FAMILIES}).
 * @param call The operation.
 * @returns The tool name and input, or `undefined` when the family has no
 * tool for the operation (or a free-form tool cannot hold these arguments).
 * @throws {RangeError} For an unknown family.
 *
 * @example A shell call for Gemini CLI
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeToolCall } from "./tool_vocabulary.ts";
 *
 * assert.deepEqual(encodeToolCall("gemini", { op: "shell", args: { command: "ls" } }), {
 *   name: "run_shell_command",
 *   input: { command: "ls" },
 * });
 * ```
 */
export function encodeToolCall(
  family: string,
  call: CanonicalToolCall,
): Pick<ToolCall, "name" | "input"> | undefined {
  for (const spec of familyOf(family)) {
    if (spec.op !== call.op || spec.decodeOnly) continue;
    const input = encodeWith(spec, call.args);
    if (input !== undefined) return { name: spec.name, input };
  }
  return undefined;
}

/** What {@linkcode mapToolCall} did with one call. */
export type MapOutcome = "mapped" | "same" | "no-equivalent" | "unknown-tool";

/**
 * Maps one tool call from a family's vocabulary to another's.
 *
 * @param call The call (not modified).
 * @param from The family that wrote it.
 * @param to The family that will read it.
 * @returns The call in the target's vocabulary (the same call when nothing
 * maps) and what happened.
 * @throws {RangeError} For an unknown family.
 *
 * @example Claude's `Bash` for Codex's code-mode `exec`
 * ```ts
 * import assert from "node:assert/strict";
 * import { mapToolCall } from "./tool_vocabulary.ts";
 *
 * const out = mapToolCall({ id: "c1", name: "Bash", input: { command: "ls" } }, "claude", "codex");
 * assert.equal(out.outcome, "mapped");
 * assert.equal(out.call.name, "exec");
 * assert.ok(String(out.call.input).includes('tools.exec_command({ cmd: "ls" })'));
 * ```
 */
export function mapToolCall(
  call: ToolCall,
  from: string,
  to: string,
): { call: ToolCall; outcome: MapOutcome } {
  familyOf(to);
  if (from === to) return { call, outcome: "same" };
  const canonical = decodeToolCall(from, call);
  if (canonical === undefined) return { call, outcome: "unknown-tool" };
  const native = encodeToolCall(to, canonical);
  if (native === undefined) return { call, outcome: "no-equivalent" };
  return { call: { ...call, name: native.name, input: native.input }, outcome: "mapped" };
}
