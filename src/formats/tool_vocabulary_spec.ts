/**
 * The shape of the tool vocabulary table: operations, canonical argument
 * names, one tool's description, and the argument renaming every tool uses.
 *
 * @module
 */

/** The operations a call can be mapped through. */
export const TOOL_OPERATIONS = [
  "shell",
  "read",
  "write",
  "edit",
  "grep",
  "glob",
  "list",
  "fetch",
  "search",
  "image",
  "subagent",
] as const;

/** A canonical tool operation. */
export type ToolOperation = typeof TOOL_OPERATIONS[number];

/** Tool arguments by name. */
export type ToolArgs = Record<string, unknown>;

/**
 * The canonical argument names of each operation (`cwd` and `description` of
 * a shell call, `old_string` / `new_string` of an edit, ...). A call's other
 * arguments travel with it under their own names.
 */
export const CANONICAL_ARGS: Readonly<Record<ToolOperation, readonly string[]>> = {
  shell: ["command", "cwd", "description"],
  read: ["path", "offset", "limit"],
  write: ["path", "content"],
  edit: ["path", "old_string", "new_string", "replace_all"],
  grep: ["pattern", "path", "glob"],
  glob: ["pattern", "path"],
  list: ["path"],
  fetch: ["url", "prompt"],
  search: ["query"],
  image: ["path"],
  subagent: ["prompt", "description", "subagent_type"],
};

/** One tool of a family and how its input maps to an operation. */
export interface ToolSpec {
  /** The tool name the agent declares, e.g. `run_shell_command`. */
  readonly name: string;
  /** The operation it performs. */
  readonly op: ToolOperation;
  /** Canonical argument name → the tool's parameter name, where they differ or match. */
  readonly keys?: Readonly<Record<string, string>>;
  /**
   * Read only: a name older versions of the agent used. The family's first
   * tool for an operation that is not read-only is the one calls are mapped to.
   */
  readonly decodeOnly?: boolean;
  /** Reshapes a native input before renaming (e.g. `{commands: [c]}` → `{command: c}`). */
  readonly unwrap?: (input: ToolArgs) => ToolArgs | undefined;
  /** The inverse of `unwrap`, after renaming. */
  readonly wrap?: (input: ToolArgs) => ToolArgs | undefined;
  /** For a free-form tool: its string input → canonical arguments. */
  readonly decodeText?: (input: string) => ToolArgs | undefined;
  /** For a free-form tool: canonical arguments → its string input. */
  readonly encodeText?: (args: ToolArgs) => string | undefined;
}

/** A tool call as a canonical operation. */
export interface CanonicalToolCall {
  /** The operation. */
  op: ToolOperation;
  /** Canonical arguments plus the call's other arguments under their own names. */
  args: ToolArgs;
}

/**
 * Whether a value is a plain object (not an array, not `null`).
 *
 * @param value Any value.
 * @returns `true` for an object.
 */
export function isRecord(value: unknown): value is ToolArgs {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Renames native parameters to canonical ones; parameters without a mapping
 * keep their names.
 *
 * @param keys Canonical → native names.
 * @param input The native arguments.
 * @returns The arguments with canonical names.
 */
export function toCanonicalKeys(
  keys: Readonly<Record<string, string>>,
  input: ToolArgs,
): ToolArgs {
  const out: ToolArgs = {};
  const inverse = new Map(Object.entries(keys).map(([canon, native]) => [native, canon]));
  for (const [key, value] of Object.entries(input)) {
    const canon = inverse.get(key);
    if (canon !== undefined) out[canon] = value;
  }
  for (const [key, value] of Object.entries(input)) {
    if (!inverse.has(key) && !(key in out)) out[key] = value;
  }
  return out;
}

/**
 * Renames canonical parameters to native ones; the others keep their names.
 *
 * @param keys Canonical → native names.
 * @param args The canonical arguments.
 * @returns The native arguments.
 */
export function toNativeKeys(keys: Readonly<Record<string, string>>, args: ToolArgs): ToolArgs {
  const out: ToolArgs = {};
  for (const [canon, native] of Object.entries(keys)) {
    if (args[canon] !== undefined) out[native] = args[canon];
  }
  for (const [key, value] of Object.entries(args)) {
    if (!(key in keys) && !(key in out) && value !== undefined) out[key] = value;
  }
  return out;
}
