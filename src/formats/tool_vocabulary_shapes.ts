/**
 * Argument shapes that need more than renaming, for the vocabulary table in
 * `tool_vocabulary_families.ts`: line ranges, one-element lists, URLs inside a
 * prompt, argv arrays, Codex code-mode `exec` scripts and `apply_patch`
 * patches. Each reshaping is only done where its inverse gives the input back.
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { readNestedCall, writeNestedCall } from "./tool_vocabulary_js.ts";
import { editPatch, readEditPatch, readWritePatch, writePatch } from "./tool_vocabulary_patch.ts";
import {
  isRecord,
  toCanonicalKeys,
  toNativeKeys,
  type ToolArgs,
  type ToolOperation,
  type ToolSpec,
} from "./tool_vocabulary_spec.ts";

/**
 * Whether a value is a 1-based line number.
 *
 * @param value Any value.
 * @returns `true` for a positive safe integer.
 */
export function isLine(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

/**
 * `start_line` / `end_line` (inclusive, 1-based) → `offset` / `limit`, only
 * when {@linkcode rangeToLines} gives the input back.
 *
 * @param input The arguments.
 * @param startKey The start line's name.
 * @param endKey The end line's name.
 * @returns The arguments with `offset` (and `limit`), or the input unchanged.
 */
export function linesToRange(input: ToolArgs, startKey: string, endKey: string): ToolArgs {
  const { [startKey]: start, [endKey]: end, ...rest } = input;
  if (!isLine(start)) return input;
  if (end === undefined) return { ...rest, offset: start };
  if (isLine(end) && end >= start) return { ...rest, offset: start, limit: end - start + 1 };
  return input;
}

/**
 * `offset` / `limit` → `start_line` / `end_line`, the inverse of {@linkcode linesToRange}.
 *
 * @param input The arguments.
 * @param startKey The start line's name.
 * @param endKey The end line's name.
 * @returns The arguments with line numbers, or the input unchanged.
 */
export function rangeToLines(input: ToolArgs, startKey: string, endKey: string): ToolArgs {
  const { offset, limit, ...rest } = input;
  if (!isLine(offset) || (limit !== undefined && !isLine(limit))) return input;
  const out: ToolArgs = { ...rest, [startKey]: offset };
  if (limit !== undefined) out[endKey] = offset + limit - 1;
  return out;
}

/**
 * The one element of a list argument.
 *
 * @param input The arguments.
 * @param key The list's name.
 * @returns The element and the other arguments, or `undefined` unless the list has one element.
 */
export function single(
  input: ToolArgs,
  key: string,
): { item: unknown; rest: ToolArgs } | undefined {
  const { [key]: list, ...rest } = input;
  return Array.isArray(list) && list.length === 1 ? { item: list[0], rest } : undefined;
}

/**
 * Whether a value is an object with no other keys than `allowed`.
 *
 * @param item Any value.
 * @param allowed The keys it may have.
 * @returns `true` for such an object.
 */
export function onlyKeys(item: unknown, allowed: readonly string[]): item is ToolArgs {
  return isRecord(item) && Object.keys(item).every((k) => allowed.includes(k));
}

const URL_LINE = /^(https?:\/\/\S+)(?:\n([\s\S]*))?$/;
const URL_ANY = /https?:\/\/[^\s"'<>)]+/;

/** Gemini's `web_fetch {prompt}` carries the URL in its prompt. */
export const geminiFetch: Pick<ToolSpec, "unwrap" | "wrap"> = {
  unwrap: (input) => {
    const { prompt, ...rest } = input;
    if (typeof prompt !== "string") return undefined;
    const line = URL_LINE.exec(prompt);
    if (line) {
      return line[2] === undefined
        ? { ...rest, url: line[1] }
        : { ...rest, url: line[1], prompt: line[2] };
    }
    const any = URL_ANY.exec(prompt);
    return any ? { ...rest, url: any[0], prompt } : undefined;
  },
  wrap: (input) => {
    const { url, prompt, ...rest } = input;
    if (typeof url !== "string") return undefined;
    if (typeof prompt === "string" && prompt.includes(url) && !URL_LINE.test(prompt)) {
      return { ...rest, prompt };
    }
    return { ...rest, prompt: typeof prompt === "string" ? `${url}\n${prompt}` : url };
  },
};

/** `{edits: [{oldText, newText}]}` (pi, OpenClaw) ↔ one replacement. */
export const editsList: Pick<ToolSpec, "unwrap" | "wrap"> = {
  unwrap: (input) => {
    const one = single(input, "edits");
    if (!one || !onlyKeys(one.item, ["oldText", "newText"])) return undefined;
    return { ...one.rest, old_string: one.item.oldText, new_string: one.item.newText };
  },
  wrap: ({ old_string, new_string, ...rest }) => ({
    ...rest,
    edits: [{ oldText: old_string, newText: new_string }],
  }),
};

/**
 * A list argument of exactly one string ↔ that string.
 *
 * @param listKey The list's name (e.g. `commands`).
 * @param as The canonical name of the string (e.g. `command`).
 * @returns The reshaping.
 */
export function oneOf(listKey: string, as: string): Pick<ToolSpec, "unwrap" | "wrap"> {
  return {
    unwrap: (input) => {
      const one = single(input, listKey);
      return one && typeof one.item === "string" ? { ...one.rest, [as]: one.item } : undefined;
    },
    wrap: ({ [as]: value, ...rest }) => ({ ...rest, [listKey]: [value] }),
  };
}

/**
 * A shell command as an argv array (`["bash", "-lc", "ls"]`) → the script
 * (read only: older Codex builds' calls).
 *
 * @param key The argv's name.
 * @returns The reshaping.
 */
export function argvScript(key: string): Pick<ToolSpec, "unwrap"> {
  return {
    unwrap: (input) => {
      const { [key]: argv, ...rest } = input;
      if (typeof argv === "string") return { ...rest, command: argv };
      if (!Array.isArray(argv) || !argv.every((a) => typeof a === "string")) return undefined;
      const words = argv as string[];
      if (
        words.length === 3 && /(^|\/)(ba|z|)sh$/.test(words[0] as string) &&
        /^-l?c$/.test(words[1] as string)
      ) {
        return { ...rest, command: words[2] };
      }
      return words.every((w) => /^[\w@%+=:,./-]+$/.test(w))
        ? { ...rest, command: words.join(" ") }
        : undefined;
    },
  };
}

/**
 * The argument that keeps a Codex `exec` script written otherwise than
 * {@linkcode writeNestedCall} would write it (other output lines, other
 * spacing), so the call comes back to Codex as it was.
 */
export const CODEX_SCRIPT_ARG = "codex_exec_script";

/** A first-line comment of an `exec` script (not Codex's `// @exec:` pragma). */
const COMMENT_RE = /^\/\/ (?!@exec:)(\S(?:.*\S)?)\n/;

/**
 * A Codex code-mode `exec` call of one nested tool, its argument read and
 * written by the given functions. A call's `description` is the script's
 * first-line comment (`// List files`), which is how a script says what it is for.
 */
function codexExec(
  op: ToolOperation,
  tool: string,
  fromArgument: (argument: unknown) => ToolArgs | undefined,
  toArgument: (args: ToolArgs) => unknown,
): ToolSpec {
  const decode = (script: string): ToolArgs | undefined => {
    const comment = COMMENT_RE.exec(script);
    const call = readNestedCall(comment ? script.slice(comment[0].length) : script);
    const args = call?.tool === tool ? fromArgument(call.argument) : undefined;
    if (args === undefined || !comment || "description" in args) return args;
    return { ...args, description: comment[1] };
  };
  const encode = ({ description, ...args }: ToolArgs): string | undefined => {
    const inComment = typeof description === "string" &&
      COMMENT_RE.exec(`// ${description}\n`)?.[1] === description;
    const argument = toArgument(
      inComment || description === undefined ? args : { ...args, description },
    );
    if (argument === undefined) return undefined;
    return (inComment ? `// ${description}\n` : "") + writeNestedCall({ tool, argument });
  };
  return {
    name: "exec",
    op,
    decodeText: (script) => {
      const args = decode(script);
      if (args === undefined || CODEX_SCRIPT_ARG in args) return args;
      return encode(args) === script ? args : { ...args, [CODEX_SCRIPT_ARG]: script };
    },
    encodeText: ({ [CODEX_SCRIPT_ARG]: script, ...args }) => {
      // The kept script, unless the call was changed since.
      if (typeof script === "string" && isDeepStrictEqual(decode(script), args)) return script;
      return encode(args);
    },
  };
}

/**
 * A Codex nested tool that takes an object.
 *
 * @param op The operation.
 * @param tool The nested tool, e.g. `exec_command`.
 * @param keys Canonical → the nested tool's parameter names.
 * @returns The `exec` tool spec.
 */
export function codexObject(
  op: ToolOperation,
  tool: string,
  keys: Record<string, string>,
): ToolSpec {
  return codexExec(
    op,
    tool,
    (argument) => isRecord(argument) ? toCanonicalKeys(keys, argument) : undefined,
    (args) => toNativeKeys(keys, args),
  );
}

/**
 * Codex's nested free-form `apply_patch`: a new file or one replacement.
 *
 * @param op `write` or `edit`.
 * @returns The `exec` tool spec.
 */
export function codexPatch(op: "write" | "edit"): ToolSpec {
  const read = op === "write" ? readWritePatch : readEditPatch;
  return codexExec(
    op,
    "apply_patch",
    (argument) => typeof argument === "string" ? read(argument) : undefined,
    op === "write" ? writePatch : editPatch,
  );
}

/**
 * An `apply_patch {input}` tool (Cline CLI 3.x, older Codex): other arguments ride along.
 *
 * @param op `write` or `edit`.
 * @returns The reshaping.
 */
export function patchObject(op: "write" | "edit"): Pick<ToolSpec, "unwrap" | "wrap"> {
  const read = op === "write" ? readWritePatch : readEditPatch;
  const write = op === "write" ? writePatch : editPatch;
  const own = op === "write" ? ["path", "content"] : ["path", "old_string", "new_string"];
  return {
    unwrap: ({ input, ...rest }) => {
      const change = typeof input === "string" ? read(input) : undefined;
      return change && Object.keys(change).every((k) => !(k in rest))
        ? { ...rest, ...change }
        : undefined;
    },
    wrap: (args) => {
      const mine = Object.fromEntries(Object.entries(args).filter(([k]) => own.includes(k)));
      const rest = Object.fromEntries(Object.entries(args).filter(([k]) => !own.includes(k)));
      const input = write(mine);
      return input === undefined ? undefined : { ...rest, input };
    },
  };
}
