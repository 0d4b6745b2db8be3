/**
 * Text in and out of the full-text index: the user's query as a safe FTS5
 * expression, CJK text spaced into one-character tokens, and snippets turned
 * back into plain text with highlight ranges.
 *
 * The index uses SQLite's `unicode61 remove_diacritics 2` tokenizer, which
 * folds case and accents (`resume` finds `résumé`) but keeps a run of CJK
 * characters as one token, since CJK writing has no spaces between words.
 * casr therefore writes a space between CJK characters, in the indexed text and
 * in the query alike: each CJK character is a token, and a CJK word in a query
 * is a phrase of its characters, which matches that word anywhere in a sentence.
 *
 * @module
 */

/** One CJK character: Han, Hiragana, Katakana or Hangul. */
const CJK = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}";
/** A run of CJK characters, matched where it is asked to start. */
const CJK_RUN_AT = new RegExp(`[${CJK}]+`, "uy");
/**
 * Every code unit a CJK character can start with, and more (a superset:
 * Hangul Jamo, everything from CJK radicals up, and surrogates). A plain
 * range scans text about twice as fast as the script classes, which then
 * check only the places it finds.
 */
const MAYBE_CJK = /[\u1100-\u11FF\u2E80-\uFFEF]/g;

/** The next run of CJK characters at or after `from`, as [start, end), or `undefined`. */
function nextCjkRun(text: string, from: number): [number, number] | undefined {
  MAYBE_CJK.lastIndex = from;
  for (let m = MAYBE_CJK.exec(text); m !== null; m = MAYBE_CJK.exec(text)) {
    CJK_RUN_AT.lastIndex = m.index;
    const run = CJK_RUN_AT.exec(text);
    if (run !== null) return [m.index, m.index + run[0].length];
  }
  return undefined;
}
/** One letter or digit: what the tokenizer keeps in a token. */
const TOKEN_CHAR = /^[\p{L}\p{N}]$/u;

/** Marks the start of a highlighted term in a snippet (a private-use character). */
export const MARK_OPEN = "\uE000";
/** Marks the end of a highlighted term in a snippet. */
export const MARK_CLOSE = "\uE001";

/**
 * Whether a text has a CJK character.
 *
 * @param text The text.
 * @returns `true` when it has one.
 */
export function hasCjk(text: string): boolean {
  return nextCjkRun(text, 0) !== undefined;
}

/**
 * Writes a space between CJK characters, and between a CJK character and a
 * letter or digit, so the tokenizer sees each CJK character as a word.
 *
 * @param text The text.
 * @returns The spaced text (unchanged when it has no CJK character).
 */
export function spaceCjk(text: string): string {
  // Only the runs of CJK characters and their two edges change: a space
  // between the characters of a run, and before or after it where a letter or
  // digit touches it.
  let out = "";
  let at = 0;
  for (let run = nextCjkRun(text, 0); run !== undefined; run = nextCjkRun(text, at)) {
    const [start, end] = run;
    out += text.slice(at, start);
    if (start > 0 && TOKEN_CHAR.test(codePointBefore(text, start))) out += " ";
    // Between two of them unless neither is a letter or digit (a radical, say).
    let previous = "";
    for (const char of text.slice(start, end)) {
      if (previous !== "" && (TOKEN_CHAR.test(previous) || TOKEN_CHAR.test(char))) out += " ";
      out += char;
      previous = char;
    }
    if (end < text.length && TOKEN_CHAR.test(String.fromCodePoint(text.codePointAt(end) ?? 32))) {
      out += " ";
    }
    at = end;
  }
  return at === 0 ? text : out + text.slice(at);
}

/** The character that ends just before `index` (a surrogate pair whole). */
function codePointBefore(text: string, index: number): string {
  const low = text.charCodeAt(index - 1);
  const from = low >= 0xdc00 && low <= 0xdfff && index >= 2 ? index - 2 : index - 1;
  return String.fromCodePoint(text.codePointAt(from) ?? 32);
}

/** One term of a query. */
export interface QueryTerm {
  /** The words, as the user wrote them. */
  text: string;
  /** Whether it was quoted (`"exact phrase"`): matched as written, no prefix. */
  phrase: boolean;
}

/** A term must have a letter or digit to mean anything to the tokenizer. */
const WORDY = /[\p{L}\p{N}]/u;

/**
 * Splits a query into terms: `"quoted text"` is a phrase (an unclosed quote
 * runs to the end), anything else is split on white space. Terms without a
 * letter or digit (`-`, `:`, `()`) are dropped; a trailing `*` is dropped too,
 * since bare words match as prefixes anyway. Control characters (NUL would
 * end the expression early for SQLite) count as white space.
 *
 * @param query The query as typed.
 * @returns The terms, possibly none.
 */
export function parseQuery(query: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const re = /"([^"]*)"?|([^\s"]+)/g;
  for (const m of query.replace(/\p{Cc}/gu, " ").matchAll(re)) {
    if (m[1] !== undefined) {
      if (WORDY.test(m[1])) terms.push({ text: m[1].trim(), phrase: true });
    } else if (m[2] !== undefined) {
      const word = m[2].replace(/\*+$/, "");
      if (WORDY.test(word)) terms.push({ text: word, phrase: false });
    }
  }
  return terms;
}

