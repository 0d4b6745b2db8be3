/**
 * File edits as `apply_patch` patches (the grammar Codex and Cline CLI 3.x
 * declare: `*** Begin Patch`, `*** Add File:` / `*** Update File:`, `@@`,
 * `*** End Patch`). Only the two shapes these helpers write are read back: a
 * new file, and one replacement without context lines. Anything else is left
 * alone by the vocabulary mapping.
 *
 * @module
 */
import type { ToolArgs } from "./tool_vocabulary_spec.ts";

const BEGIN = "*** Begin Patch";
const END = "*** End Patch";
const ADD = "*** Add File: ";
const UPDATE = "*** Update File: ";

function prefixed(text: string, mark: string): string[] {
  return text.split("\n").map((line) => mark + line);
}

function plainPath(path: unknown): path is string {
  return typeof path === "string" && path !== "" && !/[\r\n]/.test(path) && path.trim() === path;
}

/**
 * Writes a new file's content as a patch.
 *
 * @param args `path` and `content`; nothing else.
 * @returns The patch, or `undefined` for other arguments.
 */
export function writePatch(args: ToolArgs): string | undefined {
  const { path, content, ...rest } = args;
  if (!plainPath(path) || typeof content !== "string" || Object.keys(rest).length > 0) {
    return undefined;
  }
  return [BEGIN, ADD + path, ...prefixed(content, "+"), END].join("\n");
}

/**
 * Writes one replacement (`old_string` → `new_string`) as a patch.
 *
 * @param args `path`, `old_string`, `new_string`; nothing else.
 * @returns The patch, or `undefined` for other arguments (an empty `old_string`
 * or `replace_all` included).
 */
export function editPatch(args: ToolArgs): string | undefined {
  const { path, old_string: before, new_string: after, ...rest } = args;
  if (
    !plainPath(path) || typeof before !== "string" || before === "" ||
    typeof after !== "string" || Object.keys(rest).length > 0
  ) {
    return undefined;
  }
  return [BEGIN, UPDATE + path, "@@", ...prefixed(before, "-"), ...prefixed(after, "+"), END]
    .join("\n");
}

function body(patch: string, header: string): { path: string; lines: string[] } | undefined {
  const lines = patch.split("\n");
  if (lines[0] !== BEGIN || lines.at(-1) !== END || !lines[1]?.startsWith(header)) {
    return undefined;
  }
  const path = lines[1].slice(header.length);
  return plainPath(path) ? { path, lines: lines.slice(2, -1) } : undefined;
}

/**
 * Reads a patch {@linkcode writePatch} would write.
 *
 * @param patch The patch text.
 * @returns `path` and `content`, or `undefined` for any other patch.
 */
export function readWritePatch(patch: string): ToolArgs | undefined {
  const found = body(patch, ADD);
  if (!found || found.lines.length === 0 || !found.lines.every((l) => l.startsWith("+"))) {
    return undefined;
  }
  return { path: found.path, content: found.lines.map((l) => l.slice(1)).join("\n") };
}

/**
 * Reads a patch {@linkcode editPatch} would write.
 *
 * @param patch The patch text.
 * @returns `path`, `old_string` and `new_string`, or `undefined` for any other patch.
 */
export function readEditPatch(patch: string): ToolArgs | undefined {
  const found = body(patch, UPDATE);
  if (!found || found.lines[0] !== "@@") return undefined;
  const rest = found.lines.slice(1);
  const split = rest.findIndex((l) => !l.startsWith("-"));
  if (split <= 0 || !rest.slice(split).every((l) => l.startsWith("+"))) return undefined;
  const cut = (l: string): string => l.slice(1);
  const before = rest.slice(0, split).map(cut).join("\n");
  const after = rest.slice(split).map(cut).join("\n");
  return { path: found.path, old_string: before, new_string: after };
}
