/**
 * Finds the module specifiers a TypeScript file imports, with their lines, by
 * lexing its text: comments, strings, template literals and regular expression
 * literals are read as such, so an `import` inside a comment or a JSDoc example
 * is not taken for one. Used by `scripts/check_layers.ts`.
 *
 * What counts as an import: `import … from "x"`, `import "x"`, `export … from "x"`
 * (types included) and `import("x")` with a literal specifier (also inside a
 * type, `typeof import("x")`). An `import(expr)` with a computed specifier is
 * not followed.
 *
 * @module
 */

/** One import found in a file. */
export interface ImportSite {
  /** The specifier as written, e.g. `../model/types.ts` or `@casr/core`. */
  specifier: string;
  /** The 1-based line of the specifier. */
  line: number;
  /** Whether it is an `import("…")` call rather than a static import or re-export. */
  dynamic: boolean;
}

/** A lexical token: a word, a string literal (its value) or one punctuation character. */
interface Token {
  kind: "word" | "string" | "punct";
  text: string;
  line: number;
}

/** Words after which a `/` starts a regular expression, not a division. */
const REGEX_AFTER_WORDS = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * Splits TypeScript source into the tokens that matter for imports. Template
 * literals without `${}` become string tokens; the code inside `${}` is lexed
 * as code.
 */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  /** For each open `${`, the brace depth at which it closes. */
  const templateDepths: number[] = [];
  let depth = 0;
  let line = 1;
  let i = 0;
  const n = text.length;

  /** Reads a template literal's text from `i` (after the backtick or `}`) to its end or `${`. */
  const readTemplate = (startLine: number): void => {
    let value = "";
    let plain = true;
    while (i < n) {
      const c = text[i]!;
      if (c === "\\") {
        value += text[i + 1] ?? "";
        if (text[i + 1] === "\n") line++;
        i += 2;
        continue;
      }
      if (c === "`") {
        i++;
        if (plain) tokens.push({ kind: "string", text: value, line: startLine });
        else tokens.push({ kind: "punct", text: "`", line });
        return;
      }
      if (c === "$" && text[i + 1] === "{") {
        i += 2;
        plain = false;
        templateDepths.push(depth);
        depth++;
        tokens.push({ kind: "punct", text: "`", line });
        return;
      }
      if (c === "\n") line++;
      value += c;
      i++;
    }
  };

  const previous = (): Token | undefined => tokens[tokens.length - 1];
  const regexMayStart = (): boolean => {
    const prev = previous();
    if (prev === undefined) return true;
    if (prev.kind === "string") return false;
    if (prev.kind === "word") return REGEX_AFTER_WORDS.has(prev.text);
    return !")]}".includes(prev.text);
  };

  while (i < n) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      i++;
    } else if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < n && text[i] !== "\n") i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? n : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === "\n") line++;
      i = stop;
    } else if (c === '"' || c === "'") {
      const startLine = line;
      let value = "";
      i++;
      while (i < n && text[i] !== c && text[i] !== "\n") {
        if (text[i] === "\\") {
          value += text[i + 1] ?? "";
          if (text[i + 1] === "\n") line++;
          i += 2;
        } else value += text[i++];
      }
      i++;
      tokens.push({ kind: "string", text: value, line: startLine });
    } else if (c === "`") {
      i++;
      readTemplate(line);
    } else if (c === "/" && regexMayStart()) {
      i++;
      let inClass = false;
      while (i < n && text[i] !== "\n") {
        const r = text[i]!;
        if (r === "\\") i++;
        else if (r === "[") inClass = true;
        else if (r === "]") inClass = false;
        else if (r === "/" && !inClass) break;
        i++;
      }
      i++;
      while (i < n && WORD.test(text[i]!)) i++;
      tokens.push({ kind: "string", text: "", line });
    } else if (WORD.test(c)) {
      const start = i;
      while (i < n && WORD.test(text[i]!)) i++;
      tokens.push({ kind: "word", text: text.slice(start, i), line });
    } else {
      if (c === "{") depth++;
      if (c === "}") {
        depth--;
        if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth) {
          templateDepths.pop();
          i++;
          readTemplate(line);
          continue;
        }
      }
      tokens.push({ kind: "punct", text: c, line });
      i++;
    }
  }
  return tokens;
}

/** Tokens allowed between `import`/`export` and `from` in a static import or re-export. */
function isClauseToken(t: Token): boolean {
  if (t.kind === "word") return true;
  return t.kind === "punct" && "{},*".includes(t.text);
}

/**
 * The imports of one TypeScript file, in source order.
 *
 * @param text The file's source text.
 * @returns Each import's specifier, line and kind.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanImports } from "./import_scan.ts";
 *
 * const found = scanImports('// import "./no.ts"\nimport { a } from "./a.ts";\n');
 * assert.deepEqual(found, [{ specifier: "./a.ts", line: 2, dynamic: false }]);
 * ```
 */
export function scanImports(text: string): ImportSite[] {
  const tokens = tokenize(text);
  const found: ImportSite[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== "word" || (t.text !== "import" && t.text !== "export")) continue;
    const before = tokens[k - 1];
    if (before?.kind === "punct" && before.text === ".") continue;
    const next = tokens[k + 1];
    if (next === undefined) continue;
    if (t.text === "import" && next.kind === "punct" && next.text === "(") {
      const spec = tokens[k + 2];
      const close = tokens[k + 3];
      if (
        spec?.kind === "string" && close?.kind === "punct" && (close.text === ")" ||
          close.text === ",")
      ) {
        found.push({ specifier: spec.text, line: spec.line, dynamic: true });
      }
      continue;
    }
    if (t.text === "import" && next.kind === "string") {
      found.push({ specifier: next.text, line: next.line, dynamic: false });
      continue;
    }
    if (t.text === "export") {
      const head = next.text === "type" ? tokens[k + 2] : next;
      if (head?.kind !== "punct" || (head.text !== "{" && head.text !== "*")) continue;
    }
    let j = k + 1;
    while (j < tokens.length && isClauseToken(tokens[j]!) && tokens[j]!.text !== "from") j++;
    const from = tokens[j];
    const spec = tokens[j + 1];
    if (from?.kind === "word" && from.text === "from" && spec?.kind === "string") {
      found.push({ specifier: spec.text, line: spec.line, dynamic: false });
    }
  }
  return found;
}