/** The roles a search can be limited to, and the index column each searches. */
export const SEARCH_ROLES = ["user", "assistant", "tool"] as const;

/** A role a search can be limited to. */
export type SearchRole = typeof SEARCH_ROLES[number];

/** Options for {@linkcode ftsExpression}. */
export interface FtsExpressionOptions {
  /** Only this column (a role's, or `title`). */
  column?: SearchRole | "title";
  /**
   * Any term may match (`OR`) instead of all of them.
   *
   * @default {false}
   */
  any?: boolean;
}

/**
 * The FTS5 expression for some terms: every term is a quoted string (so no
 * character of the user's can be FTS5 syntax), bare words end in `*` (prefix
 * match), and all must match (or any, with `any`). With a column, only it is searched.
 *
 * @param terms The terms (at least one).
 * @param options Column and `any`.
 * @returns The expression for `MATCH`.
 */
export function ftsExpression(
  terms: readonly QueryTerm[],
  options: FtsExpressionOptions = {},
): string {
  const parts = terms.map((t) => {
    const quoted = `"${spaceCjk(t.text).replaceAll('"', '""')}"`;
    return t.phrase ? quoted : `${quoted}*`;
  });
  const all = parts.join(options.any ? " OR " : " AND ");
  return options.column === undefined ? all : `{${options.column}} : (${all})`;
}

/** Letters and digits, as the tokenizer sees words (closely enough to find a match). */
const WORD = /[\p{L}\p{N}]+/gu;

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

let accented: Map<string, string> | undefined;

/** Base letter → the accented letters that fold to it (Latin, Greek, Cyrillic). */
function accentTable(): Map<string, string> {
  if (accented) return accented;
  accented = new Map();
  for (const [from, to] of [[0xc0, 0x24f], [0x370, 0x3ff], [0x400, 0x4ff], [0x1e00, 0x1eff]]) {
    for (let cp = from as number; cp <= (to as number); cp++) {
      const ch = String.fromCodePoint(cp);
      const base = fold(ch);
      if (base.length === 1 && base !== ch.toLowerCase()) {
        accented.set(base, (accented.get(base) ?? "") + ch);
      }
    }
  }
  return accented;
}

/**
 * A regular expression that finds a term in indexed text as the tokenizer
 * would: any case, any accents, words separated by anything that is not a
 * letter or digit, a prefix for bare words.
 */
function termPattern(term: QueryTerm): RegExp | undefined {
  const words = spaceCjk(term.text).match(WORD);
  if (!words) return undefined;
  const table = accentTable();
  const word = (w: string): string =>
    [...fold(w)].map((ch) => {
      const more = table.get(ch);
      return `${more ? `[${ch}${more}]` : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\p{M}*`;
    }).join("");
  const body = words.map(word).join("[^\\p{L}\\p{N}]+");
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}${term.phrase ? "(?![\\p{L}\\p{N}])" : ""}`, "iu");
}

/**
 * Where the first match of any term is in a text, found without SQLite (to
 * cut a small window of a long text for the snippet).
 *
 * @param text Indexed text (CJK spaced).
 * @param terms The query's terms.
 * @returns The UTF-16 offset, or -1.
 */
export function locate(text: string, terms: readonly QueryTerm[]): number {
  let best = -1;
  for (const term of terms) {
    const at = termPattern(term)?.exec(text)?.index;
    if (at !== undefined && (best < 0 || at < best)) best = at;
  }
  return best;
}

/** A snippet as plain text with the matched stretches. */
export interface Snippet {
  /** The text, on one line. */
  text: string;
  /** `[start, end)` UTF-16 offsets of the matched stretches in `text`. */
  highlights: [number, number][];
}

const SPACED_CJK = new RegExp(
  `([${CJK}])([${MARK_OPEN}${MARK_CLOSE}]?) ([${MARK_OPEN}${MARK_CLOSE}]?)(?=[${CJK}])`,
  "gu",
);

/**
 * Turns an FTS5 `snippet()` made with {@linkcode MARK_OPEN} and
 * {@linkcode MARK_CLOSE} into plain text and highlight ranges: the spaces
 * written between CJK characters go again, neighbouring highlights merge, and
 * white space (line breaks too) becomes single spaces.
 *
 * @param marked The snippet.
 * @returns The text and ranges.
 */
export function readSnippet(marked: string): Snippet {
  const joined = marked.replace(SPACED_CJK, "$1$2$3")
    .replace(new RegExp(`${MARK_CLOSE}(\\s*)${MARK_OPEN}`, "g"), "$1")
    .replace(/\s+/g, " ").trim();
  let text = "";
  const highlights: [number, number][] = [];
  let start = -1;
  for (const ch of joined) {
    if (ch === MARK_OPEN) start = text.length;
    else if (ch === MARK_CLOSE) {
      if (start >= 0 && text.length > start) highlights.push([start, text.length]);
      start = -1;
    } else text += ch;
  }
  return { text, highlights };
}
