import assert from "node:assert/strict";
import * as path from "node:path";
import { type IndexDoc, SEARCH_INDEX_VERSION, SearchIndex } from "./search_index.ts";
import { ftsExpression, parseQuery, readSnippet, spaceCjk } from "./fts_query.ts";
import { openSqlite } from "./sqlite.ts";

/** Hand-made rows (not from a real agent): text chosen to exercise the tokenizer. */
function doc(p: string, user: string, extra: Partial<IndexDoc> = {}): IndexDoc {
  return {
    provider: "hand-made",
    path: p,
    size: user.length,
    mtime: 1,
    title: "",
    text: { user: spaceCjk(user), assistant: "", tool: "" },
    ...extra,
  };
}

async function withIndex(fn: (file: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "casr-search-index-" });
  try {
    await fn(path.join(dir, "search.sqlite"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The index's matches, best first, with the path of each row (from its stamps). */
function ranked(
  index: SearchIndex,
  expression: string,
): { rowid: number; path: string; score: number }[] {
  const pathOf = new Map(
    [...index.stamps(["hand-made"])].map(([key, stamp]) => [stamp.rowid, key.split("\0")[1]!]),
  );
  return index.scores(expression).sort((a, b) => a[1] - b[1])
    .map(([rowid, score]) => ({ rowid, path: pathOf.get(rowid) ?? "?", score }));
}

const paths = (index: SearchIndex, q: string, role?: "user" | "tool"): string[] =>
  ranked(index, ftsExpression(parseQuery(q), role ? { column: role } : {})).map((m) => m.path)
    .sort();

Deno.test("SearchIndex: phrases, prefixes, accents and CJK match as documented", async () => {
  await withIndex(async (file) => {
    const index = await SearchIndex.open(file);
    index.write([
      doc("/a", "We wrote the résumé parser and a conversation log"),
      doc("/b", "parser wrote we: the conversion of logs"),
      doc("/c", "部署到生产环境之前先运行测试"),
      doc("/d", "日本語のテキストを検索する"),
      doc("/f", "", { title: "修复登录页面的错误" }),
      doc("/e", "tool only", {
        text: { user: "", assistant: "", tool: "Bash rm -rf build/" },
      }),
    ]);
    assert.deepEqual(paths(index, "resume"), ["/a"], "accents fold");
    assert.deepEqual(paths(index, "RÉSUMÉ"), ["/a"], "case and accents fold");
    assert.deepEqual(paths(index, "conv"), ["/a", "/b"], "a bare word is a prefix");
    assert.deepEqual(paths(index, '"conv"'), [], "a phrase is exact");
    assert.deepEqual(paths(index, '"we wrote the"'), ["/a"], "phrase order counts");
    assert.deepEqual(paths(index, "wrote we"), ["/a", "/b"], "words in any order");
    assert.deepEqual(paths(index, "生产"), ["/c"], "a Chinese word inside a sentence");
    assert.deepEqual(paths(index, "测试"), ["/c"]);
    assert.deepEqual(paths(index, "产生"), [], "CJK characters match in order");
    assert.deepEqual(paths(index, "テキスト"), ["/d"], "a Japanese word inside a sentence");
    assert.deepEqual(paths(index, "登录"), ["/f"], "a CJK word in a title");
    assert.deepEqual(paths(index, "rm"), ["/e"]);
    assert.deepEqual(paths(index, "rm", "user"), [], "a role limits the columns");
    assert.deepEqual(paths(index, "build", "tool"), ["/e"]);
    const [hit] = ranked(index, ftsExpression(parseQuery("テキスト")));
    assert.ok(hit);
    const s = readSnippet(index.snippet(ftsExpression(parseQuery("テキスト")), hit.rowid, "user"));
    assert.equal(s.text, "日本語のテキストを検索する");
    assert.deepEqual(s.highlights.map(([a, b]) => s.text.slice(a, b)), ["テキスト"]);
    index.close();
  });
});

Deno.test("SearchIndex: a row written as UTF-8 is the same text as one written as strings", async () => {
  await withIndex(async (file) => {
    const index = await SearchIndex.open(file);
    const encoder = new TextEncoder();
    const user = spaceCjk("The résumé parser 🚀 部署到生产环境 and a conversation log");
    const assistant = "naïve café answer";
    const tool = "Bash echo zebra";
    index.write([
      doc("/strings", "", { text: { user, assistant, tool } }),
      doc("/bytes", "", {
        text: {
          user: encoder.encode(user),
          assistant: encoder.encode(assistant),
          tool: encoder.encode(tool),
        },
      }),
    ]);
    for (const q of ["resume", "生产", "cafe", "zebra", '"conversation log"']) {
      assert.deepEqual(paths(index, q), ["/bytes", "/strings"], q);
    }
    const expression = ftsExpression(parseQuery("resume"));
    const hits = ranked(index, expression);
    const byPath = new Map(hits.map((h) => [h.path, h.rowid]));
    const bytesRow = byPath.get("/bytes");
    const stringsRow = byPath.get("/strings");
    assert.ok(bytesRow !== undefined && stringsRow !== undefined);
    assert.equal(index.text(bytesRow, "user"), user);
    assert.equal(index.text(bytesRow, "assistant"), assistant);
    assert.equal(
      index.snippet(expression, bytesRow, "user"),
      index.snippet(expression, stringsRow, "user"),
    );
    index.close();
    const db = await openSqlite(file);
    assert.ok(db);
    const types = db.prepare("SELECT DISTINCT typeof(user) AS t FROM fts").all();
    assert.deepEqual(types.map((r) => r.t), ["text"], "stored as text, not as a blob");
    db.close();
  });
});

Deno.test("SearchIndex: snippetOf() cuts a snippet of any text with the index's tokenizer", async () => {
  await withIndex(async (file) => {
    const index = await SearchIndex.open(file);
    const text = `${"filler words here ".repeat(30)}the Café opened ${"more filler ".repeat(30)}`;
    const s = readSnippet(index.snippetOf(text, ftsExpression(parseQuery("cafe"), { any: true })));
    assert.deepEqual(s.highlights.map(([a, b]) => s.text.slice(a, b)), ["Café"]);
    assert.ok(s.text.length < 200, s.text);
    assert.equal(index.snippetOf("nothing", ftsExpression(parseQuery("cafe"))), "");
    assert.equal(index.size(), 0, "the index file holds no row of it");
    index.close();
  });
});

Deno.test("SearchIndex: bm25 ranks the session that says it most first", async () => {
  await withIndex(async (file) => {
    const index = await SearchIndex.open(file);
    index.write([
      doc("/once", "kubernetes once, then a long talk about lunch and the weather today"),
      doc("/often", "kubernetes kubernetes kubernetes"),
      doc("/none", "nothing here"),
    ]);
    const expression = ftsExpression(parseQuery("kubernetes"));
    const best = ranked(index, expression);
    assert.deepEqual(best.map((m) => m.path), ["/often", "/once"]);
    assert.ok(best.every((m) => m.score < 0), "bm25 scores are negative, lower is better");
    index.close();
  });
});

Deno.test("SearchIndex: writing a session again replaces its row; removing drops it", async () => {
  await withIndex(async (file) => {
    const index = await SearchIndex.open(file);
    index.write([doc("/a", "alpha"), doc("/b", "beta")]);
    index.write([doc("/a", "gamma", { size: 9, mtime: 2 })]);
    assert.deepEqual(paths(index, "alpha"), []);
    assert.deepEqual(paths(index, "gamma"), ["/a"]);
    assert.equal(index.size(), 2);
    assert.deepEqual(index.stamps(["hand-made"]).get("hand-made\0/a"), {
      rowid: 3,
      size: 9,
      mtime: 2,
      title: "",
    });
    index.write([], [["hand-made", "/b"]]);
    assert.deepEqual(paths(index, "beta"), []);
    assert.equal(index.size(), 1);
    assert.equal(index.stamps(["other"]).size, 0, "stamps are per provider");
    index.close();
  });
});

Deno.test("SearchIndex: two connections write and read the same file", async () => {
  await withIndex(async (file) => {
    const one = await SearchIndex.open(file);
    const two = await SearchIndex.open(file);
    for (let i = 0; i < 20; i++) {
      (i % 2 === 0 ? one : two).write([doc(`/${i}`, `word${i} shared`)]);
    }
    assert.equal(one.size(), 20);
    assert.equal(paths(two, "shared").length, 20);
    one.close();
    two.close();
  });
});

Deno.test("SearchIndex: a file that is not a database is rebuilt, with one notice", async () => {
  await withIndex(async (file) => {
    await Deno.writeTextFile(file, "this is not SQLite at all ".repeat(200));
    const notices: string[] = [];
    const index = await SearchIndex.open(file, { notice: (l) => notices.push(l) });
    index.write([doc("/a", "alpha")]);
    assert.deepEqual(paths(index, "alpha"), ["/a"]);
    index.close();
    assert.equal(notices.length, 1);
    assert.match(notices[0] as string, /search index .* is damaged; rebuilding it/);
  });
});

Deno.test("SearchIndex: an index of another version is rebuilt", async () => {
  await withIndex(async (file) => {
    const first = await SearchIndex.open(file);
    first.write([doc("/a", "alpha")]);
    first.close();
    const db = await openSqlite(file);
    assert.ok(db);
    db.exec(`UPDATE meta SET value = '${SEARCH_INDEX_VERSION + 1}' WHERE key = 'version'`);
    db.close();
    const notices: string[] = [];
    const index = await SearchIndex.open(file, { notice: (l) => notices.push(l) });
    assert.equal(index.size(), 0, "the old rows are gone");
    index.close();
    assert.match(notices.join("\n"), /written by index version \d+, not 1; rebuilding it/);
  });
});

Deno.test("SearchIndex: a process killed inside a write leaves the last committed rows", async () => {
  await withIndex(async (file) => {
    const index = await SearchIndex.open(file);
    index.write([doc("/kept", "committed words")]);
    index.close();
    // A child opens the same file, starts a write and dies before COMMIT, as a crash would.
    const script = `
      import { DatabaseSync } from "node:sqlite";
      const db = new DatabaseSync(${JSON.stringify(file)});
      db.exec("PRAGMA busy_timeout = 5000");
      db.exec("BEGIN IMMEDIATE");
      db.exec("DELETE FROM fts");
      db.exec("INSERT INTO docs(rowid, provider, path, size, mtime, title) VALUES (99, 'hand-made', '/torn', 1, 1, '')");
      db.exec("INSERT INTO fts(rowid, title, user, assistant, tool) VALUES (99, '', 'uncommitted', '', '')");
      Deno.exit(9);
    `;
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=ts", script],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(child.code, 9, new TextDecoder().decode(child.stderr));
    const notices: string[] = [];
    const again = await SearchIndex.open(file, { notice: (l) => notices.push(l) });
    assert.deepEqual(notices, [], "no rebuild: the file is whole");
    assert.deepEqual(paths(again, "committed"), ["/kept"]);
    assert.deepEqual(paths(again, "uncommitted"), []);
    assert.equal(again.size(), 1);
    again.close();
  });
});

Deno.test("SearchIndex: a new file has 32 KiB pages; one made with 4 KiB pages is kept as it is", async () => {
  await withIndex(async (file) => {
    const pageSize = async () => {
      const db = await openSqlite(file);
      try {
        return Number(Object.values(db!.prepare("PRAGMA page_size").all()[0] ?? {})[0]);
      } finally {
        db!.close();
      }
    };
    const index = await SearchIndex.open(file);
    index.write([doc("/a", "first")]);
    index.close();
    assert.equal(await pageSize(), 32 * 1024);
    await Deno.remove(file);
    for (const suffix of ["-wal", "-shm"]) await Deno.remove(file + suffix).catch(() => {});
    // An index an older casr made, with SQLite's default pages.
    const old = await openSqlite(file);
    old!.exec("PRAGMA page_size = 4096");
    old!.exec("PRAGMA journal_mode = WAL");
    old!.close();
    const notices: string[] = [];
    const reopened = await SearchIndex.open(file, { notice: (line) => notices.push(line) });
    reopened.write([doc("/b", "second")]);
    assert.deepEqual(paths(reopened, "second"), ["/b"]);
    reopened.close();
    assert.deepEqual(notices, []);
    assert.equal(await pageSize(), 4096);
  });
});
