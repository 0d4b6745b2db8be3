/**
 * The full-text search index: one SQLite file with an FTS5 table, beside the
 * list cache in the user's cache directory.
 *
 * One row per session, with the session's title, user text, assistant text
 * and tool calls (names and inputs) in four columns, and a `docs` table that
 * remembers which file each row was read from, with its size and mtime, so an
 * update reads only new and changed files.
 *
 * Safety: every change runs in a `BEGIN IMMEDIATE` transaction (a crash leaves
 * the last committed state), the file is in WAL mode with a busy timeout (two
 * runs at once wait for each other instead of failing), and a file SQLite
 * calls damaged (on opening, `PRAGMA quick_check` of the `docs` table; later,
 * any "malformed" or "not a database" error), or one written by another index
 * version, is deleted and built again.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as nodePath from "node:path";
import { CasrError } from "../errors.ts";
import { allArrays, openSqlite, type SqliteDatabase } from "./sqlite.ts";
import { MARK_CLOSE, MARK_OPEN, spaceCjk } from "./fts_query.ts";

/** Bump when the tables or the indexed text change: older files are rebuilt. */
export const SEARCH_INDEX_VERSION = 1;

/** The index file's name in the cache directory. */
export const SEARCH_INDEX_FILE = "search.sqlite";

/** The page size of a new index file. */
const PAGE_BYTES = 32 * 1024;

/** How long a run waits for another run's write, in milliseconds. */
const BUSY_TIMEOUT_MS = 30_000;

/** The indexed columns, in table order. */
export const INDEX_COLUMNS = ["title", "user", "assistant", "tool"] as const;

/** An indexed column. */
export type IndexColumn = typeof INDEX_COLUMNS[number];

/** One session's row: where it came from and its text. */
export interface IndexDoc {
  /** The provider id. */
  provider: string;
  /** The session path as its summary gives it (a file, or `db#id`). */
  path: string;
  /** The size of the file it was read from. */
  size: number;
  /** That file's mtime, whole milliseconds. */
  mtime: number;
  /** The title the row was made with (a changed title re-reads the session), as written. */
  title: string;
  /**
   * The text of each column, CJK already spaced (see `spaceCjk`): a string,
   * or its UTF-8 (stored as the same text).
   */
  text: Record<Exclude<IndexColumn, "title">, string | Uint8Array>;
}

/** What the index remembers of one row. */
export interface IndexStamp {
  /** The row id. */
  rowid: number;
  /** File size when read. */
  size: number;
  /** File mtime when read. */
  mtime: number;
  /** Title when read. */
  title: string;
}

