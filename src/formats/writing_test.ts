import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Session, Warning } from "../model/types.ts";
import {
  acceptedSessionId,
  nothingToWrite,
  resolveWorkspace,
  TITLE_SUFFIX,
  uuidSessionId,
  writtenTitle,
} from "./writing.ts";

function session(title: string | undefined, userText: string): Session {
  return {
    id: "s1",
    provider: "x",
    ...(title === undefined ? {} : { title }),
    metadata: {},
    messages: [
      { index: 0, role: "user", text: "  ", toolCalls: [], toolResults: [] },
      { index: 1, role: "user", text: userText, toolCalls: [], toolResults: [] },
    ],
  };
}

Deno.test("writtenTitle() prefers the title, then the first user text, then the id", () => {
  assert.equal(writtenTitle(session("Title\nsecond", "Ask")), "Title");
  assert.equal(writtenTitle(session("  ", "Ask\nmore")), "Ask");
  assert.equal(writtenTitle(session(undefined, "")), "Session s1");
  assert.equal(writtenTitle(session("Title", "Ask"), { userFirst: true }), "Ask");
});

Deno.test("writtenTitle() shortens to 80 characters and adds the suffix once", () => {
  const long = "x".repeat(100);
  assert.equal(writtenTitle(session(long, "")), `${"x".repeat(79)}…`);
  assert.equal(
    writtenTitle(session(`Fix (via casr) (via casr)`, ""), { suffix: true }),
    "Fix" + TITLE_SUFFIX,
  );
  assert.equal(
    writtenTitle(session(`${long} (via casr)`, ""), { suffix: true }),
    `${"x".repeat(79)}… (via casr)`,
  );
});

Deno.test("uuidSessionId() keeps a UUID lower-cased and replaces anything else with a warning", () => {
  const warnings: Warning[] = [];
  const uuid = "6D0C1F7E-2B4A-4C55-9A1E-0C3F5D9E8B21";
  assert.equal(uuidSessionId(uuid, () => "new", warnings, "rule"), uuid.toLowerCase());
  assert.equal(uuidSessionId(undefined, () => "new", warnings, "rule"), "new");
  assert.deepEqual(warnings, []);
  assert.equal(uuidSessionId("nope", () => "new", warnings, "Kiro ids are UUIDs"), "new");
  assert.deepEqual(warnings, [{
    code: "session-id-replaced",
    message: 'Used a new id: Kiro ids are UUIDs, not "nope"',
  }]);
});

Deno.test("acceptedSessionId() keeps an accepted id as it is and replaces a refused one", () => {
  const warnings: Warning[] = [];
  const safe = (id: string) => /^[A-Za-z0-9_-]+$/.test(id);
  assert.equal(acceptedSessionId("Casr-1", () => "new", warnings, "rule", safe), "Casr-1");
  assert.equal(acceptedSessionId(undefined, () => "new", warnings, "rule", safe), "new");
  assert.deepEqual(warnings, []);
  assert.equal(acceptedSessionId("a/b", () => "new", warnings, "ids name files", safe), "new");
  assert.deepEqual(warnings, [{
    code: "session-id-replaced",
    message: 'Used a new id: ids name files, not "a/b"',
  }]);
});

Deno.test("resolveWorkspace() follows links and keeps a missing path as asked", async () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "casr-ws-")));
  try {
    fs.mkdirSync(path.join(dir, "real"));
    fs.symlinkSync(path.join(dir, "real"), path.join(dir, "link"));
    assert.equal(await resolveWorkspace(path.join(dir, "link")), path.join(dir, "real"));
    assert.equal(await resolveWorkspace(path.join(dir, "none")), path.join(dir, "none"));
    assert.equal(
      await resolveWorkspace(path.join(dir, "e\u0301"), { nfc: true }),
      path.join(dir, "\u00e9"),
    );
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

Deno.test("nothingToWrite() is an invalid-session error naming the session", () => {
  const error = nothingToWrite(session(undefined, ""));
  assert.equal(error.code, "invalid-session");
  assert.equal(error.message, 'Cannot write session "s1": it has no user or assistant message');
  assert.deepEqual(error.details, { id: "s1" });
});
