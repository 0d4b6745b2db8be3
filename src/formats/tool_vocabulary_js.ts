/**
 * Codex's code-mode tool calls: Codex CLI 0.169 declares one free-form tool,
 * `exec`, whose input is JavaScript that calls nested tools on a global
 * `tools` object (`await tools.exec_command({ cmd: "ls" })`). These helpers
 * read such a script when it makes exactly one nested call, and write one.
 *
 * The parser reads JavaScript literals (objects, arrays, strings in any of the
 * three quotes without interpolation, numbers, `true`, `false`, `null`), not
 * JavaScript: a script whose argument is an expression is not read.
 *
 * @module
 */

/** One nested call found in a Codex `exec` script. */
export interface NestedCall {
  /** The nested tool's name, e.g. `exec_command`. */
  tool: string;
  /** Its argument: an object, or a string for free-form tools such as `apply_patch`. */
  argument: unknown;
}

const CALL_RE = /\btools\.([A-Za-z_$][\w$]*)\s*\(/g;
const IDENT_RE = /^[A-Za-z_$][\w$]*$/;

class LiteralReader {
  at = 0;
  constructor(readonly text: string) {}

  fail(): never {
    throw new SyntaxError(`Cannot read a JavaScript literal at offset ${this.at}`);
  }

  skip(): void {
    for (;;) {
      const rest = this.text.slice(this.at);
      const space = /^\s+/.exec(rest);
      if (space) {
        this.at += space[0].length;
        continue;
      }
      if (rest.startsWith("//")) {
        const end = this.text.indexOf("\n", this.at);
        this.at = end === -1 ? this.text.length : end;
        continue;
      }
      if (rest.startsWith("/*")) {
        const end = this.text.indexOf("*/", this.at + 2);
        if (end === -1) this.fail();
        this.at = end + 2;
        continue;
      }
      return;
    }
  }

  value(): unknown {
    this.skip();
    const c = this.text[this.at];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"' || c === "'" || c === "`") return this.string();
    const word = /^(?:true|false|null|-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(
      this.text.slice(this.at),
    );
    if (!word) this.fail();
    this.at += word[0].length;
    return JSON.parse(word[0]);
  }

  string(): string {
    const quote = this.text[this.at] as string;
    let out = "";
    this.at++;
    while (this.at < this.text.length) {
      const c = this.text[this.at] as string;
      if (c === quote) {
        this.at++;
        return out;
      }
      if (quote === "`" && c === "$" && this.text[this.at + 1] === "{") this.fail();
      if (c === "\\") {
        out += this.escape();
        continue;
      }
      if (c === "\n" && quote !== "`") this.fail();
      out += c;
      this.at++;
    }
    return this.fail();
  }

  escape(): string {
    const c = this.text[this.at + 1];
    this.at += 2;
    const simple: Record<string, string> = {
      n: "\n",
      r: "\r",
      t: "\t",
      b: "\b",
      f: "\f",
      v: "\v",
      "0": "\0",
      "\n": "",
    };
    if (c === undefined) this.fail();
    if (c in simple) return simple[c] as string;
    if (c === "x" || c === "u") {
      const braced = c === "u" && this.text[this.at] === "{";
      const match = braced
        ? /^\{([0-9a-fA-F]+)\}/.exec(this.text.slice(this.at))
        : new RegExp(`^[0-9a-fA-F]{${c === "x" ? 2 : 4}}`).exec(this.text.slice(this.at));
      if (!match) this.fail();
      this.at += match[0].length;
      return String.fromCodePoint(parseInt(braced ? match[1] as string : match[0], 16));
    }
    return c;
  }

  array(): unknown[] {
    const out: unknown[] = [];
    this.at++;
    for (;;) {
      this.skip();
      if (this.text[this.at] === "]") {
        this.at++;
        return out;
      }
      out.push(this.value());
      this.skip();
      if (this.text[this.at] === ",") this.at++;
      else if (this.text[this.at] !== "]") this.fail();
    }
  }

  object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    for (;;) {
      this.skip();
      const c = this.text[this.at];
      if (c === "}") {
        this.at++;
        return out;
      }
      let key: string;
      if (c === '"' || c === "'") key = this.string();
      else {
        const ident = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.at));
        if (!ident) this.fail();
        key = ident[0];
        this.at += key.length;
      }
      this.skip();
      if (this.text[this.at] !== ":") this.fail();
      this.at++;
      out[key] = this.value();
      this.skip();
      if (this.text[this.at] === ",") this.at++;
      else if (this.text[this.at] !== "}") this.fail();
    }
  }
}

/**
 * Reads the one nested tool call of a Codex `exec` script.
 *
 * @param script The `exec` input (JavaScript).
 * @returns The call, or `undefined` when the script calls no nested tool, more
 * than one, or passes an argument that is not a literal.
 *
 * @example Reading a shell call
 * ```ts
 * import assert from "node:assert/strict";
 * import { readNestedCall } from "./tool_vocabulary_js.ts";
 *
 * const call = readNestedCall('const r = await tools.exec_command({ cmd: "ls" });\ntext(r.output);');
 * assert.deepEqual(call, { tool: "exec_command", argument: { cmd: "ls" } });
 * ```
 */
export function readNestedCall(script: string): NestedCall | undefined {
  const calls = [...script.matchAll(CALL_RE)];
  if (calls.length !== 1) return undefined;
  const match = calls[0] as RegExpMatchArray;
  const reader = new LiteralReader(script);
  reader.at = (match.index ?? 0) + match[0].length;
  try {
    const argument = reader.value();
    reader.skip();
    if (script[reader.at] !== ")") return undefined;
    return { tool: match[1] as string, argument };
  } catch {
    return undefined;
  }
}

/** A value as a JavaScript literal: JSON, with identifier keys unquoted. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${IDENT_RE.test(k) ? k : JSON.stringify(k)}: ${literal(v)}`);
    return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Writes a Codex `exec` script that makes one nested call and prints its text
 * output, the way Codex's own model writes a single call.
 *
 * @param call The nested tool and its argument.
 * @returns The JavaScript.
 *
 * @example Writing a shell call
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeNestedCall } from "./tool_vocabulary_js.ts";
 *
 * assert.equal(
 *   writeNestedCall({ tool: "exec_command", argument: { cmd: "ls" } }),
 *   'const r = await tools.exec_command({ cmd: "ls" });\ntext(typeof r === "string" ? r : r.output);',
 * );
 * ```
 */
export function writeNestedCall(call: NestedCall): string {
  return `const r = await tools.${call.tool}(${literal(call.argument)});\n` +
    'text(typeof r === "string" ? r : r.output);';
}