/** The index file cannot be used: SQLite says it is damaged. */
export class IndexCorruptError extends Error {
  /**
   * Creates the error.
   *
   * @param message What SQLite said.
   * @param options The cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "IndexCorruptError";
  }
}

/**
 * Whether an error from SQLite means the file is damaged or not a database.
 *
 * @param error The error.
 * @returns `true` for corruption.
 */
export function isCorruption(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /malformed|not a database|corrupt|SQLITE_CORRUPT|SQLITE_NOTADB/i.test(message);
}

// Deno's node:sqlite binds every JS number as a REAL, and FTS5 ignores a REAL
// rowid constraint: rowids are bound through CAST(? AS INTEGER).

/** bm25 weights, per column: a title hit counts most, a tool input least. */
const WEIGHTS = "4.0, 1.0, 1.0, 0.5";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs(
  rowid INTEGER PRIMARY KEY,
  provider TEXT NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime INTEGER NOT NULL,
  title TEXT NOT NULL,
  UNIQUE(provider, path)
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
  title, user, assistant, tool,
  tokenize = 'unicode61 remove_diacritics 2'
);
`;

/** Options for {@linkcode SearchIndex.open}. */
export interface OpenIndexOptions {
  /** Told one line when the file is rebuilt (why). */
  notice?: (line: string) => void;
}

/** An open search index. Close it when done. */
export class SearchIndex {
  #db: SqliteDatabase;

  private constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /**
   * Opens (creating, or rebuilding when damaged or of another version) the
   * index file.
   *
   * @param file The index file.
   * @param options Where to tell about a rebuild.
   * @returns The index.
   * @throws {CasrError} `provider-unavailable` when this runtime has no SQLite.
   */
  static async open(file: string, options: OpenIndexOptions = {}): Promise<SearchIndex> {
    await fsp.mkdir(nodePath.dirname(file), { recursive: true });
    let db = await openDb(file);
    let problem: string | undefined;
    try {
      problem = prepare(db);
    } catch (error) {
      if (!isCorruption(error)) {
        db.close();
        throw error;
      }
      problem = "is damaged";
    }
    if (problem !== undefined) {
      options.notice?.(`casr: the search index ${file} ${problem}; rebuilding it`);
      db.close();
      await removeIndexFiles(file);
      db = await openDb(file);
      const again = prepare(db);
      if (again !== undefined) {
        db.close();
        throw new Error(`Cannot create the search index: ${file} ${again}`);
      }
    }
    return new SearchIndex(db);
  }

  /**
   * What the index holds of some providers' sessions.
   *
   * @param providers Provider ids.
   * @returns `provider\0path` → stamp.
   */
  stamps(providers: readonly string[]): Map<string, IndexStamp> {
    const out = new Map<string, IndexStamp>();
    const wanted = new Set(providers);
    const rows = this.#run(() =>
      allArrays(this.#db.prepare("SELECT provider, path, rowid, size, mtime, title FROM docs"))
    );
    for (const [provider, path, rowid, size, mtime, title] of rows) {
      if (!wanted.has(String(provider))) continue;
      out.set(`${provider}\0${path}`, {
        rowid: Number(rowid),
        size: Number(size),
        mtime: Number(mtime),
        title: String(title),
      });
    }
    return out;
  }

  /**
   * Replaces and removes rows, in one transaction.
   *
   * @param docs Rows to write (an existing row of the same session is replaced).
   * @param remove `[provider, path]` of rows to delete.
   * @returns The row id each of `docs` was written as, in order.
   */
  write(docs: readonly IndexDoc[], remove: readonly (readonly [string, string])[] = []): number[] {
    if (docs.length === 0 && remove.length === 0) return [];
    return this.#run(() => {
      const db = this.#db;
      db.exec("BEGIN IMMEDIATE");
      try {
        const find = db.prepare("SELECT rowid FROM docs WHERE provider = ? AND path = ?");
        const dropDoc = db.prepare("DELETE FROM docs WHERE rowid = CAST(? AS INTEGER)");
        const dropText = db.prepare("DELETE FROM fts WHERE rowid = CAST(? AS INTEGER)");
        const drop = (provider: string, path: string): void => {
          for (const row of find.all(provider, path)) {
            dropText.run(row.rowid);
            dropDoc.run(row.rowid);
          }
        };
        for (const [provider, path] of remove) drop(provider, path);
        let next = Number(
          db.prepare("SELECT ifnull(max(rowid), 0) AS m FROM docs").all()[0]?.m ?? 0,
        ) + 1;
        const addDoc = db.prepare(
          "INSERT INTO docs(rowid, provider, path, size, mtime, title) VALUES (CAST(? AS INTEGER), ?, ?, ?, ?, ?)",
        );
        const addText = db.prepare(
          // UTF-8 bytes are bound as a blob: CAST makes them the text they are.
          "INSERT INTO fts(rowid, title, user, assistant, tool) VALUES (CAST(? AS INTEGER), ?, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT))",
        );
        const rowids: number[] = [];
        for (const d of docs) {
          drop(d.provider, d.path);
          const rowid = next++;
          addDoc.run(rowid, d.provider, d.path, d.size, d.mtime, d.title);
          addText.run(rowid, spaceCjk(d.title), d.text.user, d.text.assistant, d.text.tool);
          rowids.push(rowid);
        }
        db.exec("COMMIT");
        return rowids;
      } catch (error) {
        try {
          db.exec("ROLLBACK");
        } catch {
          // the transaction is gone already
        }
        throw error;
      }
    });
  }

  /**
   * Every row matching an FTS5 expression with its bm25 score (negative;
   * lower ranks first), in no order: the caller knows each row's session by
   * its id, and sorts only the best (for a common word the join and the sort
   * were most of the query's time).
   *
   * @param expression A `MATCH` expression (see `ftsExpression`).
   * @returns `[rowid, score]` of each match.
   */
  scores(expression: string): [rowid: number, score: number][] {
    return this.#run(() =>
      allArrays(
        this.#db.prepare(`SELECT rowid, bm25(fts, ${WEIGHTS}) FROM fts WHERE fts MATCH ?`),
        expression,
      ).map(([rowid, score]) => [Number(rowid), Number(score)])
    );
  }

  /**
   * One column's text of a row.
   *
   * @param rowid The row.
   * @param column The column.
   * @returns The text ("" when absent).
   */
  text(rowid: number, column: IndexColumn): string {
    const row =
      this.#run(() =>
        this.#db.prepare(`SELECT ${column} AS t FROM fts WHERE rowid = CAST(? AS INTEGER)`)
          .all(rowid)
      )[0];
    return typeof row?.t === "string" ? row.t : "";
  }

  /**
   * A row's snippet in one column, matches between `MARK_OPEN` and
   * `MARK_CLOSE` (see `readSnippet`). FTS5 reads the whole column for it:
   * for long texts use {@linkcode SearchIndex.snippetOf} on a window.
   *
   * @param expression The `MATCH` expression the row matched.
   * @param rowid The row.
   * @param column The column.
   * @param tokens About how many tokens the snippet has.
   * @returns The marked snippet.
   */
  snippet(expression: string, rowid: number, column: IndexColumn, tokens = 24): string {
    const i = INDEX_COLUMNS.indexOf(column);
    const row = this.#run(() =>
      this.#db.prepare(
        `SELECT snippet(fts, ${i}, '${MARK_OPEN}', '${MARK_CLOSE}', '…', ${tokens}) AS s
        FROM fts WHERE fts MATCH ? AND rowid = CAST(? AS INTEGER)`,
      ).all(expression, rowid)
    )[0];
    return typeof row?.s === "string" ? row.s : "";
  }

  /**
   * The snippet of any text, tokenized as the index does, through a
   * temporary in-memory table (the index file is not written).
   *
   * @param text The text.
   * @param expression A `MATCH` expression without column filters.
   * @param tokens About how many tokens the snippet has.
   * @returns The marked snippet, or "" when the text does not match.
   */
  snippetOf(text: string, expression: string, tokens = 24): string {
    const db = this.#db;
    db.exec(
      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.snip USING fts5(t, tokenize = 'unicode61 remove_diacritics 2')",
    );
    db.exec("DELETE FROM temp.snip");
    db.prepare("INSERT INTO temp.snip(rowid, t) VALUES (1, ?)").run(text);
    const row = db.prepare(
      `SELECT snippet(snip, 0, '${MARK_OPEN}', '${MARK_CLOSE}', '…', ${tokens}) AS s
      FROM temp.snip WHERE snip MATCH ?`,
    ).all(expression)[0];
    return typeof row?.s === "string" ? row.s : "";
  }

  /**
   * How many sessions the index holds.
   *
   * @returns The row count.
   */
  size(): number {
    return Number(
      this.#run(() => this.#db.prepare("SELECT count(*) AS n FROM docs").all())[0]?.n ?? 0,
    );
  }

  /** Closes the file. */
  close(): void {
    this.#db.close();
  }

  #run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (isCorruption(error)) {
        throw new IndexCorruptError(error instanceof Error ? error.message : String(error), {
          cause: error,
        });
      }
      throw error;
    }
  }
}

async function openDb(file: string): Promise<SqliteDatabase> {
  const db = await openSqlite(file);
  if (db === undefined) {
    throw new CasrError(
      "provider-unavailable",
      "Cannot search: this runtime has no SQLite (search needs Deno 2.2+, Node 22.5+ or Bun 1.1+)",
    );
  }
  return db;
}

/**
 * Sets the connection up and creates the tables; says what is wrong with the
 * file when it must be rebuilt (`undefined`: nothing).
 */
function prepare(db: SqliteDatabase): string | undefined {
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // A new file only (an existing one keeps its pages): FTS5 writes its index in
  // large segments, and with 4 KiB pages building it costs a write call per
  // page (one pwrite per 4 KiB, 360,000 of them for 10,000 sessions).
  db.exec(`PRAGMA page_size = ${PAGE_BYTES}`);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  const version = readVersion(db);
  if (version !== undefined) {
    if (version !== String(SEARCH_INDEX_VERSION)) {
      return `was written by index version ${version}, not ${SEARCH_INDEX_VERSION}`;
    }
    // The whole file's check costs a second on a big index; the docs table's
    // costs a millisecond. A damaged FTS5 table shows as an error when used.
    const check = db.prepare("PRAGMA quick_check(docs)").all()[0];
    const verdict = check === undefined ? "" : String(Object.values(check)[0]);
    return verdict === "ok" ? undefined : `is damaged (${verdict})`;
  }
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec(SCHEMA);
    db.prepare("INSERT OR IGNORE INTO meta(key, value) VALUES ('version', ?)").run(
      String(SEARCH_INDEX_VERSION),
    );
    db.exec("COMMIT");
  } catch (error) {
    try {
      db.exec("ROLLBACK");
    } catch {
      // nothing to roll back
    }
    throw error;
  }
  const written = readVersion(db);
  return written === String(SEARCH_INDEX_VERSION)
    ? undefined
    : `was written by index version ${written}, not ${SEARCH_INDEX_VERSION}`;
}

function readVersion(db: SqliteDatabase): string | undefined {
  const tables = db.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'docs', 'fts')",
  ).all();
  if (tables.length === 0) return undefined;
  if (tables.length < 3) return "unknown";
  const row = db.prepare("SELECT value FROM meta WHERE key = 'version'").all()[0];
  return row === undefined ? "unknown" : String(row.value);
}

/**
 * Deletes an index file and its WAL and shared-memory files.
 *
 * @param file The index file.
 */
export async function removeIndexFiles(file: string): Promise<void> {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) {
    await fsp.rm(file + suffix, { force: true });
  }
}
