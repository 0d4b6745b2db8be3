/**
 * A HAND-MADE Go-era OpenCode database for tests (no real CLI wrote it). The
 * tables follow the goose migrations of opencode-ai/opencode
 * (`internal/db/migrations/20250424200609_initial.sql` and
 * `20250515105448_add_summary_message_id.sql` @ f0571f5f); the `parts` values
 * follow `marshallParts` in `internal/message/message.go` of the same commit:
 * `[{"type": …, "data": …}]`, `binary` with Go's untagged `Path`/`MIMEType`/`Data`
 * fields, times in epoch seconds as its `strftime('%s', 'now')` inserts write them.
 *
 * @module
 */
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { DatabaseSync } from "node:sqlite";

/** The DDL of Go OpenCode 0.0.55 (initial migration plus `summary_message_id`), triggers left out. */
export const GO_OPENCODE_DDL: readonly string[] = [
  `CREATE TABLE sessions (id TEXT PRIMARY KEY, parent_session_id TEXT, title TEXT NOT NULL,
    message_count INTEGER NOT NULL DEFAULT 0, prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0, cost REAL NOT NULL DEFAULT 0.0,
    updated_at INTEGER NOT NULL, created_at INTEGER NOT NULL, summary_message_id TEXT)`,
  `CREATE TABLE files (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, path TEXT NOT NULL,
    content TEXT NOT NULL, version TEXT NOT NULL, created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL, UNIQUE(path, session_id, version))`,
  `CREATE TABLE messages (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, role TEXT NOT NULL,
    parts TEXT NOT NULL default '[]', model TEXT, created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL, finished_at INTEGER)`,
];

/** The main session's id. */
export const GO_SESSION_ID = "4b0c6f0e-8a5e-4d7b-9c1a-2f3e4d5c6b7a";
/** A second top-level session, so the database holds several. */
export const GO_OTHER_SESSION_ID = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
/** The main session's first message time, epoch seconds. */
export const GO_T0 = 1751360000;
/** A 1×1 PNG, base64. */
export const PNG_1X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

type Part = { type: string; data: unknown } | string;

function insertMessage(
  db: DatabaseSync,
  session: string,
  row: { id: string; role: string; parts: Part[]; model?: string; at: number },
): void {
  db.prepare(
    "INSERT INTO messages (id, session_id, role, parts, model, created_at, updated_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  ).run(
    row.id,
    session,
    row.role,
    JSON.stringify(row.parts),
    row.model ?? null,
    row.at,
    row.at,
    row.at,
  );
}

/**
 * Writes the hand-made database at `<project>/.opencode/opencode.db`: the main
 * session (a prompt with an image, a reasoning step with two tool calls, one
 * failing, their results, a reply with a part of unknown type and a part that is
 * not an object), its title run (a child session), one file version, and a
 * second one-turn session.
 *
 * @param project The project dir.
 * @returns The database path.
 */
export async function makeGoOpencodeDb(project: string): Promise<string> {
  const dir = path.join(project, ".opencode");
  await fsp.mkdir(dir, { recursive: true });
  const file = path.join(dir, "opencode.db");
  const db = new DatabaseSync(file);
  try {
    for (const ddl of GO_OPENCODE_DDL) db.exec(ddl);
    const session = db.prepare(
      "INSERT INTO sessions (id, parent_session_id, title, message_count, prompt_tokens, completion_tokens, cost, updated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    session.run(GO_SESSION_ID, null, "Read hello.txt", 4, 1200, 80, 0.01, GO_T0 + 9, GO_T0);
    session.run(
      `title-${GO_SESSION_ID}`,
      GO_SESSION_ID,
      "Generate a title",
      0,
      0,
      0,
      0,
      GO_T0,
      GO_T0,
    );
    session.run(GO_OTHER_SESSION_ID, null, "Say hi", 1, 0, 0, 0, GO_T0 - 500, GO_T0 - 600);
    const s = GO_SESSION_ID;
    insertMessage(db, s, {
      id: "m1",
      role: "user",
      at: GO_T0,
      parts: [
        { type: "text", data: { text: "Read hello.txt and look at the screenshot" } },
        { type: "binary", data: { Path: "/proj/shot.png", MIMEType: "image/png", Data: PNG_1X1 } },
        { type: "finish", data: { reason: "stop", time: 0 } },
      ],
    });
    insertMessage(db, s, {
      id: "m2",
      role: "assistant",
      model: "claude-3.7-sonnet",
      at: GO_T0 + 2,
      parts: [
        { type: "reasoning", data: { thinking: "I should read the file first." } },
        { type: "text", data: { text: "Let me look." } },
        {
          type: "tool_call",
          data: {
            id: "toolu_01",
            name: "view",
            input: '{"file_path":"/proj/hello.txt"}',
            type: "",
            finished: true,
          },
        },
        {
          type: "tool_call",
          data: {
            id: "toolu_02",
            name: "bash",
            input: '{"command":"cat missing.txt"}',
            type: "",
            finished: true,
          },
        },
        { type: "finish", data: { reason: "tool_use", time: GO_T0 + 3 } },
      ],
    });
    insertMessage(db, s, {
      id: "m3",
      role: "tool",
      at: GO_T0 + 4,
      parts: [
        {
          type: "tool_result",
          data: {
            tool_call_id: "toolu_01",
            name: "",
            content: "hello world",
            metadata: "",
            is_error: false,
          },
        },
        {
          type: "tool_result",
          data: {
            tool_call_id: "toolu_02",
            name: "",
            content: "cat: missing.txt: No such file or directory",
            metadata: "",
            is_error: true,
          },
        },
        { type: "finish", data: { reason: "stop", time: 0 } },
      ],
    });
    insertMessage(db, s, {
      id: "m4",
      role: "assistant",
      model: "claude-3.7-sonnet",
      at: GO_T0 + 9,
      parts: [
        { type: "text", data: { text: "hello.txt says hello world; missing.txt does not exist." } },
        { type: "hologram", data: { beam: 1 } },
        "not a part",
        { type: "finish", data: { reason: "end_turn", time: GO_T0 + 9 } },
      ],
    });
    db.prepare(
      "INSERT INTO files (id, session_id, path, content, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run("f1", s, "/proj/hello.txt", "hello world\n", "initial", GO_T0 + 4, GO_T0 + 4);
    insertMessage(db, GO_OTHER_SESSION_ID, {
      id: "o1",
      role: "user",
      at: GO_T0 - 600,
      parts: [{ type: "text", data: { text: "Say hi" } }],
    });
  } finally {
    db.close();
  }
  return file;
}
