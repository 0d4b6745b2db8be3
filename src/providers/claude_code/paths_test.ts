import assert from "node:assert/strict";
import {
  claudeRoot,
  isSessionFileName,
  projectKey,
  projectsDir,
  sanitizeProjectPath,
  simpleHash,
} from "./paths.ts";

const ctx = (env: Record<string, string>) => ({ env, homeDir: "/home/dev", cwd: "/home/dev" });

Deno.test("claudeRoot() prefers CLAUDE_CONFIG_DIR, then CLAUDE_HOME, then ~/.claude", () => {
  assert.equal(claudeRoot(ctx({})), "/home/dev/.claude");
  assert.equal(claudeRoot(ctx({ CLAUDE_HOME: "/opt/ch" })), "/opt/ch");
  assert.equal(claudeRoot(ctx({ CLAUDE_HOME: "/opt/ch", CLAUDE_CONFIG_DIR: "/cfg" })), "/cfg");
  assert.equal(claudeRoot(ctx({ CLAUDE_CONFIG_DIR: "" })), "/home/dev/.claude");
  assert.equal(projectsDir("/cfg"), "/cfg/projects");
});

Deno.test("claudeRoot() NFC-normalises the override", () => {
  assert.equal(claudeRoot(ctx({ CLAUDE_CONFIG_DIR: "/tmp/cafe\u0301" })), "/tmp/caf\u00e9");
});

Deno.test("sanitizeProjectPath() maps every non-alphanumeric UTF-16 unit to '-'", () => {
  assert.equal(sanitizeProjectPath("/Users/me/my_repo.v2"), "-Users-me-my-repo-v2");
  assert.equal(sanitizeProjectPath("C:\\Users\\me\\proj"), "C--Users-me-proj");
  assert.equal(sanitizeProjectPath("/tmp/a--b"), "-tmp-a--b");
  assert.equal(sanitizeProjectPath("/tmp/😀"), "-tmp---");
  assert.equal(sanitizeProjectPath("/tmp/проект"), "-tmp-------");
});

Deno.test("projectKey() keeps keys of 200 chars and cuts longer ones with a hash", () => {
  const exact = "/" + "b".repeat(199);
  assert.equal(projectKey(exact), "-" + "b".repeat(199));
  const long = "/" + "c".repeat(300);
  const key = projectKey(long);
  assert.equal(key, "-" + "c".repeat(199) + "-" + simpleHash(long));
  assert.match(key.slice(201), /^[0-9a-z]+$/);
});

Deno.test("projectKey() reuses an existing folder with the same 200-char prefix", () => {
  const long = "/" + "d".repeat(300);
  const prefix = "-" + "d".repeat(199) + "-";
  assert.equal(projectKey(long, ["other", prefix + "bunhash1"]), prefix + "bunhash1");
  // A folder whose name only shares 199 characters is not reused.
  assert.notEqual(
    projectKey(long, ["-" + "d".repeat(198) + "x-zzz"]),
    "-" + "d".repeat(198) + "x-zzz",
  );
});

Deno.test("simpleHash() is the JS int32 string hash in base 36", () => {
  assert.equal(simpleHash(""), "0");
  // "a" = 97; "ab" = 97 * 31 + 98 = 3105.
  assert.equal(simpleHash("a"), (97).toString(36));
  assert.equal(simpleHash("ab"), (3105).toString(36));
  // Overflow wraps to int32 and takes the absolute value.
  let h = 0;
  for (const c of "x".repeat(50)) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  assert.equal(simpleHash("x".repeat(50)), Math.abs(h).toString(36));
});

Deno.test("isSessionFileName() accepts <uuid>.jsonl only", () => {
  assert.equal(isSessionFileName("6f1c2b7e-3a0d-4c1e-9b8f-2d4e5a6b7c8d.jsonl"), true);
  assert.equal(isSessionFileName("agent-a1b2c3.jsonl"), false);
  assert.equal(isSessionFileName("6f1c2b7e-3a0d-4c1e-9b8f-2d4e5a6b7c8d.json"), false);
  assert.equal(isSessionFileName("sessions-index.json"), false);
});
